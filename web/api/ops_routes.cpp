// Operations: /healthz, /metrics (Prometheus text), /api/v1/openapi.json.
#include <atomic>
#include <memory>

#include "web/api/handler_support.hpp"
#include "web/api/ops_routes.hpp"

namespace hl::web {

void add_ops_routes(Router& router, Services& s, std::span<const EmbeddedFile> static_files) {
  router.add("GET", "/healthz", [&s](HttpRequest&, Reply reply) {
    read_then(
        s, std::move(reply),
        [](db::Connection& conn) -> Result<int> {
          auto st = conn.prepare("SELECT 1");
          st.step();
          return static_cast<int>(st.int64(0));
        },
        [](int) { return json_response(200, R"({"status":"ok"})"); });
  });

  // Open cases are counted on a read worker at each scrape (never on an I/O thread) and kept for the gauge.
  auto open_cases = std::make_shared<std::atomic<double>>(0);
  s.metrics.add_gauge_source("hotline_open_cases", "Cases not closed", [open_cases] { return open_cases->load(); });
  s.metrics.add_gauge_source("hotline_writer_queue_depth", "Write commands waiting for the writer",
                             [&s] { return static_cast<double>(s.writer.stats().queue_depth); });
  s.metrics.add_gauge_source("hotline_writer_last_batch_size", "Commands in the writer's last group commit",
                             [&s] { return static_cast<double>(s.writer.stats().last_batch_size); });
  s.metrics.add_gauge_source("hotline_writer_commands_total", "Write commands applied",
                             [&s] { return static_cast<double>(s.writer.stats().commands); });
  s.metrics.add_gauge_source("hotline_writer_batches_total", "Group commits",
                             [&s] { return static_cast<double>(s.writer.stats().batches); });
  s.metrics.add_gauge_source("hotline_read_queue_depth", "Reads waiting for a worker",
                             [&s] { return static_cast<double>(s.reads.queue_depth()); });
  s.metrics.add_gauge_source("hotline_sessions", "Live login sessions", [&s] { return static_cast<double>(s.sessions.size()); });
  router.add("GET", "/metrics", [&s, open_cases](HttpRequest&, Reply reply) {
    read_then(
        s, std::move(reply),
        [](db::Connection& conn) -> Result<double> {
          auto st = conn.prepare("SELECT count(*) FROM cases WHERE status <> 'closed'");
          st.step();
          return static_cast<double>(st.int64(0));
        },
        [&s, open_cases](double n) {
          open_cases->store(n);
          HttpResponse r{200, "text/plain; version=0.0.4; charset=utf-8", s.metrics.render(), {}};
          return r;
        });
  });

  std::string_view spec;
  for (const auto& f : static_files)
    if (f.path == "openapi.json") spec = f.data;
  router.add("GET", "/api/v1/openapi.json", [spec](HttpRequest&, Reply reply) {
    reply(spec.empty() ? error_response({Errc::not_found, "no OpenAPI description embedded", {}})
                       : json_response(200, std::string(spec)));
  });
}

}  // namespace hl::web
