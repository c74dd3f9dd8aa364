#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "web/http/metrics.hpp"

using hl::web::Metrics;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(counts_by_route_and_status_with_a_cumulative_histogram) {
  Metrics m;
  m.observe("/api/v1/cases/{id}", 200, 0.003);
  m.observe("/api/v1/cases/{id}", 200, 0.2);
  m.observe("/api/v1/cases/{id}", 404, 30.0);
  auto text = m.render();
  BOOST_TEST(has_line(text, "# TYPE hotline_http_requests_total counter"));
  BOOST_TEST(has_line(text, R"(hotline_http_requests_total{route="/api/v1/cases/{id}",status="200"} 2)"));
  BOOST_TEST(has_line(text, R"(hotline_http_requests_total{route="/api/v1/cases/{id}",status="404"} 1)"));
  BOOST_TEST(has_line(text, "# TYPE hotline_http_request_duration_seconds histogram"));
  const std::string b = R"(hotline_http_request_duration_seconds_bucket{route="/api/v1/cases/{id}",le=)";
  BOOST_TEST(has_line(text, b + R"("0.005"} 1)"));
  BOOST_TEST(has_line(text, b + R"("0.1"} 1)"));
  BOOST_TEST(has_line(text, b + R"("0.25"} 2)"));
  BOOST_TEST(has_line(text, b + R"("10"} 2)"));
  BOOST_TEST(has_line(text, b + R"("+Inf"} 3)"));
  BOOST_TEST(has_line(text, R"(hotline_http_request_duration_seconds_count{route="/api/v1/cases/{id}"} 3)"));
  BOOST_TEST(text.find(R"(hotline_http_request_duration_seconds_sum{route="/api/v1/cases/{id}"} 30.203)") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(label_values_are_escaped) {
  Metrics m;
  m.observe("a\"b\\c\nd", 500, 0.01);
  BOOST_TEST(m.render().find(R"(route="a\"b\\c\nd",status="500"} 1)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(gauges_are_read_at_render_and_a_failing_one_is_skipped) {
  Metrics m;
  double depth = 3;
  m.add_gauge_source("hotline_writer_queue_depth", "Commands waiting for the writer.", [&] { return depth; });
  m.add_gauge_source("hotline_broken", "Throws.", []() -> double { throw std::runtime_error("db down"); });
  BOOST_TEST(has_line(m.render(), "hotline_writer_queue_depth 3"));
  depth = 7.5;
  auto text = m.render();
  BOOST_TEST(has_line(text, "# HELP hotline_writer_queue_depth Commands waiting for the writer."));
  BOOST_TEST(has_line(text, "# TYPE hotline_writer_queue_depth gauge"));
  BOOST_TEST(has_line(text, "hotline_writer_queue_depth 7.5"));
  BOOST_TEST(text.find("hotline_broken") == std::string::npos);
  BOOST_CHECK_THROW(m.add_gauge_source("9bad", "", [] { return 0.0; }), std::invalid_argument);
  BOOST_CHECK_THROW(m.add_gauge_source("bad-name", "", [] { return 0.0; }), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(concurrent_observers_lose_no_counts) {
  Metrics m;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 5000; ++i) m.observe("/x", 200, 0.001);
    });
  for (auto& t : threads) t.join();
  BOOST_TEST(has_line(m.render(), R"(hotline_http_requests_total{route="/x",status="200"} 20000)"));
}

BOOST_AUTO_TEST_SUITE_END()
