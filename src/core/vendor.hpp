// Which signature scheme each vendor uses. The full catalog (events, sample payloads, delivery
// facts) grows here from vendors/*.json; this is the part `sign` and `verify` need.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hooktool {

struct VendorSigning {
  std::string name;
  std::string title;
  std::string scheme;  // empty: the vendor does not sign its hooks
};

const std::vector<VendorSigning>& vendor_signing();
const VendorSigning* find_vendor_signing(std::string_view name);

}  // namespace hooktool
