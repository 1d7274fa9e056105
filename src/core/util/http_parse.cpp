// Reading an HTTP/1.1 request's head and chunked body (see http_parse.hpp).
#include "core/util/http_parse.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/util/bytes.hpp"

namespace hooktool {

namespace {

bool is_tchar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text)
    if (!is_tchar(static_cast<unsigned char>(c))) return false;
  return true;
}

// Bytes a field value may hold: visible ASCII, SP, HTAB and obs-text (0x80-0xFF).
bool is_value_byte(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

HeadResult refused(int status, std::string reason) {
  HeadResult r;
  r.state = ParseState::Refused;
  r.status = status;
  r.reason = std::move(reason);
  return r;
}

// The request line, without its CRLF, into the head; "" when it is right, else why not (with the
// status in `status`).
std::string read_request_line(std::string_view line, const HeadLimits& limits, RequestHead& head,
                              int& status) {
  status = 400;
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return "the request line is not METHOD TARGET HTTP/1.1";
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method)) return "the request method is not a token";
  if (target.size() > limits.max_target) {
    status = 414;
    return "the request target is longer than " + std::to_string(limits.max_target) + " bytes";
  }
  if (target.empty()) return "the request target is empty";
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u == 0x7f) return "the request target holds a control character";
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9')
    return "the request line does not end in an HTTP version";
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    status = 505;
    return version[5] == '1' ? "HTTP version " + std::string(version) + " is not supported"
                             : "HTTP version " + std::string(version) + " is not spoken here";
  }
  head.method = std::string(method);
  head.target = std::string(target);
  head.version = std::string(version);
  return "";
}

// One field line, without its CRLF; "" when it is right, else why not.
std::string read_field_line(std::string_view line, RequestHead& head) {
  if (line.front() == ' ' || line.front() == '\t')
    return "a header line begins with whitespace (obs-fold)";
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return "a header line has no colon";
  const std::string_view name = line.substr(0, colon);
  if (name.empty()) return "a header line has no name";
  if (name.back() == ' ' || name.back() == '\t')
    return "whitespace between a header name and its colon";
  if (!is_token(name)) return "a header name holds a character that is not allowed";
  const std::string_view value = trim_ows(line.substr(colon + 1));
  for (const char c : value)
    if (!is_value_byte(static_cast<unsigned char>(c)))
      return "a header value holds a control character";
  head.headers.push_back({std::string(name), std::string(value)});
  return "";
}

// The body's framing and the connection's persistence, from the fields; "" when they are clear.
std::string read_framing(RequestHead& head, int& status) {
  status = 400;
  const std::string* length = nullptr;
  std::vector<std::string> codings;
  int hosts = 0;
  bool close = false;
  bool keep_alive = false;
  for (const auto& h : head.headers) {
    if (iequals(h.name, "Content-Length")) {
      if (h.value.empty() || h.value.find_first_not_of("0123456789") != std::string::npos)
        return "Content-Length is not a number";
      if (length && *length != h.value) return "two Content-Length headers differ";
      length = &h.value;
    } else if (iequals(h.name, "Transfer-Encoding")) {
      for (auto part : split(h.value, ',')) {
        const std::string coding = to_lower(trim_ows(part));
        if (!coding.empty()) codings.push_back(coding);
      }
    } else if (iequals(h.name, "Host")) {
      ++hosts;
    } else if (iequals(h.name, "Connection")) {
      for (auto part : split(h.value, ',')) {
        const std::string option = to_lower(trim_ows(part));
        close = close || option == "close";
        keep_alive = keep_alive || option == "keep-alive";
      }
    } else if (iequals(h.name, "Expect")) {
      head.expect_continue = head.expect_continue || iequals(trim_ows(h.value), "100-continue");
    }
  }
  const bool http11 = head.version == "HTTP/1.1";
  if (hosts > 1) return "more than one Host header";
  if (hosts == 0 && http11) return "an HTTP/1.1 request without a Host header";
  head.keep_alive = !close && (http11 || keep_alive);
  if (!codings.empty()) {
    if (length) return "both Content-Length and Transfer-Encoding";
    if (!http11) return "Transfer-Encoding in an HTTP/1.0 request";
    if (codings.back() != "chunked") return "Transfer-Encoding does not end in chunked";
    for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
      if (codings[i] == "chunked") return "chunked twice in Transfer-Encoding";
      status = 501;
      return "Transfer-Encoding " + codings[i] + " is not supported";
    }
    head.framing = BodyFraming::Chunked;
  } else if (length) {
    head.framing = BodyFraming::Length;
    // More than 19 digits passes any limit: the largest value is kept, and refused as too large.
    head.content_length = UINT64_MAX;
    if (length->size() <= 19) head.content_length = std::stoull(*length);
  }
  return "";
}

} // namespace

HeadResult parse_request_head(std::string_view data, const HeadLimits& limits, RequestHead& head) {
  head = RequestHead{};
  std::size_t pos = 0;
  while (data.size() - pos >= 2 && data[pos] == '\r' && data[pos + 1] == '\n')
    pos += 2;
  if (pos < data.size() && data[pos] == '\n') return refused(400, "a line ends in a bare LF");
  const std::size_t start = pos;
  bool request_line = true;
  std::size_t fields = 0;
  for (;;) {
    const std::size_t eol = data.find('\n', pos);
    if (eol == std::string_view::npos) {
      if (request_line && data.size() - start > limits.max_target + 32)
        return refused(414, "the request target is longer than " +
                                std::to_string(limits.max_target) + " bytes");
      if (data.size() - start > limits.max_head)
        return refused(431, "the request head is larger than " + std::to_string(limits.max_head) +
                                " bytes");
      return {};
    }
    if (eol == pos || data[eol - 1] != '\r') return refused(400, "a line ends in a bare LF");
    if (eol + 1 - start > limits.max_head)
      return refused(431, "the request head is larger than " + std::to_string(limits.max_head) +
                              " bytes");
    const std::string_view line = data.substr(pos, eol - 1 - pos);
    pos = eol + 1;
    int status = 400;
    if (request_line) {
      if (auto why = read_request_line(line, limits, head, status); !why.empty())
        return refused(status, std::move(why));
      request_line = false;
      continue;
    }
    if (line.empty()) break;
    if (++fields > limits.max_fields)
      return refused(431, "more than " + std::to_string(limits.max_fields) + " header lines");
    if (auto why = read_field_line(line, head); !why.empty()) return refused(400, std::move(why));
  }
  int status = 400;
  if (auto why = read_framing(head, status); !why.empty()) return refused(status, std::move(why));
  HeadResult done;
  done.state = ParseState::Complete;
  done.size = pos;
  return done;
}

ChunkedDecoder::Step ChunkedDecoder::refuse(std::string reason, std::size_t consumed) {
  Step s;
  s.state = ParseState::Refused;
  s.consumed = consumed;
  s.reason = std::move(reason);
  m_phase = Phase::Done;
  return s;
}

ChunkedDecoder::Step ChunkedDecoder::feed(std::string_view data, std::string& body,
                                          std::size_t max_body) {
  constexpr std::size_t kLineLimit = 4096;
  constexpr std::size_t kTrailerLimit = 64 * 1024;
  std::size_t i = 0;
  while (i < data.size() && m_phase != Phase::Done) {
    if (m_phase == Phase::Data) {
      const std::size_t n = static_cast<std::size_t>(
          std::min<std::uint64_t>(m_left, static_cast<std::uint64_t>(data.size() - i)));
      body.append(data.data() + i, n);
      i += n;
      m_left -= n;
      if (m_left == 0) m_phase = Phase::DataEnd;
      continue;
    }
    if (m_phase == Phase::DataEnd) {
      while (m_line.size() < 2 && i < data.size())
        m_line += data[i++];
      if (m_line.size() < 2) break;
      if (m_line != "\r\n") return refuse("chunk data is not followed by CRLF", i);
      m_line.clear();
      m_phase = Phase::Size;
      continue;
    }
    // A size line or a trailer line.
    const std::size_t eol = data.find('\n', i);
    const std::size_t end = eol == std::string_view::npos ? data.size() : eol;
    m_line.append(data.data() + i, end - i);
    i = end;
    if (eol == std::string_view::npos) {
      if (m_line.size() > (m_phase == Phase::Size ? kLineLimit : kTrailerLimit))
        return refuse("a chunk-size line is longer than 4 KiB", i);
      break;
    }
    ++i; // the LF
    if (m_line.empty() || m_line.back() != '\r') return refuse("a line ends in a bare LF", i);
    m_line.pop_back();
    const std::string line = std::move(m_line);
    m_line.clear();
    if (m_phase == Phase::Trailer) {
      m_trailer += line.size() + 2;
      if (m_trailer > kTrailerLimit) return refuse("the chunked trailer is larger than 64 KiB", i);
      if (line.empty()) {
        m_phase = Phase::Done;
        Step done;
        done.state = ParseState::Complete;
        done.consumed = i;
        return done;
      }
      if (line.front() == ' ' || line.front() == '\t' || line.find(':') == std::string::npos)
        return refuse("a trailer line is not NAME: VALUE", i);
      continue;
    }
    std::size_t digits = 0;
    std::uint64_t size = 0;
    while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]))) {
      if (size >> 60) return refuse("a chunk size is too large", i);
      const char c = line[digits++];
      size = size * 16 + static_cast<std::uint64_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    if (digits == 0) return refuse("a chunk size is not hexadecimal", i);
    const std::string_view rest = trim_ows(std::string_view(line).substr(digits));
    if (!rest.empty() && rest.front() != ';') return refuse("a chunk size is not hexadecimal", i);
    if (size > max_body - std::min<std::size_t>(body.size(), max_body)) {
      m_too_large = true;
      return refuse("the body is larger than the limit", i);
    }
    m_left = size;
    m_phase = size == 0 ? Phase::Trailer : Phase::Data;
  }
  Step more;
  more.consumed = i;
  if (m_phase == Phase::Done) more.state = ParseState::Complete;
  return more;
}

} // namespace hooktool
