// English: partners strings. Same keys as partners.zh-CN.js.
export default {
};
