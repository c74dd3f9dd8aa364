#define BOOST_TEST_MODULE casework
#include <boost/test/unit_test.hpp>
