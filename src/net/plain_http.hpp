// Plain HTTP sent to the listener's HTTPS port: answered 400 in plain HTTP with the URL to use, as
// nginx does, instead of a TLS handshake failure (ServerConfig::on_plain_http).
#pragma once

#include <cstdint>

#include "net/server.hpp"

namespace hooktool::net {

// A TLS connection starts with a handshake record (0x16); one that starts with a letter is a
// plain HTTP request line sent to the HTTPS port. It is answered 400 in plain HTTP with the URL
// to use, as nginx does, instead of a handshake failure the client reads as a reset or garbage.
// Waits for the first byte until `deadline` (steady_ms()). Returns true when it was answered (the
// caller half-closes and drains the connection); false to go on with TLS.
bool answer_plain_http(int sock, std::int64_t deadline, const ServerConfig& config);

} // namespace hooktool::net
