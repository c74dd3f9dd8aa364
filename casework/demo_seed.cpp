#include "casework/demo_seed.hpp"

#include <array>
#include <random>

#include "casework/case_search.hpp"
#include "casework/case_service.hpp"
#include "casework/contact_repository.hpp"
#include "casework/office_repository.hpp"
#include "casework/user_repository.hpp"
#include "core/db/transaction.hpp"
#include "core/local_time.hpp"

namespace hl::casework {
namespace {

constexpr std::array<std::string_view, 16> kSurnames = {"李", "王", "张", "刘", "陈", "杨", "黄", "赵",
                                                        "周", "吴", "徐", "孙", "胡", "朱", "高", "林"};
constexpr std::array<std::string_view, 16> kGiven = {"秀英", "桂兰", "丽娟", "晓燕", "春梅", "海燕", "玉兰", "红霞",
                                                     "静",   "芳",   "敏",   "婷婷", "雪梅", "美华", "小红", "凤英"};
constexpr std::array<std::string_view, 8> kMen = {"建国", "志强", "伟", "军", "勇", "海涛", "国庆", "明"};

struct Story {
  std::string_view category;
  std::string_view summary;
  std::string_view narrative;
};

constexpr std::array<Story, 10> kStories = {{
    {"marriage_family.domestic_violence", "丈夫长期家暴，求助申请保护令",
     "来电人称结婚八年，丈夫酒后经常殴打她，上周用皮带抽打致手臂淤青，曾报警一次。担心孩子安全，想了解人身安全保护令如何申请。"},
    {"marriage_family.domestic_violence", "遭受家暴后离家暂住亲戚家",
     "来访人称丈夫多次威胁要杀死她，限制她与娘家联系并没收手机。目前暂住在姐姐家，希望妇联协助联系庇护和法律援助。"},
    {"marriage_family.divorce", "咨询离婚及财产分割",
     "来电人与丈夫分居两年，对方不同意离婚，询问诉讼离婚的程序、共同财产和房产如何分割。"},
    {"marriage_family.custody_visitation", "离婚后对方拒绝探望孩子",
     "来访人离婚时约定每月探望两次，前夫近半年拒绝其探望女儿，希望调解解决。"},
    {"marriage_family.elder_support", "子女不履行赡养义务",
     "七十二岁老人来电，三个子女互相推诿，不支付生活费，老人患病无人照料。"},
    {"marriage_family.bride_price", "婚约解除后彩礼返还纠纷",
     "双方订婚后男方要求退还全部彩礼十八万元，女方家庭认为已用于筹备婚礼，请求调解。"},
    {"labour.pregnancy_dismissal", "怀孕后被公司辞退",
     "来电人在某电子厂工作三年，告知怀孕后被以岗位调整为由辞退，未获任何补偿。"},
    {"property_rights.land_contract", "出嫁女土地承包权益受侵害",
     "来访人婚后户口仍在本村，村里重新分配承包地时未给她分地，集体收益也被取消。"},
    {"personal_rights.sexual_harassment", "遭受上司性骚扰",
     "来电人称部门主管多次发送骚扰信息并有肢体接触，担心投诉后被报复，咨询如何保存证据。"},
    {"children.left_behind", "留守儿童监护缺失",
     "村妇联执委排查发现一名九岁留守女童，父母在外务工，祖母卧病，孩子经常独自在家且辍学。"},
}};

template <class T, std::size_t N>
const T& pick(std::mt19937& rng, const std::array<T, N>& a) {
  return a[std::uniform_int_distribution<std::size_t>(0, N - 1)(rng)];
}

}  // namespace

Result<DemoSeedResult> seed_demo(db::Connection& conn, const Clock& real_clock, int case_count,
                                 const std::function<std::string(std::string_view)>& hash_password) {
  {
    auto st = conn.prepare("SELECT count(*) FROM offices");
    st.step();
    if (st.int64(0) > 0) return DemoSeedResult{};
  }
  db::Transaction tx(conn);
  const TimeMs now = real_clock.now_ms();
  auto must = [](auto r) {
    if (!r) throw std::runtime_error(r.error().message);
    return *r;
  };
  const auto province = must(OfficeRepository::create(conn, "湖南省妇联", "430000", std::nullopt, "province", now));
  const auto city = must(OfficeRepository::create(conn, "郴州市妇联", "431000", province.id, "city", now));
  const auto county = must(OfficeRepository::create(conn, "永兴县妇联", "431023", city.id, "county", now));
  const auto county2 = must(OfficeRepository::create(conn, "桂阳县妇联", "431021", city.id, "county", now));
  must(OfficeRepository::set_phone(conn, county.id, "0735-5521234"));
  must(OfficeRepository::set_phone(conn, county2.id, "0735-4421234"));

  struct PartnerSeed { const char* name; const char* type; const char* services; };
  const std::array<PartnerSeed, 12> partners = {{
      {"永兴县人民法院", "court", "protection_order,litigation_support"},
      {"永兴县公安局城关派出所", "police", "police_response,warning_letter"},
      {"永兴县人民检察院", "procuratorate", "other"},
      {"永兴县司法局", "justice", "legal_aid,mediation"},
      {"永兴县法律援助中心", "legal_aid", "legal_aid,litigation_support"},
      {"永兴县婚姻家庭纠纷人民调解委员会", "mediation_committee", "mediation"},
      {"永兴县民政局救助管理站", "civil_affairs", "shelter,relief"},
      {"永兴县人民医院", "health", "injury_exam"},
      {"永兴县人力资源和社会保障局", "labour", "labour"},
      {"永兴县教育局", "education", "schooling"},
      {"郴州市妇联权益部", "federation", "other"},
      {"永兴县心理援助热线", "other", "other"},
  }};
  std::vector<std::int64_t> partner_ids;
  for (const auto& p : partners) {
    conn.prepare("INSERT INTO partners(name, type, region_codes, services, phone, working_hours, created_at)"
                 " VALUES (?1, ?2, '431023', ?3, '0735-5500000', '8:30-17:30', ?4)")
        .bind_all(p.name, p.type, p.services, now)
        .run();
    partner_ids.push_back(conn.last_insert_rowid());
  }

  DemoSeedResult out;
  // Each password is the place's pinyin + "-demo-2026": not the username (casework/password_policy.hpp
  // refuses a password containing it), so the demo shows passwords a user could really set.
  auto add_user = [&](const char* username, const char* password, const char* name, const char* role,
                      std::optional<std::int64_t> office, std::optional<std::int64_t> partner, const char* where) {
    auto u = must(UserRepository::create(conn, {username, name, role, office, partner, hash_password(password)}, now));
    out.logins.push_back({username, password, role, where});
    return u;
  };
  const auto op = add_user("operator", "yongxing-demo-2026", "刘晓燕（接线员）", "operator", county.id, std::nullopt, "永兴县妇联");
  const auto sup = add_user("supervisor", "chenzhou-demo-2026", "陈美华（权益部部长）", "supervisor", city.id, std::nullopt, "郴州市妇联");
  add_user("operator2", "guiyang-demo-2026", "周婷婷（接线员）", "operator", county2.id, std::nullopt, "桂阳县妇联");
  add_user("police", "chengguan-demo-2026", "派出所联络员", "partner", std::nullopt, partner_ids[1], "永兴县公安局城关派出所");
  add_user("court", "fayuan-demo-2026", "法院立案庭联络员", "partner", std::nullopt, partner_ids[0], "永兴县人民法院");
  // The three administrators (三员分立): accounts, grants, the audit log — none reads a case.
  add_user("admin", "guanli-demo-2026", "系统管理员", "sysadmin", std::nullopt, std::nullopt, "—");
  add_user("secadmin", "anquan-demo-2026", "安全管理员", "secadmin", std::nullopt, std::nullopt, "—");
  add_user("auditor", "shenji-demo-2026", "审计管理员", "auditor", std::nullopt, std::nullopt, "—");

  auto actor_of = [&](const User& u) { return *UserRepository::actor_for(conn, u.id); };
  const Actor op_actor = actor_of(op), sup_actor = actor_of(sup);

  std::mt19937 rng(20261123);
  FakeClock clock(now);
  CaseService service(clock);
  for (int i = 0; i < case_count; ++i) {
    const Story& story = pick(rng, kStories);
    // Received between 1 and 150 days ago, in office hours.
    const int days_ago = std::uniform_int_distribution<int>(1, 150)(rng);
    const TimeMs received = start_of_local_day(add_days(local_date(now), -days_ago)) +
                            (9 + i % 8) * kMsPerHour + (i * 7 % 60) * 60'000;
    clock.set(received + 10 * 60'000);
    const std::int64_t office = (i % 5 == 4) ? county2.id : county.id;
    Actor creator = op_actor;
    creator.office_path = (office == county.id) ? county.path : city.path;
    const char* channel = std::array{"hotline", "hotline", "hotline", "walk_in", "letter", "online", "screening"}[i % 7];
    auto c = must(service.open_case(conn, {office, std::string(story.category), channel,
                                           i % 11 == 0 ? "urgent" : "normal", std::string(story.summary),
                                           std::string(story.narrative), received, std::nullopt, std::nullopt},
                                    creator));
    const std::string victim = std::string(pick(rng, kSurnames)) + std::string(pick(rng, kGiven));
    NewContact contact;
    contact.office_id = office;
    contact.case_id = c.id;
    contact.channel = channel;
    if (std::string_view(channel) == "hotline") contact.call_type = "help_request";
    contact.received_at = received;
    contact.duration_s = 300 + i % 900;
    contact.category = std::string(story.category);
    contact.resolution = "open_case";
    contact.summary = story.summary;
    contact.narrative = story.narrative;
    contact.operator_id = op.id;
    contact.created_at = received;
    const auto contact_id = ContactRepository::insert(conn, contact);
    NewPerson complainant;
    complainant.role = "complainant";
    complainant.name = victim;
    complainant.gender = "female";
    complainant.age = 22 + i % 50;
    ContactRepository::insert_person(conn, contact_id, c.id, complainant);
    NewPerson respondent;
    respondent.role = "respondent";
    respondent.name = std::string(pick(rng, kSurnames)) + std::string(pick(rng, kMen));
    respondent.relationship = "丈夫";
    ContactRepository::insert_person(conn, contact_id, c.id, respondent);
    refresh_search_document(conn, c.id);

    // Walk the case forward to a target state, a day or so between steps.
    const int target = static_cast<int>(rng() % 10);  // 0 registered … 9 closed after follow-up
    auto step = [&](CaseEvent e, const Actor& who, EventData data) {
      clock.advance_ms(std::uniform_int_distribution<TimeMs>(2, 40)(rng) * kMsPerHour);
      if (clock.now_ms() > now) clock.set(now);
      c = must(service.apply(conn, c.id, c.version, e, who, data, {}));
    };
    Actor handler = creator;
    if (target == 0) continue;
    if (target == 1) { step(CaseEvent::decline, handler, {{"reason", "不属于妇联受理范围"}, {"referred_to", "已告知向当地人民法院咨询"},
                                                         {"notice_method", "phone"}, {"notice_on_the_spot", "true"}}); continue; }
    step(CaseEvent::accept, handler, {{"notice_method", "phone"}, {"notice_on_the_spot", "true"}});
    if (target == 2) continue;
    if (target >= 3 && target <= 5) {
      const bool dv = story.category == "marriage_family.domestic_violence";
      step(CaseEvent::refer, handler, {{"partner_id", std::to_string(partner_ids[dv ? 1 : 4])},
                                       {"service", dv ? "police_response" : "legal_aid"},
                                       {"consent_given", "true"}, {"reason", "需要专业机构介入"}});
      if (target == 3) continue;
      conn.prepare("UPDATE referrals SET status = 'completed', responded_at = ?2, completed_at = ?2, outcome = '已处理并反馈'"
                   " WHERE case_id = ?1")
          .bind_all(c.id, clock.now_ms())
          .run();
      c = must(service.settle_referrals(conn, c.id));
      if (target == 4) continue;
    }
    if (target == 6) {
      step(CaseEvent::start_mediation, handler, {{"mediator", "婚调委 王调解员"}, {"scheduled_at", format_iso8601(clock.now_ms() + kMsPerDay)}, {"place", "县妇联调解室"}});
      continue;
    }
    step(CaseEvent::reply, handler, {{"replied_at", format_iso8601(clock.now_ms())}, {"method", "phone"},
                                     {"opinion", "support"}, {"basis", "依据《中华人民共和国妇女权益保障法》协调处理"}});
    step(CaseEvent::request_closure, handler, {{"outcome", "resolved"}, {"summary", "经协调问题已解决，当事人表示满意"},
                                               {"losses_avoided_fen", std::to_string((i % 20) * 500000)}});
    if (target == 7) continue;
    step(CaseEvent::approve_closure, sup_actor, {});
  }
  out.cases = case_count;
  tx.commit();
  return out;
}

}  // namespace hl::casework
