// Generates a benchmark database that the real server can open: the schema through the project's
// migrations, the demo office tree, partners and users of `hotline seed-demo` (so the demo logins
// work: operator, supervisor, … with the demo passwords), one more supervisor at the province
// ("province" / "hunan-demo-2026", who sees every case), 13 more cities with 8 counties each and
// N cases received over the last ten years in a realistic mix (about 5 % still open). Each case has
// its opening contact, its people (complainant and respondent), its workflow events, the odd
// referral and its substring-search document (varied Chinese summaries and narratives), and the
// key file is created beside the database.
//
//   gen_cases --db PATH --cases N
//
// Prints one JSON line with the counts and the seconds taken. Loading uses synchronous=OFF, foreign
// keys off and drops the secondary indexes of the loaded tables, recreating them at the end: a
// bulk-load technique for the benchmark only, never for the server. No ANALYZE is run, as the server
// runs none. About a minute per million cases on one core (most of it the search index).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "casework/deadline_policy.hpp"
#include "casework/demo_seed.hpp"
#include "casework/office_repository.hpp"
#include "casework/schema_setup.hpp"
#include "casework/user_repository.hpp"
#include "core/clock.hpp"
#include "core/crypto/keys.hpp"
#include "core/crypto/password_hasher.hpp"
#include "core/local_time.hpp"

using namespace hl;
using namespace hl::casework;
using Steady = std::chrono::steady_clock;

namespace {

constexpr std::array<const char*, 14> kCities = {"长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市",
                                                 "张家界市", "益阳市", "郴州市", "永州市", "怀化市", "娄底市", "湘西州"};
constexpr std::array<const char*, 7> kChannels = {"hotline", "walk_in", "letter", "online", "agent", "screening",
                                                  "transfer_in"};
constexpr std::array<int, 7> kChannelWeights = {60, 20, 5, 10, 2, 2, 1};
constexpr std::array<const char*, 6> kServices = {"legal_aid", "police_response", "protection_order", "mediation",
                                                  "shelter", "injury_exam"};

constexpr std::array<const char*, 24> kSurnames = {"李", "王", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙",
                                                   "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢"};
constexpr std::array<const char*, 24> kGiven = {"秀英", "桂兰", "丽娟", "晓燕", "春梅", "海燕", "玉兰", "红霞",
                                                "静",   "芳",   "敏",   "婷婷", "雪梅", "美华", "小红", "凤英",
                                                "丽",   "娜",   "艳",   "霞",   "慧",   "佳怡", "欣然", "淑珍"};
constexpr std::array<const char*, 12> kMen = {"建国", "志强", "伟", "军", "勇", "海涛", "国庆", "明", "强", "磊", "斌", "涛"};
constexpr std::array<const char*, 6> kYears = {"三年", "五年", "八年", "十年", "十五年", "二十多年"};
constexpr std::array<const char*, 6> kPlaces = {"娘家", "姐姐家", "朋友家", "出租屋", "单位宿舍", "亲戚家"};
constexpr std::array<const char*, 5> kAsks = {"希望妇联帮助", "咨询法律途径", "请求调解", "要求尽快处理", "想了解如何维权"};

// A story: category, summary fragments (one is picked) and narrative fragments (all joined, with
// the blanks filled from the lists above). Written for this project; no real people.
struct Story {
  const char* category;
  int weight;
  std::vector<const char*> summaries;
  std::vector<const char*> narrative;
};

const std::vector<Story>& stories() {
  static const std::vector<Story> s = {
      {"marriage_family.domestic_violence", 9,
       {"丈夫长期家暴，求助申请保护令", "遭受家暴后离家暂住", "丈夫酒后殴打，来电求助", "家暴致伤，要求验伤和报警",
        "长期受丈夫殴打和威胁"},
       {"来电人称结婚{Y}，丈夫酒后经常殴打她，", "上周用皮带抽打致手臂淤青，曾报警一次。",
        "目前暂住在{P}，担心孩子安全，{A}，想了解人身安全保护令如何申请。"}},
      {"marriage_family.domestic_violence", 4,
       {"前夫离婚后仍上门骚扰殴打", "同居男友施暴并限制人身自由", "婆家多人殴打儿媳"},
       {"当事人称与对方共同生活{Y}，对方多次威胁要杀死她，", "限制她与外界联系并没收手机，身上多处伤痕。",
        "已到医院验伤，{A}，希望联系庇护和法律援助。"}},
      {"marriage_family.divorce", 7,
       {"咨询离婚及财产分割", "对方不同意离婚，咨询诉讼程序", "因家暴要求离婚", "分居多年要求离婚"},
       {"来电人与丈夫结婚{Y}，已分居两年，对方不同意离婚，", "询问诉讼离婚的程序、共同财产和房产如何分割，",
        "{A}。"}},
      {"marriage_family.custody_visitation", 4,
       {"离婚后对方拒绝探望孩子", "争夺子女抚养权", "前夫不支付抚养费"},
       {"来访人离婚{Y}，约定每月探望两次，前夫近半年拒绝其探望女儿，", "抚养费也未按时支付，{A}。"}},
      {"marriage_family.elder_support", 3,
       {"子女不履行赡养义务", "老人患病无人照料", "儿子儿媳虐待老人"},
       {"七十二岁老人来电，三个子女互相推诿，不支付生活费，", "老人患病住在{P}无人照料，{A}。"}},
      {"marriage_family.bride_price", 2,
       {"婚约解除后彩礼返还纠纷", "男方要求退还彩礼", "高额彩礼引发家庭矛盾"},
       {"双方订婚后男方要求退还全部彩礼十八万元，", "女方家庭认为彩礼已用于筹备婚礼，{A}。"}},
      {"marriage_family.marital_property", 3,
       {"丈夫擅自转移夫妻共同财产", "婚前房产加名纠纷"},
       {"当事人称结婚{Y}，丈夫近期将存款转入其母亲账户，", "并准备出售共同居住的房屋，{A}。"}},
      {"marriage_family.bigamy_affairs", 2,
       {"丈夫婚外情并与他人同居", "怀疑丈夫重婚"},
       {"来电人发现丈夫与他人以夫妻名义同居{Y}，", "对方经常夜不归宿并拒绝给付家用，{A}。"}},
      {"labour.pregnancy_dismissal", 3,
       {"怀孕后被公司辞退", "哺乳期被降薪调岗"},
       {"来电人在某电子厂工作{Y}，告知怀孕后被以岗位调整为由辞退，", "未获任何补偿，{A}。"}},
      {"labour.hiring_discrimination", 1,
       {"招聘中遭遇性别歧视", "面试被问婚育情况后未录用"},
       {"当事人应聘某公司岗位，面试时被反复询问婚育计划，", "随后被告知只招男性，{A}。"}},
      {"labour.wages_insurance", 2,
       {"被拖欠工资和社保", "家政工被拖欠工资"},
       {"来电人在{P}附近的餐馆务工{Y}，老板拖欠工资四个月，未缴纳社保，", "{A}。"}},
      {"property_rights.land_contract", 2,
       {"出嫁女土地承包权益受侵害", "离婚妇女承包地被收回"},
       {"来访人婚后户口仍在本村，村里重新分配承包地时未给她分地，", "集体收益也被取消，{A}。"}},
      {"property_rights.inheritance", 2,
       {"父母遗产继承纠纷", "兄弟不让姐妹继承房产"},
       {"当事人父亲去世后，兄弟以出嫁女无权继承为由独占房产，", "{A}。"}},
      {"personal_rights.sexual_harassment", 2,
       {"遭受上司性骚扰", "网络上被人骚扰威胁"},
       {"来电人称部门主管多次发送骚扰信息并有肢体接触，", "担心投诉后被报复，咨询如何保存证据，{A}。"}},
      {"personal_rights.bodily_injury", 1,
       {"邻里纠纷中被人打伤", "被前男友打伤"},
       {"当事人在{P}附近与人发生争执被打伤，已住院治疗，", "{A}。"}},
      {"children.left_behind", 2,
       {"留守儿童监护缺失", "留守女童辍学在家"},
       {"村妇联执委排查发现一名九岁留守女童，父母在外务工，", "祖母卧病，孩子经常独自在家且辍学，{A}。"}},
      {"children.abuse", 1,
       {"继母虐待儿童", "孩子在家中遭受打骂"},
       {"邻居反映一名七岁男孩身上常有伤痕，", "经了解系继母经常打骂所致，{A}。"}},
      {"other.general", 2,
       {"咨询妇联维权服务", "来电咨询心理疏导"},
       {"来电人情绪低落，称家庭矛盾压力很大，", "想了解妇联能提供哪些帮助，{A}。"}},
  };
  return s;
}

struct Options {
  std::string db;
  std::int64_t cases = 10'000;
};

class Generator {
 public:
  explicit Generator(db::Connection& c) : conn(c) {}

  db::Connection& conn;
  std::mt19937_64 rng{20261123};
  TimeMs now = 0;
  struct Place {
    std::int64_t office_id;
    std::string path, region_code;
    std::vector<std::int64_t> staff;
  };
  std::vector<Place> places;  // index 9 * c is city c; 9 * c + 1 … + 8 its counties
  std::vector<std::int64_t> partners;
  std::vector<int> story_weights;
  std::map<std::pair<std::int64_t, int>, std::int64_t> counters;  // (office, year) → last serial
  std::int64_t n_events = 0, n_contacts = 0, n_persons = 0, n_referrals = 0, n_open = 0;

  double uniform() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }
  std::int64_t pick(std::int64_t n) { return std::uniform_int_distribution<std::int64_t>(0, n - 1)(rng); }
  template <class A>
  const char* any(const A& a) {
    return a[static_cast<std::size_t>(pick(static_cast<std::int64_t>(a.size())))];
  }
  const char* channel() {
    int r = static_cast<int>(pick(100));
    for (std::size_t i = 0; i < kChannels.size(); ++i) {
      if (r < kChannelWeights[i]) return kChannels[i];
      r -= kChannelWeights[i];
    }
    return "hotline";
  }
  std::string fill(const char* fragment) {
    std::string out;
    for (const char* p = fragment; *p;) {
      if (*p == '{' && p[1] && p[2] == '}') {
        out += p[1] == 'Y' ? any(kYears) : p[1] == 'P' ? any(kPlaces) : any(kAsks);
        p += 3;
      } else {
        out += *p++;
      }
    }
    return out;
  }

  std::int64_t add_office(const std::string& name, const std::string& code, std::int64_t parent, const char* level) {
    auto o = OfficeRepository::create(conn, name, code, parent, level, now);
    if (!o) throw std::runtime_error(o.error().message);
    return o->id;
  }
  std::int64_t add_staff(const std::string& username, const char* role, std::int64_t office, const std::string& hash) {
    auto u = UserRepository::create(conn, {username, username, role, office, std::nullopt, hash}, now);
    if (!u) throw std::runtime_error(u.error().message);
    return u->id;
  }

  // The seed-demo tree (湖南省 430000 → 郴州市 431000 → 永兴县 431023, 桂阳县 431021) completed to 14
  // cities of 8 counties each; three staff members per office hold the cases.
  void build_tree(const std::string& province_hash) {
    auto office = [&](const char* code) { return OfficeRepository::by_region_code(conn, code); };
    const auto province = office("430000");
    if (!province) throw std::runtime_error("seed-demo offices missing");
    add_staff("province", "supervisor", province->id, province_hash);
    char code[8];
    for (int c = 1; c <= 14; ++c) {
      std::snprintf(code, sizeof code, "43%02d00", c);
      std::int64_t city_id = 0;
      if (auto existing = office(code)) city_id = existing->id;
      else city_id = add_office(std::string(kCities[static_cast<std::size_t>(c - 1)]) + "妇联", code, province->id, "city");
      for (int k = 0; k <= 8; ++k) {
        std::int64_t id = city_id;
        if (k > 0) {
          // 郴州's first two counties are seed-demo's 永兴县 and 桂阳县.
          if (c == 10 && k == 1) std::snprintf(code, sizeof code, "431023");
          else if (c == 10 && k == 2) std::snprintf(code, sizeof code, "431021");
          else std::snprintf(code, sizeof code, "43%02d%02d", c, k);
          if (auto existing = office(code)) id = existing->id;
          else id = add_office(std::string(kCities[static_cast<std::size_t>(c - 1)]) + "第" + std::to_string(k) + "县妇联",
                               code, city_id, "county");
        }
        const auto o = *OfficeRepository::get(conn, id);
        Place p{id, o.path, o.region_code, {}};
        for (int s = 0; s < 3; ++s) p.staff.push_back(add_staff("staff_" + o.region_code + "_" + std::to_string(s), "operator", id, "x"));
        places.push_back(std::move(p));
      }
    }
    auto st = conn.prepare("SELECT id FROM partners ORDER BY id");
    while (st.step()) partners.push_back(st.int64(0));
    for (const auto& s : stories()) story_weights.push_back(s.weight);
  }

  void run(std::int64_t cases) {
    auto ins_case = conn.prepare(
        "INSERT INTO cases(id, case_no, office_id, office_path, status, category, channel, urgency, risk_level, summary,"
        " narrative, assignee_id, received_at, accepted_at, closed_at, acceptance_due, handling_due, next_due, outcome,"
        " closure_summary, losses_avoided_fen, decline_reason, created_by, created_at, updated_at, version)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'none', ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
        " ?22, ?12, ?23, ?24)");
    auto ins_event = conn.prepare(
        "INSERT INTO case_events(case_id, event, from_status, to_status, actor_id, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    auto ins_contact = conn.prepare(
        "INSERT INTO contacts(office_id, case_id, channel, call_type, received_at, duration_s, category, resolution,"
        " summary, narrative, operator_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open_case', ?8, ?9, ?10, ?5)");
    auto ins_person = conn.prepare(
        "INSERT INTO persons(contact_id, case_id, role, name, gender, age, relationship) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    auto ins_referral = conn.prepare(
        "INSERT INTO referrals(case_id, partner_id, service, status, consent_given, sent_at, response_due, responded_at,"
        " completed_at, created_by) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, ?8, ?9)");
    auto ins_search = conn.prepare("INSERT INTO case_search(rowid, body) VALUES (?1, ?2)");
    const DeadlinePolicy policy;
    const TimeMs span = 3650 * kMsPerDay;
    std::discrete_distribution<std::size_t> story_pick(story_weights.begin(), story_weights.end());
    auto event = [&](std::int64_t id, const char* name, const char* from, const char* to, std::int64_t actor, TimeMs at) {
      ins_event.reset();
      ins_event.bind_all(id, name, from ? std::optional<std::string>(from) : std::nullopt, to, actor, at);
      ins_event.run();
      ++n_events;
    };
    // Received times in increasing order, as a real office's would be; the last ones within hours.
    std::vector<TimeMs> received(static_cast<std::size_t>(cases));
    for (auto& r : received) r = now - kMsPerHour - static_cast<TimeMs>(uniform() * static_cast<double>(span));
    std::sort(received.begin(), received.end());
    char case_no[48];
    for (std::int64_t id = 1; id <= cases; ++id) {
      const TimeMs rec = received[static_cast<std::size_t>(id - 1)];
      const double age = static_cast<double>(now - rec) / kMsPerDay;
      const double p_open = age < 30 ? 0.7 : age < 90 ? 0.35 : age < 365 ? 0.08 : 0.035;
      const bool open = uniform() < p_open;
      const std::size_t pi = static_cast<std::size_t>(uniform() < 0.1 ? pick(14) * 9 : pick(14) * 9 + 1 + pick(8));
      const Place& place = places[pi];
      const Story& story = stories()[story_pick(rng)];
      const std::string summary = fill(story.summaries[static_cast<std::size_t>(pick(static_cast<std::int64_t>(story.summaries.size())))]);
      std::string narrative;
      for (const char* f : story.narrative) narrative += fill(f);
      const char* ch = channel();
      const std::int64_t creator = place.staff[static_cast<std::size_t>(pick(3))];
      std::optional<std::int64_t> assignee;
      if (uniform() < 0.75) assignee = place.staff[static_cast<std::size_t>(pick(3))];
      std::string status = "closed";
      std::optional<TimeMs> accepted, closed, acc_due, hand_due, next_due, losses;
      std::optional<std::string> outcome, closure_summary, decline_reason;
      const bool declined = !open && uniform() < 0.1;
      if (open) {
        const double r = uniform();
        status = r < 0.2 ? "registered" : r < 0.65 ? "in_progress" : r < 0.8 ? "referred" : r < 0.88 ? "mediation" : "pending_closure";
        ++n_open;
      }
      if (status == "registered") {
        next_due = acc_due = policy.acceptance_due(rec);
      } else if (!declined) {
        accepted = std::min(now, rec + pick(5 * kMsPerDay));
        hand_due = policy.handling_due(*accepted);
        if (open) next_due = hand_due;
      }
      if (!open) {
        closed = std::min(now, (accepted ? *accepted : rec) + kMsPerHour + pick(80 * kMsPerDay));
        outcome = declined ? "declined" : "resolved";
        if (declined) decline_reason = "不属于妇联受理范围";
        else closure_summary = "经协调问题已解决，当事人表示满意";
        if (!declined && uniform() < 0.3) losses = pick(5'000'000);
      }
      const int year = local_date(rec).year;
      const std::int64_t serial = ++counters[{place.office_id, year}];
      std::snprintf(case_no, sizeof case_no, "%s-%04d-%06lld", place.region_code.c_str(), year, static_cast<long long>(serial));
      const int version = 1 + (accepted ? 1 : 0) + (declined ? 1 : closed ? 2 : 0);
      ins_case.reset();
      ins_case.bind_all(id, case_no, place.office_id, place.path, status, story.category, ch,
                        uniform() < 0.08 ? "urgent" : "normal", summary, narrative, assignee, rec, accepted, closed, acc_due,
                        hand_due, next_due, outcome, closure_summary, losses, decline_reason, creator,
                        closed ? *closed : accepted ? *accepted : rec, version);
      ins_case.run();

      event(id, "register", nullptr, "registered", creator, rec);
      if (accepted) event(id, "accept", "registered", "in_progress", creator, *accepted);
      if (declined) event(id, "decline", "registered", "closed", creator, *closed);
      else if (closed) {
        event(id, "request_closure", "in_progress", "pending_closure", creator, *closed - kMsPerHour);
        event(id, "approve_closure", "pending_closure", "closed", creator, *closed);
      }

      ins_contact.reset();
      ins_contact.bind_all(place.office_id, id, ch,
                           std::strcmp(ch, "hotline") == 0 ? std::optional<std::string>("help_request") : std::nullopt, rec,
                           120 + pick(1200), story.category, summary, narrative, creator);
      ins_contact.run();
      const std::int64_t contact = conn.last_insert_rowid();
      ++n_contacts;
      const std::string victim = std::string(any(kSurnames)) + any(kGiven);
      const std::string respondent = std::string(any(kSurnames)) + any(kMen);
      ins_person.reset();
      ins_person.bind_all(contact, id, "complainant", victim, "female", 20 + pick(55), "");
      ins_person.run();
      ins_person.reset();
      ins_person.bind_all(contact, id, "respondent", respondent, "male", std::optional<int>(), "丈夫");
      ins_person.run();
      n_persons += 2;

      if (accepted && (status == "referred" || uniform() < 0.2)) {
        const TimeMs sent = *accepted + kMsPerHour;
        const char* rs = status == "referred" ? (uniform() < 0.5 ? "sent" : "in_progress") : "completed";
        const bool answered = std::strcmp(rs, "sent") != 0;
        ins_referral.reset();
        ins_referral.bind_all(id, partners[static_cast<std::size_t>(pick(static_cast<std::int64_t>(partners.size())))],
                              any(kServices), rs, sent, policy.referral_response_due(sent),
                              answered ? std::optional(sent + kMsPerDay) : std::nullopt,
                              std::strcmp(rs, "completed") == 0 ? closed : std::nullopt, creator);
        ins_referral.run();
        ++n_referrals;
      }

      // The search document exactly as refresh_search_document builds it.
      ins_search.reset();
      ins_search.bind_all(id, summary + "\n" + narrative + "\n" + victim + "\n" + respondent);
      ins_search.run();

      if (id % 50000 == 0) {
        conn.exec("COMMIT");
        conn.exec("BEGIN");
        std::fprintf(stderr, "\r  generated %lld cases", static_cast<long long>(id));
      }
    }
    if (cases >= 50000) std::fputc('\n', stderr);
    auto ins_counter = conn.prepare(
        "INSERT INTO case_counters(office_id, year, last_no) VALUES (?1, ?2, ?3)"
        " ON CONFLICT(office_id, year) DO UPDATE SET last_no = max(last_no, excluded.last_no)");
    for (const auto& [key, last] : counters) {
      ins_counter.reset();
      ins_counter.bind_all(key.first, key.second, last);
      ins_counter.run();
    }
  }
};

double since(Steady::time_point t) { return std::chrono::duration<double>(Steady::now() - t).count(); }

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string opt = argv[i];
    if (opt == "--db") o.db = argv[i + 1];
    else if (opt == "--cases") o.cases = std::stoll(argv[i + 1]);
  }
  if (o.db.empty() || o.cases < 1) {
    std::fputs("usage: gen_cases --db PATH --cases N\n", stderr);
    return 2;
  }
  try {
    const auto start = Steady::now();
    for (const char* suffix : {"", "-wal", "-shm", ".keys"}) std::filesystem::remove(o.db + suffix);
    auto keys = crypto::load_or_create_keys(o.db + ".keys");
    if (!keys) throw std::runtime_error(keys.error().message);
    auto conn = db::Connection::open(o.db, {.synchronous_full = false});
    if (auto m = migrate_database(conn); !m) throw std::runtime_error(m.error().message);
    SystemClock clock;
    crypto::PasswordHasher hasher(2);
    auto seeded = seed_demo(conn, clock, 0, [&](std::string_view pw) { return hasher.hash(pw); });
    if (!seeded) throw std::runtime_error(seeded.error().message);
    const std::string province_hash = hasher.hash("hunan-demo-2026");

    conn.exec("PRAGMA synchronous=OFF");
    conn.exec("PRAGMA foreign_keys=OFF");
    conn.exec("PRAGMA cache_size=-262144");
    conn.exec("BEGIN");
    Generator g(conn);
    g.now = clock.now_ms();
    g.build_tree(province_hash);
    std::vector<std::string> index_sql, names;
    {
      auto st = conn.prepare(
          "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN"
          " ('cases','case_events','contacts','persons','referrals')");
      while (st.step()) {
        names.push_back(st.text(0));
        index_sql.push_back(st.text(1));
      }
    }
    for (const auto& n : names) conn.exec("DROP INDEX \"" + n + "\"");
    g.run(o.cases);
    conn.exec("COMMIT");
    const double load_s = since(start);
    const auto t_index = Steady::now();
    for (const auto& sql : index_sql) conn.exec(sql);
    // Merge the search index's segments as a long-running server's automerge would have.
    conn.exec("INSERT INTO case_search(case_search) VALUES ('optimize')");
    const double index_s = since(t_index);
    conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    std::printf("{\"cases\":%lld,\"open\":%lld,\"events\":%lld,\"contacts\":%lld,\"persons\":%lld,\"referrals\":%lld,"
                "\"offices\":%zu,\"load_s\":%.1f,\"index_s\":%.1f}\n",
                static_cast<long long>(o.cases), static_cast<long long>(g.n_open), static_cast<long long>(g.n_events),
                static_cast<long long>(g.n_contacts), static_cast<long long>(g.n_persons),
                static_cast<long long>(g.n_referrals), g.places.size(), load_s, index_s);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "gen_cases: %s\n", e.what());
    return 1;
  }
}
