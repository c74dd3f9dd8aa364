#include "casework/person_identity.hpp"

#include "casework/person_numbers.hpp"

namespace hl::casework {

std::string PersonIdentity::phone_fingerprint(std::string_view digits) const {
  return hash_.digest(std::string("phone:").append(digits));
}

std::string PersonIdentity::id_number_fingerprint(std::string_view normalized_id) const {
  return hash_.digest(std::string("id:").append(normalized_id));
}

std::optional<std::string> PersonIdentity::fingerprint_typed_phone(std::string_view raw) const {
  auto digits = normalize_phone(raw);
  if (!digits) return std::nullopt;
  return phone_fingerprint(*digits);
}

std::optional<std::string> PersonIdentity::fingerprint_typed_id_number(std::string_view raw) const {
  const auto id = normalize_id_number(raw);
  if (!valid_id_number(id)) return std::nullopt;
  return id_number_fingerprint(id);
}

ProtectedNumber PersonIdentity::protect_phone(std::string_view digits) const {
  return {cipher_.encrypt(digits, kPhoneContext), phone_fingerprint(digits)};
}

ProtectedNumber PersonIdentity::protect_id_number(std::string_view normalized_id) const {
  return {cipher_.encrypt(normalized_id, kIdNumberContext), id_number_fingerprint(normalized_id)};
}

std::optional<ProtectedNumber> PersonIdentity::protect_typed_phone(std::string_view raw) const {
  auto digits = normalize_person_phone(raw);
  if (!digits) return std::nullopt;
  return protect_phone(*digits);
}

std::optional<std::string> PersonIdentity::reveal_phone(std::string_view ciphertext) const {
  return cipher_.decrypt(ciphertext, kPhoneContext);
}

std::optional<std::string> PersonIdentity::reveal_id_number(std::string_view ciphertext) const {
  return cipher_.decrypt(ciphertext, kIdNumberContext);
}

namespace {

std::optional<std::string> seal(const crypto::FieldCipher& cipher, std::string_view text, std::string_view context) {
  if (text.empty()) return std::nullopt;
  return cipher.encrypt(text, context);
}

std::string unseal(const crypto::FieldCipher& cipher, const std::optional<std::string>& blob, std::string_view context) {
  if (!blob) return "";
  return cipher.decrypt(*blob, context).value_or("");
}

}  // namespace

std::optional<std::string> PersonIdentity::protect_safe_times(std::string_view text) const {
  return seal(cipher_, text, kSafeTimesContext);
}

std::optional<std::string> PersonIdentity::protect_safe_note(std::string_view text) const {
  return seal(cipher_, text, kSafeNoteContext);
}

std::string PersonIdentity::reveal_safe_times(const std::optional<std::string>& ciphertext) const {
  return unseal(cipher_, ciphertext, kSafeTimesContext);
}

std::string PersonIdentity::reveal_safe_note(const std::optional<std::string>& ciphertext) const {
  return unseal(cipher_, ciphertext, kSafeNoteContext);
}

}  // namespace hl::casework
