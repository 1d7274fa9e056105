#!/usr/bin/env bash
# Conformance: hooktool convert against the real Rack (ruby-rack), qs (node-qs) and PHP (php-cli)
# on the corpus in this folder. Exits 77 (skipped) when one of them is missing; scripts/deps
# conformance installs them. Usage: run.sh PATH_TO_HOOKTOOL
set -u
HOOKTOOL=${1:?usage: run.sh PATH_TO_HOOKTOOL}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

missing=()
command -v ruby >/dev/null && ruby -e 'require "rack"' 2>/dev/null || missing+=(ruby-rack)
command -v node >/dev/null && node -e 'require("qs")' 2>/dev/null || missing+=(node-qs)
command -v php >/dev/null || missing+=(php-cli)
if [ ${#missing[@]} -gt 0 ]; then
  echo "SKIP: the conformance oracles are not installed: ${missing[*]} (scripts/deps conformance installs them)"
  exit 77
fi
echo "oracles: $(ruby -e 'require "rack"; print "Rack ", Rack.release') ($(ruby -e 'print RUBY_VERSION')), " \
  "qs $(node -p 'require("qs/package.json").version') (node $(node -p process.versions.node)), PHP $(php -r 'echo PHP_VERSION;')"
exec node "$here/driver.js" "$HOOKTOOL"
