#include "core/crypto/sodium_init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace hl::crypto {

void ensure_sodium() {
  // C++ guarantees the initialiser of a function-local static runs once even under concurrent
  // first calls; sodium_init() returns 1 when it was already initialised, which is fine.
  static const int rc = sodium_init();
  if (rc < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace hl::crypto
