#pragma once
// Live change notifications (GET /api/v1/events): every committed write about a case or contact is
// published once, and each subscriber's stream receives only the changes in its owner's scope —
// staff: their office subtree; partner users: cases with a live referral to their organisation;
// administrators: nothing. Messages carry ids and kinds only, never case content: the page fetches
// what it needs through the scoped, audited API. The one exception is deliver_to_user: a call ringing
// at one operator's seat carries the caller's number to her alone (web/api/telephony_routes.cpp).
//
// A stream lives no longer than the session that opened it: each delivery first asks the
// subscriber's `still_live` (the session store, without touching the idle timer), and a stream
// whose session ended (logout, expiry, a disabled or changed account) is closed instead of
// written; every other stream is checked the same way at most every kSweepEvery, on a publish.
// Event ids count each stream's own deliveries from 1, so they say nothing about how much happens
// elsewhere (a global counter told every subscriber the volume of all offices).
//
// Shared between threads: publish/subscribe/unsubscribe/close_user lock mutex_. publish() sends
// (queues) under the lock, so that each stream's ids arrive in order; EventStream::send never calls
// out under its own lock, and `still_live` takes the session store's lock inside mutex_ (the store
// never calls the hub, so the order hub → store is the only one).
#include <chrono>
#include <cstdint>
#include <functional>
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
  static constexpr std::chrono::seconds kSweepEvery{30};

  // `still_live` answers whether the subscriber's session is still live; it is called with the
  // hub's lock held and must not call back into the hub.
  std::uint64_t subscribe(const casework::Actor& actor, std::shared_ptr<EventStream> stream,
                          std::function<bool()> still_live);
  void unsubscribe(std::uint64_t id);
  void publish(const Change& change);
  // Sends `data` as an SSE event named `event` to the live streams of one user only (a call ringing
  // at her desk: TelephonyService), after the same session check as publish; returns how many
  // streams it was sent to (0: she has no desk open).
  std::size_t deliver_to_user(std::int64_t user_id, const std::string& event, const std::string& data);
  // Ends the streams of a user who logged out or was disabled.
  void close_user(std::int64_t user_id);
  std::size_t size() const;

  static bool in_scope(const casework::Actor& actor, const Change& change);

 private:
  struct Subscriber {
    casework::Actor actor;
    std::shared_ptr<EventStream> stream;
    std::function<bool()> still_live;
    std::uint64_t sent = 0;  // this stream's event ids: 1, 2, 3, …
  };
  mutable std::mutex mutex_;
  std::map<std::uint64_t, Subscriber> subscribers_;
  std::uint64_t next_id_ = 1;
  std::chrono::steady_clock::time_point next_sweep_{};
};

}  // namespace hl::web
