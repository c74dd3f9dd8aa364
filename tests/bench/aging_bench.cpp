// The supervisor's views at a million cases: generates 1,000,000 cases over ten years in a realistic
// mix (about 5 % still open; contacts, workflow events, referrals, follow-ups and — when schema 004
// is present — DV records), then prints the median latency of the aging dashboard and the period
// report beside full-table-scan baselines measured in the same run. Targets: aging < 50 ms, the
// period report (issue #14) of a year for the province < 1 s. Prints wall-clock and CPU medians and one JSON line ({"name":[wall_ms,cpu_ms]});
// exits 0 (a benchmark, not a pass/fail test).
//
//   bench_aging [--cases N] [--db PATH] [--runs N]
// --db keeps the generated database at PATH (and reuses it when it already holds N cases); without
// it a temporary directory is used and removed. Generation uses synchronous=OFF, foreign keys off and
// drops the secondary indexes while loading, recreating them afterwards: a bulk-load technique for
// the benchmark only, never for the server.
#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "casework/aging.hpp"
#include "casework/deadline_policy.hpp"
#include "casework/period_report.hpp"
#include "casework/office_repository.hpp"
#include "casework/schema_setup.hpp"
#include "casework/user_repository.hpp"
#include "casework/workload.hpp"
#include "core/db/read_pool.hpp"
#include "core/local_time.hpp"
#include "support/temp_dir.hpp"

using namespace hl;
using namespace hl::casework;
using Steady = std::chrono::steady_clock;

namespace {

const TimeMs kNow = *parse_iso8601("2026-11-23T09:30:00+08:00");

struct Tree {
  Office province;
  std::vector<Office> offices;                      // cities and counties (cases are taken there)
  std::vector<std::vector<std::int64_t>> operators;  // per entry of offices
  Actor province_sup, county_sup;
  std::int64_t county_id = 0;
  std::vector<std::int64_t> partners;
  std::vector<std::string> partner_types;
};

constexpr std::array<const char*, 7> kChannels = {"hotline", "walk_in", "letter", "online", "agent", "screening",
                                                  "transfer_in"};
constexpr std::array<int, 7> kChannelWeights = {60, 20, 5, 10, 2, 2, 1};
constexpr std::array<const char*, 12> kPartnerTypes = {"court", "police", "procuratorate", "justice", "legal_aid",
                                                       "mediation_committee", "civil_affairs", "health", "labour",
                                                       "education", "federation", "other"};
constexpr std::array<const char*, 8> kServices = {"legal_aid", "police_response", "protection_order", "mediation",
                                                  "shelter", "injury_exam", "labour", "other"};

Tree build_tree(db::Connection& conn) {
  Tree t;
  t.province = *OfficeRepository::create(conn, "湖南省妇联", "430000", std::nullopt, "province", 0);
  auto user = [&](const std::string& name, const char* role, std::int64_t office) {
    return UserRepository::create(conn, {name, name, role, office, std::nullopt, "x"}, 0)->id;
  };
  t.province_sup = *UserRepository::actor_for(conn, user("prov_sup", "supervisor", t.province.id));
  char code[8];
  for (int c = 1; c <= 14; ++c) {
    std::snprintf(code, sizeof code, "43%02d00", c);
    auto city = *OfficeRepository::create(conn, "市妇联" + std::to_string(c), code, t.province.id, "city", 0);
    t.offices.push_back(city);
    t.operators.push_back({user("op_" + std::string(code), "operator", city.id)});
    for (int k = 1; k <= 8; ++k) {
      std::snprintf(code, sizeof code, "43%02d%02d", c, k);
      auto county = *OfficeRepository::create(conn, "县妇联" + std::string(code), code, city.id, "county", 0);
      t.offices.push_back(county);
      std::vector<std::int64_t> ops;
      for (int o = 0; o < 3; ++o) ops.push_back(user("op_" + std::string(code) + "_" + std::to_string(o), "operator", county.id));
      t.operators.push_back(ops);
      if (c == 10 && k == 1) {
        t.county_id = county.id;
        t.county_sup = *UserRepository::actor_for(conn, user("sup_" + std::string(code), "supervisor", county.id));
      }
    }
  }
  for (int p = 0; p < 40; ++p) {
    const char* type = kPartnerTypes[p % kPartnerTypes.size()];
    conn.prepare("INSERT INTO partners(name, type, created_at) VALUES (?1, ?2, 0)").bind_all("合作单位" + std::to_string(p), type).run();
    t.partners.push_back(conn.last_insert_rowid());
    t.partner_types.push_back(type);
  }
  return t;
}

Tree load_tree(db::Connection& conn) {
  Tree t;
  t.province = *OfficeRepository::by_region_code(conn, "430000");
  auto actor = [&](const char* username) { return *UserRepository::actor_for(conn, UserRepository::by_username(conn, username)->id); };
  t.province_sup = actor("prov_sup");
  t.county_sup = actor("sup_431001");
  t.county_id = *t.county_sup.office_id;
  return t;
}

std::vector<std::string> categories(db::Connection& conn) {
  std::vector<std::string> out;
  auto st = conn.prepare("SELECT code FROM categories WHERE parent_code IS NOT NULL ORDER BY code");
  while (st.step()) out.push_back(st.text(0));
  return out;
}

class Generator {
 public:
  Generator(db::Connection& c, Tree& t) : conn(c), tree(t) {}

  db::Connection& conn;
  Tree& tree;
  std::mt19937_64 rng{20261123};
  std::vector<std::string> cats;
  bool dv = false;
  std::int64_t n_cases = 0, n_open = 0, n_events = 0, n_contacts = 0, n_referrals = 0, n_dv = 0, n_follow_ups = 0;

  double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
  std::int64_t pick(std::int64_t n) { return std::uniform_int_distribution<std::int64_t>(0, n - 1)(rng); }
  const char* channel() {
    int r = static_cast<int>(pick(100));
    for (std::size_t i = 0; i < kChannels.size(); ++i) {
      if (r < kChannelWeights[i]) return kChannels[i];
      r -= kChannelWeights[i];
    }
    return "hotline";
  }

  void run(std::int64_t cases) {
    cats = categories(conn);
    dv = table_has_columns(conn, "dv_protection_orders",
                           {"case_id", "court_partner_id", "emergency", "applied_at", "ruling_due", "status", "ruled_at",
                            "expires_at", "created_at", "updated_at"}) &&
         table_has_columns(conn, "dv_warning_letters", {"case_id", "police_partner_id", "issued_at", "created_at"}) &&
         table_has_columns(conn, "dv_shelter_stays", {"case_id", "partner_id", "from_at", "created_at"}) &&
         table_has_columns(conn, "dv_mandatory_reports", {"case_id", "reporter_type", "reported_at", "created_at"});
    auto ins_case = conn.prepare(
        "INSERT INTO cases(id, case_no, office_id, office_path, status, category, channel, urgency, risk_level, summary,"
        " assignee_id, received_at, accepted_at, closed_at, acceptance_due, handling_due, next_due, outcome,"
        " losses_avoided_fen, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'normal', 'none', ?8, ?9, ?10,"
        " ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?10, ?10)");
    auto ins_event = conn.prepare(
        "INSERT INTO case_events(case_id, event, from_status, to_status, at) VALUES (?1, ?2, ?3, ?4, ?5)");
    auto ins_contact = conn.prepare(
        "INSERT INTO contacts(office_id, case_id, channel, call_type, received_at, persons, category, resolution,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?5)");
    auto ins_referral = conn.prepare(
        "INSERT INTO referrals(case_id, partner_id, service, status, consent_given, sent_at, response_due, responded_at,"
        " completed_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8)");
    auto ins_follow_up = conn.prepare(
        "INSERT INTO follow_ups(case_id, closed_at, satisfaction, contacted_at, created_at) VALUES (?1, ?2, ?3, ?4, ?4)");
    // The procedure's records (schemas 014, 017, 020): the reply every 办结 has (按期办结率 reads it), a
    // 督办 on about 2 % of cases and a 复查 after about 1 % of replies.
    const bool procedure = table_has_columns(conn, "case_replies", {"case_id", "replied_at", "handling_due"}) &&
                           table_has_columns(conn, "case_supervisions", {"case_id", "due_at"}) &&
                           table_has_columns(conn, "case_reviews", {"case_id", "kind", "requested_at"});
    std::optional<db::Statement> ins_reply, ins_supervision, ins_review;
    if (procedure) {
      ins_reply = conn.prepare(
          "INSERT INTO case_replies(case_id, replied_at, method, opinion, basis, handling_due, recorded_at)"
          " VALUES (?1, ?2, 'written', 'explain', '依据', ?3, ?2)");
      ins_supervision = conn.prepare(
          "INSERT INTO case_supervisions(case_id, office_id, note, due_at, created_at, answer, answered_at)"
          " VALUES (?1, ?2, '督办', ?3 + 1728000000, ?3, CASE WHEN ?4 IS NULL THEN NULL ELSE '已办理' END, ?4)");
      ins_review = conn.prepare(
          "INSERT INTO case_reviews(case_id, kind, office_id, requested_at, request, due_at, recorded_at, decided_at,"
          " decision, basis) VALUES (?1, 'review', ?2, ?3, '不服', ?3 + 2592000000, ?3, ?4,"
          " CASE WHEN ?4 IS NULL THEN NULL ELSE 'upheld' END, CASE WHEN ?4 IS NULL THEN NULL ELSE '依据' END)");
    }
    std::optional<db::Statement> ins_po, ins_warning, ins_shelter, ins_report;
    if (dv) {
      ins_po = conn.prepare(
          "INSERT INTO dv_protection_orders(case_id, court_partner_id, emergency, applied_at, ruling_due, status, ruled_at,"
          " expires_at, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?4, ?4)");
      ins_warning = conn.prepare(
          "INSERT INTO dv_warning_letters(case_id, police_partner_id, issued_at, created_at) VALUES (?1, ?2, ?3, ?3)");
      ins_shelter = conn.prepare(
          "INSERT INTO dv_shelter_stays(case_id, partner_id, from_at, to_at, created_at) VALUES (?1, ?2, ?3, ?4, ?3)");
      ins_report = conn.prepare(
          "INSERT INTO dv_mandatory_reports(case_id, reporter_type, reported_at, created_at) VALUES (?1, 'school', ?2, ?2)");
    }
    const DeadlinePolicy policy;
    const TimeMs span = 3650 * kMsPerDay;
    const std::int64_t court = tree.partners[0], police = tree.partners[1], civil = tree.partners[6];
    char case_no[48];
    auto event = [&](std::int64_t id, const char* name, const char* from, const char* to, TimeMs at) {
      ins_event.reset();
      ins_event.bind_all(id, name, from ? std::optional<std::string>(from) : std::nullopt, to, at);
      ins_event.run();
      ++n_events;
    };
    // Received times are drawn in increasing order, as a real office's would be.
    std::vector<TimeMs> received(static_cast<std::size_t>(cases));
    for (auto& r : received) r = kNow - static_cast<TimeMs>(uniform() * static_cast<double>(span));
    std::sort(received.begin(), received.end());
    for (std::int64_t id = 1; id <= cases; ++id) {
      const TimeMs rec = received[static_cast<std::size_t>(id - 1)];
      const double age = static_cast<double>(kNow - rec) / kMsPerDay;
      const double p_open = age < 30 ? 0.7 : age < 90 ? 0.35 : age < 365 ? 0.08 : 0.035;
      const bool open = uniform() < p_open;
      const std::size_t oi = static_cast<std::size_t>(uniform() < 0.1 ? pick(14) * 9 : pick(14) * 9 + 1 + pick(8));
      const Office& office = tree.offices[oi];
      const auto& ops = tree.operators[oi];
      const std::string& category = uniform() < 0.15 ? std::string("marriage_family.domestic_violence")
                                                      : cats[static_cast<std::size_t>(pick(static_cast<std::int64_t>(cats.size())))];
      const char* ch = channel();
      std::optional<std::int64_t> assignee;
      if (uniform() < 0.75) assignee = ops[static_cast<std::size_t>(pick(static_cast<std::int64_t>(ops.size())))];
      std::string status = "closed";
      std::optional<TimeMs> accepted, closed, acc_due, hand_due, next_due, losses;
      std::optional<std::string> outcome;
      const bool declined = !open && uniform() < 0.1;
      if (open) {
        const double r = uniform();
        status = r < 0.2 ? "registered" : r < 0.65 ? "in_progress" : r < 0.8 ? "referred" : r < 0.88 ? "mediation" : "pending_closure";
        ++n_open;
      }
      if (status == "registered") {
        next_due = acc_due = policy.acceptance_due(rec);
      } else if (!declined) {
        accepted = std::min(kNow, rec + pick(5 * kMsPerDay));
        hand_due = policy.handling_due(*accepted);
        if (open) next_due = hand_due;
      }
      if (!open) {
        closed = std::min(kNow, (accepted ? *accepted : rec) + kMsPerHour + pick(80 * kMsPerDay));
        outcome = declined ? "declined" : "resolved";
        if (!declined && uniform() < 0.3) losses = pick(5'000'000);
      }
      std::snprintf(case_no, sizeof case_no, "%s-%04d-%07lld", office.region_code.c_str(), local_date(rec).year,
                    static_cast<long long>(id));
      ins_case.reset();
      ins_case.bind_all(id, case_no, office.id, office.path, status, category, ch, "来电求助", assignee, rec, accepted, closed,
                        acc_due, hand_due, next_due, outcome, losses);
      ins_case.run();
      ++n_cases;

      event(id, "register", nullptr, "registered", rec);
      if (accepted) event(id, "accept", "registered", "in_progress", *accepted);
      if (declined) event(id, "decline", "registered", "closed", *closed);
      else if (closed) {
        event(id, "request_closure", "in_progress", "pending_closure", *closed - kMsPerHour);
        event(id, "approve_closure", "pending_closure", "closed", *closed);
      }

      if (procedure && closed && !declined) {
        // Replied two hours before closure (closures fall up to 80 days after acceptance: about a
        // quarter after the 60-day limit).
        ins_reply->reset();
        ins_reply->bind_all(id, *closed - 2 * kMsPerHour, hand_due);
        ins_reply->run();
        if (uniform() < 0.01) {
          const TimeMs asked = *closed + pick(25 * kMsPerDay);
          ins_review->reset();
          ins_review->bind_all(id, office.parent_id.value_or(office.id), asked,
                               asked + 20 * kMsPerDay < kNow ? std::optional(asked + 20 * kMsPerDay) : std::nullopt);
          ins_review->run();
        }
      }
      if (procedure && accepted && uniform() < 0.02) {
        const TimeMs opened = *accepted + pick(20 * kMsPerDay);
        ins_supervision->reset();
        ins_supervision->bind_all(id, office.parent_id.value_or(office.id), opened,
                                  opened + 10 * kMsPerDay < kNow ? std::optional(opened + 10 * kMsPerDay) : std::nullopt);
        ins_supervision->run();
      }

      // The contact that opened the case; about half a consultation answered on the spot beside it,
      // and the odd silent call.
      const int persons = uniform() < 0.1 ? 2 + static_cast<int>(pick(5)) : 1;
      auto contact = [&](std::optional<std::int64_t> case_id, const char* call_type, TimeMs at, int n, const char* resolution) {
        ins_contact.reset();
        ins_contact.bind_all(office.id, case_id, ch, call_type ? std::optional<std::string>(call_type) : std::nullopt, at, n,
                             category, resolution);
        ins_contact.run();
        ++n_contacts;
      };
      contact(id, std::strcmp(ch, "hotline") == 0 ? "help_request" : nullptr, rec, persons, "open_case");
      if (uniform() < 0.5) contact(std::nullopt, std::strcmp(ch, "hotline") == 0 ? "consultation" : nullptr, rec + kMsPerHour, 1, "answered");
      if (uniform() < 0.05) contact(std::nullopt, "silent", rec + 2 * kMsPerHour, 1, "none");

      if (accepted && (status == "referred" || uniform() < 0.22)) {
        const std::size_t pi = static_cast<std::size_t>(pick(static_cast<std::int64_t>(tree.partners.size())));
        const TimeMs sent = *accepted + kMsPerHour;
        const char* service = uniform() < 0.3 ? "legal_aid" : kServices[static_cast<std::size_t>(pick(kServices.size()))];
        const char* rs = status == "referred" ? (uniform() < 0.5 ? "sent" : "in_progress") : "completed";
        const bool answered = std::strcmp(rs, "sent") != 0;
        ins_referral.reset();
        ins_referral.bind_all(id, tree.partners[pi], service, rs, sent, policy.referral_response_due(sent),
                              answered ? std::optional(sent + kMsPerDay) : std::nullopt,
                              std::strcmp(rs, "completed") == 0 ? closed : std::nullopt);
        ins_referral.run();
        ++n_referrals;
      }
      if (closed && !declined && *closed + 7 * kMsPerDay < kNow && uniform() < 0.3) {
        const double r = uniform();
        ins_follow_up.reset();
        ins_follow_up.bind_all(id, *closed, r < 0.8 ? "satisfied" : r < 0.95 ? "basically_satisfied" : "dissatisfied",
                               std::min(kNow, *closed + 7 * kMsPerDay + pick(10 * kMsPerDay)));
        ins_follow_up.run();
        ++n_follow_ups;
      }
      if (dv && accepted && category == "marriage_family.domestic_violence") {
        if (uniform() < 0.2) {
          const TimeMs applied = *accepted + kMsPerHour;
          const bool pending = open && applied + 72 * kMsPerHour > kNow - 10 * kMsPerDay;
          const bool granted = !pending && uniform() < 0.75;
          ins_po->reset();
          ins_po->bind_all(id, court, 0, applied, applied + 72 * kMsPerHour, pending ? "applied" : granted ? "granted" : "denied",
                           pending ? std::nullopt : std::optional(applied + 48 * kMsPerHour),
                           granted ? std::optional(applied + 150 * kMsPerDay) : std::nullopt);
          ins_po->run();
          ++n_dv;
        }
        if (uniform() < 0.1) {
          ins_warning->reset();
          ins_warning->bind_all(id, police, *accepted + 2 * kMsPerHour);
          ins_warning->run();
          ++n_dv;
        }
        if (uniform() < 0.03) {
          ins_shelter->reset();
          ins_shelter->bind_all(id, civil, *accepted + 3 * kMsPerHour, *accepted + 10 * kMsPerDay);
          ins_shelter->run();
          ++n_dv;
        }
        if (uniform() < 0.02) {
          ins_report->reset();
          ins_report->bind_all(id, rec);
          ins_report->run();
          ++n_dv;
        }
      }
      if (id % 100000 == 0) {
        conn.exec("COMMIT");
        conn.exec("BEGIN");
        std::fprintf(stderr, "\r  generated %lld cases", static_cast<long long>(id));
      }
    }
    std::fputc('\n', stderr);
  }
};

double seconds_since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Timing {
  double wall_ms = 0, cpu_ms = 0;  // medians
};

// Median wall-clock and CPU time of `runs` calls (after one warm-up call). The CPU time is what
// the query itself costs when other processes compete for the two cores.
Timing median_ms(int runs, const std::function<void()>& f) {
  f();
  std::vector<double> wall, cpu;
  for (int i = 0; i < runs; ++i) {
    const auto t = Steady::now();
    const double c = thread_cpu_ms();
    f();
    cpu.push_back(thread_cpu_ms() - c);
    wall.push_back(seconds_since(t) * 1000.0);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], cpu[cpu.size() / 2]};
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "?" : one;
}

std::int64_t count_cases(const std::string& path) {
  if (!std::filesystem::exists(path)) return -1;
  try {
    auto conn = db::Connection::open(path, {.read_only = true});
    auto st = conn.prepare("SELECT count(*) FROM cases");
    return st.step() ? st.int64(0) : -1;
  } catch (...) {
    return -1;
  }
}

void generate(const std::string& path, std::int64_t cases) {
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto conn = db::Connection::open(path, {.synchronous_full = false});
  if (!migrate_database(conn)) throw std::runtime_error("migrate failed");
  const auto start = Steady::now();
  conn.exec("PRAGMA synchronous=OFF");
  conn.exec("PRAGMA foreign_keys=OFF");
  conn.exec("PRAGMA cache_size=-262144");
  conn.exec("BEGIN");
  Tree tree = build_tree(conn);
  // Secondary indexes of the bulk-loaded tables are dropped and rebuilt once at the end (sorted
  // builds are many times faster than a million random insertions into each).
  std::vector<std::string> index_sql;
  {
    auto st = conn.prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN"
        " ('cases','case_events','contacts','referrals','follow_ups','dv_protection_orders','dv_warning_letters',"
        "'dv_shelter_stays','dv_mandatory_reports')");
    std::vector<std::string> names;
    while (st.step()) {
      names.push_back(st.text(0));
      index_sql.push_back(st.text(1));
    }
    st.reset();
    for (const auto& n : names) conn.exec("DROP INDEX \"" + n + "\"");
  }
  Generator g{conn, tree};
  g.run(cases);
  conn.exec("COMMIT");
  const double load_s = seconds_since(start);
  const auto t_index = Steady::now();
  for (const auto& sql : index_sql) conn.exec(sql);
  const double index_s = seconds_since(t_index);
  conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  std::printf("generated %lld cases (%lld open = %.1f%%), %lld events, %lld contacts, %lld referrals, %lld follow-ups, "
              "%lld DV records%s in %.1f s + %.1f s for %zu indexes\n",
              static_cast<long long>(g.n_cases), static_cast<long long>(g.n_open), 100.0 * g.n_open / g.n_cases,
              static_cast<long long>(g.n_events), static_cast<long long>(g.n_contacts),
              static_cast<long long>(g.n_referrals), static_cast<long long>(g.n_follow_ups),
              static_cast<long long>(g.n_dv), g.dv ? "" : " (schema 004 absent)", load_s, index_s, index_sql.size());
}

void print_plan(db::Connection& conn, const char* label, const std::string& sql) {
  auto st = conn.prepare("EXPLAIN QUERY PLAN " + sql);
  std::printf("  plan %-24s ", label);
  bool first = true;
  while (st.step()) {
    std::printf("%s%s", first ? "" : " | ", st.text(3).c_str());
    first = false;
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t cases = 1'000'000;
  int runs = 7;
  std::string keep;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--cases") cases = std::stoll(argv[i + 1]);
    else if (opt == "--db") keep = argv[i + 1];
    else if (opt == "--runs") runs = std::stoi(argv[i + 1]);
  }
  hl::test::TempDir dir;
  const std::string path = keep.empty() ? dir.file("aging-bench.db") : keep;
  if (count_cases(path) == cases) std::printf("reusing %s (%lld cases)\n", path.c_str(), static_cast<long long>(cases));
  else generate(path, cases);

  // Measured as the server reads: a read-only connection like the read pool's.
  auto conn = db::Connection::open(path, {.read_only = true});
  db::configure_reader(conn);
  Tree tree = load_tree(conn);
  const LocalDate october{2026, 10, 1};
  const TimeMs t0 = start_of_local_day(october), t1 = start_of_local_day({2026, 11, 1});

  auto aging = [&](const Actor& a, AgingGroup g) {
    return median_ms(runs, [&] {
      auto r = Aging::compute(conn, a, std::nullopt, g, kNow);
      if (!r) throw std::runtime_error(r.error().message);
    });
  };
  // Every figure of the definitions table, the category × channel table and the monthly series.
  auto period_report = [&](const Actor& a, const char* period, ReportScope scope) {
    return median_ms(runs, [&] {
      auto r = PeriodReportService::compute(conn, a, std::nullopt, *parse_period(period), scope, kNow);
      if (!r) throw std::runtime_error(r.error().message);
    });
  };
  auto scalar = [&](const std::string& sql, std::function<void(db::Statement&)> bind) {
    return median_ms(runs, [&] {
      auto st = conn.prepare(sql);
      bind(st);
      st.step();
    });
  };

  // What one aging query reads, once with the index and once forced through the whole table.
  const std::string sums =
      "SELECT count(*), sum(received_at >= ?1), sum(next_due < ?2) FROM cases %s WHERE status <> 'closed'"
      " AND office_path >= '/' AND office_path < '0'";
  auto with = [&](const char* hint) {
    std::string s = sums;
    s.replace(s.find("%s"), 2, hint);
    return s;
  };
  auto bind_sums = [&](db::Statement& st) { st.bind(1, kNow - 30 * kMsPerDay).bind(2, kNow); };

  std::printf("\nquery plans (no ANALYZE, as the server runs):\n");
  print_plan(conn, "aging sums", with(""));
  print_plan(conn, "opened in month", "SELECT count(*) FROM cases c WHERE c.received_at >= 1 AND c.received_at < 2 AND"
                                      " substr(c.office_path, 1, length('/1/')) = '/1/'");
  print_plan(conn, "accepted, office alone", "SELECT count(*), sum(c.status = 'closed') FROM cases c WHERE c.accepted_at >= 1"
                                             " AND c.accepted_at < 2 AND substr(c.office_path, 1, length('/1/')) = '/1/'"
                                             " AND length(c.office_path) = length('/1/')");
  // The period report's statements (issue #14), 本级及下级: each plan should start from a time range.
  // A statement computes the figures read from the same rows; it is named by its first figure.
  const auto figures = report_figures();
  const auto statements = figure_statements();
  auto statement_name = [&](std::size_t g) {
    std::size_t first = 0, count = 0;
    for (std::size_t i = figures.size(); i-- > 0;)
      if (figure_statement_of(i) == g) first = i, ++count;
    return std::string(figures[first].key) + (count > 1 ? " +" + std::to_string(count - 1) : "");
  };
  for (std::size_t g = 0; g < statements.size(); ++g) print_plan(conn, statement_name(g).c_str(), std::string(statements[g]));
  // Each statement once, for the province's year 2026 (where the time goes).
  {
    const auto year = *parse_period("2026");
    auto bound = [&](std::string_view sql) {
      auto st = conn.prepare(sql);
      st.bind(1, tree.province.path).bind(2, year.from).bind(3, year.to).bind(4, kNow).bind(5, 1);
      return st;
    };
    std::printf("\nper-statement query, province 2026 (ms, one run):\n");
    for (std::size_t g = 0; g < statements.size(); ++g) {
      const auto t = Steady::now();
      auto st = bound(statements[g]);
      st.step();
      std::printf("  %-44s %8.1f\n", statement_name(g).c_str(),
                  std::chrono::duration<double, std::milli>(Steady::now() - t).count());
    }
    // The two tables beside the figures (category × channel, the monthly series), read to the end.
    const std::pair<const char*, std::string_view> tables[] = {{"table: contacts by category", category_contacts_sql()},
                                                               {"table: cases by category", category_cases_sql()}};
    for (const auto& [name, sql] : tables) {
      const auto t = Steady::now();
      auto st = bound(sql);
      while (st.step()) {
      }
      std::printf("  %-36s %8.1f\n", name, std::chrono::duration<double, std::milli>(Steady::now() - t).count());
    }
  }
  print_plan(conn, "overdue responses", "SELECT case_id FROM referrals WHERE status = 'sent' AND response_due < 1"
                                        " ORDER BY response_due, case_id");

  struct Row {
    const char* name;
    Timing t;
    double target;
  };
  std::vector<Row> rows;
  rows.push_back({"aging by status, province (all)", aging(tree.province_sup, AgingGroup::status), 50});
  rows.push_back({"aging by assignee, province", aging(tree.province_sup, AgingGroup::assignee), 50});
  rows.push_back({"aging by partner, province", aging(tree.province_sup, AgingGroup::partner), 50});
  rows.push_back({"aging by office, province", aging(tree.province_sup, AgingGroup::office), 50});
  rows.push_back({"aging by status, one county", aging(tree.county_sup, AgingGroup::status), 50});
  rows.push_back({"workload, province", median_ms(runs, [&] { (void)Workload::compute(conn, tree.province_sup, std::nullopt, kNow); }), 50});
  rows.push_back({"period report, province year 2026", period_report(tree.province_sup, "2026", ReportScope::subtree), 1000});
  rows.push_back({"period report, province 2026-Q3", period_report(tree.province_sup, "2026-Q3", ReportScope::subtree), 1000});
  rows.push_back({"period report, county alone 2026", period_report(tree.county_sup, "2026", ReportScope::office), 1000});
  rows.push_back({"baseline: aging sums, full scan", scalar(with("NOT INDEXED"), bind_sums), 0});
  rows.push_back({"baseline: aging sums, indexed", scalar(with(""), bind_sums), 0});
  rows.push_back({"baseline: count(*) non-indexed expr",
                  scalar("SELECT count(*) FROM cases WHERE substr(case_no, 8, 4) = '2026'", [](db::Statement&) {}), 0});
  rows.push_back({"baseline: opened in month, full scan",
                  scalar("SELECT count(*) FROM cases NOT INDEXED WHERE received_at >= ?1 AND received_at < ?2",
                         [&](db::Statement& st) { st.bind(1, t0).bind(2, t1); }),
                  0});

  std::printf("\n%-40s %9s %9s %9s   (medians of %d runs; load average %s)\n", "query", "wall ms", "cpu ms",
              "target", runs, load_average().c_str());
  std::string json = "{\"bench\":\"aging\",\"cases\":" + std::to_string(cases) + ",\"runs\":" + std::to_string(runs);
  for (const auto& r : rows) {
    if (r.target > 0)
      std::printf("%-40s %9.2f %9.2f %6.0f ms %s\n", r.name, r.t.wall_ms, r.t.cpu_ms, r.target,
                  r.t.wall_ms < r.target ? "ok" : "MISSED");
    else
      std::printf("%-40s %9.2f %9.2f\n", r.name, r.t.wall_ms, r.t.cpu_ms);
    std::string key = r.name;
    for (char& c : key)
      if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
    char v[64];
    std::snprintf(v, sizeof v, "[%.3f,%.3f]", r.t.wall_ms, r.t.cpu_ms);
    json += ",\"" + key + "\":" + v;
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}
