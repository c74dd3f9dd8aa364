// The case page's timeline entries (views/case.js): events with their data in words, notes, contacts,
// referrals and mediations, the ones inherited from a transferred case marked.
import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import { categoryPath } from '../reference.js';
import { fmtDateTime, fmtDate, fenToYuan, fmtClock, fmtSize } from '../format.js';
import { contactBadges } from './case-intake-flags.js';
import { dvTimelineData } from './dv-common.js';

const DATA_LABEL_KEYS = ['answer', 'reason', 'referred_to', 'partner_id', 'service', 'consent_given', 'override_reason', 'mediator',
  'scheduled_at', 'place', 'outcome', 'agreement_summary', 'summary', 'losses_avoided_fen', 'losses_recovered_fen', 'target_office_id', 'days', 'category',
  'channel', 'urgency', 'assignee_id', 'narrative', 'partner', 'status', 'decline_reason', 'next_session_at', 'filename', 'size',
  'content_type', 'mode', 'notice_method', 'notice_on_the_spot', 'notice_at', 'notice_document_no', 'replied_at', 'method',
  'opinion', 'basis', 'document_no', 'report_due_days', 'due_at', 'from_case_id', 'to_case_id',
  'office', 'requested_at', 'decision', 'decided_at', 'reply_withdrawn', 'previous_handling_due', 'handling_due',
  'supervising_office_id', 'due_date', 'on_time', 'satisfaction', 'contacted_at', 'source', 'line',
  'attempt_result', 'attempted_at', 'rescheduled_to', 'outcome_kind'];
// Why the server archived a case (the archive event's `reason`); any other event's reason is free text.
const ARCHIVE_REASONS = ['follow_up_done', 'follow_up_refused', 'time_elapsed'];
const HIDDEN_DATA_KEYS = new Set(['referral_id', 'mediation_id', 'attachment_id', 'supervision_id', 'follow_up_id', 'follow_up_attempt_id']);

// A renderer of timeline items for one case page: the reference lists name partners, offices and
// categories; `currentTimeline()` gives the items loaded so far (a partner's own referral names it).
export function timelineRenderer({ partners, offices, categories, currentTimeline }) {
  // Partners do not get the partner list: their own referral item in the timeline names them.
  function partnerName(pid) {
    const p = partners.find((x) => String(x.id) === String(pid))
      || currentTimeline().find((x) => x.kind === 'referral' && String(x.partner_id) === String(pid) && x.partner);
    return p ? (p.name || p.partner) : `#${pid}`;
  }

  function dataValue(k, v) {
    switch (k) {
      case 'partner_id': return partnerName(v);
      case 'service': return label('service', v);
      case 'consent_given':
      case 'on_time':
      case 'notice_on_the_spot': return v === 'true' || v === true ? t('common.yes') : t('common.no');
      case 'notice_method':
      case 'method': return t(`notice_method.${v}`);
      case 'opinion': return t(`opinion.${v}`);
      case 'decision': return label('review_decision', v);
      case 'reason': return ARCHIVE_REASONS.includes(v) ? t(`archive_reason.${v}`) : String(v);
      case 'reply_withdrawn': return v === 'true' || v === true ? t('common.yes') : t('common.no');
      case 'previous_handling_due':
      case 'handling_due':
      case 'requested_at':
      case 'decided_at':
      case 'notice_at':
      case 'due_date':
      case 'replied_at':
      case 'due_at': return fmtDate(v);
      case 'from_case_id':
      case 'to_case_id': return `#${v}`;
      case 'scheduled_at':
      case 'contacted_at':
      case 'next_session_at': return fmtDateTime(v);
      case 'satisfaction': return label('satisfaction', v);
      case 'attempt_result': return label('attempt_result', v);
      case 'attempted_at': return fmtDateTime(v);
      case 'rescheduled_to': return fmtDate(v);
      case 'outcome_kind': return label('referral_result', v);
      case 'source': return label('import_source', v);
      case 'status': return label('referral_status', v);
      case 'losses_avoided_fen':
      case 'losses_recovered_fen': return fenToYuan(v);
      case 'size': return fmtSize(v);
      case 'category': return categoryPath(categories, v);
      case 'channel': return label('channel', v);
      case 'urgency': return label('urgency', v);
      case 'outcome': return label('outcome', v);
      case 'mode': return t(`transfer_mode.${v}`);
      case 'supervising_office_id':
      case 'target_office_id': {
        const o = offices.find((x) => String(x.id) === String(v));
        return o ? o.name : `#${v}`;
      }
      default: return String(v);
    }
  }

  function timelineItem(item) {
    const when = h('time', { class: 'tl-time', datetime: item.at }, fmtDateTime(item.at));
    const who = item.actor ? h('span', { class: 'tl-actor' }, item.actor.display_name) : h('span', { class: 'tl-actor muted' }, t('case.system'));
    let title;
    let body = [];
    switch (item.kind) {
      case 'event': {
        title = [h('span', { class: 'tl-title' }, label('event', item.event)),
          item.from_status && item.from_status !== item.to_status
            ? h('span', { class: 'tl-status' }, label('status', item.from_status), ' → ', label('status', item.to_status))
            : !item.from_status && item.to_status ? h('span', { class: 'tl-status' }, '→ ', label('status', item.to_status)) : null];
        const data = item.data && typeof item.data === 'object' ? item.data : {};
        const entries = Object.entries(data).filter(([k, v]) => v !== '' && v !== null && v !== undefined && !HIDDEN_DATA_KEYS.has(k));
        const dvData = dvTimelineData(item.event, data);
        if (dvData) body.push(h('dl', { class: 'tl-data' }, dvData.map(([k, v]) => h('div', null, h('dt', null, k), h('dd', null, v)))));
        else if (entries.length) body.push(h('dl', { class: 'tl-data' }, entries.map(([k, v]) => h('div', null, h('dt', null, DATA_LABEL_KEYS.includes(k) ? t(`data.${k}`) : k), h('dd', null, dataValue(k, v))))));
        if (item.note) body.push(h('p', { class: 'tl-note' }, item.note));
        break;
      }
      case 'note':
        title = h('span', { class: 'tl-title' }, t('timeline.note'));
        body.push(h('p', { class: 'tl-text' }, item.text));
        break;
      case 'contact':
        title = [h('span', { class: 'tl-title' }, t('timeline.contact'), ' · ', label('channel', item.channel)),
          item.call_type ? h('span', { class: 'tl-status' }, label('call_type', item.call_type)) : null, contactBadges(item)];
        if (Number(item.duration_s) > 0) body.push(h('span', { class: 'muted small' }, t('timeline.duration', { d: fmtClock(Number(item.duration_s)) })));
        if (item.summary) body.push(h('p', { class: 'tl-text' }, item.summary));
        break;
      case 'referral':
        title = [h('span', { class: 'tl-title' }, t('timeline.referral')), h('span', { class: `badge referral-${item.status}` }, label('referral_status', item.status))];
        body.push(h('p', { class: 'tl-text' }, t('timeline.referral_to', { partner: item.partner, service: label('service', item.service) })));
        if (item.outcome_kind) body.push(h('p', { class: 'tl-note tl-result' }, label('referral_result', item.outcome_kind)));
        if (item.outcome) body.push(h('p', { class: 'tl-note' }, item.outcome));
        break;
      case 'mediation':
        title = [h('span', { class: 'tl-title' }, t('timeline.mediation')), item.result ? h('span', { class: 'tl-status' }, label('mediation_result', item.result)) : null];
        body.push(h('p', { class: 'tl-text' }, t('timeline.mediation_detail', { mediator: item.mediator, at: fmtDateTime(item.scheduled_at), place: item.place || '—' })));
        break;
      default:
        title = h('span', { class: 'tl-title' }, item.kind);
    }
    // History this case brought with it from the case it was transferred from.
    const origin = item.from_case ? h('span', { class: 'badge badge-muted tl-origin', title: t('timeline.from_case_hint') }, t('timeline.from_case', { no: item.from_case.case_no })) : null;
    return h('li', { class: ['tl-item', `tl-${item.kind}`, item.from_case ? 'tl-inherited' : null] },
      h('div', { class: 'tl-head' }, h('span', { class: 'tl-dot', 'aria-hidden': 'true' }), title, origin),
      h('div', { class: 'tl-sub' }, when, ' · ', who),
      body);
  }

  return timelineItem;
}
