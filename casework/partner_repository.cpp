#include "casework/partner_repository.hpp"

#include <algorithm>

#include "casework/vocabulary.hpp"

namespace hl::casework {
namespace {

constexpr std::string_view kColumns =
    "SELECT id, name, type, region_codes, services, phone, contact_person, working_hours, active, version FROM partners";

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    if (comma > start) out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ",") + x;
  return out;
}

Partner read(db::Statement& st) {
  return {st.int64(0), st.text(1), st.text(2), split(st.text(3)), split(st.text(4)), st.text(5), st.text(6), st.text(7),
          st.int64(8) != 0, st.int64(9)};
}

std::map<std::string, std::string> validate(const PartnerFields& f, bool creating) {
  std::map<std::string, std::string> bad;
  if (creating && !f.name) bad["name"] = "required";
  if (f.name && (f.name->empty() || f.name->size() > 200)) bad["name"] = "1 to 200 bytes";
  if (creating && !f.type) bad["type"] = "required";
  if (f.type && !is_one_of(partner_types(), *f.type)) bad["type"] = "unknown partner type";
  if (f.region_codes)
    for (const auto& r : *f.region_codes)
      if (r.size() != 6 || !std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; }))
        bad["region_codes"] = "six-digit region codes";
  if (f.services)
    for (const auto& s : *f.services)
      if (!is_one_of(referral_services(), s)) bad["services"] = "unknown service '" + s + "'";
  const std::pair<const char*, const std::optional<std::string>*> texts[] = {
      {"phone", &f.phone}, {"contact_person", &f.contact_person}, {"working_hours", &f.working_hours}};
  for (const auto& [name, value] : texts)
    if (*value && (*value)->size() > 200) bad[name] = "at most 200 bytes";
  return bad;
}

}  // namespace

std::vector<Partner> PartnerRepository::list(db::Connection& conn, const std::optional<std::string>& type, bool active_only) {
  std::vector<Partner> out;
  auto st = conn.prepare(std::string(kColumns) + " WHERE (?1 IS NULL OR type = ?1) AND (?2 = 0 OR active = 1) ORDER BY type, name");
  st.bind_all(type, active_only ? 1 : 0);
  while (st.step()) out.push_back(read(st));
  return out;
}

std::optional<Partner> PartnerRepository::get(db::Connection& conn, std::int64_t id) {
  auto st = conn.prepare(std::string(kColumns) + " WHERE id = ?1");
  st.bind_all(id);
  if (!st.step()) return std::nullopt;
  return read(st);
}

Result<Partner> PartnerRepository::create(db::Connection& conn, const PartnerFields& f, TimeMs now) {
  if (auto bad = validate(f, true); !bad.empty()) return fail(Errc::invalid_input, "the partner cannot be created", bad);
  conn.prepare("INSERT INTO partners(name, type, region_codes, services, phone, contact_person, working_hours, active,"
               " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
      .bind_all(*f.name, *f.type, join(f.region_codes.value_or(std::vector<std::string>{})),
                join(f.services.value_or(std::vector<std::string>{})), f.phone.value_or(""), f.contact_person.value_or(""),
                f.working_hours.value_or(""), f.active.value_or(true) ? 1 : 0, now)
      .run();
  return *get(conn, conn.last_insert_rowid());
}

Result<Partner> PartnerRepository::update(db::Connection& conn, std::int64_t id, std::int64_t expected_version,
                                          const PartnerFields& f) {
  auto p = get(conn, id);
  if (!p) return fail(Errc::not_found, "no such partner");
  if (p->version != expected_version) return fail(Errc::conflict, "the partner was changed by someone else; reload it");
  if (auto bad = validate(f, false); !bad.empty()) return fail(Errc::invalid_input, "the partner cannot be changed", bad);
  Partner n = *p;
  if (f.name) n.name = *f.name;
  if (f.type) n.type = *f.type;
  if (f.region_codes) n.region_codes = *f.region_codes;
  if (f.services) n.services = *f.services;
  if (f.phone) n.phone = *f.phone;
  if (f.contact_person) n.contact_person = *f.contact_person;
  if (f.working_hours) n.working_hours = *f.working_hours;
  if (f.active) n.active = *f.active;
  conn.prepare("UPDATE partners SET name = ?3, type = ?4, region_codes = ?5, services = ?6, phone = ?7, contact_person = ?8,"
               " working_hours = ?9, active = ?10, version = version + 1 WHERE id = ?1 AND version = ?2")
      .bind_all(id, expected_version, n.name, n.type, join(n.region_codes), join(n.services), n.phone, n.contact_person,
                n.working_hours, n.active ? 1 : 0)
      .run();
  if (conn.changes() != 1) return fail(Errc::conflict, "the partner was changed by someone else; reload it");
  return *get(conn, id);
}

}  // namespace hl::casework
