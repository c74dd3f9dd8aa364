#include "casework/ledger_values.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <charconv>
#include <cstdio>

#include "core/local_time.hpp"
#include "core/text_rules.hpp"

namespace hl::casework {
namespace {

struct Alias {
  std::string_view text, code;
};
constexpr std::array<Alias, 26> kChannelAliases = {{
    {"来电", "hotline"}, {"电话", "hotline"}, {"12338", "hotline"}, {"热线", "hotline"},
    {"来访", "walk_in"}, {"接待", "walk_in"}, {"来信", "letter"}, {"信件", "letter"},
    {"网访", "online"}, {"网上信访", "online"}, {"网络", "online"}, {"网上", "online"},
    {"信访代理", "agent"}, {"代理", "agent"}, {"排查", "screening"}, {"排查发现", "screening"},
    {"转入", "transfer_in"}, {"转办", "transfer_in"},
    {"hotline", "hotline"}, {"walk_in", "walk_in"}, {"letter", "letter"}, {"online", "online"},
    {"agent", "agent"}, {"screening", "screening"}, {"transfer_in", "transfer_in"}, {"call", "hotline"},
}};
constexpr std::array<Alias, 19> kStatusAliases = {{
    {"登记", "registered"}, {"待受理", "registered"}, {"未受理", "registered"},
    {"受理", "in_progress"}, {"已受理", "in_progress"}, {"办理中", "in_progress"}, {"处理中", "in_progress"},
    {"在办", "in_progress"}, {"办结", "closed"}, {"已办结", "closed"}, {"结案", "closed"}, {"已结案", "closed"},
    {"已解答", "closed"}, {"已处理", "closed"}, {"完成", "closed"}, {"已完成", "closed"}, {"in_progress", "in_progress"},
    {"registered", "registered"}, {"closed", "closed"},
}};

constexpr std::array<Alias, 12> kConsultationAliases = {{
    {"法律", "legal"}, {"法律咨询", "legal"}, {"婚姻家庭", "marriage_family"}, {"婚姻家庭咨询", "marriage_family"},
    {"心理", "psychological"}, {"心理咨询", "psychological"}, {"其他", "other"}, {"其他咨询", "other"},
    {"legal", "legal"}, {"marriage_family", "marriage_family"}, {"psychological", "psychological"}, {"other", "other"},
}};

std::optional<std::string_view> lookup(std::span<const Alias> table, std::string_view text) {
  for (const auto& a : table)
    if (a.text == text) return a.code;
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> ledger_channel(std::string_view text) {
  return lookup(kChannelAliases, lower_ascii(std::string(text)));
}

std::optional<std::string_view> ledger_consultation_kind(std::string_view text) {
  return lookup(kConsultationAliases, lower_ascii(std::string(text)));
}

std::optional<std::string_view> ledger_status(std::string_view text) {
  return lookup(kStatusAliases, lower_ascii(std::string(text)));
}

std::string replace_all(std::string s, std::string_view from, std::string_view to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) s.replace(pos, from.size(), to);
  return s;
}

std::string lower_ascii(std::string s) {
  for (char& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

std::string normalise_header(std::string_view raw) {
  std::string s = lower_ascii(trim(raw));
  s = replace_all(std::move(s), "(", "（");
  return replace_all(std::move(s), ")", "）");
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// An Excel date cell as an .xlsx stores it: days since 1899-12-30 (the 1900 date system, whose
// phantom 1900-02-29 lies before any ledger), a fraction for the time of day; Shanghai wall time.
// Only plausible ledger dates (1990–2100) are taken, so an ordinary number is not read as a date.
std::optional<TimeMs> parse_excel_serial(const std::string& raw) {
  // Digits with at most one point inside them: "46303", "46303.5" (not ".", "1.", ".5").
  const auto point = raw.find('.');
  if (raw.empty() || raw.size() > 24 || raw.find_first_not_of("0123456789.") != std::string::npos ||
      raw.front() == '.' || raw.back() == '.' || (point != std::string::npos && raw.find('.', point + 1) != std::string::npos))
    return std::nullopt;
  double serial = 0;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), serial);
  if (ec != std::errc() || end != raw.data() + raw.size()) return std::nullopt;
  if (serial < 32874 || serial >= 73051) return std::nullopt;  // 1990-01-01 … 2099-12-31
  const auto days = static_cast<int>(serial);
  const auto day = add_days(LocalDate{1899, 12, 30}, days);
  const auto ms_of_day = static_cast<TimeMs>((serial - days) * 86'400'000.0 + 0.5);
  return start_of_local_day(day) + std::min<TimeMs>(ms_of_day, 86'399'999);
}

// 2026-10-08 · 2026/10/8 · 2026.10.8 · 2026年10月8日, optionally " HH:MM[:SS]", Shanghai time; or
// an Excel date serial (an .xlsx date cell).
std::optional<TimeMs> parse_ledger_time(const std::string& raw) {
  if (auto serial = parse_excel_serial(raw)) return serial;
  std::string s = replace_all(replace_all(replace_all(raw, "年", "-"), "月", "-"), "日", "");
  for (char& c : s)
    if (c == '/' || c == '.') c = '-';
  std::string date = s, time;
  if (auto sp = s.find_first_of(" T"); sp != std::string::npos) {
    date = s.substr(0, sp);
    time = trim(s.substr(sp + 1));
  }
  const auto d1 = date.find('-');
  const auto d2 = d1 == std::string::npos ? std::string::npos : date.find('-', d1 + 1);
  if (d2 == std::string::npos) return std::nullopt;
  const std::string y = date.substr(0, d1), m = date.substr(d1 + 1, d2 - d1 - 1), d = date.substr(d2 + 1);
  if (y.size() != 4 || !all_digits(y) || m.empty() || m.size() > 2 || !all_digits(m) || d.empty() || d.size() > 2 ||
      !all_digits(d))
    return std::nullopt;
  char iso[16];
  std::snprintf(iso, sizeof iso, "%04d-%02d-%02d", to_int(y), to_int(m), to_int(d));
  auto day = parse_date(iso);
  if (!day) return std::nullopt;
  TimeMs t = start_of_local_day(*day);
  if (time.empty()) return t;
  int parts[3] = {0, 0, 0};
  int count = 0;
  std::size_t pos = 0;
  while (count < 3) {
    const auto colon = time.find(':', pos);
    const std::string part = time.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos);
    if (part.empty() || part.size() > 2 || !all_digits(part)) return std::nullopt;
    parts[count++] = to_int(part);
    if (colon == std::string::npos) break;
    pos = colon + 1;
  }
  if (count < 2 || parts[0] > 23 || parts[1] > 59 || parts[2] > 59) return std::nullopt;
  return t + parts[0] * kMsPerHour + parts[1] * 60'000 + parts[2] * 1000;
}

// "1,200.50" / "1200.5" / "300" / "300元" → fen.
std::optional<std::int64_t> parse_yuan(std::string s) {
  s = replace_all(replace_all(std::move(s), ",", ""), "元", "");
  s = replace_all(std::move(s), "，", "");
  const auto dot = s.find('.');
  const std::string whole = s.substr(0, dot);
  const std::string frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  if (!all_digits(whole) || whole.size() > 13 || frac.size() > 2 || (!frac.empty() && !all_digits(frac)))
    return std::nullopt;
  std::int64_t fen = 0;
  for (char c : whole) fen = fen * 10 + (c - '0');
  fen *= 100;
  if (frac.size() >= 1) fen += (frac[0] - '0') * 10;
  if (frac.size() == 2) fen += frac[1] - '0';
  return fen;
}

}  // namespace hl::casework
