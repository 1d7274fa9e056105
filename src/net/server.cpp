// The listener (see server.hpp).
#include "net/server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>
#include <thread>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/util/http.hpp"
#include "net/certificate.hpp"

namespace hooktool::net {

namespace {

// cpp-httplib adds these to the request headers itself.
bool is_library_header(const std::string& name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

std::string join_host_port(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The header lines of the request being served on this thread, as they came off the wire: the
// library's own Request keeps headers in a case-insensitive multimap (arrival order lost) and
// percent-decodes their values.
struct WireHead {
  bool valid = false;
  std::vector<Header> headers;
  std::string remote; // "ip:port" of the connection, also for a request the library could not parse
  bool body_too_large = false; // the body passed the limit while it arrived (chunked, or no length)
};
thread_local const WireHead* t_wire_head = nullptr;
// Set when the library answered the request on this thread itself (400, 413, ...): its framing
// cannot be trusted, so the connection closes after the answer instead of reading what follows
// as another request.
thread_local bool t_library_answered = false;

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

// What every connection's stream is held to, set once by the Listener.
struct StreamLimits {
  std::size_t max_body = 10 * 1024 * 1024;
  // Once the listener stops: reads give up at this steady_ms() time, so a client trickling a
  // request does not hold up the shutdown.
  const std::atomic<std::int64_t>* stop_deadline = nullptr;
};

CapturedRequest capture(const httplib::Request& req) {
  CapturedRequest out;
  out.received_ms = now_ms();
  out.remote = join_host_port(req.remote_addr, req.remote_port);
  out.method = req.method;
  const auto q = req.target.find('?');
  out.path = req.target.substr(0, q);
  if (q != std::string::npos) out.query = req.target.substr(q + 1);
  out.http_version = req.version;
  if (t_wire_head && t_wire_head->valid) {
    out.headers = t_wire_head->headers;
  } else { // grouped by name, repeated headers in arrival order
    for (const auto& [name, value] : req.headers)
      if (!is_library_header(name)) out.headers.push_back({name, value});
  }
  out.body = req.body;
  return out;
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

// One connection, plain or TLS, as the library's Stream. Unlike the library's own socket stream it
//  - hands the library the request head a line at a time, keeping each header line as sent
//    (WireHead) and hiding some (hidden_from_library);
//  - gathers a response's writes into one send, made when the library has finished the request or
//    wants to read again (a 100 Continue), instead of a select() and a send() per piece;
//  - blocks in recv() with a short SO_RCVTIMEO slice instead of a select() before every read, so
//    that an idle keep-alive connection notices the server stopping.
class ConnectionStream final : public httplib::Stream {
public:
  static constexpr int kSliceMs = 100;
  static constexpr std::size_t kLineLimit = 64 * 1024;  // one line of the head
  static constexpr std::size_t kHeadLimit = 256 * 1024; // the whole head
  static constexpr std::size_t kChunk = 16 * 1024;

  ConnectionStream(int fd, SSL* ssl, int read_timeout_s, int write_timeout_s,
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

  const WireHead& head() const { return m_head; }
  // The head did not arrive in time, or the connection failed: no further request on it.
  bool broken() const { return m_failed < 0 || m_write_failed; }

  // Waits up to `timeout_s` for the first byte of the next request; false when the connection
  // closed, timed out, or the server is stopping.
  bool wait_for_request(int timeout_s, const std::atomic<socket_t>& server_socket) {
    if (m_rpos < m_rbuf.size()) return true;
    const std::int64_t deadline = steady_ms() + timeout_s * 1000;
    char chunk[kChunk];
    const ssize_t n = receive(chunk, sizeof chunk, deadline, &server_socket);
    if (n <= 0) return false;
    m_rbuf.assign(chunk, static_cast<std::size_t>(n));
    m_rpos = 0;
    return true;
  }

  // The library is about to read a new request: its head is read whole first.
  void begin_request() {
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

  // The answer the library made itself, waiting in the write buffer, closes the connection: its
  // Keep-Alive header line (the library writes one whenever it keeps a connection) becomes
  // Connection: close, and a 400 for a body that passed the limit as it arrived becomes 413.
  void announce_close() {
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

  bool flush() {
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

  bool is_readable() const override {
    if (m_rpos < m_rbuf.size() || (m_ssl && SSL_pending(m_ssl) > 0)) return true;
    pollfd p{m_fd, POLLIN, 0};
    return ::poll(&p, 1, m_read_timeout_ms) > 0;
  }

  bool is_writable() const override {
    pollfd p{m_fd, POLLOUT, 0};
    return !m_write_failed && ::poll(&p, 1, m_write_timeout_ms) > 0;
  }

  ssize_t read(char* ptr, std::size_t size) override {
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

  ssize_t write(const char* ptr, std::size_t size) override {
    if (m_write_failed) return -1;
    m_wbuf.append(ptr, size);
    if (m_wbuf.size() >= 4 * kChunk && !flush()) return -1;
    return static_cast<ssize_t>(size);
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = m_remote_ip;
    port = m_remote_port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = m_local_ip;
    port = m_local_port;
  }
  socket_t socket() const override { return m_fd; }

private:
  // recv() or SSL_read(), retried over SO_RCVTIMEO slices until the deadline (or, given the
  // server's socket, until the server stops). > 0 bytes, 0 at the end, -1 on error or time-out.
  ssize_t receive(char* ptr, std::size_t size, std::int64_t deadline,
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
  void next_head_line() {
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
      const ssize_t n = steady_ms() < m_head_deadline
                            ? receive(chunk, sizeof chunk, m_head_deadline, nullptr)
                            : -1;
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
  void refuse_head() {
    m_rbuf.resize(m_checked);
    m_failed = -1;
    m_head_pending = false;
  }

  enum class Framing { None, Length, Chunked };
  // How the body is delimited, or nullopt when the head leaves it unclear: a Content-Length that
  // is not a number, two that differ, Transfer-Encoding other than chunked, or both headers (the
  // way a body smuggles a second request past a proxy).
  std::optional<Framing> body_framing() const {
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
  bool count_body(std::size_t n) {
    m_body_read += n;
    if (m_body_read <= m_body_limit) return true;
    m_head.body_too_large = true;
    m_failed = -1;
    return false;
  }

  int m_fd;
  SSL* m_ssl;
  int m_read_timeout_ms;
  int m_write_timeout_ms;
  StreamLimits m_limits;
  std::size_t m_body_limit;
  std::size_t m_body_read = 0;
  std::size_t m_body_start = 0; // in m_rbuf, where the body begins once the head is read
  std::size_t m_head_start = 0; // in m_rbuf, where the request's head began
  std::string m_rbuf;           // read ahead, from m_rpos
  std::size_t m_rpos = 0;
  std::string m_wbuf; // written, not yet sent
  bool m_write_failed = false;
  bool m_head_pending = false; // reading the head: only lines up to m_checked are handed out
  bool m_request_line_seen = false;
  std::int64_t m_head_deadline = 0;
  std::size_t m_checked = 0;
  ssize_t m_failed = 1; // what the head's last read returned when it was not data
  WireHead m_head;
  std::string m_remote_ip;
  std::string m_local_ip;
  int m_remote_port = 0;
  int m_local_port = 0;
};

// The library's keep-alive loop over a ConnectionStream: `process` serves one request.
template <typename Process>
bool serve_connection(ConnectionStream& stream, const std::atomic<socket_t>& server_socket,
                      std::size_t max_requests, int keep_alive_s, Process process) {
  t_wire_head = &stream.head();
  bool ok = false;
  for (std::size_t left = max_requests; left > 0; --left) {
    if (server_socket == INVALID_SOCKET || !stream.wait_for_request(keep_alive_s, server_socket))
      break;
    stream.begin_request();
    bool closed = false;
    t_library_answered = false;
    ok = process(stream, left == 1, closed);
    if (t_library_answered) stream.announce_close();
    if (!stream.flush()) ok = false;
    if (!ok || closed || t_library_answered || stream.broken()) break;
  }
  t_wire_head = nullptr;
  return ok;
}

// After an answer the library made itself (400, 413) the client may still be sending: a close with
// its bytes unread resets the connection, and the reset can destroy the answer before the client
// reads it. So the connection is half-closed first, and what still comes is read and dropped
// until the client closes too, for 2 s at most (reads wake every SO_RCVTIMEO slice).
void close_socket(int fd) {
  if (t_library_answered) {
    ::shutdown(fd, SHUT_WR);
    const std::int64_t deadline = steady_ms() + 2000;
    char sink[16 * 1024];
    while (steady_ms() < deadline) {
      const ssize_t n = ::recv(fd, sink, sizeof sink, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) break;
    }
    t_library_answered = false;
  }
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
}

class PlainServer final : public httplib::Server {
public:
  StreamLimits limits;

private:
  bool process_and_close_socket(socket_t sock) override {
    bool ok;
    {
      ConnectionStream stream(sock, nullptr, static_cast<int>(read_timeout_sec_),
                              static_cast<int>(write_timeout_sec_), limits);
      ok = serve_connection(stream, svr_sock_, keep_alive_max_count_,
                            static_cast<int>(keep_alive_timeout_sec_),
                            [this](httplib::Stream& s, bool close, bool& closed) {
                              return process_request(s, close, closed, nullptr);
                            });
    }
    close_socket(sock);
    return ok;
  }
};

bool url_safe(const std::string& text, const char* extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [extra](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(extra, c) != nullptr;
  });
}

std::string address_of(int fd, bool peer) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  auto* sa = reinterpret_cast<sockaddr*>(&addr);
  if ((peer ? ::getpeername(fd, sa, &len) : ::getsockname(fd, sa, &len)) != 0) return "";
  char host[INET6_ADDRSTRLEN] = {0};
  int port = 0;
  if (addr.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    port = ntohs(in->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* in = reinterpret_cast<sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &in->sin6_addr, host, sizeof host);
    port = ntohs(in->sin6_port);
  }
  return join_host_port(host, port);
}

// A TLS connection starts with a handshake record (0x16); one that starts with a letter is a
// plain HTTP request line sent to the HTTPS port. It is answered 400 in plain HTTP with the URL
// to use, as nginx does, instead of a handshake failure the client reads as a reset or garbage.
// Returns true when it was answered (the caller closes); false to go on with TLS.
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
  t_library_answered = true; // half-close and drain what the client still sends (close_socket)
  if (config.on_plain_http)
    config.on_plain_http(address_of(sock, true) +
                         " sent plain HTTP to this HTTPS port; answered 400 (use " + url + ")");
  return true;
}

class TlsServer final : public httplib::SSLServer {
public:
  using httplib::SSLServer::SSLServer;
  StreamLimits limits;
  const ServerConfig* config = nullptr;

private:
  bool process_and_close_socket(socket_t sock) override {
    bool ok = false;
    std::int64_t deadline = steady_ms() + read_timeout_sec_ * 1000;
    if (limits.stop_deadline) deadline = std::min(deadline, limits.stop_deadline->load());
    if (config && answer_plain_http(sock, deadline, *config)) {
      close_socket(sock);
      return false;
    }
    if (SSL* ssl = SSL_new(ssl_context())) {
      {
        ConnectionStream stream(sock, ssl, static_cast<int>(read_timeout_sec_),
                                static_cast<int>(write_timeout_sec_), limits);
        SSL_set_fd(ssl, sock);
        if (handshake(ssl, sock, steady_ms() + read_timeout_sec_ * 1000)) {
          ok = serve_connection(stream, svr_sock_, keep_alive_max_count_,
                                static_cast<int>(keep_alive_timeout_sec_),
                                [this](httplib::Stream& s, bool close, bool& closed) {
                                  return process_request(s, close, closed, nullptr);
                                });
          SSL_shutdown(ssl);
        }
      }
      SSL_free(ssl);
      ERR_clear_error();
    }
    close_socket(sock);
    return ok;
  }

  // The handshake on a non-blocking socket, so that the deadline holds however the client
  // trickles its bytes (a blocking read that gets a byte now and then never times out).
  bool handshake(SSL* ssl, int sock, std::int64_t deadline) const {
    const int flags = ::fcntl(sock, F_GETFL, 0);
    if (flags < 0 || ::fcntl(sock, F_SETFL, flags | O_NONBLOCK) < 0) return false;
    bool ok = false;
    for (;;) {
      const int r = SSL_accept(ssl);
      if (r == 1) {
        ok = true;
        break;
      }
      const int error = SSL_get_error(ssl, r);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) break;
      std::int64_t until = deadline;
      if (limits.stop_deadline) until = std::min(until, limits.stop_deadline->load());
      const std::int64_t left = until - steady_ms();
      if (left <= 0) break;
      pollfd p{sock, static_cast<short>(error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
      if (::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left, 100))) < 0 && errno != EINTR)
        break;
    }
    ::fcntl(sock, F_SETFL, flags);
    return ok;
  }
};

} // namespace

struct Listener::Impl {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::atomic<bool> served{false}; // listen_after_bind() returned
  int socket = -1;                 // the listening socket
  std::string fingerprint;
  bool running = false;
  std::atomic<std::int64_t> stop_deadline{std::numeric_limits<std::int64_t>::max()};
};

Listener::Listener(ServerConfig config, RequestHandler on_request, RejectHandler on_reject)
    : m_impl(std::make_unique<Impl>()), m_config(std::move(config)) {
  if (m_config.tls) {
    if (m_config.cert_file.empty() != m_config.key_file.empty())
      throw Error(
          "give both --cert and --cert-key, or neither for a self-signed certificate (--cert)");
    if (m_config.cert_file.empty()) {
      auto [cert, key] = make_self_signed(m_config.host);
      m_impl->fingerprint = sha256_fingerprint(cert.get());
      m_impl->server = std::make_unique<TlsServer>(cert.get(), key.get());
    } else {
      m_impl->fingerprint = sha256_fingerprint(read_certificate(m_config.cert_file).get());
      m_impl->server =
          std::make_unique<TlsServer>(m_config.cert_file.c_str(), m_config.key_file.c_str());
    }
    if (!m_impl->server->is_valid())
      throw Error("cannot use " + m_config.cert_file + " with key " + m_config.key_file +
                  ": they do not match or are unreadable (--cert-key)");
  } else {
    m_impl->server = std::make_unique<PlainServer>();
  }
  const StreamLimits limits{m_config.max_body, &m_impl->stop_deadline};
  if (auto* plain = dynamic_cast<PlainServer*>(m_impl->server.get())) plain->limits = limits;
  if (auto* tls = dynamic_cast<TlsServer*>(m_impl->server.get())) {
    tls->limits = limits;
    tls->config = &m_config;
  }
  httplib::Server& svr = *m_impl->server;
  const std::size_t workers = m_config.workers;
  svr.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  // Without TCP_NODELAY, Nagle's algorithm meets the client's delayed ACK on keep-alive
  // connections and each response waits ~40 ms.
  svr.set_tcp_nodelay(true);
  // The library's default sets SO_REUSEPORT, which would let two listeners share a port silently.
  // The socket is kept to raise the backlog after binding (see start()).
  svr.set_socket_options([impl = m_impl.get()](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    impl->socket = sock;
  });
  svr.set_payload_max_length(m_config.max_body);
  svr.set_read_timeout(m_config.read_timeout_s, 0);
  svr.set_write_timeout(m_config.read_timeout_s, 0);
  svr.set_keep_alive_timeout(m_config.keep_alive_s);
  svr.set_keep_alive_max_count(1000000);

  // Which worker thread's request went through the handler: the others were answered by the
  // library itself (400, 413, ...) and are reported to on_reject.
  static thread_local bool t_handled = false;
  auto handler = [on_request, max_body = m_config.max_body](const httplib::Request& req,
                                                            httplib::Response& res) {
    if (req.body.size() > max_body) { // chunked: the library does not check its length
      res.status = 413;
      return;
    }
    t_handled = true;
    Reply reply = on_request(capture(req));
    res.status = reply.status;
    for (const auto& h : reply.headers)
      res.set_header(h.name.c_str(), h.value);
    if (!reply.body.empty() || !reply.content_type.empty())
      res.set_content(reply.body,
                      (reply.content_type.empty() ? "text/plain" : reply.content_type).c_str());
  };
  const std::string any = ".*";
  svr.Get(any, handler);
  svr.Post(any, handler);
  svr.Put(any, handler);
  svr.Patch(any, handler);
  svr.Delete(any, handler);
  svr.Options(any, handler);
  svr.set_logger([on_reject](const httplib::Request& req, const httplib::Response& res) {
    if (!t_handled) {
      t_library_answered = true;
      // A body that passed the limit as it arrived failed the library's read (400); the answer
      // sent says 413 (ConnectionStream::announce_close).
      const bool too_large = t_wire_head && t_wire_head->body_too_large && res.status == 400;
      if (on_reject)
        on_reject(too_large ? 413 : res.status,
                  !req.remote_addr.empty() ? join_host_port(req.remote_addr, req.remote_port)
                  : t_wire_head            ? t_wire_head->remote
                                           : std::string());
    }
    t_handled = false;
  });
}

Listener::~Listener() { stop(); }

void Listener::start() {
  httplib::Server& svr = *m_impl->server;
  const std::string where = join_host_port(m_config.host, m_config.port);
  if (m_config.port == 0) {
    m_port = svr.bind_to_any_port(m_config.host);
    if (m_port < 0) throw Error("cannot listen on " + where + " (address)", kExitNetwork);
  } else {
    if (!svr.bind_to_port(m_config.host, m_config.port))
      throw Error("cannot listen on " + where +
                      ": in use, or not an address of this machine (address)",
                  kExitNetwork);
    m_port = m_config.port;
  }
  // cpp-httplib 0.11 listens with a backlog of 5: 64 clients connecting at once overflow it, and
  // each dropped handshake costs its client a retransmission, a second or more. listen() again on
  // the bound socket raises the backlog.
  if (m_impl->socket >= 0) ::listen(m_impl->socket, SOMAXCONN);
  m_impl->running = true;
  m_impl->thread = std::thread([&svr, impl = m_impl.get()] {
    svr.listen_after_bind();
    impl->served = true;
  });
}

void Listener::stop() {
  if (!m_impl->running) return;
  m_impl->running = false;
  // listen_after_bind() may not have started its loop yet; the library's stop() is a no-op until
  // it has.
  while (!m_impl->server->is_running() && !m_impl->served)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  m_impl->stop_deadline = steady_ms() + m_config.stop_grace_ms;
  m_impl->server->stop();
  if (m_impl->thread.joinable()) m_impl->thread.join();
}

std::string Listener::url() const {
  std::string host = m_config.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  return std::string(m_config.tls ? "https" : "http") + "://" + join_host_port(host, m_port) + "/";
}

std::string Listener::fingerprint() const { return m_impl->fingerprint; }

void parse_listen_address(const std::string& text, ServerConfig& config, const std::string& where) {
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw Error("'" + text + "' is not [HOST]:PORT (" + where + ")");
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else if (const auto colon = text.rfind(':'); colon != std::string::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string::npos)
      throw Error("write an IPv6 address in brackets, like [::1]:8080 (" + where + ")");
  } else {
    port = text;
  }
  auto number = parse_int(port);
  if (!number || *number < 0 || *number > 65535)
    throw Error("'" + port + "' is not a port number, 0 to 65535 (" + where + ")");
  config.host = host.empty() ? "127.0.0.1" : host;
  config.port = static_cast<int>(*number);
}

} // namespace hooktool::net
