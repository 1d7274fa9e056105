#!/usr/bin/env bash
# Conformance of the signatures: the providers' own SDKs, installed from the npm registry at the
# versions pinned in sdk/package-lock.json, judge what hooktool signs and sends (sdk_driver.js).
# Exits 77 (skipped) without node and npm, or when the registry cannot be reached.
# Usage: sdk.sh PATH_TO_HOOKTOOL [WORK_DIR]  (WORK_DIR keeps node_modules between runs)
set -u
HOOKTOOL=${1:?usage: sdk.sh PATH_TO_HOOKTOOL [WORK_DIR]}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=${2:-${TMPDIR:-/tmp}/hooktool-sdk-conformance}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are needed for the SDK conformance test"
  exit 77
fi
mkdir -p "$work"
# npm ci again only when the pinned lock changed.
if ! cmp -s "$here/sdk/package-lock.json" "$work/package-lock.json" || [ ! -d "$work/node_modules" ]; then
  cp "$here/sdk/package.json" "$here/sdk/package-lock.json" "$work/"
  if ! (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
    echo "SKIP: npm ci of the pinned SDKs failed (no registry?): $(tail -1 "$work/npm.log")"
    rm -f "$work/package-lock.json"
    exit 77
  fi
fi
NODE_PATH="$work/node_modules" exec node "$here/sdk_driver.js" "$HOOKTOOL"
