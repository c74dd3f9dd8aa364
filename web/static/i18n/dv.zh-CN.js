// 简体中文：dv 界面文字。键名与 dv.en.js 一一对应。
export default {
};
