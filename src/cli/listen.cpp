// hooktool listen: a local listener that shows every hook as it arrives, checks its signature,
// answers as told (or as the user's app answers), and records it. This file: the options, the
// session they make, and the run loop (signals, --timeout, stopping); one request is handled in
// listen_handle.cpp, the output threads and the summary are in listen_output.cpp.
#include <pthread.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/listen.hpp"
#include "core/show/render.hpp"
#include "core/util/bytes.hpp"
#include "core/util/clock.hpp"
#include "core/util/error.hpp"
#include "core/vendor/vendor.hpp"
#include "net/forward.hpp"
#include "net/server.hpp"

namespace hooktool::cli {

namespace listening {

namespace {

constexpr std::int64_t kMaxDelayMs = 3'600'000;

std::int64_t duration_option(const std::string& text, const char* flag) {
  if (text.empty()) return 0;
  auto ms = parse_duration_ms(text);
  if (!ms || *ms < 0)
    throw Error("'" + text + "' is not a duration like 500ms, 2s or 1m (" + flag + ")");
  return *ms;
}

void prepare(Session& s, const ListenOptions& opts) {
  s.opts = &opts;
  if (opts.scheme.scheme.empty() && opts.scheme.vendor.empty() &&
      (!opts.key.key.empty() || !opts.key.key_file.empty() || public_key_given(opts.public_key)))
    throw Error("a key without a scheme checks nothing: add --vendor NAME or --scheme NAME "
                "(see 'hooktool schemes') (--key)");
  if (!opts.scheme.scheme.empty() || !opts.scheme.vendor.empty()) {
    const Catalog catalog = Catalog::with_files(opts.scheme.vendor_files);
    const VendorProfile* vendor =
        opts.scheme.vendor.empty() ? nullptr : &catalog.get(opts.scheme.vendor, "--vendor");
    if (vendor && vendor->scheme.empty() && opts.scheme.scheme.empty()) {
      note(vendor->title + " does not sign its hooks: no verdicts, events only (--vendor)");
    } else {
      s.scheme = scheme_for_receiver(resolve_scheme(opts.scheme), opts.public_key, opts.key);
      s.key_format = resolve_key_format(opts.key, *s.scheme);
      if (s.scheme->signer == Signer::Ed25519 && public_key_given(opts.public_key)) {
        s.secret = read_public_key(opts.public_key); // verify() checks with the public key
      } else if (s.scheme->signer == Signer::Ed25519) {
        note("no public key given: events are named, signatures not checked (--public-key or "
             "--public-key-file to check " +
             s.scheme->name + ")");
      } else if (key_given(opts.key)) {
        s.secret = read_secret(opts.key, false);
        derive_key(s.key_format, s.secret); // a key that cannot be decoded fails now
      } else {
        const std::string why = "(--key, --key-file or HOOKTOOL_KEY to check " + s.scheme->name;
        note("no key given: events are named, signatures not checked " + why + ")");
      }
    }
  }
  s.tolerance_s = tolerance_option(opts.tolerance);
  s.delay_ms = duration_option(opts.delay, "--delay");
  if (s.delay_ms > kMaxDelayMs) throw Error("'" + opts.delay + "' is longer than 1h (--delay)");
  s.forward_timeout_ms = duration_option(opts.forward_timeout, "--forward-timeout");
  if (s.forward_timeout_ms < 1 || s.forward_timeout_ms > kMaxDelayMs)
    throw Error("'" + opts.forward_timeout +
                "' is not a time-out from 1ms to 1h (--forward-timeout)");
  if (opts.fail_first < 0) throw Error("--fail-first takes a count, 0 or more (--fail-first)");
  if (!opts.fail_rate.empty()) {
    std::string text = opts.fail_rate;
    const bool percent = ends_with(text, "%");
    if (percent) text.pop_back();
    char* end = nullptr;
    double rate = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !(rate >= 0 && rate <= (percent ? 100 : 1)))
      throw Error("'" + opts.fail_rate + "' is not a rate like 0.25 or 25% (--fail-rate)");
    s.fail_rate = percent ? rate / 100 : rate;
  }
  s.reply.status = opts.status;
  for (const auto& line : opts.response_headers) {
    Header h = parse_header_line(line, "--response-header");
    if (iequals(h.name, "Content-Type"))
      s.reply.content_type = h.value;
    else
      s.reply.headers.push_back(std::move(h));
  }
  if (!opts.response_body.empty()) {
    if (opts.response_body.front() == '@') {
      std::ifstream in(opts.response_body.substr(1), std::ios::binary);
      if (!in) throw Error("cannot read " + opts.response_body.substr(1) + " (--response-body)");
      std::ostringstream buffer;
      buffer << in.rdbuf();
      s.reply.body = buffer.str();
    } else {
      s.reply.body = opts.response_body;
    }
    if (s.reply.content_type.empty())
      s.reply.content_type =
          classify_body(s.reply.body, "") == BodyKind::Json ? "application/json" : "text/plain";
  }
  for (const auto& route : opts.routes) {
    const auto eq = route.find('=');
    if (eq == std::string::npos || eq == 0 || route.front() != '/')
      throw Error("'" + route + "' is not PATH=URL with PATH starting with / (--route)");
    Route r{route.substr(0, eq), route.substr(eq + 1)};
    net::check_forward_url(r.url, "--route");
    s.routes.push_back(std::move(r));
  }
  std::sort(s.routes.begin(), s.routes.end(),
            [](const Route& a, const Route& b) { return a.prefix.size() > b.prefix.size(); });
  if (!opts.forward.empty()) {
    net::check_forward_url(opts.forward, "--forward");
    s.routes.push_back({"", opts.forward});
  }
  if (opts.count < 0) throw Error("--count takes a number of requests, 1 or more (--count)");
}

void write_port_file(const std::string& path, int port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << port << "\n";
    if (!out) throw Error("cannot write " + tmp + " (--port-file)");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0)
    throw Error("cannot write " + path + ": " + std::strerror(errno) + " (--port-file)");
}

// SIGINT, SIGTERM and SIGHUP (a closed terminal) are taken by the main thread with sigtimedwait():
// blocked here before any
// thread starts, so every thread inherits the mask; restored when listening ends.
class SignalGuard {
public:
  SignalGuard() {
    sigemptyset(&m_set);
    sigaddset(&m_set, SIGINT);
    sigaddset(&m_set, SIGTERM);
    sigaddset(&m_set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &m_set, &m_old);
  }
  ~SignalGuard() { pthread_sigmask(SIG_SETMASK, &m_old, nullptr); }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;
  // The signal that arrived within `ms`, or 0.
  int wait(int ms) const {
    timespec ts{ms / 1000, static_cast<long>(ms % 1000) * 1000000L};
    int sig = sigtimedwait(&m_set, nullptr, &ts);
    return sig > 0 ? sig : 0;
  }

private:
  sigset_t m_set{};
  sigset_t m_old{};
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Quits now, on a signal while the listener was stopping: what is queued for stdout gets a
// second (a reader that stopped reading must not hold up the quit), then the summary.
[[noreturn]] void quit_now(Session& s, std::chrono::steady_clock::time_point started, int signal) {
  std::atomic<bool> flushed{false};
  std::thread([&s, &flushed] {
    s.printer->close();
    flushed = true;
  }).detach();
  for (int i = 0; i < 20 && !flushed; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::uint64_t in_flight = 0;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    in_flight = s.seq - s.handled;
  }
  write_stderr("hooktool: quitting without waiting for " + std::to_string(in_flight) +
               (in_flight == 1 ? " request" : " requests") + " in flight\n" +
               summary(s, seconds_since(started)));
  // The one exit below run(): the worker threads cannot be joined while they serve. Each record
  // line was written whole when its request was answered, so nothing recorded is lost.
  std::_Exit(128 + signal);
}

// Runs `work` on a thread of its own while this one takes signals; a signal quits now.
template <typename Work>
void finish_or_quit(Session& s, const SignalGuard& signals,
                    std::chrono::steady_clock::time_point started, Work work) {
  std::atomic<bool> finished{false};
  std::thread worker([&work, &finished] {
    work();
    finished = true;
  });
  while (!finished)
    if (const int signal = signals.wait(50)) quit_now(s, started, signal);
  worker.join();
}

int run_listen(const ListenOptions& opts, const Global& global) {
  net::ServerConfig config;
  net::parse_listen_address(opts.address, config, "address");
  auto max_body = parse_size(opts.max_body);
  if (!max_body || *max_body == 0)
    throw Error("'" + opts.max_body + "' is not a size like 10MiB, 512k or 1024 (--max-body)");
  config.max_body = *max_body;
  config.tls = opts.tls || !opts.cert.empty() || !opts.cert_key.empty();
  config.cert_file = opts.cert;
  config.key_file = opts.cert_key;
  config.on_plain_http = [](const std::string& note) {
    write_stderr("hooktool: note: " + note + "\n");
  };
  const std::int64_t timeout_ms = duration_option(opts.timeout, "--timeout");

  Session s;
  // A --delay or a relay waits: such a request gets a worker thread, the others are answered on
  // the loop that read them.
  config.may_block = [&s](const CapturedRequest& request) { return may_wait(s, request); };
  s.color = global.use_color && !opts.json;
  s.tls = config.tls;
  s.cut = global.body_cut;
  prepare(s, opts);
  if (!opts.record.empty()) s.recorder = std::make_unique<Recorder>(opts.record);

  SignalGuard signals;
  s.printer = std::make_unique<Printer>([&s] { s.finish(); });
  now_ms(); // a bad HOOKTOOL_NOW fails here, before a request arrives
  net::Listener listener(
      config, [&s](CapturedRequest request) { return handle(s, std::move(request)); },
      [&s](int status, const std::string& remote, const std::string& reason) {
        reject(s, status, remote, reason);
      });
  listener.start();
  const auto started = std::chrono::steady_clock::now();
  if (!opts.port_file.empty()) write_port_file(opts.port_file, listener.port());
  std::string banner = "hooktool: listening on " + listener.url() + "\n";
  if (config.tls)
    banner += "hooktool: TLS certificate SHA-256 fingerprint " + listener.fingerprint() + "\n";
  if (s.recorder) banner += "hooktool: recording to " + opts.record + "\n";
  if (global.verbose && s.scheme)
    banner += "hooktool: note: checking " + describe_scheme(*s.scheme) + "\n";
  if (global.verbose) banner += "hooktool: note: " + listener.open_file_note() + "\n";
  std::cerr << banner << std::flush;

  bool timed_out = false;
  int signal = 0;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(s.mutex);
      if (s.done) break;
    }
    if (timeout_ms > 0 && // in ms: a long --timeout in the clock's nanoseconds would overflow
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                              started)
                .count() >= timeout_ms) {
      timed_out = true;
      break;
    }
    if ((signal = signals.wait(50)) != 0) break;
  }
  if (signal)
    write_stderr(std::string("\nhooktool: ") +
                 (signal == SIGINT   ? "interrupted"
                  : signal == SIGHUP ? "hung up"
                                     : "terminated") +
                 ": finishing the requests in flight (again to quit now)\n");
  // Stopping waits for the requests in flight (a --forward target may take its time), and then
  // for stdout to take what is queued: a signal meanwhile quits at once.
  finish_or_quit(s, signals, started, [&s, &listener] {
    {
      std::lock_guard<std::mutex> lock(s.mutex);
      s.stopping = true;
    }
    s.stop_wake.notify_all();
    listener.stop();
  });
  finish_or_quit(s, signals, started, [&s] { s.printer->close(); });
  std::cerr << summary(s, seconds_since(started)) << std::flush;
  const int stdout_error = s.printer->counts().stdout_error;
  if (timed_out && opts.count > 0 && s.handled < static_cast<std::uint64_t>(opts.count))
    throw Error(std::to_string(s.handled) + " of " + std::to_string(opts.count) +
                    " request(s) arrived within " + opts.timeout + " (--timeout)",
                kExitCheckFailed);
  // A failed stdout was said when it failed (a closed pipe is no failure: `listen | head`).
  return stdout_error == 0 || stdout_error == EPIPE ? kExitOk : kExitUsage;
}

} // namespace

} // namespace listening

void setup_listen(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<listening::ListenOptions>();
  app.add_option(
         "address", opts->address,
         "[HOST]:PORT to listen on; :8080 is 127.0.0.1:8080, port 0 a free port (default :8080)")
      ->option_text("[HOST]:PORT");
  add_scheme_options(app, opts->scheme);
  app.remove_option(app.get_option("--timestamp")); // a request carries its own
  app.remove_option(app.get_option("--id"));
  add_key_options(app, opts->key);
  add_public_key_options(app, opts->public_key);
  app.add_option("--tolerance", opts->tolerance,
                 "Timestamp window for verdicts (default: the scheme's)")
      ->option_text("DURATION");
  app.add_flag("--compact", opts->compact, "One line per request");
  app.add_flag("--json", opts->json, "One JSON object per request on stdout (the record format)");
  add_full_option(app, global);
  app.add_option("--status", opts->status, "Answer with this status (default 200)")
      ->option_text("CODE")
      ->check(CLI::Range(100, 599));
  app.add_option("--response-body", opts->response_body, "Answer with this body, or @FILE")
      ->option_text("TEXT|@FILE");
  app.add_option("--response-header", opts->response_headers,
                 "Add 'Name: value' to answers (repeatable)")
      ->option_text("'NAME: VALUE'")
      ->allow_extra_args(false);
  app.add_option("--delay", opts->delay, "Wait this long before answering, e.g. 2s")
      ->option_text("DURATION");
  app.add_option("--fail-first", opts->fail_first, "Answer the first N requests with 500")
      ->option_text("N");
  app.add_option("--fail-rate", opts->fail_rate,
                 "Answer this share of requests with 500, e.g. 0.3 or 30%")
      ->option_text("P");
  app.add_option("--forward", opts->forward,
                 "Relay each request to your app and answer with its answer")
      ->option_text("URL");
  app.add_option("--forward-timeout", opts->forward_timeout,
                 "Answer 504 when the app has not answered in full within DURATION (default 30s)")
      ->option_text("DURATION");
  app.add_option("--route", opts->routes, "Relay requests under PATH to URL (repeatable)")
      ->option_text("PATH=URL")
      ->allow_extra_args(false);
  app.add_option("--port-file", opts->port_file, "Write the port to FILE once listening")
      ->option_text("FILE");
  app.add_flag("--tls", opts->tls, "HTTPS with a self-signed certificate made at start");
  app.add_option("--cert", opts->cert, "HTTPS with this PEM certificate (with --cert-key)")
      ->option_text("FILE");
  app.add_option("--cert-key", opts->cert_key, "The PEM private key of --cert")
      ->option_text("FILE");
  app.add_option("--record", opts->record,
                 "Append each request to FILE as one JSON line (created 0600: it holds the "
                 "Authorization and Cookie headers senders send)")
      ->option_text("FILE");
  app.add_option("--count", opts->count, "Exit 0 once N requests arrived")->option_text("N");
  app.add_option("--timeout", opts->timeout,
                 "Stop after DURATION; exit 1 if --count was not reached")
      ->option_text("DURATION");
  app.add_option("--max-body", opts->max_body, "Answer 413 to bodies above SIZE (default 10MiB)")
      ->option_text("SIZE");
  app.callback([opts, &global, &action] {
    action = [opts, &global] { return listening::run_listen(*opts, global); };
  });
}

} // namespace hooktool::cli
