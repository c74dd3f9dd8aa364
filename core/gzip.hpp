#pragma once
// gzip (RFC 1952) by zlib, for the desk's files: compressed once at startup, sent to browsers that
// accept it.
#include <string>
#include <string_view>

namespace hl {

// The bytes as a gzip member, at the best compression (done once per file, so time does not matter).
// Throws std::runtime_error if zlib fails (out of memory).
std::string gzip_compress(std::string_view data);

}  // namespace hl
