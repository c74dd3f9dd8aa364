// English: place picker (place-picker.js) strings. Same keys as places.zh-CN.js. Place names stay Chinese.
export default {
  'place.label': 'Place (region)',
  'place.placeholder': 'Type a place name, e.g. 桂阳 or 樟市',
  'place.hint': 'Type any part of a province, city, county or township name, choose with ↓ ↑ and Enter; or pick level by level.',
  'place.drill': 'Pick level by level',
  'place.level_province': 'Province',
  'place.level_city': 'City',
  'place.level_county': 'County',
  'place.level_township': 'Township',
  'place.choose': '— choose —',
  'place.no_match': 'No place of that name',
  'place.results': '{n} places found',
  'place.load_failed': 'The place names could not be loaded; try again shortly.',
  'person.col_region': 'Place',
  'print.region': 'Place',
  'err.region_place': 'Choose the place from the list (a county or township); this code is not an administrative division.',
};
