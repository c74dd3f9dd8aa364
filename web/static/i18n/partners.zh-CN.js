// 简体中文：partners 界面文字。键名与 partners.en.js 一一对应。
export default {
};
