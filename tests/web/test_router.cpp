#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>

#include "web/http/router.hpp"

using hl::web::HttpRequest;
using hl::web::HttpResponse;
using hl::web::Reply;
using hl::web::Router;
using Outcome = Router::Match::Outcome;

namespace {

// A handler that answers with `name`, so a test can tell which route matched.
hl::web::Handler named(std::string name) {
  return [name](HttpRequest&, Reply reply) { reply(HttpResponse{200, "text/plain", name, {}}); };
}

std::string call(const Router::Match& m) {
  BOOST_REQUIRE(m.outcome == Outcome::found);
  BOOST_REQUIRE(m.handler != nullptr);
  HttpRequest request;
  std::string body;
  (*m.handler)(request, [&](HttpResponse r) { body = r.body; });
  return body;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(router)

BOOST_AUTO_TEST_CASE(literal_and_parameter_segments) {
  Router r;
  r.add("GET", "/api/v1/cases", named("list"));
  r.add("GET", "/api/v1/cases/{id}", named("one"));
  r.add("POST", "/api/v1/cases/{id}/transitions", named("transition"), {.body_limit = 4096});

  BOOST_TEST(call(r.match("GET", "/api/v1/cases")) == "list");
  auto one = r.match("GET", "/api/v1/cases/42");
  BOOST_TEST(call(one) == "one");
  BOOST_TEST(one.params.at("id") == "42");
  BOOST_TEST(one.pattern == "/api/v1/cases/{id}");

  auto t = r.match("POST", "/api/v1/cases/7/transitions");
  BOOST_TEST(call(t) == "transition");
  BOOST_TEST(t.params.at("id") == "7");
  BOOST_TEST(t.options.body_limit == 4096u);
  BOOST_TEST(t.pattern == "/api/v1/cases/{id}/transitions");
}

BOOST_AUTO_TEST_CASE(parameters_need_a_non_empty_segment_and_paths_match_exactly) {
  Router r;
  r.add("GET", "/api/v1/cases/{id}", named("one"));
  BOOST_TEST((r.match("GET", "/api/v1/cases/").outcome == Outcome::not_found));
  BOOST_TEST((r.match("GET", "/api/v1/cases").outcome == Outcome::not_found));
  BOOST_TEST((r.match("GET", "/api/v1/cases/1/extra").outcome == Outcome::not_found));
  BOOST_TEST((r.match("GET", "/API/v1/cases/1").outcome == Outcome::not_found));
  BOOST_TEST((r.match("GET", "").outcome == Outcome::not_found));
}

BOOST_AUTO_TEST_CASE(literal_segment_beats_parameter_whatever_the_order_of_registration) {
  Router r;
  r.add("GET", "/api/v1/cases/{id}", named("one"));
  r.add("GET", "/api/v1/cases/export", named("export"));
  r.add("GET", "/api/v1/{kind}/export", named("kind-export"));
  BOOST_TEST(call(r.match("GET", "/api/v1/cases/export")) == "export");
  BOOST_TEST(call(r.match("GET", "/api/v1/cases/9")) == "one");
  BOOST_TEST(call(r.match("GET", "/api/v1/users/export")) == "kind-export");
}

BOOST_AUTO_TEST_CASE(wrong_method_is_405_with_allow_listing_head_for_get) {
  Router r;
  r.add("GET", "/api/v1/session", named("get"));
  r.add("DELETE", "/api/v1/session", named("delete"));
  r.add("POST", "/api/v1/session", named("post"));
  auto m = r.match("PUT", "/api/v1/session");
  BOOST_TEST((m.outcome == Outcome::method_not_allowed));
  BOOST_TEST(m.allow == "DELETE, GET, HEAD, POST");
  BOOST_TEST(m.pattern == "/api/v1/session");
}

BOOST_AUTO_TEST_CASE(head_uses_the_get_route_unless_it_has_its_own) {
  Router r;
  r.add("GET", "/a", named("get-a"));
  r.add("GET", "/b", named("get-b"));
  r.add("HEAD", "/b", named("head-b"));
  BOOST_TEST(call(r.match("HEAD", "/a")) == "get-a");
  BOOST_TEST(call(r.match("HEAD", "/b")) == "head-b");
}

BOOST_AUTO_TEST_CASE(fallback_takes_unmatched_get_and_head_only_longest_prefix_first) {
  Router r;
  r.add("POST", "/api/v1/intakes", named("intake"));
  r.add_fallback(named("static"));
  r.add_fallback(named("docs"), "/docs/");

  auto m = r.match("GET", "/cases/12");
  BOOST_TEST(call(m) == "static");
  BOOST_TEST(m.pattern == "/*");
  BOOST_TEST(call(r.match("HEAD", "/")) == "static");
  BOOST_TEST(call(r.match("GET", "/docs/index.html")) == "docs");
  BOOST_TEST((r.match("POST", "/cases/12").outcome == Outcome::not_found));
  // A route that exists with another method is a 405, not a static file.
  BOOST_TEST((r.match("GET", "/api/v1/intakes").outcome == Outcome::method_not_allowed));
}

BOOST_AUTO_TEST_CASE(bad_patterns_and_duplicates_are_refused) {
  Router r;
  auto h = named("x");
  BOOST_CHECK_THROW(r.add("GET", "api/v1", h), std::invalid_argument);
  BOOST_CHECK_THROW(r.add("GET", "/a/{}", h), std::invalid_argument);
  BOOST_CHECK_THROW(r.add("GET", "/a/{id", h), std::invalid_argument);
  BOOST_CHECK_THROW(r.add("GET", "/a/x{id}", h), std::invalid_argument);
  BOOST_CHECK_THROW(r.add("GET", "/a/{id}/b/{id}", h), std::invalid_argument);
  BOOST_CHECK_THROW(r.add("", "/a", h), std::invalid_argument);
  BOOST_CHECK_THROW(r.add("GET", "/a", nullptr), std::invalid_argument);
  r.add("GET", "/a/{id}", h);
  BOOST_CHECK_THROW(r.add("GET", "/a/{id}", h), std::invalid_argument);
  BOOST_CHECK_NO_THROW(r.add("PUT", "/a/{id}", h));
}

BOOST_AUTO_TEST_SUITE_END()
