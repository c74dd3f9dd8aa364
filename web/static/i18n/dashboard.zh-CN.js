// 简体中文：dashboard 界面文字。键名与 dashboard.en.js 一一对应。
export default {
};
