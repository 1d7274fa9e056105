// Turning a captured request, and what became of it, into text for people (colours optional,
// painted through Style, style.hpp) or JSON for machines. The body is rendered for reading: JSON
// pretty-printed, URL-encoded forms decoded into a nested tree, text as text, binary as a short hex
// dump.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/show/capture.hpp"
#include "core/show/json_pretty.hpp"
#include "core/signature/signature.hpp"

namespace hooktool {

// What the app said when the request was forwarded to it.
struct ForwardOutcome {
  std::string url;
  int status = 0; // 0: no answer (see error)
  double latency_ms = 0;
  std::string error;
  std::string content_type;
  std::string body;
  bool timed_out = false; // no whole answer within the time-out (--forward-timeout)
};

// What became of a request: the answer, the verdict, the event it names, the forwarding.
struct RequestOutcome {
  std::uint64_t seq = 0; // 1 for the first request
  int status = 0;        // what the listener answered
  std::optional<VerifyResult> verdict;
  std::string scheme;    // the scheme of the verdict
  std::string unchecked; // no verdict, and why ("no key"): shown as "not checked: no key"
  std::string event;     // empty when unknown
  std::optional<ForwardOutcome> forward;
  // The body with its Content-Encoding (gzip, deflate, br) undone, shown instead of the bytes
  // that arrived; `decoding` names the encoding, or says why it could not be undone.
  std::optional<std::string> decoded_body;
  std::string decoding;
};

enum class BodyKind { Empty, Json, Form, Text, Binary };

BodyKind classify_body(std::string_view body, std::string_view content_type);
std::string_view body_kind_name(BodyKind kind); // "empty", "JSON", "form", "text", "binary"

// A URL-encoded form as a tree: "a[b][c]=1" nests, "a[]=1&a[]=2" makes an array, a later value
// wins over an earlier one of the same name.
nlohmann::ordered_json form_tree(std::string_view body);

// Where a text body is cut for a terminal: after `lines` lines or `bytes` bytes, whichever comes
// first (0 for no limit), then "… N bytes more (--full)". The CLI decides (a TTY, no --full);
// JSON, forms and the --json and record outputs are never cut, binary is a short hex dump anyway.
struct TextCut {
  std::size_t lines = 0;
  std::size_t bytes = 0;
};
// A screenful: 24 lines, or what 24 lines of 80 columns hold when the lines are long.
inline constexpr TextCut kScreenful{24, 24 * 80};

// The body, rendered for reading, ending in '\n' (empty for an empty body). The one place that
// decides how a body looks: the full form decoder (src/core/form.*) plugs in here.
std::string render_body(std::string_view body, std::string_view content_type, bool color,
                        const TextCut& cut = {});

// Text a sender chose (a request line, a header, an answer's status line), made safe for a
// terminal: control characters, DEL, C1 and bytes that are not UTF-8 become \xNN. With `lines`,
// LF and CR LF stay line breaks.
std::string visible_text(std::string_view text, bool lines = false);

// "00000000  7b 22 61 22 ...  |{"a"|" lines, at most `limit` bytes, then how many more there are.
std::string hex_dump(std::string_view bytes, std::size_t limit = 256);

// A verdict as JSON, the one form of it: {"valid", "scheme", "reason" (when invalid), "findings":
// [{"code", "message"}]}; what `verify --json` prints and `listen --json` puts under "verdict".
nlohmann::ordered_json verdict_json(const VerifyResult& verdict, std::string_view scheme);

// JSON indented by two spaces; with colour, keys, strings, numbers and literals are painted.
std::string pretty_json(const nlohmann::ordered_json& value, bool color);

// The event a request names in its headers (X-GitHub-Event, X-Shopify-Topic, X-Event-Key) or its
// body (event_name, event_type, event, type, topic; activityStatus in an array); empty if none.
std::string describe_event(const CapturedRequest& request);

// The full rendering: a title line, request line, headers, size, body, verdict, event, answer.
std::string render_request_text(const CapturedRequest& request, const RequestOutcome& outcome,
                                bool color, const TextCut& cut = {});
// One line: time, remote, method, target, size, answer, verdict.
std::string render_request_compact(const CapturedRequest& request, const RequestOutcome& outcome,
                                   bool color);
// The record object (capture_to_json) with seq, status, verdict, event and forward added.
nlohmann::ordered_json render_request_json(const CapturedRequest& request,
                                           const RequestOutcome& outcome);

// "2026-11-25 10:30:00.123" in local time.
std::string format_local_ms(std::int64_t unix_ms);

} // namespace hooktool
