// The verdict on a request as a receiver gets it, from its own headers and body: what `listen`
// prints for each hook and `verify --request` for a recorded one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/signature/signature.hpp"

namespace hooktool {

// When the chosen scheme's header is absent, names a scheme whose header is there; else "".
std::string other_scheme_hint(const std::vector<Header>& headers, const Scheme& chosen);

// extract_presented + verify, never throwing for what the request carries: a missing signature
// header or a malformed one is an invalid verdict that says so.
VerifyResult verify_request(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                            const std::vector<Header>& headers, const SigningContext& explicit_ctx,
                            std::string_view body, const VerifyOptions& options);

} // namespace hooktool
