#include "core/xlsx_reader.hpp"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>

namespace hl {
namespace {

Error bad_file(const std::string& why) { return Error{Errc::invalid_input, "the .xlsx file cannot be read: " + why, {{"file", why}}}; }

std::uint32_t le16(std::string_view b, std::size_t at) {
  return static_cast<std::uint8_t>(b[at]) | (static_cast<std::uint32_t>(static_cast<std::uint8_t>(b[at + 1])) << 8);
}
std::uint32_t le32(std::string_view b, std::size_t at) { return le16(b, at) | (le16(b, at + 2) << 16); }

struct ZipEntry {
  std::uint32_t method = 0, compressed = 0, size = 0, local_offset = 0;
};

// The central directory: entry name → where and how it is stored.
Result<std::map<std::string, ZipEntry>> zip_directory(std::string_view zip) {
  constexpr std::size_t kEocd = 22;
  if (zip.size() < kEocd) return std::unexpected(bad_file("not a zip file"));
  std::size_t eocd = std::string_view::npos;
  const std::size_t lowest = zip.size() > kEocd + 0xFFFF ? zip.size() - kEocd - 0xFFFF : 0;
  for (std::size_t at = zip.size() - kEocd + 1; at-- > lowest;)
    if (le32(zip, at) == 0x06054b50) {
      eocd = at;
      break;
    }
  if (eocd == std::string_view::npos) return std::unexpected(bad_file("no zip directory"));
  const std::uint32_t entries = le16(zip, eocd + 10), cd_size = le32(zip, eocd + 12), cd_offset = le32(zip, eocd + 16);
  if (cd_offset == 0xFFFFFFFF || static_cast<std::uint64_t>(cd_offset) + cd_size > eocd)
    return std::unexpected(bad_file("zip directory out of range (ZIP64 is not supported)"));
  std::map<std::string, ZipEntry> out;
  std::size_t at = cd_offset;
  for (std::uint32_t i = 0; i < entries; ++i) {
    if (at + 46 > eocd || le32(zip, at) != 0x02014b50) return std::unexpected(bad_file("damaged zip directory"));
    ZipEntry e{le16(zip, at + 10), le32(zip, at + 20), le32(zip, at + 24), le32(zip, at + 42)};
    const std::size_t name_len = le16(zip, at + 28), extra = le16(zip, at + 30), comment = le16(zip, at + 32);
    if (at + 46 + name_len > eocd) return std::unexpected(bad_file("damaged zip directory"));
    out[std::string(zip.substr(at + 46, name_len))] = e;
    at += 46 + name_len + extra + comment;
  }
  return out;
}

Result<std::string> zip_read(std::string_view zip, const ZipEntry& e) {
  const std::size_t lh = e.local_offset;
  if (lh + 30 > zip.size() || le32(zip, lh) != 0x04034b50) return std::unexpected(bad_file("damaged zip entry"));
  const std::size_t data = lh + 30 + le16(zip, lh + 26) + le16(zip, lh + 28);
  if (data + e.compressed > zip.size()) return std::unexpected(bad_file("truncated zip entry"));
  if (e.size > kMaxXlsxEntryBytes) return std::unexpected(bad_file("a part is larger than 64 MiB"));
  const std::string_view in = zip.substr(data, e.compressed);
  if (e.method == 0) return std::string(in);
  if (e.method != 8) return std::unexpected(bad_file("unsupported zip compression"));
  std::string out(e.size, '\0');
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return std::unexpected(bad_file("zlib"));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = inflate(&z, Z_FINISH);
  const std::size_t produced = out.size() - z.avail_out;
  inflateEnd(&z);
  // The sizes in the directory bound the output: a stream that wants more is refused, not grown.
  if (rc != Z_STREAM_END || produced != e.size) return std::unexpected(bad_file("damaged compressed data"));
  return out;
}

// ---- a small XML scanner: enough for the SpreadsheetML parts an import reads ----

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x110000) {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::optional<std::uint32_t> hex_value(std::string_view s) {
  if (s.empty() || s.size() > 6) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : s) {
    v <<= 4;
    if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
    else return std::nullopt;
  }
  return v;
}

// XML character references and entities, then OOXML's _xHHHH_ escapes (e.g. _x000D_ for CR).
std::string xml_text(std::string_view raw) {
  std::string s;
  s.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      s += raw[i];
      continue;
    }
    const auto semi = raw.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      s += raw[i];
      continue;
    }
    const std::string_view ent = raw.substr(i + 1, semi - i - 1);
    if (ent == "lt") s += '<';
    else if (ent == "gt") s += '>';
    else if (ent == "amp") s += '&';
    else if (ent == "quot") s += '"';
    else if (ent == "apos") s += '\'';
    else if (ent.starts_with("#x") || ent.starts_with("#X")) {
      if (auto v = hex_value(ent.substr(2))) append_utf8(s, *v);
    } else if (ent.starts_with("#")) {
      std::uint32_t v = 0;
      for (char c : ent.substr(1)) v = v * 10 + static_cast<std::uint32_t>(c >= '0' && c <= '9' ? c - '0' : 0);
      append_utf8(s, v);
    } else {
      s.append(raw.substr(i, semi - i + 1));
    }
    i = semi;
  }
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '_' && i + 6 < s.size() && s[i + 1] == 'x' && s[i + 6] == '_') {
      if (auto v = hex_value(std::string_view(s).substr(i + 2, 4))) {
        append_utf8(out, *v);
        i += 6;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

struct Tag {
  std::string_view name;   // without the leading '/'
  std::string_view attrs;  // the text after the name
  bool closing = false, self_closing = false;
  std::size_t end = 0;  // index just past '>'
};

// The next tag at or after `at` (comments, processing instructions and CDATA are skipped as tags).
std::optional<Tag> next_tag(std::string_view x, std::size_t at) {
  while (true) {
    const auto lt = x.find('<', at);
    if (lt == std::string_view::npos) return std::nullopt;
    const auto gt = x.find('>', lt);
    if (gt == std::string_view::npos) return std::nullopt;
    std::string_view body = x.substr(lt + 1, gt - lt - 1);
    if (body.starts_with("?") || body.starts_with("!")) {
      at = gt + 1;
      continue;
    }
    Tag t;
    t.end = gt + 1;
    if (body.starts_with("/")) {
      t.closing = true;
      body.remove_prefix(1);
    }
    if (body.ends_with("/")) {
      t.self_closing = true;
      body.remove_suffix(1);
    }
    const auto sp = body.find_first_of(" \t\r\n");
    t.name = body.substr(0, sp);
    if (sp != std::string_view::npos) t.attrs = body.substr(sp);
    // Namespace prefixes are ignored: <x:c> is <c>.
    if (auto colon = t.name.find(':'); colon != std::string_view::npos) t.name = t.name.substr(colon + 1);
    return t;
  }
}

// The value of attribute `name` (or of any prefix:name) in a tag's attribute text.
std::string attribute(std::string_view attrs, std::string_view name) {
  std::size_t at = 0;
  while (at < attrs.size()) {
    const auto eq = attrs.find('=', at);
    if (eq == std::string_view::npos) break;
    std::string_view key = attrs.substr(at, eq - at);
    while (!key.empty() && (key.front() == ' ' || key.front() == '\t' || key.front() == '\r' || key.front() == '\n'))
      key.remove_prefix(1);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    if (eq + 1 >= attrs.size()) break;
    const char quote = attrs[eq + 1];
    const auto close = attrs.find(quote, eq + 2);
    if (close == std::string_view::npos) break;
    const auto colon = key.find(':');
    if (key == name || (colon != std::string_view::npos && key.substr(colon + 1) == name))
      return xml_text(attrs.substr(eq + 2, close - eq - 2));
    at = close + 1;
  }
  return {};
}

// Concatenated <t> texts inside [from, to), leaving out phonetic runs (<rPh>).
std::string texts_between(std::string_view x, std::size_t from, std::size_t to) {
  std::string out;
  int phonetic = 0;
  std::size_t at = from;
  while (auto tag = next_tag(x, at)) {
    if (tag->end > to) break;
    if (tag->name == "rPh" && !tag->self_closing) phonetic += tag->closing ? -1 : 1;
    if (tag->name == "t" && !tag->closing && !tag->self_closing) {
      const auto close = x.find("</", tag->end);
      if (close == std::string_view::npos || close > to) break;
      if (phonetic == 0) out += xml_text(x.substr(tag->end, close - tag->end));
      at = close;
      continue;
    }
    at = tag->end;
  }
  return out;
}

std::vector<std::string> shared_strings(std::string_view x) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (auto tag = next_tag(x, at)) {
    at = tag->end;
    if (tag->name != "si" || tag->closing) continue;
    if (tag->self_closing) {
      out.emplace_back();
      continue;
    }
    const auto close = x.find("</si>", at) != std::string_view::npos ? x.find("</si>", at) : x.find(":si>", at);
    if (close == std::string_view::npos) break;
    out.push_back(texts_between(x, at, close));
    at = close;
  }
  return out;
}

// "BC12" → 54 (zero-based column index); -1 when there are no letters.
int column_index(std::string_view ref) {
  int col = 0, letters = 0;
  for (char c : ref) {
    if (c >= 'A' && c <= 'Z') col = col * 26 + (c - 'A' + 1);
    else if (c >= 'a' && c <= 'z') col = col * 26 + (c - 'a' + 1);
    else break;
    if (++letters > 3) return -1;
  }
  return letters ? col - 1 : -1;
}

// The worksheet the workbook lists first, resolved through the workbook's relationships.
std::string first_sheet_path(const std::map<std::string, ZipEntry>& dir, std::string_view zip) {
  const std::string fallback = "xl/worksheets/sheet1.xml";
  auto wb = dir.find("xl/workbook.xml");
  auto rels = dir.find("xl/_rels/workbook.xml.rels");
  if (wb == dir.end() || rels == dir.end()) return fallback;
  auto workbook = zip_read(zip, wb->second);
  auto relations = zip_read(zip, rels->second);
  if (!workbook || !relations) return fallback;
  std::string rid;
  std::size_t at = 0;
  while (auto tag = next_tag(*workbook, at)) {
    at = tag->end;
    if (tag->name == "sheet" && !tag->closing) {
      rid = attribute(tag->attrs, "id");
      break;
    }
  }
  if (rid.empty()) return fallback;
  at = 0;
  while (auto tag = next_tag(*relations, at)) {
    at = tag->end;
    if (tag->name != "Relationship" || attribute(tag->attrs, "Id") != rid) continue;
    std::string target = attribute(tag->attrs, "Target");
    if (target.starts_with("/")) return target.substr(1);
    return "xl/" + target;
  }
  return fallback;
}

}  // namespace

bool looks_like_xlsx(std::string_view bytes) { return bytes.starts_with(std::string_view("PK\x03\x04", 4)); }

Result<std::vector<CsvRecord>> read_xlsx_first_sheet(std::string_view bytes) {
  auto dir = zip_directory(bytes);
  if (!dir) return std::unexpected(dir.error());
  std::vector<std::string> strings;
  if (auto ss = dir->find("xl/sharedStrings.xml"); ss != dir->end()) {
    auto xml = zip_read(bytes, ss->second);
    if (!xml) return std::unexpected(xml.error());
    strings = shared_strings(*xml);
  }
  auto sheet_entry = dir->find(first_sheet_path(*dir, bytes));
  if (sheet_entry == dir->end()) return std::unexpected(bad_file("no worksheet"));
  auto sheet = zip_read(bytes, sheet_entry->second);
  if (!sheet) return std::unexpected(sheet.error());
  const std::string_view x = *sheet;

  std::vector<CsvRecord> rows;
  std::size_t cells = 0;
  std::size_t at = 0;
  CsvRecord* row = nullptr;
  while (auto tag = next_tag(x, at)) {
    at = tag->end;
    if (tag->name == "row" && !tag->closing) {
      const std::string r = attribute(tag->attrs, "r");
      int line = static_cast<int>(rows.empty() ? 1 : rows.back().line + 1);
      if (!r.empty()) {
        int n = 0;
        for (char c : r) n = c >= '0' && c <= '9' && n < 10'000'000 ? n * 10 + (c - '0') : n;
        if (n > 0) line = n;
      }
      rows.push_back({line, {}});
      row = &rows.back();
      if (tag->self_closing) row = nullptr;
      continue;
    }
    if (tag->name == "row" && tag->closing) {
      row = nullptr;
      continue;
    }
    if (tag->name != "c" || tag->closing || row == nullptr) continue;
    if (++cells > kMaxXlsxCells) return std::unexpected(bad_file("more than 2,000,000 cells"));
    int col = column_index(attribute(tag->attrs, "r"));
    if (col < 0) col = static_cast<int>(row->fields.size());
    if (static_cast<std::size_t>(col) >= row->fields.size()) row->fields.resize(static_cast<std::size_t>(col) + 1);
    if (tag->self_closing) continue;
    const std::string type = attribute(tag->attrs, "t");
    const auto close = x.find("</c>", at) != std::string_view::npos ? x.find("</c>", at) : x.find(":c>", at);
    if (close == std::string_view::npos) return std::unexpected(bad_file("damaged worksheet XML"));
    std::string value;
    if (type == "inlineStr") {
      value = texts_between(x, at, close);
    } else {
      // <v>…</v>: a shared-string index, a number, a boolean, an error or a formula's cached value.
      std::size_t p = at;
      while (auto v = next_tag(x, p)) {
        if (v->end > close) break;
        p = v->end;
        if (v->name == "v" && !v->closing && !v->self_closing) {
          const auto vclose = x.find("</", v->end);
          if (vclose != std::string_view::npos && vclose <= close) value = xml_text(x.substr(v->end, vclose - v->end));
          break;
        }
      }
      if (type == "s") {
        std::size_t i = 0;
        bool ok = !value.empty() && value.size() < 10;
        for (char c : value) {
          if (c < '0' || c > '9') {
            ok = false;
            break;
          }
          i = i * 10 + static_cast<std::size_t>(c - '0');
        }
        if (!ok || i >= strings.size()) return std::unexpected(bad_file("a cell refers to a missing shared string"));
        value = strings[i];
      } else if (type == "b") {
        value = value == "1" ? "TRUE" : "FALSE";
      }
    }
    row->fields[static_cast<std::size_t>(col)] = std::move(value);
    at = close;
  }
  // Rows with nothing in them (formatting only) are not records.
  std::erase_if(rows, [](const CsvRecord& r) {
    for (const auto& f : r.fields)
      if (f.find_first_not_of(" \t\r\n") != std::string::npos) return false;
    return true;
  });
  return rows;
}

}  // namespace hl
