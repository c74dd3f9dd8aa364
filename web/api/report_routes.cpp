// The period reports and their filing (报送). Thin: parse, one domain call, map. Every label, unit
// and definition comes from the definitions table (casework/report_figures.hpp).
#include "web/api/report_routes.hpp"

#include "casework/period_report.hpp"
#include "casework/period_report_export.hpp"
#include "casework/report_filing.hpp"
#include "core/local_time.hpp"
#include "web/api/handler_support.hpp"
#include "web/api/json_body.hpp"
#include "web/api/json_values.hpp"
#include "web/api/query_params.hpp"

namespace hl::web {
namespace {

using nlohmann::json;
using casework::FigureUnit;

json number(std::optional<double> v, std::string_view unit) {
  if (!v) return nullptr;
  if (unit == "件" || unit == "人次" || unit == "人" || unit == "批次") return static_cast<std::int64_t>(*v);
  return *v;
}

std::string_view unit_zh_of(std::string_view key) {
  for (auto u : {FigureUnit::items, FigureUnit::person_times, FigureUnit::persons, FigureUnit::batches,
                 FigureUnit::yuan, FigureUnit::percent})
    if (casework::unit_key(u) == key) return casework::unit_zh(u);
  return key;
}

json office_json(const casework::ScopeOffice& o) {
  return {{"id", o.id}, {"name", o.name}, {"region_code", o.region_code}};
}

json period_json(const casework::ReportPeriod& p) {
  return {{"key", p.key}, {"kind", casework::to_string(p.kind)}, {"from", format_date(p.first)}, {"to", format_date(p.last)}};
}

json filed_figures_json(const std::vector<casework::FiledFigure>& figures) {
  json out = json::array();
  for (const auto& f : figures) {
    const auto unit = unit_zh_of(f.unit);
    out.push_back({{"key", f.key}, {"name", f.name}, {"unit", unit}, {"value", number(f.value(), unit)},
                   {"definition", f.definition}});
  }
  return out;
}

json filing_json(const casework::ReportFiling& f) {
  return {{"id", f.id},
          {"office_id", f.office_id},
          {"period", f.period_key},
          {"scope", casework::to_string(f.scope)},
          {"version", f.version},
          {"as_of", format_iso8601(f.as_of)},
          {"filed_at", format_iso8601(f.filed_at)},
          {"filed_by", {{"id", f.filed_by}, {"name", f.filed_by_name}}},
          {"figures", filed_figures_json(f.figures)}};
}

struct ReportWithFiling {
  casework::PeriodReport report;
  std::optional<casework::ReportFiling> filed;
};

json report_json(const ReportWithFiling& w) {
  const auto& r = w.report;
  json sections = json::array();
  for (const auto& s : casework::report_sections()) {
    json figures = json::array();
    for (const auto& v : r.figures) {
      if (v.def->section != s.key) continue;
      const auto unit = casework::unit_zh(v.def->unit);
      figures.push_back({{"key", v.def->key}, {"name", v.def->name_zh}, {"unit", unit}, {"value", number(v.value(), unit)},
                         {"definition", v.def->definition}});
    }
    sections.push_back({{"key", s.key}, {"name", s.name_zh}, {"figures", figures}});
  }
  json channels = json::array();
  for (const auto& c : r.channels) channels.push_back({{"code", c}, {"name", casework::channel_name_zh(c)}});
  json rows = json::array();
  for (const auto& c : r.categories)
    rows.push_back({{"code", c.code.empty() ? json(nullptr) : json(c.code)},
                    {"name", c.name},
                    {"level", c.level},
                    {"contacts", c.contacts},
                    {"cases", c.cases},
                    {"contacts_total", c.contacts_total},
                    {"cases_total", c.cases_total}});
  json series = json::array();
  for (const auto& m : r.series) series.push_back({{"month", m.month}, {"items", m.items}, {"person_times", m.person_times}});
  json filed = nullptr;
  if (w.filed) {
    json changes = json::array();
    for (const auto& c : casework::changes_since_filing(*w.filed, r)) {
      const auto* def = casework::find_figure(c.key);
      const std::string_view unit = def ? casework::unit_zh(def->unit) : std::string_view();
      changes.push_back({{"key", c.key}, {"name", c.name}, {"filed", number(c.filed, unit)}, {"live", number(c.live, unit)}});
    }
    filed = {{"version", w.filed->version},
             {"filed_at", format_iso8601(w.filed->filed_at)},
             {"filed_by", {{"id", w.filed->filed_by}, {"name", w.filed->filed_by_name}}},
             {"changes", changes}};
  }
  return {{"period", period_json(r.period)},
          {"office", office_json(r.office)},
          {"scope", casework::to_string(r.scope)},
          {"as_of", format_iso8601(r.as_of)},
          {"sections", sections},
          {"categories", {{"channels", channels}, {"rows", rows}}},
          {"series", series},
          {"filed", filed}};
}

HttpResponse attachment(std::string body, std::string content_type, const casework::PeriodReport& r, std::string_view ext) {
  return file_response(std::move(body), std::move(content_type), casework::period_report_basename(r) + std::string(ext),
                       casework::period_report_title(r) + "-" + r.office.name + std::string(ext));
}

// period, scope (default subtree) and office_id from the query or a body: 400 naming each bad one.
struct ReportParams {
  std::optional<casework::ReportPeriod> period;
  casework::ReportScope scope = casework::ReportScope::subtree;
  std::optional<std::int64_t> office_id;
};

Result<ReportParams> params_of(std::optional<std::string> period, std::optional<std::string> scope,
                               std::optional<std::int64_t> office_id, std::map<std::string, std::string> bad) {
  ReportParams p;
  p.office_id = office_id;
  p.period = casework::parse_period(period.value_or(""));
  if (!p.period) bad["period"] = "required: 2026-10, 2026-Q3, 2026-H1, 2026 or 2026-10-01..2026-11-15";
  if (scope) {
    if (auto s = casework::parse_scope(*scope)) p.scope = *s;
    else bad["scope"] = "office or subtree";
  }
  if (!bad.empty()) return std::unexpected(Error{Errc::bad_request, "invalid report parameters", std::move(bad)});
  return p;
}

Result<ReportParams> query_params(const HttpRequest& r) {
  std::map<std::string, std::string> bad;
  auto office_id = integer_query(r, "office_id", bad);
  return params_of(query(r, "period"), query(r, "scope"), office_id, std::move(bad));
}

std::string detail(const ReportParams& p) {
  return p.period->key + " " + std::string(casework::to_string(p.scope));
}

enum class Format { json, csv, xlsx };

void report(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto p = query_params(r);
  if (!p) return reply(error_response(p.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, p = *p, actor = session.actor](db::Connection& conn) -> Result<ReportWithFiling> {
        auto report = casework::PeriodReportService::compute(conn, actor, p.office_id, *p.period, p.scope, s.clock.now_ms());
        if (!report) return std::unexpected(report.error());
        auto filed = casework::ReportFilingService::in_force(conn, report->office.id, p.period->key, p.scope);
        return ReportWithFiling{std::move(*report), std::move(filed)};
      },
      [&s, &r, session, p = *p](const ReportWithFiling& w) {
        return audit_entry(s, session, r, "report.period", "office", w.report.office.id, detail(p) + " json");
      },
      [](const ReportWithFiling& w) { return json_ok(report_json(w)); });
}

// The filing-ready document (per-office columns, 制表人, 报送日期) as CSV or XLSX.
template <Format F>
void report_file(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto p = query_params(r);
  if (!p) return reply(error_response(p.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, p = *p, actor = session.actor](db::Connection& conn) {
        return casework::ReportDocumentService::compose(conn, actor, p.office_id, *p.period, p.scope, s.clock.now_ms());
      },
      [&s, &r, session, p = *p](const casework::ReportDocument& d) {
        return audit_entry(s, session, r, "report.period", "office", d.report.office.id,
                           detail(p) + (F == Format::csv ? " csv" : " xlsx"));
      },
      [](const casework::ReportDocument& d) -> HttpResponse {
        if constexpr (F == Format::csv) {
          return attachment(casework::period_report_csv(d), "text/csv; charset=utf-8", d.report, ".csv");
        } else {
          auto bytes = casework::period_report_xlsx(d);
          if (!bytes) return error_response(bytes.error());
          return attachment(std::move(*bytes), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            d.report, ".xlsx");
        }
      });
}

void file_report(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto body = parse_object(r.body);
  if (!body) return reply(error_response(body.error()));
  JsonFields f(*body);
  auto period = f.text("period");
  auto scope = f.text("scope");
  auto office_id = f.integer("office_id");
  if (auto typed = f.result(); !typed) return reply(error_response(typed.error()));
  auto p = params_of(period, scope, office_id, {});
  if (!p) return reply(error_response(p.error()));
  write_then(
      s, std::move(reply),
      [&s, p = *p, actor = session.actor](db::Connection& conn) {
        return casework::ReportFilingService::file(conn, actor, p.office_id, *p.period, p.scope, s.clock.now_ms());
      },
      [&s, &r, session](const casework::ReportFiling& filing) {
        return audit_entry(s, session, r, "report.file", "office", filing.office_id,
                           filing.period_key + " " + std::string(casework::to_string(filing.scope)) + " v" +
                               std::to_string(filing.version));
      },
      [](const casework::ReportFiling& filing) { return json_ok(filing_json(filing), 201); });
}

void list_filings(Services& s, HttpRequest& r, Reply reply, const Session& session) {
  auto p = query_params(r);
  if (!p) return reply(error_response(p.error()));
  audited_read_then(
      s, std::move(reply),
      [&s, p = *p, actor = session.actor](db::Connection& conn) {
        return casework::ReportFilingService::of_children(conn, actor, p.office_id, *p.period, p.scope, s.clock.now_ms());
      },
      [&s, &r, session, p = *p](const casework::FilingsOverview& o) {
        return audit_entry(s, session, r, "report.filings", "office", o.office.id, detail(p));
      },
      [](const casework::FilingsOverview& o) {
        json children = json::array();
        for (const auto& c : o.children) {
          json live = json::object();
          for (const auto& v : c.live.figures) live[std::string(v.def->key)] = number(v.value(), casework::unit_zh(v.def->unit));
          children.push_back({{"office", office_json(c.office)},
                              {"filed", c.filed ? filing_json(*c.filed) : json(nullptr)},
                              {"live", live}});
        }
        return json_ok({{"office", office_json(o.office)},
                        {"period", period_json(o.period)},
                        {"scope", casework::to_string(o.scope)},
                        {"filed_count", o.filed_count},
                        {"children", children},
                        {"sum", {{"filed", filed_figures_json(o.filed_sum)}, {"live", filed_figures_json(o.live_sum)}}}});
      });
}

// The retired monthly report (GET /api/v1/reports/monthly[.csv|.xlsx]?month=&office_id=&subtree=):
// a permanent redirect to the same month of the period report, so old links and bookmarks keep
// working while there is one report engine (the definitions table). Same parameter checks as before.
void monthly_redirect(std::string_view target, HttpRequest& r, Reply reply) {
  std::map<std::string, std::string> bad;
  const auto office_id = integer_query(r, "office_id", bad);
  const auto month = query(r, "month").value_or("");
  const auto period = casework::parse_period(month);
  if (!period || period->kind != casework::PeriodKind::month) bad["month"] = "required, as YYYY-MM";
  const auto subtree = query(r, "subtree").value_or("true");
  if (subtree != "true" && subtree != "false") bad["subtree"] = "true or false";
  if (!bad.empty()) return reply(error_response({Errc::invalid_input, "invalid parameters", bad}));
  std::string location = std::string(target) + "?period=" + month + "&scope=" + (subtree == "true" ? "subtree" : "office");
  if (office_id) location += "&office_id=" + std::to_string(*office_id);
  HttpResponse res = json_response(308, json{{"location", location}}.dump());
  res.headers.emplace_back("Location", std::move(location));
  reply(std::move(res));
}

template <Format F>
void monthly(Services&, HttpRequest& r, Reply reply, const Session&) {
  monthly_redirect(F == Format::csv ? "/api/v1/reports.csv" : F == Format::xlsx ? "/api/v1/reports.xlsx" : "/api/v1/reports",
                   r, std::move(reply));
}

}  // namespace

void add_report_routes(Router& router, Services& s) {
  router.add("GET", "/api/v1/reports", authed(s, Access::supervisor, bind<report>(s)));
  router.add("GET", "/api/v1/reports.csv", authed(s, Access::supervisor, bind<report_file<Format::csv>>(s)));
  router.add("GET", "/api/v1/reports.xlsx", authed(s, Access::supervisor, bind<report_file<Format::xlsx>>(s)));
  router.add("POST", "/api/v1/reports/filings", authed(s, Access::supervisor, bind<file_report>(s)));
  router.add("GET", "/api/v1/reports/filings", authed(s, Access::supervisor, bind<list_filings>(s)));
  router.add("GET", "/api/v1/reports/monthly", authed(s, Access::supervisor, bind<monthly<Format::json>>(s)));
  router.add("GET", "/api/v1/reports/monthly.csv", authed(s, Access::supervisor, bind<monthly<Format::csv>>(s)));
  router.add("GET", "/api/v1/reports/monthly.xlsx", authed(s, Access::supervisor, bind<monthly<Format::xlsx>>(s)));
}

}  // namespace hl::web
