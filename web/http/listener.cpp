#include "web/http/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <iostream>
#include <stdexcept>

#include "web/http/http_session.hpp"

namespace hl::web {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& io, const tcp::endpoint& endpoint, SessionContext& context)
    : io_(io), acceptor_(net::make_strand(io)), retry_(acceptor_.get_executor()), context_(context) {
  auto fail = [&](const char* what, const boost::system::error_code& ec) {
    throw std::runtime_error("cannot listen on " + endpoint.address().to_string() + ":" +
                             std::to_string(endpoint.port()) + ": " + what + ": " + ec.message());
  };
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) fail("open", ec);
  // Lets a restarted server bind while old connections sit in TIME_WAIT; Linux still refuses a
  // second listener on the same port.
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) fail("set_option", ec);
  acceptor_.bind(endpoint, ec);
  if (ec) fail("bind", ec);
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) fail("listen", ec);
  port_ = acceptor_.local_endpoint(ec).port();
  if (ec) fail("local_endpoint", ec);
}

void Listener::start() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] { self->do_accept(); });
}

void Listener::close() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    self->closed_ = true;
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->retry_.cancel();
  });
}

void Listener::do_accept() {
  if (closed_) return;
  acceptor_.async_accept(net::make_strand(io_),
                         boost::beast::bind_front_handler(&Listener::on_accept, shared_from_this()));
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
  if (closed_) return;
  if (ec) {
    // Out of file descriptors and the like: retrying at once would spin.
    std::cerr << "accept failed: " + ec.message() + "\n";
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec) self->do_accept();
    });
    return;
  }
  std::make_shared<HttpSession>(std::move(socket), context_)->start();
  do_accept();
}

}  // namespace hl::web
