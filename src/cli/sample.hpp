// A vendor sample as the --vendor/--event/--format/--set/--batch options pick it (sample, send).
#pragma once

#include "cli/common.hpp"
#include "core/util/random.hpp"
#include "core/vendor/sample.hpp"
#include "core/vendor/vendor.hpp"

namespace hooktool::cli {

// The sample at the clock's time (HOOKTOOL_NOW pins it); throws Error naming --set for a bad
// PATH=VALUE.
Sample build_sample(const VendorProfile& vendor, const SampleCliOptions& opts, Random& random);

} // namespace hooktool::cli
