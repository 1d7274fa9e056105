// HMAC and digests over OpenSSL 3's EVP_MAC interface (see crypto.hpp).
#include "core/signature/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "core/util/error.hpp"

namespace hooktool {

std::string_view algo_name(Algo algo) {
  switch (algo) {
  case Algo::Sha1: return "sha1";
  case Algo::Sha256: return "sha256";
  case Algo::Sha512: return "sha512";
  }
  return "sha256";
}

std::optional<Algo> parse_algo(std::string_view name) {
  if (name == "sha1") return Algo::Sha1;
  if (name == "sha256") return Algo::Sha256;
  if (name == "sha512") return Algo::Sha512;
  return std::nullopt;
}

namespace {
const char* openssl_digest(Algo algo) {
  switch (algo) {
  case Algo::Sha1: return "SHA1";
  case Algo::Sha256: return "SHA256";
  case Algo::Sha512: return "SHA512";
  }
  return "SHA256";
}

// The fetched HMAC implementation is shared by every Hmac object.
EVP_MAC* hmac_impl() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw Error("OpenSSL has no HMAC implementation (crypto)", kExitUsage);
  return mac;
}
} // namespace

struct Hmac::State {
  EVP_MAC_CTX* ctx = nullptr;
  ~State() { EVP_MAC_CTX_free(ctx); }
};

Hmac::Hmac(Algo algo, std::string_view key) : m_state(std::make_unique<State>()) {
  m_state->ctx = EVP_MAC_CTX_new(hmac_impl());
  if (m_state->ctx == nullptr) throw Error("cannot create an HMAC context (OpenSSL)");
  OSSL_PARAM params[2];
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                               const_cast<char*>(openssl_digest(algo)), 0);
  params[1] = OSSL_PARAM_construct_end();
  // An empty key is legal for HMAC; OpenSSL wants a non-null pointer for it.
  static const unsigned char empty = 0;
  const auto* key_bytes = key.empty() ? &empty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(m_state->ctx, key_bytes, key.size(), params) != 1)
    throw Error("cannot start HMAC (OpenSSL)");
}

Hmac::~Hmac() = default;

void Hmac::update(std::string_view bytes) {
  if (bytes.empty()) return;
  if (EVP_MAC_update(m_state->ctx, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size()) != 1)
    throw Error("HMAC update failed (OpenSSL)");
}

std::string Hmac::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (EVP_MAC_final(m_state->ctx, out, &len, sizeof out) != 1)
    throw Error("HMAC final failed (OpenSSL)");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string hmac(Algo algo, std::string_view key, std::string_view message) {
  Hmac h(algo, key);
  h.update(message);
  return h.finish();
}

std::string sha256(std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_sha256(), nullptr) != 1)
    throw Error("SHA-256 failed (OpenSSL)");
  return std::string(reinterpret_cast<char*>(out), len);
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace hooktool
