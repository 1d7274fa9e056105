// The setup function of each subcommand, one file each in src/cli/.
#pragma once

#include "cli/common.hpp"

namespace hooktool::cli {

void setup_sign(CLI::App& app, Global& global, Action& action);
void setup_verify(CLI::App& app, Global& global, Action& action);
void setup_send(CLI::App& app, Global& global, Action& action);
void setup_sample(CLI::App& app, Global& global, Action& action);
void setup_vendors(CLI::App& app, Global& global, Action& action);
void setup_replay(CLI::App& app, Global& global, Action& action);
void setup_schemes(CLI::App& app, Global& global, Action& action);
void setup_completions(CLI::App& app, Global& global, Action& action);
void setup_listen(CLI::App& app, Global& global, Action& action);
void setup_convert(CLI::App& app, Global& global, Action& action);
void setup_keygen(CLI::App& app, Global& global, Action& action);

// For `hooktool completions`: the whole command tree.
void set_root_app(const CLI::App* root);

} // namespace hooktool::cli
