// hooktool keygen: a test key pair of a public-key scheme, in the provider's own formats.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/signature/public_key.hpp"
#include "core/util/error.hpp"

namespace hooktool::cli {

namespace {

struct KeygenOptions {
  SchemeOptions scheme;
  bool pem = false;
  bool json = false;
};

int run_keygen(const KeygenOptions& opts) {
  const Scheme base = resolve_scheme(opts.scheme);
  if (!has_ed25519_variant(base))
    throw Error(base.name +
                " signs with a shared secret, not a key pair: keygen makes keys for discord and "
                "standard (v1a) (--scheme)");
  const Scheme scheme = ed25519_variant(base);
  const Ed25519Pair pair = ed25519_generate();
  const std::string private_key =
      opts.pem ? ed25519_private_pem(pair.seed) : format_ed25519_private(scheme, pair.seed);
  const std::string public_key = opts.pem ? ed25519_public_pem(pair.public_key)
                                          : format_ed25519_public(scheme, pair.public_key);
  if (opts.json) {
    nlohmann::ordered_json out;
    out["scheme"] = scheme.name;
    out["algorithm"] = "ed25519";
    out["format"] = opts.pem ? "pem" : "provider";
    out["private_key"] = private_key;
    out["public_key"] = public_key;
    print_json(out);
  } else if (opts.pem) {
    std::cout << private_key << public_key;
  } else {
    std::cout << "private key: " << private_key << "\n";
    std::cout << "public key:  " << public_key << "\n";
  }
  return kExitOk;
}

} // namespace

void setup_keygen(CLI::App& app, Global&, Action& action) {
  auto opts = std::make_shared<KeygenOptions>();
  app.footer("The private key is printed: that is this command's job. It is a test key: give it "
             "to sign or send (--key-file), the public key to verify or listen "
             "(--public-key-file).");
  app.add_option("--scheme,-s", opts->scheme.scheme,
                 "Public-key scheme: discord (hex) or standard (whsk_/whpk_, v1a)")
      ->option_text("NAME");
  app.add_option("--vendor", opts->scheme.vendor, "Vendor whose scheme to use")
      ->option_text("NAME");
  add_vendor_file_option(app, opts->scheme.vendor_files);
  app.add_flag("--pem", opts->pem, "Write both keys as PEM (PRIVATE KEY, PUBLIC KEY)");
  app.add_flag("--json", opts->json, "Print the key pair as a JSON object");
  app.callback([opts, &action] { action = [opts] { return run_keygen(*opts); }; });
}

} // namespace hooktool::cli
