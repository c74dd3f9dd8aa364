#pragma once
// Request counters by (route pattern, status), a per-route latency histogram, and gauges read on
// demand, rendered in the Prometheus text exposition format (GET /metrics).
//
// Shared between threads: every I/O thread calls observe(); one mutex guards all state. A request
// costs one short critical section, which is cheap next to parsing it. Gauge callbacks run
// outside the lock, on the thread that calls render().
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hl::web {

class Metrics {
 public:
  // Upper bounds (seconds) of the latency buckets: Prometheus' defaults.
  static constexpr std::array<double, 11> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                       0.5,   1.0,  2.5,   5.0,  10.0};

  void observe(std::string_view route, unsigned status, double seconds);

  // Event streams: rendered as the gauge hotline_http_event_streams (open now) and the counters
  // hotline_http_event_streams_opened_total and hotline_http_event_streams_dropped_total (cut off
  // because the client did not keep up).
  void stream_opened();
  void stream_closed(bool dropped);

  // Adds a gauge `name` whose value is read by calling `read` on every render(), e.g. the writer's
  // queue depth. Throws std::invalid_argument for a name Prometheus would reject. A callback that
  // throws is left out of that render.
  void add_gauge_source(std::string name, std::string help, std::function<double()> read);

  std::string render() const;

 private:
  struct RouteStats {
    std::map<unsigned, std::uint64_t> by_status;
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative; render() sums
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };

  mutable std::mutex mutex_;
  std::map<std::string, RouteStats, std::less<>> routes_;
  std::vector<Gauge> gauges_;
  std::uint64_t streams_open_ = 0;
  std::uint64_t streams_opened_ = 0;
  std::uint64_t streams_dropped_ = 0;
};

}  // namespace hl::web
