// The server explains bad fields in English (`fields` of the error envelope); the desk shows them in
// the user's language. Known messages map to catalogue keys; anything else keeps the server's text.
import { t } from './i18n.js';

const PATTERNS = [
  // Passwords (casework/password_policy.hpp) and attachment names (issue #16).
  [/^at least 12 characters/, 'err.pw_short'],
  [/^must not be one character repeated/, 'err.pw_repeated'],
  [/^must not contain the username/, 'err.pw_username'],
  [/^too common/, 'err.pw_common'],
  [/^used recently: choose one not among your last 5/, 'err.pw_reused'],
  [/^wrong password$/, 'err.pw_wrong_current'],
  [/^wrong code$/, 'tfa.wrong_code'],
  [/^wrong password or code$/, 'tfa.wrong_password_or_code'],
  [/invisible format characters/, 'err.invisible'],
  [/^required$/, 'err.required'],
  [/^choose an outcome of this service/, 'err.outcome_kind'],
  [/^this service takes no structured outcome/, 'err.outcome_none'],
  [/^not for this outcome$/, 'err.not_for_outcome'],
  [/^this partner cannot record this outcome$/, 'err.outcome_partner'],
  [/^only when completing$/, 'err.only_completing'],
  [/^only when rescheduled$/, 'err.only_rescheduled'],
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
  // Which check of the ID number failed (casework/person_numbers.cpp); the bare words from older servers last.
  [/not a valid resident ID number: it has 18 characters/, 'err.id_length'],
  [/not a valid resident ID number: only digits/, 'err.id_chars'],
  [/not a valid resident ID number: its region code/, 'err.id_region'],
  [/not a valid resident ID number: its birth date is not a real date/, 'err.id_birth_date'],
  [/not a valid resident ID number: its check character/, 'err.id_check'],
  [/not a valid resident ID/, 'err.id_number'],
  [/birth date is in the future/, 'err.id_birth_future'],
  [/must be female, male, other or unknown/, 'err.gender'],
  [/between 0 and 130/, 'err.age'],
  [/six-digit administrative division code/, 'err.region_code'],
  [/not a known administrative division/, 'err.region_place'],
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
  // The rest of the server's field messages (casework/, intake/, web/api/): tests/desk/server-messages
  // fails when one has no translation here (or in views/dv-common.js for the DV services).
  [/^must not contain a path/, 'err.file_path'],
  [/^the file is empty/, 'err.file_empty'],
  [/^allowed: PDF/, 'err.file_type'],
  [/^the file's contents are not/, 'err.file_content'],
  [/^an assignee or none, not both/, 'err.assignee_or_none'],
  [/^malformed cursor/, 'err.cursor'],
  [/^search needs at least two characters/, 'err.search_short'],
  [/^(?:between )?(\d+) (?:to|and) (\d+)$/, 'err.range', (m) => ({ min: m[1], max: m[2] })],
  [/^(\d+) to (\d+) bytes/, 'err.required_too_long', (m) => ({ n: Math.floor(Number(m[2]) / 3) })],
  [/^not a filter for partner users/, 'err.partner_filter'],
  [/^(?:must not be|cannot be|not) in the future/, 'err.future'],
  [/^a future time is required/, 'err.future_required'],
  [/^must not be before the day of the answer/, 'err.before_answer'],
  [/^after the window: it had to be asked by (\S+)/, 'err.review_window', (m) => ({ date: m[1] })],
  [/^must not be before the request/, 'err.before_request'],
  [/^must not be before the day of the ruling/, 'err.before_ruling_day'],
  [/^not before the day the matter was received/, 'err.before_received'],
  [/^must not be before /, 'err.too_early'],
  [/^no such active staff member/, 'err.assignee'],
  [/^answer at least one item/, 'err.answer_one'],
  [/^a withdrawn application has no ruling/, 'err.withdrawn_no_ruling'],
  [/^only a granted order expires/, 'err.only_granted_expires'],
  [/^an order lasts at most 6 months: its last day at the latest (\S+)/, 'err.po_six_months', (m) => ({ date: m[1] })],
  [/^only together with a change of status/, 'err.with_status'],
  [/^only a granted order can be violated/, 'err.violation_granted'],
  [/^listed twice/, 'err.listed_twice'],
  [/^give a phone or an ID number/, 'err.phone_or_id'],
  [/^not a valid ID number/, 'err.id_number'],
  [/^not an active mediation committee/, 'err.mediation_committee'],
  [/^required for an agreement/, 'err.required_agreement'],
  [/^must be below the parent office's level/, 'err.office_level'],
  [/^a township or village office belongs/, 'err.office_parent'],
  [/^already used by another office/, 'err.code_taken'],
  [/^six-digit region codes/, 'err.region_code'],
  [/^2-64 letters, digits/, 'err.username'],
  [/^staff need an (?:existing )?office/, 'err.staff_office'],
  [/^partner users need an existing partner/, 'err.partner_org'],
  [/^(?:true or false|1 or 0)$/, 'err.boolean'],
  [/^required unless told on the spot/, 'err.notice_required'],
  [/^required for a written (?:notice|reply)/, 'err.document_no_required'],
  [/^column "|^unknown field "/, 'err.ledger_column'],
  [/^the header has no /, 'err.ledger_header'],
  [/^must be an array of strings|^a JSON object of column header|^each field is a string/, 'err.type'],
  [/^a positive number/, 'err.positive_int'],
  [/^required: \d{4}-10, /, 'err.period'],
  [/^required, as YYYY-MM/, 'err.month'],
  // Telephony (casework/call_log.hpp, users' agent_id): the call-centre's reports, an operator's 工号.
  [/^(?:1 to \d+|up to \d+) printable characters/, 'err.printable_id'],
  [/^agent_id or seat_id is required/, 'err.agent_or_seat'],
  [/^before the call rang/, 'err.call_end_before_ring'],
  [/^not a call rung at your desk/, 'err.call_not_yours'],
  // A choice outside the list: "one of …", "unknown …", "victim or federation", "upheld, revoked or varied".
  [/^one of |^unknown |^[a-z_]+(?:, [a-z_]+)*,? or [a-z_]+$/, 'err.one_of'],
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
    password_expired: 'err.password_expired',
    second_factor_required: 'tfa.asked',
    second_factor_enrolment_required: 'tfa.forced',
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

// Why the services refused a step (422 transition_not_allowed), beyond the engine's own reasons below.
const TRANSITIONS = [
  [/^the case is archived/, 'err.tr_archived'],
  [/^the (?:review|re-review).* is already answered/, 'err.tr_review_answered'],
  [/^a case cannot be sent to its own office/, 'err.tr_own_office'],
  [/^no such active office/, 'err.office'],
  [/^the receiving office's case has no reply to accept/, 'err.tr_no_reply_to_accept'],
  [/^refer needs an active partner/, 'err.partner'],
  [/^a closed or forwarded case is not supervised/, 'err.tr_not_supervised'],
  [/^the shelter stay has already ended/, 'err.tr_stay_ended'],
  [/^复议 is asked of a ruling/, 'err.tr_rc_ruling'],
  [/^no 复议 of this ruling was asked/, 'err.tr_rc_none'],
  [/^the order is already (\w+)/, 'err.tr_order_state', (r) => ({ status: t(`dv_po_status.${r[1]}`) })],
  [/^only a granted order can be extended/, 'err.tr_extend_granted'],
  [/^the order's last day was (\S+?);/, 'err.tr_order_expired', (r) => ({ date: r[1] })],
  [/^the case was forwarded/, 'err.tr_forwarded'],
  [/^the case is closed; reopen it first/, 'err.tr_closed'],
  [/^only a closed case is followed up/, 'err.tr_followup_closed'],
  [/^only office staff schedule mediation/, 'err.tr_mediation_staff'],
  [/^this session already has a result/, 'err.tr_session_result'],
  [/^the case is not in mediation/, 'err.tr_not_mediation'],
  [/^a later session of this case is still open/, 'err.tr_later_session'],
  [/^only the partner organisation may/, 'err.tr_referral_partner'],
  [/^only the referring office may/, 'err.tr_referral_office'],
  [/^\w+ needs \w+$/, 'err.tr_referral_needs'],
  [/^the notice to the person is incomplete/, 'err.tr_notice'],
  [/^the reply is incomplete/, 'err.tr_reply'],
  [/^record the reply to the person/, 'err.tr_reply_first'],
  [/^an extension is at most (\d+)/, 'err.tr_extension_max', (r) => ({ n: r[1] })],
  [/^a report is due within (\d+)/, 'err.tr_report_due_max', (r) => ({ n: r[1] })],
  [/^no 交办 awaits a completion report/, 'err.tr_no_delegation'],
  [/^the case has no reply to report/, 'err.tr_no_reply_report'],
  [/^no completion report/, 'err.tr_no_report'],
  [/^the re-review \(复核\) is answered/, 'err.tr_final'],
  [/^the re-review \(复核\) is not answered/, 'err.tr_rereview_pending'],
  [/^the review \(复查\) is not answered/, 'err.tr_review_pending'],
  [/^a review \(复查\) is asked about the office's reply/, 'err.tr_review_needs_reply'],
  [/^there is no office above/, 'err.tr_no_office_above'],
  [/^'\w+' is not a transition of an existing case/, 'err.tr_not_a_transition'],
];

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
  if (/closed (?:or forwarded )?case cannot be edited/.test(m)) return t('err.tr_closed_edit');
  for (const [re, key, params] of TRANSITIONS) {
    if ((r = re.exec(m))) return t(key, params ? params(r) : undefined);
  }
  return m;
}
