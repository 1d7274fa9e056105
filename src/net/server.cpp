// The listener (see server.hpp): a few event loops, each an epoll set of non-blocking connections
// (net/http_connection) on a thread of its own, all accepting from one listening socket; workers
// for the handlers that may block.
//
// Why epoll by hand rather than a library: the listener runs on Linux only (Debian packages), the
// whole loop is the two hundred lines below, and the connection's state machine, which any library
// would have left to us as well, is where the work is. cpp-httplib's server is one thread per
// connection (the root of issue 12's first six rows); Asio would have given the same loop behind
// templates that cost more to compile than the rest of net/, and libevent a C API to wrap.
#include "net/server.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "net/certificate.hpp"
#include "net/http_connection.hpp"

namespace hooktool::net {

constexpr std::uint64_t kListenId = 0;
constexpr std::uint64_t kWakeId = 1;
constexpr int kSweepMs = 100;                // deadlines are checked this often
constexpr std::int64_t kAcceptPauseMs = 100; // out of file descriptors: accepting waits this long

// Threads for the handlers that may block: one is made when a job finds none idle, and kept until
// the listener stops.
class ListenerWorkers {
public:
  explicit ListenerWorkers(std::size_t max) : m_max(max) {}
  ~ListenerWorkers() { stop(); }
  ListenerWorkers(const ListenerWorkers&) = delete;
  ListenerWorkers& operator=(const ListenerWorkers&) = delete;

  void submit(std::function<void()> job) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_jobs.push_back(std::move(job));
    if (m_idle < m_jobs.size() && m_threads.size() < m_max) {
      try {
        m_threads.emplace_back([this] { run(); });
        return;
      } catch (const std::system_error&) { // no more threads: the job waits for one
      }
    }
    m_cv.notify_one();
  }

  // Runs what was submitted, then joins.
  void stop() {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_stopping = true;
    }
    m_cv.notify_all();
    for (auto& t : m_threads)
      t.join();
    m_threads.clear();
  }

private:
  void run() {
    std::unique_lock<std::mutex> lock(m_mutex);
    for (;;) {
      ++m_idle;
      m_cv.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
      --m_idle;
      if (m_jobs.empty()) return;
      auto job = std::move(m_jobs.front());
      m_jobs.pop_front();
      lock.unlock();
      job();
      lock.lock();
    }
  }

  std::size_t m_max;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<std::function<void()>> m_jobs;
  std::vector<std::thread> m_threads;
  std::size_t m_idle = 0;
  bool m_stopping = false;
};

struct Listener::Impl {
  ServerConfig* config = nullptr;
  RequestHandler on_request;
  RejectHandler on_reject;
  ConnectionRules rules;
  SSL_CTX* tls = nullptr;
  std::string fingerprint;
  std::string open_file_note;
  int listen_fd = -1;
  std::atomic<bool> stopping{false};
  std::atomic<std::int64_t> grace{0};
  std::unique_ptr<ListenerWorkers> workers;
  class Loop;
  std::vector<std::unique_ptr<Loop>> loops;
  std::vector<std::thread> threads;
  bool running = false;

  ~Impl() {
    if (tls) SSL_CTX_free(tls);
    if (listen_fd >= 0) ::close(listen_fd);
  }

  Reply call(CapturedRequest request) const {
    try {
      return on_request(std::move(request));
    } catch (const std::exception&) {
      Reply reply;
      reply.status = 500;
      reply.body = "hooktool could not handle this request\n";
      return reply;
    }
  }
};

// One event loop: its connections, keyed by an id of the loop's own (a worker's answer finds its
// connection by id, or nothing when it has gone).
class Listener::Impl::Loop {
public:
  explicit Loop(Impl& impl) : m_impl(impl) {
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_wake = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_epoll < 0 || m_wake < 0) throw Error("cannot start the listener: epoll", kExitNetwork);
    add(m_wake, kWakeId, EPOLLIN);
    listen_on();
  }
  ~Loop() {
    m_conns.clear();
    if (m_wake >= 0) ::close(m_wake);
    if (m_epoll >= 0) ::close(m_epoll);
  }
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  void wake() {
    const std::uint64_t one = 1;
    (void)!::write(m_wake, &one, sizeof one);
  }

  void post(std::uint64_t id, Reply reply) {
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      m_answers.emplace_back(id, std::move(reply));
    }
    wake();
  }

  void run() {
    epoll_event events[256];
    std::int64_t last_sweep = steady_ms();
    bool stopping = false;
    for (;;) {
      if (stopping && m_conns.empty() && m_pending == 0) return;
      const int n = ::epoll_wait(m_epoll, events, 256, kSweepMs);
      const std::int64_t now = steady_ms();
      for (int i = 0; i < n; ++i) {
        const std::uint64_t id = events[i].data.u64;
        if (id == kListenId) {
          accept_all(now);
        } else if (id == kWakeId) {
          answers(now);
        } else if (auto it = m_conns.find(id); it != m_conns.end()) {
          it->second.conn->drive(now);
          settle(id, now);
        }
      }
      if (!stopping && m_impl.stopping) {
        stopping = true;
        if (m_listening) ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, m_impl.listen_fd, nullptr);
        m_listening = false;
        for_each_connection([&](Connection& c) { c.stop(now, m_impl.grace); });
      }
      if (now - last_sweep >= kSweepMs) {
        last_sweep = now;
        for_each_connection([now](Connection& c) {
          if (c.deadline() <= now) c.expire(now);
        });
        if (!stopping && !m_listening && now >= m_resume_accept) listen_on();
      }
    }
  }

private:
  struct Entry {
    std::unique_ptr<Connection> conn;
    std::uint32_t mask = 0;
    bool registered = false;
  };

  void add(int fd, std::uint64_t id, std::uint32_t mask) {
    epoll_event ev{};
    ev.events = mask;
    ev.data.u64 = id;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
  }

  void listen_on() {
    add(m_impl.listen_fd, kListenId, EPOLLIN | EPOLLEXCLUSIVE);
    m_listening = true;
  }

  template <typename F> void for_each_connection(F f) {
    std::vector<std::uint64_t> ids;
    ids.reserve(m_conns.size());
    for (auto& [id, entry] : m_conns)
      ids.push_back(id);
    const std::int64_t now = steady_ms();
    for (const auto id : ids) {
      auto it = m_conns.find(id);
      if (it == m_conns.end()) continue;
      f(*it->second.conn);
      settle(id, now);
    }
  }

  void accept_all(std::int64_t now) {
    for (int i = 0; i < 64; ++i) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int fd = ::accept4(m_impl.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                               SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          // Out of descriptors: the backlog holds the rest until some connections have closed.
          ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, m_impl.listen_fd, nullptr);
          m_listening = false;
          m_resume_accept = now + kAcceptPauseMs;
        }
        return;
      }
      int yes = 1; // Nagle's algorithm against the client's delayed ACK: 40 ms an answer
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
      int port = 0;
      std::string remote = numeric_address(addr, port);
      remote = join_host_port(remote, port);
      sockaddr_storage self{};
      len = sizeof self;
      std::string local;
      if (::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len) == 0) {
        local = numeric_address(self, port);
        local = join_host_port(local, port);
      }
      const std::uint64_t id = m_next_id++;
      Entry& entry = m_conns[id];
      entry.conn =
          std::make_unique<Connection>(fd, std::move(remote), std::move(local), m_impl.rules, now);
      entry.conn->drive(now);
      settle(id, now);
    }
  }

  void answers(std::int64_t now) {
    std::uint64_t count;
    (void)!::read(m_wake, &count, sizeof count);
    std::deque<std::pair<std::uint64_t, Reply>> done;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      done.swap(m_answers);
    }
    for (auto& [id, reply] : done) {
      --m_pending;
      if (auto it = m_conns.find(id); it != m_conns.end()) {
        it->second.conn->answer(reply, now);
        settle(id, now);
      }
    }
  }

  // After a connection was driven: what it refused is reported, a request it read is handled, and
  // its place in the epoll set follows what it waits for.
  void settle(std::uint64_t id, std::int64_t now) {
    auto it = m_conns.find(id);
    if (it == m_conns.end()) return;
    Entry& entry = it->second;
    Connection& c = *entry.conn;
    for (const auto& r : c.take_rejections())
      if (m_impl.on_reject) m_impl.on_reject(r.status, c.remote(), r.reason);
    if (std::string note = c.take_plain_note(); !note.empty() && m_impl.config->on_plain_http)
      m_impl.config->on_plain_http(note);
    while (auto request = c.take_request()) {
      const auto& may_block = m_impl.config->may_block;
      if (may_block && may_block(*request)) {
        ++m_pending;
        m_impl.workers->submit(
            [this, id, r = std::move(*request)]() mutable { post(id, m_impl.call(std::move(r))); });
      } else {
        c.answer(m_impl.call(std::move(*request)), now);
      }
    }
    if (c.closed()) { // its descriptor closed: the epoll set has dropped it
      m_conns.erase(it);
      return;
    }
    const int fd = c.fd();
    if (c.handling()) { // nothing to wait for until the answer (a reset must not spin the loop)
      if (entry.registered) ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
      entry.registered = false;
      return;
    }
    // No EPOLLRDHUP: a client that half-closed while its answer is written would wake the loop
    // again and again; its end is read as the end (EPOLLIN) when the connection reads again.
    const std::uint32_t mask = (c.wants_read() ? EPOLLIN : 0u) | (c.wants_write() ? EPOLLOUT : 0u) |
                               (c.wants_edge() ? EPOLLET : 0u);
    if (entry.registered && mask == entry.mask) return;
    epoll_event ev{};
    ev.events = mask;
    ev.data.u64 = id;
    ::epoll_ctl(m_epoll, entry.registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
    entry.mask = mask;
    entry.registered = true;
  }

  Impl& m_impl;
  int m_epoll = -1;
  int m_wake = -1;
  bool m_listening = false;
  std::int64_t m_resume_accept = 0;
  std::uint64_t m_next_id = 2;
  std::unordered_map<std::uint64_t, Entry> m_conns;
  int m_pending = 0; // requests with the workers
  std::mutex m_mutex;
  std::deque<std::pair<std::uint64_t, Reply>> m_answers;
};

namespace {

SSL_CTX* make_tls_context(const ServerConfig& config, std::string& fingerprint) {
  if (config.cert_file.empty() != config.key_file.empty())
    throw Error(
        "give both --cert and --cert-key, or neither for a self-signed certificate (--cert)");
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) throw Error("cannot set up TLS (OpenSSL)", kExitNetwork);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  // Partial writes: an answer goes out as the socket takes it; idle connections keep no buffers.
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  bool ok;
  if (config.cert_file.empty()) {
    auto [cert, key] = make_self_signed(config.host);
    fingerprint = sha256_fingerprint(cert.get());
    ok = SSL_CTX_use_certificate(ctx, cert.get()) == 1 &&
         SSL_CTX_use_PrivateKey(ctx, key.get()) == 1;
  } else {
    fingerprint = sha256_fingerprint(read_certificate(config.cert_file).get());
    ok = SSL_CTX_use_certificate_chain_file(ctx, config.cert_file.c_str()) == 1 &&
         SSL_CTX_use_PrivateKey_file(ctx, config.key_file.c_str(), SSL_FILETYPE_PEM) == 1 &&
         SSL_CTX_check_private_key(ctx) == 1;
  }
  ERR_clear_error();
  if (!ok) {
    SSL_CTX_free(ctx);
    throw Error("cannot use " + config.cert_file + " with key " + config.key_file +
                ": they do not match or are unreadable (--cert-key)");
  }
  return ctx;
}

// Raises the soft open-file limit to the hard one: each connection is a descriptor.
std::string raise_open_files() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return "open-file limit unknown";
  const rlim_t before = limit.rlim_cur;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) == 0)
      return "open-file limit raised from " + std::to_string(before) + " to " +
             std::to_string(limit.rlim_cur) + " (connections at once)";
  }
  return "open-file limit " + std::to_string(before) + " (connections at once; the hard limit)";
}

int bind_socket(const ServerConfig& config) {
  const std::string where = join_host_port(config.host, config.port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(config.port);
  if (::getaddrinfo(config.host.c_str(), port.c_str(), &hints, &found) != 0 || !found)
    throw Error("cannot listen on " + where + ": not an address of this machine (address)",
                kExitNetwork);
  int fd = -1;
  for (addrinfo* a = found; a && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int yes = 1; // not SO_REUSEPORT: two listeners must not share a port silently
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, SOMAXCONN) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0)
    throw Error("cannot listen on " + where +
                    ": in use, or not an address of this machine (address)",
                kExitNetwork);
  return fd;
}

} // namespace

Listener::Listener(ServerConfig config, const RequestHandler& on_request,
                   const RejectHandler& on_reject)
    : m_impl(std::make_unique<Impl>()), m_config(std::move(config)) {
  Impl& impl = *m_impl;
  impl.config = &m_config;
  impl.on_request = on_request;
  impl.on_reject = on_reject;
  if (m_config.tls) impl.tls = make_tls_context(m_config, impl.fingerprint);
  impl.rules.max_body = m_config.max_body;
  impl.rules.read_timeout_ms = static_cast<std::int64_t>(m_config.read_timeout_s) * 1000;
  impl.rules.keep_alive_ms = static_cast<std::int64_t>(m_config.keep_alive_s) * 1000;
  impl.rules.tls = impl.tls;
}

Listener::~Listener() { stop(); }

void Listener::start() {
  Impl& impl = *m_impl;
  impl.open_file_note = raise_open_files();
  impl.listen_fd = bind_socket(m_config);
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  ::getsockname(impl.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  numeric_address(addr, m_port);
  impl.workers = std::make_unique<ListenerWorkers>(m_config.max_workers);
  std::size_t loops = m_config.loops;
  if (loops == 0)
    loops = std::clamp<std::size_t>(std::thread::hardware_concurrency(), std::size_t{1},
                                    std::size_t{4});
  for (std::size_t i = 0; i < loops; ++i)
    impl.loops.push_back(std::make_unique<Impl::Loop>(impl));
  for (auto& loop : impl.loops)
    impl.threads.emplace_back([l = loop.get()] { l->run(); });
  impl.running = true;
}

void Listener::stop() {
  Impl& impl = *m_impl;
  if (!impl.running) return;
  impl.running = false;
  impl.grace = steady_ms() + m_config.stop_grace_ms;
  impl.stopping = true;
  for (auto& loop : impl.loops)
    loop->wake();
  for (auto& t : impl.threads)
    t.join();
  impl.threads.clear();
  impl.workers->stop();
  impl.loops.clear();
  ::close(impl.listen_fd);
  impl.listen_fd = -1;
}

std::string Listener::url() const {
  std::string host = m_config.host;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  return std::string(m_config.tls ? "https" : "http") + "://" + join_host_port(host, m_port) + "/";
}

std::string Listener::fingerprint() const { return m_impl->fingerprint; }

std::string Listener::open_file_note() const { return m_impl->open_file_note; }

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
