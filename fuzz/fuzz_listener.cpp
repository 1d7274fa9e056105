// Fuzzes the listener with raw request bytes: the real net::Listener (cpp-httplib, as `listen`
// runs it) is started once in-process on 127.0.0.1:0; each input is written to a fresh loopback
// connection, the write side is shut, and the answer is read until the server closes.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>

#include "net/server.hpp"

namespace {
hooktool::net::Listener& listener() {
  static std::unique_ptr<hooktool::net::Listener> instance = [] {
    hooktool::net::ServerConfig config;
    config.max_body = 64 * 1024;
    config.read_timeout_s = 1;
    config.keep_alive_s = 1;
    auto l = std::make_unique<hooktool::net::Listener>(
        config,
        [](hooktool::CapturedRequest request) {
          hooktool::net::Reply reply;
          reply.body = request.method + " " + request.target() + "\n";
          reply.content_type = "text/plain";
          return reply;
        },
        [](int, const std::string&, const std::string&) {});
    l->start();
    return l;
  }();
  return *instance;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int port = listener().port();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) std::abort();
  timeval timeout{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Closing with a reset leaves no TIME_WAIT behind: thousands of connections a second would
  // otherwise run out of ephemeral ports (EADDRNOTAVAIL), which is not the listener's fault.
  linger reset{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == ECONNREFUSED) std::abort(); // the listener is gone
    close(fd);
    return 0;
  }
  std::size_t sent = 0;
  while (sent < size) {
    auto n = send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n <= 0) break; // the server may answer and close before reading everything
    sent += static_cast<std::size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  char buffer[4096];
  while (recv(fd, buffer, sizeof buffer, 0) > 0) {
  }
  close(fd);
  return 0;
}
