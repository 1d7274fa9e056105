// Shared command-line pieces (see common.hpp).
#include "cli/common.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/signature/public_key.hpp"
#include "core/signature/scheme.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/vendor/vendor.hpp"

namespace hooktool::cli {

bool decide_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string_view(term) == "dumb") return false;
  return stdout_is_tty();
}

bool stdout_is_tty() { return ::isatty(STDOUT_FILENO) == 1; }

// 64 KiB a write(2), line by line on a terminal (as stdio would). After a failed write the rest is
// dropped: what reached the reader cannot be told, so nothing is written after a hole.
class StdoutGuard::Buffer : public std::streambuf {
public:
  Buffer() : m_line_buffered(stdout_is_tty()) { m_data.reserve(kSize); }
  int error() const { return m_error; }
  int flush() {
    std::size_t done = 0;
    while (done < m_data.size() && m_error == 0) {
      const ssize_t n = ::write(STDOUT_FILENO, m_data.data() + done, m_data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        m_error = n < 0 ? errno : EIO;
      else
        done += static_cast<std::size_t>(n);
    }
    m_data.clear();
    return m_error;
  }

protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return sync() == 0 ? 0 : c;
    const char ch = traits_type::to_char_type(c);
    return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    if (m_error) return 0;
    m_data.append(s, static_cast<std::size_t>(n));
    if (m_data.size() >= kSize ||
        (m_line_buffered && std::memchr(s, '\n', static_cast<std::size_t>(n)) != nullptr))
      flush();
    return m_error ? 0 : n;
  }
  int sync() override { return flush() == 0 ? 0 : -1; }

private:
  static constexpr std::size_t kSize = 64 * 1024;
  std::string m_data;
  bool m_line_buffered;
  int m_error = 0;
};

StdoutGuard::StdoutGuard() : m_buffer(std::make_unique<Buffer>()) {
  std::cout.flush();
  m_old = std::cout.rdbuf(m_buffer.get());
}

StdoutGuard::~StdoutGuard() {
  m_buffer->flush();
  std::cout.rdbuf(m_old);
}

int StdoutGuard::flush() { return m_buffer->flush(); }

std::string stdout_error_message(int error) {
  return std::string("cannot write stdout: ") + std::strerror(error) + " (stdout)";
}

void add_full_option(CLI::App& app, Global& global) {
  app.add_flag("--full", global.full,
               "Show long text bodies whole (on a terminal they stop after a screenful)");
}

void add_key_options(CLI::App& app, KeyOptions& opts) {
  app.add_option("--key,-k", opts.key,
                 "Secret key (prefer --key-file or HOOKTOOL_KEY: argv is visible)")
      ->option_text("SECRET");
  app.add_option("--key-file", opts.key_file,
                 "Read the secret from FILE (one trailing newline dropped)")
      ->option_text("FILE");
  app.add_option(
         "--key-format", opts.key_format,
         "How the secret becomes key bytes: raw, whsec, base64, hex (default: the scheme's)")
      ->option_text("FORMAT");
}

bool key_given(const KeyOptions& opts) {
  const char* env = std::getenv("HOOKTOOL_KEY");
  return !opts.key.empty() || !opts.key_file.empty() || (env && *env);
}

std::string read_secret(const KeyOptions& opts, bool verbose) {
  if (!opts.key.empty() && !opts.key_file.empty())
    throw Error("give the key once: --key or --key-file, not both (--key-file)");
  if (!opts.key.empty()) return opts.key;
  if (!opts.key_file.empty()) {
    std::ifstream in(opts.key_file, std::ios::binary);
    if (!in) throw Error("cannot read key file " + opts.key_file + " (--key-file)");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    std::string secret = buffer.str();
    if (ends_with(secret, "\r\n")) {
      secret.resize(secret.size() - 2);
      if (verbose) note("dropped the trailing CRLF of the key file (--key-file)");
    } else if (ends_with(secret, "\n")) {
      secret.pop_back();
      if (verbose) note("dropped the trailing newline of the key file (--key-file)");
    }
    if (secret.empty()) throw Error("key file " + opts.key_file + " is empty (--key-file)");
    return secret;
  }
  if (const char* env = std::getenv("HOOKTOOL_KEY"); env && *env) return env;
  throw Error("no key: give --key, --key-file or set HOOKTOOL_KEY (key)");
}

KeyFormat resolve_key_format(const KeyOptions& opts, const Scheme& scheme) {
  if (opts.key_format.empty()) return scheme.key_format;
  auto format = parse_key_format(opts.key_format);
  if (!format)
    throw Error("unknown key format '" + opts.key_format +
                "': use raw, whsec, base64 or hex (--key-format)");
  return *format;
}

Scheme scheme_for_private_key(const Scheme& scheme, const std::string& secret) {
  if (scheme.signer == Signer::Hmac && has_ed25519_variant(scheme) &&
      looks_like_ed25519_private(secret))
    return ed25519_variant(scheme);
  return scheme;
}

void add_public_key_options(CLI::App& app, PublicKeyOptions& opts) {
  app.add_option(
         "--public-key", opts.value,
         "Public key of a public-key scheme (discord: 64 hex; standard v1a: whpk_…; or PEM)")
      ->option_text("VALUE");
  app.add_option("--public-key-file", opts.file, "Read the public key from FILE (text or PEM)")
      ->option_text("FILE");
}

bool public_key_given(const PublicKeyOptions& opts) {
  return !opts.value.empty() || !opts.file.empty();
}

std::string read_public_key(const PublicKeyOptions& opts) {
  if (!opts.value.empty() && !opts.file.empty())
    throw Error("give the public key once: --public-key or --public-key-file, not both "
                "(--public-key-file)");
  if (!opts.value.empty()) {
    parse_ed25519_public(opts.value, "--public-key");
    return opts.value;
  }
  if (opts.file.empty())
    throw Error("no public key: give --public-key VALUE or --public-key-file FILE (--public-key)");
  std::ifstream in(opts.file, std::ios::binary);
  if (!in) throw Error("cannot read public key file " + opts.file + " (--public-key-file)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text(trim(buffer.str()));
  parse_ed25519_public(text, "--public-key-file");
  return text;
}

Scheme scheme_for_receiver(const Scheme& scheme, const PublicKeyOptions& public_key,
                           const KeyOptions& key) {
  if (public_key_given(public_key)) {
    if (!has_ed25519_variant(scheme))
      throw Error(scheme.name + " signs with a shared secret: give it with --key or --key-file, "
                                "not --public-key (--public-key)");
    if (!key.key.empty() || !key.key_file.empty())
      throw Error("give --public-key or --key, not both (--public-key)");
    return ed25519_variant(scheme);
  }
  if (scheme.signer == Signer::Ed25519 && (!key.key.empty() || !key.key_file.empty()))
    throw Error(scheme.name + " is checked with the public key: give --public-key or "
                              "--public-key-file (the private key is for sign and send) "
                              "(--public-key)");
  return scheme;
}

void add_scheme_options(CLI::App& app, SchemeOptions& opts) {
  app.add_option("--scheme,-s", opts.scheme, "Signature scheme (see 'hooktool schemes')")
      ->option_text("NAME");
  app.add_option("--vendor", opts.vendor, "Vendor whose scheme to use (see 'hooktool vendors')")
      ->option_text("NAME");
  add_vendor_file_option(app, opts.vendor_files);
  app.add_option("--algo", opts.algo, "hmac scheme: sha1, sha256 or sha512 (default sha256)")
      ->option_text("ALGO");
  app.add_option("--encoding", opts.encoding, "hmac scheme: hex or base64 (default hex)")
      ->option_text("ENC");
  app.add_option("--prefix", opts.prefix, "hmac scheme: text before the signature, e.g. sha256=")
      ->option_text("TEXT");
  app.add_option("--signature-header", opts.header,
                 "hmac scheme: the signature header (default X-Signature)")
      ->option_text("NAME");
  app.add_option("--url", opts.url, "The URL the hook is sent to (twilio and square sign it)")
      ->option_text("URL");
  app.add_option("--timestamp", opts.timestamp, "Unix time in seconds for timestamped schemes")
      ->option_text("SECONDS");
  app.add_option("--id", opts.id, "Message id for the standard scheme (webhook-id)")
      ->option_text("ID");
}

std::vector<std::string> scheme_names() {
  std::vector<std::string> names;
  for (const auto& s : builtin_schemes())
    names.push_back(s.name);
  names.push_back("hmac");
  return names;
}

std::vector<std::string> vendor_names() { return Catalog::builtin().names(); }

void add_vendor_file_option(CLI::App& app, std::vector<std::string>& files) {
  app.add_option("--vendor-file", files,
                 "Add the vendor described in FILE (repeatable; see hooktool(1))")
      ->option_text("FILE")
      ->allow_extra_args(false);
}

void add_sample_options(CLI::App& app, SampleCliOptions& opts) {
  app.add_option("--vendor", opts.vendor, "Vendor whose sample to use (see 'hooktool vendors')")
      ->option_text("NAME")
      ->required();
  add_vendor_file_option(app, opts.vendor_files);
  app.add_option("--event,-e", opts.event, "Event of the vendor (default: its first)")
      ->option_text("EVENT");
  app.add_option("--format", opts.format, "Body format: json or form (default: the vendor's first)")
      ->option_text("FORMAT");
  app.add_option("--seed", opts.seed,
                 "Fix the random ids and values: the same N, the same ones (times come from "
                 "the clock or HOOKTOOL_NOW)")
      ->option_text("N")
      ->check(CLI::Validator(
          [](std::string& value) {
            return value.empty() || value[0] != '-'
                       ? std::string()
                       : "takes a whole number, 0 or more, not '" + value + "'";
          },
          ""));
  app.add_option("--set", opts.sets,
                 "Change a field: PATH=VALUE, e.g. 0.fields.City=Paris (repeatable)")
      ->option_text("PATH=VALUE")
      ->allow_extra_args(false);
  app.add_option("--batch", opts.batch, "Records in one array payload, where the vendor batches")
      ->option_text("N");
}

Scheme resolve_scheme(const SchemeOptions& opts) {
  std::string name = opts.scheme;
  if (!opts.vendor.empty()) {
    const Catalog catalog = Catalog::with_files(opts.vendor_files);
    const VendorProfile& vendor = catalog.get(opts.vendor, "--vendor");
    if (vendor.scheme.empty())
      throw Error(vendor.title +
                  " does not sign its hooks: there is nothing to sign or verify (--vendor)");
    if (!name.empty() && name != vendor.scheme)
      throw Error("--vendor " + opts.vendor + " uses the " + vendor.scheme + " scheme, not " +
                  name + ": give one of them (--scheme)");
    name = vendor.scheme;
    if (vendor.own_scheme) return *vendor.own_scheme;
  }
  if (name.empty())
    throw Error(
        "no scheme: give --scheme NAME or --vendor NAME (see 'hooktool schemes') (--scheme)");
  if (name == "hmac") {
    auto algo = parse_algo(opts.algo);
    if (!algo)
      throw Error("unknown algorithm '" + opts.algo + "': use sha1, sha256 or sha512 (--algo)");
    auto encoding = parse_encoding(opts.encoding);
    if (!encoding)
      throw Error("unknown encoding '" + opts.encoding + "': use hex or base64 (--encoding)");
    if (opts.header.empty()) throw Error("the header name is empty (--signature-header)");
    return make_hmac_scheme(*algo, *encoding, opts.prefix, opts.header);
  }
  const Scheme* scheme = find_scheme(name);
  if (!scheme) {
    auto hint = did_you_mean(name, scheme_names());
    throw Error("unknown scheme '" + name + "'" + (hint.empty() ? "" : ", " + hint) +
                " (--scheme)");
  }
  return *scheme;
}

std::optional<std::int64_t> parse_timestamp_option(const std::string& text, const char* flag) {
  if (text.empty()) return std::nullopt;
  auto ts = parse_int(text);
  if (!ts || *ts < 0) throw Error("'" + text + "' is not a unix time in seconds (" + flag + ")");
  return ts;
}

RecordRef split_record_arg(const std::string& arg, const char* flag) {
  const auto colon = arg.rfind(':');
  if (colon == std::string::npos || colon + 1 == arg.size() || ::access(arg.c_str(), F_OK) == 0)
    return {arg, std::nullopt};
  auto index = parse_int(std::string_view(arg).substr(colon + 1));
  if (!index) return {arg, std::nullopt};
  if (*index == 0)
    throw Error("requests are numbered from 1, or from -1 for the last (" + std::string(flag) +
                " " + arg + ")");
  return {arg.substr(0, colon), *index};
}

std::size_t resolve_record_index(std::int64_t index, std::size_t count, const std::string& path,
                                 const char* flag) {
  if (count == 0) throw Error("record file " + path + " holds no request (" + flag + ")");
  if (index == 0)
    throw Error("requests are numbered from 1, or from -1 for the last (" + std::string(flag) +
                ")");
  const auto n = static_cast<std::int64_t>(count);
  if (index > n || index < -n)
    throw Error("record file " + path + " holds " + std::to_string(count) + " request(s), not " +
                std::to_string(index) + " (" + flag + ")");
  return static_cast<std::size_t>(index > 0 ? index : n + 1 + index);
}

Payload open_payload(const std::string& arg) {
  Payload payload = Payload::from_arg(arg);
  if (payload.is_stdin() && ::isatty(STDIN_FILENO) == 1)
    throw Error("no payload: give a file, or pipe the body on stdin (payload)");
  return payload;
}

std::string json_text(const nlohmann::ordered_json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

void print_json(const nlohmann::ordered_json& value) { std::cout << json_text(value, 2); }

void note(const std::string& text) { std::cerr << "hooktool: note: " << text << "\n"; }

namespace {
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}
} // namespace

std::optional<std::int64_t> tolerance_option(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto ms = parse_duration_ms(text);
  if (!ms) throw Error("'" + text + "' is not a duration like 300, 300s or 5m (--tolerance)");
  // Timestamps are whole seconds: 500ms would otherwise become 0, which means no check at all.
  return *ms / 1000 + (*ms % 1000 != 0);
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& choices) {
  std::string best;
  size_t best_distance = 3; // more than two edits away is no suggestion
  for (const auto& choice : choices) {
    size_t d = edit_distance(word, choice);
    if (d < best_distance || (starts_with(choice, word) && best.empty() && !word.empty())) {
      best = choice;
      best_distance = std::min(d, best_distance);
    }
  }
  return best.empty() ? "" : "did you mean '" + best + "'?";
}

} // namespace hooktool::cli
