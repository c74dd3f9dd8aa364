#include "casework/database_keys.hpp"

#include <filesystem>

namespace hl::casework {
namespace {

constexpr std::string_view kHoldsProtectedData =
    "SELECT EXISTS (SELECT 1 FROM persons WHERE phone_enc IS NOT NULL OR id_number_enc IS NOT NULL"
    " OR safe_times_enc IS NOT NULL OR safe_note_enc IS NOT NULL)"
    " OR EXISTS (SELECT 1 FROM dv_safety_plans) OR EXISTS (SELECT 1 FROM audit_log)";

}  // namespace

Result<crypto::Keys> open_database_keys(db::Connection& conn, const std::string& keys_path) {
  if (!std::filesystem::exists(keys_path)) {
    auto st = conn.prepare(kHoldsProtectedData);
    st.step();
    if (st.int64(0) != 0)
      return fail(Errc::forbidden, "the key file " + keys_path +
                                       " is missing, but the database already holds encrypted data and an audit chain."
                                       " Restore the key file from its backup (see README); refusing to create new keys.");
  }
  return crypto::load_or_create_keys(keys_path);
}

}  // namespace hl::casework
