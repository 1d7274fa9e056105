// TLS certificates for the listener (see certificate.hpp).
#include "net/certificate.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>

#include "core/util/error.hpp"

namespace hooktool::net {

std::string sha256_fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, EVP_sha256(), md, &len) != 1) return {};
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%s%02X", i ? ":" : "", md[i]);
    out += hex;
  }
  return out;
}

// A P-256 key and a certificate for localhost, 127.0.0.1, ::1 and the host listened on, valid
// for 30 days.
std::pair<X509Ptr, KeyPtr> make_self_signed(const std::string& host) {
  KeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  if (!key || !cert) throw Error("cannot make a TLS key (--tls)", kExitNetwork);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(std::time(nullptr)));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
  if (host != "127.0.0.1" && host != "::1" && host != "localhost" && !host.empty() &&
      host != "0.0.0.0" && host != "::")
    san += (host.find_first_not_of("0123456789.:") == std::string::npos ? ",IP:" : ",DNS:") + host;
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, san.c_str());
  if (!ext) throw Error("cannot make a TLS certificate for " + host + " (--tls)", kExitNetwork);
  X509_add_ext(cert.get(), ext, -1);
  X509_EXTENSION_free(ext);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    throw Error("cannot sign the TLS certificate (--tls)", kExitNetwork);
  return {std::move(cert), std::move(key)};
}

X509Ptr read_certificate(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (!f) throw Error("cannot read certificate " + path + " (--cert)");
  X509Ptr cert(PEM_read_X509(f, nullptr, nullptr, nullptr));
  std::fclose(f);
  if (!cert) throw Error(path + " is not a PEM certificate (--cert)");
  return cert;
}

} // namespace hooktool::net
