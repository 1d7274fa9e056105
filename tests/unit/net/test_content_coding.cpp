// Content-Encoding undone for display (net/content_coding): gzip, deflate and br, and the cap that
// keeps a gzip bomb from taking the listener's memory.
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <string>

#include "net/content_coding.hpp"

using namespace hooktool;

namespace {

// `repeat` copies of `piece` compressed by zlib; window_bits 31 gzip, 15 zlib, -15 raw deflate.
// Fed a piece at a time, so a bomb of 1 GiB costs no 1 GiB here either.
std::string deflate_bytes(std::string_view piece, std::size_t repeat, int window_bits = 31) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, window_bits, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out;
  char buffer[16384];
  for (std::size_t i = 0; i <= repeat; ++i) {
    const bool last = i == repeat;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    z.avail_in = last ? 0 : static_cast<uInt>(piece.size());
    int rc;
    do {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
      out.append(buffer, sizeof buffer - z.avail_out);
    } while (z.avail_out == 0 || (last && rc != Z_STREAM_END));
  }
  deflateEnd(&z);
  return out;
}

std::optional<net::DecodedBody> decode(std::string_view coding, std::string_view body,
                                       std::size_t limit, std::string& why) {
  return net::decode_content(coding, body, limit, why);
}

} // namespace

TEST_CASE("decode_content undoes gzip, deflate (zlib or raw) and br") {
  const std::string text = "{\"event\":\"ping\"}\n";
  std::string why;
  for (const char* coding : {"gzip", "x-gzip", "GZIP "}) {
    auto d = decode(coding, deflate_bytes(text, 1), 1024, why);
    REQUIRE(d);
    CHECK(d->bytes == text);
    CHECK_FALSE(d->cut);
  }
  for (int bits : {15, -15}) {
    auto d = decode("deflate", deflate_bytes(text, 1, bits), 1024, why);
    REQUIRE(d);
    CHECK(d->bytes == text);
  }
  // brotli -q 11 of "hello, brotli\n" (made with libbrotlienc's BrotliEncoderCompress)
  const std::string br("\x8b\x06\x80\x68\x65\x6c\x6c\x6f\x2c\x20\x62\x72\x6f\x74\x6c\x69\x0a\x03",
                       18);
  auto d = decode("br", br, 1024, why);
  REQUIRE(d);
  CHECK(d->bytes == "hello, brotli\n");
}

TEST_CASE("decode_content: several codings are undone last first, two gzip members are one body") {
  std::string why;
  auto d = decode("deflate, gzip", deflate_bytes(deflate_bytes("abc", 1, 15), 1), 1024, why);
  REQUIRE(d);
  CHECK(d->bytes == "abc");
  d = decode("gzip", deflate_bytes("ab", 1) + deflate_bytes("cd", 1), 1024, why);
  REQUIRE(d);
  CHECK(d->bytes == "abcd");
}

TEST_CASE("decode_content says why a body does not decode") {
  std::string why;
  CHECK_FALSE(decode("compress", "x", 1024, why));
  CHECK(why == "cannot undo Content-Encoding compress");
  CHECK_FALSE(decode("gzip", "not gzip at all", 1024, why));
  CHECK(why == "not valid gzip: incorrect header check");
  const std::string gz = deflate_bytes("a whole sentence, compressed", 1);
  CHECK_FALSE(decode("gzip", gz.substr(0, gz.size() - 6), 1024, why));
  CHECK(why == "not valid gzip: the stream ends before its end");
  CHECK_FALSE(decode("gzip", gz + "junk", 1024, why));
  CHECK(why == "not valid gzip: bytes after its end");
  CHECK_FALSE(decode("br", "\xff\xff\xff", 1024, why));
  CHECK(why.rfind("not valid br: ", 0) == 0);
}

TEST_CASE("a gzip bomb is decoded up to the limit only: the prefix, marked cut") {
  // 64 MiB of zeros in 64 KiB of gzip: decoding stops at 16 MiB, and holds no more than that.
  const std::string bomb = deflate_bytes(std::string(1 << 20, '\0'), 64);
  CHECK(bomb.size() < 128 * 1024);
  std::string why;
  auto d = decode("gzip", bomb, net::kMaxDecoded, why);
  REQUIRE(d);
  CHECK(d->cut);
  CHECK(d->bytes.size() == net::kMaxDecoded);
  CHECK(d->bytes.capacity() <= net::kMaxDecoded);
  CHECK(d->bytes.find_first_not_of('\0') == std::string::npos);
  CHECK(net::cut_note(net::kMaxDecoded) == "decoded 16 MiB of …, cut");
}

TEST_CASE("decode_content's limit: exactly it is whole, a byte more is cut, in any coding") {
  std::string why;
  std::optional<net::DecodedBody> d;
  SUBCASE("exactly the limit is whole, one byte more is cut") {
    d = decode("gzip", deflate_bytes("x", 1000), 1000, why);
    REQUIRE(d);
    CHECK_FALSE(d->cut);
    d = decode("gzip", deflate_bytes("x", 1001), 1000, why);
    REQUIRE(d);
    CHECK(d->cut);
    CHECK(d->bytes == std::string(1000, 'x'));
  }
  SUBCASE("a coding undone from a cut one is cut too, not invalid") {
    std::string noise; // does not compress: its gzip is longer than the limit
    for (std::uint32_t x = 1; noise.size() < 20000;)
      noise.push_back(static_cast<char>((x = x * 1103515245u + 12345u) >> 24));
    d = decode("gzip, gzip", deflate_bytes(deflate_bytes(noise, 1), 1), 1000, why);
    REQUIRE(d);
    CHECK(d->cut);
    CHECK(!d->bytes.empty());
    CHECK(d->bytes.size() <= 1000);
    CHECK(noise.compare(0, d->bytes.size(), d->bytes) == 0);
  }
  SUBCASE("a brotli bomb too") {
    // brotli -q 11 of 1 MiB of zeros
    const std::string br("\x5b\xff\xff\x8f\x7f\x02\x20\x1e\x0b\x04\x72\xef\x1f\x00", 14);
    d = decode("br", br, 1000, why);
    REQUIRE(d);
    CHECK(d->cut);
    CHECK(d->bytes == std::string(1000, '\0'));
    d = decode("br", br, 1 << 20, why);
    REQUIRE(d);
    CHECK_FALSE(d->cut);
  }
}
