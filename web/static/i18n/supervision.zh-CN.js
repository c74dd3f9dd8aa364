// 简体中文：supervision 界面文字。键名与 supervision.en.js 一一对应。
export default {
};
