// One request sent and its answer, as the renderer of core/show sees them (send and replay).
#pragma once

#include <string>
#include <vector>

#include "core/show/exchange.hpp"
#include "net/client.hpp"

namespace hooktool::cli {

// The request and the response libcurl gave, with the headers named in `secret_headers` redacted.
Exchange to_exchange(const net::HttpRequest& request, const net::HttpResponse& response,
                     const std::vector<std::string>& secret_headers);

} // namespace hooktool::cli
