// HMAC and digests over OpenSSL, streamed, plus a constant-time comparison.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace hooktool {

enum class Algo { Sha1, Sha256, Sha512 };

std::string_view algo_name(Algo algo); // "sha1", "sha256", "sha512"
std::optional<Algo> parse_algo(std::string_view name);

// Incremental HMAC: feed the message in pieces, get the raw MAC bytes.
class Hmac {
public:
  Hmac(Algo algo, std::string_view key);
  ~Hmac();
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;

  void update(std::string_view bytes);
  std::string finish();

private:
  struct State;
  std::unique_ptr<State> m_state;
};

std::string hmac(Algo algo, std::string_view key, std::string_view message);
std::string sha256(std::string_view bytes);

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace hooktool
