#pragma once
// Inflates a gzip member (what the server sends with Content-Encoding: gzip), for the tests that
// compare it with the plain bytes. Throws std::runtime_error when it is not whole, valid gzip.
#include <zlib.h>

#include <stdexcept>
#include <string>

namespace hl::test {

inline std::string gunzip(const std::string& z) {
  z_stream s{};
  if (inflateInit2(&s, 15 + 16) != Z_OK) throw std::runtime_error("gunzip: inflateInit2 failed");
  std::string chunk(1 << 16, '\0'), all;
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(z.data()));
  s.avail_in = static_cast<uInt>(z.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    s.next_out = reinterpret_cast<Bytef*>(chunk.data());
    s.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&s, Z_NO_FLUSH);
    all.append(chunk.data(), chunk.size() - s.avail_out);
  }
  inflateEnd(&s);
  if (rc != Z_STREAM_END) throw std::runtime_error("gunzip: not a whole gzip member");
  return all;
}

}  // namespace hl::test
