#include "web/http/reply_plumbing.hpp"

#include <boost/asio/post.hpp>
#include <iostream>

#include "web/http/http_session.hpp"

namespace hl::web::detail {
namespace {

namespace net = boost::asio;

// Carries an accepted stream to the session's strand; if the posted handler is destroyed without
// running (the server stopped first), the stream is finished so that its on_close still runs.
class StreamHandoff {
 public:
  explicit StreamHandoff(std::shared_ptr<EventStream> stream) : stream_(std::move(stream)) {}
  StreamHandoff(StreamHandoff&&) noexcept = default;
  StreamHandoff& operator=(StreamHandoff&&) = delete;
  ~StreamHandoff() {
    if (stream_) stream_->finish();
  }
  std::shared_ptr<EventStream> release() { return std::move(stream_); }

 private:
  std::shared_ptr<EventStream> stream_;
};

}  // namespace

ReplyState::~ReplyState() {
  if (!sent_.load()) send(error_response(hl::Error{hl::Errc::internal, "a handler dropped its Reply unanswered", {}}));
}

bool ReplyState::send(HttpResponse response) {
  if (!claim()) return false;
  gate_->run_if_open([&] {
    if (auto session = session_.lock()) {
      auto executor = session->executor();
      net::post(executor, [session = std::move(session), id = id_, response = std::move(response)]() mutable {
        session->deliver(id, std::move(response));
      });
    }
  });
  return true;
}

void StreamTarget::reject(HttpResponse response) {
  if (!reply_->send(std::move(response))) std::cerr << "a StreamStart was answered more than once; ignored\n";
}

std::shared_ptr<EventStream> StreamTarget::accept() {
  auto stream = std::make_shared<EventStream>(limits_, [session = session_, gate = gate_] {
    gate->run_if_open([&] {
      if (auto s = session.lock()) {
        auto executor = s->executor();
        net::post(executor, [s = std::move(s)] { s->on_stream_wake(); });
      }
    });
  });
  if (!reply_->claim()) {
    std::cerr << "a StreamStart was answered more than once; ignored\n";
    stream->finish();
    return stream;
  }
  bool posted = false;
  gate_->run_if_open([&] {
    if (auto session = session_.lock()) {
      posted = true;
      auto executor = session->executor();
      net::post(executor, [session = std::move(session), id = id_, handoff = StreamHandoff(stream)]() mutable {
        session->deliver_stream(id, handoff.release());
      });
    }
  });
  if (!posted) stream->finish();  // the connection or the server is gone
  return stream;
}

}  // namespace hl::web::detail
