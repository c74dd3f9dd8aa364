#include "web/app/event_hub.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace hl::web {

bool EventHub::in_scope(const casework::Actor& actor, const Change& change) {
  using casework::Role;
  if (actor.role == Role::partner)
    return actor.partner_id && std::find(change.partner_ids.begin(), change.partner_ids.end(), *actor.partner_id) !=
                                   change.partner_ids.end();
  if (actor.is_staff()) return !actor.office_path.empty() && change.office_path.starts_with(actor.office_path);
  return false;
}

std::uint64_t EventHub::subscribe(const casework::Actor& actor, std::shared_ptr<EventStream> stream,
                                  std::function<bool()> still_live) {
  std::lock_guard lock(mutex_);
  const auto id = next_id_++;
  subscribers_[id] = {actor, std::move(stream), std::move(still_live), 0};
  return id;
}

void EventHub::unsubscribe(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  subscribers_.erase(id);
}

void EventHub::publish(const Change& change) {
  nlohmann::json body = {{"kind", change.kind}, {"at", change.at}};
  if (change.case_id > 0) body["case_id"] = change.case_id;
  if (change.contact_id > 0) body["contact_id"] = change.contact_id;
  const std::string data = body.dump();
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  const bool sweep = now >= next_sweep_;
  if (sweep) next_sweep_ = now + kSweepEvery;
  for (auto& [_, sub] : subscribers_) {
    const bool wanted = in_scope(sub.actor, change);
    if (!wanted && !sweep) continue;
    if (sub.still_live && !sub.still_live()) {
      sub.stream->close();  // its on_close unsubscribes, later, on the connection's thread
      continue;
    }
    if (wanted) sub.stream->send("change", data, std::to_string(++sub.sent));  // false = closing
  }
}

std::size_t EventHub::deliver_to_user(std::int64_t user_id, const std::string& event, const std::string& data) {
  std::size_t delivered = 0;
  std::lock_guard lock(mutex_);
  for (auto& [_, sub] : subscribers_) {
    if (sub.actor.user_id != user_id) continue;
    if (sub.still_live && !sub.still_live()) {
      sub.stream->close();
      continue;
    }
    if (sub.stream->send(event, data, std::to_string(++sub.sent))) ++delivered;
  }
  return delivered;
}

void EventHub::close_user(std::int64_t user_id) {
  std::vector<std::shared_ptr<EventStream>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [_, sub] : subscribers_)
      if (sub.actor.user_id == user_id) targets.push_back(sub.stream);
  }
  for (const auto& stream : targets) stream->close();
}

std::size_t EventHub::size() const {
  std::lock_guard lock(mutex_);
  return subscribers_.size();
}

}  // namespace hl::web
