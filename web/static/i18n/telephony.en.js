// Screen-pop from the call-centre (telephony.js): the banner shown instead of opening the intake
// over an unsaved draft.
export default {
  'call.ringing': 'Incoming call {phone}',
  'call.open_intake': 'Record this call',
  'call.dismiss': 'Dismiss',
};
