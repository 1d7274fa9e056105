// Fuzzes the body renderer listen uses: classify_body, render_body (with and without colour),
// form_tree, pretty_json_bytes against the parser, and the full text/JSON rendering of a request.
// The first line is the content type.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/show/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto nl = input.find('\n');
  std::string_view content_type =
      nl == std::string_view::npos ? std::string_view() : input.substr(0, nl);
  std::string_view body = nl == std::string_view::npos ? input : input.substr(nl + 1);

  hooktool::classify_body(body, content_type);
  hooktool::render_body(body, content_type, false);
  hooktool::render_body(body, content_type, true);
  hooktool::form_tree(body);
  hooktool::hex_dump(body);
  // The one-pass JSON printer accepts nothing the parser rejects and writes what it writes.
  for (bool color : {false, true})
    if (const auto fast = hooktool::pretty_json_bytes(body, color)) {
      const auto parsed = hooktool::pretty_json_parsed(body, color);
      if (!parsed || *parsed != *fast) __builtin_trap();
    }
  hooktool::CapturedRequest request;
  request.received_ms = 1795610000123;
  request.remote = "127.0.0.1:1";
  request.method = "POST";
  request.path = "/";
  request.http_version = "HTTP/1.1";
  request.headers.push_back({"Content-Type", std::string(content_type)});
  request.body = std::string(body);
  hooktool::RequestOutcome outcome;
  outcome.seq = 1;
  outcome.status = 200;
  hooktool::describe_event(request);
  hooktool::render_request_text(request, outcome, true);
  hooktool::render_request_compact(request, outcome, false);
  // as listen --json writes it
  hooktool::render_request_json(request, outcome)
      .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  return 0;
}
