// 来电弹屏 (telephony.js): the banner shown instead of opening the intake over an unsaved draft, and the
// field messages of the call-centre's reports and of an operator's 工号 (errors.js).
export default {
  'call.ringing': '来电 {phone}',
  'call.open_intake': '登记此来电',
  'call.dismiss': '关闭提示',
  'err.printable_id': '只能填写规定长度内的可打印字符，不含空格和“/”。',
  'err.agent_or_seat': '需填写坐席工号或坐席号。',
  'err.call_end_before_ring': '结束时间早于来电时间。',
  'err.call_not_yours': '这通来电不是在您的坐席上接听的，或已登记过。',
};
