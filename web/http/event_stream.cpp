#include "web/http/event_stream.hpp"

#include <exception>
#include <iostream>
#include <stdexcept>
#include <utility>

namespace hl::web {

namespace {

// Appends `field: value\n`, dropping the characters that would end the field early.
void append_field(std::string& out, std::string_view field, std::string_view value) {
  out += field;
  out += ": ";
  for (char c : value)
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  out += '\n';
}

void run_callback(const std::function<void()>& callback) {
  try {
    callback();
  } catch (const std::exception& e) {
    std::cerr << std::string("an event stream's on_close callback threw: ") + e.what() + "\n";
  } catch (...) {
    std::cerr << "an event stream's on_close callback threw a non-exception\n";
  }
}

}  // namespace

EventStream::EventStream(Limits limits, std::function<void()> wake)
    : limits_(limits), wake_(std::move(wake)) {}

EventStream::~EventStream() = default;

std::string EventStream::format(std::string_view event, std::string_view data,
                                std::optional<std::string_view> id) {
  std::string out;
  out.reserve(data.size() + event.size() + 32);
  if (!event.empty()) append_field(out, "event", event);
  if (id) append_field(out, "id", *id);
  // Every line terminator the SSE parser knows ends a data line: CRLF, CR, LF.
  for (;;) {
    auto end = data.find_first_of("\r\n");
    out += "data: ";
    out += data.substr(0, end);
    out += '\n';
    if (end == std::string_view::npos) break;
    std::size_t skip = (data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n') ? 2 : 1;
    data.remove_prefix(end + skip);
  }
  out += '\n';
  return out;
}

bool EventStream::send(std::string_view event, std::string_view data, std::optional<std::string_view> id) {
  std::string message = format(event, data, id);  // outside the lock
  std::function<void()> wake;
  bool accepted = false;
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::open) return false;
    if (queued_messages_ + 1 > limits_.max_messages || queue_.size() + message.size() > limits_.max_bytes) {
      state_ = State::overflowed;
      std::string().swap(queue_);  // give the memory back now
      queued_messages_ = 0;
      // Always woken: the connection may be stuck in a write, with an earlier wake set aside.
      wake = wake_;
      wake_pending_ = true;
    } else {
      queue_ += message;
      ++queued_messages_;
      accepted = true;
      if (!wake_pending_ && wake_) {
        wake_pending_ = true;
        wake = wake_;
      }
    }
  }
  if (wake) wake();
  return accepted;
}

void EventStream::close() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::open) return;
    state_ = State::closing;
    wake = wake_;  // always: see send()
    wake_pending_ = true;
  }
  if (wake) wake();
}

bool EventStream::closed() const {
  std::lock_guard lock(mutex_);
  return state_ != State::open;
}

void EventStream::on_close(std::function<void()> callback) {
  if (!callback) return;
  {
    std::lock_guard lock(mutex_);
    if (state_ != State::finished) {
      on_close_.push_back(std::move(callback));
      return;
    }
  }
  run_callback(callback);
}

EventStream::State EventStream::state() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::size_t EventStream::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

EventStream::Taken EventStream::take() {
  std::lock_guard lock(mutex_);
  Taken taken;
  taken.bytes.swap(queue_);
  taken.state = state_;
  queued_messages_ = 0;
  wake_pending_ = false;
  return taken;
}

void EventStream::finish() {
  std::vector<std::function<void()>> callbacks;
  std::function<void()> wake;  // released outside the lock: it may hold the last session reference
  {
    std::lock_guard lock(mutex_);
    if (state_ == State::finished) return;
    state_ = State::finished;
    std::string().swap(queue_);
    queued_messages_ = 0;
    callbacks.swap(on_close_);
    wake.swap(wake_);
  }
  for (const auto& callback : callbacks) run_callback(callback);
}

StreamStart::StreamStart(std::shared_ptr<Target> target) : target_(std::move(target)) {
  if (!target_) throw std::invalid_argument("StreamStart needs a target");
}

void StreamStart::reject(HttpResponse response) const { target_->reject(std::move(response)); }

std::shared_ptr<EventStream> StreamStart::accept() const { return target_->accept(); }

}  // namespace hl::web
