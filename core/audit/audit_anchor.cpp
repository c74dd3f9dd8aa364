#include "core/audit/audit_anchor.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/crypto/hex.hpp"

namespace hl::audit {

namespace {

std::string to_hex(const std::string& bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  out.pop_back();
  return out;
}

}  // namespace

AnchorFile::AnchorFile(std::string path, const std::array<unsigned char, 32>& audit_key, crypto::Suite suite)
    : path_(std::move(path)), hash_(audit_key, suite) {}

std::string AnchorFile::mac(const Anchor& a) const {
  // A domain of its own: an anchor line can never pass for a row hash or the other way round.
  return hash_.hex("hl.audit.anchor.v1|" + std::to_string(a.at) + "|" + std::to_string(a.row_id) + "|" + to_hex(a.row_hash));
}

Status AnchorFile::append(const Anchor& a) const {
  const std::string line =
      "v1 " + std::to_string(a.at) + " " + std::to_string(a.row_id) + " " + (a.row_hash.empty() ? "-" : to_hex(a.row_hash)) + " " + mac(a) + "\n";
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return fail(Errc::storage_unavailable, "cannot open the audit anchor file " + path_ + ": " + std::strerror(errno));
  const ssize_t n = ::write(fd, line.data(), line.size());
  const int write_errno = errno;
  const bool synced = n == static_cast<ssize_t>(line.size()) && ::fdatasync(fd) == 0;
  const int sync_errno = errno;
  ::close(fd);
  if (n != static_cast<ssize_t>(line.size()))
    return fail(Errc::storage_unavailable, "cannot write the audit anchor file " + path_ + ": " + std::strerror(write_errno));
  if (!synced) return fail(Errc::storage_unavailable, "cannot sync the audit anchor file " + path_ + ": " + std::strerror(sync_errno));
  return {};
}

Result<std::optional<Anchor>> AnchorFile::highest() const {
  std::ifstream in(path_);
  if (!in) return std::optional<Anchor>{};
  std::optional<Anchor> best;
  std::string text;
  for (int line_no = 1; std::getline(in, text); ++line_no) {
    if (text.empty()) continue;
    auto bad = [&](const std::string& why) {
      return fail(Errc::conflict, "audit anchor file " + path_ + " line " + std::to_string(line_no) + ": " + why);
    };
    std::istringstream fields(text);
    std::string version, hash_hex, mac_hex, rest;
    Anchor a;
    if (!(fields >> version >> a.at >> a.row_id >> hash_hex >> mac_hex) || (fields >> rest) || version != "v1" || a.row_id < 0)
      return bad("malformed");
    if (hash_hex != "-") {
      auto bytes = crypto::bytes_from_hex(hash_hex);
      if (!bytes || bytes->size() != 32) return bad("malformed hash");
      a.row_hash = std::move(*bytes);
    }
    const std::string expected = mac(a);
    if (mac_hex.size() != expected.size() || sodium_memcmp(mac_hex.data(), expected.data(), expected.size()) != 0)
      return bad("not authentic (written with another key, or edited)");
    if (!best || a.row_id >= best->row_id) best = std::move(a);
  }
  return best;
}

}  // namespace hl::audit
