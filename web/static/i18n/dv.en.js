// English: dv strings. Same keys as dv.zh-CN.js.
export default {
};
