#pragma once
// Calls reported by a seat's call-centre system (issue #15 point 9): a call rings at an agent, the
// server records it and pops the intake on that operator's desk; later the call ends and its
// duration is known; the contact the operator records for it is linked to it.
//
// The caller's number is kept like a person's phone (PersonIdentity: encrypted + keyed fingerprint),
// never in plaintext. A call is identified by its system and the system's own call id (call_ref):
// reporting the same call again finds the same row and changes nothing, so a retry never pops twice.
//
// Stateless; every function runs on the caller's connection (the writer's, inside its savepoint).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/person_identity.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct RingingCall {
  std::string system;        // the configured telephony system's name
  std::string call_ref;      // the system's call id: 1 to 100 printable ASCII characters
  std::string caller_number; // as the system sent it; must normalise as a phone number
  std::string agent_id;      // the agent's 工号 (users.agent_id)
  std::string seat_id;       // the seat (recorded, for the record)
  std::optional<TimeMs> rang_at;  // default: now
  // The offices (ids) whose operators this system may reach, with their subtrees; empty: any.
  std::vector<std::int64_t> allowed_offices;
};

struct CallRecord {
  std::int64_t id = 0;
  std::string call_ref;
  std::optional<std::int64_t> user_id;  // the operator it was popped to
  std::string caller_number;            // decrypted, for the operator's desk only
  TimeMs rang_at = 0;
  std::optional<TimeMs> ended_at;
  std::optional<std::int64_t> duration_s;
  bool repeated = false;  // already recorded before this report (a retry): nothing new happened
};

class CallLog {
 public:
  // Records a ringing call and finds its operator: the enabled operator or supervisor whose
  // agent_id matches, in an allowed office (else user_id stays empty: the call is still recorded).
  // invalid_input naming the field (call_id, caller_number, agent_id, seat_id).
  static Result<CallRecord> ring(db::Connection& conn, const PersonIdentity& identity, const RingingCall& call, TimeMs now);
  // Marks the call ended: duration_s as given, else ended_at − rang_at. not_found for an unknown
  // call of this system; invalid_input for a negative duration or an end before the ring. A call
  // already ended is answered as it stands (repeated).
  static Result<CallRecord> end(db::Connection& conn, const PersonIdentity& identity, const std::string& system,
                                const std::string& call_ref, std::optional<TimeMs> ended_at,
                                std::optional<std::int64_t> duration_s, TimeMs now);
  // Links a contact to the call (calls.id) the operator's intake was opened for: only a call
  // popped to this user and not yet linked. invalid_input naming call_id otherwise.
  // Whether link_contact would succeed (checked before the intake writes anything).
  static bool can_link(db::Connection& conn, std::int64_t call_id, std::int64_t user_id);
  static Status link_contact(db::Connection& conn, std::int64_t call_id, std::int64_t user_id, std::int64_t contact_id);
};

}  // namespace hl::casework
