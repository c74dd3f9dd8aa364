#pragma once
// The casework fixture plus the DV services, fixed test keys, and helpers: answers that score
// exactly n on the default instrument, persons with keyed phone / ID hashes, an instrument version 2.
#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <vector>

#include "casework/case_repository.hpp"
#include "casework/dv_events.hpp"
#include "casework/dv_instrument.hpp"
#include "casework/dv_protection_order.hpp"
#include "casework/dv_record.hpp"
#include "casework/dv_repeat.hpp"
#include "casework/dv_risk_assessment.hpp"
#include "casework/dv_safety_plan.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "fixture.hpp"

namespace hl::test {

inline std::array<unsigned char, 32> dv_test_key(unsigned char seed) {
  std::array<unsigned char, 32> key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<unsigned char>(seed + 7 * i);
  return key;
}

struct DvFixture : CaseworkFixture {
  crypto::FieldCipher cipher{dv_test_key(1)};
  crypto::KeyedHash hash{dv_test_key(2)};
  casework::RiskAssessmentService risk{clock};
  casework::SafetyPlanService plans{clock, cipher};
  casework::ProtectionOrderService orders{clock};
  casework::DvEventService dv_events{clock};
  casework::DvRecordService records{clock};
  std::int64_t civil_affairs_id = partner("永兴县民政局救助管理站", "civil_affairs", 1);

  explicit DvFixture(int below_version = 0) : CaseworkFixture(below_version) {}

  // Answers to the default instrument (version 1) whose yes-weights sum to exactly `score`; every
  // other item is answered no, so a "no" that counted would show.
  std::map<std::string, bool> answers_scoring(int score) {
    auto instrument = casework::InstrumentRepository::version(conn, 1);
    BOOST_REQUIRE(instrument.has_value());
    auto items = instrument->items;
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.weight > b.weight; });
    std::map<std::string, bool> answers;
    int left = score;
    for (const auto& i : items) {
      const bool yes = i.weight <= left;
      if (yes) left -= i.weight;
      answers[i.code] = yes;
    }
    BOOST_REQUIRE_MESSAGE(left == 0, "cannot score " << score);
    return answers;
  }

  casework::RiskAssessment must_assess(std::int64_t case_id, int score, const casework::Actor& who) {
    auto a = risk.assess(conn, case_id, {answers_scoring(score), std::nullopt, "电话中评估"}, who);
    BOOST_REQUIRE_MESSAGE(a.has_value(), (a ? std::string() : a.error().message));
    return *a;
  }

  std::string risk_of(std::int64_t case_id) { return casework::CaseRepository::get_unscoped(conn, case_id)->risk_level; }

  std::string phone_hash(const std::string& phone) { return hash.digest("phone:" + phone); }
  std::string id_hash(const std::string& id) { return hash.digest("id:" + id); }

  // A contact on the case naming a person with this phone and/or ID number (empty: none).
  void add_person(std::int64_t case_id, const std::string& role, const std::string& phone, const std::string& id_number = "",
                  bool link_person_to_case = true) {
    auto c = casework::CaseRepository::get_unscoped(conn, case_id);
    BOOST_REQUIRE(c.has_value());
    conn.prepare("INSERT INTO contacts(office_id, case_id, channel, received_at, created_at) VALUES (?1, ?2, 'hotline', ?3, ?3)")
        .bind_all(c->office_id, case_id, c->received_at)
        .run();
    const auto contact = conn.last_insert_rowid();
    auto st = conn.prepare("INSERT INTO persons(contact_id, case_id, role, name, phone_hash, id_number_hash) VALUES (?1, ?2, ?3, '某某', ?4, ?5)");
    st.bind_all(contact, link_person_to_case ? std::optional(case_id) : std::nullopt, role);
    if (phone.empty()) st.bind(4, nullptr);
    else st.bind_blob(4, phone_hash(phone));
    if (id_number.empty()) st.bind(5, nullptr);
    else st.bind_blob(5, id_hash(id_number));
    st.run();
  }

  // Version 2 of the instrument becomes the active one and version 1 is retired: two items,
  // thresholds 0 / 2 / 4 / 6.
  void activate_version_2() {
    conn.exec(
        "INSERT INTO dv_instruments(version, name_zh, name_en, active) VALUES (2, '评估表第二版', 'Checklist v2', 0);"
        "INSERT INTO dv_instrument_items(version, code, weight, text_zh, text_en, sort) VALUES"
        " (2, 'weapon', 5, '凶器', 'Weapon', 1), (2, 'strangulation', 1, '掐脖', 'Strangulation', 2);"
        "INSERT INTO dv_instrument_levels(version, level, min_score, name_zh, name_en) VALUES"
        " (2, 'general', 0, '一般', 'General'), (2, 'elevated', 2, '较高', 'Elevated'),"
        " (2, 'high', 4, '高', 'High'), (2, 'extreme', 6, '极高', 'Extreme');"
        "UPDATE dv_instruments SET active = 0, retired_at = 1 WHERE version = 1;"
        "UPDATE dv_instruments SET active = 1 WHERE version = 2;");
  }

  std::vector<std::string> event_names(std::int64_t case_id) {
    std::vector<std::string> names;
    const auto events = casework::CaseRepository::events(conn, case_id, op);
    BOOST_REQUIRE(events.has_value());
    for (const auto& e : *events) names.push_back(e.event);
    return names;
  }

  bool has_event(std::int64_t case_id, const std::string& name) {
    const auto names = event_names(case_id);
    return std::find(names.begin(), names.end(), name) != names.end();
  }
};

template <class T>
T must_ok(Result<T> r) {
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
  return std::move(*r);
}

template <class T>
Error must_fail(Result<T> r, Errc code) {
  BOOST_REQUIRE_MESSAGE(!r.has_value(), "expected an error");
  BOOST_TEST((r.error().code == code), "error code " << to_string(r.error().code) << ": " << r.error().message);
  return r.error();
}

}  // namespace hl::test
