// The listener's TLS certificate: one made at start (--tls) or read from a PEM file (--cert), and
// the SHA-256 fingerprint the banner prints so a user can pin it.
#pragma once

#include <openssl/x509.h>

#include <memory>
#include <string>
#include <utility>

namespace hooktool::net {

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using KeyPtr = std::unique_ptr<EVP_PKEY, KeyDeleter>;

// "AB:CD:...", the SHA-256 of the DER certificate; empty if it cannot be computed.
std::string sha256_fingerprint(X509* cert);

// A P-256 key and a self-signed certificate for localhost, 127.0.0.1, ::1 and `host`, valid for
// 30 days. Throws Error (exit 3) when OpenSSL cannot make one.
std::pair<X509Ptr, KeyPtr> make_self_signed(const std::string& host);

// The first certificate of a PEM file; throws Error naming --cert.
X509Ptr read_certificate(const std::string& path);

} // namespace hooktool::net
