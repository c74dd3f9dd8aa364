#pragma once
// Internal to the server: what connects a handler's answer to its connection. A Reply (or a
// StreamStart) may be answered from any thread, once; these objects post the answer to the
// connection's strand, answer 500 for a handler that dropped its Reply unanswered, and finish an
// accepted stream whose connection is gone, so that its on_close callbacks always run.
//
// Shared between threads: ReplyState's "answered" flag is atomic; everything else is set at
// construction; posting to a connection goes through the server's ReplyGate.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include "web/http/event_stream.hpp"
#include "web/http/reply_gate.hpp"
#include "web/http/response.hpp"

namespace hl::web {

class HttpSession;

namespace detail {

// After a final response, how long unread input is drained so that closing does not reset the
// connection before the client has read the response (e.g. a 413 while it is still uploading).
inline constexpr std::chrono::seconds kLingerTime{2};

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The single owner of "answered exactly once" for one request; every copy of the Reply shares it.
class ReplyState {
 public:
  ReplyState(std::weak_ptr<HttpSession> session, std::uint64_t id, std::shared_ptr<ReplyGate> gate)
      : session_(std::move(session)), id_(id), gate_(std::move(gate)) {}
  ReplyState(const ReplyState&) = delete;
  ReplyState& operator=(const ReplyState&) = delete;
  // Answers 500 when nobody answered.
  ~ReplyState();

  bool sent() const { return sent_.load(); }
  // Marks the request answered; false when it was answered before.
  bool claim() { return !sent_.exchange(true); }
  // Posts the response to the connection; false, doing nothing, when it was answered before.
  bool send(HttpResponse response);

 private:
  std::weak_ptr<HttpSession> session_;  // weak: a Reply held past the connection must not pin it
  std::uint64_t id_;
  std::shared_ptr<ReplyGate> gate_;
  std::atomic<bool> sent_{false};
};

// The server's StreamStart: shares "answered exactly once" (and the 500 when dropped) with the
// ReplyState of the request.
class StreamTarget final : public StreamStart::Target {
 public:
  StreamTarget(std::shared_ptr<ReplyState> reply, std::weak_ptr<HttpSession> session, std::uint64_t id,
               std::shared_ptr<ReplyGate> gate, EventStream::Limits limits)
      : reply_(std::move(reply)), session_(std::move(session)), id_(id), gate_(std::move(gate)), limits_(limits) {}

  void reject(HttpResponse response) override;
  std::shared_ptr<EventStream> accept() override;

 private:
  std::shared_ptr<ReplyState> reply_;
  std::weak_ptr<HttpSession> session_;
  std::uint64_t id_;
  std::shared_ptr<ReplyGate> gate_;
  EventStream::Limits limits_;
};

}  // namespace detail
}  // namespace hl::web
