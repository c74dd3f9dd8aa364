#pragma once
// Canonical forms of the numbers callers give, so that "138 0013 8000" and "+86 13800138000" are
// recognised as the same caller (their keyed hashes must match), and checks of ID and region codes.
#include <optional>
#include <string>
#include <string_view>

#include "core/local_time.hpp"

namespace hl::casework {

// Returns the digits of a Chinese phone number, or nullopt when it is not one:
//   mobile    11 digits 1[3-9]…, optionally after a +86 / 0086 / 86 country prefix;
//   landline  0 + area code + number, 10–12 digits in all (not 00…, which dials abroad);
//   service   3–6 digits not starting with 0 (110, 12338, 95555).
// Spaces, '-', '(', ')', '.' and their full-width forms are ignored, full-width digits accepted
// (Chinese input methods produce them). A local number without area code is refused: it cannot be
// matched to the same number given with one.
std::optional<std::string> normalize_phone(std::string_view raw);

// The one rule for a person's own number (complainant, victim), kept by intake and the ledger
// import alike: a mobile or a landline with area code, as normalize_phone gives it. A service number
// (110, 12338, 12345) is nobody's own number: it cannot be called back, and stored as a person's
// phone it would make every victim transferred from 12345 a repeat caller of every other one.
std::optional<std::string> normalize_person_phone(std::string_view raw);
// Why a typed number fails normalize_person_phone (the words both intake and the import answer with).
inline constexpr std::string_view kPersonPhoneProblem = "not a phone number (mobile, or landline with area code)";

// The ID number without spaces, with a lower-case check character 'x' made 'X'.
std::string normalize_id_number(std::string_view raw);

// True for an 18-character resident ID (GB 11643: 17 digits and a MOD 11-2 check character 0-9/X/x,
// a region code not starting with 0, a real birth date from 1900 on) or a legacy 15-digit one
// (birth date 19YYMMDD). Expects the normalised form: no spaces.
bool valid_id_number(std::string_view id);

// The birth date encoded in a valid ID number, nullopt for an invalid one. The validator uses it to
// refuse a birth date in the future, which valid_id_number cannot know without a clock.
std::optional<LocalDate> id_birth_date(std::string_view id);

// The one rule for a typed ID number (intake and the ledger import): nullopt when it is valid, else
// why not — "not a valid resident ID number: " and which check failed (length, characters, region
// code, birth date, check character), or "its birth date is in the future" (after `today`).
std::optional<std::string> id_number_problem(std::string_view raw, LocalDate today);

// "13800138000" → "138****8000": the first 3 and last 4 digits of numbers of 8 digits or more; of
// shorter ones only the last 2 (5–7 digits) or nothing (fewer), since 3 + 4 would show them whole.
std::string mask_phone(std::string_view normalized);

// A GB/T 2260 administrative division code: six digits, not starting with 0 (the shape only: an ID
// number keeps the code of the county where it was issued, even after the county was abolished).
bool valid_region_code(std::string_view code);

// The one rule for a person's region_code (intake): a place of the division list embedded at build
// time (casework/division_codes.hpp) — six digits for a province or city (padded: "430000",
// "431000") or a county ("431021"), nine for a township ("431021105"). Codes stored before this
// rule stay as they are; only new input is checked.
bool valid_person_region_code(std::string_view code);
// Why a typed region_code fails valid_person_region_code (the words the desk translates).
inline constexpr std::string_view kPersonRegionProblem =
    "not a known administrative division (six digits for a county, nine for a township)";

}  // namespace hl::casework
