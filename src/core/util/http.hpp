// Plain HTTP values shared by every layer: a header, finding one by name, and which headers belong
// to one connection only (a request head is read by http_parse.hpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hooktool {

struct Header {
  std::string name;
  std::string value;
};

// Case-insensitive, as HTTP header names are; nullptr when absent.
const Header* find_header(const std::vector<Header>& headers, std::string_view name);

// A header that is not passed on when a request is sent again (replay) or relayed (listen
// --forward), case-insensitively: the hop-by-hop fields of RFC 9110 section 7.6.1 (Connection,
// Keep-Alive, Proxy-Connection, TE, Transfer-Encoding, Upgrade) and Trailer, which describe one
// connection's framing, and those the sending client computes for its own request: Host (from the
// URL), Content-Length (from the body) and Expect (whether it waits for 100 Continue).
bool is_hop_by_hop(std::string_view name);

} // namespace hooktool
