#pragma once
// error_of(result): the Error a Result holds, after requiring that it holds one. Reading .error() of a
// Result that holds a value is undefined behaviour, so a call that wrongly succeeds must stop the
// test there, naming the line of the call, instead of reading garbage (or passing by luck).
#include <boost/test/unit_test.hpp>

#include <source_location>

#include "core/error.hpp"

namespace hl::test {

template <class T>
Error error_of(const Result<T>& r, std::source_location at = std::source_location::current()) {
  BOOST_REQUIRE_MESSAGE(!r.has_value(), "expected an error, but the call at " << at.file_name() << ":" << at.line()
                                                                              << " succeeded");
  return r.error();
}

}  // namespace hl::test
