// hooktool sample: print a vendor's sample body, so it can be piped or saved.
#include "cli/sample.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/util/clock.hpp"
#include "core/util/error.hpp"
#include "core/vendor/sample.hpp"

namespace hooktool::cli {

Sample build_sample(const VendorProfile& vendor, const SampleCliOptions& opts, Random& random) {
  SampleOptions options;
  options.event = opts.event;
  options.format = opts.format;
  options.batch = opts.batch;
  options.now_ms = now_ms();
  for (const auto& set : opts.sets) {
    auto eq = set.find('=');
    if (eq == std::string::npos) throw Error("expected PATH=VALUE, got '" + set + "' (--set)");
    options.sets.emplace_back(set.substr(0, eq), set.substr(eq + 1));
  }
  return make_sample(vendor, options, random);
}

namespace {

struct SampleCommandOptions {
  SampleCliOptions sample;
  bool pretty = false;
};

int run_sample(const SampleCommandOptions& opts) {
  const Catalog catalog = Catalog::with_files(opts.sample.vendor_files);
  const VendorProfile& vendor = catalog.get(opts.sample.vendor, "--vendor");
  Random random(opts.sample.seed);
  Sample sample = build_sample(vendor, opts.sample, random);
  if (opts.pretty && sample.format == "json")
    std::cout << sample.json.dump(2) << "\n";
  else
    std::cout << sample.body;
  std::cout.flush();
  return kExitOk;
}

} // namespace

void setup_sample(CLI::App& app, Global&, Action& action) {
  auto opts = std::make_shared<SampleCommandOptions>();
  add_sample_options(app, opts->sample);
  app.add_flag("--pretty", opts->pretty, "Indent JSON for reading (not the bytes a vendor sends)");
  app.callback([opts, &action] { action = [opts] { return run_sample(*opts); }; });
}

} // namespace hooktool::cli
