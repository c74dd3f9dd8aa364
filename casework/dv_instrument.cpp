#include "casework/dv_instrument.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kActiveVersion = "SELECT version FROM dv_instruments WHERE active = 1 ORDER BY version DESC LIMIT 1";
constexpr std::string_view kInstrument =
    "SELECT version, name_zh, name_en, active, retired_at FROM dv_instruments WHERE version = ?1";
constexpr std::string_view kItems =
    "SELECT code, weight, text_zh, text_en, sort FROM dv_instrument_items WHERE version = ?1 ORDER BY sort, code";
constexpr std::string_view kLevels =
    "SELECT level, min_score, name_zh, name_en FROM dv_instrument_levels WHERE version = ?1 ORDER BY min_score";

}  // namespace

const InstrumentItem* Instrument::item(const std::string& code) const {
  for (const auto& i : items)
    if (i.code == code) return &i;
  return nullptr;
}

std::string Instrument::level_for(int score) const {
  if (levels.empty()) return "general";
  const InstrumentLevel* best = &levels.front();
  for (const auto& l : levels)
    if (l.min_score <= score) best = &l;
  return best->level;
}

Result<RiskScore> Instrument::score(const std::map<std::string, bool>& answers) const {
  std::map<std::string, std::string> bad;
  if (answers.empty()) bad["answers"] = "answer at least one item";
  int total = 0;
  for (const auto& [code, yes] : answers) {
    const auto* i = item(code);
    if (i == nullptr) bad["answers." + code.substr(0, 64)] = "unknown item of instrument version " + std::to_string(version);
    else if (yes) total += i->weight;
  }
  if (!bad.empty()) return fail(Errc::invalid_input, "the answers do not fit the instrument", std::move(bad));
  return RiskScore{total, level_for(total)};
}

Result<Instrument> InstrumentRepository::version(db::Connection& conn, int v) {
  auto st = conn.prepare(kInstrument);
  st.bind_all(v);
  if (!st.step()) return fail(Errc::not_found, "no such instrument version");
  Instrument in;
  in.version = static_cast<int>(st.int64(0));
  in.name_zh = st.text(1);
  in.name_en = st.text(2);
  in.active = st.int64(3) != 0;
  in.retired_at = st.opt_int64(4);
  auto items = conn.prepare(kItems);
  items.bind_all(v);
  while (items.step())
    in.items.push_back({items.text(0), static_cast<int>(items.int64(1)), items.text(2), items.text(3),
                        static_cast<int>(items.int64(4))});
  auto levels = conn.prepare(kLevels);
  levels.bind_all(v);
  while (levels.step())
    in.levels.push_back({levels.text(0), static_cast<int>(levels.int64(1)), levels.text(2), levels.text(3)});
  return in;
}

Result<Instrument> InstrumentRepository::active(db::Connection& conn) {
  auto st = conn.prepare(kActiveVersion);
  if (!st.step()) return fail(Errc::internal, "no active DV risk instrument is configured");
  const int v = static_cast<int>(st.int64(0));
  st.reset();
  return version(conn, v);
}

}  // namespace hl::casework
