// One listener connection, plain or TLS, as cpp-httplib's Stream (ConnectionStream), and what it
// and the listener (server.cpp) share. Only net/server.cpp and net/plain_http.cpp include this.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/http.hpp"

namespace hooktool::net {

// "host:port", the host in brackets when it is an IPv6 address.
std::string join_host_port(const std::string& host, int port);
// The numeric address of an IPv4 or IPv6 socket address, its port in `port`; "" for another family.
std::string numeric_address(const sockaddr_storage& addr, int& port);
// A monotonic clock in milliseconds: deadlines of reads, handshakes and the shutdown.
std::int64_t steady_ms();

// The header lines of the request being served on this thread, as they came off the wire: the
// library's own Request keeps headers in a case-insensitive multimap (arrival order lost) and
// percent-decodes their values.
struct WireHead {
  bool valid = false;
  std::vector<Header> headers;
  std::string remote; // "ip:port" of the connection, also for a request the library could not parse
  bool body_too_large = false; // the body passed the limit while it arrived (chunked, or no length)
};

// What every connection's stream is held to, set once by the Listener.
struct StreamLimits {
  std::size_t max_body = 10 * 1024 * 1024;
  // Once the listener stops: reads give up at this steady_ms() time, so a client trickling a
  // request does not hold up the shutdown.
  const std::atomic<std::int64_t>* stop_deadline = nullptr;
};

// One connection, plain or TLS, as the library's Stream. Unlike the library's own socket stream it
//  - hands the library the request head a line at a time, keeping each header line as sent
//    (WireHead) and hiding some (hidden_from_library in connection_stream.cpp);
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
                   const StreamLimits& limits);

  const WireHead& head() const { return m_head; }
  // The head did not arrive in time, or the connection failed: no further request on it.
  bool broken() const { return m_failed < 0 || m_write_failed; }

  // Waits up to `timeout_s` for the first byte of the next request; false when the connection
  // closed, timed out, or the server is stopping.
  bool wait_for_request(int timeout_s, const std::atomic<socket_t>& server_socket);
  // The library is about to read a new request: its head is read whole first.
  void begin_request();
  // The answer the library made itself, waiting in the write buffer, closes the connection: its
  // Keep-Alive header line (the library writes one whenever it keeps a connection) becomes
  // Connection: close, and a 400 for a body that passed the limit as it arrived becomes 413.
  void announce_close();
  // Sends what was written; false when the connection failed.
  bool flush();

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, std::size_t size) override;
  ssize_t write(const char* ptr, std::size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return m_fd; }

private:
  enum class Framing { None, Length, Chunked };

  ssize_t receive(char* ptr, std::size_t size, std::int64_t deadline,
                  const std::atomic<socket_t>* server_socket);
  void next_head_line();
  void refuse_head();
  std::optional<Framing> body_framing() const;
  bool count_body(std::size_t n);

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

} // namespace hooktool::net
