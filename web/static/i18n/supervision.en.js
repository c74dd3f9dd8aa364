// English: supervision strings. Same keys as supervision.zh-CN.js.
export default {
};
