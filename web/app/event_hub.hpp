#pragma once
// Live change notifications (GET /api/v1/events): every committed write about a case or contact is
// published once, and each subscriber's stream receives only the changes in its owner's scope —
// staff: their office subtree; partner users: cases with a live referral to their organisation;
// administrators: nothing. Messages carry ids and kinds only, never case content: the page fetches
// what it needs through the scoped, audited API.
//
// Shared between threads: publish/subscribe/unsubscribe/close_user lock mutex_; streams are
// written outside the lock (EventStream is thread-safe).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "web/http/event_stream.hpp"

namespace hl::web {

struct Change {
  std::string kind;                      // the audit action, e.g. "case.transition", "case.create"
  std::int64_t case_id = 0;              // 0 for a contact without a case
  std::int64_t contact_id = 0;
  std::string office_path;               // where it happened
  std::vector<std::int64_t> partner_ids; // organisations with a live referral to the case
  std::string at;                        // ISO 8601
};

class EventHub {
 public:
  std::uint64_t subscribe(const casework::Actor& actor, std::shared_ptr<EventStream> stream);
  void unsubscribe(std::uint64_t id);
  void publish(const Change& change);
  // Ends the streams of a user who logged out or was disabled.
  void close_user(std::int64_t user_id);
  std::size_t size() const;

  static bool in_scope(const casework::Actor& actor, const Change& change);

 private:
  struct Subscriber {
    casework::Actor actor;
    std::shared_ptr<EventStream> stream;
  };
  mutable std::mutex mutex_;
  std::map<std::uint64_t, Subscriber> subscribers_;
  std::uint64_t next_id_ = 1;
  std::uint64_t sequence_ = 0;
};

}  // namespace hl::web
