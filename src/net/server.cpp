// The listener (see server.hpp).
#include "net/server.hpp"

#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/bytes.hpp"
#include "core/error.hpp"

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

CapturedRequest capture(const httplib::Request& req) {
  CapturedRequest out;
  out.received_ms = now_ms();
  out.remote = join_host_port(req.remote_addr, req.remote_port);
  out.method = req.method;
  const auto q = req.target.find('?');
  out.path = req.target.substr(0, q);
  if (q != std::string::npos) out.query = req.target.substr(q + 1);
  out.http_version = req.version;
  // cpp-httplib keeps headers grouped by name (case-insensitive order); repeated headers stay in
  // arrival order.
  for (const auto& [name, value] : req.headers)
    if (!is_library_header(name)) out.headers.push_back({name, value});
  out.body = req.body;
  return out;
}

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

std::string sha256_fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%s%02X", i ? ":" : "", md[i]);
    out += hex;
  }
  return out;
}

// A P-256 key and a certificate for localhost, 127.0.0.1, ::1 and the host listened on, valid
// for 30 days.
std::pair<X509Ptr, KeyPtr> make_self_signed(const std::string& host) {
  KeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  if (!key || !cert) throw Error("cannot make a TLS key (--tls)", kExitNetwork);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(now_ms() / 1000));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  if (host != "127.0.0.1" && host != "::1" && host != "localhost" && !host.empty() &&
      host != "0.0.0.0" && host != "::")
    san += (host.find_first_not_of("0123456789.:") == std::string::npos ? ",IP:" : ",DNS:") + host;
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
  if (!ext) throw Error("cannot make a TLS certificate for " + host + " (--tls)", kExitNetwork);
  X509_add_ext(cert.get(), ext, -1);
  X509_EXTENSION_free(ext);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    throw Error("cannot sign the TLS certificate (--tls)", kExitNetwork);
  return {std::move(cert), std::move(key)};
}

X509Ptr read_certificate(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (!f) throw Error("cannot read certificate " + path + " (--cert)");
  X509Ptr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  if (!cert) throw Error(path + " is not a PEM certificate (--cert)");
  return cert;
}

} // namespace

struct Listener::Impl {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::atomic<bool> served{false}; // listen_after_bind() returned
  int socket = -1;                 // the listening socket
  std::string fingerprint;
  bool running = false;
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
      m_impl->server = std::make_unique<httplib::SSLServer>(cert.get(), key.get());
    } else {
      m_impl->fingerprint = sha256_fingerprint(read_certificate(m_config.cert_file).get());
      m_impl->server = std::make_unique<httplib::SSLServer>(m_config.cert_file.c_str(),
                                                            m_config.key_file.c_str());
    }
    if (!m_impl->server->is_valid())
      throw Error("cannot use " + m_config.cert_file + " with key " + m_config.key_file +
                  ": they do not match or are unreadable (--cert-key)");
  } else {
    m_impl->server = std::make_unique<httplib::Server>();
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
  auto handler = [on_request](const httplib::Request& req, httplib::Response& res) {
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
    if (!t_handled && on_reject)
      on_reject(res.status, req.remote_addr.empty()
                                ? std::string()
                                : join_host_port(req.remote_addr, req.remote_port));
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
