// A strict JSON reader (RFC 8259) into a Tree: numbers keep their literal, strings that need no
// unescaping point into the input (which must outlive the tree), a repeated key keeps its first
// place and its last value (as Ruby, JavaScript and PHP do). Errors name the line and column.
#pragma once

#include <string_view>

#include "core/form/tree.hpp"

namespace hooktool {

// Throws hooktool::Error "JSON syntax error: ... (line L, column C)", "invalid UTF-8 ... (line L,
// column C)" or "nesting deeper than N (line L, column C)".
Tree read_json(std::string_view text, int max_depth);

// Is text a JSON number literal, exactly (no sign other than a leading '-', no spaces)?
bool is_json_number(std::string_view text);

} // namespace hooktool
