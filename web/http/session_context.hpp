#pragma once
// What every connection needs from its server. Owned by the server, which outlives its sessions.
#include <atomic>
#include <cstddef>
#include <memory>

#include "web/http/connection_registry.hpp"
#include "web/http/metrics.hpp"
#include "web/http/reply_gate.hpp"
#include "web/http/router.hpp"
#include "web/http/server.hpp"

namespace hl::web {

struct SessionContext {
  const ServerOptions& options;
  const Router& router;
  Metrics& metrics;
  ConnectionRegistry& registry;
  std::shared_ptr<ReplyGate> gate;
  std::atomic<std::size_t>& open_streams;  // Server::stream_count()
};

}  // namespace hl::web
