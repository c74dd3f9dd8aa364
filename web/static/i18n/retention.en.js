// English: legal hold and anonymisation (case retention). Keys match retention.zh-CN.js one to one.
export default {
  'hold.button': 'Place a legal hold',
  'hold.dialog_title': 'Place a legal hold',
  'hold.help': 'While case {no} is on legal hold, it is not anonymised at the end of its retention period.',
  'hold.reason': 'Reason',
  'hold.reason_hint': 'E.g. a lawsuit in progress, records requested by the police.',
  'hold.submit': 'Place the hold',
  'hold.held': 'On legal hold',
  'hold.held_detail': 'Reason: {reason} (placed {at}). Not anonymised while held.',
  'hold.release': 'Release the hold',
  'hold.release_confirm': 'Release the legal hold on case {no}? Once released, a case past its retention period is anonymised.',
  'hold.released': 'Legal hold released',
  'hold.set': 'Legal hold placed',
  'hold.anonymised': 'The personal data of this case were anonymised on {at} at the end of the retention period; the statistics keep their counts.',
};
