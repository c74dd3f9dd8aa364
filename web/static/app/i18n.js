// All UI strings live in ../i18n/zh-CN.js (default) and ../i18n/en.js, plus one pair of catalogues per
// feature area (../i18n/<area>.zh-CN.js / <area>.en.js) merged over them. t('key', {param}) looks a
// string up in the active catalogue, falling back to Chinese and then to the key itself.
import zhBase from '../i18n/zh-CN.js';
import enBase from '../i18n/en.js';
import dvZh from '../i18n/dv.zh-CN.js';
import dvEn from '../i18n/dv.en.js';
import dashboardZh from '../i18n/dashboard.zh-CN.js';
import dashboardEn from '../i18n/dashboard.en.js';
import supervisionZh from '../i18n/supervision.zh-CN.js';
import supervisionEn from '../i18n/supervision.en.js';
import partnersZh from '../i18n/partners.zh-CN.js';
import partnersEn from '../i18n/partners.en.js';
import procedureZh from '../i18n/procedure.zh-CN.js';
import procedureEn from '../i18n/procedure.en.js';
import reviewZh from '../i18n/review.zh-CN.js';
import reviewEn from '../i18n/review.en.js';
import intakeFlagsZh from '../i18n/intake-flags.zh-CN.js';
import intakeFlagsEn from '../i18n/intake-flags.en.js';
import dubanZh from '../i18n/duban.zh-CN.js';
import dubanEn from '../i18n/duban.en.js';
import reportZh from '../i18n/report.zh-CN.js';
import reportEn from '../i18n/report.en.js';
import errorsZh from '../i18n/errors.zh-CN.js';
import errorsEn from '../i18n/errors.en.js';
import outcomesZh from '../i18n/outcomes.zh-CN.js';
import outcomesEn from '../i18n/outcomes.en.js';
import placesZh from '../i18n/places.zh-CN.js';
import placesEn from '../i18n/places.en.js';
import secondFactorZh from '../i18n/second-factor.zh-CN.js';
import secondFactorEn from '../i18n/second-factor.en.js';
import telephonyZh from '../i18n/telephony.zh-CN.js';
import telephonyEn from '../i18n/telephony.en.js';
import accountsZh from '../i18n/accounts.zh-CN.js';
import accountsEn from '../i18n/accounts.en.js';
import retentionZh from '../i18n/retention.zh-CN.js';
import retentionEn from '../i18n/retention.en.js';
import { load, save } from './store.js';

const zh = { ...zhBase, ...dvZh, ...dashboardZh, ...supervisionZh, ...partnersZh, ...procedureZh, ...reviewZh, ...intakeFlagsZh, ...dubanZh, ...reportZh, ...errorsZh, ...outcomesZh, ...placesZh, ...secondFactorZh, ...telephonyZh, ...accountsZh, ...retentionZh };
const en = { ...enBase, ...dvEn, ...dashboardEn, ...supervisionEn, ...partnersEn, ...procedureEn, ...reviewEn, ...intakeFlagsEn, ...dubanEn, ...reportEn, ...errorsEn, ...outcomesEn, ...placesEn, ...secondFactorEn, ...telephonyEn, ...accountsEn, ...retentionEn };
const catalogues = { 'zh-CN': zh, en };
let lang = catalogues[load('lang')] ? load('lang') : 'zh-CN';
const listeners = new Set();

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (!catalogues[next] || next === lang) return;
  lang = next;
  save('lang', next);
  document.documentElement.lang = next;
  for (const fn of listeners) fn(next);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function has(key) {
  return key in catalogues[lang] || key in catalogues['zh-CN'];
}

export function t(key, params) {
  let s = catalogues[lang][key] ?? catalogues['zh-CN'][key] ?? key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  return s;
}

// Label of a vocabulary value, e.g. label('status', 'in_progress') → 办理中; unknown values as-is.
export function label(group, value) {
  if (value === null || value === undefined || value === '') return '—';
  const key = `${group}.${value}`;
  return has(key) ? t(key) : String(value);
}

// No document under node, where the desk's pure modules are unit-tested (tests/desk).
if (typeof document !== 'undefined') document.documentElement.lang = lang;
