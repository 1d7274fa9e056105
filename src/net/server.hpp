// The listener: an event-driven HTTP(S) server (epoll, non-blocking OpenSSL) that hands every
// complete request to a callback as a CapturedRequest, its bytes as they arrived, and answers with
// what the callback returns. Malformed requests (400), bodies above the limit (413), long targets
// (414) and heads (431) never reach the callback; idle or slow clients cost no thread, only the
// memory of what they sent, and never hold up another request.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/show/capture.hpp"

namespace hooktool::net {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0; // 0: any free port
  bool tls = false;
  std::string cert_file; // with tls: PEM files; both empty: a self-signed certificate made at start
  std::string key_file;
  std::size_t max_body = 10 * 1024 * 1024;
  int read_timeout_s = 5; // a client that sends nothing for this long is dropped
  int keep_alive_s = 2;   // an idle keep-alive connection is closed after this long
  // After stop(), a request still arriving (or a TLS handshake) gets this long to finish arriving;
  // requests already received are answered however long their handler takes.
  int stop_grace_ms = 2000;
  // The event loops, each a thread with its own connections: 0 is one per core (at most 4).
  std::size_t loops = 0;
  // A request for which this says true is handled on a worker thread of its own (a --forward or a
  // --delay waits; one per such request in flight, at most max_workers), the others on the loop
  // that read them, at once. Unset: every request on its loop.
  std::function<bool(const CapturedRequest&)> may_block;
  std::size_t max_workers = 4096;
  // With tls: a client that sent plain HTTP to the port is answered 400 in plain HTTP ("this port
  // speaks HTTPS: use https://…", as nginx does), and this is called with a one-line note.
  std::function<void(const std::string& note)> on_plain_http;
};

struct Reply {
  int status = 200;
  std::vector<Header> headers;
  std::string content_type;
  std::string body;
};

// Runs on a loop or worker thread (several at once), once per complete request.
using RequestHandler = std::function<Reply(CapturedRequest request)>;
// A request answered by the server itself (400 malformed, 413 too large, 414, 431...), with what
// was wrong in words of ours (never the sender's bytes).
using RejectHandler =
    std::function<void(int status, const std::string& remote, const std::string& reason)>;

class Listener {
public:
  Listener(ServerConfig config, const RequestHandler& on_request, const RejectHandler& on_reject);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds (throws Error, exit 3, when it cannot), then serves on background threads. Raises the
  // process's open-file limit to the hard limit first (open_file_note()).
  void start();
  // Stops accepting, lets requests in flight finish and be answered, joins.
  void stop();

  int port() const { return m_port; }
  std::string url() const;         // "http://127.0.0.1:8080/"
  std::string fingerprint() const; // SHA-256 of the TLS certificate, "AB:CD:..."; empty without TLS
  // "open-file limit raised from 1024 to 524288 (connections at once)", or what it is; for
  // --verbose.
  std::string open_file_note() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  ServerConfig m_config;
  int m_port = 0;
};

// Splits "[HOST]:PORT", "PORT", "[::1]:PORT" into a config's host and port; the host defaults to
// 127.0.0.1. Throws Error naming `where`.
void parse_listen_address(const std::string& text, ServerConfig& config, const std::string& where);

} // namespace hooktool::net
