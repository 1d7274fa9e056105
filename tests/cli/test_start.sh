#!/usr/bin/env bash
# A fast start (issue 12): the binary does not link libcurl (readelf -d), sign, verify and convert
# never load it (LD_DEBUG=libs lists what the dynamic loader opens), send opens it when it needs it,
# and a libcurl that cannot be loaded is one error line and exit 3 for the commands that need it.
source "$(dirname "$0")/lib.sh"
RC=0 OUT= ERR=

# --- What the binary links.
if command -v readelf >/dev/null; then
  needed=$(readelf -d "$HOOKTOOL" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
  OUT=$needed
  CHECKS=$((CHECKS + 1))
  grep -q '^libc\.so' <<<"$needed" || fail "readelf -d lists the libraries the binary needs"
  CHECKS=$((CHECKS + 1))
  if grep -q '^libcurl' <<<"$needed"; then fail "the binary links libcurl (it is opened at run time)"; fi
  # The listener has its own server: cpp-httplib (and its OpenSSL init at load) is not linked.
  CHECKS=$((CHECKS + 1))
  if grep -q 'httplib' <<<"$needed"; then fail "the binary links cpp-httplib, which no code uses"; fi
else
  echo "SKIP (part): readelf is not installed: no check of the libraries linked"
fi

# --- What each command loads: sign, verify and convert no libcurl; send does.
printf '{"n":1}' >"$WORK/body.json"
loaded() { # loaded ARGS...: runs hooktool ARGS with LD_DEBUG=libs; sets RC, OUT and LIBS
  LD_DEBUG=libs "$HOOKTOOL" "$@" >"$WORK/out" 2>"$WORK/ld" </dev/null
  RC=$?
  OUT=$(cat "$WORK/out")
  LIBS=$(grep -c 'libcurl' "$WORK/ld")
}
loaded sign --scheme github --key k "$WORK/body.json"
expect_rc 0 "sign"
expect_out "X-Hub-Signature-256: sha256=$(printf '{"n":1}' | openssl dgst -sha256 -hmac k | awk '{print $NF}')" "sign"
CHECKS=$((CHECKS + 1))
[ "$LIBS" = 0 ] || fail "sign loads libcurl"
sig=${OUT#*: }
loaded verify --scheme github --key k -H "X-Hub-Signature-256: $sig" "$WORK/body.json"
expect_rc 0 "verify"
expect_out "valid" "verify"
CHECKS=$((CHECKS + 1))
[ "$LIBS" = 0 ] || fail "verify loads libcurl"
loaded convert "$WORK/body.json"
expect_rc 0 "convert"
expect_out "n=1" "convert"
CHECKS=$((CHECKS + 1))
[ "$LIBS" = 0 ] || fail "convert loads libcurl"
loaded send --vendor wisepops --key k --timeout 2s http://127.0.0.1:1/hook
expect_rc 3 "send to a closed port"
CHECKS=$((CHECKS + 1))
[ "$LIBS" -gt 0 ] || fail "send opens libcurl (LD_DEBUG=libs names it)"

# --- Without a libcurl to load: a copy of the binary that asks for libcurl.so.9, which no system
# has. The commands that need no network work; the others say why in one line, exit 3.
python3 - "$HOOKTOOL" "$WORK/nocurl" <<'PY'
import os, sys
data = open(sys.argv[1], "rb").read()
assert data.count(b"libcurl.so.4\0") == 1, data.count(b"libcurl.so.4\0")
open(sys.argv[2], "wb").write(data.replace(b"libcurl.so.4\0", b"libcurl.so.9\0"))
os.chmod(sys.argv[2], 0o755)
PY
real=$HOOKTOOL
HOOKTOOL=$WORK/nocurl
run sign --scheme github --key k "$WORK/body.json"
expect_rc 0 "without libcurl: sign"
expect_out "X-Hub-Signature-256: $sig" "without libcurl: sign"
run send --vendor wisepops --key k http://127.0.0.1:1/hook
expect_rc 3 "without libcurl: send"
expect_one_line_error "without libcurl: send"
CHECKS=$((CHECKS + 1))
[ "$ERR" = "hooktool: cannot load libcurl (libcurl.so.9: cannot open shared object file: No such file or directory) (network)" ] ||
  fail "without libcurl: send says why"
expect_out "" "without libcurl: send prints nothing on stdout"
HOOKTOOL=$real
finish
