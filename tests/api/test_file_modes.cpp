// Every file the server and its commands create is owner-only (0600; directories 0700), whatever the
// umask of whoever starts them: the database, its -wal and -shm, the key file, the audit anchor and
// backups. Files left readable by an older release are tightened at serve start, and a database
// directory open to others is warned about (README.md, "Install on Debian").
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "api/server_process.hpp"
#include "support/temp_dir.hpp"

using namespace hl::apitest;

namespace {

// The test process's umask is 022 (group and others may read) for the fixture's lifetime: children
// inherit it, so the server must not rely on the caller's.
struct PermissiveUmask {
  mode_t saved = ::umask(022);
  ~PermissiveUmask() { ::umask(saved); }
};

unsigned mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw std::runtime_error("cannot stat " + path);
  return st.st_mode & 07777;
}

void check_owner_only(const std::string& path) {
  BOOST_REQUIRE_MESSAGE(std::filesystem::exists(path), path << " is missing");
  const unsigned mode = mode_of(path);
  BOOST_CHECK_MESSAGE(mode == 0600u, path << " has mode " << std::oct << mode << ", expected 600");
}

void make_file(const std::string& path, mode_t mode) {
  std::ofstream(path).flush();
  ::chmod(path.c_str(), mode);
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(file_modes, PermissiveUmask)

BOOST_AUTO_TEST_CASE(a_new_database_its_wal_keys_anchor_and_backup_are_0600_under_umask_022) {
  hl::test::TempDir dir;
  // A file created by the test itself under this umask is 0644: the check below is not vacuous.
  make_file(dir.file("probe"), 0666 & ~022);
  BOOST_REQUIRE_EQUAL(mode_of(dir.file("probe")), 0644u);

  ServerProcess server(ServerOptions{.db_dir = dir.path().string(), .copy_seed = false});
  BOOST_REQUIRE_EQUAL(server.request("GET", "/healthz").status, 200u);
  for (const char* name : {"t.db", "t.db-wal", "t.db-shm", "t.db.keys", "t.db.keys.anchor"}) check_owner_only(dir.file(name));

  auto backup = run_hotline({"backup", dir.file("backup.db"), "--db", server.db_path()});
  BOOST_REQUIRE_MESSAGE(backup.exit_code == 0, backup.out + backup.err);
  check_owner_only(dir.file("backup.db"));
  BOOST_CHECK_EQUAL(server.stop(), 0);
  BOOST_CHECK(server.log().find("database directory") == std::string::npos);  // mkdtemp's 0700: no warning
}

BOOST_AUTO_TEST_CASE(commands_create_owner_only_files_and_directories) {
  hl::test::TempDir dir;
  auto seeded = run_hotline({"seed-demo", "--db", dir.file("seeded.db"), "--cases", "2"});
  BOOST_REQUIRE_MESSAGE(seeded.exit_code == 0, seeded.out + seeded.err);
  check_owner_only(dir.file("seeded.db"));
  check_owner_only(dir.file("seeded.db.keys"));
  auto migrated = run_hotline({"migrate", "--db", dir.file("migrated.db")});
  BOOST_REQUIRE_MESSAGE(migrated.exit_code == 0, migrated.out + migrated.err);
  check_owner_only(dir.file("migrated.db"));
  // A user added from the command line writes through the WAL too.
  auto added = run_hotline({"user", "add", "--db", dir.file("seeded.db"), "--username", "clerk9", "--role", "operator",
                            "--office", "431023", "--password-stdin"},
                           "ninth-desk-2026-pw\n");
  BOOST_REQUIRE_MESSAGE(added.exit_code == 0, added.out + added.err);
  for (const char* name : {"seeded.db", "seeded.db.keys"}) check_owner_only(dir.file(name));
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    BOOST_CHECK_MESSAGE((mode_of(entry.path().string()) & 077) == 0,
                        entry.path() << " has mode " << std::oct << mode_of(entry.path().string()));
}

BOOST_AUTO_TEST_CASE(serve_tightens_files_left_readable_and_warns_about_an_open_directory) {
  hl::test::TempDir parent;
  const std::string data = parent.file("data");
  std::filesystem::create_directory(data);
  ::chmod(data.c_str(), 0755);
  copy_seeded_database(data);
  // As an older release (umask 022) left them: the database and a WAL readable by everyone.
  ::chmod((data + "/t.db").c_str(), 0644);
  make_file(data + "/t.db-wal", 0644);
  BOOST_REQUIRE_EQUAL(mode_of(data + "/t.db"), 0644u);

  ServerProcess server(ServerOptions{.db_dir = data, .copy_seed = false});
  BOOST_REQUIRE_EQUAL(server.request("GET", "/healthz").status, 200u);
  for (const char* name : {"/t.db", "/t.db-wal", "/t.db-shm"}) check_owner_only(data + name);
  const std::string log = server.log();
  BOOST_TEST_INFO(log);
  BOOST_CHECK(log.find(data + "/t.db was readable by group or others (mode 0644); changed it to 0600") != std::string::npos);
  BOOST_CHECK(log.find(data + "/t.db-wal was readable by group or others (mode 0644); changed it to 0600") != std::string::npos);
  BOOST_CHECK(log.find("the database directory " + data + " is accessible by group or others (mode 0755)") != std::string::npos);
  // The directory is only warned about (it may be shared), never changed.
  BOOST_CHECK_EQUAL(mode_of(data), 0755u);
  // The demo data are intact after the change.
  BOOST_CHECK_NO_THROW(server.login(kOperator));
}

BOOST_AUTO_TEST_SUITE_END()
