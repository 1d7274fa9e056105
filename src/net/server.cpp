// The listener (see server.hpp).
#include "net/server.hpp"

#include <fcntl.h>
#include <httplib.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <limits>
#include <thread>

#include "core/util/bytes.hpp"
#include "core/util/clock.hpp"
#include "core/util/error.hpp"
#include "core/util/http.hpp"
#include "net/certificate.hpp"
#include "net/connection_stream.hpp"
#include "net/plain_http.hpp"

namespace hooktool::net {

namespace {

// cpp-httplib adds these to the request headers itself.
bool is_library_header(const std::string& name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

// The wire head of the request being served on this thread (ConnectionStream::head()).
thread_local const WireHead* t_wire_head = nullptr;
// Set when the library answered the request on this thread itself (400, 413, ...): its framing
// cannot be trusted, so the connection closes after the answer instead of reading what follows
// as another request.
thread_local bool t_library_answered = false;

CapturedRequest capture(const httplib::Request& req) {
  CapturedRequest out;
  out.received_ms = now_ms(); // the one clock (core/util): HOOKTOOL_NOW pins it
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
      t_library_answered = true; // half-close and drain what the client still sends
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

// Long (about 85 lines) because it wires the library in one place, in the order it needs: the TLS
// or plain server, the handler, the logger that reports what the library answered itself, the
// limits.
Listener::Listener(ServerConfig config, const RequestHandler& on_request,
                   const RejectHandler& on_reject)
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
