// The monthly statistics (月报) of October 2026 on a hand-built data set whose answers are worked out
// in the comments; then the same report as CSV and as an XLSX file opened back.
#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "casework/aging.hpp"
#include "casework/monthly_stats.hpp"
#include "casework/monthly_stats_export.hpp"
#include "fixture.hpp"
#include "support/error_of.hpp"

using namespace hl;
using namespace hl::casework;
using hl::test::error_of;

namespace {

TimeMs at(const char* iso) { return *parse_iso8601(iso); }
constexpr LocalDate kOctober{2026, 10, 1};

struct MonthlyFixture : hl::test::CaseworkFixture {
  std::map<std::string, std::int64_t> ids;

  void contact(std::int64_t office, const char* channel, const char* iso, int persons, const char* resolution,
               const char* call_type = nullptr, std::optional<std::int64_t> case_id = std::nullopt) {
    conn.prepare(
            "INSERT INTO contacts(office_id, case_id, channel, call_type, received_at, persons, resolution, created_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)")
        .bind_all(office, case_id, channel, call_type ? std::optional<std::string>(call_type) : std::nullopt, at(iso),
                  persons, resolution)
        .run();
  }

  std::int64_t add(const std::string& name, std::int64_t office, const char* status, const char* received,
                   const char* accepted, const char* closed, const char* outcome = nullptr,
                   std::optional<std::int64_t> losses_fen = std::nullopt) {
    auto opt_at = [](const char* iso) { return iso ? std::optional(at(iso)) : std::nullopt; };
    conn.prepare(
            "INSERT INTO cases(case_no, office_id, office_path, status, category, channel, received_at, accepted_at,"
            " closed_at, outcome, losses_avoided_fen, created_at, updated_at)"
            " VALUES (?1, ?2, ?3, ?4, 'marriage_family.domestic_violence', 'hotline', ?5, ?6, ?7, ?8, ?9, 0, 0)")
        .bind_all("M-" + name, office, OfficeRepository::get(conn, office)->path, status, at(received), opt_at(accepted),
                  opt_at(closed), outcome ? std::optional<std::string>(outcome) : std::nullopt, losses_fen)
        .run();
    return ids[name] = conn.last_insert_rowid();
  }

  void referral(const std::string& name, const char* service, const char* sent) {
    conn.prepare(
            "INSERT INTO referrals(case_id, partner_id, service, status, consent_given, sent_at)"
            " VALUES (?1, ?2, ?3, 'sent', 1, ?4)")
        .bind_all(ids.at(name), police_id, service, at(sent))
        .run();
  }

  void follow_up(const std::string& name, const char* satisfaction, const char* contacted) {
    conn.prepare(
            "INSERT INTO follow_ups(case_id, closed_at, satisfaction, contacted_at, created_at) VALUES (?1, 0, ?2, ?3, 0)")
        .bind_all(ids.at(name), satisfaction, at(contacted))
        .run();
  }

  MonthlyFixture() {
    // Cases. County A–G, I, J; H in the sibling county.
    add("A", county.id, "closed", "2026-10-05T10:00:00+08:00", "2026-10-06T10:00:00+08:00", "2026-10-20T10:00:00+08:00",
        "resolved", 120050);  // opened, accepted, closed in October; 15 days; 1200.50 yuan
    add("B", county.id, "registered", "2026-10-10T10:00:00+08:00", nullptr, nullptr);  // opened
    add("C", county.id, "in_progress", "2026-09-20T10:00:00+08:00", "2026-10-02T10:00:00+08:00", nullptr);  // accepted
    add("D", county.id, "closed", "2026-08-01T10:00:00+08:00", "2026-08-02T10:00:00+08:00", "2026-10-15T10:00:00+08:00",
        "resolved", 50000);  // closed in October after 75 days
    add("E", county.id, "closed", "2026-10-12T10:00:00+08:00", nullptr, "2026-10-13T10:00:00+08:00",
        "declined");  // opened, closed (declined) after 1 day
    add("F", county.id, "closed", "2026-10-03T10:00:00+08:00", "2026-10-04T10:00:00+08:00", "2026-11-02T10:00:00+08:00",
        "resolved");  // opened, accepted; closed in November (counts in the closure-rate cohort)
    add("G", county.id, "closed", "2026-10-07T10:00:00+08:00", nullptr, "2026-10-08T10:00:00+08:00",
        "transferred");  // opened; its closure is the receiving office's
    add("H", other_county.id, "closed", "2026-10-09T10:00:00+08:00", "2026-10-09T11:00:00+08:00",
        "2026-10-25T10:00:00+08:00", "resolved", 10000);
    add("I", county.id, "registered", "2026-11-01T00:00:00+08:00", nullptr, nullptr);       // November
    add("J", county.id, "registered", "2026-09-30T23:59:59.999+08:00", nullptr, nullptr);   // September

    // Contacts of the county in October: 件 / 人次 per channel.
    contact(county.id, "hotline", "2026-09-30T16:30:00Z", 1, "answered");  // 00:30 on 1 October in Shanghai
    contact(county.id, "hotline", "2026-10-02T10:00:00+08:00", 1, "none", "silent");  // counted, needs no handling
    contact(county.id, "walk_in", "2026-10-03T10:00:00+08:00", 5, "answered");        // a group visit: 1 件 5 人次
    contact(county.id, "walk_in", "2026-10-05T10:00:00+08:00", 2, "open_case", nullptr, ids["A"]);  // handled (A accepted)
    contact(county.id, "letter", "2026-10-10T10:00:00+08:00", 1, "open_case", nullptr, ids["B"]);   // B still registered
    contact(county.id, "online", "2026-10-31T23:59:59.999+08:00", 1, "answered");
    contact(county.id, "hotline", "2026-09-30T23:59:59.999+08:00", 1, "answered");  // September
    contact(county.id, "hotline", "2026-11-01T00:00:00+08:00", 1, "answered");      // November
    contact(other_county.id, "hotline", "2026-10-09T10:00:00+08:00", 3, "answered");
    contact(city.id, "walk_in", "2026-10-15T10:00:00+08:00", 4, "answered");

    referral("A", "legal_aid", "2026-10-06T12:00:00+08:00");
    referral("A", "police_response", "2026-10-06T12:00:00+08:00");
    referral("C", "legal_aid", "2026-09-29T12:00:00+08:00");  // September
    referral("H", "legal_aid", "2026-10-10T12:00:00+08:00");

    follow_up("A", "satisfied", "2026-10-27T10:00:00+08:00");
    follow_up("D", "basically_satisfied", "2026-10-25T10:00:00+08:00");
    follow_up("E", "dissatisfied", "2026-10-30T10:00:00+08:00");
    follow_up("F", "satisfied", "2026-11-09T10:00:00+08:00");  // November
    follow_up("H", "satisfied", "2026-10-30T10:00:00+08:00");

    // The migrations create the DV tables (schema/004_dv.sql); the DV figures below are always checked.
    BOOST_REQUIRE(count_of("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN"
                           " ('dv_protection_orders', 'dv_warning_letters', 'dv_shelter_stays', 'dv_mandatory_reports')") == 4);
    {
      auto order = [&](const char* name, const char* applied, const char* status, const char* ruled) {
        const TimeMs a = at(applied);
        conn.prepare(
                "INSERT INTO dv_protection_orders(case_id, court_partner_id, emergency, applied_at, ruling_due, status,"
                " ruled_at, expires_at, created_at, updated_at) VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, 0, 0)")
            .bind_all(ids.at(name), court_id, a, a + 72 * kMsPerHour, status,
                      ruled ? std::optional(at(ruled)) : std::nullopt,
                      ruled ? std::optional(at(ruled) + 90 * kMsPerDay) : std::nullopt)
            .run();
      };
      order("A", "2026-10-06T10:00:00+08:00", "granted", "2026-10-08T10:00:00+08:00");  // applied + granted
      order("C", "2026-09-30T20:00:00+08:00", "granted", "2026-10-02T10:00:00+08:00");  // granted only
      order("B", "2026-10-11T10:00:00+08:00", "applied", nullptr);                       // applied only
      order("H", "2026-10-10T10:00:00+08:00", "denied", "2026-10-11T10:00:00+08:00");   // subtree: applied
      conn.prepare("INSERT INTO dv_warning_letters(case_id, police_partner_id, issued_at, created_at) VALUES (?1, ?2, ?3, 0)")
          .bind_all(ids.at("A"), police_id, at("2026-10-07T10:00:00+08:00"))
          .run();
      conn.prepare("INSERT INTO dv_shelter_stays(case_id, partner_id, from_at, created_at) VALUES (?1, ?2, ?3, 0)")
          .bind_all(ids.at("A"), police_id, at("2026-10-07T20:00:00+08:00"))
          .run();
      conn.prepare("INSERT INTO dv_mandatory_reports(case_id, reporter_type, reported_at, created_at) VALUES (?1, 'school', ?2, 0)")
          .bind_all(ids.at("C"), at("2026-10-02T09:00:00+08:00"))
          .run();
    }
  }

  std::int64_t count_of(const char* sql) {
    auto st = conn.prepare(sql);
    BOOST_REQUIRE(st.step());
    return st.int64(0);
  }

  MonthlyStats report(const Actor& who, std::optional<std::int64_t> office, bool subtree) {
    auto m = MonthlyReport::compute(conn, who, office, kOctober, subtree, clock.now_ms());
    BOOST_REQUIRE_MESSAGE(m.has_value(), (m ? std::string() : m.error().message));
    return *m;
  }

  static CountPair channel(const MonthlyStats& m, const char* name) {
    for (const auto& c : m.by_channel)
      if (c.channel == name) return c.count;
    BOOST_FAIL(std::string("no channel ") + name);
    return {};
  }
};

// ---- a minimal .xlsx reader: the zip's central directory, inflate, and the cells of sheet1 ----

std::uint32_t u32(const std::string& s, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 3])) << 24;
}
std::uint16_t u16(const std::string& s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) | static_cast<unsigned char>(s[at + 1]) << 8);
}

std::map<std::string, std::string> unzip(const std::string& zip) {
  std::map<std::string, std::string> files;
  const std::size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
  BOOST_REQUIRE(eocd != std::string::npos);
  std::size_t p = u32(zip, eocd + 16);
  const std::uint16_t entries = u16(zip, eocd + 10);
  for (int i = 0; i < entries; ++i) {
    BOOST_REQUIRE(u32(zip, p) == 0x02014b50u);
    const std::uint16_t method = u16(zip, p + 10);
    const std::uint32_t packed = u32(zip, p + 20), size = u32(zip, p + 24);
    const std::uint16_t name_len = u16(zip, p + 28), extra_len = u16(zip, p + 30), comment_len = u16(zip, p + 32);
    const std::uint32_t local = u32(zip, p + 42);
    const std::string name = zip.substr(p + 46, name_len);
    const std::size_t data = local + 30 + u16(zip, local + 26) + u16(zip, local + 28);
    std::string out(size, '\0');
    if (method == 0) {
      out = zip.substr(data, size);
    } else {
      BOOST_REQUIRE(method == 8);
      z_stream z{};
      BOOST_REQUIRE(inflateInit2(&z, -MAX_WBITS) == Z_OK);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(zip.data() + data));
      z.avail_in = packed;
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = size;
      BOOST_REQUIRE(inflate(&z, Z_FINISH) == Z_STREAM_END);
      inflateEnd(&z);
    }
    files[name] = out;
    p += 46 + name_len + extra_len + comment_len;
  }
  return files;
}

std::string unescape_xml(std::string s) {
  const std::pair<const char*, const char*> entities[] = {{"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
                                                          {"&amp;", "&"}};
  for (auto [from, to] : entities)
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += std::strlen(to))
      s.replace(pos, std::strlen(from), to);
  return s;
}

// Cell reference ("A1") → its text (shared strings resolved) or number as written.
std::map<std::string, std::string> sheet_cells(const std::map<std::string, std::string>& files) {
  std::vector<std::string> shared;
  const std::string& sst = files.at("xl/sharedStrings.xml");
  for (std::size_t p = 0; (p = sst.find("<si>", p)) != std::string::npos;) {
    const std::size_t t = sst.find('>', sst.find("<t", p)) + 1;
    const std::size_t end = sst.find("</t>", t);
    shared.push_back(unescape_xml(sst.substr(t, end - t)));
    p = end;
  }
  std::map<std::string, std::string> cells;
  const std::string& sheet = files.at("xl/worksheets/sheet1.xml");
  for (std::size_t p = 0; (p = sheet.find("<c r=\"", p)) != std::string::npos;) {
    const std::size_t ref_end = sheet.find('"', p + 6);
    const std::string ref = sheet.substr(p + 6, ref_end - p - 6);
    const std::size_t tag_end = sheet.find('>', p);
    const bool is_shared = sheet.substr(p, tag_end - p).find("t=\"s\"") != std::string::npos;
    const std::size_t v = sheet.find("<v>", tag_end);
    const std::size_t next = sheet.find("<c r=\"", tag_end);
    if (v != std::string::npos && (next == std::string::npos || v < next)) {
      const std::string value = sheet.substr(v + 3, sheet.find("</v>", v) - v - 3);
      cells[ref] = is_shared ? shared.at(std::stoul(value)) : value;
    }
    p = tag_end;
  }
  return cells;
}

// The report's items in order, as web/API.md lists them (the seven channels in vocabulary order:
// hotline, walk_in, letter, online, agent, screening, transfer_in) — written out here rather than
// taken from monthly_report_lines(), so a line lost or added by the export is noticed.
const std::vector<std::string> kExpectedLabels = {
    "统计月份", "统计单位", "统计范围",
    "来电（件）", "来电（人次）", "来访（件）", "来访（人次）", "来信（件）", "来信（人次）", "网访（件）", "网访（人次）",
    "信访代理（件）", "信访代理（人次）", "排查发现（件）", "排查发现（人次）", "转入（件）", "转入（人次）",
    "来信来访来电合计（件）", "来信来访来电合计（人次）", "法律咨询（件）", "法律咨询（人次）",
    "新登记个案（件）", "受理个案（件）", "办结个案（件）", "其中不予受理（件）", "本月受理个案中已办结（件）", "案结率",
    "需处理的来信来访来电（件）", "已处理（件）", "处理率", "法律援助转介（件）", "避免经济损失（元）", "平均办结天数",
    "申请人身安全保护令（件）", "签发人身安全保护令（件）", "家庭暴力告诫书（件）", "临时庇护（件）", "强制报告（件）",
    "回访（件）", "满意（件）", "基本满意（件）", "不满意（件）", "满意率"};

std::string attribute(const std::string& tag, const std::string& name) {
  const std::size_t p = tag.find(" " + name + "=\"");
  if (p == std::string::npos) return "";
  const std::size_t v = p + name.size() + 3;
  return tag.substr(v, tag.find('"', v) - v);
}

// Cell reference → {its type attribute ("" = number), its number format code ("General" when none)}:
// the cell's s= index into styles.xml's cellXfs, whose numFmtId is a built-in format (2 = "0.00",
// 10 = "0.00%", as libxlsxwriter writes those two) or one of the workbook's own numFmts.
std::map<std::string, std::pair<std::string, std::string>> cell_types_and_formats(
    const std::map<std::string, std::string>& files) {
  std::map<int, std::string> formats = {{0, "General"}, {1, "0"}, {2, "0.00"}, {9, "0%"}, {10, "0.00%"}};
  const std::string& styles = files.at("xl/styles.xml");
  for (std::size_t p = 0; (p = styles.find("<numFmt ", p)) != std::string::npos; ++p) {
    const std::string tag = styles.substr(p, styles.find('>', p) - p);
    formats[std::stoi(attribute(tag, "numFmtId"))] = unescape_xml(attribute(tag, "formatCode"));
  }
  std::vector<std::string> xf_formats;
  const std::size_t xfs = styles.find("<cellXfs");
  BOOST_REQUIRE(xfs != std::string::npos);
  const std::size_t xfs_end = styles.find("</cellXfs>", xfs);
  for (std::size_t p = styles.find("<xf ", xfs); p != std::string::npos && p < xfs_end; p = styles.find("<xf ", p + 1)) {
    const std::string tag = styles.substr(p, styles.find('>', p) - p);
    const std::string id = attribute(tag, "numFmtId");
    xf_formats.push_back(formats.at(id.empty() ? 0 : std::stoi(id)));
  }
  std::map<std::string, std::pair<std::string, std::string>> out;
  const std::string& sheet = files.at("xl/worksheets/sheet1.xml");
  for (std::size_t p = 0; (p = sheet.find("<c r=\"", p)) != std::string::npos; ++p) {
    const std::string tag = sheet.substr(p, sheet.find('>', p) - p);
    const std::string s = attribute(tag, "s");
    out[attribute(tag, "r")] = {attribute(tag, "t"), xf_formats.at(s.empty() ? 0 : std::stoul(s))};
  }
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(monthly_stats, MonthlyFixture)

BOOST_AUTO_TEST_CASE(contacts_by_channel_as_matters_and_person_times) {
  auto m = report(sup, std::nullopt, true);
  BOOST_TEST(m.from == at("2026-10-01T00:00:00+08:00"));
  BOOST_TEST(m.to == at("2026-11-01T00:00:00+08:00"));
  BOOST_TEST(channel(m, "hotline").matters == 2);  // the 00:30 call and the silent one
  BOOST_TEST(channel(m, "hotline").person_times == 2);
  BOOST_TEST(channel(m, "walk_in").matters == 2);
  BOOST_TEST(channel(m, "walk_in").person_times == 7);  // 5 + 2
  BOOST_TEST(channel(m, "letter").matters == 1);
  BOOST_TEST(channel(m, "online").matters == 1);
  BOOST_TEST(channel(m, "agent").matters == 0);
  BOOST_TEST(m.by_channel.size() == 7u);
  BOOST_TEST(m.contacts_total.matters == 6);
  BOOST_TEST(m.contacts_total.person_times == 11);
  BOOST_TEST(m.consultations.matters == 3);       // answered: the 00:30 call, the group visit, the online one
  BOOST_TEST(m.consultations.person_times == 7);  // 1 + 5 + 1
}

BOOST_AUTO_TEST_CASE(handling_rate_counts_answered_and_acted_upon_contacts) {
  auto m = report(sup, std::nullopt, true);
  BOOST_TEST(m.handling.denominator == 5);  // all but the silent call
  BOOST_TEST(m.handling.numerator == 4);    // three answered + the one whose case A was accepted
  BOOST_TEST(*m.handling.rate() == 0.8, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(cases_opened_accepted_closed_and_the_closure_rate) {
  auto m = report(sup, std::nullopt, true);
  BOOST_TEST(m.cases_opened == 5);    // A B E F G
  BOOST_TEST(m.cases_accepted == 3);  // A C F
  BOOST_TEST(m.closure.denominator == 3);
  BOOST_TEST(m.closure.numerator == 2);  // A and F are closed now; C is not
  BOOST_TEST(*m.closure.rate() == 2.0 / 3.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(m.cases_closed == 3);    // A D E (G was transferred, F closed in November)
  BOOST_TEST(m.cases_declined == 1);  // E
  BOOST_TEST(m.losses_avoided_fen == 170050);
  BOOST_REQUIRE(m.avg_days_to_close.has_value());
  BOOST_TEST(*m.avg_days_to_close == (15.0 + 75.0 + 1.0) / 3.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(m.legal_aid_referrals == 1);  // A's (C's was in September; the police referral is no legal aid)
}

BOOST_AUTO_TEST_CASE(satisfaction_from_follow_ups) {
  auto m = report(sup, std::nullopt, true);
  BOOST_TEST(m.follow_ups == 3);
  BOOST_TEST(m.satisfied == 1);
  BOOST_TEST(m.basically_satisfied == 1);
  BOOST_TEST(m.dissatisfied == 1);
  BOOST_TEST(*m.satisfaction.rate() == 2.0 / 3.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(dv_figures_from_the_dv_tables) {
  auto m = report(sup, std::nullopt, true);
  BOOST_TEST(m.dv_available);
  BOOST_TEST(m.protection_orders_applied == 2);  // A, B (C applied in September)
  BOOST_TEST(m.protection_orders_granted == 2);  // A, C (ruled in October)
  BOOST_TEST(m.warning_letters == 1);
  BOOST_TEST(m.shelter_stays == 1);
  BOOST_TEST(m.mandatory_reports == 1);
  BOOST_TEST(report(city_sup, std::nullopt, true).protection_orders_applied == 3);  // + H
}

// API.md: the DV figures are "all 0 while the DV tables are absent" (a database from before the DV
// module), and the rest of the report is unchanged.
BOOST_AUTO_TEST_CASE(dv_figures_are_zeros_without_the_dv_tables) {
  conn.exec(
      "DROP TABLE dv_protection_order_extensions; DROP TABLE dv_protection_order_violations;"
      " DROP TABLE dv_protection_orders; DROP TABLE dv_warning_letters; DROP TABLE dv_shelter_stays;"
      " DROP TABLE dv_mandatory_reports;");
  auto m = report(sup, std::nullopt, true);
  BOOST_TEST(!m.dv_available);
  BOOST_TEST(m.protection_orders_applied == 0);
  BOOST_TEST(m.protection_orders_granted == 0);
  BOOST_TEST(m.warning_letters == 0);
  BOOST_TEST(m.shelter_stays == 0);
  BOOST_TEST(m.mandatory_reports == 0);
  BOOST_TEST(m.cases_opened == 5);
  BOOST_TEST(m.contacts_total.person_times == 11);
}

BOOST_AUTO_TEST_CASE(an_office_with_its_subtree_and_alone) {
  auto subtree = report(city_sup, std::nullopt, true);
  BOOST_TEST(subtree.office.id == city.id);
  BOOST_TEST(channel(subtree, "hotline").matters == 3);
  BOOST_TEST(channel(subtree, "hotline").person_times == 5);
  BOOST_TEST(channel(subtree, "walk_in").matters == 3);
  BOOST_TEST(channel(subtree, "walk_in").person_times == 11);
  BOOST_TEST(subtree.contacts_total.matters == 8);
  BOOST_TEST(subtree.contacts_total.person_times == 18);
  BOOST_TEST(subtree.consultations.person_times == 14);
  BOOST_TEST(subtree.handling.numerator == 6);
  BOOST_TEST(subtree.handling.denominator == 7);
  BOOST_TEST(subtree.cases_opened == 6);
  BOOST_TEST(subtree.cases_accepted == 4);
  BOOST_TEST(subtree.closure.numerator == 3);
  BOOST_TEST(subtree.cases_closed == 4);
  BOOST_TEST(subtree.losses_avoided_fen == 180050);
  BOOST_TEST(subtree.legal_aid_referrals == 2);
  BOOST_TEST(subtree.follow_ups == 4);

  auto alone = report(city_sup, std::nullopt, false);
  BOOST_TEST(channel(alone, "walk_in").matters == 1);
  BOOST_TEST(channel(alone, "walk_in").person_times == 4);
  BOOST_TEST(alone.contacts_total.matters == 1);
  BOOST_TEST(alone.handling.numerator == 1);
  BOOST_TEST(alone.cases_opened == 0);
  BOOST_TEST(!alone.closure.rate().has_value());  // nothing accepted: no rate, not 0 %
  BOOST_TEST(!alone.avg_days_to_close.has_value());

  // The county as seen by the city supervisor equals the county supervisor's report.
  BOOST_TEST(report(city_sup, county.id, true).contacts_total.person_times == 11);
  BOOST_TEST((error_of(MonthlyReport::compute(conn, sup, city.id, kOctober, true, clock.now_ms())).code == Errc::not_found));
}

BOOST_AUTO_TEST_CASE(month_parsing) {
  BOOST_TEST((parse_month("2026-10") == LocalDate{2026, 10, 1}));
  BOOST_TEST(!parse_month("2026-13"));
  BOOST_TEST(!parse_month("2026-1"));
  BOOST_TEST(!parse_month("26-10-01"));
  auto december = MonthlyReport::compute(conn, sup, std::nullopt, {2026, 12, 1}, true, clock.now_ms());
  BOOST_TEST(december->to == at("2027-01-01T00:00:00+08:00"));
}

BOOST_AUTO_TEST_CASE(csv_export_has_a_bom_chinese_headers_and_the_figures) {
  const std::string csv = monthly_report_csv(report(sup, std::nullopt, true));
  BOOST_TEST(csv.starts_with("\xEF\xBB\xBF项目,数值\r\n"));
  BOOST_TEST(csv.find("统计月份,2026-10\r\n") != std::string::npos);
  BOOST_TEST(csv.find("统计单位,永兴县妇联\r\n") != std::string::npos);
  BOOST_TEST(csv.find("来访（件）,2\r\n") != std::string::npos);
  BOOST_TEST(csv.find("来访（人次）,7\r\n") != std::string::npos);
  BOOST_TEST(csv.find("法律咨询（人次）,7\r\n") != std::string::npos);
  BOOST_TEST(csv.find("案结率,66.67%\r\n") != std::string::npos);
  BOOST_TEST(csv.find("处理率,80.00%\r\n") != std::string::npos);
  BOOST_TEST(csv.find("避免经济损失（元）,1700.50\r\n") != std::string::npos);
  BOOST_TEST(csv.find("满意率,66.67%\r\n") != std::string::npos);
  BOOST_TEST(csv.find("平均办结天数,30.3\r\n") != std::string::npos);  // (15 + 75 + 1) / 3 days
  {
    std::vector<std::string> labels;
    for (std::size_t p = csv.find("\r\n") + 2; p < csv.size(); p = csv.find("\r\n", p) + 2)
      labels.push_back(csv.substr(p, csv.find(',', p) - p));
    BOOST_TEST(labels == kExpectedLabels, boost::test_tools::per_element());
    BOOST_TEST(csv.ends_with("\r\n"));
  }
  // RFC 4180 quoting of an office name with a comma and a quote.
  conn.prepare("UPDATE offices SET name = ?1 WHERE id = ?2").bind_all("永兴县\"妇联\",城关", county.id).run();
  const std::string quoted = monthly_report_csv(report(sup, std::nullopt, true));
  BOOST_TEST(quoted.find("统计单位,\"永兴县\"\"妇联\"\",城关\"\r\n") != std::string::npos);
  auto alone = monthly_report_csv(report(city_sup, std::nullopt, false));
  BOOST_TEST(alone.find("统计范围,仅本级\r\n") != std::string::npos);
  BOOST_TEST(alone.find("案结率,\r\n") != std::string::npos);  // no rate without accepted cases
}

// Issue #16 finding 10: an office named like a formula must reach the spreadsheet as text.
BOOST_AUTO_TEST_CASE(csv_text_that_a_spreadsheet_would_run_is_escaped_and_numbers_stay_numbers) {
  for (const auto& [name, cell] : std::initializer_list<std::pair<std::string, std::string>>{
           {"=HYPERLINK(\"http://evil.example\",\"点击\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点击\"\")\""},
           {"+1+1", "'+1+1"}, {"-2+3", "'-2+3"}, {"@SUM(A1)", "'@SUM(A1)"}, {"\t=1", "'\t=1"},
           {"\r=1", "\"'\r=1\""}, {"＝1+1", "'＝1+1"}, {"永兴县妇联", "永兴县妇联"}}) {
    conn.prepare("UPDATE offices SET name = ?1 WHERE id = ?2").bind_all(name, county.id).run();
    const std::string csv = monthly_report_csv(report(sup, std::nullopt, true));
    BOOST_TEST(csv.find("统计单位," + cell + "\r\n") != std::string::npos, name << " -> " << csv.substr(0, 200));
  }
  // A negative amount is a number the server formatted, not text someone typed: it stays a number.
  conn.prepare("UPDATE cases SET losses_avoided_fen = -losses_avoided_fen").run();
  const std::string csv = monthly_report_csv(report(sup, std::nullopt, true));
  BOOST_TEST(csv.find("避免经济损失（元）,-1700.50\r\n") != std::string::npos, csv);
  BOOST_TEST(csv.find("避免经济损失（元）,'") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(xlsx_export_opened_back_has_the_expected_cells) {
  const auto m = report(sup, std::nullopt, true);
  auto bytes = monthly_report_xlsx(m);
  BOOST_REQUIRE(bytes.has_value());
  BOOST_TEST(bytes->starts_with("PK"));
  const auto cells = sheet_cells(unzip(*bytes));
  BOOST_TEST(cells.at("A1") == "项目");
  BOOST_TEST(cells.at("B1") == "数值");
  BOOST_TEST(cells.at("A2") == "统计月份");
  BOOST_TEST(cells.at("B2") == "2026-10");
  BOOST_TEST(cells.at("B3") == "永兴县妇联");
  std::map<std::string, std::string> by_label;
  for (int row = 2; cells.contains("A" + std::to_string(row)); ++row)
    by_label[cells.at("A" + std::to_string(row))] = cells.contains("B" + std::to_string(row)) ? cells.at("B" + std::to_string(row)) : "";
  std::vector<std::string> labels;
  for (int row = 2; cells.contains("A" + std::to_string(row)); ++row) labels.push_back(cells.at("A" + std::to_string(row)));
  BOOST_TEST(labels == kExpectedLabels, boost::test_tools::per_element());
  BOOST_TEST(by_label.size() == kExpectedLabels.size());
  BOOST_TEST(std::stod(by_label.at("来电（件）")) == 2.0);
  BOOST_TEST(std::stod(by_label.at("来访（人次）")) == 7.0);
  BOOST_TEST(std::stod(by_label.at("来信来访来电合计（人次）")) == 11.0);
  BOOST_TEST(std::stod(by_label.at("受理个案（件）")) == 3.0);
  BOOST_TEST(std::stod(by_label.at("案结率")) == 2.0 / 3.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(std::stod(by_label.at("处理率")) == 0.8, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(std::stod(by_label.at("避免经济损失（元）")) == 1700.5, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(std::stod(by_label.at("法律援助转介（件）")) == 1.0);
  BOOST_TEST(monthly_report_basename(m) == "monthly-431023-2026-10");
  BOOST_TEST(monthly_report_basename(report(city_sup, std::nullopt, false)) == "monthly-431000-2026-10-office-only");

  // API.md: counts as numbers, rates with format 0.00%, yuan 0.00.
  const auto formats = cell_types_and_formats(unzip(*bytes));
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i];
    const std::string ref = "B" + std::to_string(i + 2);
    BOOST_TEST_CONTEXT(label << " in " << ref) {
      BOOST_REQUIRE(formats.contains(ref));
      const auto& [type, format] = formats.at(ref);
      if (label.ends_with("（件）") || label.ends_with("（人次）")) {
        BOOST_TEST(type != "s");  // a number, not text
        BOOST_TEST(type != "str");
        BOOST_TEST(format == "General");
      } else if (label.ends_with("率")) {
        BOOST_TEST(type != "s");
        BOOST_TEST(format == "0.00%");
      } else if (label == "避免经济损失（元）") {
        BOOST_TEST(type != "s");
        BOOST_TEST(format == "0.00");
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
