// 简体中文：地名选择（place-picker.js）界面文字。键名与 places.en.js 一一对应。
export default {
  'place.label': '所在地区',
  'place.placeholder': '输入地名，如 桂阳 或 樟市',
  'place.hint': '输入省、市、县或乡镇名称的任意部分，用 ↓ ↑ 选择，回车确认；也可逐级选择。',
  'place.drill': '逐级选择',
  'place.level_province': '省级',
  'place.level_city': '地市级',
  'place.level_county': '县级',
  'place.level_township': '乡镇（街道）',
  'place.choose': '— 请选择 —',
  'place.no_match': '没有找到这个地名',
  'place.results': '找到 {n} 个地名',
  'place.load_failed': '地名数据未能载入，请稍后再试。',
  'person.col_region': '所在地区',
  'print.region': '所在地区',
  'err.region_place': '请从列表中选择地区（县或乡镇）；该代码不在行政区划中。',
};
