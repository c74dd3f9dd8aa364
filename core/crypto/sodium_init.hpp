#pragma once
// libsodium must be initialised before any of its functions run (it picks CPU-specific code and
// opens the random source). Every crypto class calls this from its constructor or entry point.
namespace hl::crypto {

// Initialises libsodium exactly once, thread-safely (a function-local static). Throws
// std::runtime_error when libsodium cannot initialise (no usable random source).
void ensure_sodium();

}  // namespace hl::crypto
