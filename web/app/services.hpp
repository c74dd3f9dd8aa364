#pragma once
// What the HTTP handlers work with, wired once by App. References only: App owns the objects.
//
// Shared between threads: handlers on every I/O thread use it; each member says how it is guarded
// (Writer and ReadPool queue work, SessionStore and Metrics lock, the rest are immutable).
#include "casework/attachment_service.hpp"
#include "casework/case_edits.hpp"
#include "casework/case_service.hpp"
#include "casework/login_guard.hpp"
#include "casework/password_change.hpp"
#include "casework/second_factor.hpp"
#include "casework/mediation_service.hpp"
#include "casework/person_identity.hpp"
#include "casework/referral_service.hpp"
#include "core/audit/audit_chain.hpp"
#include "core/clock.hpp"
#include "core/crypto/field_cipher.hpp"
#include "core/crypto/password_hasher.hpp"
#include "core/db/read_pool.hpp"
#include "core/db/storage_health.hpp"
#include "core/db/writer.hpp"
#include "intake/intake_service.hpp"
#include "web/app/config.hpp"
#include "web/app/event_hub.hpp"
#include "web/auth/session_store.hpp"
#include "web/http/metrics.hpp"

#include <string>
#include <vector>

namespace hl::web {

struct Services {
  const Clock& clock;
  db::Writer& writer;
  db::ReadPool& reads;
  db::StorageHealth& health;
  crypto::PasswordHasher& hasher;
  const crypto::FieldCipher& cipher;
  const casework::PersonIdentity& identity;
  const audit::AuditChain& audit;
  SessionStore& sessions;
  casework::LoginGuard& logins;
  casework::PasswordChange& password_changes;
  const casework::SecondFactor& second_factor;
  EventHub& events;
  Metrics& metrics;
  const casework::CaseService& cases;
  const casework::CaseEdits& edits;
  const intake::IntakeService& intake;
  const casework::ReferralService& referrals;
  const casework::MediationService& mediations;
  const casework::AttachmentService& attachments;
  bool secure_cookies = false;
  std::string metrics_token;  // config metrics_token: a bearer token that may read /metrics ("": none)
  std::string second_factor_issuer;  // config second_factor_issuer: the name an authenticator app lists
  std::vector<TelephonySystem> telephony;  // config telephony: the call-centre systems and their token hashes
  const audit::AnchorFile* audit_anchor = nullptr;  // the chain's anchor outside the database (audit verify)
};

}  // namespace hl::web
