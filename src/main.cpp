// hooktool's entry point: everything lives in the library, so the tests link the same code.
#include "cli/app.hpp"

int main(int argc, char** argv) { return hooktool::run(argc, argv); }
