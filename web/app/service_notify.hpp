#pragma once
// Tells the service manager (systemd, Type=notify) what the server is doing, through sd_notify(3) of
// libsystemd. Without $NOTIFY_SOCKET (not started by systemd) every call does nothing.
//   ready()      after the listening socket is bound, and after a reload
//   reloading()  at the start of a reload (SIGHUP / systemctl reload)
//   stopping()   when draining begins (SIGTERM / systemctl stop)
// Any thread may call these (sd_notify opens its own socket per call).
#include <string_view>

namespace hl::web::service_notify {

void ready(std::string_view status);
void reloading();
void stopping();

}  // namespace hl::web::service_notify
