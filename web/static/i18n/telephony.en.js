// Screen-pop from the call-centre (telephony.js): the banner shown instead of opening the intake
// over an unsaved draft, and the field messages of the call-centre's reports and of an operator's
// agent id (errors.js).
export default {
  'call.ringing': 'Incoming call {phone}',
  'call.open_intake': 'Record this call',
  'call.dismiss': 'Dismiss',
  'err.printable_id': 'Printable characters only, within the length allowed, without spaces or "/".',
  'err.agent_or_seat': 'An agent id or a seat id is required.',
  'err.call_end_before_ring': 'The end is before the call rang.',
  'err.call_not_yours': 'This call did not ring at your desk, or it is already recorded.',
};
