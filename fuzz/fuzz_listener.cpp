// Fuzzes the listener with raw request bytes: the real net::Listener (as `listen` runs it) is
// started once in-process on 127.0.0.1:0; each input is written to a fresh loopback connection (in
// two writes when its length is odd, so a head also arrives in pieces), the write side is shut,
// and the answer is read until the server closes. Then what the listener handed to its handler
// must be exactly the requests a strict parser (core/util/http_parse over the whole input, one
// request after another) reads in the bytes: the same methods, targets, headers and bodies, none
// more and none fewer. A difference is a request the socket path frames differently, the way
// requests are smuggled.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/util/http_parse.hpp"
#include "net/server.hpp"

namespace {

constexpr std::size_t kMaxBody = 64 * 1024;

// What the handler was given, by the connection's remote address.
std::mutex g_mutex;
std::map<std::string, std::vector<hooktool::CapturedRequest>> g_received;

struct Expected {
  std::string method, target;
  std::vector<hooktool::Header> headers;
  std::string body;
};

// The requests a strict parser reads in `bytes`, one after another, up to the first that is
// refused or incomplete, or one after which the connection closes.
std::vector<Expected> strict_requests(std::string_view bytes) {
  std::vector<Expected> out;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    hooktool::RequestHead head;
    const auto r = hooktool::parse_request_head(bytes.substr(pos), {}, head);
    if (r.state != hooktool::ParseState::Complete) break;
    pos += r.size;
    std::string body;
    if (head.framing == hooktool::BodyFraming::Length) {
      if (head.content_length > kMaxBody || bytes.size() - pos < head.content_length) break;
      body = std::string(bytes.substr(pos, head.content_length));
      pos += head.content_length;
    } else if (head.framing == hooktool::BodyFraming::Chunked) {
      hooktool::ChunkedDecoder decoder;
      const auto step = decoder.feed(bytes.substr(pos), body, kMaxBody);
      if (step.state != hooktool::ParseState::Complete) break;
      pos += step.consumed;
    }
    out.push_back({head.method, head.target, head.headers, body});
    if (!head.keep_alive) break;
  }
  return out;
}

bool same(const Expected& e, const hooktool::CapturedRequest& r) {
  if (e.method != r.method || e.target != r.target() || e.body != r.body ||
      e.headers.size() != r.headers.size())
    return false;
  for (std::size_t i = 0; i < e.headers.size(); ++i)
    if (e.headers[i].name != r.headers[i].name || e.headers[i].value != r.headers[i].value)
      return false;
  return true;
}

hooktool::net::Listener& listener() {
  static std::unique_ptr<hooktool::net::Listener> instance = [] {
    hooktool::net::ServerConfig config;
    config.max_body = kMaxBody;
    config.read_timeout_s = 1;
    config.keep_alive_s = 1;
    auto l = std::make_unique<hooktool::net::Listener>(
        config,
        [](hooktool::CapturedRequest request) {
          {
            std::lock_guard<std::mutex> lock(g_mutex);
            g_received[request.remote].push_back(request);
          }
          hooktool::net::Reply reply;
          reply.body = request.method + " " + request.target() + "\n";
          reply.content_type = "text/plain";
          return reply;
        },
        [](int, const std::string&, const std::string&) {});
    l->start();
    return l;
  }();
  return *instance;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int port = listener().port();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) std::abort();
  timeval timeout{2, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Closing with a reset leaves no TIME_WAIT behind: thousands of connections a second would
  // otherwise run out of ephemeral ports (EADDRNOTAVAIL), which is not the listener's fault.
  linger reset{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (errno == ECONNREFUSED) std::abort(); // the listener is gone
    close(fd);
    return 0;
  }
  sockaddr_in self{};
  socklen_t len = sizeof self;
  getsockname(fd, reinterpret_cast<sockaddr*>(&self), &len);
  const std::string remote = "127.0.0.1:" + std::to_string(ntohs(self.sin_port));
  std::size_t sent = 0;
  const std::size_t first = size % 2 == 1 ? size / 2 : size;
  bool broken = false;
  for (const std::size_t end : {first, size}) {
    while (sent < end) {
      auto n = send(fd, data + sent, end - sent, MSG_NOSIGNAL);
      if (n <= 0) { // the server may answer and close before reading everything
        broken = true;
        break;
      }
      sent += static_cast<std::size_t>(n);
    }
    if (broken) break;
    if (end < size) std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
  shutdown(fd, SHUT_WR);
  char buffer[4096];
  bool timed_out = false;
  for (;;) {
    const auto n = recv(fd, buffer, sizeof buffer, 0);
    if (n > 0) continue;
    timed_out = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    break;
  }
  close(fd);
  std::vector<hooktool::CapturedRequest> received;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    received = std::move(g_received[remote]);
    g_received.erase(remote);
  }
  // A send the server cut short, or an answer that never ended: the bytes it read are unknown.
  if (broken || timed_out) return 0;
  const auto expected =
      strict_requests(std::string_view(reinterpret_cast<const char*>(data), size));
  if (expected.size() != received.size()) {
    std::fprintf(stderr, "the listener read %zu requests, the strict parser %zu\n", received.size(),
                 expected.size());
    std::abort();
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (!same(expected[i], received[i])) {
      std::fprintf(stderr, "request %zu differs: %s %s vs %s %s\n", i + 1,
                   expected[i].method.c_str(), expected[i].target.c_str(),
                   received[i].method.c_str(), received[i].target().c_str());
      std::abort();
    }
  }
  return 0;
}
