#include <boost/test/unit_test.hpp>

#include "core/db/connection.hpp"
#include "core/db/migrations.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::db;

namespace {
const EmbeddedFile kFiles[] = {
    {"001_first.sql", "CREATE TABLE a(x); INSERT INTO a VALUES (1);"},
    {"002_second.sql", "CREATE TABLE b(y);"},
};
const EmbeddedFile kBroken[] = {
    {"001_first.sql", "CREATE TABLE a(x); INSERT INTO a VALUES (1);"},
    {"002_second.sql", "CREATE TABLE b(y);"},
    {"003_bad.sql", "CREATE TABLE c(z); INSERT INTO nowhere VALUES (1);"},
};
}  // namespace

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_AUTO_TEST_CASE(file_names_give_versions_in_order) {
  auto m = migrations_from_files(kFiles);
  BOOST_REQUIRE(m.has_value());
  BOOST_TEST(m->size() == 2u);
  BOOST_TEST((*m)[0].version == 1);
  BOOST_TEST((*m)[1].name == "second");
  const EmbeddedFile misnamed[] = {{"1_x.sql", ""}};
  BOOST_TEST(!migrations_from_files(misnamed).has_value());
  const EmbeddedFile duplicate[] = {{"001_a.sql", ""}, {"001_b.sql", ""}};
  BOOST_TEST(!migrations_from_files(duplicate).has_value());
}

BOOST_AUTO_TEST_CASE(applies_in_order_once_and_records_each) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("m.db"));
  auto m = *migrations_from_files(kFiles);
  BOOST_TEST(*migrate(c, m) == 2);
  BOOST_TEST(schema_version(c) == 2);
  BOOST_TEST(*migrate(c, m) == 0);  // idempotent
  auto st = c.prepare("SELECT count(*) FROM a");
  st.step();
  BOOST_TEST(st.int64(0) == 1);  // the seed row was not inserted twice
}

BOOST_AUTO_TEST_CASE(a_failing_migration_leaves_nothing_of_itself) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("m.db"));
  auto r = migrate(c, *migrations_from_files(kBroken));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().message.find("003_bad") != std::string::npos);
  BOOST_TEST(schema_version(c) == 2);
  auto st = c.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'c'");
  st.step();
  BOOST_TEST(st.int64(0) == 0);
}

BOOST_AUTO_TEST_CASE(a_database_from_a_newer_release_is_refused_clearly) {
  test::TempDir dir;
  auto c = Connection::open(dir.file("m.db"));
  BOOST_REQUIRE(migrate(c, *migrations_from_files(kFiles)).has_value());
  c.exec("INSERT INTO schema_migrations VALUES (9, 'future', 0)");
  auto r = migrate(c, *migrations_from_files(kFiles));
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(static_cast<int>(r.error().code) == static_cast<int>(Errc::conflict));
  BOOST_TEST(r.error().message.find("newer") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
