// Rendering a scheme's signed template (signed_content.cpp); what signature.cpp builds MACs and
// header lines from. Nothing outside core/signature includes it.
#pragma once

#include <string>
#include <string_view>

#include "core/signature/signature.hpp"

namespace hooktool {

// The template rendered around the body: `before` + body + `after` when the body is signed once
// and streamed (`with_body` false, SignedTemplate::streams_body), else the whole message in
// `before`.
struct Frame {
  std::string before;
  std::string after;
};
Frame render(const Scheme& scheme, const SigningContext& ctx, std::string_view body,
             bool with_body);

// The context's timestamp as signed and sent: seconds, or milliseconds when `ms`; throws Error when
// the context has none.
std::string timestamp_text(const Scheme& scheme, const SigningContext& ctx, bool ms);

} // namespace hooktool
