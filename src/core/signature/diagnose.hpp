// Why a signature does not match: tries the mistakes people really make and names the one that
// would make it match.
#pragma once

#include <string_view>
#include <vector>

#include "core/signature/signature.hpp"

namespace hooktool {

// Bodies larger than this get only the checks that do not rewrite the body.
constexpr std::size_t kDiagnoseBodyLimit = 64u << 20;

std::vector<Finding> diagnose(const Scheme& scheme, std::string_view secret, KeyFormat key_format,
                              const Presented& presented, std::string_view body);

} // namespace hooktool
