// The 信访 procedure on the case page (staff): the notices to the person (告知) with their limit, the
// reply (答复) once made, the extension, and where a 转送 / 交办 stands (the completion report's
// state). Read from the case's `notices`, `reply`, `extension`, `sent`, `received` (web/API.md).
import { h } from '../dom.js';
import { t, label } from '../i18n.js';
import { fmtDate } from '../format.js';

function onTime(ok) {
  return h('span', { class: ['badge', ok ? 'badge-ok' : 'badge-danger'] }, ok ? t('proc.on_time') : t('proc.late'));
}

function noticeItem(n) {
  return h('li', { class: 'proc-notice', dataset: { kind: n.kind, decision: n.decision || '' } },
    h('strong', null, t('proc.notice_of', { decision: t(`event.${n.decision || 'extend_handling'}`) })), ' · ',
    label('notice_method', n.method), ' · ', n.on_the_spot ? t('proc.on_the_spot') : fmtDate(n.told_at),
    n.document_no ? ` · ${t('proc.doc_no', { no: n.document_no })}` : '',
    n.due_at ? [' · ', t('proc.due', { date: fmtDate(n.due_at) }), ' ', onTime(n.on_time)] : null);
}

function replyBlock(r, c) {
  if (!r) {
    const handling = ['in_progress', 'referred', 'mediation', 'pending_closure'].includes(c.status);
    return handling ? h('p', { class: 'muted proc-no-reply' }, t('proc.no_reply')) : null;
  }
  return h('div', { class: 'proc-reply', id: 'case-reply' },
    h('p', null, h('strong', null, t('proc.reply')), ' · ', fmtDate(r.replied_at), ' · ', label('notice_method', r.method), ' · ',
      h('span', { class: `badge opinion-${r.opinion}` }, label('opinion', r.opinion)),
      r.document_no ? ` · ${t('proc.doc_no', { no: r.document_no })}` : '',
      r.due_at ? [' · ', t('proc.due', { date: fmtDate(r.due_at) }), ' ', onTime(r.on_time)] : null),
    h('p', { class: 'proc-basis' }, r.basis));
}

function transferBlock(c) {
  const out = [];
  const s = c.sent;
  if (s) {
    out.push(h('p', { class: 'proc-sent' }, s.mode === 'delegate' ? t('proc.sent_delegate', { date: fmtDate(s.report_due) }) : t('proc.sent_forward'),
      s.report_state ? [' · ', t('proc.report_state', { state: label('report_state', s.report_state) })] : null));
    if (s.returns) out.push(h('p', { class: 'muted' }, t('proc.returns', { n: s.returns, reason: s.last_return_reason || '' })));
  }
  const r = c.received;
  if (r) {
    out.push(h('p', { class: 'proc-received' }, r.mode === 'delegate' ? t('proc.received_delegate', { date: fmtDate(r.report_due) }) : t('proc.received_forward'),
      ' · ', t('proc.first_received', { date: fmtDate(r.first_received_at) }),
      r.report_state ? [' · ', t('proc.report_state', { state: label('report_state', r.report_state) })] : null));
    if (r.returns) out.push(h('p', { class: 'alert alert-warn' }, t('proc.returns', { n: r.returns, reason: r.last_return_reason || '' })));
  }
  return out;
}

// The panel, or null when nothing of the procedure is recorded yet (or for a partner's view).
export function procedurePanel(c) {
  if (!c || !Array.isArray(c.notices)) return null;
  const parts = [
    c.notices.length ? h('ul', { class: 'proc-notices', 'aria-label': t('proc.notices') }, c.notices.map(noticeItem)) : null,
    replyBlock(c.reply, c),
    c.extension ? h('p', { class: 'proc-extension' }, h('strong', null, t('proc.extension')), ' · ',
      t('proc.extension_text', { days: c.extension.days, date: fmtDate(c.extension.new_due), who: c.extension.approved_by ? c.extension.approved_by.display_name : '—' }),
      ' · ', c.extension.reason) : null,
    ...transferBlock(c),
  ].filter(Boolean);
  if (!parts.length) return null;
  return h('section', { class: 'case-procedure', id: 'case-procedure', 'aria-labelledby': 'case-procedure-title' },
    h('h2', { class: 'card-title', id: 'case-procedure-title' }, t('proc.title')), parts);
}
