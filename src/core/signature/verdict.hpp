// The verdict on a request as a receiver gets it, from its own headers and body: what `listen`
// prints for each hook and `verify --request` for a recorded one, from the same bytes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/signature/signature.hpp"

namespace hooktool {

// The request's Content-Encoding when its body has one to undo (not absent, empty or identity).
std::optional<std::string> content_coding_to_undo(const std::vector<Header>& headers,
                                                  std::string_view body);

// When the chosen scheme's header is absent, names a scheme whose header is there; else "".
std::string other_scheme_hint(const std::vector<Header>& headers, const Scheme& chosen);

// verify() of a received body: over the bytes as they arrived and, when the request's
// Content-Encoding could be undone (`decoded`), over them decoded; valid when either matches, for
// a sender signs either what it compressed or what it sent. When neither does, the findings of
// both, and a "content-encoding" finding when the encoding may be the cause: the header is there
// and the body does not decode (decoded on the way), or the body is gzip with no header saying so.
VerifyResult verify_received(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                             const Presented& presented, std::string_view body,
                             const std::optional<std::string>& decoded,
                             const VerifyOptions& options);

// What becomes of a request's own faults: a malformed signature header (a timestamp that is not
// one), or what the scheme signs and the request does not say (a URL).
enum class Faults {
  Verdict, // an invalid verdict that says so: the request came from a sender (listen, a record)
  Thrown,  // the Error (exit 2, naming the flag): the headers were typed on the command line
};

// What a request presents to be checked (extract_presented), or the verdict that it presents
// nothing to check: no signature of the scheme ("no X header in the request", with a hint naming
// the scheme whose header is there), or, with Faults::Verdict, a malformed one.
struct Presentation {
  Presented presented;
  std::optional<VerifyResult> verdict; // set: nothing to check, this is the verdict
};
Presentation present_request(const Scheme& scheme, const std::vector<Header>& headers,
                             const std::optional<std::string>& signature,
                             const SigningContext& explicit_ctx, Faults faults);

// verify_received, what the request lacks (a URL) becoming the verdict or thrown.
VerifyResult verify_presented(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                              const Presented& presented, std::string_view body,
                              const std::optional<std::string>& decoded,
                              const VerifyOptions& options, Faults faults);

// present_request + verify_presented of a request a sender sent (Faults::Verdict): never throws
// for what the request carries. `verify` goes through the same two steps, reading the key and the
// body in between, and only when there is a signature to check.
VerifyResult verify_request(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                            const std::vector<Header>& headers, const SigningContext& explicit_ctx,
                            std::string_view body, const std::optional<std::string>& decoded,
                            const VerifyOptions& options);

} // namespace hooktool
