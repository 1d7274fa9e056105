// Content-Encoding undone for display (see content_coding.hpp), with zlib and brotli directly.
#include "net/content_coding.hpp"

#include <brotli/decode.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "core/util/bytes.hpp"

namespace hooktool::net {

namespace {

// What a decoder writes into: at most `limit` bytes kept, its capacity never past `limit` either
// (a std::string left to itself doubles it: 16 MiB and one byte would reserve 32 MiB). Past 1 MiB
// it reserves `limit` at once, so that it is not copied again: the pages not yet written cost
// address space, not memory, and the peak stays the bytes decoded (and 1 MiB), not 1.5 times them.
struct Output {
  explicit Output(std::size_t max) : limit(max) {}
  // Keeps what fits; false once a byte past the limit came (the body is cut).
  bool take(const char* data, std::size_t n) {
    if (n > limit - bytes.size()) {
      n = limit - bytes.size();
      cut = true;
    }
    if (bytes.capacity() < bytes.size() + n)
      bytes.reserve(bytes.size() + n > kSmall
                        ? limit
                        : std::min(limit, std::max(bytes.capacity() * 2, bytes.size() + n)));
    bytes.append(data, n);
    return !cut;
  }
  static constexpr std::size_t kSmall = 1u << 20;
  std::size_t limit;
  std::string bytes;
  bool cut = false;
};

constexpr std::size_t kChunk = 16 * 1024;
const char* const kEndsEarly = "the stream ends before its end";

// zlib's inflate of `in` into `out`: window_bits 15 + 32 reads a gzip or zlib stream (several gzip
// members in a row are one body, as gunzip reads them), -15 raw deflate. "" when the stream ended
// or the limit was reached, kEndsEarly when the input ended first, else what is wrong.
std::string inflate_into(std::string_view in, int window_bits, Output& out) {
  z_stream z{};
  if (inflateInit2(&z, window_bits) != Z_OK) return "zlib cannot start";
  const std::unique_ptr<z_stream, int (*)(z_stream*)> end(&z, inflateEnd);
  std::size_t fed = 0;
  char buffer[kChunk];
  for (;;) {
    if (z.avail_in == 0 && fed < in.size()) { // uInt is 32 bits: large bodies go in parts
      const std::size_t part =
          std::min<std::size_t>(in.size() - fed, std::numeric_limits<uInt>::max());
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + fed));
      z.avail_in = static_cast<uInt>(part);
      fed += part;
    }
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    const int rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t produced = sizeof buffer - z.avail_out;
    if (produced && !out.take(buffer, produced)) return "";
    const bool input_left = z.avail_in > 0 || fed < in.size();
    if (rc == Z_STREAM_END) {
      if (!input_left) return "";
      if (window_bits > 15 && z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
        inflateReset(&z); // the next gzip member
        continue;
      }
      return "bytes after its end";
    }
    if (rc == Z_BUF_ERROR && !input_left) return kEndsEarly;
    if (rc != Z_OK) return z.msg ? z.msg : "zlib error " + std::to_string(rc);
  }
}

std::string unbrotli_into(std::string_view in, Output& out) {
  const std::unique_ptr<BrotliDecoderState, void (*)(BrotliDecoderState*)> state(
      BrotliDecoderCreateInstance(nullptr, nullptr, nullptr), BrotliDecoderDestroyInstance);
  if (!state) return "brotli cannot start";
  std::size_t avail_in = in.size();
  const auto* next_in = reinterpret_cast<const std::uint8_t*>(in.data());
  std::uint8_t buffer[kChunk];
  for (;;) {
    std::size_t avail_out = sizeof buffer;
    std::uint8_t* next_out = buffer;
    const BrotliDecoderResult rc = BrotliDecoderDecompressStream(state.get(), &avail_in, &next_in,
                                                                 &avail_out, &next_out, nullptr);
    const std::size_t produced = sizeof buffer - avail_out;
    if (produced && !out.take(reinterpret_cast<const char*>(buffer), produced)) return "";
    if (rc == BROTLI_DECODER_RESULT_SUCCESS) return avail_in ? "bytes after its end" : "";
    if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) return kEndsEarly;
    if (rc == BROTLI_DECODER_RESULT_ERROR) {
      std::string code = BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state.get()));
      if (starts_with(code, "_ERROR_")) code = code.substr(7);
      return to_lower(code);
    }
  }
}

// One coding undone into `out`: "" when done, else what is wrong.
std::string decode_one(const std::string& coding, std::string_view in, Output& out) {
  if (coding == "br") return unbrotli_into(in, out);
  if (coding == "gzip" || coding == "x-gzip") return inflate_into(in, 15 + 32, out);
  // deflate is a zlib stream (RFC 9110), but some senders send raw deflate without its header.
  std::string wrong = inflate_into(in, 15 + 32, out);
  if (!wrong.empty() && wrong != kEndsEarly && out.bytes.empty()) {
    Output raw(out.limit);
    if (inflate_into(in, -15, raw).empty()) {
      out = std::move(raw);
      return "";
    }
  }
  return wrong;
}

} // namespace

std::optional<DecodedBody> decode_content(std::string_view encoding, std::string_view body,
                                          std::size_t limit, std::string& why) {
  std::vector<std::string> codings;
  for (std::size_t start = 0; start <= encoding.size();) {
    const std::size_t comma = std::min(encoding.find(',', start), encoding.size());
    std::string coding = to_lower(trim(encoding.substr(start, comma - start)));
    if (!coding.empty() && coding != "identity") codings.push_back(coding);
    start = comma + 1;
  }
  for (const auto& coding : codings)
    if (coding != "gzip" && coding != "x-gzip" && coding != "deflate" && coding != "br") {
      why = "cannot undo Content-Encoding " + coding;
      return std::nullopt;
    }
  DecodedBody decoded;
  if (codings.empty()) {
    decoded.bytes.assign(body.substr(0, limit));
    decoded.cut = body.size() > limit;
    return decoded;
  }
  std::string_view input = body;
  for (auto it = codings.rbegin(); it != codings.rend(); ++it) {
    Output out(limit);
    std::string wrong = decode_one(*it, input, out);
    // A cut input (an earlier coding stopped at the limit) ends early, of course.
    if (wrong == kEndsEarly && decoded.cut) wrong.clear();
    if (!wrong.empty()) {
      why = "not valid " + *it + ": " + wrong;
      return std::nullopt;
    }
    decoded.cut = decoded.cut || out.cut;
    decoded.bytes = std::move(out.bytes);
    input = decoded.bytes;
  }
  return decoded;
}

std::string cut_note(std::size_t limit) {
  const bool mib = limit % (1u << 20) == 0;
  return "decoded " + std::to_string(mib ? limit >> 20 : limit) + (mib ? " MiB" : " bytes") +
         " of …, cut";
}

} // namespace hooktool::net
