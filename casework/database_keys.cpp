#include "casework/database_keys.hpp"

#include <filesystem>

namespace hl::casework {
namespace {

constexpr std::string_view kHoldsProtectedData =
    "SELECT EXISTS (SELECT 1 FROM persons WHERE phone_enc IS NOT NULL OR id_number_enc IS NOT NULL"
    " OR safe_times_enc IS NOT NULL OR safe_note_enc IS NOT NULL)"
    " OR EXISTS (SELECT 1 FROM dv_safety_plans) OR EXISTS (SELECT 1 FROM audit_log)";

}  // namespace

Result<crypto::Keys> open_database_keys(db::Connection& conn, const std::string& keys_path,
                                        std::optional<crypto::Suite> requested) {
  if (!std::filesystem::exists(keys_path)) {
    auto st = conn.prepare(kHoldsProtectedData);
    st.step();
    if (st.int64(0) != 0)
      return fail(Errc::forbidden, "the key file " + keys_path +
                                       " is missing, but the database already holds encrypted data and an audit chain."
                                       " Restore the key file from its backup (see README); refusing to create new keys.");
  }
  std::optional<crypto::Suite> recorded;
  {
    auto st = conn.prepare("SELECT value FROM database_meta WHERE name = 'crypto_suite'");
    if (st.step()) recorded = crypto::parse_suite(st.text(0));
  }
  auto keys = crypto::load_or_create_keys(keys_path, requested.value_or(recorded.value_or(crypto::Suite::sodium)));
  if (!keys) return keys;
  if (requested && *requested != keys->suite)
    return fail(Errc::invalid_input, "the database's crypto suite is " + std::string(crypto::to_string(keys->suite)) +
                                         " (its key file " + keys_path + " says so); it cannot become " +
                                         std::string(crypto::to_string(*requested)));
  if (recorded && *recorded != keys->suite)
    return fail(Errc::forbidden, "the key file " + keys_path + " is for the " + std::string(crypto::to_string(keys->suite)) +
                                     " suite, but the database was made with " + std::string(crypto::to_string(*recorded)) +
                                     ": give the database's own key file");
  if (!recorded)
    conn.prepare("INSERT INTO database_meta(name, value) VALUES ('crypto_suite', ?1)")
        .bind_all(std::string(crypto::to_string(keys->suite)))
        .run();
  return keys;
}

}  // namespace hl::casework
