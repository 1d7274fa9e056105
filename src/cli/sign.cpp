// hooktool sign: the header line(s) a sender adds for a payload.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/signature/signature.hpp"
#include "core/util/clock.hpp"
#include "core/util/error.hpp"
#include "core/util/random.hpp"

namespace hooktool::cli {

namespace {

struct SignOptions {
  std::string payload;
  SchemeOptions scheme;
  KeyOptions key;
  bool value_only = false;
  bool json = false;
};

int run_sign(const SignOptions& opts, const Global& global) {
  const std::string secret = read_secret(opts.key, global.verbose);
  const Scheme scheme = scheme_for_private_key(resolve_scheme(opts.scheme), secret);
  const std::string key = derive_key(resolve_key_format(opts.key, scheme), secret);

  SigningContext ctx;
  ctx.url = opts.scheme.url;
  if (opts.scheme.id.empty() && scheme.needs_id()) {
    Random random(std::nullopt);
    ctx.id = message_id(random);
  } else {
    ctx.id = opts.scheme.id;
  }
  ctx.timestamp = parse_timestamp_option(opts.scheme.timestamp, "--timestamp");
  if (!ctx.timestamp && scheme.needs_timestamp()) ctx.timestamp = now_s();

  Payload payload = open_payload(opts.payload);
  const Signature signature = sign(scheme, key, ctx, payload); // streamed: memory stays flat
  if (signature.body_size == 0) throw Error("the payload is empty (" + payload.label() + ")");
  if (global.verbose)
    note("signed " + std::to_string(signature.body_size) + " bytes of " + payload.label() +
         " with " + scheme.name + ": " + describe_scheme(scheme));

  if (opts.value_only) {
    std::cout << signature.encoded_mac << "\n";
  } else if (opts.json) {
    nlohmann::ordered_json headers = nlohmann::ordered_json::object();
    for (const auto& h : signature.headers)
      headers[h.name] = h.value;
    print_json(headers);
  } else {
    for (const auto& h : signature.headers)
      std::cout << h.name << ": " << h.value << "\n";
  }
  return kExitOk;
}

} // namespace

void setup_sign(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<SignOptions>();
  app.add_option("payload", opts->payload, "Body file, @file, or - for stdin (default stdin)")
      ->option_text("PAYLOAD");
  add_scheme_options(app, opts->scheme);
  add_key_options(app, opts->key);
  app.add_flag("--value-only", opts->value_only, "Print only the encoded signature");
  app.add_flag("--json", opts->json, "Print the headers as a JSON object");
  app.callback(
      [opts, &global, &action] { action = [opts, &global] { return run_sign(*opts, global); }; });
}

} // namespace hooktool::cli
