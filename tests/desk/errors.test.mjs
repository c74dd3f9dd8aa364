// The server's English field messages for passwords and attachment names (issue #16) become clear
// sentences in the desk's languages (web/static/app/errors.js). node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldMessage, errorMessage } from '../../web/static/app/errors.js';
import { setLang } from '../../web/static/app/i18n.js';

globalThis.document ??= { documentElement: {} };

const SERVER = {
  'at least 12 characters': '密码至少需要 12 个字符。',
  'must not be one character repeated': '密码不能由同一个字符重复组成。',
  'must not contain the username': '密码不能包含用户名。',
  'too common: it is on the list of common passwords': '这个密码太常见，容易被猜中，请换一个。',
  'used recently: choose one not among your last 5 passwords': '不能使用最近 5 次用过的密码，请换一个新密码。',
  'wrong password': '当前密码不正确。',
  'must not contain invisible format characters (such as right-to-left overrides or zero-width spaces)':
    '文件名含有不可见的格式字符（如从右向左覆盖符、零宽空格），请改名后再上传。',
};

test('password and file-name problems read as Chinese sentences, and in English', () => {
  setLang('zh-CN');
  for (const [message, zh] of Object.entries(SERVER)) assert.equal(fieldMessage(message), zh, message);
  setLang('en');
  try {
    assert.equal(fieldMessage('must not contain the username'), 'The password must not contain the username.');
    assert.match(fieldMessage('too common: it is on the list of common passwords'), /too common/);
  } finally {
    setLang('zh-CN');
  }
  assert.equal(errorMessage({ code: 'unsupported_media_type', status: 415 }), '提交的数据格式不被接受，请刷新页面后重试。');
  assert.equal(errorMessage({ code: 'password_expired', status: 403 }), '请先修改密码，然后才能继续使用。');
});
