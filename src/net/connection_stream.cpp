// One listener connection as cpp-httplib's Stream (see connection_stream.hpp).
#include "net/connection_stream.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/util/bytes.hpp"

namespace hooktool::net {

namespace {

// Headers renamed (prefixed) before the library reads the head, so that it leaves the body as it
// arrived: with Content-Encoding it would decompress it; with Content-Type multipart/form-data it
// would parse the body into files and leave it empty, and with a URL-encoded one it would answer
// 413 to anything above 8 KiB. The captured headers keep the real names.
constexpr std::string_view kHiddenPrefix = "X-Hooktool-Wire-";
// Accept-Encoding and Range too: the library would compress a forwarded answer again, slice it by
// the range again, or answer 416 to a hook that carries a Range header of its own.
bool hidden_from_library(std::string_view name) {
  return iequals(name, "Content-Encoding") || iequals(name, "Content-Type") ||
         iequals(name, "Accept-Encoding") || iequals(name, "Range");
}

} // namespace

std::string join_host_port(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string numeric_address(const sockaddr_storage& addr, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (addr.ss_family == AF_INET) {
    const auto& a = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &a.sin_addr, text, sizeof text);
    port = ntohs(a.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& a = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &a.sin6_addr, text, sizeof text);
    port = ntohs(a.sin6_port);
  }
  return text;
}

std::int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

ConnectionStream::ConnectionStream(int fd, SSL* ssl, int read_timeout_s, int write_timeout_s,
                                   const StreamLimits& limits)
    : m_fd(fd), m_ssl(ssl), m_read_timeout_ms(read_timeout_s * 1000),
      m_write_timeout_ms(write_timeout_s * 1000), m_limits(limits),
      // A chunked body's framing adds a little to its size; the handler checks the exact limit.
      m_body_limit(limits.max_body + limits.max_body / 8 + 64 * 1024) {
  timeval slice{0, kSliceMs * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &slice, sizeof slice);
  timeval write{write_timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &write, sizeof write);
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    m_remote_ip = numeric_address(addr, m_remote_port);
    m_head.remote = join_host_port(m_remote_ip, m_remote_port);
  }
  len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    m_local_ip = numeric_address(addr, m_local_port);
}

bool ConnectionStream::wait_for_request(int timeout_s, const std::atomic<socket_t>& server_socket) {
  if (m_rpos < m_rbuf.size()) return true;
  const std::int64_t deadline = steady_ms() + timeout_s * 1000;
  char chunk[kChunk];
  const ssize_t n = receive(chunk, sizeof chunk, deadline, &server_socket);
  if (n <= 0) return false;
  m_rbuf.assign(chunk, static_cast<std::size_t>(n));
  m_rpos = 0;
  return true;
}

void ConnectionStream::begin_request() {
  m_head_pending = true;
  m_head_deadline = steady_ms() + m_read_timeout_ms;
  m_request_line_seen = false;
  m_checked = m_rpos;
  m_head_start = m_rpos;
  m_head.valid = false;
  m_head.headers.clear();
  m_head.body_too_large = false;
  m_body_read = 0;
  m_failed = 1;
}

void ConnectionStream::announce_close() {
  constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  const std::size_t head = starts_with(m_wbuf, kContinue) ? kContinue.size() : 0;
  if (m_head.body_too_large && m_wbuf.compare(head, 12, "HTTP/1.1 400") == 0) {
    const std::size_t eol = m_wbuf.find("\r\n", head);
    m_wbuf.replace(head, eol - head, "HTTP/1.1 413 Payload Too Large");
  }
  const std::size_t end = m_wbuf.find("\r\n\r\n", head);
  const std::size_t line = m_wbuf.find("\r\nKeep-Alive:", head);
  if (end == std::string::npos || line == std::string::npos || line >= end) return;
  const std::size_t eol = m_wbuf.find("\r\n", line + 2);
  m_wbuf.replace(line + 2, eol - line - 2, "Connection: close");
}

bool ConnectionStream::flush() {
  std::size_t sent = 0;
  while (sent < m_wbuf.size()) {
    const std::size_t left = m_wbuf.size() - sent;
    ssize_t n;
    if (m_ssl) {
      n = SSL_write(m_ssl, m_wbuf.data() + sent,
                    static_cast<int>(std::min<std::size_t>(left, 1 << 30)));
    } else {
      n = ::send(m_fd, m_wbuf.data() + sent, left, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
    }
    if (n <= 0) { // an error, or SO_SNDTIMEO passed
      m_wbuf.clear();
      m_write_failed = true;
      return false;
    }
    sent += static_cast<std::size_t>(n);
  }
  m_wbuf.clear();
  return !m_write_failed;
}

bool ConnectionStream::is_readable() const {
  if (m_rpos < m_rbuf.size() || (m_ssl && SSL_pending(m_ssl) > 0)) return true;
  pollfd p{m_fd, POLLIN, 0};
  return ::poll(&p, 1, m_read_timeout_ms) > 0;
}

bool ConnectionStream::is_writable() const {
  pollfd p{m_fd, POLLOUT, 0};
  return !m_write_failed && ::poll(&p, 1, m_write_timeout_ms) > 0;
}

ssize_t ConnectionStream::read(char* ptr, std::size_t size) {
  if (!m_wbuf.empty() && !flush()) return -1;
  while (m_head_pending && m_rpos == m_checked)
    next_head_line();
  if (m_rpos < m_rbuf.size()) {
    const std::size_t n = std::min(size, (m_head_pending ? m_checked : m_rbuf.size()) - m_rpos);
    if (m_head.valid) { // what lies at or past m_body_start is body
      const std::size_t body_from = std::max(m_rpos, std::min(m_body_start, m_rpos + n));
      if (!count_body(m_rpos + n - body_from)) return -1;
    }
    std::memcpy(ptr, m_rbuf.data() + m_rpos, n);
    m_rpos += n;
    return static_cast<ssize_t>(n);
  }
  if (m_failed <= 0) return m_failed; // the head's read already met the end or a timeout
  const std::int64_t deadline = steady_ms() + m_read_timeout_ms;
  if (size >= kChunk) {
    const ssize_t n = receive(ptr, size, deadline, nullptr);
    if (n > 0 && m_head.valid && !count_body(static_cast<std::size_t>(n))) return -1;
    return n;
  }
  char chunk[kChunk];
  const ssize_t n = receive(chunk, sizeof chunk, deadline, nullptr);
  if (n <= 0) return n;
  const std::size_t take = std::min(size, static_cast<std::size_t>(n));
  if (m_head.valid && !count_body(take)) return -1;
  std::memcpy(ptr, chunk, take);
  m_rbuf.assign(chunk + take, static_cast<std::size_t>(n) - take);
  m_rpos = 0;
  m_body_start = 0;
  return static_cast<ssize_t>(take);
}

ssize_t ConnectionStream::write(const char* ptr, std::size_t size) {
  if (m_write_failed) return -1;
  m_wbuf.append(ptr, size);
  if (m_wbuf.size() >= 4 * kChunk && !flush()) return -1;
  return static_cast<ssize_t>(size);
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = m_remote_ip;
  port = m_remote_port;
}
void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = m_local_ip;
  port = m_local_port;
}

// recv() or SSL_read(), retried over SO_RCVTIMEO slices until the deadline (or, given the
// server's socket, until the server stops). > 0 bytes, 0 at the end, -1 on error or time-out.
ssize_t ConnectionStream::receive(char* ptr, std::size_t size, std::int64_t deadline,
                                  const std::atomic<socket_t>* server_socket) {
  for (;;) {
    ssize_t n;
    bool again;
    if (m_ssl) {
      n = SSL_read(m_ssl, ptr, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
      if (n > 0) return n;
      const int error = SSL_get_error(m_ssl, static_cast<int>(n));
      if (error == SSL_ERROR_ZERO_RETURN) return 0;
      again = error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
      ERR_clear_error();
    } else {
      n = ::recv(m_fd, ptr, size, 0);
      if (n >= 0) return n;
      again = errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    }
    const std::int64_t now = steady_ms();
    if (!again || now >= deadline) return -1;
    if (server_socket && *server_socket == INVALID_SOCKET) return -1;
    if (m_limits.stop_deadline && now >= m_limits.stop_deadline->load()) return -1;
  }
}

// In the head, only whole lines are handed to the library, each looked at first: its header
// is kept, and some are hidden from the library (hidden_from_library). The library reads the head
// a byte at a time, so this makes it wait for nothing it would not have waited for itself.
void ConnectionStream::next_head_line() {
  std::size_t eol;
  while ((eol = m_rbuf.find('\n', m_checked)) == std::string::npos) {
    if (m_rbuf.size() - m_checked > kLineLimit || m_checked - m_head_start > kHeadLimit)
      return refuse_head();
    m_rbuf.erase(0, m_rpos); // what was handed out goes
    m_checked -= m_rpos;
    m_head_start -= std::min(m_head_start, m_rpos);
    m_rpos = 0;
    char chunk[kChunk];
    // The whole head within the read time-out: a client trickling it a byte at a time
    // (slowloris) does not hold a worker for longer.
    const ssize_t n =
        steady_ms() < m_head_deadline ? receive(chunk, sizeof chunk, m_head_deadline, nullptr) : -1;
    if (n <= 0) { // the library gets the rest as it is, then the end or the time-out
      m_failed = n;
      m_head_pending = false;
      return;
    }
    m_rbuf.append(chunk, static_cast<std::size_t>(n));
  }
  const std::size_t start = m_checked;
  m_checked = eol + 1;
  if (eol == start || m_rbuf[eol - 1] != '\r') return; // the library skips such a line too
  const std::string_view line = std::string_view(m_rbuf).substr(start, eol - 1 - start);
  if (!m_request_line_seen) {
    m_request_line_seen = true;
    return;
  }
  if (line.empty()) { // the end of the head
    const auto framing = body_framing();
    if (!framing) {
      m_checked = start; // the library never sees the head end
      return refuse_head();
    }
    if (*framing == Framing::None) { // else the library would read a body up to the end
      constexpr std::string_view kNoBody = "Content-Length: 0\r\n";
      m_rbuf.insert(start, kNoBody);
      m_checked += kNoBody.size();
    }
    m_head.valid = true;
    m_head_pending = false;
    m_body_start = m_checked;
    return;
  }
  auto header = parse_request_header_line(line);
  if (!header) return;
  if (hidden_from_library(header->name)) {
    m_rbuf.insert(start, kHiddenPrefix);
    m_checked += kHiddenPrefix.size();
  }
  m_head.headers.push_back(std::move(*header));
}

// The head is refused (a line or the whole too long, or its framing unclear): the library gets
// the lines checked so far and then an error, and answers 400.
void ConnectionStream::refuse_head() {
  m_rbuf.resize(m_checked);
  m_failed = -1;
  m_head_pending = false;
}

// How the body is delimited, or nullopt when the head leaves it unclear: a Content-Length that
// is not a number, two that differ, Transfer-Encoding other than chunked, or both headers (the
// way a body smuggles a second request past a proxy).
std::optional<ConnectionStream::Framing> ConnectionStream::body_framing() const {
  const std::string* length = nullptr;
  bool chunked = false;
  for (const auto& h : m_head.headers) {
    if (iequals(h.name, "Content-Length")) {
      if (h.value.empty() || h.value.find_first_not_of("0123456789") != std::string::npos ||
          (length && *length != h.value))
        return std::nullopt;
      length = &h.value;
    } else if (iequals(h.name, "Transfer-Encoding")) {
      if (chunked || !iequals(trim(h.value), "chunked")) return std::nullopt;
      chunked = true;
    }
  }
  if (length && chunked) return std::nullopt;
  return chunked ? Framing::Chunked : length ? Framing::Length : Framing::None;
}

// Counts body bytes handed to the library; false past the limit (the request is answered 413),
// so that a chunked body, which the library does not limit, cannot fill the memory.
bool ConnectionStream::count_body(std::size_t n) {
  m_body_read += n;
  if (m_body_read <= m_body_limit) return true;
  m_head.body_too_large = true;
  m_failed = -1;
  return false;
}

} // namespace hooktool::net
