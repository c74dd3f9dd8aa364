// 来电弹屏 (telephony.js): the banner shown instead of opening the intake over an unsaved draft.
export default {
  'call.ringing': '来电 {phone}',
  'call.open_intake': '登记此来电',
  'call.dismiss': '关闭提示',
};
