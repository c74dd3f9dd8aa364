#pragma once
// The values of a legacy ledger's cells as offices typed them: dates in every local spelling (and
// Excel date serials), amounts in yuan with separators, header names in either bracket width.
// Pure functions, for the importer (ledger_import.cpp) and its tests.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace hl::casework {

std::string replace_all(std::string s, std::string_view from, std::string_view to);
std::string lower_ascii(std::string s);
// A header as compared: trimmed, ASCII lower case, parentheses full-width ("（元）").
std::string normalise_header(std::string_view raw);
// True for a non-empty run of ASCII digits.
bool all_digits(std::string_view s);
// The value of at most 9 ASCII digits (the caller checked them with all_digits).
int to_int(std::string_view s);
// An Excel date serial (1990–2100), Beijing wall time; nullopt for anything else.
std::optional<TimeMs> parse_excel_serial(const std::string& raw);
// 2026-10-08 · 2026/10/8 · 2026.10.8 · 2026年10月8日, optionally " HH:MM[:SS]", Beijing time; or an
// Excel date serial.
std::optional<TimeMs> parse_ledger_time(const std::string& raw);
// The channel code of a 来源 cell (来电, 热线, 12338, 网上信访, … or the code), nullopt when unknown.
std::optional<std::string_view> ledger_channel(std::string_view text);
// The status code of a 状态 cell (登记, 办理中, 已办结, … or the code), nullopt when unknown.
std::optional<std::string_view> ledger_status(std::string_view text);
// The consultation kind of a 咨询类别 cell (法律 / 婚姻家庭 / 心理 / 其他, with or without 咨询, or the
// code), nullopt when unknown.
std::optional<std::string_view> ledger_consultation_kind(std::string_view text);
// "1,200.50" / "1200.5" / "300" / "300元" → fen; nullopt when it is not an amount.
std::optional<std::int64_t> parse_yuan(std::string s);

}  // namespace hl::casework
