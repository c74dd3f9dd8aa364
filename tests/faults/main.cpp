// Storage faults against the real `hotline` binary ($HOTLINE_BIN), issue #17: a full disk (a small
// tmpfs), a damaged page, an immutable or read-only database, and fsync/write errors injected by the
// LD_PRELOAD shim io_fault_shim.c ($HOTLINE_FAULT_SHIM). Runs as root: mount and chattr.
#define BOOST_TEST_MODULE faults
#include <csignal>

#include <boost/test/unit_test.hpp>

namespace {

// A server that closes a connection while a test still writes must fail that test, not kill it.
struct IgnoreSigpipe {
  IgnoreSigpipe() { std::signal(SIGPIPE, SIG_IGN); }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(IgnoreSigpipe);
