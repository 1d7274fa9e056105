# Writes OUT: a C++ file holding schemes/builtin.json (the built-in signature schemes) as a raw
# string literal. Run by CMake at build time: cmake -DOUT=... -DFILE=schemes/builtin.json -P ...
file(READ "${FILE}" content)
string(FIND "${content}" ")hooktool_json\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${FILE} contains the raw-string delimiter")
endif()
set(code "// Generated from schemes/builtin.json by cmake/EmbedSchemes.cmake; do not edit.\n")
string(APPEND code "#include <string_view>\n\nnamespace hooktool {\n\n")
string(APPEND code "std::string_view embedded_scheme_table();\n\n")
string(APPEND code "std::string_view embedded_scheme_table() {\n")
string(APPEND code "  return R\"hooktool_json(${content})hooktool_json\";\n}\n\n}  // namespace hooktool\n")
file(WRITE "${OUT}.tmp" "${code}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
