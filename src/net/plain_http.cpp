// Plain HTTP on the HTTPS port (see plain_http.hpp).
#include "net/plain_http.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/util/bytes.hpp"

namespace hooktool::net {

namespace {

bool url_safe(const std::string& text, const char* extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [extra](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(extra, c) != nullptr;
  });
}

} // namespace

std::string plain_http_answer(std::string_view head, const std::string& local, std::string& url) {
  const std::string_view line = head.substr(0, head.find("\r\n"));
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  std::string target =
      sp2 == std::string_view::npos ? "" : std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  if (target.empty() || target[0] != '/' || !url_safe(target, "/-._~%!$&'()*+,;=:@?[]"))
    target = "/";
  std::string host;
  for (auto l : split(head, '\n')) {
    const auto colon = l.find(':');
    if (colon != std::string_view::npos && iequals(trim(l.substr(0, colon)), "Host"))
      host = std::string(trim(l.substr(colon + 1)));
  }
  // The name the client used, with the port it connected to.
  std::string name = host.empty() || host[0] != '[' ? host.substr(0, host.find(':'))
                                                    : host.substr(0, host.find(']') + 1);
  const auto port_at = local.rfind(':');
  if (!url_safe(name, ".-[]:")) name = local.substr(0, port_at);
  url = "https://" + name + local.substr(port_at) + target;
  const std::string body = "this port speaks HTTPS: use " + url + "\n";
  return "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

} // namespace hooktool::net
