// The command table and run(): parse, run the chosen subcommand, map errors to exit codes.
#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"

namespace hooktool::cli {

namespace {
void setup_help(CLI::App& app, Global&, Action& action);
Action help_action(const std::string& topic);
} // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"sign", "Print the signature header(s) a sender adds to a payload",
       "hooktool sign --vendor wisepops --key-file api.key body.json", setup_sign},
      {"verify", "Check a payload's signature; diagnose why it does not match",
       "hooktool verify --scheme github --key-file secret.txt -H 'X-Hub-Signature-256: sha256=…' "
       "body.json",
       setup_verify},
      {"send", "Deliver a vendor's sample payload to a URL and show the response",
       "hooktool send --vendor wisepops --event email --key-file api.key "
       "http://127.0.0.1:8080/hook",
       setup_send},
      {"sample", "Print a vendor's sample payload",
       "hooktool sample --vendor wootric --format form", setup_sample},
      {"vendors", "List the vendors with their events, formats and signature scheme",
       "hooktool vendors --json", setup_vendors},
      {"listen", "Show, check, answer and record the hooks sent to a local port",
       "hooktool listen :8080 --vendor wootric --key-file secret.txt --record hooks.jsonl",
       setup_listen},
      {"replay", "Re-send recorded requests and show the answers",
       "hooktool replay hooks.jsonl http://127.0.0.1:3000 --all --resign --vendor stripe "
       "--key-file k",
       setup_replay},
      {"keygen", "Print a test key pair of a public-key scheme (the private key too)",
       "hooktool keygen --scheme discord", setup_keygen},
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

Action help_action(const std::string& topic) {
  return [topic] {
    if (topic.empty()) {
      std::cout << g_help_root->help();
      return int(kExitOk);
    }
    for (const auto& c : commands()) {
      if (topic == c.name) {
        std::cout << g_help_root->get_subcommand(c.name)->help(
            "hooktool"); // "Usage: hooktool sign"
        return int(kExitOk);
      }
    }
    std::vector<std::string> names;
    for (const auto& c : commands())
      names.emplace_back(c.name);
    auto hint = did_you_mean(topic, names);
    throw Error("unknown command '" + topic + "'" + (hint.empty() ? "" : ", " + hint) + " (help)");
  };
}

void setup_help(CLI::App& app, Global&, Action& action) {
  auto topic = std::make_shared<std::string>();
  app.add_option("command", *topic, "The command to explain")->option_text("COMMAND");
  app.callback([topic, &action] { action = help_action(*topic); });
}

// --- Parse errors: one line, naming the flag at fault, the nearest flag and where to read more.

// "sign takes [PAYLOAD]", "replay takes FILE URL", "schemes takes no argument".
std::string sub_usage(const CLI::App* sub) {
  std::string words;
  for (const CLI::Option* o : sub->get_options()) {
    if (!o->get_positional()) continue;
    const std::string text = o->get_option_text().empty() ? o->get_name() : o->get_option_text();
    words += (words.empty() ? "" : " ") + (o->get_required() ? text : "[" + text + "]");
  }
  return sub->get_name() + " takes " + (words.empty() ? "no argument" : words);
}

// "(sign; see 'hooktool help sign')", or the root's help when no command was chosen.
std::string where(const CLI::App* sub) {
  if (!sub) return " (see 'hooktool --help')";
  const std::string name = sub->get_name();
  return " (" + name + "; see 'hooktool help " + name + "')";
}

const CLI::Option* find_option(const CLI::App& root, const CLI::App* sub, const std::string& name) {
  if (sub)
    if (const CLI::Option* o = sub->get_option_no_throw(name)) return o;
  return root.get_option_no_throw(name);
}

std::vector<std::string> long_flags(const CLI::App& root, const CLI::App* sub) {
  std::vector<std::string> names;
  for (const CLI::App* app : {sub, &root}) {
    if (!app) continue;
    for (const CLI::Option* o : app->get_options())
      for (const auto& l : o->get_lnames())
        names.push_back("--" + l);
  }
  return names;
}

// The nearest flag by spelling; else one that ends in the word given ("--header" for
// "--signature-header"), or starts with it.
std::string suggest_flag(const std::string& flag, const CLI::App& root, const CLI::App* sub) {
  const auto names = long_flags(root, sub);
  if (flag.size() > 2) {
    if (auto hint = did_you_mean(flag, names); !hint.empty()) return hint;
    for (const auto& n : names)
      if (ends_with(n, "-" + flag.substr(2))) return "did you mean '" + n + "'?";
  }
  return {};
}

std::string flag_name(const CLI::Option& o) {
  return o.get_lnames().empty() ? "-" + o.get_snames().front() : "--" + o.get_lnames().front();
}

// The value an option takes, as --help shows it: "--key SECRET".
std::string with_value(const CLI::Option& o) {
  const std::string& text = o.get_option_text();
  return flag_name(o) + (text.empty() ? "" : " " + text);
}

bool takes_value(const CLI::Option& o) { return o.get_expected_max() != 0; }
bool single_value(const CLI::Option& o) {
  return takes_value(o) && o.get_items_expected_max() == 1;
}

// The command argv names, skipping the global options before it; nullptr when there is none.
// `first` is set to the index of the word after it.
const CLI::App* chosen_command(const CLI::App& root, int argc, char** argv, int& first) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--color") {
      ++i;
    } else if (arg.empty() || arg[0] != '-') {
      first = i + 1;
      try {
        return root.get_subcommand(std::string(arg));
      } catch (const CLI::OptionNotFound&) {
        return nullptr;
      }
    }
  }
  first = argc;
  return nullptr;
}

// Reads the words after the command the way CLI11 does, well enough to find the first unknown
// flag, a flag without its value, or a one-value flag given twice; "" when none of those.
std::string scan_arguments(const CLI::App& root, const CLI::App* sub,
                           const std::vector<std::string>& args) {
  std::map<const CLI::Option*, int> seen;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-' || (arg[1] >= '0' && arg[1] <= '9')) continue;
    const bool long_form = arg[1] == '-';
    const auto eq = arg.find('=');
    const std::string name =
        long_form ? arg.substr(0, eq) : arg.substr(0, 2); // "-kSECRET" is -k with a value
    const bool inline_value = long_form ? eq != std::string::npos : arg.size() > 2;
    const CLI::Option* o = find_option(root, sub, name);
    if (!o) {
      const std::string hint = suggest_flag(name, root, sub);
      return "unknown flag " + name + (hint.empty() ? "" : ", " + hint);
    }
    if (!takes_value(*o)) {
      if (long_form && inline_value)
        return name + " is a flag and takes no value, not '" + arg.substr(eq + 1) + "'";
      continue;
    }
    if (!inline_value) {
      if (i + 1 == args.size()) return name + " needs a value: " + with_value(*o);
      ++i;
    }
    if (single_value(*o) && ++seen[o] == 2)
      return flag_name(*o) + " is given twice; it takes one value: " + with_value(*o);
  }
  return {};
}

// "--count = x" read back from CLI11's message, and the option it names.
std::string conversion_line(const CLI::App& root, const CLI::App* sub, const std::string& what) {
  const std::string prefix = "Could not convert: ";
  if (!starts_with(what, prefix)) return {};
  const auto eq = what.find(" = ", prefix.size());
  if (eq == std::string::npos) return {};
  const std::string name = what.substr(prefix.size(), eq - prefix.size());
  const std::string value = what.substr(eq + 3);
  const CLI::Option* o = find_option(root, sub, name);
  if (!o) return {};
  if (!takes_value(*o)) return name + " is a flag and takes no value, not '" + value + "'";
  const std::string type = o->get_type_name();
  const std::string kind = starts_with(type, "UINT")    ? "a whole number, 0 or more"
                           : starts_with(type, "INT")   ? "a whole number"
                           : starts_with(type, "FLOAT") ? "a number"
                                                        : "a " + type;
  return name + " takes " + kind + ", not '" + value + "'";
}

// "--status: Value abc not in range 100 to 599", "--color: bad not in {auto,always,never}".
std::string validation_line(const std::string& what) {
  const auto colon = what.find(": ");
  if (colon == std::string::npos) return {};
  const std::string name = what.substr(0, colon);
  std::string rest = what.substr(colon + 2);
  if (starts_with(rest, "takes ")) return name + " " + rest; // our own validators' wording
  if (starts_with(rest, "Value ")) rest = rest.substr(6);
  const auto range = rest.find(" not in range ");
  if (range != std::string::npos)
    return name + " takes a number from " + rest.substr(range + 14) + ", not '" +
           rest.substr(0, range) + "'";
  const auto set = rest.find(" not in {");
  if (set != std::string::npos && rest.back() == '}') {
    std::string choices = rest.substr(set + 9, rest.size() - set - 10);
    const auto last = choices.rfind(',');
    if (last != std::string::npos) choices.replace(last, 1, " or ");
    std::string spaced;
    for (char c : choices)
      spaced += c == ',' ? std::string(", ") : std::string(1, c);
    return name + " takes " + spaced + ", not '" + rest.substr(0, set) + "'";
  }
  return name + ": " + rest;
}

// CLI11's message, made one line in the house form.
std::string parse_error_line(const CLI::App& root, int argc, char** argv,
                             const CLI::ParseError& e) {
  int first = argc;
  const CLI::App* sub = chosen_command(root, argc, argv, first);
  std::string what = e.what();
  while (!what.empty() && (what.back() == '\n' || what.back() == '.'))
    what.pop_back();
  std::vector<std::string> args;
  for (int i = sub ? first : 1; i < argc; ++i)
    args.emplace_back(argv[i]);
  if (std::string line = scan_arguments(root, sub, args); !line.empty()) return line + where(sub);
  if (dynamic_cast<const CLI::ConversionError*>(&e))
    if (std::string line = conversion_line(root, sub, what); !line.empty())
      return line + where(sub);
  if (dynamic_cast<const CLI::ValidationError*>(&e))
    if (std::string line = validation_line(what); !line.empty()) return line + where(sub);
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e)) {
    const std::string name = what.substr(0, what.find(':'));
    if (const CLI::Option* o = find_option(root, sub, name);
        o &&
        (what.find(" missing") != std::string::npos || what.find("At least") != std::string::npos))
      return name + " needs a value: " + with_value(*o) + where(sub);
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e)) {
    const std::string name = what.substr(0, what.find(" is required"));
    if (const CLI::Option* o = find_option(root, sub, name)) {
      if (o->get_positional())
        return "missing " + o->get_option_text() + ": " + sub_usage(sub) + where(sub);
      return with_value(*o) + " is required" + where(sub);
    }
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    // The first word CLI11 did not expect, in argv order (its message lists them backwards).
    const auto colon = what.find(": ");
    const std::string list = colon == std::string::npos ? "" : what.substr(colon + 2);
    std::vector<std::string> extras;
    for (auto word : split(list, ' '))
      extras.emplace_back(word);
    for (const auto& arg : args)
      if (std::find(extras.begin(), extras.end(), arg) != extras.end())
        return "unexpected argument '" + arg + "'" + (sub ? ": " + sub_usage(sub) : std::string()) +
               where(sub);
  }
  if (!what.empty()) what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
  return what + where(sub);
}

std::string examples_footer() {
  std::string text = "Examples:\n";
  for (const auto& c : commands())
    text += "  " + std::string(c.example) + "\n";
  text += "\nExit status: 0 success; 1 the check failed (bad signature, non-2xx answer, timeout);\n"
          "2 usage or input error, or stdout could not be written; 3 network error (no answer).\n"
          "Environment: HOOKTOOL_KEY (the secret), NO_COLOR. See hooktool(1).";
  return text;
}

// What is answered before CLI11 parses, because CLI11 cannot: "help COMMAND" (CLI11 would take
// COMMAND for a subcommand and run it), and an unknown command, which CLI11 reports as arguments it
// did not expect. Global options may come before either. nullopt: CLI11 parses the line.
std::optional<int> answer_before_parse(int argc, char** argv, Global& global) {
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
      break; // anything else is for CLI11 to read
    } else {
      if (words.empty()) help_first = arg == "help";
      words.emplace_back(arg);
      if (!help_first) break;
    }
  }
  if (help_first) {
    if (words.size() > 2) {
      std::cerr << "hooktool: help takes one command name, not " << words.size() - 1
                << " (help; see 'hooktool --help')\n";
      return kExitUsage;
    }
    const Action action = help_action(words.size() == 2 ? words[1] : "");
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
    for (const auto& c : commands())
      names.emplace_back(c.name);
    if (std::find(names.begin(), names.end(), word) == names.end()) {
      auto hint = did_you_mean(word, names);
      std::cerr << "hooktool: unknown command '" << word << "'" << (hint.empty() ? "" : ", " + hint)
                << " (see 'hooktool --help')\n";
      return kExitUsage;
    }
  }

  return std::nullopt;
}

// The word argv names a command with, after the global options; "" for help and completions
// (they read every command's options) and when there is none. Only that command's options are
// made: making all of them (CLI11 options, validators, names) was most of the start-up time that
// is the program's own (issue 12).
std::string_view command_to_set_up(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--color") {
      ++i;
    } else if (!starts_with(arg, "--color=") && arg != "-v" && arg != "--verbose") {
      return arg == "help" || arg == "completions" ? std::string_view() : arg;
    }
  }
  return {};
}

} // namespace

} // namespace hooktool::cli

namespace hooktool {

namespace {

int run_command(int argc, char** argv) {
  using namespace cli;
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
  const std::string_view only = command_to_set_up(argc, argv);
  for (const auto& c : commands()) {
    CLI::App* sub = app.add_subcommand(c.name, c.summary);
    sub->footer(std::string("Example:\n  ") + c.example);
    if (only.empty() || only == c.name) c.setup(*sub, global, action);
  }
  app.footer(examples_footer());

  if (auto answered = answer_before_parse(argc, argv, global)) return *answered;

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
    std::cerr << "hooktool: " << parse_error_line(app, argc, argv, e) << "\n";
    return kExitUsage;
  } catch (const Error& e) {
    std::cerr << "hooktool: " << e.what() << "\n";
    return e.code();
  }
  global.use_color = decide_color(global.color);
  // Text bodies stop after a screenful on a terminal; pipes and files get them whole.
  if (stdout_is_tty() && !global.full) global.body_cut = kScreenful;
  if (!action) {
    std::cout << app.help();
    return kExitOk;
  }
  try {
    return action();
  } catch (const Error& e) {
    std::cout.flush();
    std::cerr << "hooktool: " << e.what() << "\n";
    return e.code();
  } catch (const std::exception& e) {
    std::cerr << "hooktool: " << e.what() << " (internal error)\n";
    return kExitUsage;
  }
}

} // namespace

int run(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN); // a closed pipe is a write error we end on quietly
  std::signal(SIGXFSZ, SIG_IGN); // a file-size limit reached is a write error (EFBIG), said
  // The one check of stdout for every command: a write that failed is said, once, and the run
  // fails (2, the status of a file that cannot be written) unless it failed already; a reader
  // that went away (EPIPE: `hooktool vendors | head -1`) ends it quietly. listen writes its
  // hooks itself (listen_output.cpp) and says its own error.
  cli::StdoutGuard out;
  const int code = run_command(argc, argv);
  const int error = out.flush();
  if (error == 0 || error == EPIPE) return code;
  std::cerr << "hooktool: " << cli::stdout_error_message(error) << "\n";
  return code != kExitOk ? code : kExitUsage;
}

} // namespace hooktool
