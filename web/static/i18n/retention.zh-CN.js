// 简体中文：法律保留与匿名化（个案保存期限）的界面文字。键名与 retention.en.js 一一对应。
export default {
  'hold.button': '设置法律保留',
  'hold.dialog_title': '设置法律保留',
  'hold.help': '个案 {no} 设置法律保留后，到期匿名化暂停，直至解除。',
  'hold.reason': '保留原因',
  'hold.reason_hint': '如：诉讼进行中、公安机关调取材料。',
  'hold.submit': '设置保留',
  'hold.held': '法律保留中',
  'hold.held_detail': '原因：{reason}（{at} 设置）。保留期间不做匿名化。',
  'hold.release': '解除保留',
  'hold.release_confirm': '解除个案 {no} 的法律保留？解除后，超过保存期限的个案将被匿名化。',
  'hold.released': '已解除法律保留',
  'hold.set': '已设置法律保留',
  'hold.anonymised': '本个案的个人信息已于 {at} 按保存期限匿名化；统计数字保留。',
};
