// libcurl, loaded when a command first needs it rather than when hooktool starts: sign, verify and
// convert never touch the network, and the ~30 libraries libcurl pulls in (gnutls, nettle, ldap,
// kerberos, nghttp2, ssh2...) were most of their start-up time (issue 12). curl_loader.cpp defines,
// with C linkage, the libcurl functions the client calls, as trampolines into the library that
// load_curl() opens, so client.cpp calls libcurl by its own names and the binary does not link it.
#pragma once

namespace hooktool::net {

// Opens libcurl.so.4 and finds every function the client uses, once (thread-safe); throws Error
// "cannot load libcurl (<dlerror>) (network)", exit 3, when it cannot. Every entry point of the
// client calls it before any curl_* function.
void load_curl();

} // namespace hooktool::net
