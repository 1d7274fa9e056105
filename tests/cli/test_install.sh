#!/usr/bin/env bash
# cmake --install puts the binary, the man page and the completions where Debian expects them.
source "$(dirname "$0")/lib.sh"
build=${HOOKTOOL_BUILD_DIR:-}
if [ -z "$build" ] || [ ! -f "$build/cmake_install.cmake" ]; then
  echo "SKIP: no build directory to install from (HOOKTOOL_BUILD_DIR)"
  exit 77
fi
RC=0 OUT= ERR=
DESTDIR="$WORK/root" cmake --install "$build" --prefix /usr >"$WORK/log" 2>&1 || { RC=$?; ERR=$(cat "$WORK/log"); }
expect_rc 0 "cmake --install"
for f in usr/bin/hooktool usr/share/man/man1/hooktool.1 usr/share/bash-completion/completions/hooktool \
  usr/share/zsh/vendor-completions/_hooktool usr/share/fish/vendor_completions.d/hooktool.fish; do
  CHECKS=$((CHECKS + 1))
  [ -f "$WORK/root/$f" ] || fail "$f is not installed"
done
HOOKTOOL="$WORK/root/usr/bin/hooktool" run --version
expect_rc 0 "installed binary runs"
expect_out_has "hooktool" "installed binary runs"
finish
