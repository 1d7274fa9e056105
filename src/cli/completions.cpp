// hooktool completions: bash, zsh and fish completion scripts generated from the CLI definition
// itself, so they cannot fall out of step with it (a test diffs them against completions/).
#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "core/util/bytes.hpp"
#include "core/util/error.hpp"
#include "core/vendor/vendor.hpp"

namespace hooktool::cli {

namespace {

const CLI::App* g_root = nullptr;

struct Opt {
  std::vector<std::string> names; // "--scheme", "-s"
  std::string description;
  bool takes_value = false;
  std::string values; // space-separated choices, or "@file" for a file name
};

struct Cmd {
  std::string name;
  std::string description;
  std::vector<Opt> options;
  std::string positional; // "", "@file", or space-separated words
};

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words)
    out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string command_names() {
  std::vector<std::string> names;
  for (const auto& c : commands())
    names.push_back(c.name);
  return join(names);
}

// The vendors with a signature scheme: sign, verify and replay --resign take only those.
std::string signing_vendor_names() {
  std::vector<std::string> names;
  for (const auto& v : Catalog::builtin().all())
    if (!v.scheme.empty()) names.push_back(v.name);
  return join(names);
}

// What a value of `long_name` in command `cmd` completes to: space-separated words, "@file" (a
// file name), "@file@" (a file name, or @ and one: a payload), "@@file" (text, or @ and a file
// name), "@event" (the events of the --vendor given,
// asked of hooktool itself when completing), or "" (nothing to offer).
std::string values_for(const std::string& cmd, const CLI::Option& o, const std::string& long_name) {
  const std::string& text = o.get_option_text();
  if (text == "TEXT|@FILE") return "@@file";
  if (starts_with(text, "FILE")) // --key-file, --vendor-file, --data, --cacert...
    return o.get_description().find("@file") != std::string::npos ? "@file@" : "@file";
  if (long_name == "--scheme") return join(scheme_names());
  if (long_name == "--vendor")
    return cmd == "sign" || cmd == "verify" || cmd == "replay" ? signing_vendor_names()
                                                               : join(vendor_names());
  if (long_name == "--event") return "@event";
  if (long_name == "--format") return "json form";
  if (long_name == "--method") return "GET POST PUT PATCH";
  if (long_name == "--algo") return "sha1 sha256 sha512";
  if (long_name == "--encoding") return "hex base64";
  if (long_name == "--key-format") return "raw whsec base64 hex";
  if (long_name == "--color") return "auto always never";
  if (long_name == "--to" || long_name == "--from") return "json form";
  if (long_name == "--dialect") return "rack qs php all";
  if (long_name == "--arrays") return "brackets indices repeat";
  return "";
}

std::vector<Opt> options_of(const CLI::App& app, const std::string& cmd) {
  std::vector<Opt> out;
  for (const CLI::Option* o : app.get_options()) {
    if (!o->nonpositional()) continue;
    Opt opt;
    for (const auto& l : o->get_lnames())
      opt.names.push_back("--" + l);
    for (const auto& s : o->get_snames())
      opt.names.push_back("-" + s);
    opt.description = o->get_description();
    opt.takes_value = o->get_expected_max() != 0;
    opt.values =
        opt.names.empty() || !opt.takes_value ? "" : values_for(cmd, *o, opt.names.front());
    out.push_back(opt);
  }
  return out;
}

std::string positional_of(const CLI::App& app) {
  const std::string& name = app.get_name();
  if (name == "help") return command_names();
  if (name == "completions") return "bash zsh fish";
  if (name == "listen") return ""; // an address
  for (const CLI::Option* o : app.get_options())
    if (o->get_positional())
      return o->get_description().find("@file") != std::string::npos ? "@file@" : "@file";
  return "";
}

std::vector<Cmd> command_tree() {
  if (!g_root) throw Error("internal: the command tree is not set (completions)");
  std::vector<Cmd> tree;
  for (const auto& c : commands()) {
    const CLI::App* sub = g_root->get_subcommand(c.name);
    tree.push_back({c.name, c.summary, options_of(*sub, c.name), positional_of(*sub)});
  }
  return tree;
}

// Descriptions go inside quotes and zsh's [...]: keep them to plain words.
std::string plain(std::string text) {
  for (auto& c : text) {
    if (c == '[')
      c = '(';
    else if (c == ']')
      c = ')';
    else if (c == '\'' || c == '"' || c == '`' || c == '$' || c == '\\')
      c = ' ';
    else if (c == ':')
      c = ',';
  }
  return text;
}

// Lists the events of the vendor named by --vendor, from 'hooktool vendors' (with the
// --vendor-file files given), so that completion knows what this binary knows.
const char* const kEventsAwk =
    R"('/^[^ ]/ { name = $1 } name == v && $1 == "events" { for (i = 2; i <= NF; i++) { sub(/,$/, "", $i); print $i } }')";

// Long because most of it is the bash script it writes, line for line.
void bash(std::ostream& out) {
  const auto tree = command_tree();
  const auto globals = options_of(*g_root, "");
  std::string alternatives; // sign|verify|...
  for (const auto& c : tree)
    alternatives += (alternatives.empty() ? "" : "|") + c.name;
  out << "# bash completion for hooktool. Generated by 'hooktool completions bash'; do not edit.\n"
      << "_hooktool_events() {\n"
      << "  local vendor=\"\" i files=()\n"
      << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      << "    case \"${COMP_WORDS[i]}\" in\n"
      << "      --vendor) vendor=\"${COMP_WORDS[i+1]}\" ;;\n"
      << "      --vendor=*) vendor=\"${COMP_WORDS[i]#--vendor=}\" ;;\n"
      << "      --vendor-file) files+=(--vendor-file \"${COMP_WORDS[i+1]}\") ;;\n"
      << "    esac\n"
      << "  done\n"
      << "  [[ -n \"$vendor\" ]] || return 0\n"
      << "  \"${COMP_WORDS[0]}\" --color never vendors \"${files[@]}\" 2>/dev/null |\n"
      << "    awk -v v=\"$vendor\" " << kEventsAwk << "\n"
      << "}\n"
      << "_hooktool_payload() {  # a file, or @ and a file\n"
      << "  if [[ \"$cur\" == @* ]]; then COMPREPLY=($(compgen -f -P @ -- \"${cur#@}\"))\n"
      << "  else COMPREPLY=($(compgen -f -- \"$cur\")); fi\n"
      << "}\n"
      << "_hooktool() {\n"
      << "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      << "  local cmd=\"\" i\n"
      << "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      << "    case \"${COMP_WORDS[i]}\" in\n"
      << "      " << alternatives << ") cmd=\"${COMP_WORDS[i]}\"; break ;;\n"
      << "    esac\n"
      << "  done\n"
      << "  case \"$cmd $prev\" in\n";
  // The values of each option that takes one: once for every command when they are the same
  // everywhere ("*' --algo'"), else per command ("'sign --vendor'"), those first.
  std::vector<std::pair<std::string, std::string>> by_command, everywhere; // pattern, values
  std::map<std::string, std::vector<std::string>> values_of;               // name -> values seen
  auto each_option =
      [&](const std::function<void(const std::string&, const std::string&, const Opt&)>& f) {
        for (const auto& o : globals)
          f("", o.names.front(), o);
        for (const auto& c : tree)
          for (const auto& o : c.options)
            f(c.name, o.names.front(), o);
      };
  each_option([&](const std::string&, const std::string& name, const Opt& o) {
    if (!o.takes_value) return;
    auto& seen = values_of[name];
    if (std::find(seen.begin(), seen.end(), o.values) == seen.end()) seen.push_back(o.values);
  });
  // "*\" --algo\"" for every command, "\"sign --vendor\"" for one.
  auto pattern = [](const std::string& cmd, const Opt& o, bool every) {
    std::string p;
    for (const auto& n : o.names)
      p += (p.empty() ? "" : "|") + (every ? "*\" " : "\"" + cmd + " ") + n + "\"";
    return p;
  };
  std::vector<std::string> done;
  each_option([&](const std::string& cmd, const std::string& name, const Opt& o) {
    if (!o.takes_value) return;
    if (values_of[name].size() > 1) {
      by_command.emplace_back(pattern(cmd, o, false), o.values);
    } else if (std::find(done.begin(), done.end(), name) == done.end()) {
      done.push_back(name);
      everywhere.emplace_back(pattern(cmd, o, true), o.values);
    }
  });
  auto value_case = [&](const std::string& pat, const std::string& values) {
    out << "    " << pat << ") ";
    if (values == "@file")
      out << "COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
    else if (values == "@file@")
      out << "_hooktool_payload; return ;;\n";
    else if (values == "@@file")
      out << "[[ \"$cur\" == @* ]] && COMPREPLY=($(compgen -f -P @ -- \"${cur#@}\")) || "
             "COMPREPLY=(); return ;;\n";
    else if (values == "@event")
      out << "COMPREPLY=($(compgen -W \"$(_hooktool_events)\" -- \"$cur\")); return ;;\n";
    else if (!values.empty())
      out << "COMPREPLY=($(compgen -W \"" << values << "\" -- \"$cur\")); return ;;\n";
    else
      out << "COMPREPLY=(); return ;;\n";
  };
  for (const auto& [pat, values] : by_command)
    value_case(pat, values);
  for (const auto& [pat, values] : everywhere)
    value_case(pat, values);
  out << "  esac\n"
      << "  case \"$cmd\" in\n";
  std::string global_flags;
  for (const auto& o : globals)
    global_flags += " " + join(o.names);
  out << "    \"\") COMPREPLY=($(compgen -W \"" << command_names() << global_flags
      << "\" -- \"$cur\")) ;;\n";
  for (const auto& c : tree) {
    std::string flags;
    for (const auto& o : c.options)
      flags += (flags.empty() ? "" : " ") + join(o.names);
    for (const auto& o : globals)
      if (o.names.front() != "--help") flags += " " + join(o.names);
    out << "    " << c.name << ")\n"
        << "      if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W \"" << flags
        << "\" -- \"$cur\"))\n";
    if (c.positional == "@file")
      out << "      else COMPREPLY=($(compgen -f -- \"$cur\"))\n";
    else if (c.positional == "@file@")
      out << "      else _hooktool_payload\n";
    else if (!c.positional.empty())
      out << "      else COMPREPLY=($(compgen -W \"" << c.positional << "\" -- \"$cur\"))\n";
    out << "      fi ;;\n";
  }
  out << "  esac\n"
      << "}\n"
      << "complete -o filenames -F _hooktool hooktool\n";
}

std::string zsh_spec(const Opt& o, const std::string& name) {
  std::string spec = "'" + name + "[" + plain(o.description) + "]";
  if (o.takes_value) {
    spec += ":value:";
    if (o.values == "@file" || o.values == "@file@")
      spec += "_files";
    else if (o.values == "@@file")
      spec += "_hooktool_at_file";
    else if (o.values == "@event")
      spec += "_hooktool_events";
    else if (!o.values.empty())
      spec += "(" + o.values + ")";
  }
  return spec + "'";
}

void zsh(std::ostream& out) {
  const auto tree = command_tree();
  const auto globals = options_of(*g_root, "");
  out << "#compdef hooktool\n"
      << "# zsh completion for hooktool. Generated by 'hooktool completions zsh'; do not edit.\n"
      << "_hooktool_events() {\n"
      << "  local i=${words[(I)--vendor]}\n"
      << "  (( i )) || return 1\n"
      << "  local -a events\n"
      << "  events=(${(f)\"$(hooktool --color never vendors 2>/dev/null |\n"
      << "    awk -v v=\"${words[i+1]}\" " << kEventsAwk << ")\"})\n"
      << "  compadd -a events\n"
      << "}\n"
      << "_hooktool_at_file() {\n"
      << "  compset -P '@' && _files\n"
      << "}\n"
      << "_hooktool() {\n"
      << "  local -a commands\n"
      << "  commands=(\n";
  for (const auto& c : tree)
    out << "    '" << c.name << ":" << plain(c.description) << "'\n";
  out << "  )\n"
      << "  local -a globals\n"
      << "  globals=(\n";
  for (const auto& o : globals)
    for (const auto& n : o.names)
      out << "    " << zsh_spec(o, n) << "\n";
  out << "  )\n"
      << "  local curcontext=\"$curcontext\" state line\n"
      << "  _arguments -C $globals '1: :->command' '*:: :->args'\n"
      << "  case $state in\n"
      << "    command) _describe 'command' commands ;;\n"
      << "    args)\n"
      << "      case $words[1] in\n";
  for (const auto& c : tree) {
    out << "        " << c.name << ")\n"
        << "          _arguments $globals \\\n";
    for (const auto& o : c.options)
      for (const auto& n : o.names)
        out << "            " << zsh_spec(o, n) << " \\\n";
    if (c.positional == "@file" || c.positional == "@file@")
      out << "            '*:payload:_files'\n";
    else if (!c.positional.empty())
      out << "            '1:value:(" << c.positional << ")'\n";
    else
      out << "            \n";
    out << "          ;;\n";
  }
  out << "      esac ;;\n"
      << "  esac\n"
      << "}\n"
      << "_hooktool \"$@\"\n";
}

void fish_option(std::ostream& out, const Opt& o, const std::string& condition) {
  out << "complete -c hooktool";
  if (!condition.empty()) out << " -n '" << condition << "'";
  for (const auto& n : o.names)
    out << (n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1));
  if (o.takes_value) {
    if (o.values == "@file" || o.values == "@file@")
      out << " -r -F";
    else if (o.values == "@@file")
      out << " -x -a '(__hooktool_at_file)'";
    else if (o.values == "@event")
      out << " -x -a '(__hooktool_events)'";
    else if (!o.values.empty())
      out << " -x -a '" << o.values << "'";
    else
      out << " -x";
  }
  out << " -d '" << plain(o.description) << "'\n";
}

void fish(std::ostream& out) {
  const auto tree = command_tree();
  out << "# fish completion for hooktool. Generated by 'hooktool completions fish'; do not edit.\n"
      << "function __hooktool_events\n"
      << "  set --local words (commandline -opc)\n"
      << "  set --local i (contains -i -- --vendor $words); or return\n"
      << "  hooktool --color never vendors 2>/dev/null |\n"
      << "    awk -v \"v=$words[(math $i + 1)]\" " << kEventsAwk << "\n"
      << "end\n"
      << "function __hooktool_at_file\n"
      << "  set --local word (commandline -ct)\n"
      << "  string match -q -- '@*' $word; or return\n"
      << "  for f in (__fish_complete_path (string sub -s 2 -- $word))\n"
      << "    echo @$f\n"
      << "  end\n"
      << "end\n"
      << "complete -c hooktool -f\n";
  for (const auto& o : options_of(*g_root, ""))
    fish_option(out, o, "");
  for (const auto& c : tree)
    out << "complete -c hooktool -n '__fish_use_subcommand' -a " << c.name << " -d '"
        << plain(c.description) << "'\n";
  for (const auto& c : tree) {
    const std::string condition = "__fish_seen_subcommand_from " + c.name;
    for (const auto& o : c.options)
      fish_option(out, o, condition);
    if (c.positional == "@file" || c.positional == "@file@")
      out << "complete -c hooktool -n '" << condition << "' -F\n";
    else if (!c.positional.empty())
      out << "complete -c hooktool -n '" << condition << "' -x -a '" << c.positional << "'\n";
  }
}

} // namespace

void set_root_app(const CLI::App* root) { g_root = root; }

void setup_completions(CLI::App& app, Global&, Action& action) {
  auto shell = std::make_shared<std::string>();
  app.add_option("shell", *shell, "bash, zsh or fish")->required()->option_text("SHELL");
  app.callback([shell, &action] {
    action = [shell] {
      if (*shell == "bash")
        bash(std::cout);
      else if (*shell == "zsh")
        zsh(std::cout);
      else if (*shell == "fish")
        fish(std::cout);
      else
        throw Error("unknown shell '" + *shell + "': use bash, zsh or fish (completions)");
      return kExitOk;
    };
  });
}

} // namespace hooktool::cli
