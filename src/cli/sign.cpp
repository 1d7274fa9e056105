// hooktool sign: the header line(s) a sender adds for a payload.
#include <openssl/rand.h>

#include <CLI/CLI.hpp>
#include <ctime>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/util/error.hpp"
#include "core/signature/signature.hpp"

namespace hooktool::cli {

namespace {

struct SignOptions {
  std::string payload;
  SchemeOptions scheme;
  KeyOptions key;
  bool value_only = false;
  bool json = false;
};

// A fresh Standard Webhooks id: "msg_" and 27 base62 characters, like the vendors' own.
std::string fresh_message_id() {
  static const char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  unsigned char random[27];
  if (RAND_bytes(random, sizeof random) != 1) throw Error("no randomness for a message id (--id)");
  std::string id = "msg_";
  for (unsigned char r : random) id.push_back(kAlphabet[r % 62]);
  return id;
}

int run_sign(const SignOptions& opts, const Global& global) {
  const Scheme scheme = resolve_scheme(opts.scheme);
  const std::string secret = read_secret(opts.key, global.verbose);
  const std::string key = derive_key(resolve_key_format(opts.key, scheme), secret);

  SigningContext ctx;
  ctx.url = opts.scheme.url;
  ctx.id = opts.scheme.id.empty() && scheme.needs_id() ? fresh_message_id() : opts.scheme.id;
  ctx.timestamp = parse_timestamp_option(opts.scheme.timestamp, "--timestamp");
  if (!ctx.timestamp && scheme.needs_timestamp()) ctx.timestamp = static_cast<std::int64_t>(std::time(nullptr));

  Payload payload = open_payload(opts.payload);
  std::uint64_t size = 0;
  const std::string mac = compute_mac(scheme, key, ctx, payload, &size);
  if (size == 0) throw Error("the payload is empty (" + payload.label() + ")");
  const std::string encoded = encode_mac(scheme, mac);
  if (global.verbose)
    note("signed " + std::to_string(size) + " bytes of " + payload.label() + " with " + scheme.name +
         ": " + describe_scheme(scheme));

  if (opts.value_only) {
    std::cout << encoded << "\n";
  } else if (opts.json) {
    nlohmann::ordered_json headers = nlohmann::ordered_json::object();
    for (const auto& h : render_headers(scheme, encoded, ctx)) headers[h.name] = h.value;
    print_json(headers);
  } else {
    for (const auto& h : render_headers(scheme, encoded, ctx)) std::cout << h.name << ": " << h.value << "\n";
  }
  return kExitOk;
}

}  // namespace

void setup_sign(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<SignOptions>();
  app.add_option("payload", opts->payload, "Body file, @file, or - for stdin (default stdin)")
      ->option_text("PAYLOAD");
  add_scheme_options(app, opts->scheme);
  add_key_options(app, opts->key);
  app.add_flag("--value-only", opts->value_only, "Print only the encoded signature");
  app.add_flag("--json", opts->json, "Print the headers as a JSON object");
  app.callback([opts, &global, &action] { action = [opts, &global] { return run_sign(*opts, global); }; });
}

}  // namespace hooktool::cli
