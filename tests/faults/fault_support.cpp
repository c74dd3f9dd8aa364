#include "faults/fault_support.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "api/case_helpers.hpp"

namespace hl::faulttest {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

std::runtime_error os_error(const std::string& what) { return std::runtime_error(what + ": " + std::strerror(errno)); }

// An open sqlite3 handle, closed on destruction.
struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_busy_timeout(db, 5000);
  }
  ~Db() { sqlite3_close_v2(db); }
  // Every row's first column, as text; throws with SQLite's message when a step fails.
  std::vector<std::string> column(const std::string& sql, const std::string& param = {}) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
    if (!param.empty()) sqlite3_bind_text(st, 1, param.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<std::string> rows;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(st, 0);
      rows.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
    return rows;
  }
};

}  // namespace

// ---- fixtures ----

TmpfsMount::TmpfsMount(const std::string& size) {
  const std::string options = "size=" + size + ",mode=0700";
  if (::mount("tmpfs", path().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, options.c_str()) != 0)
    throw os_error("mount -t tmpfs -o " + options + " on " + path() +
                   " failed (the storage-fault tests need root, CAP_SYS_ADMIN; they fail rather than skip)");
  mounted_ = true;
}

TmpfsMount::~TmpfsMount() {
  // Still busy (a server that did not exit): detach, so the directory goes away with the last user.
  if (mounted_ && ::umount2(path().c_str(), 0) != 0) ::umount2(path().c_str(), MNT_DETACH);
}

void TmpfsMount::remount_read_only() {
  if (::mount("tmpfs", path().c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) != 0)
    throw os_error("mount -o remount,ro " + path());
}

DiskFiller::DiskFiller(std::string path, std::uint64_t leave) : path_(std::move(path)) {
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw os_error("cannot create " + path_);
  // Real data up to ENOSPC (tmpfs allocates on write), then give back `leave` bytes: exact, whatever
  // the file system keeps for itself.
  const std::string block(1 << 20, 'x');
  off_t size = 0;
  for (;;) {
    const ssize_t n = ::write(fd, block.data(), block.size());
    if (n <= 0) break;
    size += n;
  }
  const off_t keep = size > static_cast<off_t>(leave) ? size - static_cast<off_t>(leave) : 0;
  const int rc = ::ftruncate(fd, keep);
  ::close(fd);
  if (rc != 0) throw os_error("cannot truncate " + path_);
}

void DiskFiller::remove() {
  if (!path_.empty()) ::unlink(path_.c_str());
  path_.clear();
}

std::uint64_t free_bytes(const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0) throw os_error("statvfs " + path);
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

namespace {

void set_immutable(const std::string& path, bool on) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw os_error("cannot open " + path);
  int flags = 0;
  int rc = ::ioctl(fd, FS_IOC_GETFLAGS, &flags);
  if (rc == 0) {
    flags = on ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
    rc = ::ioctl(fd, FS_IOC_SETFLAGS, &flags);
  }
  const int saved = errno;
  ::close(fd);
  errno = saved;
  if (rc != 0) throw os_error(std::string("chattr ") + (on ? "+i " : "-i ") + path);
}

}  // namespace

ImmutableFlag::ImmutableFlag(std::string path) : path_(std::move(path)) { set_immutable(path_, true); }

ImmutableFlag::~ImmutableFlag() {
  try {
    set_immutable(path_, false);
  } catch (const std::exception& e) {
    BOOST_ERROR(e.what());
  }
}

// ---- health and metrics ----

std::string Health::state() const {
  return body.is_object() && body.contains("status") && body["status"].is_string() ? body["status"].get<std::string>() : "";
}

bool Health::has_reason(std::string_view code) const {
  if (!body.is_object() || !body.contains("reasons") || !body["reasons"].is_array()) return false;
  for (const auto& r : body["reasons"])
    if (r.is_object() && r.value("code", "") == code && !r.value("message", "").empty()) return true;
  return false;
}

Json Health::check(const std::string& name) const {
  if (!body.is_object() || !body.contains("checks") || !body["checks"].is_object()) return nullptr;
  return body["checks"].value(name, Json());
}

Health health(const ServerProcess& server) {
  Health h;
  const auto r = server.request("GET", "/healthz");
  h.status = r.status;
  h.raw = r.body;
  h.body = Json::parse(r.body, nullptr, false);
  if (h.body.is_discarded()) h.body = nullptr;
  return h;
}

Health wait_for_health(const ServerProcess& server, std::string_view state, std::string_view reason,
                       std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  for (;;) {
    Health h = health(server);
    if ((h.state() == state && (reason.empty() || h.has_reason(reason))) || Clock::now() >= deadline) return h;
    std::this_thread::sleep_for(100ms);  // poll interval of a bounded wait
  }
}

std::optional<double> metric(const ServerProcess& server, const std::string& name) {
  const auto r = server.metrics();
  if (r.status != 200) return std::nullopt;
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with(name + " ")) return std::stod(line.substr(name.size() + 1));
  return std::nullopt;
}

// ---- intakes ----

std::string Answer::text() const {
  if (status == 0) return "no answer (" + error + ")";
  return "HTTP " + std::to_string(status) + ": " + (body.size() > 300 ? body.substr(0, 300) + "…" : body);
}

Answer post_intake(const ServerProcess& server, const Login& who, const std::string& tag, const std::string& phone) {
  Answer a;
  a.tag = tag;
  try {
    const auto r = server.send(who, "POST", "/api/v1/intakes", open_case_intake(phone, tag));
    a.status = r.status;
    a.body = r.body;
    a.code = error_code(r);
    a.envelope = is_error_envelope(r);
    if (r.status == 201) {
      const auto j = Json::parse(r.body, nullptr, false);
      if (!j.is_discarded() && j.contains("case") && j["case"].is_object()) {
        a.case_id = j["case"].value("id", std::int64_t{0});
        a.case_no = j["case"].value("case_no", "");
      }
    }
  } catch (const std::exception& e) {
    a.error = e.what();
  }
  return a;
}

std::vector<Answer> intake_burst(const ServerProcess& server, const Login& who, const std::string& tag_prefix,
                                 unsigned connections, std::size_t enough, std::chrono::seconds limit) {
  std::mutex mutex;
  std::vector<Answer> answers;
  std::atomic<std::size_t> not_created{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < connections; ++t)
    workers.emplace_back([&, t] {
      for (unsigned n = 0; !stop; ++n) {
        Answer a = post_intake(server, who, tag_prefix + std::to_string(t) + "-" + std::to_string(n));
        if (a.status != 201) ++not_created;
        std::lock_guard lock(mutex);
        answers.push_back(std::move(a));
      }
    });
  const auto deadline = Clock::now() + limit;
  while (not_created < enough && Clock::now() < deadline) std::this_thread::sleep_for(20ms);  // bounded wait
  stop = true;
  for (auto& w : workers) w.join();
  return answers;
}

void check_only_created_or_refused(const std::vector<Answer>& answers, const std::string& what) {
  std::map<std::string, std::pair<std::size_t, std::string>> wrong;  // kind -> count, example
  for (const auto& a : answers) {
    if (a.status == 201 || (a.refused_for_storage() && a.envelope)) continue;
    auto& w = wrong[std::to_string(a.status) + " " + a.code + (a.envelope ? "" : " (not the error envelope)")];
    if (w.first++ == 0) w.second = a.text();
  }
  for (const auto& [kind, w] : wrong)
    BOOST_ERROR(what << ": " << w.first << " answer(s) neither 201 nor 503 storage_full/storage_unavailable in the error envelope, e.g. "
                     << w.second);
}

// ---- the database file ----

std::string pragma_check(const std::string& db_path, bool quick) {
  try {
    Db db(db_path);
    std::string out;
    for (const auto& row : db.column(quick ? "PRAGMA quick_check" : "PRAGMA integrity_check"))
      out += (out.empty() ? "" : "\n") + row;
    return out;
  } catch (const std::exception& e) {
    return std::string("check stopped: ") + e.what();
  }
}

void checkpoint(const std::string& db_path) {
  {
    Db db(db_path);
    db.column("PRAGMA wal_checkpoint(TRUNCATE)");
  }  // the last connection to close removes the -wal file
  if (std::filesystem::exists(db_path + "-wal")) throw std::runtime_error(db_path + "-wal is still there after a checkpoint");
}

int page_size(const std::string& db_path) { return std::stoi(Db(db_path).column("PRAGMA page_size").at(0)); }

std::vector<std::int64_t> btree_pages(const std::string& db_path, const std::string& name, const std::string& type) {
  std::vector<std::int64_t> pages;
  // dbstat (SQLITE_ENABLE_DBSTAT_VTAB, on in Debian's SQLite) lists every page and what it holds.
  for (const auto& p : Db(db_path).column("SELECT pageno FROM dbstat WHERE name = ?1 AND pagetype = '" + type +
                                          "' ORDER BY pageno", name))
    pages.push_back(std::stoll(p));
  return pages;
}

void damage_page(const std::string& db_path, std::int64_t page) {
  const int size = page_size(db_path);
  std::string garbage(static_cast<std::size_t>(size), '\0');
  std::uint32_t x = 0x9e3779b9;  // xorshift: the same garbage every run
  for (auto& c : garbage) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  const int fd = ::open(db_path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw os_error("cannot open " + db_path);
  const ssize_t n = ::pwrite(fd, garbage.data(), garbage.size(), static_cast<off_t>(page - 1) * size);
  ::fsync(fd);
  ::close(fd);
  if (n != static_cast<ssize_t>(garbage.size())) throw os_error("cannot overwrite page " + std::to_string(page));
}

void check_stored_as_answered(const std::string& db_dir, const std::vector<Answer>& answers) {
  const std::string db = db_dir + "/t.db";
  std::size_t acked = 0, missing = 0;
  {
    ServerProcess server({.db_dir = db_dir, .copy_seed = false});
    const Login op = server.login(kOperator);
    for (const auto& a : answers) {
      if (a.status != 201) continue;
      ++acked;
      const auto r = server.get(op, case_path(a.case_id));
      const auto j = Json::parse(r.body, nullptr, false);
      if (r.status == 200 && !j.is_discarded() && j.value("summary", "") == a.tag && j.value("case_no", "") == a.case_no)
        continue;
      if (missing++ < 5)
        BOOST_ERROR("acknowledged intake " << a.tag << " (case " << a.case_id << ", " << a.case_no
                                           << ") after the restart: " << describe(r));
    }
    BOOST_CHECK_EQUAL(server.stop(), 0);
  }
  BOOST_CHECK_MESSAGE(missing == 0, missing << " of " << acked << " acknowledged intakes are missing");
  std::size_t refused = 0, stored = 0;
  {
    Db file(db);
    for (const auto& a : answers) {
      if (!a.refused_for_storage()) continue;
      ++refused;
      if (file.column("SELECT count(*) FROM contacts WHERE summary = ?1", a.tag).at(0) == "0") continue;
      if (stored++ < 5) BOOST_ERROR("intake " << a.tag << " was refused (" << a.text() << ") but is in the database");
    }
  }
  BOOST_TEST_MESSAGE("after the restart: " << acked - missing << " of " << acked << " acknowledged intakes found, "
                                           << stored << " of " << refused << " refused ones stored");
  const auto verify = run_hotline({"audit", "verify", "--db", db});
  BOOST_CHECK_MESSAGE(verify.exit_code == 0, "hotline audit verify: exit " << verify.exit_code << "\n" << verify.out << verify.err);
  const std::string integrity = pragma_check(db);
  BOOST_CHECK_MESSAGE(integrity == "ok", "PRAGMA integrity_check: " << integrity);
}

void write_file_atomically(const std::string& path, const std::string& text) {
  {
    std::ofstream out(path + ".new", std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + path + ".new");
  }
  std::filesystem::rename(path + ".new", path);
}

}  // namespace hl::faulttest
