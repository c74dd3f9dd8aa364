#include "web/http/request_guard.hpp"

#include <optional>
#include <string>

namespace hl::web {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

struct Authority {
  std::string host;  // lower-case; an IPv6 literal keeps its brackets
  std::optional<unsigned> port;
};

// "host", "host:port", "[v6]" or "[v6]:port"; nullopt when malformed.
std::optional<Authority> parse_authority(std::string_view s) {
  if (s.empty()) return std::nullopt;
  Authority a;
  std::string_view rest;
  if (s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    a.host = lower(s.substr(0, close + 1));
    rest = s.substr(close + 1);
  } else {
    const auto colon = s.find(':');
    a.host = lower(s.substr(0, colon));
    rest = colon == std::string_view::npos ? std::string_view{} : s.substr(colon);
  }
  if (a.host.empty() || a.host.find_first_of("/?#@ \t") != std::string::npos) return std::nullopt;
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return std::nullopt;
    unsigned port = 0;
    for (char c : rest.substr(1)) {
      if (c < '0' || c > '9') return std::nullopt;
      port = port * 10 + static_cast<unsigned>(c - '0');
    }
    if (port == 0 || port > 65535) return std::nullopt;
    a.port = port;
  }
  return a;
}

unsigned default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

}  // namespace

bool is_state_changing(std::string_view method) { return method != "GET" && method != "HEAD" && method != "OPTIONS"; }

bool is_cross_site(std::string_view origin, std::string_view sec_fetch_site, std::string_view host,
                   std::string_view scheme) {
  const std::string site = lower(trim(sec_fetch_site));
  if (!site.empty() && site != "same-origin" && site != "none") return true;
  origin = trim(origin);
  if (origin.empty()) return false;
  // An origin is scheme "://" authority, nothing more (RFC 6454); "null" and the rest fail here.
  const auto sep = origin.find("://");
  if (sep == std::string_view::npos) return true;
  const std::string origin_scheme = lower(origin.substr(0, sep));
  if (origin_scheme != "http" && origin_scheme != "https") return true;
  const auto theirs = parse_authority(origin.substr(sep + 3));
  const auto ours = parse_authority(trim(host));
  if (!theirs || !ours) return true;
  const std::string known = lower(scheme);
  if (!known.empty() && known != origin_scheme) return true;
  const std::string_view our_scheme = known.empty() ? std::string_view(origin_scheme) : std::string_view(known);
  return theirs->host != ours->host ||
         theirs->port.value_or(default_port(origin_scheme)) != ours->port.value_or(default_port(our_scheme));
}

bool is_json_media_type(std::string_view content_type) {
  const auto semi = content_type.find(';');
  return lower(trim(content_type.substr(0, semi))) == "application/json";
}

}  // namespace hl::web
