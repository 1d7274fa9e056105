#!/usr/bin/env bash
# Bad input: every case gets one clear 'hooktool: <what> (<where>)' line and exit code 2.
source "$(dirname "$0")/lib.sh"

printf '{"a":1}' >"$WORK/body.json"
: >"$WORK/empty"


bad "no key" sign --scheme github "$WORK/body.json"
expect_err_has "no key" "no key"
bad "unknown scheme" sign --scheme githb --key k "$WORK/body.json"
expect_err_has "did you mean 'github'" "suggestion"
bad "no scheme" sign --key k "$WORK/body.json"
bad "unknown vendor" sign --vendor wisepop --key k "$WORK/body.json"
bad "unsigned vendor" sign --vendor joturl --key k "$WORK/body.json"
bad "vendor and scheme disagree" sign --vendor wisepops --scheme github --key k "$WORK/body.json"
bad "unreadable file" sign --scheme github --key k "$WORK/missing.json"
expect_err_has "missing.json" "names the file"
bad "directory" sign --scheme github --key k "$WORK"
bad "empty payload" sign --scheme github --key k "$WORK/empty"
expect_err_has "empty" "empty payload"
run_in "$WORK/empty" sign --scheme github --key k
expect_rc 2 "empty stdin"
expect_one_line_error "empty stdin"
bad "invalid base64 secret" sign --scheme standard --key 'whsec_!!!not base64' "$WORK/body.json"
bad "key twice" sign --scheme github --key k --key-file "$WORK/body.json" "$WORK/body.json"
bad "key file missing" sign --scheme github --key-file "$WORK/nokey" "$WORK/body.json"
bad "empty key file" sign --scheme github --key-file "$WORK/empty" "$WORK/body.json"
bad "bad key format" sign --scheme github --key k --key-format rot13 "$WORK/body.json"
bad "bad algo" sign --scheme hmac --key k --algo md5 "$WORK/body.json"
bad "bad encoding" sign --scheme hmac --key k --encoding base32 "$WORK/body.json"
bad "bad timestamp" sign --scheme stripe --key k --timestamp yesterday "$WORK/body.json"
bad "unknown flag" sign --scheme github --key k --frobnicate "$WORK/body.json"
bad "unknown command" sgn
expect_err_has "did you mean 'sign'" "command suggestion"
bad "malformed header" verify --scheme github --key k -H 'X-Hub-Signature-256 sha256=00' "$WORK/body.json"
expect_err_has "--header" "names the flag"
bad "bad header name" verify --scheme github --key k -H 'X Hub: 00' "$WORK/body.json"
bad "no signature" verify --scheme github --key k "$WORK/body.json"
bad "bad tolerance" verify --scheme stripe --key k --tolerance soon -H 'Stripe-Signature: t=1,v1=00' "$WORK/body.json"
bad "bad stripe t" verify --scheme stripe --key k -H 'Stripe-Signature: t=abc,v1=00' "$WORK/body.json"
bad "help for an unknown command" help sgn
bad "unknown shell" completions tcsh
# Seconds past what int64 milliseconds hold: an error, not an overflow.
HOOKTOOL_NOW=9223372036854775807 bad "HOOKTOOL_NOW too large" sample --vendor github
expect_err_has "HOOKTOOL_NOW must be unix seconds" "names the variable"

# Usage errors never print the key.
run sign --scheme standard --key 'whsec_!!!sekrit' "$WORK/body.json"
expect_not_in_output 'sekrit' "invalid secret error"

# A closed pipe ends quietly.
head -c 1000000 /dev/zero | tr '\0' 'a' >"$WORK/big"
"$HOOKTOOL" schemes 2>"$WORK/err" | head -c 1 >/dev/null
RC=${PIPESTATUS[0]}; ERR=$(cat "$WORK/err"); OUT=
CHECKS=$((CHECKS + 1))
[ -z "$ERR" ] || fail "closed pipe prints nothing"

# Help, version and help COMMAND exit 0.
run --version
expect_rc 0 "--version"
expect_out_has "hooktool 0." "--version"
run --help
expect_rc 0 "--help"
for cmd in sign verify schemes completions help; do
  expect_out_has "hooktool $cmd" "--help has an example for $cmd"
done
run help verify
expect_rc 0 "help verify"
expect_out_has "--tolerance" "help verify lists flags"
run sign --help
expect_rc 0 "sign --help"
expect_out_has "--value-only" "sign --help lists flags"
finish
