// Unit tests for core/signature/crypto: HMAC vectors, streaming, digests, constant-time compare.
//
// Expected values come from the reference fact sheet (stripe-node helper vectors) or were computed
// on this machine with OpenSSL 3 on the command line, as noted next to each.
#include <doctest/doctest.h>

#include <string>

#include "core/signature/crypto.hpp"
#include "core/util/bytes.hpp"

using namespace hooktool;

namespace {
const std::string kFox = "The quick brown fox jumps over the lazy dog";
}

TEST_CASE("algorithm names parse and print") {
  CHECK(algo_name(Algo::Sha1) == "sha1");
  CHECK(algo_name(Algo::Sha256) == "sha256");
  CHECK(algo_name(Algo::Sha512) == "sha512");
  CHECK(parse_algo("sha1") == Algo::Sha1);
  CHECK(parse_algo("sha256") == Algo::Sha256);
  CHECK(parse_algo("sha512") == Algo::Sha512);
  CHECK_FALSE(parse_algo("SHA256"));
  CHECK_FALSE(parse_algo("md5"));
  CHECK_FALSE(parse_algo(""));
}

TEST_CASE("HMAC-SHA256 matches the stripe-node helper vectors") {
  // Reference: stripe-node test/crypto/helpers.ts, key "test_secret", hex.
  SUBCASE("empty message") {
    CHECK(to_hex(hmac(Algo::Sha256, "test_secret", "")) ==
          "f7f9bd47fb987337b5796fdc1fdb9ba221d0d5396814bfcaf9521f43fd8927fd");
  }
  SUBCASE("JSON message") {
    CHECK(to_hex(hmac(Algo::Sha256, "test_secret", R"({"obj1":"hello","obj2":"world"})")) ==
          "bebb1a643997f419b315ddba19e6f5411e1ce7f810ba6d3617ce72823092f363");
  }
  SUBCASE("UTF-8 emoji message") {
    CHECK(to_hex(hmac(Algo::Sha256, "test_secret", "\xF0\x9F\x98\x80")) ==
          "837da296d05c4fe31f61d5d7ead035099d9585a5bcde87de952012a78f0b0c43");
  }
}

TEST_CASE("HMAC matches openssl dgst for every algorithm") {
  // printf '%s' 'The quick brown fox jumps over the lazy dog' | openssl dgst -<algo> -hmac key
  SUBCASE("sha1") {
    CHECK(to_hex(hmac(Algo::Sha1, "key", kFox)) == "de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9");
    // ... | openssl dgst -sha1 -hmac key -binary | base64
    CHECK(base64_encode(hmac(Algo::Sha1, "key", kFox)) == "3nybhbi3iqa8ino29wqQcBydtNk=");
  }
  SUBCASE("sha256") {
    CHECK(to_hex(hmac(Algo::Sha256, "key", kFox)) ==
          "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  }
  SUBCASE("sha512") {
    CHECK(to_hex(hmac(Algo::Sha512, "key", kFox)) ==
          "b42af09057bac1e2d41708e48a902e09b5ff7f12ab428a4fe86653c73dd248fb"
          "82f948a549f7b791a5b41915ee4d1ec3935357e4e2317250d0372afa2ebeeb3a");
  }
  SUBCASE("sha1 and sha512 of the stripe helper JSON") {
    // printf '%s' '{"obj1":"hello","obj2":"world"}' | openssl dgst -sha1 -hmac test_secret
    CHECK(to_hex(hmac(Algo::Sha1, "test_secret", R"({"obj1":"hello","obj2":"world"})")) ==
          "4f7e1a117b26b764584f9d5c0921eb6b9a36916a");
    // ... | openssl dgst -sha512 -hmac test_secret
    CHECK(to_hex(hmac(Algo::Sha512, "test_secret", R"({"obj1":"hello","obj2":"world"})")) ==
          "e3fdb856fd689283d729f13a7d590475d149fd35f467443a2e6b8e807588117c"
          "c3fd206d6ebd4bc0d632ed85cf4cfd8b8ea1874c4fcae56b8845386bbef4c24e");
  }
  SUBCASE("a key longer than the block size is hashed first") {
    const std::string long_key(100, 'a');
    // openssl dgst -sha256 -hmac "$(printf 'a%.0s' $(seq 1 100))"
    CHECK(to_hex(hmac(Algo::Sha256, long_key, kFox)) ==
          "ee128dd7d40b70b8e0f75153d8541bd8fd9685cf8fbec61719ed8b542b81f07c");
    // same with -sha512 (block size 128, so the key is used as is)
    CHECK(to_hex(hmac(Algo::Sha512, long_key, kFox)) ==
          "85c8cb266dea4c1fc1a2c177aee33426ba138a537e72705bbb6a3528ef660c86"
          "f927da34706c1812162e208bee77136a0b3b08adc82151034f8beee2886dc515");
  }
  SUBCASE("an empty key is legal") {
    // printf '' | openssl dgst -sha256 -hmac ''
    CHECK(to_hex(hmac(Algo::Sha256, "", "")) ==
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    // printf 'abc' | openssl dgst -sha256 -hmac ''
    CHECK(to_hex(hmac(Algo::Sha256, "", "abc")) ==
          "fd7adb152c05ef80dccf50a1fa4c05d5a3ec6da95575fc312ae7c5d091836351");
  }
  SUBCASE("MAC lengths") {
    CHECK(hmac(Algo::Sha1, "k", "m").size() == 20);
    CHECK(hmac(Algo::Sha256, "k", "m").size() == 32);
    CHECK(hmac(Algo::Sha512, "k", "m").size() == 64);
  }
}

TEST_CASE("streaming HMAC updates equal the one-shot MAC") {
  const std::string one_shot = hmac(Algo::Sha256, "key", kFox);
  SUBCASE("two pieces") {
    Hmac h(Algo::Sha256, "key");
    h.update(kFox.substr(0, 10));
    h.update(kFox.substr(10));
    CHECK(h.finish() == one_shot);
  }
  SUBCASE("one byte at a time, with empty updates mixed in") {
    Hmac h(Algo::Sha256, "key");
    for (char c : kFox) {
      h.update("");
      h.update(std::string(1, c));
    }
    CHECK(h.finish() == one_shot);
  }
  SUBCASE("every split point, every algorithm") {
    for (Algo algo : {Algo::Sha1, Algo::Sha256, Algo::Sha512}) {
      const std::string whole = hmac(algo, "key", kFox);
      for (size_t cut = 0; cut <= kFox.size(); ++cut) {
        Hmac h(algo, "key");
        h.update(kFox.substr(0, cut));
        h.update(kFox.substr(cut));
        CHECK(h.finish() == whole);
      }
    }
  }
  SUBCASE("100000 bytes in 1000 chunks") {
    // head -c 100000 /dev/zero | tr '\0' a | openssl dgst -sha256 -hmac key
    Hmac h(Algo::Sha256, "key");
    const std::string chunk(100, 'a');
    for (int i = 0; i < 1000; ++i)
      h.update(chunk);
    CHECK(to_hex(h.finish()) == "cd5023f6361b800d5dcc7e0f72991fe1db078d09be30f856f4a7ff952736e902");
  }
}

TEST_CASE("sha256 digest matches openssl dgst") {
  // printf '' | openssl dgst -sha256
  CHECK(to_hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // printf 'abc' | openssl dgst -sha256
  CHECK(to_hex(sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // head -c 100000 /dev/zero | tr '\0' a | openssl dgst -sha256
  CHECK(to_hex(sha256(std::string(100000, 'a'))) ==
        "6d1cf22d7cc09b085dfc25ee1a1f3ae0265804c607bc2074ad253bcc82fd81ee");
  // Reference TW-3: sha256 of the Twilio JSON body.
  CHECK(to_hex(sha256(R"({"property": "value", "boolean": true})")) ==
        "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
}

TEST_CASE("constant_time_equal compares whole byte strings") {
  SUBCASE("equal") {
    CHECK(constant_time_equal("", ""));
    CHECK(constant_time_equal("abc", "abc"));
    CHECK(constant_time_equal(std::string("a\0b", 3), std::string("a\0b", 3)));
  }
  SUBCASE("different content") {
    CHECK_FALSE(constant_time_equal("abc", "abd"));
    CHECK_FALSE(constant_time_equal("abc", "xbc"));
    CHECK_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
  }
  SUBCASE("different length") {
    CHECK_FALSE(constant_time_equal("abc", "abcd"));
    CHECK_FALSE(constant_time_equal("", "a"));
    CHECK_FALSE(constant_time_equal("abc", std::string("abc\0", 4)));
  }
  SUBCASE("case matters") { CHECK_FALSE(constant_time_equal("ABC", "abc")); }
}
