// One listener connection, plain or TLS, driven by the event loop (server.cpp): it reads requests
// as RFC 9112 frames them (core/util/http_parse), hands each whole one to the loop, and writes the
// answer. It never blocks: every call does what the socket allows now and returns, so a
// connection that sends nothing, or a byte a second, costs memory for what it sent and no thread.
// Only net/server.cpp includes this.
#pragma once

#include <openssl/ssl.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/util/http_parse.hpp"
#include "net/server.hpp"

namespace hooktool::net {

// "host:port", the host in brackets when it is an IPv6 address.
std::string join_host_port(const std::string& host, int port);
// The numeric address of an IPv4 or IPv6 socket address, its port in `port`; "" for another family.
std::string numeric_address(const sockaddr_storage& addr, int& port);
// A monotonic clock in milliseconds: the connections' deadlines.
std::int64_t steady_ms();

// What every connection is held to, set once by the Listener.
struct ConnectionRules {
  std::size_t max_body = 10 * 1024 * 1024;
  HeadLimits head;
  std::int64_t read_timeout_ms = 5000; // the head within this; the body without progress this long
  std::int64_t keep_alive_ms = 2000;   // idle between requests
  SSL_CTX* tls = nullptr;              // set: the port speaks HTTPS
};

// A request the connection answered itself (400, 413, 414, 431...): for RejectHandler.
struct Rejection {
  int status = 0;
  std::string reason;
};

class Connection {
public:
  Connection(int fd, std::string remote, std::string local, const ConnectionRules& rules,
             std::int64_t now);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  int fd() const { return m_fd; }
  const std::string& remote() const { return m_remote; }

  // Reads, parses and writes what the socket allows now.
  void drive(std::int64_t now);
  // A whole request waiting for its answer (the connection reads nothing more until answer()).
  std::optional<CapturedRequest> take_request();
  // The handler's answer to the request taken.
  void answer(const Reply& reply, std::int64_t now);
  // The deadline passed: the connection closes.
  void expire(std::int64_t now);
  // The listener stops: an idle connection closes now, one with a request on its way gets until
  // `grace` (steady_ms) to finish it, an answered one closes after the answer.
  void stop(std::int64_t now, std::int64_t grace);

  bool closed() const { return m_phase == Phase::Closed; }
  bool handling() const { return m_phase == Phase::Handling; }
  bool wants_read() const;
  bool wants_write() const { return m_out_pos < m_out.size() || m_tls_wants_write; }
  // Waits for more of a ClientHello it peeks at without reading: told of new bytes only (EPOLLET),
  // not of the bytes it leaves there.
  bool wants_edge() const { return m_phase == Phase::Sniff; }
  std::int64_t deadline() const { return m_deadline; }
  // Requests refused since the last call, and a note on plain HTTP sent to the HTTPS port.
  std::vector<Rejection> take_rejections() { return std::move(m_rejections); }
  std::string take_plain_note() { return std::move(m_plain_note); }

private:
  enum class Phase {
    Sniff,      // an HTTPS port: is it a TLS handshake or plain HTTP?
    Handshake,  // TLS
    PlainOnTls, // plain HTTP to the HTTPS port: its head, for the URL in the 400
    Idle,       // between requests: nothing of the next one yet
    Head,
    Body,
    Handling, // the request is with the handler
    Writing,  // the answer is being sent
    Draining, // after a refusal: what the client still sends is read and dropped
    Closed
  };

  // Each returns false when it cannot go on now (waiting for the socket, or closed).
  bool step(std::int64_t now);
  bool sniff(std::int64_t now);
  bool handshake(std::int64_t now);
  bool plain_on_tls(std::int64_t now);
  bool read_head(std::int64_t now);
  bool read_body(std::int64_t now);
  bool write_out(std::int64_t now);
  bool drain(std::int64_t now);

  // Reads what the socket has into m_in (at most `cap` bytes held); the number read, 0 when it
  // would block, -1 at the end or on an error.
  long receive(std::size_t cap);
  void refuse(int status, std::string reason, std::int64_t now);
  void close();

  int m_fd;
  SSL* m_ssl = nullptr;
  std::string m_remote;
  std::string m_local;
  const ConnectionRules& m_rules;
  Phase m_phase;
  std::int64_t m_deadline = 0;
  std::int64_t m_grace = INT64_MAX; // stopping: nothing waits past this
  bool m_stopping = false;
  std::string m_in; // read, not yet used
  std::size_t m_scanned = 0;
  RequestHead m_head;
  ChunkedDecoder m_chunked;
  std::string m_body;
  std::optional<CapturedRequest> m_request;
  std::string m_out;
  std::size_t m_out_pos = 0;
  bool m_tls_wants_write = false;
  bool m_close_after = false; // after the answer: close (Draining first when refused)
  bool m_drain_after = false;
  std::vector<Rejection> m_rejections;
  std::string m_plain_note;
};

// The bytes of an answer: status line, the reply's headers, framing, body (none for HEAD, 1xx,
// 204 and 304).
std::string serialize_reply(const Reply& reply, bool head_request, bool close);

} // namespace hooktool::net
