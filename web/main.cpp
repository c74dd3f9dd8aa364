// hotline: the Weiquan server and its administration commands. main only wires; the work is in the
// libraries.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "casework/case_repository.hpp"
#include "casework/database_keys.hpp"
#include "casework/office_repository.hpp"
#include "casework/password_policy.hpp"
#include "casework/user_repository.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/crypto/keys.hpp"
#include "core/db/transaction.hpp"
#include "web/app/app.hpp"
#include "web/app/backup_commands.hpp"
#include "web/app/import_command.hpp"
#include "web/app/config.hpp"
#include "casework/demo_seed.hpp"
#include "casework/safe_contact_sealing.hpp"
#include "casework/schema_setup.hpp"
#include "core/cli_args.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"
#include "core/crypto/password_hasher.hpp"
#include "core/crypto/random.hpp"
#include "core/crypto/sha256.hpp"
#include "core/db/connection.hpp"
#include "core/db/db_error.hpp"
#include "core/file_clock.hpp"
#include "core/file_modes.hpp"
#include "core/local_time.hpp"

using namespace hl;

// HOTLINE_TEST_CLOCK (a CMake option, on in test builds, off in Release): whether `--clock-file` is
// accepted. A production binary refuses it, so nobody can run a real office on a made-up date.
#ifndef HOTLINE_TEST_CLOCK
#define HOTLINE_TEST_CLOCK 0
#endif

namespace {

constexpr bool kTestClockBuild = HOTLINE_TEST_CLOCK != 0;

constexpr const char* kUsage =
    "usage: hotline COMMAND [--db PATH]\n"
    "  serve [--config FILE] [--listen ADDR:PORT] [--keys FILE] [--threads N]\n"
    "                               run the web server (default 127.0.0.1:8080) until SIGTERM/SIGINT\n"
    "  migrate                      create or upgrade the database\n"
    "  seed-demo [--cases N]        fill an empty database with demo offices, users and cases\n"
    "  user add --username NAME --role ROLE [--office REGION_CODE] [--partner PARTNER_ID]\n"
    "           [--display-name NAME] --password-stdin\n"
    "                               create a user; the password is read from standard input\n"
    "  backup PATH [--keys FILE]    consistent online copy of the database (safe while serving), checked,\n"
    "                               with PATH.manifest.json signed with the key file\n"
    "  restore BACKUP [--keys FILE] [--anchor FILE] [--force]\n"
    "                               put a backup in place at --db after checking its manifest, key file,\n"
    "                               SHA-256 and audit chain; refuses an existing database unless --force\n"
    "                               (which moves it aside); moves the old audit anchor aside\n"
    "  audit verify [--keys FILE] [--anchor FILE]\n"
    "                               check the audit log's hash chain against its newest anchor (default\n"
    "                               the key file + .anchor); reports the first broken or missing row\n"
    "  case show --case-no NO       print a case and its timeline\n"
    "  import FILE --office REGION_CODE [--keys FILE]\n"
    "                               import a legacy ledger (台账) CSV into that office; prints\n"
    "                               every rejected row; exit 1 when rows were rejected\n"
    "  telephony-token NAME         print a new bearer token for the call-centre system NAME and the\n"
    "                               config \"telephony\" entry holding only its SHA-256\n"
    "The database defaults to $HOTLINE_DB or ./hotline.db; the key file to the database path + .keys.\n"
    "A new database's key file is made for --crypto-suite sodium (default) or sm (国密: SM4 + HMAC-SM3),\n"
    "or $HOTLINE_CRYPTO_SUITE, by serve, seed-demo or user add; an existing one keeps its suite.\n";
constexpr const char* kTestClockUsage =
    "Test build: serve, seed-demo, user add, import, backup and restore take --clock-file PATH, a file\n"
    "holding the time (2026-12-31T23:59:50+08:00, running on from the file's last change, or with\n"
    "\" frozen\" after it);\n"
    "the server applies every change of the file at once (core/file_clock.hpp).\n";

// The clock a command runs on: the system clock, or with --clock-file (test builds only) the file's.
// Fails when the flag is given to a production build or the file cannot be read.
Result<std::unique_ptr<Clock>> command_clock(const CliArgs& args) {
  const auto file = args.get("clock-file");
  if (!file) return std::make_unique<SystemClock>();
  if (!kTestClockBuild)
    return fail(Errc::forbidden, "--clock-file is for test builds only; this binary was built without HOTLINE_TEST_CLOCK");
  auto clock = FileClock::open(*file);
  if (!clock) return std::unexpected(clock.error());
  return std::unique_ptr<Clock>(std::move(*clock));
}

std::string db_path(const CliArgs& args) {
  if (auto p = args.get("db")) return *p;
  if (const char* env = std::getenv("HOTLINE_DB")) return env;
  return "hotline.db";
}

std::string keys_path(const CliArgs& args) {
  if (auto k = args.get("keys")) return *k;
  if (const char* env = std::getenv("HOTLINE_KEYS")) return env;
  return db_path(args) + ".keys";
}

// The crypto suite asked for a new database (--crypto-suite or HOTLINE_CRYPTO_SUITE), if any.
Result<std::optional<crypto::Suite>> requested_suite(const CliArgs& args) {
  std::optional<std::string> name = args.get("crypto-suite");
  if (!name)
    if (const char* env = std::getenv("HOTLINE_CRYPTO_SUITE")) name = env;
  if (!name || name->empty()) return std::optional<crypto::Suite>{};
  if (auto s = crypto::parse_suite(*name)) return std::optional<crypto::Suite>{*s};
  return fail(Errc::invalid_input, "--crypto-suite must be sodium or sm, not " + *name);
}

// The database's keys, made for the requested suite when new.
Result<crypto::Keys> database_keys(db::Connection& conn, const CliArgs& args) {
  auto suite = requested_suite(args);
  if (!suite) return std::unexpected(suite.error());
  return casework::open_database_keys(conn, keys_path(args), *suite);
}

Result<db::Connection> open_migrated(const std::string& path) {
  auto conn = db::Connection::open(path);
  auto applied = casework::migrate_database(conn);
  if (!applied) return std::unexpected(applied.error());
  if (*applied > 0) std::fprintf(stderr, "applied %d migration(s) to %s\n", *applied, path.c_str());
  return conn;
}

int cmd_migrate(const CliArgs& args) {
  auto conn = open_migrated(db_path(args));
  if (!conn) {
    std::fprintf(stderr, "hotline: %s\n", conn.error().message.c_str());
    return 1;
  }
  // With the key file at hand, values an older release stored in plaintext are encrypted now; without
  // it (a new database) `serve` does so at its start, when it has the keys.
  if (std::filesystem::exists(keys_path(args))) {
    auto keys = database_keys(*conn, args);
    auto sealed = keys ? casework::seal_safe_contact_fields(*conn, crypto::FieldCipher(keys->field_key, keys->suite))
                       : Result<int>(std::unexpected(keys.error()));
    if (!sealed) {
      std::fprintf(stderr, "hotline: %s\n", sealed.error().message.c_str());
      return 1;
    }
    if (*sealed > 0) std::fprintf(stderr, "encrypted %d safe-contact value(s) stored in plaintext\n", *sealed);
  }
  std::printf("schema at version %d\n", casework::known_schema_version());
  return 0;
}

int cmd_seed_demo(const CliArgs& args) {
  const auto clock = command_clock(args);
  if (!clock) {
    std::fprintf(stderr, "hotline: %s\n", clock.error().message.c_str());
    return 2;
  }
  auto conn = open_migrated(db_path(args));
  if (!conn) {
    std::fprintf(stderr, "hotline: %s\n", conn.error().message.c_str());
    return 1;
  }
  // The key file is created with the database it protects, before any protected data exists.
  if (auto keys = database_keys(*conn, args); !keys) {
    std::fprintf(stderr, "hotline: %s\n", keys.error().message.c_str());
    return 1;
  }
  crypto::PasswordHasher hasher(2);
  const int cases = std::stoi(args.get("cases").value_or("300"));
  auto seeded = casework::seed_demo(*conn, **clock, cases, [&](std::string_view pw) { return hasher.hash(pw); });
  if (!seeded) {
    std::fprintf(stderr, "hotline: %s\n", seeded.error().message.c_str());
    return 1;
  }
  if (seeded->logins.empty()) {
    std::printf("database already has data; demo seed skipped\n");
    return 0;
  }
  std::printf("seeded %d demo cases. Demo logins (username / password, role, office):\n", seeded->cases);
  for (const auto& l : seeded->logins)
    std::printf("  %-11s %-22s %-10s %s\n", l.username.c_str(), l.password.c_str(), l.role.c_str(), l.where.c_str());
  return 0;
}

int cmd_serve(const CliArgs& args) {
  auto config = web::load_config(args);
  if (!config) {
    std::fprintf(stderr, "hotline: %s\n", config.error().message.c_str());
    return 2;
  }
  if (auto file = args.get("clock-file")) {
    if (!kTestClockBuild) {
      std::fputs("hotline: --clock-file is for test builds only; this binary was built without HOTLINE_TEST_CLOCK\n", stderr);
      return 2;
    }
    config->clock_file = *file;
  }
  web::App::block_stop_signals();
  auto app = web::App::open(*config);
  if (!app) {
    std::fprintf(stderr, "hotline: %s\n", app.error().message.c_str());
    return 1;
  }
  return (*app)->serve([&args] { return web::load_config(args); });
}

int cmd_user_add(const CliArgs& args) {
  auto username = args.get("username");
  auto role = args.get("role");
  if (!username || !role || !args.has("password-stdin")) {
    std::fputs("hotline user add needs --username, --role and --password-stdin\n", stderr);
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (auto problem = casework::password_problem(*username, password); !problem.empty()) {
    std::fprintf(stderr, "hotline: the password is not allowed: %s\n", problem.c_str());
    return 2;
  }
  const auto clock = command_clock(args);
  if (!clock) {
    std::fprintf(stderr, "hotline: %s\n", clock.error().message.c_str());
    return 2;
  }
  auto conn = open_migrated(db_path(args));
  if (!conn) {
    std::fprintf(stderr, "hotline: %s\n", conn.error().message.c_str());
    return 1;
  }
  casework::NewUser user{*username, args.get("display-name").value_or(*username), *role, std::nullopt, std::nullopt, ""};
  if (auto code = args.get("office")) {
    auto office = casework::OfficeRepository::by_region_code(*conn, *code);
    if (!office) {
      std::fprintf(stderr, "hotline: no office with region code %s\n", code->c_str());
      return 1;
    }
    user.office_id = office->id;
  }
  if (auto partner = args.get("partner")) user.partner_id = std::stoll(*partner);
  crypto::PasswordHasher hasher(1);
  user.password_hash = hasher.hash(password);
  db::Transaction tx(*conn);
  auto created = casework::UserRepository::create(*conn, user, (*clock)->now_ms());
  if (!created) {
    std::fprintf(stderr, "hotline: %s\n", created.error().message.c_str());
    for (const auto& [field, problem] : created.error().fields) std::fprintf(stderr, "  %s: %s\n", field.c_str(), problem.c_str());
    return 1;
  }
  auto keys = database_keys(*conn, args);
  if (!keys) {
    std::fprintf(stderr, "hotline: %s\n", keys.error().message.c_str());
    return 1;
  }
  audit::AuditChain chain(keys->audit_key, keys->suite);
  chain.append(*conn, {(*clock)->now_ms(), std::nullopt, "user.create", "user", created->id, "via command line: " + *username, ""});
  tx.commit();
  std::printf("created user %s (id %lld, %s)\n", created->username.c_str(), static_cast<long long>(created->id), role->c_str());
  return 0;
}

int cmd_audit_verify(const CliArgs& args) {
  if (!std::filesystem::exists(keys_path(args))) {
    std::fprintf(stderr, "hotline: key file %s not found; give --keys FILE\n", keys_path(args).c_str());
    return 1;
  }
  auto keys = crypto::load_or_create_keys(keys_path(args));
  if (!keys) {
    std::fprintf(stderr, "hotline: %s\n", keys.error().message.c_str());
    return 1;
  }
  const std::string anchor_path = args.get("anchor").value_or(keys_path(args) + ".anchor");
  const auto anchor = audit::AnchorFile(anchor_path, keys->audit_key, keys->suite).highest();
  if (!anchor) {
    std::printf("audit chain NOT VERIFIED: %s\n", anchor.error().message.c_str());
    return 1;
  }
  auto conn = db::Connection::open(db_path(args), {.read_only = true});
  auto report = audit::AuditChain(keys->audit_key, keys->suite).verify(conn, *anchor);
  if (report.ok) {
    std::printf("audit chain ok: %lld rows verified", static_cast<long long>(report.rows_checked));
    if (*anchor)
      std::printf("; anchored row %lld (anchor of %s in %s) is present and matches\n", static_cast<long long>((*anchor)->row_id),
                  format_iso8601((*anchor)->at).c_str(), anchor_path.c_str());
    else
      std::printf("; no anchor file at %s, so a cut-off tail could not be checked\n", anchor_path.c_str());
    return 0;
  }
  std::printf("audit chain BROKEN at row %lld: %s\n", static_cast<long long>(report.first_broken_id.value_or(0)),
              report.reason.c_str());
  return 1;
}

web::DatabasePaths database_paths(const CliArgs& args) {
  return {db_path(args), keys_path(args), args.get("anchor").value_or(keys_path(args) + ".anchor")};
}

int cmd_backup(const CliArgs& args) {
  if (args.words.size() < 2) {
    std::fputs("usage: hotline backup PATH [--db DB] [--keys FILE]\n", stderr);
    return 2;
  }
  const auto clock = command_clock(args);
  if (!clock) {
    std::fprintf(stderr, "hotline: %s\n", clock.error().message.c_str());
    return 2;
  }
  return web::backup_command(args.words[1], database_paths(args), **clock);
}

int cmd_restore(const CliArgs& args) {
  const auto clock = command_clock(args);
  if (args.words.size() < 2 || !args.get("db") || !clock) {
    std::fprintf(stderr, "%s", clock ? "usage: hotline restore BACKUP --db PATH [--keys FILE] [--anchor FILE] [--force]\n"
                                      : ("hotline: " + clock.error().message + "\n").c_str());
    return 2;
  }
  return web::restore_command(args.words[1], database_paths(args), args.has("force"), **clock);
}

int cmd_case_show(const CliArgs& args) {
  auto case_no = args.get("case-no");
  if (!case_no) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  auto conn = db::Connection::open(db_path(args), {.read_only = true});
  auto find = conn.prepare("SELECT id FROM cases WHERE case_no = ?1");
  find.bind_all(*case_no);
  if (!find.step()) {
    std::fprintf(stderr, "hotline: no case %s\n", case_no->c_str());
    return 1;
  }
  const auto system = casework::Actor::system();
  auto c = *casework::CaseRepository::get(conn, find.int64(0), system);
  std::printf("%s  %s  %s  received %s\n", c.case_no.c_str(), std::string(casework::to_string(c.status)).c_str(),
              c.category.c_str(), format_iso8601(c.received_at).c_str());
  std::printf("  %s\n", c.summary.c_str());
  if (c.next_due) std::printf("  next deadline %s\n", format_iso8601(*c.next_due).c_str());
  const auto events = casework::CaseRepository::events(conn, c.id, system);  // keep alive for the loop
  for (const auto& e : *events)
    std::printf("  %s  %-16s %-16s -> %-16s %s\n", format_iso8601(e.at).c_str(), e.event.c_str(),
                e.from_status.value_or("").c_str(), e.to_status.c_str(), e.payload_json.c_str());
  return 0;
}

int cmd_import(const CliArgs& args) {
  const auto code = args.get("office");
  if (args.words.size() < 2 || !code) {
    std::fputs("usage: hotline import FILE --office REGION_CODE [--db DB] [--keys FILE]\n", stderr);
    return 2;
  }
  const auto clock = command_clock(args);
  if (!clock) {
    std::fprintf(stderr, "hotline: %s\n", clock.error().message.c_str());
    return 2;
  }
  auto conn = open_migrated(db_path(args));
  if (!conn) {
    std::fprintf(stderr, "hotline: %s\n", conn.error().message.c_str());
    return 1;
  }
  return web::import_command(args.words[1], *code, *conn, keys_path(args), **clock);
}

// A new token for a call-centre system: the token for the system's operator, and the configuration
// entry, which holds only its SHA-256 (a leaked configuration file does not let anyone report calls).
int cmd_telephony_token(const CliArgs& args) {
  const std::string name = args.words.size() > 1 ? args.words[1] : "";
  if (name.empty() || name.size() > 64 ||
      name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos) {
    std::fputs("hotline: telephony-token NAME: a name of 1 to 64 characters A-Z a-z 0-9 - _\n", stderr);
    return 2;
  }
  const std::string token = crypto::random_token_hex(32);
  std::printf("token (give it to the call-centre system; shown once): %s\n", token.c_str());
  std::printf("config \"telephony\" entry: {\"name\": \"%s\", \"token_sha256\": \"%s\", \"offices\": []}\n", name.c_str(),
              crypto::sha256_hex(token).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  restrict_new_file_modes();  // every file any command creates is 0600, every directory 0700
  auto args = parse_cli(argc, argv, {"help", "password-stdin", "force"});
  if (!args || args->words.empty() || args->has("help")) {
    std::fputs(kUsage, args ? stdout : stderr);
    if (kTestClockBuild) std::fputs(kTestClockUsage, args ? stdout : stderr);
    return args && args->has("help") ? 0 : 2;
  }
  try {
    const auto& w = args->words;
    if (w[0] == "serve") return cmd_serve(*args);
    if (w[0] == "migrate") return cmd_migrate(*args);
    if (w[0] == "backup") return cmd_backup(*args);
    if (w[0] == "restore") return cmd_restore(*args);
    if (w[0] == "user" && w.size() > 1 && w[1] == "add") return cmd_user_add(*args);
    if (w[0] == "audit" && w.size() > 1 && w[1] == "verify") return cmd_audit_verify(*args);
    if (w[0] == "seed-demo") return cmd_seed_demo(*args);
    if (w[0] == "case" && w.size() > 1 && w[1] == "show") return cmd_case_show(*args);
    if (w[0] == "import") return cmd_import(*args);
    if (w[0] == "telephony-token") return cmd_telephony_token(*args);
  } catch (const db::DbError& e) {
    std::fprintf(stderr, "hotline: database error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hotline: %s\n", e.what());
    return 1;
  }
  std::fputs(kUsage, stderr);
  return 2;
}
