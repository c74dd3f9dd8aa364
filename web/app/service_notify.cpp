#include "web/app/service_notify.hpp"

#include <systemd/sd-daemon.h>

#include <ctime>
#include <string>

namespace hl::web::service_notify {
namespace {

void send(const std::string& state) { (void)sd_notify(0, state.c_str()); }

}  // namespace

void ready(std::string_view status) { send("READY=1\nSTATUS=" + std::string(status)); }

void reloading() {
  // MONOTONIC_USEC lets systemd >= 253 (Type=notify-reload) match the reload it asked for; older
  // ones ignore it.
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  const long long usec = static_cast<long long>(now.tv_sec) * 1'000'000 + now.tv_nsec / 1000;
  send("RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC=" + std::to_string(usec));
}

void stopping() { send("STOPPING=1\nSTATUS=draining in-flight requests"); }

}  // namespace hl::web::service_notify
