#include "web/http/metrics.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace hl::web {

namespace {

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

// Label values escape backslash, double quote and newline; HELP text escapes backslash and newline.
std::string escape(std::string_view text, bool quote) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quote) out += "\\\"";
    else out += c;
  }
  return out;
}

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void Metrics::observe(std::string_view route, unsigned status, double seconds) {
  std::lock_guard lock(mutex_);
  auto it = routes_.find(route);
  if (it == routes_.end()) it = routes_.emplace(std::string(route), RouteStats{}).first;
  RouteStats& s = it->second;
  ++s.by_status[status];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++s.buckets[i];
      break;
    }
  ++s.count;
  s.sum += seconds;
}

void Metrics::stream_opened() {
  std::lock_guard lock(mutex_);
  ++streams_open_;
  ++streams_opened_;
}

void Metrics::stream_closed(bool dropped) {
  std::lock_guard lock(mutex_);
  if (streams_open_ > 0) --streams_open_;
  if (dropped) ++streams_dropped_;
}

void Metrics::add_gauge_source(std::string name, std::string help, std::function<double()> read) {
  if (!valid_metric_name(name)) throw std::invalid_argument("invalid metric name: " + name);
  if (!read) throw std::invalid_argument("gauge has no source: " + name);
  std::lock_guard lock(mutex_);
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render() const {
  std::string out;
  std::vector<Gauge> gauges;
  {
    std::lock_guard lock(mutex_);
    out += "# HELP hotline_http_requests_total HTTP responses by route pattern and status.\n";
    out += "# TYPE hotline_http_requests_total counter\n";
    for (const auto& [route, s] : routes_)
      for (const auto& [status, n] : s.by_status)
        out += "hotline_http_requests_total{route=\"" + escape(route, true) + "\",status=\"" +
               std::to_string(status) + "\"} " + std::to_string(n) + "\n";
    out += "# HELP hotline_http_request_duration_seconds Time from reading a request's header to "
           "its response being ready.\n";
    out += "# TYPE hotline_http_request_duration_seconds histogram\n";
    for (const auto& [route, s] : routes_) {
      std::string label = "route=\"" + escape(route, true) + "\"";
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += s.buckets[i];
        out += "hotline_http_request_duration_seconds_bucket{" + label + ",le=\"" +
               number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
      }
      out += "hotline_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
             std::to_string(s.count) + "\n";
      out += "hotline_http_request_duration_seconds_sum{" + label + "} " + number(s.sum) + "\n";
      out += "hotline_http_request_duration_seconds_count{" + label + "} " +
             std::to_string(s.count) + "\n";
    }
    out += "# HELP hotline_http_event_streams Open event streams (Server-Sent Events).\n";
    out += "# TYPE hotline_http_event_streams gauge\n";
    out += "hotline_http_event_streams " + std::to_string(streams_open_) + "\n";
    out += "# HELP hotline_http_event_streams_opened_total Event streams started.\n";
    out += "# TYPE hotline_http_event_streams_opened_total counter\n";
    out += "hotline_http_event_streams_opened_total " + std::to_string(streams_opened_) + "\n";
    out += "# HELP hotline_http_event_streams_dropped_total Event streams cut off because the client "
           "did not keep up.\n";
    out += "# TYPE hotline_http_event_streams_dropped_total counter\n";
    out += "hotline_http_event_streams_dropped_total " + std::to_string(streams_dropped_) + "\n";
    gauges = gauges_;
  }
  // Gauge sources may take locks of their own (the writer's queue); never call them under ours.
  for (const auto& g : gauges) {
    double value = 0;
    try {
      value = g.read();
    } catch (...) {
      continue;
    }
    out += "# HELP " + g.name + " " + escape(g.help, false) + "\n";
    out += "# TYPE " + g.name + " gauge\n";
    out += g.name + " " + number(value) + "\n";
  }
  return out;
}

}  // namespace hl::web
