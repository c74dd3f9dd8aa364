#include "casework/dv_risk_assessment.hpp"

#include "casework/dv_instrument.hpp"
#include "casework/dv_support.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO dv_risk_assessments(case_id, instrument_version, score, level, note, assessor_id, assessed_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr std::string_view kInsertAnswer =
    "INSERT INTO dv_risk_answers(assessment_id, item_code, answer) VALUES (?1, ?2, ?3)";
// The case follows its latest assessment (by time, then id), whatever order they were written in.
constexpr std::string_view kFollowLatest =
    "UPDATE cases SET risk_level = (SELECT a.level FROM dv_risk_assessments a WHERE a.case_id = ?1"
    " ORDER BY a.assessed_at DESC, a.id DESC LIMIT 1), updated_at = ?2 WHERE id = ?1";
constexpr std::string_view kCaseRisk = "SELECT risk_level FROM cases WHERE id = ?1";
constexpr std::string_view kByCase =
    "SELECT a.id, a.case_id, a.instrument_version, a.score, a.level, a.note, a.assessor_id, u.display_name, a.assessed_at"
    " FROM dv_risk_assessments a LEFT JOIN users u ON u.id = a.assessor_id WHERE a.case_id = ?1"
    " ORDER BY a.assessed_at, a.id LIMIT 1000";
constexpr std::string_view kById =
    "SELECT a.id, a.case_id, a.instrument_version, a.score, a.level, a.note, a.assessor_id, u.display_name, a.assessed_at"
    " FROM dv_risk_assessments a LEFT JOIN users u ON u.id = a.assessor_id WHERE a.id = ?1";
constexpr std::string_view kAnswers = "SELECT item_code, answer FROM dv_risk_answers WHERE assessment_id = ?1";

RiskAssessment read(const db::Statement& st) {
  RiskAssessment a;
  a.id = st.int64(0);
  a.case_id = st.int64(1);
  a.instrument_version = static_cast<int>(st.int64(2));
  a.score = static_cast<int>(st.int64(3));
  a.level = st.text(4);
  a.note = st.text(5);
  a.assessor_id = st.opt_int64(6);
  a.assessor_name = st.opt_text(7);
  a.assessed_at = st.int64(8);
  return a;
}

void load_answers(db::Connection& conn, RiskAssessment& a) {
  auto st = conn.prepare(kAnswers);
  st.bind_all(a.id);
  while (st.step()) a.answers[st.text(0)] = st.int64(1) != 0;
}

}  // namespace

Result<RiskAssessment> RiskAssessmentService::get(db::Connection& conn, std::int64_t id, const Actor& actor) {
  auto st = conn.prepare(kById);
  st.bind_all(id);
  if (!st.step()) return fail(Errc::not_found, "no such risk assessment");
  auto a = read(st);
  if (auto c = dv_case(conn, a.case_id, actor); !c) return fail(Errc::not_found, "no such risk assessment");
  load_answers(conn, a);
  return a;
}

Result<std::vector<RiskAssessment>> RiskAssessmentService::history(db::Connection& conn, std::int64_t case_id,
                                                                   const Actor& actor) {
  if (auto c = dv_case(conn, case_id, actor); !c) return std::unexpected(c.error());
  std::vector<RiskAssessment> out;
  auto st = conn.prepare(kByCase);
  st.bind_all(case_id);
  while (st.step()) out.push_back(read(st));
  for (auto& a : out) load_answers(conn, a);
  return out;
}

Result<RiskAssessment> RiskAssessmentService::assess(db::Connection& conn, std::int64_t case_id,
                                                     const NewRiskAssessment& in, const Actor& actor) const {
  if (auto c = dv_writable_case(conn, case_id, actor, DvWrite::case_facts); !c) return std::unexpected(c.error());
  auto instrument = InstrumentRepository::active(conn);
  if (!instrument) return std::unexpected(instrument.error());
  if (in.instrument_version && *in.instrument_version != instrument->version) {
    const bool known = InstrumentRepository::version(conn, *in.instrument_version).has_value();
    return fail(Errc::invalid_input, "the answers are for an instrument version that is not in use",
                {{"instrument_version", (known ? "version " + std::to_string(*in.instrument_version) + " is retired"
                                               : "no such version") +
                                            "; answer the active version " + std::to_string(instrument->version)}});
  }
  auto scored = instrument->score(in.answers);
  if (!scored) return std::unexpected(scored.error());
  if (in.note.size() > 5000) return fail(Errc::invalid_input, "the note is too long", {{"note", "at most 5000 bytes"}});

  auto before = conn.prepare(kCaseRisk);
  before.bind_all(case_id);
  before.step();
  const std::string previous = before.text(0);
  before.reset();

  const TimeMs now = clock_.now_ms();
  const std::optional<std::int64_t> by = actor.user_id > 0 ? std::optional(actor.user_id) : std::nullopt;
  conn.prepare(kInsert).bind_all(case_id, instrument->version, scored->score, scored->level, in.note, by, now).run();
  const auto id = conn.last_insert_rowid();
  for (const auto& [code, yes] : in.answers) conn.prepare(kInsertAnswer).bind_all(id, code, yes ? 1 : 0).run();
  conn.prepare(kFollowLatest).bind_all(case_id, now).run();
  append_dv_event(conn, case_id, "risk_assessed", actor, now,
                  {{"assessment_id", std::to_string(id)},
                   {"score", std::to_string(scored->score)},
                   {"level", scored->level},
                   {"previous_level", previous},
                   {"instrument_version", std::to_string(instrument->version)}});
  return get(conn, id, actor);
}

}  // namespace hl::casework
