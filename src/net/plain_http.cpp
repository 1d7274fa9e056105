// Plain HTTP on the HTTPS port (see plain_http.hpp).
#include "net/plain_http.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <string>

#include "core/util/bytes.hpp"
#include "net/connection_stream.hpp"

namespace hooktool::net {

namespace {

bool url_safe(const std::string& text, const char* extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [extra](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(extra, c) != nullptr;
  });
}

// "ip:port" of the connection's peer, or of its own end.
std::string address_of(int fd, bool peer) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return "";
  int port = 0;
  const std::string host = numeric_address(addr, port);
  return join_host_port(host, port);
}

} // namespace

bool answer_plain_http(int sock, std::int64_t deadline, const ServerConfig& config) {
  std::string head;
  for (;;) {
    char peek[1];
    const ssize_t n = ::recv(sock, peek, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 1) {
      if (!std::isupper(static_cast<unsigned char>(peek[0]))) return false;
      break;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return false;
    const std::int64_t left = deadline - steady_ms();
    if (left <= 0) return false;
    pollfd p{sock, POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left, 100)));
  }
  // Read the head (8 KiB at most, a second at most) for the path and the Host it was sent to.
  const std::int64_t head_deadline = std::min(deadline, steady_ms() + 1000);
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 8192 &&
         steady_ms() < head_deadline) {
    char buffer[4096];
    const ssize_t n = ::recv(sock, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      head.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
    pollfd p{sock, POLLIN, 0};
    ::poll(&p, 1, 50);
  }
  const std::string line = head.substr(0, head.find("\r\n"));
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string::npos ? std::string::npos : line.find(' ', sp1 + 1);
  std::string target = sp2 == std::string::npos ? "" : line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (target.empty() || target[0] != '/' || !url_safe(target, "/-._~%!$&'()*+,;=:@?[]"))
    target = "/";
  std::string host;
  for (auto l : split(head, '\n')) {
    const auto colon = l.find(':');
    if (colon != std::string_view::npos && iequals(trim(l.substr(0, colon)), "Host"))
      host = std::string(trim(l.substr(colon + 1)));
  }
  // The name the client used, with the port it connected to.
  const std::string local = address_of(sock, false);
  std::string name = host.empty() || host[0] != '[' ? host.substr(0, host.find(':'))
                                                    : host.substr(0, host.find(']') + 1);
  if (!url_safe(name, ".-[]:")) name = local.substr(0, local.rfind(':'));
  const std::string url = "https://" + name + local.substr(local.rfind(':')) + target;
  const std::string body = "this port speaks HTTPS: use " + url + "\n";
  const std::string answer =
      "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
  (void)!::send(sock, answer.data(), answer.size(), MSG_NOSIGNAL);
  if (config.on_plain_http)
    config.on_plain_http(address_of(sock, true) +
                         " sent plain HTTP to this HTTPS port; answered 400 (use " + url + ")");
  return true;
}

} // namespace hooktool::net
