#pragma once
// The one home of how a person's phone and ID numbers are kept. Every writer and reader of
// persons.phone_* / persons.id_number_* — intake, the caller lookup, the DV repeat check, the ledger
// import, the case view — goes through here, so "138 0013 8000" typed at intake and "+86 13800138000"
// in an imported ledger end as the same fingerprint and the same caller is recognised. The safe-contact
// rules that travel with the number (when to call, what to say: persons.safe_times_enc,
// persons.safe_note_enc) are kept here too, encrypted the same way (no fingerprint: nothing matches
// on them).
//
//   normalise    person_numbers.hpp (digits of a phone, upper-case check character of an ID)
//   encrypt      FieldCipher under the column's context: a blob decrypts only as what it is
//   fingerprint  KeyedHash of "phone:<digits>" or "id:<ID>", the repeat-matching key
//
// Shared between threads: safe, immutable after construction; the cipher and the hash it refers
// to are themselves immutable.
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto/field_cipher.hpp"
#include "core/crypto/keyed_hash.hpp"

namespace hl::casework {

// The FieldCipher contexts of the encrypted person columns.
inline constexpr std::string_view kPhoneContext = "persons.phone";
inline constexpr std::string_view kIdNumberContext = "persons.id_number";
inline constexpr std::string_view kSafeTimesContext = "persons.safe_times";
inline constexpr std::string_view kSafeNoteContext = "persons.safe_note";

// A number as stored: persons.*_enc and persons.*_hash.
struct ProtectedNumber {
  std::string ciphertext;
  std::string fingerprint;
};

class PersonIdentity {
 public:
  PersonIdentity(const crypto::FieldCipher& cipher, const crypto::KeyedHash& hash) : cipher_(cipher), hash_(hash) {}

  // Fingerprints of numbers already in normal form (normalize_phone / normalize_id_number).
  std::string phone_fingerprint(std::string_view digits) const;
  std::string id_number_fingerprint(std::string_view normalized_id) const;

  // From what a person typed: nullopt when it is not a phone number / not a valid ID number.
  std::optional<std::string> fingerprint_typed_phone(std::string_view raw) const;
  std::optional<std::string> fingerprint_typed_id_number(std::string_view raw) const;

  // Ciphertext and fingerprint of a normalised number, for a new persons row.
  ProtectedNumber protect_phone(std::string_view digits) const;
  ProtectedNumber protect_id_number(std::string_view normalized_id) const;
  // The same from what was typed (ledger cells); nullopt when it is not a phone number.
  std::optional<ProtectedNumber> protect_typed_phone(std::string_view raw) const;

  // The stored number back; nullopt for a blob of another column, another key or a damaged one.
  std::optional<std::string> reveal_phone(std::string_view ciphertext) const;
  std::optional<std::string> reveal_id_number(std::string_view ciphertext) const;

  // Safe-contact text as stored: nullopt (NULL) for empty text, else its ciphertext.
  std::optional<std::string> protect_safe_times(std::string_view text) const;
  std::optional<std::string> protect_safe_note(std::string_view text) const;
  // The text back; "" for NULL, and for a blob of another column, another key or a damaged one.
  std::string reveal_safe_times(const std::optional<std::string>& ciphertext) const;
  std::string reveal_safe_note(const std::optional<std::string>& ciphertext) const;

 private:
  const crypto::FieldCipher& cipher_;
  const crypto::KeyedHash& hash_;
};

}  // namespace hl::casework
