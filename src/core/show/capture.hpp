// The record format shared by `listen --record`, `listen --json`, `verify --request` and replay:
// one request as received, and its one-line JSON form.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signature/signature.hpp"
#include "core/util/utf8.hpp"

namespace hooktool {

struct CapturedRequest {
  std::int64_t received_ms = 0; // unix time, milliseconds
  std::string remote;           // "127.0.0.1:54321", "[::1]:54321"
  std::string method;
  std::string path;            // as sent, not percent-decoded
  std::string query;           // after '?', as sent; empty when none
  bool empty_query = false;    // the target ended in a '?' with nothing after it ("/hook?")
  std::string http_version;    // "HTTP/1.1"
  std::vector<Header> headers; // as received, names in their own case
  std::string body;            // the bytes
  bool tls = false;            // it came over HTTPS (listen --tls, --cert)

  // The first header of that name (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
  // path, plus "?" and the query when there is one (or the '?' alone, as it was sent).
  std::string target() const;
};

// The URL the sender called, as the schemes that sign it (twilio, square) take it:
// "https://" under TLS, else "http://", then the Host header and the target as sent. Empty
// without a Host header. What listen checks a request against, and verify --request its record.
std::string signed_url(const CapturedRequest& request);

// "2026-11-25T10:30:00.123Z", and back; nullopt when unreadable.
std::string format_utc_ms(std::int64_t unix_ms);
std::optional<std::int64_t> parse_utc_ms(std::string_view text);

// The record object: received, remote, method, path, query, http_version, tls (only when true:
// absent, as in records written before it, is plain HTTP), headers (array of [name, value] pairs),
// body, body_base64 (true when body holds base64 of bytes that are not UTF-8).
// Bytes as they arrived: a method, path, query or http_version that is not UTF-8 is written as
// text with those bytes escaped (escape_invalid_utf8: "/caf\xe9"), and its exact bytes go, as
// base64, in a companion field right after it ("path_bytes"); a header whose name or value is not
// UTF-8 is escaped the same way in "headers", and "headers_bytes" (after "headers", only when
// there is one) holds [index in headers, name as base64, value as base64] for each such header.
// The reader takes the companion's bytes, and refuses a companion whose bytes, escaped, are not
// the text beside it (an edited record). Records without companions read as before.
nlohmann::ordered_json capture_to_json(const CapturedRequest& request);
// The same as one line, ending in '\n'.
std::string capture_to_line(const CapturedRequest& request);
// Reads a record object; unknown fields are ignored. Throws Error naming `where` when a required
// field is missing or of the wrong type.
CapturedRequest capture_from_json(const nlohmann::json& record, const std::string& where);
CapturedRequest capture_from_line(std::string_view line, const std::string& where);

// A record file read whole: its requests, numbered from 1 among the good lines, and what was
// skipped. A line that is not a record (a last line cut off by a crash, a line of something
// else) is skipped with a warning naming it, unless strict, when it is an Error (exit 2) naming
// the file and line. `flag` ends the messages: "(--request)".
struct RecordFile {
  std::vector<CapturedRequest> requests;
  std::vector<std::string> warnings; // one a skipped line
};
RecordFile read_record_file(const std::string& path, bool strict, const char* flag);

} // namespace hooktool
