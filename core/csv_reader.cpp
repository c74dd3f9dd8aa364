#include "core/csv_reader.hpp"

#include "core/text_rules.hpp"

namespace hl {

Result<std::vector<CsvRecord>> read_csv(std::string_view text) {
  std::vector<CsvRecord> records;
  std::size_t i = 0;
  int line = 1;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      if (i < n && text[i] == '"') {
        const int opened_at = line;
        ++i;
        while (true) {
          if (i >= n)
            return fail(Errc::invalid_input, "the CSV has a quote opened on line " + std::to_string(opened_at) +
                                                 " that is never closed",
                        {{"file", "unterminated quoted field at line " + std::to_string(opened_at)}});
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++i;
        }
      }
      // Unquoted text, or anything between a closing quote and the delimiter (kept, as Excel does).
      while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n') field += text[i++];
      rec.fields.push_back(std::move(field));
      if (i >= n) {
        end_of_record = true;
      } else if (text[i] == ',') {
        ++i;
      } else {
        if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
        ++line;
        end_of_record = true;
      }
    }
    const bool blank = rec.fields.size() == 1 && is_blank(rec.fields[0]);
    if (!blank) records.push_back(std::move(rec));
  }
  return records;
}

}  // namespace hl
