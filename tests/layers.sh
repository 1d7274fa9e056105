#!/usr/bin/env bash
# The layer rule (ARCHITECTURE.md, src/CMakeLists.txt), checked on every #include in src/: a folder
# includes only itself and what it may use, and the third-party headers belong to their layer
# (CLI11 to cli; libcurl, zlib and brotli to net; OpenSSL to core/signature and net).
# The same rule is written in src/CMakeLists.txt as each target's USES.
set -u
src="${HOOKTOOL_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}/src"
declare -A uses=(
  [core/util]=""
  [core/signature]="core/util"
  [core/form]="core/util"
  [core/vendor]="core/util core/signature core/form"
  [core/show]="core/util core/signature core/form core/vendor"
  [net]="core/util core/signature core/form core/vendor core/show"
  [cli]="core/util core/signature core/form core/vendor core/show net"
)
declare -A external=(  # third-party headers a folder may include: a regex
  [core/signature]='^openssl/'
  [net]='^(openssl/|curl/|zlib\.h|brotli/)'
  [cli]='^CLI/'
)
fail=0
while IFS= read -r file; do
  rel=${file#"$src"/}
  folder=$(dirname "$rel")
  [ "$folder" = . ] && continue  # main.cpp
  [ -n "${uses[$folder]+set}" ] || { echo "layers: $rel is in no layer (add its folder to tests/layers.sh)"; fail=1; continue; }
  while IFS= read -r line; do
    if [[ $line =~ ^#include\ *\"([a-z_/]+)/[a-z0-9_]+\.hpp\" ]]; then
      dep=${BASH_REMATCH[1]}
      [ "$dep" = "$folder" ] && continue
      case " ${uses[$folder]} " in *" $dep "*) continue ;; esac
      echo "layers: $rel includes $dep, which $folder may not use ($line)"; fail=1
    elif [[ $line =~ ^#include\ *\<([^>]+)\> ]]; then
      header=${BASH_REMATCH[1]}
      [[ $header =~ ^(CLI/|curl/|zlib\.h|brotli/|openssl/) ]] || continue
      pattern=${external[$folder]:-'^$'}
      [[ $header =~ $pattern ]] && continue
      echo "layers: $rel includes <$header>, which belongs to another layer"; fail=1
    fi
  done < <(grep -E '^#include' "$file")
done < <(find "$src" -name '*.[ch]pp' | sort)
[ $fail = 0 ] && echo "layers: every include in src/ keeps to its layer"
exit $fail
