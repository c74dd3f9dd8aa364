#pragma once
// Importing the partner directory from CSV (a federation usually has it in a spreadsheet). The
// header row names the columns, in Chinese or English: 名称/name, 类型/type, 辖区/region_codes,
// 服务/services, 电话/phone, 联系人/contact_person, 办公时间/working_hours, 启用/active. Types and
// services accept the API's codes or their Chinese names (法院, 公安, 出警处置, …); lists are
// separated by ';', '；', '、' or spaces. Every row is validated like POST /partners; bad rows are
// reported with their line and reason, the others are created. Runs as one writer command.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/db/connection.hpp"
#include "core/error.hpp"

namespace hl::casework {

struct PartnerImportReport {
  int rows = 0;
  int imported = 0;  // created
  int updated = 0;   // an existing partner of the same name and type, updated
  std::vector<std::pair<int, std::string>> rejected;  // line, reason
};

// invalid_input when the file cannot be read at all (no header, no name/type column, bad quoting).
Result<PartnerImportReport> import_partners(db::Connection& conn, std::string_view csv, TimeMs now);

}  // namespace hl::casework
