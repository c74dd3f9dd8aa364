#pragma once
// Accepts connections and starts an HttpSession for each, on a strand of its own; internal to the
// server (includes Asio).
//
// Shared between threads: the acceptor lives on its own strand; close() posts to it.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>

#include "web/http/session_context.hpp"

namespace hl::web {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Opens, binds and listens. Throws std::runtime_error naming the endpoint and the reason.
  Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
           SessionContext& context);

  unsigned short port() const { return port_; }
  void start();
  void close();

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;  // back-off after an accept error such as EMFILE
  SessionContext& context_;
  unsigned short port_ = 0;
  bool closed_ = false;
};

}  // namespace hl::web
