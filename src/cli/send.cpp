// hooktool send: a real vendor payload to any URL, shown the way a vendor's "Test hook" button
// shows it (better), with retries on the vendor's schedule and bursts for load.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/exchange.hpp"
#include "cli/sample.hpp"
#include "core/form/detect.hpp"
#include "core/show/exchange.hpp"
#include "core/show/render.hpp"
#include "core/signature/signature.hpp"
#include "core/util/bytes.hpp"
#include "core/util/clock.hpp"
#include "core/util/error.hpp"
#include "core/util/random.hpp"
#include "core/vendor/sample.hpp"
#include "net/client.hpp"

namespace hooktool::cli {

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
  std::string key; // derived key bytes; empty: unsigned
  std::vector<Header> extra;
  std::vector<std::string> secret_headers;
  std::string method;
  std::int64_t timeout_ms = 0;
  std::optional<std::string> data;
  std::string data_content_type; // of the --data body: its detected format's, or --format's
  std::string pending_note;      // said once the request is built, so bad input stays one line
};

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

// How a --data body reads: "json", "form" (core/form/detect) or "" when it is neither.
std::string detect_data_format(std::string_view body) {
  if (looks_like_json(body)) return "json";
  return looks_like_form(body) ? "form" : "";
}

std::string format_words(const std::string& format) {
  return format == "form" ? "a URL-encoded form" : format == "json" ? "JSON" : format;
}

// The Content-Type of a --data body: the vendor's for the body's format. A body of one format
// with --format naming the other, or of a format the vendor does not send, is refused: the
// receiver would be told one thing and get another (-H Content-Type sends it anyway).
std::string data_content_type(const SendOptions& opts, const Plan& plan) {
  const VendorProfile& vendor = *plan.vendor;
  const std::string detected = detect_data_format(*plan.data);
  const std::string& flag = opts.sample.format;
  if (!flag.empty() && vendor.content_type(flag).empty())
    throw Error(vendor.title + " sends " + vendor.format_names() + ", not " + flag + " (--format)");
  const bool type_given = std::any_of(plan.extra.begin(), plan.extra.end(), [](const Header& h) {
    return iequals(h.name, "Content-Type");
  });
  if (type_given) return vendor.content_type(flag.empty() ? vendor.formats.front().first : flag);
  if (!flag.empty()) {
    if (!detected.empty() && detected != flag)
      throw Error(
          "the --data body is " + format_words(detected) + ", not " + format_words(flag) +
          " as --format " + flag + " says: " +
          (vendor.content_type(detected).empty() ? "" : "use --format " + detected + ", or ") +
          "-H 'Content-Type: …' to send it as it is (--format)");
    return vendor.content_type(flag);
  }
  if (detected.empty()) return vendor.content_type(vendor.formats.front().first);
  std::string type = vendor.content_type(detected);
  if (type.empty())
    throw Error("the --data body is " + format_words(detected) + ", and " + vendor.title +
                " sends only " + vendor.format_names() +
                ": give a body of that format, or -H 'Content-Type: …' to send it "
                "anyway (--data)");
  return type;
}

Plan make_plan(const SendOptions& opts, const Catalog& catalog, const Global& global) {
  Plan plan;
  plan.vendor = &catalog.get(opts.sample.vendor, "--vendor");
  net::check_url(opts.url);
  for (const auto& line : opts.headers)
    plan.extra.push_back(parse_header_line(line, "--header"));
  for (const auto& spec : opts.auth)
    add_auth(spec, plan);
  plan.method = opts.method.empty() ? plan.vendor->delivery.method : opts.method;
  for (auto& c : plan.method)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (plan.method != "POST" && plan.method != "GET" && plan.method != "PUT" &&
      plan.method != "PATCH")
    throw Error("method '" + opts.method + "' is not GET, POST, PUT or PATCH (--method)");
  plan.timeout_ms = plan.vendor->delivery.timeout_ms;
  if (!opts.timeout.empty()) {
    auto ms = parse_duration_ms(opts.timeout);
    if (!ms || *ms <= 0)
      throw Error("'" + opts.timeout + "' is not a duration like 10s or 500ms (--timeout)");
    plan.timeout_ms = *ms;
  }
  if (opts.retry < 0) throw Error("--retry needs 0 or more (--retry)");
  if (!(opts.retry_scale > 0)) throw Error("--retry-scale needs a positive factor (--retry-scale)");
  if (opts.count < 1) throw Error("--count needs 1 or more (--count)");
  if (opts.concurrency < 1) throw Error("--concurrency needs 1 or more (--concurrency)");
  if (opts.rate < 0) throw Error("--rate needs 0 or more requests per second (--rate)");
  if (opts.retry > 0 && (opts.concurrency > 1 || opts.rate > 0))
    throw Error(
        "--retry delivers one hook at a time, as a vendor does; --concurrency and --rate are for "
        "bursts without it (--retry)");
  if (!opts.data.empty()) {
    plan.data = Payload::from_arg(opts.data).read_all();
    if (plan.method != "GET") plan.data_content_type = data_content_type(opts, plan);
  }

  const bool has_key =
      !opts.key.key.empty() || !opts.key.key_file.empty() || std::getenv("HOOKTOOL_KEY");
  if (!plan.vendor->scheme.empty()) {
    plan.scheme = *vendor_scheme(*plan.vendor);
    if (has_key) {
      const std::string secret = read_secret(opts.key, global.verbose);
      plan.scheme = scheme_for_private_key(*plan.scheme, secret);
      plan.key = derive_key(resolve_key_format(opts.key, *plan.scheme), secret);
    } else {
      plan.pending_note =
          plan.vendor->title + " signs its hooks (" + plan.vendor->scheme +
          "); no key given, so this is sent unsigned (--key, --key-file or HOOKTOOL_KEY to sign)";
    }
  } else if (!opts.key.key.empty() || !opts.key.key_file.empty()) {
    plan.pending_note = plan.vendor->title + " does not sign its hooks; the key is not used";
  }
  return plan;
}

// The vendor's signature header lines over exactly these bytes; none when unsigned.
// A retry passes the first attempt's headers: the message id stays, as senders keep it on retries.
std::vector<Header> signature_lines(const SendOptions& opts, const Plan& plan,
                                    const std::string& body, Random& random,
                                    const std::vector<Header>* first = nullptr) {
  if (!plan.scheme || plan.key.empty()) return {};
  SigningContext ctx;
  ctx.url = opts.url;
  ctx.method = plan.method;
  if (plan.scheme->needs_timestamp()) ctx.timestamp = now_s();
  if (plan.scheme->needs_id()) {
    const Header* id = first ? find_header(*first, plan.scheme->id_headers.front()) : nullptr;
    ctx.id = id ? id->value : message_id(random);
  }
  return sign(*plan.scheme, plan.key, ctx, body).headers;
}

// Replaces the header of that name (case-insensitively), or adds it at the end.
void set_header(std::vector<Header>& headers, const Header& h) {
  headers.erase(std::remove_if(headers.begin(), headers.end(),
                               [&](const Header& old) { return iequals(old.name, h.name); }),
                headers.end());
  headers.push_back(h);
}

// The request a vendor sends, before the -H and --auth headers: Content-Type, the vendor's own
// headers (vendor, then event), the signature header(s). A --data body keeps the vendor's headers.
net::HttpRequest make_vendor_request(const SendOptions& opts, const Plan& plan, Random& random) {
  net::HttpRequest request;
  request.method = plan.method;
  request.url = opts.url;
  request.timeout_ms = plan.timeout_ms;
  request.cacert = opts.cacert;
  request.insecure = opts.insecure;
  Sample sample = build_sample(*plan.vendor, opts.sample, random);
  if (plan.method != "GET") {
    if (plan.data) {
      request.body = *plan.data;
      request.headers.push_back({"Content-Type", plan.data_content_type});
    } else {
      request.body = std::move(sample.body);
      request.headers.push_back({"Content-Type", sample.content_type});
    }
  }
  for (auto& h : sample.headers)
    set_header(request.headers, h);
  if (plan.method != "GET")
    for (auto& h : signature_lines(opts, plan, request.body, random))
      set_header(request.headers, h);
  return request;
}

// -H and --auth replace the headers of their names.
net::HttpRequest with_overrides(net::HttpRequest request, const Plan& plan) {
  for (const auto& h : plan.extra)
    set_header(request.headers, h);
  return request;
}

net::HttpRequest make_request(const SendOptions& opts, const Plan& plan, Random& random) {
  return with_overrides(make_vendor_request(opts, plan, random), plan);
}

std::string substitute(std::string text, std::string_view from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// Attempt 2, 3, ... of a delivery: the same body and headers; a timestamped scheme signs afresh
// (keeping the message id, as senders do), and the vendor's retry headers are added with
// {{retry}} (this retry's number, from 1) and {{retry_reason}} (why the last attempt failed).
net::HttpRequest make_retry(const SendOptions& opts, const Plan& plan,
                            const net::HttpRequest& first, int attempt, const Exchange& previous,
                            Random& random) {
  net::HttpRequest current = first;
  if (plan.scheme && plan.scheme->needs_timestamp() && plan.method != "GET")
    for (const auto& h : signature_lines(opts, plan, current.body, random, &first.headers))
      set_header(current.headers, h);
  HeaderTemplates templates = plan.vendor->delivery.retry_headers;
  const std::string reason = retry_reason(previous, &plan.vendor->delivery);
  for (auto& [name, tmpl] : templates)
    tmpl = substitute(substitute(tmpl, "{{retry}}", std::to_string(attempt - 1)),
                      "{{retry_reason}}", reason);
  for (auto& h : expand_headers(templates, random, now_ms()))
    set_header(current.headers, h);
  return with_overrides(std::move(current), plan);
}

std::int64_t retry_delay_ms(const Plan& plan, int attempt) { // before attempt 2, 3, ...
  const auto& schedule = plan.vendor->delivery.retry_ms;
  if (schedule.empty()) return 60'000;
  size_t i = std::min(static_cast<size_t>(attempt - 2), schedule.size() - 1);
  return schedule[i];
}

// --verbose, on stderr: what the vendor's rules are, once.
void say_rules(const Plan& plan, const SendOptions& opts) {
  const Delivery& d = plan.vendor->delivery;
  std::string line = "* " + plan.vendor->title + ": " + plan.method + ", counts " +
                     d.success_rule() + " as delivered, waits " +
                     human_duration(static_cast<double>(d.timeout_ms));
  if (!opts.timeout.empty())
    line += " (--timeout " + human_duration(static_cast<double>(plan.timeout_ms)) + ")";
  if (opts.retry > 0) {
    line += ", retries after ";
    if (d.retry_ms.empty()) line += "1 min each time";
    for (size_t i = 0; i < d.retry_ms.size(); ++i)
      line += (i ? ", " : "") + human_duration(static_cast<double>(d.retry_ms[i]));
    if (d.retry_ms.size() > 1) line += " (the last repeats)";
    if (d.retry_documented >= 0)
      line += "; the first " + std::to_string(d.retry_documented) +
              " are documented, the rest hooktool's reading";
  }
  if (d.ordered) line += "; in order: later deliveries wait while one is retried";
  std::cerr << line << "\n";
}

// Each line of `text` after `prefix`, escaped (servers choose what they send).
std::string prefixed(const std::string& text, const char* prefix) {
  std::string out;
  for (auto line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out += prefix + visible_text(line) + "\n";
  }
  return out;
}

// --verbose, on stderr: libcurl's account of the connection ("Trying …", TLS); with --json, where
// stdout has no text, the head as sent, the answer's head and the timings too.
void say_trace(const std::string& trace, const Exchange& e, bool json) {
  std::string out = prefixed(trace, "* ");
  if (json) {
    out += prefixed(e.sent_head, "> ") + prefixed(e.status_line, "< ");
    for (const auto& h : e.response_headers)
      out += prefixed(h.name + ": " + h.value, "< ");
    const auto& t = e.timings;
    out += "* dns " + human_duration(t.dns_ms) + ", connect " + human_duration(t.connect_ms) +
           ", tls " + human_duration(t.tls_ms) + ", first byte " + human_duration(t.first_byte_ms) +
           ", total " + human_duration(t.total_ms) + "\n";
  }
  std::cerr << out << std::flush;
}

int worse_exit(int a, int b) {
  auto rank = [](int c) {
    return c == kExitNetwork ? 3 : c == kExitCheckFailed ? 2 : c == kExitOk ? 0 : 1;
  };
  return rank(b) > rank(a) ? b : a;
}

// What a failed attempt means for the deliveries behind it (--count N with --retry); "" for one
// delivery.
std::string outcome_line(const DeliveryQueue& queue, int i, int attempt, const std::string& who,
                         const Style& style, const std::string& retry_words) {
  if (queue.deliveries() == 1) return {};
  const std::string label = "#" + std::to_string(i + 1);
  const int held = queue.held_behind(i);
  if (queue.gave_up(i))
    return style.warn(label + " was not delivered after " + std::to_string(attempt) + " attempt" +
                      (attempt > 1 ? "s" : "") +
                      (held > 0 ? ": the " + std::to_string(held) + " later deliver" +
                                      (held > 1 ? "ies are" : "y is") + " not sent, as " + who +
                                      " sends them only after it"
                                : "")) +
           "\n";
  if (held > 0)
    return style.warn("holding " + std::to_string(held) + " later deliver" +
                      (held > 1 ? "ies" : "y") + " until " + label + " is delivered (" + who +
                      " delivers in order)") +
           "\n";
  return style.dim(label + " is retried after " + retry_words +
                   "; the other deliveries do not wait for it") +
         "\n";
}

// The end of a run of deliveries: the JSON document, or the line saying what was delivered; the
// exit code.
int finish_deliveries(const SendOptions& opts, const Plan& plan, const DeliveryQueue& queue,
                      const std::vector<int>& codes, nlohmann::ordered_json attempts,
                      const Style& style) {
  const int n = opts.count;
  auto label = [](int i) { return "#" + std::to_string(i + 1); };
  int code = kExitOk;
  int delivered = 0;
  for (int i = 0; i < n; ++i) {
    if (queue.delivered(i)) ++delivered;
    code = worse_exit(code, queue.sent(i) ? codes[static_cast<size_t>(i)] : kExitCheckFailed);
  }
  if (n == 1) code = codes[0];
  if (opts.json) {
    nlohmann::ordered_json out = {
        {"vendor", plan.vendor->name}, {"url", opts.url}, {"ok", code == kExitOk}};
    if (n > 1) {
      nlohmann::ordered_json list = nlohmann::ordered_json::array();
      for (int i = 0; i < n; ++i)
        list.push_back({{"delivery", i + 1},
                        {"delivered", queue.delivered(i)},
                        {"attempts", queue.attempts(i)}});
      out["deliveries"] = list;
    }
    out["attempts"] = std::move(attempts);
    print_json(out);
  } else if (n > 1) {
    std::string missing;
    for (int i = 0; i < n; ++i)
      if (!queue.delivered(i))
        missing += (missing.empty() ? "" : ", ") + label(i) +
                   (queue.sent(i) ? " not delivered" : " not sent");
    std::cout << "\n"
              << (delivered == n
                      ? style.good("delivered " + std::to_string(n) + " of " + std::to_string(n))
                      : style.bad("delivered " + std::to_string(delivered) + " of " +
                                  std::to_string(n)) +
                            ": " + missing)
              << "\n";
  }
  return code;
}

// One delivery (with --retry, its attempts), or --count N with --retry: N deliveries one after
// another, each retried on the vendor's schedule (DeliveryQueue decides what goes next).
int run_deliveries(const SendOptions& opts, const Plan& plan, const Global& global) {
  using clock = std::chrono::steady_clock;
  Random random(opts.sample.seed);
  const int n = opts.count;
  const Delivery& rule = plan.vendor->delivery;
  std::vector<net::HttpRequest> firsts;
  firsts.push_back(make_request(opts, plan, random)); // bad input fails before anything is sent
  if (!plan.pending_note.empty()) note(plan.pending_note);
  if (global.verbose) say_rules(plan, opts);
  RenderOptions render;
  render.color = global.use_color;
  render.show_body = opts.show_body;
  render.vendor_title = plan.vendor->title;
  render.delivery = &rule;
  render.limit_ms = plan.timeout_ms;
  render.body_cut = global.body_cut;
  render.limit_from_flag = !opts.timeout.empty();
  const Style style{global.use_color};
  const std::string who = plan.vendor->title;
  auto scaled = [&](std::int64_t delay) {
    return static_cast<std::int64_t>(std::llround(static_cast<double>(delay) / opts.retry_scale));
  };
  auto delay_words = [&](std::int64_t delay) {
    return human_duration(static_cast<double>(delay)) +
           (opts.retry_scale != 1
                ? " (scaled to " + human_duration(static_cast<double>(scaled(delay))) + ")"
                : "");
  };
  auto say = [&](const std::string& text) {
    if (!opts.json) std::cout << text << std::flush;
  };

  DeliveryQueue queue(n, 1 + opts.retry, rule.ordered);
  std::vector<Exchange> last(static_cast<size_t>(n));
  std::vector<int> codes(static_cast<size_t>(n), kExitOk);
  nlohmann::ordered_json attempts = nlohmann::ordered_json::array();
  const auto start = clock::now();
  auto now = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - start).count();
  };
  bool first_output = true;
  while (auto next = queue.next(now())) {
    const int i = next->delivery;
    const auto index = static_cast<size_t>(i);
    if (firsts.size() <= index) firsts.push_back(make_request(opts, plan, random)); // fresh values
    std::string heading;
    if (next->attempt > 1) {
      heading =
          (n > 1 ? "delivery " + std::to_string(i + 1) + " of " + std::to_string(n) + ", " : "") +
          "attempt " + std::to_string(next->attempt) + " of " + std::to_string(1 + opts.retry);
      say((first_output ? "" : "\n") + style.bold(heading) + " after " +
          delay_words(retry_delay_ms(plan, next->attempt)) +
          (rule.documented_delay(next->attempt)
               ? ""
               : style.dim(" (hooktool's reading: " + who + "'s document gives the first " +
                           std::to_string(rule.retry_documented) + " intervals only)")) +
          "\n");
      const std::int64_t wait = next->due_ms - now();
      if (wait > 0) std::this_thread::sleep_for(std::chrono::milliseconds(wait));
    } else if (n > 1) {
      say((first_output ? "" : "\n") +
          style.bold("delivery " + std::to_string(i + 1) + " of " + std::to_string(n)) + "\n");
    }
    first_output = false;
    const net::HttpRequest request =
        next->attempt == 1
            ? firsts[index]
            : make_retry(opts, plan, firsts[index], next->attempt, last[index], random);
    net::HttpRequest traced = request;
    traced.trace = global.verbose;
    const net::HttpResponse response = net::send_request(traced);
    const Exchange e = to_exchange(request, response, plan.secret_headers);
    const int code = exchange_exit_code(e, &rule);
    if (global.verbose) say_trace(response.trace, e, opts.json);
    if (opts.json) {
      nlohmann::ordered_json j = exchange_json(e, &rule);
      if (n > 1) j["delivery"] = i + 1;
      j["attempt"] = next->attempt;
      attempts.push_back(j);
    } else {
      std::cout << render_exchange(e, render) << std::flush;
    }
    queue.record(*next, code == kExitOk, now(), scaled(retry_delay_ms(plan, next->attempt + 1)));
    last[index] = e;
    codes[index] = code;
    if (code == kExitOk) continue;
    say(outcome_line(queue, i, next->attempt, who, style,
                     delay_words(retry_delay_ms(plan, next->attempt + 1))));
  }

  return finish_deliveries(opts, plan, queue, codes, std::move(attempts), style);
}

// --verbose with a burst, on stderr: the first request as sent, its answer's head and the trace.
void say_first(const net::BurstResult& r) {
  std::cerr << "* the first request:\n" + prefixed(r.first_trace, "* ") +
                   prefixed(r.first_sent_head, "> ") + prefixed(r.first_answer_head, "< ")
            << std::flush;
}

int run_burst(const SendOptions& opts, const Plan& plan, const Global& global) {
  Random random(opts.sample.seed);
  const bool bar = !opts.json && ::isatty(STDERR_FILENO) == 1;
  net::BurstOptions burst;
  burst.count = opts.count;
  burst.concurrency = opts.concurrency;
  burst.rate = opts.rate;
  burst.trace_first = global.verbose;
  net::HttpRequest first =
      make_request(opts, plan, random); // bad input fails before anything is sent
  if (!plan.pending_note.empty()) note(plan.pending_note);
  if (global.verbose) say_rules(plan, opts);
  burst.make_request = [&](int index) {
    return index == 0 ? first : make_request(opts, plan, random);
  };
  if (bar)
    burst.progress = [](int done, int total) {
      if (done % std::max(1, total / 200) != 0 && done != total) return;
      const int width = 40;
      const int filled = static_cast<int>(static_cast<long long>(width) * done / total);
      std::cerr << "\r[" << std::string(static_cast<size_t>(filled), '#')
                << std::string(static_cast<size_t>(width - filled), '.') << "] " << done << "/"
                << total << (done == total ? "\n" : "") << std::flush;
    };
  net::BurstResult result = net::burst(burst);
  if (global.verbose) say_first(result);
  BurstSummary summary{plan.vendor->name, opts.url,        opts.count,    opts.concurrency,
                       result.answered,   result.timeouts, result.wall_s, result.latencies_ms,
                       result.statuses,   result.errors};
  if (opts.json)
    print_json(burst_json(summary));
  else
    std::cout << burst_text(summary, &plan.vendor->delivery, global.use_color);
  return burst_exit_code(summary, &plan.vendor->delivery);
}

int run_send(const SendOptions& opts, const Global& global) {
  const Catalog catalog = Catalog::with_files(opts.sample.vendor_files);
  const Plan plan = make_plan(opts, catalog, global);
  // With --retry, deliveries go one at a time, each retried: a burst is for load.
  return opts.count > 1 && opts.retry == 0 ? run_burst(opts, plan, global)
                                           : run_deliveries(opts, plan, global);
}

} // namespace

void setup_send(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<SendOptions>();
  app.add_option("url", opts->url, "Where to deliver: http://… or https://…")
      ->required()
      ->option_text("URL");
  add_sample_options(app, opts->sample);
  add_key_options(app, opts->key);
  app.add_option("--data,-d", opts->data, "Send this body (file, @file or -) instead of the sample")
      ->option_text("FILE");
  app.add_option("--header,-H", opts->headers, "Add a header, 'Name: value' (repeatable)")
      ->option_text("'NAME: VALUE'")
      ->allow_extra_args(false);
  app.add_option("--auth", opts->auth,
                 "basic:USER:PASS, bearer:TOKEN or header:NAME:VALUE (never shown)")
      ->option_text("KIND:VALUE")
      ->allow_extra_args(false);
  app.add_option("--method,-X", opts->method, "GET, POST, PUT or PATCH (default: the vendor's)")
      ->option_text("METHOD");
  app.add_option("--timeout", opts->timeout, "Give up after DURATION (default: the vendor's)")
      ->option_text("DURATION");
  app.add_option("--retry", opts->retry,
                 "Re-send up to N times on failure, on the vendor's schedule")
      ->option_text("N");
  app.add_option("--retry-scale", opts->retry_scale,
                 "Divide the retry delays by FACTOR (60: minutes to seconds)")
      ->option_text("FACTOR");
  app.add_option("--count,-n", opts->count, "Deliver N payloads, each with fresh values")
      ->option_text("N");
  app.add_option("--concurrency,-c", opts->concurrency,
                 "Connections in flight at once (with --count)")
      ->option_text("C");
  app.add_option("--rate", opts->rate, "At most R requests per second (with --count)")
      ->option_text("R");
  app.add_flag("--show-body", opts->show_body, "Show the body sent");
  add_full_option(app, global);
  app.add_flag("--json", opts->json, "Print one JSON object with request, response and timings");
  app.add_option("--cacert", opts->cacert, "Trust the CA certificates in FILE for HTTPS")
      ->option_text("FILE");
  app.add_flag("--insecure", opts->insecure, "Do not verify the HTTPS certificate (warns)");
  app.callback([opts, &global, &action] {
    action = [opts, &global] {
      if (opts->insecure) note("--insecure: the certificate of the endpoint is not checked");
      return run_send(*opts, global);
    };
  });
}

} // namespace hooktool::cli
