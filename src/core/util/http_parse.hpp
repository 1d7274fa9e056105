// Reading an HTTP/1.1 request as RFC 9112 frames it: the head (request line and header fields) and
// a chunked body. Strict where leniency lets two parsers disagree about where a request ends (the
// way requests are smuggled): a bare LF, whitespace between a field name and its colon, obs-fold,
// an unclear body length are refused, never skipped. Bytes are kept as they arrived: a target or a
// field value with bytes that are not UTF-8 (obs-text) is accepted and left alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/http.hpp"

namespace hooktool {

struct HeadLimits {
  std::size_t max_target = 8 * 1024; // the request target; 414 beyond
  std::size_t max_head = 64 * 1024;  // the request line and every field line together; 431 beyond
  std::size_t max_fields = 1000;     // header field lines; 431 beyond
};

enum class BodyFraming { None, Length, Chunked };

struct RequestHead {
  std::string method;
  std::string target;  // as sent
  std::string version; // "HTTP/1.1" or "HTTP/1.0"
  std::vector<Header> headers;
  BodyFraming framing = BodyFraming::None;
  std::uint64_t content_length = 0; // with BodyFraming::Length
  bool keep_alive = true;           // the connection may carry another request after this one
  bool expect_continue = false;     // Expect: 100-continue
};

enum class ParseState { Incomplete, Complete, Refused };

struct HeadResult {
  ParseState state = ParseState::Incomplete;
  std::size_t size = 0; // Complete: the bytes the head took, its empty line and any CRLF before it
  int status = 0;       // Refused: 400, 414, 431, 501 or 505
  std::string reason;   // Refused: what was wrong, for a person ("a header line ends in a bare LF")
};

// Reads the head at the start of `data`. Incomplete while the head has not all arrived and nothing
// seen so far is wrong; a complete line that is wrong, or a head past a limit, is refused at once.
// Empty lines before the request line are skipped (RFC 9112 section 2.2).
HeadResult parse_request_head(std::string_view data, const HeadLimits& limits, RequestHead& head);

// A chunked body (RFC 9112 section 7.1), decoded as its bytes arrive. Chunk extensions and trailer
// fields are read and dropped.
class ChunkedDecoder {
public:
  struct Step {
    ParseState state = ParseState::Incomplete;
    std::size_t consumed = 0; // bytes of the input used (all of it unless Complete)
    std::string reason;       // Refused
  };

  // Decodes what `data` holds, appending the body's bytes to `body`; at most `max_body` bytes of
  // body are appended, and a body that passes that is Refused with too_large() set.
  Step feed(std::string_view data, std::string& body, std::size_t max_body);
  bool too_large() const { return m_too_large; }

private:
  enum class Phase { Size, Data, DataEnd, Trailer, Done };
  Step refuse(std::string reason, std::size_t consumed);

  Phase m_phase = Phase::Size;
  std::string m_line; // a size or trailer line not yet complete
  std::uint64_t m_left = 0;
  std::size_t m_trailer = 0; // bytes of trailer so far
  bool m_too_large = false;
};

} // namespace hooktool
