// The command table and run(): parse, run the chosen subcommand, map errors to exit codes.
#include "cli/app.hpp"

#include <csignal>
#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool::cli {

namespace {
void setup_help(CLI::App& app, Global&, Action& action);
Action help_action(std::string topic);
}

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"sign", "Print the signature header(s) a sender adds to a payload",
       "hooktool sign --vendor wisepops --key-file api.key body.json", setup_sign},
      {"verify", "Check a payload's signature; diagnose why it does not match",
       "hooktool verify --scheme github --key-file secret.txt -H 'X-Hub-Signature-256: sha256=…' body.json",
       setup_verify},
      {"send", "Deliver a vendor's sample payload to a URL and show the response",
       "hooktool send --vendor wisepops --event email --key-file api.key http://127.0.0.1:8080/hook", setup_send},
      {"sample", "Print a vendor's sample payload", "hooktool sample --vendor wootric --format form", setup_sample},
      {"vendors", "List the vendors with their events, formats and signature scheme", "hooktool vendors --json",
       setup_vendors},
      {"listen", "Show, check, answer and record the hooks sent to a local port",
       "hooktool listen :8080 --vendor wootric --key-file secret.txt --record hooks.jsonl", setup_listen},
      {"replay", "Re-send recorded requests and show the answers",
       "hooktool replay hooks.jsonl http://127.0.0.1:3000 --all --resign --vendor stripe --key-file k",
       setup_replay},
      {"schemes", "List the signature schemes and vendors, with what each signs",
       "hooktool schemes --json", setup_schemes},
      {"convert", "Convert JSON to a URL-encoded form and back, the way Rack, qs or PHP does",
       "hooktool convert --dialect all body.txt", setup_convert},
      {"completions", "Print a bash, zsh or fish completion script",
       "hooktool completions bash > /etc/bash_completion.d/hooktool", setup_completions},
      {"help", "Show the help of a command", "hooktool help verify", setup_help},
  };
  return table;
}

namespace {

const CLI::App* g_help_root = nullptr;

Action help_action(std::string topic) {
  return [topic] {
    if (topic.empty()) {
      std::cout << g_help_root->help();
      return int(kExitOk);
    }
    for (const auto& c : commands()) {
      if (topic == c.name) {
        std::cout << g_help_root->get_subcommand(c.name)->help();
        return int(kExitOk);
      }
    }
    std::vector<std::string> names;
    for (const auto& c : commands()) names.emplace_back(c.name);
    auto hint = did_you_mean(topic, names);
    throw Error("unknown command '" + topic + "'" + (hint.empty() ? "" : ", " + hint) + " (help)");
  };
}

void setup_help(CLI::App& app, Global&, Action& action) {
  auto topic = std::make_shared<std::string>();
  app.add_option("command", *topic, "The command to explain")->option_text("COMMAND");
  app.callback([topic, &action] { action = help_action(*topic); });
}

std::string examples_footer() {
  std::string text = "Examples:\n";
  for (const auto& c : commands()) text += "  " + std::string(c.example) + "\n";
  text +=
      "\nExit status: 0 success; 1 the check failed (bad signature, non-2xx answer, timeout);\n"
      "2 usage or input error; 3 network error (no answer).\n"
      "Environment: HOOKTOOL_KEY (the secret), NO_COLOR. See hooktool(1).";
  return text;
}

}  // namespace

}  // namespace hooktool::cli

namespace hooktool {

int run(int argc, char** argv) {
  using namespace cli;
  std::signal(SIGPIPE, SIG_IGN);  // a closed pipe is a write error we end on quietly
  CLI::App app{"hooktool: sign, verify, send and inspect webhooks", "hooktool"};
  g_help_root = &app;
  set_root_app(&app);
  app.set_version_flag("--version,-V", "hooktool " HOOKTOOL_VERSION);
  app.fallthrough();
  Global global;
  Action action;
  app.add_option("--color", global.color, "Colour: auto, always or never (default auto)")
      ->option_text("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("--verbose,-v", global.verbose, "Say more on stderr (never the key)");
  for (const auto& c : commands()) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->footer(std::string("Example:\n  ") + c.example);
    c.setup(*sub, global, action);
  }
  app.footer(examples_footer());

  // "help COMMAND" is answered before parsing: CLI11 would take COMMAND for a subcommand.
  // Global options may come before or after it.
  std::vector<std::string> words;
  bool help_first = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--color" && i + 1 < argc) {
      global.color = argv[++i];
    } else if (starts_with(arg, "--color=")) {
      global.color = std::string(arg.substr(8));
    } else if (arg == "-v" || arg == "--verbose") {
    } else if (!arg.empty() && arg[0] == '-') {
      break;  // anything else is for CLI11 to read
    } else {
      if (words.empty()) help_first = arg == "help";
      words.emplace_back(arg);
      if (!help_first) break;
    }
  }
  if (help_first) {
    if (words.size() > 2) {
      std::cerr << "hooktool: help takes one command name (help)\n";
      return kExitUsage;
    }
    action = help_action(words.size() == 2 ? words[1] : "");
    global.use_color = decide_color(global.color);
    try {
      return action();
    } catch (const Error& e) {
      std::cerr << "hooktool: " << e.what() << "\n";
      return e.code();
    }
  }

  if (!words.empty()) {
    const std::string& word = words.front();
    std::vector<std::string> names;
    for (const auto& c : commands()) names.emplace_back(c.name);
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      auto hint = did_you_mean(word, names);
      std::cerr << "hooktool: unknown command '" << word << "'" << (hint.empty() ? "" : ", " + hint)
                << " (see 'hooktool --help')\n";
      return kExitUsage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    app.exit(e);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string what = e.what();
    while (!what.empty() && (what.back() == '\n' || what.back() == '.')) what.pop_back();
    std::cerr << "hooktool: " << what << " (command line; see 'hooktool --help')\n";
    return kExitUsage;
  } catch (const Error& e) {
    std::cerr << "hooktool: " << e.what() << "\n";
    return e.code();
  }
  global.use_color = decide_color(global.color);
  if (!action) {
    std::cout << app.help();
    return kExitOk;
  }
  try {
    int code = action();
    if (std::fflush(stdout) != 0 || !std::cout.flush()) return code;  // closed pipe: end quietly
    return code;
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << "hooktool: " << e.what() << "\n";
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "hooktool: " << e.what() << " (internal error)\n";
    return kExitUsage;
  }
}

}  // namespace hooktool
