// Builds the command line, runs the chosen subcommand, and maps every error to an exit code.
#pragma once

namespace hooktool {

int run(int argc, char** argv);

} // namespace hooktool
