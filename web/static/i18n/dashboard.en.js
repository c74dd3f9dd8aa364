// English: dashboard strings. Same keys as dashboard.zh-CN.js.
export default {
};
