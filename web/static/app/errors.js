// The server explains bad fields in English (`fields` of the error envelope); the desk shows them in
// the user's language. Known messages map to catalogue keys; anything else keeps the server's text.
import { t } from './i18n.js';

const PATTERNS = [
  // Passwords (casework/password_policy.hpp) and attachment names (issue #16).
  [/^at least 12 characters/, 'err.pw_short'],
  [/^must not be one character repeated/, 'err.pw_repeated'],
  [/^must not contain the username/, 'err.pw_username'],
  [/^too common/, 'err.pw_common'],
  [/invisible format characters/, 'err.invisible'],
  [/^required$/, 'err.required'],
  [/^must be after today$/, 'err.after_today'],
  [/^required when consent is not given/, 'err.override_reason'],
  [/^required when the consultation was answered/, 'err.answer_required'],
  // Issue #13 at intake: consultation kind, repeat (重复访), level-skipping (越级访).
  [/kind of consultation is required/, 'err.consultation_kind_required'],
  [/must be legal, marriage_family, psychological or other/, 'err.consultation_kind'],
  [/only a contact answered on the spot has a consultation kind/, 'err.consultation_kind_not_answered'],
  [/a call without data is not/, 'err.non_data_flag'],
  [/give either case_id/, 'err.repeat_and_followup'],
  [/a repeat of a case is not a new matter/, 'err.repeat_new_matter'],
  [/required for a level-skipping contact/, 'err.jurisdiction_required'],
  [/only a level-skipping contact names/, 'err.jurisdiction_without_flag'],
  [/must be an active office below yours|must be an office id/, 'err.jurisdiction_office'],
  [/no such case in your scope/, 'err.repeat_case'],
  [/closed more than 12 months ago/, 'err.repeat_too_old'],
  [/^required to open a case/, 'err.category_required'],
  [/^required for hotline calls/, 'err.call_type_required'],
  [/^required, at most (\d+) bytes/, 'err.required_too_long', (m) => ({ n: Math.floor(Number(m[1]) / 3) })],
  [/not a phone number/, 'err.phone'],
  [/not a valid resident ID/, 'err.id_number'],
  [/birth date is in the future/, 'err.id_birth_future'],
  [/must be female, male, other or unknown/, 'err.gender'],
  [/between 0 and 130/, 'err.age'],
  [/six-digit administrative division code/, 'err.region_code'],
  [/too long \(at most (\d+) bytes\)/, 'err.too_long', (m) => ({ n: Math.floor(Number(m[1]) / 3) })],
  [/^at most (\d+) bytes/, 'err.too_long', (m) => ({ n: Math.floor(Number(m[1]) / 3) })],
  [/not valid UTF-8/, 'err.utf8'],
  [/control characters/, 'err.control'],
  [/second-level category/, 'err.category'],
  [/unknown category/, 'err.category'],
  [/unknown channel/, 'err.channel'],
  [/only hotline calls have a call type/, 'err.call_type_hotline_only'],
  [/unknown call type/, 'err.call_type'],
  [/is in the future/, 'err.future'],
  [/is before 1990/, 'err.before_1990'],
  [/between 0 and 86400 seconds/, 'err.duration'],
  [/between 1 and 1000/, 'err.persons'],
  [/resolves nothing/, 'err.resolution_non_data'],
  [/must be answered or open_case/, 'err.resolution'],
  [/cannot open another case/, 'err.case_id_followup'],
  [/normal, urgent or emergency/, 'err.urgency'],
  [/must be a case id/, 'err.case_id'],
  [/ISO 8601/, 'err.datetime'],
  [/a date YYYY-MM-DD/, 'err.date'],
  [/must be a positive id/, 'err.id'],
  [/positive whole number/, 'err.positive_int'],
  [/non-negative amount in fen/, 'err.money'],
  [/not one of the allowed values/, 'err.one_of'],
  [/^at most (\d+)$/, 'err.at_most', (m) => ({ n: m[1] })],
  [/no such active partner/, 'err.partner'],
  [/choose another office/, 'err.same_office'],
  [/no such office/, 'err.office'],
  [/only a supervisor reassigns/, 'err.assign_supervisor'],
  [/no active staff member/, 'err.assignee'],
  [/1 to 10000 bytes/, 'err.note'],
  [/must be a whole number/, 'err.integer'],
  [/must be true or false/, 'err.boolean'],
  [/must be a string/, 'err.type'],
  [/must be an object/, 'err.type'],
  [/out of range/, 'err.out_of_range'],
  // Period reports and filing (issue #14): GET /api/v1/reports, POST /api/v1/reports/filings.
  [/^not over yet$/, 'err.period_not_over'],
  [/^required: \d{4}-\d{2}, \d{4}-Q/, 'err.period_format'],
];

export function fieldMessage(message) {
  const text = String(message ?? '');
  for (const [re, key, params] of PATTERNS) {
    const m = re.exec(text);
    if (m) return t(key, params ? params(m) : undefined);
  }
  return t('err.generic', { message: text });
}

// A whole error (ApiError) as one sentence for a banner.
export function errorMessage(e) {
  if (!e) return t('err.unknown');
  const byCode = {
    network: 'err.network',
    forbidden: 'err.forbidden',
    not_found: 'err.not_found',
    conflict: 'err.conflict',
    rate_limited: 'err.rate_limited',
    payload_too_large: 'err.too_large',
    unsupported_media_type: 'err.media_type',
    internal: 'err.internal',
    unauthenticated: 'err.unauthenticated',
    validation_failed: 'err.validation',
    bad_request: 'err.validation',
    storage_full: 'err.storage_full',
    storage_unavailable: 'err.storage_unavailable',
  };
  if (e.code === 'transition_not_allowed') return t('err.transition', { message: transitionReason(e.message) });
  if (byCode[e.code]) return t(byCode[e.code]);
  if (e.status >= 500) return t('err.internal');
  return e.message || t('err.unknown');
}

// The server's storage refused the request (503 storage_full / storage_unavailable, issue #17):
// nothing of it was saved, and only an administrator can help.
export function isStorageError(e) {
  return Boolean(e) && (e.code === 'storage_full' || e.code === 'storage_unavailable');
}

// The sentence the intake form shows when its save met a storage error: it also says that the
// draft is kept, which only the intake form can promise. null for any other error.
export function intakeStorageMessage(e) {
  if (!isStorageError(e)) return null;
  return t(e.code === 'storage_full' ? 'err.intake_storage_full' : 'err.intake_storage_unavailable');
}

// The engine names why a transition was refused; the common reasons get a translation.
function transitionReason(message) {
  const m = String(message || '');
  let r;
  if ((r = /^cannot (\w+) a case that is (\w+)/.exec(m))) return t('err.tr_state', { event: t(`event.${r[1]}`), status: t(`status.${r[2]}`) });
  if ((r = /^cannot \w+ a referral that is (\w+)/.exec(m))) return t('err.tr_referral_state', { status: t(`referral_status.${r[1]}`) });
  if ((r = /^the (\w+) role may not (\w+)/.exec(m))) return t('err.tr_role', { role: t(`role.${r[1]}`), event: t(`event.${r[2]}`) });
  if ((r = /^(\w+) needs: (.+)$/.exec(m))) return t('err.tr_needs', { event: t(`event.${r[1]}`) });
  if ((r = /^(\d+) referral\(s\) are still open/.exec(m))) return t('err.tr_open_referrals', { n: r[1] });
  if (/already extended once/.test(m)) return t('err.tr_extended');
  if (/without the person's consent/.test(m)) return t('err.override_reason');
  if (/closed case cannot be edited/.test(m)) return t('err.tr_closed_edit');
  return m;
}
