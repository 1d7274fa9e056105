// The listener: an HTTP(S) server on cpp-httplib that hands every complete request to a callback
// as a CapturedRequest and answers with what the callback returns. Malformed requests (400),
// bodies above the limit (413) and idle or slow clients never reach the callback and never stop
// the server.
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
  // Every keep-alive connection holds a worker while it is open: 64 connections against fewer
  // workers starve, and so did a normal request behind 200 idle (slowloris) connections with 128
  // (tests/stress/test_faults.sh). Idle workers only sleep.
  std::size_t workers = 512;
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

// Runs on a worker thread, once per complete request.
using RequestHandler = std::function<Reply(CapturedRequest request)>;
// A request answered by the server itself (400 malformed, 413 too large, ...): remote may be empty.
using RejectHandler = std::function<void(int status, const std::string& remote)>;

class Listener {
public:
  Listener(ServerConfig config, const RequestHandler& on_request, const RejectHandler& on_reject);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Binds (throws Error, exit 3, when it cannot), then serves on a background thread.
  void start();
  // Stops accepting, lets requests in flight finish and be answered, joins.
  void stop();

  int port() const { return m_port; }
  std::string url() const;         // "http://127.0.0.1:8080/"
  std::string fingerprint() const; // SHA-256 of the TLS certificate, "AB:CD:..."; empty without TLS

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
