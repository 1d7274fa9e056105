// hooktool replay: re-send recorded requests (listen --record) byte for byte, or re-signed, and
// show each answer the way send does.
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "cli/exchange.hpp"
#include "core/show/capture.hpp"
#include "core/show/exchange.hpp"
#include "core/show/render.hpp"
#include "core/signature/signature.hpp"
#include "core/util/bytes.hpp"
#include "core/util/clock.hpp"
#include "core/util/error.hpp"
#include "core/util/http.hpp"
#include "core/util/random.hpp"
#include "core/util/utf8.hpp"
#include "core/vendor/vendor.hpp"
#include "net/client.hpp"

namespace hooktool::cli {

namespace {

struct ReplayOptions {
  std::string file;
  std::string url;
  std::vector<std::int64_t> indexes;
  bool all = false;
  bool strict = false; // a line of the record file that is not a record is an error
  std::vector<std::string> filters;
  bool resign = false;
  SchemeOptions scheme;
  KeyOptions key;
  bool edit = false;
  std::string timeout = "10s";
  bool show_body = false;
  bool json = false;
  std::string cacert;
  bool insecure = false;
};

// Every filter must appear, ignoring case, in the path and query or in one "Name: value" line.
bool matches(const CapturedRequest& r, const std::vector<std::string>& filters) {
  for (const auto& f : filters) {
    const std::string needle = to_lower(f);
    bool hit = to_lower(r.target()).find(needle) != std::string::npos;
    for (const auto& h : r.headers)
      hit = hit || to_lower(h.name + ": " + h.value).find(needle) != std::string::npos;
    if (!hit) return false;
  }
  return true;
}

// Where to send. A URL with a path is used as given. Otherwise the recorded path and query go
// after its root as they arrived: libcurl gets the root and sends the recorded target verbatim
// (CURLOPT_REQUEST_TARGET), since its URL parser would refuse, normalise (dot segments) or cut (at
// '#') some of what senders send. `full` is the URL that was called, bytes as they are, for a
// scheme that signs it.
struct Destination {
  std::string url;
  std::string target; // empty: the URL's own
  std::string full;
};
Destination destination(const std::string& base, const CapturedRequest& r) {
  auto scheme_end = base.find("://");
  auto path_start = base.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path_start != std::string::npos && base.substr(path_start) != "/") return {base, {}, base};
  std::string root = path_start == std::string::npos ? base : base.substr(0, path_start);
  const std::string target = r.target();
  if (target.empty()) return {root + "/", {}, root + "/"};
  return {root + "/", target, root + target};
}

std::string edit_body(const std::string& body) {
  char path[] = "/tmp/hooktool-edit-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) throw Error("cannot make a temporary file for --edit (--edit)");
  ::close(fd);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    if (!out.flush()) throw Error("cannot write the body to edit (--edit)");
  }
  const char* editor = std::getenv("VISUAL");
  if (!editor || !*editor) editor = std::getenv("EDITOR");
  std::string command = std::string(editor && *editor ? editor : "vi") + " '" + path + "'";
  int rc = std::system(command.c_str());
  std::ifstream in(path, std::ios::binary);
  std::ostringstream edited;
  edited << in.rdbuf();
  ::unlink(path);
  // std::system gives a wait status (exit 1 is 256), or -1 when no shell could be started.
  if (rc == -1)
    throw Error("cannot run the editor: " + std::string(std::strerror(errno)) +
                "; nothing sent (--edit)");
  if (WIFSIGNALED(rc))
    throw Error("the editor was killed by signal " + std::to_string(WTERMSIG(rc)) +
                "; nothing sent (--edit)");
  if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 0)
    throw Error("the editor exited with status " +
                std::to_string(WIFEXITED(rc) ? WEXITSTATUS(rc) : rc) + "; nothing sent (--edit)");
  return edited.str();
}

// Why libcurl cannot send a recorded header as it is, or empty when it can: a NUL byte (a head
// may not hold one, RFC 9110 section 5.5, and libcurl's strings end at it), no name, or a value
// of nothing but white space (libcurl's "Name:" means: do not send Name). Such a header is left
// out, and said, rather than sent other than it was recorded.
std::string unsendable(const Header& h) {
  if (h.name.empty()) return "has no name";
  if (h.name.find('\0') != std::string::npos || h.value.find('\0') != std::string::npos)
    return "holds a NUL byte";
  if (h.value.find_first_not_of(" \t\r\n\v\f") == std::string::npos) return "has an empty value";
  return {};
}

int worse(int a, int b) {
  auto rank = [](int c) {
    return c == kExitNetwork ? 3 : c == kExitCheckFailed ? 2 : c == kExitOk ? 0 : 1;
  };
  return rank(b) > rank(a) ? b : a;
}

// --resign: the request signed afresh (timestamp now; the recorded message id, or a fresh one),
// each signature header replaced where it stands, so the recorded order is kept.
void resign(net::HttpRequest& request, const CapturedRequest& r, const Scheme& scheme,
            const std::string& key, const std::string& url, Random& random) {
  SigningContext ctx;
  ctx.url = url;
  if (scheme.needs_timestamp()) ctx.timestamp = now_s(); // old timestamps are rightly refused
  if (scheme.needs_id()) {
    const Header* id = nullptr;
    for (const auto& name : scheme.id_headers)
      if (!id) id = find_header(r.headers, name);
    ctx.id = id ? id->value : message_id(random);
  }
  for (const auto& h : sign(scheme, key, ctx, request.body).headers) {
    bool replaced = false;
    for (auto& old : request.headers)
      if (iequals(old.name, h.name)) old.value = h.value, replaced = true;
    if (!replaced) request.headers.push_back(h);
  }
}

int run_replay(const ReplayOptions& opts, const Global& global) {
  const RecordRef ref = split_record_arg(opts.file, "replay");
  const std::string& file = ref.path;
  const RecordFile records = read_record_file(file, opts.strict, "replay");
  for (const auto& warning : records.warnings)
    note(warning);
  const std::vector<CapturedRequest>& recorded = records.requests;
  net::check_url(opts.url);
  std::vector<std::int64_t> indexes = opts.indexes;
  if (ref.index) indexes.insert(indexes.begin(), *ref.index); // FILE:N is --index N
  std::vector<std::size_t> chosen;
  if (!indexes.empty()) {
    for (auto i : indexes)
      chosen.push_back(resolve_record_index(i, recorded.size(), file, "--index"));
  } else {
    for (std::size_t i = 1; i <= recorded.size(); ++i)
      if (matches(recorded[i - 1], opts.filters)) chosen.push_back(i);
    if (chosen.empty()) throw Error("no recorded request matches the filters (--filter)");
    if (!opts.all) chosen = {chosen.back()}; // the latest, unless --all
  }
  std::optional<Scheme> scheme;
  std::string key;
  Random random(std::nullopt); // a fresh message id for a request recorded without one
  if (opts.resign) {
    scheme = resolve_scheme(opts.scheme);
    key = derive_key(resolve_key_format(opts.key, *scheme), read_secret(opts.key, global.verbose));
  }
  auto ms = parse_duration_ms(opts.timeout);
  if (!ms || *ms <= 0) throw Error("'" + opts.timeout + "' is not a duration like 10s (--timeout)");

  RenderOptions render;
  render.color = global.use_color;
  render.show_body = opts.show_body;
  render.body_cut = global.body_cut;
  // With --vendor, the answers are judged by that vendor's rule (what counts as delivered).
  const Catalog catalog = Catalog::with_files(opts.scheme.vendor_files);
  const VendorProfile* vendor =
      opts.scheme.vendor.empty() ? nullptr : &catalog.get(opts.scheme.vendor, "--vendor");
  const Delivery* rule = vendor ? &vendor->delivery : nullptr;
  if (vendor) {
    render.vendor_title = vendor->title;
    render.delivery = rule;
    render.limit_ms = *ms;
    render.limit_from_flag = true;
  }
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  int code = kExitOk;
  for (std::size_t index : chosen) {
    const CapturedRequest& r = recorded[index - 1];
    const std::string which = "request " + std::to_string(index) + " of " + file;
    if (r.method.find('\0') != std::string::npos || r.target().find('\0') != std::string::npos) {
      note(which + ": its request line holds a NUL byte, which HTTP does not allow and libcurl "
                   "cannot send: not sent");
      code = worse(code, kExitUsage);
      continue;
    }
    net::HttpRequest request;
    request.method = r.method;
    const Destination to = destination(opts.url, r);
    request.url = to.url;
    request.target = to.target;
    request.body = opts.edit ? edit_body(r.body) : r.body;
    request.timeout_ms = *ms;
    request.cacert = opts.cacert;
    request.insecure = opts.insecure;
    for (std::size_t i = 0; i < r.headers.size(); ++i) {
      const Header& h = r.headers[i];
      if (is_hop_by_hop(h.name)) continue; // the transport's own; the rest is sent as recorded
      if (const std::string why = unsendable(h); !why.empty())
        note(which + ": header " + std::to_string(i + 1) + " (" + visible_text(h.name) + ") " +
             why + ", which libcurl cannot send: left out");
      else
        request.headers.push_back(h);
    }
    if (scheme)
      resign(request, r, *scheme, key, opts.scheme.url.empty() ? to.full : opts.scheme.url, random);
    // libcurl adds a User-Agent, an Accept and (with a body) a Content-Type of its own to a
    // request that has none; the recorded request had none, so none is sent ("Name:" without a
    // value tells libcurl not to add its own).
    net::HttpRequest sent = request;
    for (const char* own : {"User-Agent", "Accept", "Content-Type"})
      if (!find_header(request.headers, own)) sent.headers.push_back({own, ""});
    const net::HttpResponse response = net::send_request(sent);
    // What is shown (--json too): the URL called and the headers, bytes that are not UTF-8
    // escaped; the text shows the head as libcurl sent it, escaped by render_exchange.
    net::HttpRequest shown = request;
    shown.url = escape_invalid_utf8(to.full);
    for (auto& h : shown.headers)
      h = {escape_invalid_utf8(h.name), escape_invalid_utf8(h.value)};
    const Exchange e = to_exchange(shown, response, {});
    code = worse(code, exchange_exit_code(e, rule));
    if (opts.json) {
      auto j = exchange_json(e, rule);
      j["index"] = index;
      results.push_back(j);
    } else {
      std::cout << Style{global.use_color}.bold("request " + std::to_string(index) + " of " + file)
                << "\n"
                << render_exchange(e, render) << (index == chosen.back() ? "" : "\n");
      std::cout.flush();
    }
  }
  if (opts.json) print_json(results);
  return code;
}

} // namespace

void setup_replay(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<ReplayOptions>();
  app.add_option("file", opts->file,
                 "A record file written by listen --record; FILE:N is --index N")
      ->required()
      ->option_text("FILE[:N]");
  app.add_option("url", opts->url,
                 "Where to send: a base URL (the recorded path is appended) or a full URL")
      ->required()
      ->option_text("URL");
  app.add_option("--index", opts->indexes,
                 "Replay request N of the file, from 1; -1 the last (repeatable; default the last)")
      ->option_text("N")
      ->allow_extra_args(false);
  app.add_flag("--all", opts->all, "Replay every request (that matches the filters), in order");
  app.add_flag("--strict", opts->strict,
               "Refuse a record file with a line that is not a record (a torn last line is "
               "skipped, with a warning, without it)");
  app.add_option("--filter", opts->filters,
                 "Only requests whose path or a header line contains TEXT")
      ->option_text("TEXT")
      ->allow_extra_args(false);
  app.add_flag("--resign", opts->resign,
               "Sign again (fresh timestamp) with --scheme/--vendor and a key");
  add_scheme_options(app, opts->scheme);
  add_key_options(app, opts->key);
  app.add_flag("--edit", opts->edit, "Edit each body in $EDITOR before sending");
  app.add_option("--timeout", opts->timeout, "Give up after DURATION (default 10s)")
      ->option_text("DURATION");
  app.add_flag("--show-body", opts->show_body, "Show the body sent");
  add_full_option(app, global);
  app.add_flag("--json", opts->json, "Print a JSON array, one object per request sent");
  app.add_option("--cacert", opts->cacert, "Trust the CA certificates in FILE for HTTPS")
      ->option_text("FILE");
  app.add_flag("--insecure", opts->insecure, "Do not verify the HTTPS certificate");
  app.callback(
      [opts, &global, &action] { action = [opts, &global] { return run_replay(*opts, global); }; });
}

} // namespace hooktool::cli
