// Beast and Asio compiled once for the whole program (BOOST_BEAST_SEPARATE_COMPILATION and
// BOOST_ASIO_SEPARATE_COMPILATION are set in web/CMakeLists.txt). beast/src.hpp does not include
// Asio's sources, so both are needed here.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
