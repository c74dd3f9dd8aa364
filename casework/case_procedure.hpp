#pragma once
// The steps of the 信访 procedure recorded beside a case (schema/013_handling_procedure.sql): the
// notices to the person (告知), the reply (答复), the one extension (延期) and the 转送 / 交办 that sent
// the case on or brought it here. CaseService writes them inside the event's savepoint; reads run on
// any connection. Stateless: every function takes the connection it uses.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "casework/actor.hpp"
#include "casework/case_record.hpp"
#include "casework/event_data.hpp"
#include "casework/workflow.hpp"
#include "core/clock.hpp"
#include "core/db/connection.hpp"

namespace hl::casework {

struct NoticeRecord {
  std::int64_t id = 0;
  std::string kind;                     // decision | extension
  std::optional<std::string> decision;  // the event it announced
  TimeMs told_at = 0;
  std::string method;
  std::optional<std::string> document_no;
  bool on_the_spot = false;
  std::optional<TimeMs> due_at;
  bool on_time() const { return !due_at || told_at <= *due_at; }
};

struct ReplyRecord {
  std::int64_t id = 0;
  TimeMs replied_at = 0;
  std::string method, opinion, basis;
  std::optional<std::string> document_no;
  std::optional<TimeMs> handling_due;        // the limit in force when it was made
  std::optional<std::int64_t> from_case_id;  // taken over from a 交办 report
  std::optional<std::int64_t> recorded_by;
  TimeMs recorded_at = 0;
  bool on_time() const { return !handling_due || replied_at <= *handling_due; }
};

struct ExtensionRecord {
  int days = 0;
  std::string reason;
  std::optional<std::int64_t> approved_by;
  TimeMs granted_at = 0;
  std::optional<TimeMs> previous_due;
  TimeMs new_due = 0;
};

struct TransferRecord {
  std::int64_t id = 0;
  std::int64_t from_case_id = 0, to_case_id = 0;
  std::string mode;  // forward | delegate
  std::int64_t from_office_id = 0, to_office_id = 0;
  TimeMs sent_at = 0, first_received_at = 0;
  std::optional<TimeMs> report_due;
  std::optional<std::string> report_state;  // awaited | reported | accepted (delegate only)
  std::optional<TimeMs> reported_at;
  int returns = 0;
  std::optional<std::string> last_return_reason;
  std::optional<TimeMs> settled_at;
};

struct CaseProcedure {
  std::vector<NoticeRecord> notices;       // oldest first
  std::optional<ReplyRecord> reply;        // the reply in force
  std::optional<ExtensionRecord> extension;
  std::optional<TransferRecord> sent;      // this case forwarded or delegated (the newest)
  std::optional<TransferRecord> received;  // this case came by 转送 / 交办
};

class ProcedureRepository {
 public:
  static CaseProcedure load(db::Connection& conn, std::int64_t case_id);

  // A notice from the event's notice_* fields; told_at defaults to `now` when told on the spot.
  static void add_notice(db::Connection& conn, std::int64_t case_id, std::string_view kind, std::string_view decision,
                         const EventData& data, std::optional<TimeMs> due_at, const Actor& actor, TimeMs now);
  // The reply from a reply event's data; earlier replies of the case stop being in force.
  static void add_reply(db::Connection& conn, std::int64_t case_id, const EventData& data,
                        std::optional<TimeMs> handling_due, const Actor& actor, TimeMs now);
  // The sender takes over the receiver's reply as its own when it accepts a 交办 report.
  static void copy_reply(db::Connection& conn, const ReplyRecord& from, std::int64_t from_case_id,
                         std::int64_t to_case_id, const Actor& actor, TimeMs now);
  static void supersede_replies(db::Connection& conn, std::int64_t case_id);
  static void add_extension(db::Connection& conn, std::int64_t case_id, const ExtensionRecord& e);
  static void add_transfer(db::Connection& conn, const TransferRecord& t);
  static void report_sent(db::Connection& conn, std::int64_t transfer_id, TimeMs now);
  static void report_accepted(db::Connection& conn, std::int64_t transfer_id, TimeMs now);
  static void report_returned(db::Connection& conn, std::int64_t transfer_id, TimeMs new_due, const std::string& reason);
};

// The facts the workflow guards need about `c` beyond its row.
CaseFacts procedure_facts(const CaseRecord& c, const CaseProcedure& p, int max_extension_days, int open_referrals,
                          TimeMs now);

// The earliest deadline still running for `c` (cases.next_due): the notice while registered, the
// report while delegated and none once it arrived, handling until a reply stands, nothing once ended.
std::optional<TimeMs> running_due(const CaseRecord& c, bool has_reply, bool report_in, std::optional<TimeMs> report_due);

}  // namespace hl::casework
