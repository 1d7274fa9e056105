// hooktool schemes: the catalog, with what each scheme signs and where the signature travels.
#include <CLI/CLI.hpp>
#include <iomanip>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/signature/signature.hpp"
#include "core/util/error.hpp"
#include "core/vendor/vendor.hpp"

namespace hooktool::cli {

namespace {

std::string tolerance_text(const Scheme& s) {
  const std::string field = s.timestamp_field.empty() ? "" : " (body field)";
  switch (s.freshness) {
  case Freshness::None: return "";
  case Freshness::BothWays: return std::to_string(s.tolerance_s) + " s both ways" + field;
  case Freshness::PastOnly: return std::to_string(s.tolerance_s) + " s, past only" + field;
  }
  return "";
}

int run_schemes(bool json, const Global& global) {
  const Style style{global.use_color};
  std::vector<Scheme> all = builtin_schemes();
  all.push_back(make_hmac_scheme(Algo::Sha256, Encoding::Hex, "", "X-Signature"));
  if (json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& s : all) {
      nlohmann::ordered_json row;
      row["name"] = s.name;
      row["title"] = s.title;
      row["algorithm"] = s.signer == Signer::Ed25519 ? "ed25519" : algo_name(s.algo);
      row["signs"] = s.content.source; // the template: what is signed
      row["encoding"] = encoding_name(s.encoding);
      row["prefix"] = display_prefix(s);
      row["key_format"] = key_format_name(s.key_format);
      row["headers"] = s.signature_headers;
      row["timestamp_headers"] = s.timestamp_headers;
      row["id_headers"] = s.id_headers;
      row["tolerance_s"] = s.tolerance_s;
      row["tolerance"] = tolerance_text(s);
      row["note"] = s.note;
      row["declaration"] = scheme_to_json(s); // as a vendor file's "signature" declares it
      out.push_back(row);
    }
    nlohmann::ordered_json vendors = nlohmann::ordered_json::object();
    for (const auto& v : Catalog::builtin().all())
      vendors[v.name] = v.scheme.empty() ? nullptr : nlohmann::ordered_json(v.scheme);
    print_json({{"schemes", out}, {"vendors", vendors}});
    return kExitOk;
  }
  for (const auto& s : all) {
    std::cout << style.bold(s.name) << std::string(s.name.size() < 14 ? 14 - s.name.size() : 1, ' ')
              << s.title << "\n";
    std::cout << "    signs   " << describe_scheme(s) << "\n";
    std::cout << "    header  " << s.signature_headers.front();
    for (size_t i = 1; i < s.signature_headers.size(); ++i)
      std::cout << " (or " << s.signature_headers[i] << ")";
    for (const auto& h : s.timestamp_headers) {
      std::cout << ", " << h;
      break;
    }
    for (const auto& h : s.id_headers) {
      std::cout << ", " << h;
      break;
    }
    std::cout << "\n";
    if (auto t = tolerance_text(s); !t.empty()) std::cout << "    window  " << t << "\n";
    if (!s.note.empty()) std::cout << "    " << style.dim(s.note) << "\n";
  }
  std::cout << "\nvendors:";
  for (const auto& v : Catalog::builtin().all())
    std::cout << " " << v.name << "=" << (v.scheme.empty() ? "unsigned" : v.scheme);
  std::cout << "\n";
  return kExitOk;
}

} // namespace

void setup_schemes(CLI::App& app, Global& global, Action& action) {
  auto json = std::make_shared<bool>(false);
  app.add_flag("--json", *json, "Print the catalog as JSON");
  app.callback([json, &global, &action] {
    action = [json, &global] { return run_schemes(*json, global); };
  });
}

} // namespace hooktool::cli
