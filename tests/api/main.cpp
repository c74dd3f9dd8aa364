// HTTP integration tests: the real `hotline` binary ($HOTLINE_BIN) started on 127.0.0.1 with a
// fresh demo database per test, driven over HTTP as the web desk and other programs would.
#define BOOST_TEST_MODULE api
#include <csignal>

#include <boost/test/unit_test.hpp>

namespace {

// A server that closes a connection while a test still writes must fail that test, not kill it.
struct IgnoreSigpipe {
  IgnoreSigpipe() { std::signal(SIGPIPE, SIG_IGN); }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(IgnoreSigpipe);
