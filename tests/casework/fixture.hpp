#pragma once
// A migrated database on disk with an office tree, one user per role and some partners.
//   province 430000 ─ city 431000 ─┬ county 431023 (operator, supervisor "county_sup")
//                                  └ county 431021 (operator "other_op")
#include <boost/test/unit_test.hpp>

#include <vector>

#include "casework/actor.hpp"
#include "casework/case_service.hpp"
#include "casework/office_repository.hpp"
#include "casework/schema_setup.hpp"
#include "casework/user_repository.hpp"
#include "core/db/connection.hpp"
#include "core/db/migrations.hpp"
#include "core/local_time.hpp"
#include "schema/embedded_schema.hpp"
#include "support/temp_dir.hpp"

namespace hl::test {

struct CaseworkFixture {
  TempDir dir;
  std::string path = dir.file("casework.db");
  db::Connection conn = db::Connection::open(path);
  FakeClock clock{*parse_iso8601("2026-11-23T09:30:00+08:00")};
  casework::CaseService service{clock};
  casework::Office province, city, county, other_county;
  casework::Actor op, sup, city_sup, other_op, partner_police, partner_court, admin;
  std::int64_t police_id = 0, court_id = 0, inactive_partner_id = 0;
  int below_version_ = 0, old_cases_ = 0;

  // `below_version`: apply only the migrations before it (0: all), to test a later one on old data.
  explicit CaseworkFixture(int below_version = 0) : below_version_(below_version) {
    using namespace casework;
    if (below_version == 0) {
      BOOST_REQUIRE(migrate_database(conn).has_value());
    } else {
      auto all = db::migrations_from_files(schema::sql_files());
      BOOST_REQUIRE(all.has_value());
      std::vector<db::Migration> older;
      for (const auto& m : *all)
        if (m.version < below_version) older.push_back(m);
      BOOST_REQUIRE(db::migrate(conn, older).has_value());
    }
    const TimeMs now = clock.now_ms();
    // On an older schema (below_version) as that release wrote them: the columns of schema 001 only.
    auto office = [&](const char* name, const char* code, std::optional<std::int64_t> parent, const char* level) {
      if (below_version == 0) return *OfficeRepository::create(conn, name, code, parent, level, now);
      conn.prepare("INSERT INTO offices(name, region_code, parent_id, path, level, created_at) VALUES (?1, ?2, ?3, ?2, ?4, ?5)")
          .bind_all(name, code, parent, level, now)
          .run();
      const auto id = conn.last_insert_rowid();
      std::string parent_path = "/";
      if (parent) {
        auto st = conn.prepare("SELECT path FROM offices WHERE id = ?1");
        st.bind_all(*parent);
        BOOST_REQUIRE(st.step());
        parent_path = st.text(0);
      }
      const std::string path = parent_path + std::to_string(id) + "/";
      conn.prepare("UPDATE offices SET path = ?2 WHERE id = ?1").bind_all(id, path).run();
      return Office{id, name, code, parent, path, level, true, ""};
    };
    province = office("湖南省妇联", "430000", std::nullopt, "province");
    city = office("郴州市妇联", "431000", province.id, "city");
    county = office("永兴县妇联", "431023", city.id, "county");
    other_county = office("桂阳县妇联", "431021", city.id, "county");
    police_id = partner("城关派出所", "police", 1);
    court_id = partner("永兴县人民法院", "court", 1);
    inactive_partner_id = partner("已撤销的机构", "other", 0);
    op = user("op", "operator", county.id, std::nullopt);
    sup = user("county_sup", "supervisor", county.id, std::nullopt);
    city_sup = user("city_sup", "supervisor", city.id, std::nullopt);
    other_op = user("other_op", "operator", other_county.id, std::nullopt);
    partner_police = user("police", "partner", std::nullopt, police_id);
    partner_court = user("court", "partner", std::nullopt, court_id);
    // The one administrator role before schema 033 (三员分立) was `admin`; 033 makes it sysadmin.
    admin = user("admin", below_version != 0 && below_version <= 33 ? "admin" : "sysadmin", std::nullopt, std::nullopt);
  }

  std::int64_t partner(const char* name, const char* type, int active) {
    conn.prepare("INSERT INTO partners(name, type, active, created_at) VALUES (?1, ?2, ?3, 0)").bind_all(name, type, active).run();
    return conn.last_insert_rowid();
  }

  // An office's path by raw SQL (also on an older schema, whose offices lack today's columns).
  std::string office_path_of(std::int64_t office_id) {
    auto st = conn.prepare("SELECT path FROM offices WHERE id = ?1");
    st.bind_all(office_id);
    BOOST_REQUIRE(st.step());
    return st.text(0);
  }

  casework::Actor user(const char* name, const char* role, std::optional<std::int64_t> office,
                       std::optional<std::int64_t> partner_id) {
    // On an older schema (below_version) as that release wrote it: today's repository writes and
    // reads columns that did not exist yet (schema 027's password columns).
    if (below_version_ != 0) {
      conn.prepare("INSERT INTO users(username, display_name, role, office_id, partner_id, password_hash, created_at)"
                   " VALUES (?1, ?1, ?2, ?3, ?4, 'x', ?5)")
          .bind_all(name, role, office, partner_id, clock.now_ms())
          .run();
      const std::string_view now_called = std::string_view(role) == "admin" ? "sysadmin" : role;
      casework::Actor a{conn.last_insert_rowid(), *casework::parse_role(now_called), office, "", partner_id};
      if (office) a.office_path = office_path_of(*office);
      return a;
    }
    auto u = casework::UserRepository::create(conn, {name, name, role, office, partner_id, "x"}, clock.now_ms());
    BOOST_REQUIRE_MESSAGE(u.has_value(), (u ? std::string() : u.error().message));
    return *casework::UserRepository::actor_for(conn, u->id);
  }

  casework::CaseRecord open(const std::string& category = "marriage_family.domestic_violence",
                            std::optional<std::int64_t> office = std::nullopt) {
    // On an older schema (below_version) the case as that release wrote it: the columns of schema 001
    // (today's repository reads columns that did not exist yet).
    if (below_version_ != 0) {
      casework::CaseRecord c;
      c.office_id = office.value_or(county.id);
      c.office_path = office_path_of(c.office_id);
      c.category = category;
      c.channel = "hotline";
      c.received_at = c.created_at = c.updated_at = clock.now_ms();
      c.case_no = "OLD-" + std::to_string(++old_cases_);
      conn.prepare("INSERT INTO cases(case_no, office_id, office_path, status, category, channel, summary, received_at,"
                   " acceptance_due, created_at, updated_at) VALUES (?1, ?2, ?3, 'registered', ?4, 'hotline', '丈夫长期家暴',"
                   " ?5, ?5 + 1296000000, ?5, ?5)")
          .bind_all(c.case_no, c.office_id, c.office_path, category, c.received_at)
          .run();
      c.id = conn.last_insert_rowid();
      return c;
    }
    casework::NewCase n{office.value_or(county.id), category, "hotline", "normal", "丈夫长期家暴", "她要求离婚并申请保护令",
                        clock.now_ms(), std::nullopt, std::nullopt};
    auto c = service.open_case(conn, n, office && *office == other_county.id ? other_op : op);
    BOOST_REQUIRE_MESSAGE(c.has_value(), (c ? std::string() : c.error().message));
    return *c;
  }

  // The notice (告知) every decision and routing carries: told by phone, on the spot.
  static casework::EventData notice(casework::EventData extra = {}) {
    extra.emplace("notice_method", "phone");
    extra.emplace("notice_on_the_spot", "true");
    return extra;
  }

  // Records the reply (答复) that closing needs, made today by phone.
  casework::CaseRecord reply(const casework::CaseRecord& c, const casework::Actor& who) {
    return must(service.apply(conn, c.id, c.version, casework::CaseEvent::reply, who,
                              {{"replied_at", format_iso8601(clock.now_ms())}, {"method", "phone"},
                               {"opinion", "support"}, {"basis", "依据《反家庭暴力法》协调处理"}}));
  }

  casework::CaseRecord must(Result<casework::CaseRecord> r) {
    BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? std::string() : r.error().message));
    return *r;
  }

  std::int64_t scalar(const std::string& sql) {
    auto st = conn.prepare(sql);
    st.step();
    return st.int64(0);
  }
};

}  // namespace hl::test
