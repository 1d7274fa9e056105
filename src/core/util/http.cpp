// Reading a request's header line, hop-by-hop headers (see http.hpp).
#include "core/util/http.hpp"

#include "core/util/bytes.hpp"

namespace hooktool {

bool is_hop_by_hop(std::string_view name) {
  for (const char* h : {"Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer",
                        "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect"})
    if (iequals(name, h)) return true;
  return false;
}

} // namespace hooktool
