// Randomness behind one small interface, and the identifiers made from it: message ids and UUIDs.
// Seeded, everything made from it is reproducible (sample and send --seed).
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace hooktool {

class Random {
public:
  // nullopt: seeded from the system's entropy.
  explicit Random(std::optional<std::uint64_t> seed);
  std::uint64_t next();
  std::uint64_t below(std::uint64_t bound); // uniform in [0, bound); 0 when bound is 0

private:
  std::mt19937_64 m_engine;
};

// Alphabets for random_text: the digits, then A-Z, then a-z (the first 10 are the digits); hex.
inline constexpr std::string_view kAlphanumerics =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
inline constexpr std::string_view kLowerHex = "0123456789abcdef";

// `n` characters drawn uniformly from `alphabet` (not empty).
std::string random_text(Random& random, std::string_view alphabet, std::size_t n);
// A Standard Webhooks message id as the vendors write theirs: "msg_" and 27 alphanumerics.
std::string message_id(Random& random);
// A random (version 4) UUID, lower-case hex: "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx".
std::string uuid_v4(Random& random);

} // namespace hooktool
