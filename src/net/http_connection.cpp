// One listener connection, driven by the event loop (see http_connection.hpp).
#include "net/http_connection.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <climits>

#include "core/util/bytes.hpp"
#include "core/util/clock.hpp"
#include "net/plain_http.hpp"

namespace hooktool::net {

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::int64_t kDrainMs = 2000;     // after a refusal: the client's rest is read this long
constexpr std::int64_t kPlainHeadMs = 1000; // plain HTTP on the HTTPS port: its head this long
constexpr std::size_t kPlainHeadLimit = 8192;

const char* reason_phrase(int status) {
  switch (status) {
  case 100: return "Continue";
  case 200: return "OK";
  case 201: return "Created";
  case 202: return "Accepted";
  case 204: return "No Content";
  case 301: return "Moved Permanently";
  case 302: return "Found";
  case 304: return "Not Modified";
  case 307: return "Temporary Redirect";
  case 308: return "Permanent Redirect";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 408: return "Request Timeout";
  case 409: return "Conflict";
  case 410: return "Gone";
  case 413: return "Content Too Large";
  case 414: return "URI Too Long";
  case 415: return "Unsupported Media Type";
  case 422: return "Unprocessable Content";
  case 429: return "Too Many Requests";
  case 431: return "Request Header Fields Too Large";
  case 500: return "Internal Server Error";
  case 501: return "Not Implemented";
  case 502: return "Bad Gateway";
  case 503: return "Service Unavailable";
  case 504: return "Gateway Timeout";
  case 505: return "HTTP Version Not Supported";
  default:
    return status < 300 ? "OK" : status < 400 ? "Redirect" : status < 500 ? "Error" : "Error";
  }
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

std::string serialize_reply(const Reply& reply, bool head_request, bool close) {
  std::string out =
      "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_phrase(reply.status) + "\r\n";
  bool has_type = false;
  for (const auto& h : reply.headers) {
    if (is_hop_by_hop(h.name)) continue; // the framing is this connection's own
    has_type = has_type || iequals(h.name, "Content-Type");
    out += h.name + ": " + h.value + "\r\n";
  }
  const bool bodiless = reply.status < 200 || reply.status == 204 || reply.status == 304;
  if (!bodiless) {
    if (!has_type && (!reply.content_type.empty() || !reply.body.empty()))
      out += "Content-Type: " + (reply.content_type.empty() ? "text/plain" : reply.content_type) +
             "\r\n";
    out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  }
  out += close ? "Connection: close\r\n\r\n" : "\r\n";
  if (!bodiless && !head_request) out += reply.body;
  return out;
}

Connection::Connection(int fd, std::string remote, std::string local, const ConnectionRules& rules,
                       std::int64_t now)
    : m_fd(fd), m_remote(std::move(remote)), m_local(std::move(local)), m_rules(rules),
      m_phase(rules.tls ? Phase::Sniff : Phase::Idle), m_deadline(now + rules.read_timeout_ms) {}

Connection::~Connection() { close(); }

void Connection::close() {
  if (m_ssl) {
    SSL_free(m_ssl);
    m_ssl = nullptr;
    ERR_clear_error();
  }
  if (m_fd >= 0) ::close(m_fd);
  m_fd = -1;
  m_phase = Phase::Closed;
}

bool Connection::wants_read() const {
  switch (m_phase) {
  case Phase::Handling:
  case Phase::Writing:
  case Phase::Closed: return false;
  default: return !m_tls_wants_write;
  }
}

void Connection::drive(std::int64_t now) {
  while (step(now)) {
  }
}

bool Connection::step(std::int64_t now) {
  switch (m_phase) {
  case Phase::Sniff: return sniff(now);
  case Phase::Handshake: return handshake(now);
  case Phase::PlainOnTls: return plain_on_tls(now);
  case Phase::Idle:
  case Phase::Head: return read_head(now);
  case Phase::Body: return read_body(now);
  case Phase::Writing: return write_out(now);
  case Phase::Draining: return drain(now);
  case Phase::Handling:
  case Phase::Closed: return false;
  }
  return false;
}

long Connection::receive(std::size_t cap) {
  if (m_in.size() >= cap) return 0;
  char buffer[kReadChunk];
  const std::size_t want = std::min(kReadChunk, cap - m_in.size());
  if (m_ssl) {
    m_tls_wants_write = false;
    const int n = SSL_read(m_ssl, buffer, static_cast<int>(want));
    if (n > 0) {
      m_in.append(buffer, static_cast<std::size_t>(n));
      return n;
    }
    const int error = SSL_get_error(m_ssl, n);
    if (error == SSL_ERROR_WANT_READ) return 0;
    if (error == SSL_ERROR_WANT_WRITE) {
      m_tls_wants_write = true;
      return 0;
    }
    ERR_clear_error();
    return -1;
  }
  for (;;) {
    const ssize_t n = ::recv(m_fd, buffer, want, 0);
    if (n > 0) {
      m_in.append(buffer, static_cast<std::size_t>(n));
      return n;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
    return -1;
  }
}

bool Connection::sniff(std::int64_t now) {
  unsigned char first[5] = {};
  const ssize_t n = ::recv(m_fd, first, sizeof first, MSG_PEEK);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return false;
  if (n <= 0) {
    close();
    return false;
  }
  if (first[0] == 0x16) { // a TLS handshake record
    // No TLS state until the whole first record (the ClientHello) is here: a client that stalls
    // in it holds a descriptor and the kernel's buffer, not an OpenSSL object (wants_edge()).
    if (n < 5) return false;
    const std::size_t record = 5 + ((std::size_t{first[3]} << 8) | first[4]);
    int available = 0;
    if (::ioctl(m_fd, FIONREAD, &available) != 0) available = static_cast<int>(record);
    if (static_cast<std::size_t>(available) < record) return false;
    m_ssl = SSL_new(m_rules.tls);
    if (!m_ssl || SSL_set_fd(m_ssl, m_fd) != 1) {
      close();
      return false;
    }
    SSL_set_accept_state(m_ssl);
    m_phase = Phase::Handshake;
    return true;
  }
  if (!std::isupper(first[0])) {
    close();
    return false;
  }
  m_phase = Phase::PlainOnTls;
  m_deadline = std::min(m_deadline, now + kPlainHeadMs);
  return true;
}

bool Connection::handshake(std::int64_t now) {
  m_tls_wants_write = false;
  const int r = SSL_do_handshake(m_ssl);
  if (r == 1) {
    m_phase = Phase::Idle;
    m_deadline = std::min(m_grace, now + m_rules.read_timeout_ms);
    return true;
  }
  const int error = SSL_get_error(m_ssl, r);
  if (error == SSL_ERROR_WANT_READ) return false;
  if (error == SSL_ERROR_WANT_WRITE) {
    m_tls_wants_write = true;
    return false;
  }
  close();
  return false;
}

bool Connection::plain_on_tls(std::int64_t now) {
  for (;;) {
    const bool whole = m_in.find("\r\n\r\n") != std::string::npos || m_in.size() >= kPlainHeadLimit;
    if (whole || now >= m_deadline) break;
    const long n = receive(kPlainHeadLimit);
    if (n == 0) return false; // the rest of the head, or expire() answers with what came
    if (n < 0) break;
  }
  std::string url;
  m_out = plain_http_answer(m_in, m_local, url);
  m_out_pos = 0;
  m_plain_note = m_remote + " sent plain HTTP to this HTTPS port; answered 400 (use " + url + ")";
  m_in.clear();
  m_close_after = m_drain_after = true;
  m_phase = Phase::Writing;
  m_deadline = now + m_rules.read_timeout_ms;
  return true;
}

bool Connection::read_head(std::int64_t now) {
  const HeadLimits& limits = m_rules.head;
  const std::size_t cap = limits.max_head + kReadChunk;
  for (;;) {
    if (!m_in.empty()) {
      if (m_phase == Phase::Idle) { // the first byte of a request: the whole head within the time
        m_phase = Phase::Head;
        m_deadline = std::min(m_grace, now + m_rules.read_timeout_ms);
      }
      // Parsed again only when a line has ended since, or a limit may have been passed: a head
      // trickled a byte at a time is not parsed a byte at a time.
      const bool new_line = m_in.find('\n', m_scanned) != std::string::npos;
      m_scanned = m_in.size();
      if (new_line || m_in.size() > limits.max_target + 32) {
        const HeadResult r = parse_request_head(m_in, limits, m_head);
        if (r.state == ParseState::Refused) {
          refuse(r.status, r.reason, now);
          return true;
        }
        if (r.state == ParseState::Complete) {
          m_in.erase(0, r.size);
          m_scanned = 0;
          if (m_head.framing == BodyFraming::Length && m_head.content_length > m_rules.max_body) {
            refuse(413, "the body is larger than the listener takes (--max-body)", now);
            return true;
          }
          if (m_head.expect_continue && m_head.framing != BodyFraming::None &&
              m_head.version == "HTTP/1.1")
            m_out += "HTTP/1.1 100 Continue\r\n\r\n";
          m_body.clear();
          m_chunked = ChunkedDecoder{};
          m_phase = Phase::Body;
          m_deadline = std::min(m_grace, now + m_rules.read_timeout_ms);
          return true;
        }
      }
    }
    const long n = receive(cap);
    if (n < 0) { // the end: a partial head is no request
      close();
      return false;
    }
    if (n == 0) {
      if (m_in.size() >= cap) {
        refuse(431, "the request head is larger than the listener takes", now);
        return true;
      }
      return false;
    }
  }
}

bool Connection::read_body(std::int64_t now) {
  if (!write_out(now) && m_phase == Phase::Closed) return false; // a 100 Continue, if any
  for (;;) {
    bool complete = m_head.framing == BodyFraming::None;
    if (m_head.framing == BodyFraming::Length) {
      const std::size_t want = static_cast<std::size_t>(m_head.content_length) - m_body.size();
      const std::size_t take = std::min(want, m_in.size());
      m_body.append(m_in, 0, take);
      m_in.erase(0, take);
      complete = m_body.size() == m_head.content_length;
    } else if (m_head.framing == BodyFraming::Chunked && !m_in.empty()) {
      const auto step = m_chunked.feed(m_in, m_body, m_rules.max_body);
      m_in.erase(0, step.consumed);
      if (step.state == ParseState::Refused) {
        if (m_chunked.too_large())
          refuse(413, "the body is larger than the listener takes (--max-body)", now);
        else
          refuse(400, step.reason, now);
        return true;
      }
      complete = step.state == ParseState::Complete;
    }
    if (complete) {
      CapturedRequest r;
      r.received_ms = now_ms(); // the one clock (core/util): HOOKTOOL_NOW pins it
      r.remote = m_remote;
      r.method = m_head.method;
      const auto q = m_head.target.find('?');
      r.path = m_head.target.substr(0, q);
      if (q != std::string::npos) r.query = m_head.target.substr(q + 1);
      r.empty_query = q != std::string::npos && r.query.empty();
      r.http_version = m_head.version;
      r.headers = std::move(m_head.headers);
      r.body = std::move(m_body);
      r.tls = m_ssl != nullptr;
      m_body.clear();
      m_request = std::move(r);
      m_phase = Phase::Handling;
      m_deadline = INT64_MAX;
      return false;
    }
    const long n = receive(4 * kReadChunk);
    if (n < 0) {
      close();
      return false;
    }
    if (n == 0) return false;
    m_deadline = std::min(m_grace, now + m_rules.read_timeout_ms); // progress
  }
}

std::optional<CapturedRequest> Connection::take_request() {
  std::optional<CapturedRequest> r = std::move(m_request);
  m_request.reset();
  return r;
}

void Connection::answer(const Reply& reply, std::int64_t now) {
  if (m_phase != Phase::Handling) return;
  m_close_after = !m_head.keep_alive || m_stopping;
  m_out += serialize_reply(reply, m_head.method == "HEAD", m_close_after);
  m_phase = Phase::Writing;
  m_deadline = std::min(m_grace, now + m_rules.read_timeout_ms);
  drive(now);
}

// Sends what is waiting; true when all of it is sent (then, in the Writing phase, the connection
// goes on: to the next request, the drain or the close).
bool Connection::write_out(std::int64_t now) {
  while (m_out_pos < m_out.size()) {
    const std::size_t left = m_out.size() - m_out_pos;
    long n;
    if (m_ssl) {
      m_tls_wants_write = false;
      n = SSL_write(m_ssl, m_out.data() + m_out_pos,
                    static_cast<int>(std::min<std::size_t>(left, INT_MAX)));
      if (n <= 0) {
        const int error = SSL_get_error(m_ssl, static_cast<int>(n));
        if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
          m_tls_wants_write = error == SSL_ERROR_WANT_WRITE;
          return false;
        }
        close();
        return false;
      }
    } else {
      n = ::send(m_fd, m_out.data() + m_out_pos, left, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
      if (n <= 0) {
        close();
        return false;
      }
    }
    m_out_pos += static_cast<std::size_t>(n);
    if (m_phase == Phase::Writing) m_deadline = std::min(m_grace, now + m_rules.read_timeout_ms);
  }
  m_out.clear();
  m_out_pos = 0;
  if (m_phase != Phase::Writing) return true;
  if (m_close_after) {
    if (!m_drain_after) {
      close();
      return false;
    }
    // The client may still be sending: a close with its bytes unread resets the connection, and
    // the reset can destroy the answer before the client reads it.
    ::shutdown(m_fd, SHUT_WR);
    m_phase = Phase::Draining;
    m_deadline = now + kDrainMs;
    return true;
  }
  m_phase = Phase::Idle;
  m_head = RequestHead{};
  m_scanned = 0;
  m_deadline = std::min(m_grace, now + m_rules.keep_alive_ms);
  if (m_stopping && m_in.empty()) {
    close();
    return false;
  }
  return true; // a request sent behind this one is read now
}

bool Connection::drain(std::int64_t now) {
  for (;;) {
    m_in.clear();
    const long n = receive(kReadChunk);
    if (n < 0 || now >= m_deadline) {
      close();
      return false;
    }
    if (n == 0) return false;
  }
}

void Connection::refuse(int status, std::string reason, std::int64_t now) {
  Reply reply;
  reply.status = status;
  reply.content_type = "text/plain";
  reply.body = reason + "\n";
  m_out += serialize_reply(reply, false, true);
  m_rejections.push_back({status, std::move(reason)});
  m_in.clear();
  m_close_after = m_drain_after = true;
  m_phase = Phase::Writing;
  m_deadline = now + m_rules.read_timeout_ms;
}

void Connection::expire(std::int64_t now) {
  if (m_phase == Phase::PlainOnTls) { // answered with the head as far as it came
    m_deadline = now;
    drive(now);
    return;
  }
  if (m_phase != Phase::Handling) close();
}

void Connection::stop(std::int64_t now, std::int64_t grace) {
  m_stopping = true;
  m_grace = grace;
  if ((m_phase == Phase::Idle && m_in.empty()) || m_phase == Phase::Sniff) {
    close();
    return;
  }
  if (m_phase != Phase::Handling) m_deadline = std::min(m_deadline, grace);
  (void)now;
}

} // namespace hooktool::net
