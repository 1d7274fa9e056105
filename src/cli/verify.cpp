// hooktool verify: is this signature right, and if not, what mistake explains it.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/show/capture.hpp"
#include "core/show/render.hpp"
#include "core/signature/signature.hpp"
#include "core/signature/verdict.hpp"
#include "core/util/bytes.hpp"
#include "core/util/clock.hpp"
#include "core/util/error.hpp"
#include "net/content_coding.hpp"

namespace hooktool::cli {

namespace {

struct VerifyCliOptions {
  std::string payload;
  SchemeOptions scheme;
  KeyOptions key;
  PublicKeyOptions public_key;
  std::optional<std::string> signature;
  std::vector<std::string> headers;
  std::string tolerance;
  std::string request; // FILE[:N] of a record file
  bool strict = false; // a line of the record file that is not a record is an error
  bool json = false;
};

int print_verdict(const VerifyResult& result, const Scheme& scheme, bool json, const Style& style) {
  if (json) {
    print_json(verdict_json(result, scheme.name));
  } else if (result.valid) {
    std::cout << style.good("valid") << "\n";
  } else {
    // A reason can quote the request (a malformed timestamp): shown as listen shows it.
    std::cout << style.bad("invalid") << ": " << visible_text(result.reason) << "\n";
    for (const auto& f : result.findings)
      std::cout << "  " << style.warn("hint") << ": " << visible_text(f.message) << "\n";
  }
  return result.valid ? kExitOk : kExitCheckFailed;
}

// The body with the Content-Encoding its headers name undone, as listen decodes it for its verdict;
// nullopt when there is none, it does not decode, or it decodes to more than net::kMaxDecoded.
std::optional<std::string> decode_body(const std::vector<Header>& headers, std::string_view body) {
  const auto coding = content_coding_to_undo(headers, body);
  std::string why;
  auto decoded = coding ? net::decode_content(*coding, body, net::kMaxDecoded, why) : std::nullopt;
  if (!decoded || decoded->cut) return std::nullopt;
  return std::move(decoded->bytes);
}

// What verify checks. A payload with -H lines and a recorded request differ only in where the
// headers, the body and the time come from, and in what a fault of theirs is (see Faults).
struct Subject {
  std::vector<Header> headers;
  std::optional<std::string> signature; // --signature, apart from the headers
  SigningContext ctx;                   // --url, --id, --timestamp (a record's URL)
  VerifyOptions options;                // the time to check the timestamp against, the window
  Faults faults = Faults::Thrown;
  // The body, read only when there is a signature to check, as is the key; it outlives check().
  std::function<std::string_view()> read_body;
  // The -v note: what is checked, given the signatures found and the body's size.
  std::function<std::string(const Presented&, std::size_t)> describe;
};

int check_subject(const Subject& subject, const Scheme& scheme, const VerifyCliOptions& opts,
                  const Global& global) {
  const Style style{global.use_color};
  const Presentation p =
      present_request(scheme, subject.headers, subject.signature, subject.ctx, subject.faults);
  if (p.verdict) return print_verdict(*p.verdict, scheme, opts.json, style);
  // A public-key scheme is checked with the public key's text in place of a secret (verify()).
  const std::string secret = scheme.signer == Signer::Ed25519
                                 ? read_public_key(opts.public_key)
                                 : read_secret(opts.key, global.verbose);
  const KeyFormat key_format = resolve_key_format(opts.key, scheme);
  const std::string_view body = subject.read_body();
  if (global.verbose)
    note(subject.describe(p.presented, body.size()) + " with " + scheme.name + ": " +
         describe_scheme(scheme));
  const VerifyResult result =
      verify_presented(scheme, secret, key_format, p.presented, body,
                       decode_body(subject.headers, body), subject.options, subject.faults);
  return print_verdict(result, scheme, opts.json, style);
}

// A recorded request, checked with its own headers, as of the time it arrived: as listen checked
// it when it arrived (its faults are the verdict).
int run_verify_request(const VerifyCliOptions& opts, const Global& global) {
  if (!opts.payload.empty() || !opts.headers.empty() || opts.signature)
    throw Error("--request brings its own body and headers: drop the payload, -H and --signature "
                "(--request)");
  const Scheme scheme = scheme_for_receiver(resolve_scheme(opts.scheme), opts.public_key, opts.key);
  const RecordRef ref = split_record_arg(opts.request, "--request");
  const std::string& path = ref.path;
  const RecordFile records = read_record_file(path, opts.strict, "--request");
  for (const auto& warning : records.warnings)
    note(warning);
  const std::size_t index =
      resolve_record_index(ref.index.value_or(-1), records.requests.size(), path, "--request");
  const CapturedRequest& request = records.requests[index - 1];
  Subject subject;
  subject.headers = request.headers;
  subject.faults = Faults::Verdict;
  SigningContext& ctx = subject.ctx;
  ctx.url = opts.scheme.url;
  if (ctx.url.empty() && scheme.needs_url()) ctx.url = signed_url(request);
  ctx.method = request.method; // for a template that signs {method}
  ctx.id = opts.scheme.id;
  ctx.timestamp = parse_timestamp_option(opts.scheme.timestamp, "--timestamp");
  VerifyOptions options;
  options.now = request.received_ms > 0 ? request.received_ms / 1000 : now_s();
  options.tolerance_s = tolerance_option(opts.tolerance);
  subject.options = options;
  subject.read_body = [&request] { return std::string_view(request.body); };
  subject.describe = [&](const Presented&, std::size_t size) {
    return "checking " + request.method + " " + request.target() + " (" + path + ":" +
           std::to_string(index) + ", " + std::to_string(size) + " bytes)";
  };
  return check_subject(subject, scheme, opts, global);
}

// A payload with the headers typed as -H lines (or --signature): a fault of theirs is a usage
// error naming the flag, as for any flag's value.
int run_verify(const VerifyCliOptions& opts, const Global& global) {
  if (!opts.request.empty()) return run_verify_request(opts, global);
  Scheme scheme = scheme_for_receiver(resolve_scheme(opts.scheme), opts.public_key, opts.key);
  Subject subject;
  std::vector<Header>& headers = subject.headers;
  for (const auto& line : opts.headers)
    headers.push_back(parse_header_line(line, "--header"));
  if (!opts.signature && headers.empty())
    throw Error("no signature: give --signature VALUE or --header 'Name: value' (--signature)");
  if (scheme.name == "hmac" && opts.scheme.header == "X-Signature" && headers.size() == 1)
    scheme.signature_headers = {headers.front().name}; // the one header given is the signature
  subject.signature = opts.signature;
  subject.faults = Faults::Thrown;

  SigningContext& explicit_ctx = subject.ctx;
  explicit_ctx.url = opts.scheme.url;
  explicit_ctx.id = opts.scheme.id;
  explicit_ctx.timestamp = parse_timestamp_option(opts.scheme.timestamp, "--timestamp");

  VerifyOptions options;
  options.now = now_s();
  options.tolerance_s = tolerance_option(opts.tolerance);
  subject.options = options;
  std::optional<Payload> payload;
  subject.read_body = [&opts, &payload]() -> std::string_view {
    payload.emplace(open_payload(opts.payload));
    const std::string& body = payload->read_all();
    if (body.empty()) throw Error("the payload is empty (" + payload->label() + ")");
    return body;
  };
  subject.describe = [&payload](const Presented& presented, std::size_t size) {
    return "checking " + std::to_string(presented.candidates.size()) + " signature(s) from " +
           presented.header_name + " over " + std::to_string(size) + " bytes of " +
           payload->label();
  };
  return check_subject(subject, scheme, opts, global);
}

} // namespace

void setup_verify(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<VerifyCliOptions>();
  app.add_option("payload", opts->payload, "Body file, @file, or - for stdin (default stdin)")
      ->option_text("PAYLOAD");
  add_scheme_options(app, opts->scheme);
  add_key_options(app, opts->key);
  add_public_key_options(app, opts->public_key);
  app.add_option("--signature", opts->signature, "The signature header's value")
      ->option_text("VALUE");
  app.add_option("--header,-H", opts->headers, "A request header, 'Name: value' (repeatable)")
      ->option_text("'NAME: VALUE'")
      ->allow_extra_args(false);
  app.add_option("--tolerance", opts->tolerance,
                 "Timestamp window, e.g. 300, 5m (default: the scheme's; 0 turns the check off)")
      ->option_text("DURATION");
  app.add_option("--request", opts->request,
                 "Check request N (from 1; -1 the last, the default) of a listen --record file, "
                 "with its own headers")
      ->option_text("FILE[:N]");
  app.add_flag("--strict", opts->strict,
               "With --request: refuse a record file with a line that is not a record (a torn last "
               "line is skipped, with a warning, without it)");
  app.add_flag("--json", opts->json, "Print the verdict as a JSON object");
  app.callback(
      [opts, &global, &action] { action = [opts, &global] { return run_verify(*opts, global); }; });
}

} // namespace hooktool::cli
