// The contacting person is named by the channel (issue #13): one mapping (web/static/app/format.js
// personLabel / personParams), in both languages. node --test tests/desk/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setLang, t } from '../../web/static/app/i18n.js';
import { personLabel, personParams } from '../../web/static/app/format.js';

globalThis.document ??= { documentElement: {} };

test('each channel names its person, in Chinese and in English', () => {
  setLang('zh-CN');
  const zh = { hotline: '来电人', walk_in: '来访人', letter: '来信人', online: '网上信访人', agent: '信访人', screening: '当事人', transfer_in: '反映人' };
  for (const [channel, word] of Object.entries(zh)) assert.equal(personLabel(channel), word, channel);
  assert.equal(personLabel('something_new'), '反映人', 'an unknown channel still names a person');
  assert.equal(t('intake.section_complainant', personParams('walk_in')), '来访人（投诉人）');
  assert.equal(t('repeat.badge', personParams('letter')), '重复来信');
  assert.equal(t('repeat.badge', personParams('agent')), '重复访');
  setLang('en');
  try {
    assert.equal(personLabel('walk_in'), 'visitor');
    assert.equal(t('intake.section_complainant', personParams('walk_in')), 'Visitor (complainant)');
    assert.equal(t('intake.caller_is_victim', personParams('letter')), 'The letter writer is the victim');
  } finally {
    setLang('zh-CN');
  }
});
