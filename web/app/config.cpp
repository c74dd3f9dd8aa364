#include "web/app/config.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/crypto/suite.hpp"

namespace hl::web {
namespace {

bool parse_listen(const std::string& text, AppConfig& c) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  unsigned port = 0;
  auto [p, ec] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), port);
  if (ec != std::errc() || p != text.data() + text.size() || port > 65535) return false;
  c.address = text.substr(0, colon);
  if (c.address.size() > 2 && c.address.front() == '[' && c.address.back() == ']')
    c.address = c.address.substr(1, c.address.size() - 2);
  c.port = static_cast<unsigned short>(port);
  return true;
}

// "HH:MM" -> minutes after midnight, or -1.
int parse_clock_time(const std::string& text) {
  unsigned h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':') return -1;
  auto [p1, e1] = std::from_chars(text.data(), text.data() + 2, h);
  auto [p2, e2] = std::from_chars(text.data() + 3, text.data() + 5, m);
  if (e1 != std::errc() || e2 != std::errc() || p1 != text.data() + 2 || p2 != text.data() + 5 || h > 23 || m > 59) return -1;
  return static_cast<int>(h * 60 + m);
}

// "90" (minutes), "30m", "6h", "1d" -> minutes, or -1.
long long parse_interval_minutes(const std::string& text) {
  long long n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || n <= 0) return -1;
  const std::string_view unit(p, text.data() + text.size() - p);
  if (unit.empty() || unit == "m") return n;
  if (unit == "h") return n * 60;
  if (unit == "d") return n * 24 * 60;
  return -1;
}

bool parse_uint(const std::string& text, unsigned& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size();
}

bool is_ip_address(const std::string& text) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, text.c_str(), buf) == 1 || inet_pton(AF_INET6, text.c_str(), buf) == 1;
}

// The "telephony" list: each {name, token_sha256, offices?}; every problem is named in `bad`.
void parse_telephony(const nlohmann::json& value, AppConfig& c, std::map<std::string, std::string>& bad) {
  const char* shape = "a list of {\"name\", \"token_sha256\", \"offices\": [office ids]} (hotline telephony-token NAME)";
  if (!value.is_array()) {
    bad["telephony"] = shape;
    return;
  }
  for (const auto& item : value) {
    TelephonySystem t;
    const bool ok = item.is_object() && item.contains("name") && item["name"].is_string() &&
                    item.contains("token_sha256") && item["token_sha256"].is_string();
    if (ok) {
      t.name = item["name"].get<std::string>();
      t.token_sha256 = item["token_sha256"].get<std::string>();
    }
    bool offices_ok = true;
    if (ok && item.contains("offices")) {
      offices_ok = item["offices"].is_array();
      if (offices_ok) {
        for (const auto& o : item["offices"]) {
          if (o.is_number_integer() && o.get<std::int64_t>() > 0) t.offices.push_back(o.get<std::int64_t>());
          else offices_ok = false;
        }
      }
    }
    const bool name_ok = !t.name.empty() && t.name.size() <= 64 &&
                         t.name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
                             std::string::npos;
    const bool hash_ok = t.token_sha256.size() == 64 && t.token_sha256.find_first_not_of("0123456789abcdef") == std::string::npos;
    const bool unique = std::none_of(c.telephony.begin(), c.telephony.end(), [&](const TelephonySystem& other) {
      return other.name == t.name || other.token_sha256 == t.token_sha256;
    });
    if (!ok || !offices_ok || !name_ok || !hash_ok || !unique) {
      bad["telephony"] = std::string(shape) + "; names of A-Z a-z 0-9 - _ and token hashes unique";
      return;
    }
    c.telephony.push_back(std::move(t));
  }
}

}  // namespace

Result<AppConfig> load_config(const CliArgs& args) {
  AppConfig c;
  c.threads = std::max(1u, std::thread::hardware_concurrency());
  std::map<std::string, std::string> bad;
  std::string listen, threads;

  if (auto file = args.get("config")) {
    std::ifstream in(*file);
    if (!in) return fail(Errc::invalid_input, "cannot read the configuration file " + *file);
    std::stringstream text;
    text << in.rdbuf();
    auto j = nlohmann::json::parse(text.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object())
      return fail(Errc::invalid_input, "the configuration file " + *file + " is not a JSON object");
    for (const auto& [key, value] : j.items()) {
      auto str = [&] { return value.is_string() ? value.get<std::string>() : value.dump(); };
      if (key == "db") c.db_path = str();
      else if (key == "keys") c.keys_path = str();
      else if (key == "crypto_suite") c.crypto_suite = str();
      else if (key == "audit_anchor") c.audit_anchor_path = str();
      else if (key == "listen") listen = str();
      else if (key == "threads") threads = str();
      else if (key == "read_workers" && value.is_number_unsigned()) c.read_workers = value.get<unsigned>();
      else if (key == "request_timeout_s" && value.is_number_integer()) c.request_timeout_s = value.get<int>();
      else if (key == "drain_timeout_s" && value.is_number_integer()) c.drain_timeout_s = value.get<int>();
      else if (key == "session_idle_minutes" && value.is_number_integer()) c.session_idle_minutes = value.get<int>();
      else if (key == "session_absolute_hours" && value.is_number_integer()) c.session_absolute_hours = value.get<int>();
      else if (key == "password_max_age_days" && value.is_number_integer()) c.password_max_age_days = value.get<int>();
      else if (key == "password_change_first_login" && value.is_boolean())
        c.password_change_first_login = value.get<bool>();
      else if (key == "second_factor_required" && value.is_boolean()) c.second_factor_required = value.get<bool>();
      else if (key == "retention_days_after_archive" && value.is_number_integer())
        c.retention_days_after_archive = value.get<int>();
      else if (key == "second_factor_issuer" && value.is_string()) c.second_factor_issuer = value.get<std::string>();
      else if (key == "secure_cookies" && value.is_boolean()) c.secure_cookies = value.get<bool>();
      else if (key == "synchronous_full" && value.is_boolean()) c.synchronous_full = value.get<bool>();
      else if (key == "trusted_proxies" && value.is_array()) {
        for (const auto& ip : value)
          if (ip.is_string() && is_ip_address(ip.get<std::string>())) c.trusted_proxies.push_back(ip.get<std::string>());
          else bad["trusted_proxies"] = "a list of IP addresses, e.g. [\"127.0.0.1\", \"::1\"]";
      }
      else if (key == "telephony") parse_telephony(value, c, bad);
      else if (key == "metrics_token" && value.is_string()) c.metrics_token = value.get<std::string>();
      else if (key == "free_space_min_bytes" && value.is_number_unsigned()) c.free_space_min_bytes = value.get<long long>();
      else if (key == "integrity_check_at" && value.is_string()) {
        c.integrity_check_minute = parse_clock_time(value.get<std::string>());
        if (c.integrity_check_minute < 0) bad["integrity_check_at"] = "a Beijing time HH:MM, e.g. 03:30";
      } else if (key == "integrity_check_max_age_hours" && value.is_number_integer())
        c.integrity_check_max_age_hours = value.get<int>();
      else if (key == "quick_check_sync_max_bytes" && value.is_number_unsigned())
        c.quick_check_sync_max_bytes = value.get<long long>();
      else if (key == "backup_dir" && value.is_string()) c.backup_dir = value.get<std::string>();
      else if (key == "backup_every" && (value.is_string() || value.is_number_unsigned()))
        c.backup_every_minutes = parse_interval_minutes(str());
      else if (key == "backup_keep" && value.is_number_integer()) c.backup_keep = value.get<int>();
      else bad["config." + key] = "unknown setting or wrong type";
    }
  }
  if (const char* v = std::getenv("HOTLINE_DB")) c.db_path = v;
  if (const char* v = std::getenv("HOTLINE_KEYS")) c.keys_path = v;
  if (const char* v = std::getenv("HOTLINE_LISTEN")) listen = v;
  if (const char* v = std::getenv("HOTLINE_THREADS")) threads = v;
  if (const char* v = std::getenv("HOTLINE_METRICS_TOKEN")) c.metrics_token = v;
  if (const char* v = std::getenv("HOTLINE_CRYPTO_SUITE")) c.crypto_suite = v;
  if (auto v = args.get("crypto-suite")) c.crypto_suite = *v;
  if (auto v = args.get("db")) c.db_path = *v;
  if (auto v = args.get("keys")) c.keys_path = *v;
  if (auto v = args.get("listen")) listen = *v;
  if (auto v = args.get("threads")) threads = *v;

  if (!listen.empty() && !parse_listen(listen, c)) bad["listen"] = "expected ADDRESS:PORT, e.g. 127.0.0.1:8080";
  if (!threads.empty() && (!parse_uint(threads, c.threads) || c.threads < 1 || c.threads > 256))
    bad["threads"] = "a number from 1 to 256";
  if (c.db_path.empty()) bad["db"] = "a database path is required";
  if (!c.metrics_token.empty() &&
      (c.metrics_token.size() < 32 || c.metrics_token.size() > 256 ||
       c.metrics_token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/=") !=
           std::string::npos))
    bad["metrics_token"] = "32 to 256 characters of A-Z a-z 0-9 - . _ ~ + / = (e.g. openssl rand -hex 32)";
  if (!c.crypto_suite.empty() && !crypto::parse_suite(c.crypto_suite)) bad["crypto_suite"] = "sodium or sm";
  if (c.retention_days_after_archive < 0 || (c.retention_days_after_archive > 0 && c.retention_days_after_archive < 180) ||
      c.retention_days_after_archive > 100 * 366)
    bad["retention_days_after_archive"] = "0 (keep) or 180 to 36600 days (an archived case is kept at least 6 months)";
  if (c.read_workers < 1 || c.read_workers > 64) bad["read_workers"] = "1 to 64";
  if (c.request_timeout_s < 1 || c.request_timeout_s > 3600) bad["request_timeout_s"] = "1 to 3600";
  if (c.drain_timeout_s < 0 || c.drain_timeout_s > 600) bad["drain_timeout_s"] = "0 to 600";
  if (c.session_idle_minutes < 1 || c.session_idle_minutes > 24 * 60) bad["session_idle_minutes"] = "1 to 1440";
  if (c.session_absolute_hours < 1 || c.session_absolute_hours > 24 * 7) bad["session_absolute_hours"] = "1 to 168";
  if (c.password_max_age_days < 0 || c.password_max_age_days > 3650) bad["password_max_age_days"] = "0 (off) to 3650";
  if (c.second_factor_issuer.empty() || c.second_factor_issuer.size() > 64 ||
      c.second_factor_issuer.find(':') != std::string::npos)
    bad["second_factor_issuer"] = "1 to 64 bytes without ':'";
  if (c.integrity_check_max_age_hours < 1 || c.integrity_check_max_age_hours > 24 * 31)
    bad["integrity_check_max_age_hours"] = "1 to 744";
  if (c.backup_every_minutes < 1 || c.backup_every_minutes > 31 * 24 * 60)
    bad["backup_every"] = "an interval from 1 minute to 31 days: \"30m\", \"6h\", \"1d\" or a number of minutes";
  if (c.backup_keep < 1 || c.backup_keep > 1000) bad["backup_keep"] = "1 to 1000";
  if (!bad.empty()) {
    std::string msg = "invalid configuration:";
    for (const auto& [k, v] : bad) msg += "\n  " + k + ": " + v;
    return fail(Errc::invalid_input, msg, bad);
  }
  if (c.keys_path.empty()) c.keys_path = c.db_path + ".keys";
  if (c.audit_anchor_path.empty()) c.audit_anchor_path = c.keys_path + ".anchor";
  return c;
}

std::vector<std::string> changed_settings(const AppConfig& a, const AppConfig& b) {
  std::vector<std::string> changed;
  auto note = [&](const char* key, bool differs) {
    if (differs) changed.emplace_back(key);
  };
  note("db", a.db_path != b.db_path);
  note("keys", a.keys_path != b.keys_path);
  note("crypto_suite", a.crypto_suite != b.crypto_suite);
  note("audit_anchor", a.audit_anchor_path != b.audit_anchor_path);
  note("listen", a.address != b.address || a.port != b.port);
  note("threads", a.threads != b.threads);
  note("read_workers", a.read_workers != b.read_workers);
  note("request_timeout_s", a.request_timeout_s != b.request_timeout_s);
  note("drain_timeout_s", a.drain_timeout_s != b.drain_timeout_s);
  note("session_idle_minutes", a.session_idle_minutes != b.session_idle_minutes);
  note("session_absolute_hours", a.session_absolute_hours != b.session_absolute_hours);
  note("password_max_age_days", a.password_max_age_days != b.password_max_age_days);
  note("password_change_first_login", a.password_change_first_login != b.password_change_first_login);
  note("second_factor_required", a.second_factor_required != b.second_factor_required);
  note("retention_days_after_archive", a.retention_days_after_archive != b.retention_days_after_archive);
  note("second_factor_issuer", a.second_factor_issuer != b.second_factor_issuer);
  note("secure_cookies", a.secure_cookies != b.secure_cookies);
  note("trusted_proxies", a.trusted_proxies != b.trusted_proxies);
  note("metrics_token", a.metrics_token != b.metrics_token);
  note("telephony", a.telephony != b.telephony);
  note("synchronous_full", a.synchronous_full != b.synchronous_full);
  note("free_space_min_bytes", a.free_space_min_bytes != b.free_space_min_bytes);
  note("integrity_check_at", a.integrity_check_minute != b.integrity_check_minute);
  note("integrity_check_max_age_hours", a.integrity_check_max_age_hours != b.integrity_check_max_age_hours);
  note("quick_check_sync_max_bytes", a.quick_check_sync_max_bytes != b.quick_check_sync_max_bytes);
  note("backup_dir", a.backup_dir != b.backup_dir);
  note("backup_every", a.backup_every_minutes != b.backup_every_minutes);
  note("backup_keep", a.backup_keep != b.backup_keep);
  return changed;
}

}  // namespace hl::web
