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
  auto digits = normalize_phone(raw);
  if (!digits) return std::nullopt;
  return protect_phone(*digits);
}

std::optional<std::string> PersonIdentity::reveal_phone(std::string_view ciphertext) const {
  return cipher_.decrypt(ciphertext, kPhoneContext);
}

std::optional<std::string> PersonIdentity::reveal_id_number(std::string_view ciphertext) const {
  return cipher_.decrypt(ciphertext, kIdNumberContext);
}

}  // namespace hl::casework
