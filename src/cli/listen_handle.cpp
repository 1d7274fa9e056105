// hooktool listen: one request, inspected (its verdict, its event), answered (recorded, delayed,
// failed on purpose, relayed to the app) and reported (printed, counted). See listen.hpp.
#include <chrono>
#include <exception>

#include "cli/listen.hpp"
#include "core/signature/verdict.hpp"
#include "core/util/bytes.hpp"
#include "net/content_coding.hpp"
#include "net/forward.hpp"

namespace hooktool::cli::listening {

namespace {

const Route* route_for(const Session& s, const std::string& path) {
  for (const auto& r : s.routes)
    if (r.prefix.empty() || path == r.prefix ||
        starts_with(path, r.prefix + (r.prefix.back() == '/' ? "" : "/")))
      return &r;
  return nullptr;
}

bool should_fail(Session& s, std::uint64_t seq) {
  if (seq <= static_cast<std::uint64_t>(s.opts->fail_first)) return true;
  if (s.fail_rate <= 0) return false;
  std::lock_guard<std::mutex> lock(s.mutex);
  return std::uniform_real_distribution<double>(0, 1)(s.random) < s.fail_rate;
}

// The verdict on a request's signature, when the scheme is known and the request is not a probe;
// over the body decoded too when it decoded whole (`decoded_whole`), as verify --request does.
void check_signature(const Session& s, const CapturedRequest& request, RequestOutcome& outcome,
                     bool decoded_whole) {
  const bool probe = (request.method == "GET" || request.method == "HEAD") && request.body.empty();
  bool signed_request = false;
  if (s.scheme)
    for (const auto& name : s.scheme->signature_headers)
      signed_request = signed_request || request.header(name);
  // A GET that carries no signature is a URL check (eSputnik does one when a hook is saved).
  const bool check = s.scheme && (!probe || signed_request);
  if (check && s.secret.empty()) { // the vendor signs, but no key was given
    outcome.unchecked = "no key";
    outcome.scheme = s.scheme->name;
  } else if (check) {
    SigningContext ctx;
    ctx.url = s.opts->scheme.url;
    if (ctx.url.empty() && s.scheme->needs_url()) ctx.url = signed_url(request);
    ctx.method = request.method; // for a template that signs {method}
    VerifyOptions options;
    options.now = request.received_ms / 1000;
    options.tolerance_s = s.tolerance_s;
    static const std::optional<std::string> not_decoded;
    outcome.verdict =
        verify_request(*s.scheme, s.secret, s.key_format, request.headers, ctx, request.body,
                       decoded_whole ? outcome.decoded_body : not_decoded, options);
    outcome.scheme = s.scheme->name;
  }
}

// What the request is: its number, its body decoded, its verdict, the event it names.
RequestOutcome inspect(Session& s, const CapturedRequest& request) {
  RequestOutcome outcome;
  outcome.seq = ++s.seq;
  bool cut = false; // decoded up to net::kMaxDecoded only: shown so, not checked so
  if (const std::string* coding = request.header("Content-Encoding");
      coding && !request.body.empty() && !iequals(trim(*coding), "identity")) {
    std::string why;
    if (auto decoded = net::decode_content(*coding, request.body, net::kMaxDecoded, why)) {
      cut = decoded->cut;
      outcome.decoding =
          to_lower(trim(*coding)) + (cut ? " (" + net::cut_note(net::kMaxDecoded) + ")" : "");
      outcome.decoded_body = std::move(decoded->bytes);
    } else {
      outcome.decoding = why;
    }
  }
  check_signature(s, request, outcome, !cut);
  if (!s.opts->scheme.vendor.empty()) {
    if (outcome.decoded_body) { // the decoded body (up to 16 MiB) lent to the copy, not copied
      CapturedRequest decoded = request;
      decoded.body.swap(*outcome.decoded_body);
      outcome.event = describe_event(decoded);
      decoded.body.swap(*outcome.decoded_body);
    } else {
      outcome.event = describe_event(request);
    }
  }
  return outcome;
}

// Writes the record line; false when it could not be written (said once on stderr).
bool record(Session& s, const CapturedRequest& request) {
  if (!s.recorder) return true;
  const std::string error = s.recorder->write(capture_to_line(request));
  if (error.empty()) return true;
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.record_failed) s.printer->err("hooktool: " + error + "\n");
  s.record_failed = true;
  return false;
}

net::Reply plain_reply(int status, std::string body) {
  net::Reply reply;
  reply.status = status;
  reply.content_type = "text/plain";
  reply.body = std::move(body);
  return reply;
}

// The app's answer to the request relayed to it, or 502/504 when it gave none.
net::Reply relay(Session& s, const Route& route, const CapturedRequest& request,
                 RequestOutcome& outcome) {
  std::vector<Header> headers;
  outcome.forward = net::forward_request(route.url, request, s.forward_timeout_ms, &headers);
  const ForwardOutcome& f = *outcome.forward;
  if (!f.status)
    return plain_reply(f.timed_out ? 504 : 502,
                       "hooktool: no answer from " + f.url + ": " + f.error + "\n");
  net::Reply reply;
  reply.status = f.status;
  reply.headers = std::move(headers);
  reply.content_type = f.content_type;
  reply.body = f.body;
  return reply;
}

// Records the request, waits --delay, and answers: 500 when it could not be recorded (so that the
// sender delivers it again: nothing received is lost) or when told to fail, else the app's answer
// under a --route or --forward, else the --status, --response-body and headers given.
net::Reply answer(Session& s, const CapturedRequest& request, RequestOutcome& outcome) {
  const bool recorded = record(s, request);
  if (s.delay_ms > 0) { // cut short when the listener stops: requests received are answered
    std::unique_lock<std::mutex> lock(s.mutex);
    s.stop_wake.wait_for(lock, std::chrono::milliseconds(s.delay_ms), [&s] { return s.stopping; });
  }
  net::Reply reply = s.reply;
  if (!recorded)
    reply = plain_reply(500, "hooktool: cannot record this request (--record)\n");
  else if (should_fail(s, outcome.seq))
    reply = plain_reply(500, "hooktool: failing on purpose (--fail-first, --fail-rate)\n");
  else if (const Route* route = route_for(s, request.path))
    reply = relay(s, *route, request, outcome);
  outcome.status = reply.status;
  return reply;
}

// Prints the request as asked (--json, --compact, text) and counts it; --count reached ends
// listening.
void report(Session& s, const CapturedRequest& request, const RequestOutcome& outcome) {
  try {
    if (s.opts->json)
      s.printer->out(render_request_json(request, outcome)
                         .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                     "\n");
    else if (s.opts->compact)
      s.printer->out(render_request_compact(request, outcome, s.color));
    else
      s.printer->out(render_request_text(request, outcome, s.color, s.cut));
  } catch (const std::exception& e) { // the request is answered and counted all the same
    s.printer->err("hooktool: cannot render request #" + std::to_string(outcome.seq) + ": " +
                   e.what() + "\n");
  }
  bool reached = false;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    ++s.by_status[outcome.status];
    ++s.handled;
    if (outcome.verdict) ++(outcome.verdict->valid ? s.valid : s.invalid);
    reached = s.opts->count > 0 && s.handled >= static_cast<std::uint64_t>(s.opts->count);
  }
  if (reached) s.finish();
}

} // namespace

net::Reply handle(Session& s, CapturedRequest request) {
  request.tls = s.tls; // in its record, and in the URL a scheme that signs it checks
  RequestOutcome outcome = inspect(s, request);
  net::Reply reply = answer(s, request, outcome);
  report(s, request, outcome);
  return reply;
}

bool may_wait(const Session& s, const CapturedRequest& request) {
  return s.delay_ms > 0 || route_for(s, request.path) != nullptr;
}

void reject(Session& s, int status, const std::string& remote, const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    ++s.by_status[status];
    ++s.rejected;
  }
  const std::string why = status == 413   ? "the body is above --max-body"
                          : status == 414 ? "the request target is too long"
                          : status == 431 ? "the request head is too large"
                          : status == 400 ? "malformed HTTP: " + reason
                                          : reason;
  s.printer->err("hooktool: answered " + std::to_string(status) +
                 (remote.empty() ? "" : " to " + remote) + ": " + why + "\n");
}

} // namespace hooktool::cli::listening
