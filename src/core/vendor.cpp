// Vendor -> scheme table (see vendor.hpp). Facts: shared/design.md, "Vendors are data".
#include "core/vendor.hpp"

namespace hooktool {

const std::vector<VendorSigning>& vendor_signing() {
  static const std::vector<VendorSigning> table = {
      {"wisepops", "Wisepops (api2)", "wisepops"},
      {"wisepops-v1", "Wisepops legacy (api1)", "wisepops"},
      {"esputnik", "eSputnik", ""},
      {"joturl", "JotUrl", ""},
      {"wootric", "Wootric", "wootric"},
      {"github", "GitHub", "github"},
      {"stripe", "Stripe", "stripe"},
      {"slack", "Slack", "slack"},
      {"shopify", "Shopify", "shopify"},
      {"standard", "Standard Webhooks", "standard"},
  };
  return table;
}

const VendorSigning* find_vendor_signing(std::string_view name) {
  for (const auto& v : vendor_signing())
    if (v.name == name) return &v;
  return nullptr;
}

}  // namespace hooktool
