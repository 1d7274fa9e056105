// What the subcommands share: the command table, colour, key and scheme options, payload input,
// and the one JSON formatter.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include "core/show/render.hpp"
#include "core/show/style.hpp"
#include "core/signature/scheme.hpp"
#include "core/util/payload.hpp"

namespace CLI {
class App;
}

namespace hooktool::cli {

// Options every subcommand takes; colour is decided once, after parsing, and passed down.
struct Global {
  std::string color = "auto";
  bool verbose = false;
  bool use_color = false;
  bool full = false; // --full (listen, send, replay)
  TextCut body_cut;  // a screenful when stdout is a terminal and no --full; decided once in run()
};

// Text is painted through hooktool::Style (core/show/style.hpp), made from Global::use_color.

bool decide_color(const std::string& mode); // auto: a TTY, TERM not dumb, NO_COLOR unset/empty
bool stdout_is_tty();

// std::cout for the length of run(): buffered, written to file descriptor 1 with write(2), and
// the errno of the first write that failed kept (std::cout's own state says only that one did).
// Restores std::cout's buffer when it goes.
class StdoutGuard {
public:
  StdoutGuard();
  ~StdoutGuard();
  StdoutGuard(const StdoutGuard&) = delete;
  StdoutGuard& operator=(const StdoutGuard&) = delete;
  // Writes what is buffered; the errno of the first failed write (EPIPE: the reader went away),
  // or 0.
  int flush();

private:
  class Buffer;
  std::unique_ptr<Buffer> m_buffer;
  std::streambuf* m_old = nullptr;
};
// "cannot write stdout: No space left on device (stdout)": one line for any stdout error.
std::string stdout_error_message(int error);
// --full for the commands that show bodies (listen, send, replay): long text bodies whole.
void add_full_option(CLI::App& app, Global& global);

using Action = std::function<int()>;
struct Command {
  const char* name;
  const char* summary;
  const char* example;
  void (*setup)(CLI::App& app, Global& global, Action& action);
};
const std::vector<Command>& commands();

struct KeyOptions {
  std::string key;
  std::string key_file;
  std::string key_format; // empty: the scheme's own
};
void add_key_options(CLI::App& app, KeyOptions& opts);
// Whether --key, --key-file or HOOKTOOL_KEY gives a key.
bool key_given(const KeyOptions& opts);
// --key, else --key-file (one trailing newline stripped), else HOOKTOOL_KEY. Never printed.
std::string read_secret(const KeyOptions& opts, bool verbose);
KeyFormat resolve_key_format(const KeyOptions& opts, const Scheme& scheme);
// The scheme a private key signs with: Standard Webhooks' v1a for a whsk_ or PEM key given to
// `standard`, else the scheme as it is.
Scheme scheme_for_private_key(const Scheme& scheme, const std::string& secret);

// --public-key VALUE / --public-key-file FILE: the side of a key pair a receiver has (verify,
// listen), in the provider's format or PEM.
struct PublicKeyOptions {
  std::string value;
  std::string file;
};
void add_public_key_options(CLI::App& app, PublicKeyOptions& opts);
bool public_key_given(const PublicKeyOptions& opts);
// The public key's text, checked to parse; throws Error naming the flag.
std::string read_public_key(const PublicKeyOptions& opts);
// The scheme a receiver checks: its Ed25519 form when a public key is given (discord, standard's
// v1a); refuses a public key for a shared-secret scheme and a shared key for a public-key one.
Scheme scheme_for_receiver(const Scheme& scheme, const PublicKeyOptions& public_key,
                           const KeyOptions& key);

struct SchemeOptions {
  std::string scheme;
  std::string vendor;
  std::vector<std::string> vendor_files;
  std::string algo = "sha256";
  std::string encoding = "hex";
  std::string prefix;
  std::string header = "X-Signature";
  std::string url;
  std::string timestamp;
  std::string id;
};
// --scheme/--vendor plus the generic HMAC options (--signature-header NAME names the generic
// scheme's header: --header/-H is a 'Name: value' line wherever it exists).
void add_scheme_options(CLI::App& app, SchemeOptions& opts);
Scheme resolve_scheme(const SchemeOptions& opts);
// --vendor-file FILE (repeatable): vendors of your own next to the built-in ones.
void add_vendor_file_option(CLI::App& app, std::vector<std::string>& files);
std::optional<std::int64_t> parse_timestamp_option(const std::string& text, const char* flag);
// --tolerance DURATION for verify and listen: whole seconds (rounded up), 0 for no check; nullopt
// when not given (the scheme's window).
std::optional<std::int64_t> tolerance_option(const std::string& text);

// What picks and shapes a vendor sample: shared by sample and send.
struct SampleCliOptions {
  std::string vendor;
  std::vector<std::string> vendor_files;
  std::string event;
  std::string format;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> sets; // PATH=VALUE
  int batch = 1;
};
void add_sample_options(CLI::App& app, SampleCliOptions& opts);

// A request of a record file (listen --record): "FILE", "FILE:N" (from 1) or "FILE:-N" (from the
// end, -1 the last); a file whose own name ends in ":N" is taken whole. No N: the last, which is
// the hook that just arrived (verify --request and replay agree).
struct RecordRef {
  std::string path;
  std::optional<std::int64_t> index; // as given: 1.., or -1.. from the end
};
RecordRef split_record_arg(const std::string& arg, const char* flag);
// The request's number from 1, for an index from 1 or from the end of `count` requests.
std::size_t resolve_record_index(std::int64_t index, std::size_t count, const std::string& path,
                                 const char* flag);

// A payload argument ("", "-", "@file", "file"); refuses to wait on a terminal for stdin.
Payload open_payload(const std::string& arg);

// The one JSON writer of --json output: indent 2 (print_json) or -1 for one line, and a newline.
std::string json_text(const nlohmann::ordered_json& value, int indent);
void print_json(const nlohmann::ordered_json& value);
void note(const std::string& text); // "hooktool: note: ..." on stderr
// "did you mean 'x'?" or "" when nothing is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& choices);

std::vector<std::string> scheme_names(); // the built-ins and "hmac"
std::vector<std::string> vendor_names();

} // namespace hooktool::cli
