// hooktool listen, what its files share: the options, the session the worker threads share, and
// what each file gives the others. listen.cpp: options, setup and the run loop (signals, stopping);
// listen_handle.cpp: one request, inspected, answered and reported; listen_output.cpp: the printer
// thread, the record file and the summary.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli/common.hpp"
#include "core/show/capture.hpp"
#include "core/show/render.hpp"
#include "core/signature/signature.hpp"
#include "net/server.hpp"

namespace hooktool::cli::listening {

struct ListenOptions {
  std::string address = ":8080";
  SchemeOptions scheme;
  KeyOptions key;
  PublicKeyOptions public_key;
  std::string tolerance;
  bool compact = false;
  bool json = false;
  int status = 200;
  std::string response_body;
  std::vector<std::string> response_headers;
  std::string delay;
  std::int64_t fail_first = 0;
  std::string fail_rate;
  std::string forward;
  std::string forward_timeout = "30s";
  std::vector<std::string> routes;
  std::string port_file;
  bool tls = false;
  std::string cert;
  std::string cert_key;
  std::string record;
  std::int64_t count = 0;
  std::string timeout;
  std::string max_body = "10MiB";
};

// Writes stdout and stderr text, each on a thread of its own, so that a slow terminal or pipe
// never holds up a request, nor a stalled stdout the messages on stderr. Each queue is bounded in
// bytes: a hook that does not fit is dropped whole (never half of one), counted, and said on stderr
// once stdout has caught up ("12 hooks not shown: stdout is not keeping up") and in the summary.
// The record file is written apart (Recorder), so it stays complete whatever stdout does.
class Printer {
public:
  // Bytes queued or being written at most; a hook bigger than this is taken when nothing is.
  // 16 MiB: 50,000 --json or --compact lines, a second or more of the printer thread not running
  // at the rate the listener answers, so a file or a fast pipe never loses one; a slow terminal
  // is at most a few seconds behind; and 3% of the 512 MiB the listener may take under attack.
  static constexpr std::size_t kOutLimit = 16u << 20;
  // Messages are a line each (a refused request, a record that failed): 2,500 of them.
  static constexpr std::size_t kErrLimit = 256u << 10;

  // on_closed: stdout's reader went away (EPIPE, `listen | head`): listening ends, quietly.
  explicit Printer(std::function<void()> on_closed, std::size_t out_limit = kOutLimit,
                   std::size_t err_limit = kErrLimit);
  ~Printer() { close(); }
  Printer(const Printer&) = delete;
  Printer& operator=(const Printer&) = delete;

  void out(std::string hook) { push(m_out, std::move(hook), true); } // one hook's text, whole
  void err(std::string line) { push(m_err, std::move(line), true); }
  // Writes what is queued, then stops.
  void close();

  struct Counts {
    std::uint64_t not_shown = 0;     // hooks dropped: stdout was not keeping up
    std::uint64_t not_written = 0;   // hooks after stdout failed (EPIPE excepted), that one too
    std::uint64_t messages_lost = 0; // stderr lines dropped: stderr was not keeping up
    int stdout_error = 0;            // errno of the write to stdout that failed, or 0
  };
  Counts counts();

private:
  struct Lane {
    Lane(int stream, std::size_t bytes) : fd(stream), limit(bytes) {}
    int fd;
    std::size_t limit;
    std::deque<std::string> queue;
    std::size_t pending = 0; // bytes queued or being written
    std::uint64_t dropped = 0;
    std::uint64_t unsaid = 0; // dropped since the last "not shown" note
    std::uint64_t failed = 0; // not written: the stream had failed
    int error = 0;            // errno of the write that failed
    bool closing = false;
    bool idle = false; // its thread waits for text: a push wakes it
    std::condition_variable wake;
  };
  // bounded: dropped when the lane is full (the printer's own notes are not).
  void push(Lane& lane, std::string text, bool bounded);
  void loop(Lane& lane);
  // Writes `data` (`items` texts) to the lane's stream, or counts them lost once it has failed.
  void write(Lane& lane, const std::string& data, std::size_t items);

  std::function<void()> m_on_closed;
  std::mutex m_mutex; // guards both lanes
  Lane m_out;
  Lane m_err;
  std::thread m_out_thread; // last: started once the members they use are
  std::thread m_err_thread;
};

// Appends whole lines to the record file, one write(2) each, so a line is on disk (or at least in
// the kernel) before the sender gets its answer.
class Recorder {
public:
  explicit Recorder(const std::string& path);
  ~Recorder();
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  // Returns an error message, or "" when the line was written. A line that could not be written
  // whole (disk full, a file size limit) is cut off again, so the file holds whole lines only.
  std::string write(const std::string& line);

private:
  std::string m_path;
  int m_fd = -1;
  std::mutex m_mutex;
};

struct Route {
  std::string prefix;
  std::string url;
};

// Everything the worker threads share while listening.
struct Session {
  const ListenOptions* opts = nullptr;
  bool color = false;
  bool tls = false; // the listener speaks HTTPS: received requests are https:// ones
  TextCut cut;      // long text bodies on a terminal
  std::optional<Scheme> scheme;
  std::string secret;
  KeyFormat key_format = KeyFormat::Raw;
  std::optional<std::int64_t> tolerance_s;
  net::Reply reply;
  std::int64_t delay_ms = 0;
  std::int64_t forward_timeout_ms = 30'000;
  double fail_rate = 0;
  std::vector<Route> routes; // longest prefix first; --forward is the "" prefix
  std::unique_ptr<Recorder> recorder;
  std::unique_ptr<Printer> printer;

  std::atomic<std::uint64_t> seq{0};
  std::mutex mutex; // guards what follows
  std::map<int, std::uint64_t> by_status;
  std::uint64_t handled = 0, rejected = 0, valid = 0, invalid = 0;
  bool done = false; // --count reached, or stdout closed
  bool record_failed = false;
  bool stopping = false; // the listener is stopping: --delay waits end
  std::condition_variable stop_wake;
  std::mt19937 random{std::random_device{}()};

  void finish() { // the main thread sees it within one poll
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
};

// One request: inspected (its verdict, its event), answered (recorded, delayed, failed on purpose
// or relayed to the app) and reported (printed and counted). Called on the listener's threads.
net::Reply handle(Session& s, CapturedRequest request);
// A request the listener refused before it was read whole (413, 400, ...): counted and said.
void reject(Session& s, int status, const std::string& remote, const std::string& reason);
// Whether handling the request waits (a --delay, a --route or --forward relay).
bool may_wait(const Session& s, const CapturedRequest& request);

// "hooktool: N requests in T s: N answered 200, ...; verdicts: ..." for stderr.
std::string summary(Session& s, double seconds);
// Straight to file descriptor 2 (see listen_output.cpp).
void write_stderr(const std::string& text);

} // namespace hooktool::cli::listening
