// GET /api/v1/events: Server-Sent Events of the changes in the caller's scope (see EventHub).
#include "web/api/handler_support.hpp"
#include "web/api/routes.hpp"
#include "web/http/event_stream.hpp"

namespace hl::web {

void add_event_routes(Router& router, Services& s) {
  router.add_stream("/api/v1/events", [&s](HttpRequest& request, StreamStart start) {
    // authed() answers 401/403 through the Reply, which here rejects the stream; on success the
    // stream is accepted and subscribed until the client leaves, logs out or the server stops.
    authed(s, Access::staff_or_partner, [&s, start](HttpRequest& r, Reply, const Session& session) {
      auto stream = start.accept();
      // Each delivery re-checks the session (EventHub): the stream ends with it.
      const auto id = s.events.subscribe(session.actor, stream,
                                         [&s, token = cookie_value(r, "hl_session")] { return s.sessions.live(token); });
      stream->on_close([&s, id] { s.events.unsubscribe(id); });
      stream->send("hello", R"({"kind":"subscribed"})");
    })(request, [start](HttpResponse response) { start.reject(std::move(response)); });
  });
}

}  // namespace hl::web
