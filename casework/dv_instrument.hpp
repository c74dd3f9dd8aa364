#pragma once
// The DV risk instrument as data (schema 003 and later migrations or admin inserts): versioned
// yes/no items with weights, and level thresholds. Exactly one version is active; answers are
// accepted only for it, and an assessment keeps the version it was scored against.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct InstrumentItem {
  std::string code;
  int weight = 0;
  std::string text_zh, text_en;
  int sort = 0;
};

struct InstrumentLevel {
  std::string level;  // general | elevated | high | extreme
  int min_score = 0;
  std::string name_zh, name_en;
};

struct RiskScore {
  int score = 0;
  std::string level;
};

struct Instrument {
  int version = 0;
  std::string name_zh, name_en;
  bool active = false;
  std::optional<TimeMs> retired_at;
  std::vector<InstrumentItem> items;    // by sort
  std::vector<InstrumentLevel> levels;  // by min_score, ascending

  const InstrumentItem* item(const std::string& code) const;
  // The level of the threshold row with the largest min_score <= score (the lowest level when the
  // score is below every threshold, which a well-formed instrument with a 0 row never has).
  std::string level_for(int score) const;
  // The sum of the weights of the items answered true, and its level. invalid_input naming every
  // unknown item code ("answers.<code>"), or "answers" when nothing was answered.
  Result<RiskScore> score(const std::map<std::string, bool>& answers) const;
};

class InstrumentRepository {
 public:
  // The active version; internal when the database has none (a broken configuration).
  static Result<Instrument> active(db::Connection& conn);
  // A given version, active or not; not_found when there is no such version.
  static Result<Instrument> version(db::Connection& conn, int version);
};

}  // namespace hl::casework
