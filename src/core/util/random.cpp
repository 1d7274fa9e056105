// Randomness and the identifiers made from it (see random.hpp).
#include "core/util/random.hpp"

#include "core/util/bytes.hpp"

namespace hooktool {

Random::Random(std::optional<std::uint64_t> seed)
    : m_engine(seed ? *seed
                    : (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^
                          std::random_device{}()) {}

std::uint64_t Random::next() { return m_engine(); }

std::uint64_t Random::below(std::uint64_t bound) {
  if (bound == 0) return 0;
  return std::uniform_int_distribution<std::uint64_t>(0, bound - 1)(m_engine);
}

std::string random_text(Random& random, std::string_view alphabet, std::size_t n) {
  std::string out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(alphabet[random.below(alphabet.size())]);
  return out;
}

std::string message_id(Random& random) { return "msg_" + random_text(random, kAlphanumerics, 27); }

std::string uuid_v4(Random& random) {
  std::string bytes;
  for (int i = 0; i < 2; ++i) {
    std::uint64_t r = random.next();
    for (int b = 0; b < 8; ++b)
      bytes.push_back(static_cast<char>((r >> (8 * b)) & 0xff));
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);
  std::string hex = to_hex(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

} // namespace hooktool
