// hooktool send: a real vendor payload to any URL, shown the way a vendor's "Test hook" button
// shows it (better), with retries on the vendor's schedule and bursts for load.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/show/exchange.hpp"
#include "core/vendor/sample.hpp"
#include "core/signature/signature.hpp"
#include "net/client.hpp"

namespace hooktool::cli {

Sample build_sample(const VendorProfile& vendor, const SampleCliOptions& opts, Random& random);
std::int64_t now_ms();

// What one request and its answer look like to the renderer, secrets redacted (send and replay).
Exchange to_exchange(const net::HttpRequest& request, const net::HttpResponse& response,
                     const std::vector<std::string>& secret_headers) {
  Exchange e;
  e.method = request.method;
  e.url = request.url;
  e.sent_head = redact_head(response.sent_head, secret_headers);
  e.request_headers = redact(request.headers, secret_headers);
  e.request_body = request.body;
  e.answered = response.failure == net::Failure::None;
  e.timed_out = response.failure == net::Failure::Timeout;
  e.error = response.error;
  e.status = response.status;
  e.status_line = response.status_line;
  e.response_headers = response.headers;
  e.response_body = response.body;
  e.redirect_url = response.redirect_url;
  const auto& t = response.timings;
  e.timings = {t.dns_ms, t.connect_ms, t.tls_ms, t.first_byte_ms, t.total_ms};
  return e;
}

namespace {

struct SendOptions {
  SampleCliOptions sample;
  std::string url;
  std::string data;
  std::vector<std::string> headers;
  std::vector<std::string> auth;
  std::string method;
  KeyOptions key;
  std::string timeout;
  int retry = 0;
  double retry_scale = 1;
  int count = 1;
  int concurrency = 1;
  double rate = 0;
  bool show_body = false;
  bool json = false;
  std::string cacert;
  bool insecure = false;
};

// What every request of a run shares; the body and signature are made per request.
struct Plan {
  const VendorProfile* vendor = nullptr;
  std::optional<Scheme> scheme;
  std::string key;  // derived key bytes; empty: unsigned
  std::vector<Header> extra;
  std::vector<std::string> secret_headers;
  std::string method;
  std::int64_t timeout_ms = 0;
  std::optional<std::string> data;
  std::string pending_note;  // said once the request is built, so bad input stays one line
};

std::string fresh_id(Random& random) {
  static const char kAlnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string id = "msg_";
  for (int i = 0; i < 27; ++i) id.push_back(kAlnum[random.below(62)]);
  return id;
}

void add_auth(const std::string& spec, Plan& plan) {
  auto colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  const std::string rest = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (kind == "basic" && rest.find(':') != std::string::npos) {
    plan.extra.push_back({"Authorization", "Basic " + base64_encode(rest)});
  } else if (kind == "bearer" && !rest.empty()) {
    plan.extra.push_back({"Authorization", "Bearer " + rest});
  } else if (kind == "header" && rest.find(':') != std::string::npos && rest.find(':') > 0) {
    auto c = rest.find(':');
    plan.extra.push_back({rest.substr(0, c), rest.substr(c + 1)});
    plan.secret_headers.push_back(rest.substr(0, c));
  } else {
    throw Error("expected basic:USER:PASS, bearer:TOKEN or header:NAME:VALUE (--auth)");
  }
}

Plan make_plan(const SendOptions& opts, const Catalog& catalog, const Global& global) {
  Plan plan;
  plan.vendor = &catalog.get(opts.sample.vendor, "--vendor");
  net::check_url(opts.url);
  for (const auto& line : opts.headers) plan.extra.push_back(parse_header_line(line, "--header"));
  for (const auto& spec : opts.auth) add_auth(spec, plan);
  plan.method = opts.method.empty() ? plan.vendor->delivery.method : opts.method;
  for (auto& c : plan.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (plan.method != "POST" && plan.method != "GET" && plan.method != "PUT" && plan.method != "PATCH")
    throw Error("method '" + opts.method + "' is not GET, POST, PUT or PATCH (--method)");
  plan.timeout_ms = plan.vendor->delivery.timeout_ms;
  if (!opts.timeout.empty()) {
    auto ms = parse_duration_ms(opts.timeout);
    if (!ms || *ms <= 0) throw Error("'" + opts.timeout + "' is not a duration like 10s or 500ms (--timeout)");
    plan.timeout_ms = *ms;
  }
  if (opts.retry < 0) throw Error("--retry needs 0 or more (--retry)");
  if (!(opts.retry_scale > 0)) throw Error("--retry-scale needs a positive factor (--retry-scale)");
  if (opts.count < 1) throw Error("--count needs 1 or more (--count)");
  if (opts.concurrency < 1) throw Error("--concurrency needs 1 or more (--concurrency)");
  if (opts.rate < 0) throw Error("--rate needs 0 or more requests per second (--rate)");
  if (opts.count > 1 && opts.retry > 0) throw Error("--retry is for one delivery, not a burst (--retry)");
  if (!opts.data.empty()) plan.data = Payload::from_arg(opts.data).read_all();

  const bool has_key = !opts.key.key.empty() || !opts.key.key_file.empty() || std::getenv("HOOKTOOL_KEY");
  if (!plan.vendor->scheme.empty()) {
    plan.scheme = *find_scheme(plan.vendor->scheme);
    if (has_key) {
      const std::string secret = read_secret(opts.key, global.verbose);
      plan.key = derive_key(resolve_key_format(opts.key, *plan.scheme), secret);
    } else {
      plan.pending_note = plan.vendor->title + " signs its hooks (" + plan.vendor->scheme +
                          "); no key given, so this is sent unsigned (--key, --key-file or HOOKTOOL_KEY to sign)";
    }
  } else if (!opts.key.key.empty() || !opts.key.key_file.empty()) {
    plan.pending_note = plan.vendor->title + " does not sign its hooks; the key is not used";
  }
  return plan;
}

// The vendor's signature header(s) over exactly these bytes; none when unsigned.
// A retry passes the first attempt's headers: the message id stays, as senders keep it on retries.
std::vector<Header> signature_headers(const SendOptions& opts, const Plan& plan, const std::string& body,
                                      Random& random, const std::vector<Header>* first = nullptr) {
  if (!plan.scheme || plan.key.empty()) return {};
  SigningContext ctx;
  ctx.url = opts.url;
  if (plan.scheme->needs_timestamp()) ctx.timestamp = now_ms() / 1000;
  if (plan.scheme->needs_id()) {
    const Header* id = first ? find_header(*first, plan.scheme->id_headers.front()) : nullptr;
    ctx.id = id ? id->value : fresh_id(random);
  }
  const std::string mac = compute_mac(*plan.scheme, plan.key, ctx, std::string_view(body));
  return render_headers(*plan.scheme, encode_mac(*plan.scheme, mac), ctx);
}

net::HttpRequest make_request(const SendOptions& opts, const Plan& plan, Random& random) {
  net::HttpRequest request;
  request.method = plan.method;
  request.url = opts.url;
  request.timeout_ms = plan.timeout_ms;
  request.cacert = opts.cacert;
  request.insecure = opts.insecure;
  if (plan.method != "GET") {
    std::string content_type;
    if (plan.data) {
      request.body = *plan.data;
      const std::string format = opts.sample.format.empty() ? plan.vendor->formats.front().first : opts.sample.format;
      content_type = plan.vendor->content_type(format);
      if (content_type.empty())
        throw Error(plan.vendor->title + " sends " + plan.vendor->format_names() + ", not " + format + " (--format)");
    } else {
      Sample sample = build_sample(*plan.vendor, opts.sample, random);
      request.body = std::move(sample.body);
      content_type = sample.content_type;
    }
    request.headers.push_back({"Content-Type", content_type});
    for (auto& h : signature_headers(opts, plan, request.body, random)) request.headers.push_back(h);
  }
  for (const auto& h : plan.extra) {
    request.headers.erase(std::remove_if(request.headers.begin(), request.headers.end(),
                                         [&](const Header& old) { return iequals(old.name, h.name); }),
                          request.headers.end());
    request.headers.push_back(h);
  }
  return request;
}

std::int64_t retry_delay_ms(const Plan& plan, int attempt) {  // before attempt 2, 3, ...
  const auto& schedule = plan.vendor->delivery.retry_ms;
  if (schedule.empty()) return 60'000;
  size_t i = std::min(static_cast<size_t>(attempt - 2), schedule.size() - 1);
  return schedule[i];
}

std::string human_ms(std::int64_t ms) {
  if (ms >= 3'600'000 && ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + " h";
  if (ms >= 60'000 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + " min";
  if (ms >= 1000 && ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

int run_single(const SendOptions& opts, const Plan& plan, const Global& global) {
  Random random(opts.sample.seed);
  const net::HttpRequest request = make_request(opts, plan, random);
  if (!plan.pending_note.empty()) note(plan.pending_note);
  RenderOptions render;
  render.color = global.use_color;
  render.show_body = opts.show_body;
  render.vendor_title = plan.vendor->title;
  render.limit_ms = plan.timeout_ms;
  render.body_cut = global.body_cut;
  nlohmann::ordered_json attempts = nlohmann::ordered_json::array();
  int code = kExitOk;
  for (int attempt = 1; attempt <= 1 + opts.retry; ++attempt) {
    net::HttpRequest current = request;
    if (attempt > 1) {
      const std::int64_t delay = retry_delay_ms(plan, attempt);
      const auto scaled = static_cast<std::int64_t>(std::llround(static_cast<double>(delay) / opts.retry_scale));
      if (!opts.json)
        std::cout << "\n"
                  << Style{global.use_color}.bold("attempt " + std::to_string(attempt) + " of " +
                                                  std::to_string(1 + opts.retry))
                  << " after " << human_ms(delay)
                  << (opts.retry_scale != 1 ? " (scaled to " + human_ms(scaled) + ")" : "") << "\n";
      std::cout.flush();
      std::this_thread::sleep_for(std::chrono::milliseconds(scaled));
      // The same payload; timestamped schemes sign it afresh, as a vendor's retry does.
      if (plan.scheme && plan.scheme->needs_timestamp())
        for (const auto& h : signature_headers(opts, plan, current.body, random, &request.headers))
          for (auto& old : current.headers)
            if (iequals(old.name, h.name)) old.value = h.value;
    }
    const Exchange e = to_exchange(current, net::send_request(current), plan.secret_headers);
    code = exchange_exit_code(e);
    if (opts.json) {
      nlohmann::ordered_json j = exchange_json(e);
      j["attempt"] = attempt;
      attempts.push_back(j);
    } else {
      std::cout << render_exchange(e, render);
      std::cout.flush();
    }
    if (code == kExitOk) break;
  }
  if (opts.json)
    print_json({{"vendor", plan.vendor->name},
                {"url", opts.url},
                {"ok", code == kExitOk},
                {"attempts", attempts}});
  return code;
}

double percentile(std::vector<double> sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size()))) ;
  return sorted[std::min(sorted.size() - 1, i == 0 ? 0 : i - 1)];
}

int run_burst(const SendOptions& opts, const Plan& plan, const Global& global) {
  Random random(opts.sample.seed);
  const bool bar = !opts.json && ::isatty(STDERR_FILENO) == 1;
  net::BurstOptions burst;
  burst.count = opts.count;
  burst.concurrency = opts.concurrency;
  burst.rate = opts.rate;
  net::HttpRequest first = make_request(opts, plan, random);  // bad input fails before anything is sent
  if (!plan.pending_note.empty()) note(plan.pending_note);
  burst.make_request = [&](int index) { return index == 0 ? first : make_request(opts, plan, random); };
  if (bar)
    burst.progress = [](int done, int total) {
      if (done % std::max(1, total / 200) != 0 && done != total) return;
      const int width = 40;
      const int filled = static_cast<int>(static_cast<long long>(width) * done / total);
      std::cerr << "\r[" << std::string(static_cast<size_t>(filled), '#')
                << std::string(static_cast<size_t>(width - filled), '.') << "] " << done << "/" << total
                << (done == total ? "\n" : "") << std::flush;
    };
  net::BurstResult result = net::burst(burst);
  std::vector<double> sorted = result.latencies_ms;
  std::sort(sorted.begin(), sorted.end());
  int bad_status = 0;
  for (const auto& [status, n] : result.statuses)
    if (status < 200 || status >= 300) bad_status += n;
  int failed = 0;
  for (const auto& [why, n] : result.errors) failed += n;
  const double rps = result.wall_s > 0 ? result.completed / result.wall_s : 0;
  if (opts.json) {
    nlohmann::ordered_json statuses = nlohmann::ordered_json::object();
    for (const auto& [status, n] : result.statuses) statuses[std::to_string(status)] = n;
    print_json({{"vendor", plan.vendor->name},
                {"url", opts.url},
                {"count", opts.count},
                {"concurrency", opts.concurrency},
                {"completed", result.completed},
                {"seconds", result.wall_s},
                {"requests_per_second", rps},
                {"latency_ms",
                 {{"p50", percentile(sorted, 50)}, {"p90", percentile(sorted, 90)},
                  {"p99", percentile(sorted, 99)}, {"max", sorted.empty() ? 0 : sorted.back()}}},
                {"statuses", statuses},
                {"errors", result.errors}});
  } else {
    const Style style{global.use_color};
    char line[256];
    std::snprintf(line, sizeof line, "%d requests to %s in %.2f s: %.0f requests/s at concurrency %d\n",
                  result.completed, opts.url.c_str(), result.wall_s, rps, opts.concurrency);
    std::cout << line;
    std::snprintf(line, sizeof line, "latency  p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms\n",
                  percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                  sorted.empty() ? 0.0 : sorted.back());
    std::cout << line << "status  ";
    for (const auto& [status, n] : result.statuses) {
      const std::string cell = " " + std::to_string(status) + " ×" + std::to_string(n);
      std::cout << (status >= 200 && status < 300 ? style.good(cell) : style.bad(cell));
    }
    std::cout << (result.statuses.empty() ? " none" : "") << "\nerrors  ";
    for (const auto& [why, n] : result.errors) std::cout << " " << n << "× " << why << ";";
    std::cout << (result.errors.empty() ? " none" : "") << "\n";
  }
  if (failed > result.timeouts) return kExitNetwork;  // some never got an answer
  return bad_status > 0 || result.timeouts > 0 ? kExitCheckFailed : kExitOk;
}

int run_send(const SendOptions& opts, const Global& global) {
  const Catalog catalog = Catalog::with_files(opts.sample.vendor_files);
  const Plan plan = make_plan(opts, catalog, global);
  return opts.count > 1 ? run_burst(opts, plan, global) : run_single(opts, plan, global);
}

}  // namespace

void setup_send(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<SendOptions>();
  app.add_option("url", opts->url, "Where to deliver: http://… or https://…")->required()->option_text("URL");
  add_sample_options(app, opts->sample);
  add_key_options(app, opts->key);
  app.add_option("--data,-d", opts->data, "Send this body (file, @file or -) instead of the sample")
      ->option_text("FILE");
  app.add_option("--header,-H", opts->headers, "Add a header, 'Name: value' (repeatable)")
      ->option_text("'NAME: VALUE'")
      ->allow_extra_args(false);
  app.add_option("--auth", opts->auth, "basic:USER:PASS, bearer:TOKEN or header:NAME:VALUE (never shown)")
      ->option_text("KIND:VALUE")
      ->allow_extra_args(false);
  app.add_option("--method,-X", opts->method, "GET, POST, PUT or PATCH (default: the vendor's)")
      ->option_text("METHOD");
  app.add_option("--timeout", opts->timeout, "Give up after DURATION (default: the vendor's)")
      ->option_text("DURATION");
  app.add_option("--retry", opts->retry, "Re-send up to N times on failure, on the vendor's schedule")
      ->option_text("N");
  app.add_option("--retry-scale", opts->retry_scale, "Divide the retry delays by FACTOR (60: minutes to seconds)")
      ->option_text("FACTOR");
  app.add_option("--count,-n", opts->count, "Deliver N payloads, each with fresh values")->option_text("N");
  app.add_option("--concurrency,-c", opts->concurrency, "Connections in flight at once (with --count)")
      ->option_text("C");
  app.add_option("--rate", opts->rate, "At most R requests per second (with --count)")->option_text("R");
  app.add_flag("--show-body", opts->show_body, "Show the body sent");
  add_full_option(app, global);
  app.add_flag("--json", opts->json, "Print one JSON object with request, response and timings");
  app.add_option("--cacert", opts->cacert, "Trust the CA certificates in FILE for HTTPS")->option_text("FILE");
  app.add_flag("--insecure", opts->insecure, "Do not verify the HTTPS certificate (warns)");
  app.callback([opts, &global, &action] {
    action = [opts, &global] {
      if (opts->insecure) note("--insecure: the certificate of the endpoint is not checked");
      return run_send(*opts, global);
    };
  });
}

}  // namespace hooktool::cli
