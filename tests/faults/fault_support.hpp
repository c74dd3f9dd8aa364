#pragma once
// What the storage-fault tests share: root-only fixtures that undo themselves (a small tmpfs, a disk
// filler, the immutable flag), readers of /healthz and /metrics, intakes tagged so that a restarted
// server can be asked for them again, and checks of a stopped server's database file.
// The contract under test: issue #17, as web/API.md (/healthz, 503 storage_full / storage_unavailable)
// and README.md (configuration, start-up refusals) describe it.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/server_process.hpp"
#include "support/temp_dir.hpp"

namespace hl::faulttest {

using namespace hl::apitest;

// A tmpfs of `size` (e.g. "24m") mounted on a fresh directory; unmounted on destruction (detached
// when still busy). Throws with the reason when mount fails: these tests need root and fail rather
// than skip, so a machine that cannot run them is noticed.
class TmpfsMount {
 public:
  explicit TmpfsMount(const std::string& size);
  ~TmpfsMount();
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  std::string path() const { return dir_.path().string(); }
  std::string file(const std::string& name) const { return dir_.file(name); }
  // mount -o remount,ro: the file system refuses every write from then on.
  void remount_read_only();

 private:
  test::TempDir dir_;
  bool mounted_ = false;
};

// One file that takes all the space of its file system but about `leave` bytes; deleted by remove()
// or the destructor.
class DiskFiller {
 public:
  DiskFiller(std::string path, std::uint64_t leave);
  ~DiskFiller() { remove(); }
  DiskFiller(const DiskFiller&) = delete;
  DiskFiller& operator=(const DiskFiller&) = delete;
  void remove();

 private:
  std::string path_;
};

// Free bytes for unprivileged writers on the file system holding `path` (what /healthz reports).
std::uint64_t free_bytes(const std::string& path);

// The immutable attribute (chattr +i) on a file or directory, cleared again on destruction (an
// immutable file cannot be deleted, so the test's directory could not be cleaned up).
class ImmutableFlag {
 public:
  explicit ImmutableFlag(std::string path);
  ~ImmutableFlag();
  ImmutableFlag(const ImmutableFlag&) = delete;
  ImmutableFlag& operator=(const ImmutableFlag&) = delete;

 private:
  std::string path_;
};

// ---- the server's own account of its storage ----

struct Health {
  unsigned status = 0;
  Json body;  // null when the answer was not JSON
  std::string raw;
  std::string state() const;  // "ok", "degraded", "failing", or "" when the body has none
  bool has_reason(std::string_view code) const;
  // checks.<name>, or null.
  Json check(const std::string& name) const;
  std::string text() const { return "HTTP " + std::to_string(status) + ": " + raw; }
};

Health health(const ServerProcess& server);
// Asks /healthz until `state` is reported (and, when given, `reason` is among the reasons), for up
// to `limit`; returns the last answer either way.
Health wait_for_health(const ServerProcess& server, std::string_view state, std::string_view reason = {},
                       std::chrono::milliseconds limit = std::chrono::seconds(15));
// The value of the unlabelled sample `name` in /metrics, or nullopt when it is missing.
std::optional<double> metric(const ServerProcess& server, const std::string& name);

// ---- intakes ----

// One intake answer. status 0: the request itself failed (`error` says how).
struct Answer {
  std::string tag;  // the summary it was sent with
  unsigned status = 0;
  std::string code;  // error.code of an error answer
  std::string error;
  std::string body;
  bool envelope = false;     // the body is the error envelope (tests/api is_error_envelope)
  std::int64_t case_id = 0;  // of a 201
  std::string case_no;       // of a 201
  bool refused_for_storage() const {
    return status == 503 && (code == "storage_full" || code == "storage_unavailable");
  }
  std::string text() const;
};

// POST /api/v1/intakes opening a case whose summary is `tag` (complainant's phone: `phone`, or none);
// never throws.
Answer post_intake(const ServerProcess& server, const Login& who, const std::string& tag, const std::string& phone = "");

// Intakes on `connections` threads at once until `enough` answers were not 201 or `limit` passed.
// Worker threads only collect; the caller checks (Boost.Test assertions are not thread-safe).
std::vector<Answer> intake_burst(const ServerProcess& server, const Login& who, const std::string& tag_prefix,
                                 unsigned connections, std::size_t enough, std::chrono::seconds limit);

// Fails the test for every kind of answer in `answers` that is neither 201 nor a 503 storage refusal
// in the error envelope (each kind once, with a count and an example).
void check_only_created_or_refused(const std::vector<Answer>& answers, const std::string& what);

// ---- the database file (server stopped) ----

// PRAGMA integrity_check (or quick_check) through the SQLite C API: "ok", SQLite's lines, or the
// error that stopped the check.
std::string pragma_check(const std::string& db_path, bool quick = false);
// Checkpoints and closes, so that the main file holds every page and no -wal file is left.
void checkpoint(const std::string& db_path);
int page_size(const std::string& db_path);
// Pages of b-tree `name` (a table or index) of the given type ("leaf", "internal", "overflow").
std::vector<std::int64_t> btree_pages(const std::string& db_path, const std::string& name, const std::string& type);
// Overwrites page `page` (1-based) with a fixed pattern of garbage bytes.
void damage_page(const std::string& db_path, std::int64_t page);

// What a restart (no fault shim) must find in DB_DIR/t.db after `answers`: every acknowledged (201)
// intake's case, with its summary and number, through the server; no intake refused for storage in
// the file ("nothing of this request was saved"); then `hotline audit verify` passes and PRAGMA
// integrity_check says ok.
void check_stored_as_answered(const std::string& db_dir, const std::vector<Answer>& answers);

// Writes `text` to `path` through a rename: a reader (the shim) sees the old or the new text, never half.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace hl::faulttest
