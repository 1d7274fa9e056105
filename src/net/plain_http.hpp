// Plain HTTP sent to the listener's HTTPS port: answered 400 in plain HTTP with the URL to use, as
// nginx does, instead of a TLS handshake failure the client reads as a reset or garbage
// (ServerConfig::on_plain_http).
#pragma once

#include <string>
#include <string_view>

namespace hooktool::net {

// The whole answer to a plain HTTP request whose head (as far as it came) is `head`, sent to the
// HTTPS port at `local` ("ip:port"); the URL the client should use in `url`: https://, the Host it
// named (or the local address), the port it connected to and its path when they are plain.
std::string plain_http_answer(std::string_view head, const std::string& local, std::string& url);

} // namespace hooktool::net
