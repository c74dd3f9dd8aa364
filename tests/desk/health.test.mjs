// The words of issue #17 on the desk, under node: the health banner's sentence for a /healthz body
// (web/static/app/health.js) and the storage errors' sentences (errors.js), in both languages.
// node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeHealth, reasonText, HEALTH_ROLES } from '../../web/static/app/health.js';
import { errorMessage, intakeStorageMessage, isStorageError } from '../../web/static/app/errors.js';
import { setLang, getLang } from '../../web/static/app/i18n.js';

// setLang() marks <html lang>; under node a stand-in document takes the mark.
globalThis.document ??= { documentElement: {} };

// Runs fn with the desk in `lang`, then back in Chinese (the default the other tests expect).
function inLang(lang, fn) {
  setLang(lang);
  try {
    return fn();
  } finally {
    setLang('zh-CN');
  }
}

const reason = (code, message = `server says ${code}`) => ({ code, message });

test('ok, or no readable body, shows no banner', () => {
  assert.equal(getLang(), 'zh-CN');
  assert.equal(describeHealth({ status: 'ok', reasons: [], checks: {} }), null);
  assert.equal(describeHealth(null), null);
  assert.equal(describeHealth(undefined), null);
  assert.equal(describeHealth('<html>bad gateway</html>'), null);
  assert.equal(describeHealth({}), null);
});

test('failing is an alert that asks for the administrator; degraded a status line', () => {
  const failing = describeHealth({ status: 'failing', reasons: [reason('writes_failing')] });
  assert.deepEqual(failing, { level: 'failing', role: 'alert', text: '系统健康状况：异常（数据库写入失败）— 请立即联系管理员' });
  const degraded = describeHealth({ status: 'degraded', reasons: [reason('low_disk_space')] });
  assert.deepEqual(degraded, { level: 'degraded', role: 'status', text: '系统健康状况：降级（磁盘剩余空间不足）' });
});

test('every reason code of the contract has its own Chinese words, none the server\'s English', () => {
  const expected = {
    writes_failing: '数据库写入失败',
    database_malformed: '数据库文件损坏',
    low_disk_space: '磁盘剩余空间不足',
    integrity_check_running: '正在进行完整性检查',
    integrity_check_stale: '完整性检查已过期',
  };
  for (const [code, words] of Object.entries(expected)) assert.equal(reasonText(reason(code)), words, code);
});

test('several reasons are all listed, in the server\'s order; an unknown code keeps the server\'s message', () => {
  const d = describeHealth({
    status: 'failing',
    reasons: [reason('database_malformed'), reason('disk_on_fire', 'The disk is on fire'), reason('writes_failing')],
  });
  assert.equal(d.text, '系统健康状况：异常（数据库文件损坏、The disk is on fire、数据库写入失败）— 请立即联系管理员');
  // Nothing to say at all still says something.
  assert.equal(reasonText({ code: 'mystery' }), 'mystery');
  assert.equal(reasonText({}), '原因未说明');
  assert.equal(describeHealth({ status: 'degraded' }).text, '系统健康状况：降级（原因未说明）');
});

test('a status the desk does not know is treated as failing (a banner too many beats a silent failure)', () => {
  const d = describeHealth({ status: 'on_fire', reasons: [reason('low_disk_space')] });
  assert.equal(d.level, 'failing');
  assert.equal(d.role, 'alert');
});

test('the banner in English', () => {
  const [failing, degraded] = inLang('en', () => [
    describeHealth({ status: 'failing', reasons: [reason('database_malformed'), reason('writes_failing')] }),
    describeHealth({ status: 'degraded', reasons: [reason('integrity_check_running'), reason('integrity_check_stale')] }),
  ]);
  assert.equal(failing.text, 'System health: FAILING (the database file is damaged; database writes are failing) — contact the administrator now');
  assert.equal(degraded.text, 'System health: degraded (integrity check in progress; integrity check overdue)');
});

test('only supervisors and administrators see the banner', () => {
  assert.deepEqual([...HEALTH_ROLES].sort(), ['supervisor', 'sysadmin']);
});

// An ApiError as api.js builds it, for the mapping (no fetch needed).
const apiError = (status, code, message = 'x') => ({ status, code, message, fields: {} });

test('storage errors: the intake form\'s exact sentences, and the generic ones elsewhere', () => {
  const full = apiError(503, 'storage_full', 'the disk holding the database is full');
  const unavailable = apiError(503, 'storage_unavailable', 'disk I/O error');
  assert.equal(isStorageError(full), true);
  assert.equal(isStorageError(unavailable), true);
  assert.equal(isStorageError(apiError(503, 'http_503')), false);
  assert.equal(isStorageError(null), false);
  assert.equal(intakeStorageMessage(full), '服务器存储空间已满，本次登记未保存，草稿已保留，请联系管理员');
  assert.equal(intakeStorageMessage(unavailable), '服务器存储暂时无法写入，本次登记未保存，草稿已保留，请联系管理员');
  assert.equal(intakeStorageMessage(apiError(500, 'internal')), null);
  // Elsewhere: no promise about a draft, no "登记".
  for (const e of [full, unavailable]) {
    const s = errorMessage(e);
    assert.match(s, /^服务器存储/);
    assert.match(s, /请联系管理员/);
    assert.doesNotMatch(s, /登记|草稿/);
    assert.notEqual(s, errorMessage(apiError(500, 'internal')), 'not the generic "server error"');
  }
});

test('storage errors in English', () => {
  const [intakeFull, intakeUnavailable, genericFull] = inLang('en', () => [
    intakeStorageMessage(apiError(503, 'storage_full')),
    intakeStorageMessage(apiError(503, 'storage_unavailable')),
    errorMessage(apiError(503, 'storage_full')),
  ]);
  assert.equal(intakeFull, 'The server\'s storage is full: this intake was not saved. Your draft is kept. Please contact the administrator.');
  assert.match(intakeUnavailable, /cannot be written.*not saved.*draft is kept.*administrator/);
  assert.match(genericFull, /storage is full/);
  assert.doesNotMatch(genericFull, /draft|intake/);
});
