#include "core/db/bigram_tokenizer.hpp"

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/db/db_error.hpp"

namespace hl::db {
namespace {

// One decoded code point and where it sits in the input. `invalid` marks a byte that does not start
// a well-formed UTF-8 sequence; it is consumed alone and treated as a separator, so malformed input
// can neither stop tokenization nor make us read past nText.
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;
  bool invalid = false;
};

// Strict decoding (RFC 3629): rejects overlong forms, surrogates, values above U+10FFFF and
// truncated sequences, so that two byte strings tokenize alike only when they are the same text.
CodePoint decode(const unsigned char* p, std::size_t avail) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) return {b0, 1, false};
  std::size_t len = 0;
  char32_t min = 0;
  char32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    min = 0x80;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    min = 0x800;
    cp = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    min = 0x10000;
    cp = b0 & 0x07u;
  } else {
    return {0, 1, true};
  }
  if (len > avail) return {0, 1, true};
  for (std::size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0u) != 0x80u) return {0, 1, true};
    cp = (cp << 6) | (p[i] & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 1, true};
  return {cp, len, false};
}

bool is_ascii_alnum(char32_t c) {
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

// Whitespace, including the ideographic space U+3000 that Chinese input methods type.
bool is_space(char32_t c) {
  return c == U' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

// True for code points that break a run: whitespace, controls and punctuation/symbol blocks (ASCII,
// Latin-1, General and Supplemental Punctuation, CJK punctuation, full-width and small forms).
// Without ICU this is a block-level approximation; everything else (letters, digits, ideographs,
// emoji) belongs to runs, which is what a substring search over names and notes needs.
bool is_separator(char32_t c) {
  if (c < 0x80) return !is_ascii_alnum(c);
  if (is_space(c)) return true;
  if (c <= 0x9F) return true;  // C1 controls
  if (c <= 0xBF) return c != 0xAA && c != 0xB5 && c != 0xBA;  // Latin-1 punctuation, not ª µ º
  if (c == 0xD7 || c == 0xF7) return true;                     // × ÷
  if (c >= 0x2000 && c <= 0x206F) return true;                 // General Punctuation
  if (c >= 0x2E00 && c <= 0x2E7F) return true;                 // Supplemental Punctuation
  if (c >= 0x3000 && c <= 0x303F) return c != 0x3005 && c != 0x3006 && c != 0x3007;  // not 々〆〇
  if (c >= 0xFE10 && c <= 0xFE1F) return true;                 // vertical forms
  if (c >= 0xFE30 && c <= 0xFE6F) return true;                 // CJK compatibility + small forms
  if (c >= 0xFF01 && c <= 0xFF0F) return true;                 // ！＂＃…／ (full-width)
  if (c >= 0xFF1A && c <= 0xFF20) return true;                 // ：；＜＝＞？＠
  if (c >= 0xFF3B && c <= 0xFF40) return true;                 // ［＼］＾＿｀
  if (c >= 0xFF5B && c <= 0xFF65) return true;                 // ｛｜｝～ and half-width CJK punctuation
  return false;
}

// Case-folds ASCII and maps full-width ASCII letters and digits (common in text typed with a
// Chinese input method, e.g. phone numbers "１３８…") to their ASCII lower-case form, so either
// spelling finds the other.
char32_t fold(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 0x20;
  if (c >= 0xFF10 && c <= 0xFF19) return U'0' + (c - 0xFF10);
  if (c >= 0xFF21 && c <= 0xFF3A) return U'a' + (c - 0xFF21);
  if (c >= 0xFF41 && c <= 0xFF5A) return U'a' + (c - 0xFF41);
  return c;
}

std::size_t encode(char32_t c, char* out) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

// A code point of a run: its folded value and its byte range in the input.
struct RunChar {
  char32_t value;
  int start;
  int end;
};

using TokenCallback = int (*)(void*, int, const char*, int, int, int);

int emit(void* ctx, TokenCallback x_token, const RunChar& a, const RunChar* b) {
  char buf[8];
  std::size_t n = encode(a.value, buf);
  if (b) n += encode(b->value, buf + n);
  return x_token(ctx, 0, buf, static_cast<int>(n), a.start, b ? b->end : a.end);
}

// The tokenizer keeps no state, so every instance is this one object.
struct Stateless {};
Stateless g_instance;

int bigram_create(void*, const char**, int n_arg, Fts5Tokenizer** out) {
  // The tokenizer takes no options; refusing them makes a typo in a table definition visible.
  if (n_arg != 0) return SQLITE_ERROR;
  *out = reinterpret_cast<Fts5Tokenizer*>(&g_instance);
  return SQLITE_OK;
}

void bigram_delete(Fts5Tokenizer*) {}

// Emits the bigrams of each run. A run is held only as "previous code point" plus "did the run
// have more than one", so memory stays constant whatever the text length.
int bigram_tokenize(Fts5Tokenizer*, void* ctx, int /*flags*/, const char* text, int n_text,
                    TokenCallback x_token) {
  if (!text || n_text <= 0) return SQLITE_OK;
  const auto* bytes = reinterpret_cast<const unsigned char*>(text);
  const auto total = static_cast<std::size_t>(n_text);
  std::size_t pos = 0;
  bool in_run = false;
  bool run_emitted = false;  // at least one bigram came from the current run
  RunChar prev{0, 0, 0};

  auto close_run = [&]() -> int {
    int rc = SQLITE_OK;
    if (in_run && !run_emitted) rc = emit(ctx, x_token, prev, nullptr);
    in_run = false;
    run_emitted = false;
    return rc;
  };

  while (pos < total) {
    const CodePoint cp = decode(bytes + pos, total - pos);
    const RunChar cur{cp.invalid ? 0 : fold(cp.value), static_cast<int>(pos),
                      static_cast<int>(pos + cp.length)};
    pos += cp.length;
    if (cp.invalid || is_separator(cp.value)) {
      if (const int rc = close_run(); rc != SQLITE_OK) return rc;
      continue;
    }
    if (in_run) {
      if (const int rc = emit(ctx, x_token, prev, &cur); rc != SQLITE_OK) return rc;
      run_emitted = true;
    }
    in_run = true;
    prev = cur;
  }
  return close_run();
}

fts5_api* fts5_api_from(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK || api == nullptr)
    throw DbError(rc == SQLITE_OK ? SQLITE_ERROR : rc,
                  std::string("FTS5 is not available in this SQLite build: ") + sqlite3_errmsg(db));
  return api;
}

}  // namespace

void register_bigram_tokenizer(sqlite3* db) {
  fts5_api* api = fts5_api_from(db);
  if (api->iVersion < 2) throw DbError(SQLITE_ERROR, "FTS5 API version too old for the bigram tokenizer");
  fts5_tokenizer tokenizer{bigram_create, bigram_delete, bigram_tokenize};
  const int rc = api->xCreateTokenizer(api, "bigram", nullptr, &tokenizer, nullptr);
  if (rc != SQLITE_OK) throw DbError(rc, "cannot register the bigram tokenizer");
}

std::string fts_query_from_user_text(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::string query;
  std::string term;
  std::size_t term_chars = 0;  // code points of the term that the tokenizer indexes

  auto flush = [&] {
    // A term of fewer than two indexed characters cannot use the bigram index; skipping it also
    // avoids handing FTS5 an empty phrase such as "!!".
    if (term_chars >= 2) {
      if (!query.empty()) query += " AND ";
      query += '"';
      query += term;  // quotes already doubled: the term stays one FTS5 string, never syntax
      query += '"';
    }
    term.clear();
    term_chars = 0;
  };

  std::size_t pos = 0;
  while (pos < text.size()) {
    const CodePoint cp = decode(bytes + pos, text.size() - pos);
    const std::string_view raw = text.substr(pos, cp.length);
    pos += cp.length;
    // Invalid bytes and controls split terms like whitespace, so the expression handed to FTS5 is
    // always valid UTF-8 without NULs.
    if (cp.invalid || is_space(cp.value) || cp.value < 0x20 || cp.value == 0x7F ||
        (cp.value >= 0x80 && cp.value <= 0x9F)) {
      flush();
      continue;
    }
    if (cp.value == U'"') {
      term += "\"\"";
      continue;
    }
    term += raw;
    if (!is_separator(cp.value)) ++term_chars;
  }
  flush();
  return query;
}

}  // namespace hl::db
