// hooktool vendors: the vendor catalog, with events, formats, signature scheme and delivery facts.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/util/error.hpp"
#include "core/vendor/vendor.hpp"

namespace hooktool::cli {

namespace {

std::string seconds_text(std::int64_t ms) {
  if (ms == 0) return "0s";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

struct VendorsOptions {
  std::vector<std::string> vendor_files;
  bool json = false;
};

int run_vendors(const VendorsOptions& opts, const Global& global) {
  const Style style{global.use_color};
  const Catalog catalog = Catalog::with_files(opts.vendor_files);
  if (opts.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& v : catalog.all()) {
      nlohmann::ordered_json row;
      row["name"] = v.name;
      row["title"] = v.title;
      row["scheme"] =
          v.scheme.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v.scheme);
      row["formats"] = nlohmann::ordered_json::object();
      for (const auto& [f, type] : v.formats)
        row["formats"][f] = type;
      row["batch"] = v.batch;
      row["events"] = nlohmann::ordered_json::array();
      for (const auto& e : v.events)
        row["events"].push_back({{"name", e.name}, {"description", e.description}});
      row["delivery"] = {
          {"method", v.delivery.method},
          {"timeout_ms", v.delivery.timeout_ms},
          {"retry_ms", v.delivery.retry_ms},
          {"retry_documented", v.delivery.retry_documented < 0
                                   ? nlohmann::ordered_json(nullptr)
                                   : nlohmann::ordered_json(v.delivery.retry_documented)},
          {"success", v.delivery.success.empty() ? nlohmann::ordered_json("2xx")
                                                 : nlohmann::ordered_json(v.delivery.success)},
          {"ordered", v.delivery.ordered},
          {"get_on_save", v.delivery.get_on_save}};
      row["docs"] = v.docs;
      row["source"] = v.source;
      out.push_back(row);
    }
    print_json(out);
    return kExitOk;
  }
  for (const auto& v : catalog.all()) {
    std::cout << style.bold(v.name) << std::string(v.name.size() < 13 ? 13 - v.name.size() : 1, ' ')
              << v.title << "\n";
    std::cout << "    events    " << v.event_names() << "\n";
    std::cout << "    formats   " << v.format_names() << (v.batch ? ", batched (JSON array)" : "")
              << "\n";
    std::cout << "    signature " << (v.scheme.empty() ? "none" : v.scheme) << "\n";
    std::string retry;
    for (size_t i = 0; i < v.delivery.retry_ms.size(); ++i) {
      if (static_cast<int>(i) == v.delivery.retry_documented) retry += " (hooktool's reading:";
      retry += (retry.empty() ? "" : " ") + seconds_text(v.delivery.retry_ms[i]);
    }
    if (v.delivery.retry_documented >= 0 &&
        v.delivery.retry_documented < static_cast<int>(v.delivery.retry_ms.size()))
      retry += ")";
    std::cout << "    delivery  " << v.delivery.method << ", timeout "
              << seconds_text(v.delivery.timeout_ms)
              << (retry.empty() ? "" : ", retries after " + retry)
              << (v.delivery.get_on_save ? ", GET when saved" : "") << "\n";
    std::cout << "    success   " << v.delivery.success_rule()
              << (v.delivery.ordered ? ", in order (later deliveries wait while one is retried)"
                                     : "")
              << "\n";
  }
  return kExitOk;
}

} // namespace

void setup_vendors(CLI::App& app, Global& global, Action& action) {
  auto opts = std::make_shared<VendorsOptions>();
  add_vendor_file_option(app, opts->vendor_files);
  app.add_flag("--json", opts->json, "Print the catalog as JSON");
  app.callback([opts, &global, &action] {
    action = [opts, &global] { return run_vendors(*opts, global); };
  });
}

} // namespace hooktool::cli
