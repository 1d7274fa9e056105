# One INTERFACE target carries the warning flags; -Werror only when asked (CI, developers).
add_library(hooktool_warnings INTERFACE)
target_compile_options(hooktool_warnings INTERFACE -Wall -Wextra -Wpedantic
                       $<IF:$<CXX_COMPILER_ID:GNU>,-Wshadow=local,-Wshadow-uncaptured-local>)
if(HOOKTOOL_WERROR)
  target_compile_options(hooktool_warnings INTERFACE -Werror)
endif()
