// Operations: /healthz, /metrics (Prometheus text), /api/v1/openapi.json.
#include <atomic>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/crypto/random.hpp"
#include "core/crypto/sha256.hpp"
#include "core/db/storage_checks.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/ops_routes.hpp"

namespace hl::web {

namespace {

nlohmann::json instant_or_null(const std::optional<TimeMs>& t) {
  return t ? nlohmann::json(format_iso8601(*t)) : nlohmann::json(nullptr);
}

// null when no backups are scheduled (backup_dir unset).
nlohmann::json backup_json(const db::BackupStatus& b) {
  if (!b.scheduled) return nullptr;
  return {{"every_minutes", b.every_ms / 60'000},
          {"last_ok_at", instant_or_null(b.last_ok_at)},
          {"last_file", b.last_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.last_file)},
          {"last_error_at", instant_or_null(b.last_error_at)},
          {"last_error", b.last_error}};
}

// The health report as /healthz answers it (web/API.md): 503 when failing, so that a load balancer
// takes the server out without reading the body.
HttpResponse health_response(const db::HealthReport& r) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& reason : r.reasons) reasons.push_back({{"code", reason.code}, {"message", reason.message}});
  const auto& i = r.integrity;
  nlohmann::json body = {
      {"status", std::string(db::to_string(r.status))},
      {"reasons", std::move(reasons)},
      {"checks",
       {{"free_bytes", r.free_bytes ? nlohmann::json(*r.free_bytes) : nlohmann::json(nullptr)},
        {"free_bytes_min", r.free_bytes_min},
        {"last_write_ok_at", instant_or_null(r.last_write_ok_at)},
        {"last_write_error_at", instant_or_null(r.last_write_error_at)},
        {"last_write_error", r.last_write_error ? nlohmann::json(std::string(to_string(*r.last_write_error)))
                                                : nlohmann::json(nullptr)},
        {"integrity",
         {{"kind", i.kind == db::IntegrityKind::none ? nlohmann::json(nullptr) : nlohmann::json(std::string(db::to_string(i.kind)))},
          {"state", std::string(db::to_string(i.state))},
          {"at", instant_or_null(i.at)},
          {"detail", i.detail}}},
        {"backup", backup_json(r.backup)}}}};
  return json_response(r.status == db::HealthStatus::failing ? 503 : 200,
                       body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// /metrics tells how busy the server is, how many cases are open, when backups ran: for monitoring,
// not for the world. A supervisor's or administrator's session, or the configured bearer token
// (compared as SHA-256 digests in constant time, so neither its bytes nor its length leak by timing).
std::optional<HttpResponse> metrics_refusal(Services& s, const HttpRequest& r) {
  const std::string auth = r.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (!s.metrics_token.empty() && auth.size() > kBearer.size() &&
      std::equal(kBearer.begin(), kBearer.end(), auth.begin(),
                 [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); }) &&
      crypto::constant_time_equal(crypto::sha256_hex(auth.substr(kBearer.size())), crypto::sha256_hex(s.metrics_token)))
    return std::nullopt;
  if (const auto session = s.sessions.find(cookie_value(r, "hl_session"))) {
    if (session->must_change_password) return password_expired_response();
    if (session->must_enrol_second_factor) return second_factor_enrolment_response();
    const auto role = session->actor.role;
    if (role == casework::Role::supervisor || role == casework::Role::sysadmin) return std::nullopt;
    return error_response({Errc::forbidden, "only supervisors, system administrators and the metrics token may read /metrics", {}});
  }
  auto refused = error_response({Errc::unauthenticated, "log in as a supervisor or system administrator, or send the metrics bearer token", {}});
  refused.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"metrics\"");
  return refused;
}

double seconds_or_zero(const std::optional<TimeMs>& t) { return t ? static_cast<double>(*t) / 1000.0 : 0.0; }

}  // namespace

void add_ops_routes(Router& router, Services& s, std::span<const EmbeddedFile> static_files) {
  // Liveness first: a read worker answers (a stuck pool times the request out). Then, while writes
  // are failing, the smallest write that can tell whether the storage has recovered (space freed,
  // device back) — only a write can tell.
  router.add("GET", "/healthz", [&s](HttpRequest&, Reply reply) {
    s.reads.post(
        [](db::Connection& conn) -> Result<bool> { return conn.prepare("SELECT 1").step(); },
        [&s, reply = std::move(reply)](Result<bool>) mutable {
          if (!s.health.writes_failing()) return reply(health_response(s.health.report()));
          s.writer.post(
              [&s](db::Connection& conn) -> Result<bool> {
                db::write_storage_probe(conn, s.clock.now_ms());
                return true;
              },
              [&s, reply = std::move(reply)](Result<bool>) { reply(health_response(s.health.report())); });
        });
  });
  s.metrics.add_gauge_source("hotline_health_status", "Health: 0 ok, 1 degraded, 2 failing (see /healthz)",
                             [&s] { return static_cast<double>(s.health.report().status); });
  s.metrics.add_gauge_source("hotline_storage_free_bytes", "Free bytes on the database's file system",
                             [&s] { return static_cast<double>(s.health.report().free_bytes.value_or(0)); });
  s.metrics.add_gauge_source("hotline_storage_last_write_error_timestamp_seconds",
                             "When a write last failed on storage (0: never since start)",
                             [&s] { return seconds_or_zero(s.health.report().last_write_error_at); });
  s.metrics.add_gauge_source("hotline_integrity_check_last_timestamp_seconds",
                             "When the newest quick_check or integrity_check finished (0: none yet)",
                             [&s] { return seconds_or_zero(s.health.report().integrity.at); });
  s.metrics.add_gauge_source("hotline_integrity_check_ok", "1 when the newest integrity check found no damage",
                             [&s] { return s.health.report().integrity.state == db::IntegrityState::ok ? 1.0 : 0.0; });
  s.metrics.add_gauge_source("hotline_backup_last_timestamp_seconds",
                             "When the newest good scheduled backup was taken (0: none, or backups not scheduled)",
                             [&s] { return seconds_or_zero(s.health.report().backup.last_ok_at); });
  s.metrics.add_gauge_source("hotline_backup_last_ok",
                             "1 when scheduled backups are on, one exists and the newest attempt succeeded",
                             [&s] {
                               const auto b = s.health.report().backup;
                               return b.scheduled && b.last_ok_at && !b.last_error_at ? 1.0 : 0.0;
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
  router.add("GET", "/metrics", [&s, open_cases](HttpRequest& request, Reply reply) {
    if (auto refused = metrics_refusal(s, request)) return reply(std::move(*refused));
    read_then(
        s, std::move(reply),
        [](db::Connection& conn) -> Result<double> {
          auto st = conn.prepare("SELECT count(*) FROM cases WHERE status <> 'closed' AND status <> 'forwarded'");
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
