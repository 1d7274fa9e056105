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
expect_err_has "unknown flag --frobnicate (sign; see 'hooktool help sign')" "unknown flag: the flag and the help"

# Parse errors: one line that blames the argument at fault, suggests the nearest flag and points
# to the command's help.
parse_error() { # DESCRIPTION EXPECTED_STDERR ARGS...
  local what=$1 want=$2
  shift 2
  run "$@"
  expect_input_error "$what"
  CHECKS=$((CHECKS + 1))
  [ "$ERR" = "$want" ] || fail "$what: expected stderr <$want>"
}
parse_error "misspelt flag" \
  "hooktool: unknown flag --vendr, did you mean '--vendor'? (verify; see 'hooktool help verify')" \
  verify --vendr github "$WORK/body.json"
parse_error "a renamed flag" \
  "hooktool: unknown flag --header, did you mean '--signature-header'? (sign; see 'hooktool help sign')" \
  sign --scheme hmac --header X-Sig --key k "$WORK/body.json"
parse_error "misspelt global flag" \
  "hooktool: unknown flag --colr, did you mean '--color'? (see 'hooktool --help')" \
  --colr never sign
parse_error "a one-value flag twice" \
  "hooktool: --key is given twice; it takes one value: --key SECRET (sign; see 'hooktool help sign')" \
  sign --scheme github --key a --key b "$WORK/body.json"
parse_error "a one-value flag twice, once with =" \
  "hooktool: --count is given twice; it takes one value: --count N (send; see 'hooktool help send')" \
  send --vendor github --count=1 --count 2 http://127.0.0.1:1/
parse_error "a flag without its value" \
  "hooktool: --tolerance needs a value: --tolerance DURATION (verify; see 'hooktool help verify')" \
  verify --scheme github --key k --tolerance
parse_error "not a number" \
  "hooktool: --count takes a whole number, not 'many' (listen; see 'hooktool help listen')" \
  listen --count many
parse_error "not a seed" \
  "hooktool: --seed takes a whole number, 0 or more, not 'abc' (sample; see 'hooktool help sample')" \
  sample --vendor github --seed abc
parse_error "a negative seed" \
  "hooktool: --seed takes a whole number, 0 or more, not '-1' (send; see 'hooktool help send')" \
  send --vendor github --seed -1 http://127.0.0.1:1/
parse_error "out of range" \
  "hooktool: --status takes a number from 100 to 599, not '999' (listen; see 'hooktool help listen')" \
  listen --status 999
parse_error "not a choice" \
  "hooktool: --color takes auto, always or never, not 'pink' (sign; see 'hooktool help sign')" \
  --color pink sign
parse_error "a value for a flag" \
  "hooktool: --json is a flag and takes no value, not 'maybe' (verify; see 'hooktool help verify')" \
  verify --json=maybe
parse_error "missing positional" \
  "hooktool: missing URL: replay takes FILE[:N] URL (replay; see 'hooktool help replay')" \
  replay "$WORK/body.json"
parse_error "missing required flag" \
  "hooktool: --vendor NAME is required (send; see 'hooktool help send')" \
  send http://127.0.0.1:1/
parse_error "one positional too many" \
  "hooktool: unexpected argument 'extra': sign takes [PAYLOAD] (sign; see 'hooktool help sign')" \
  sign --scheme github --key k "$WORK/body.json" extra
parse_error "an argument for a command that takes none" \
  "hooktool: unexpected argument 'all': schemes takes no argument (schemes; see 'hooktool help schemes')" \
  schemes all
parse_error "help with two names" \
  "hooktool: help takes one command name, not 2 (help; see 'hooktool --help')" \
  help sign verify
# A value that starts with - is the flag's value, not a flag.
run sign --scheme hmac --key k --prefix -x "$WORK/body.json"
expect_rc 0 "a value starting with -"
expect_out_has "X-Signature: -x" "a value starting with -"
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
run help sign
expect_rc 0 "help sign"
expect_out_has "Usage: hooktool sign [OPTIONS]" "help sign names the program"
run sign --help
expect_rc 0 "sign --help"
expect_out_has "Usage: hooktool sign [OPTIONS]" "sign --help names the program"
expect_out_has "--value-only" "sign --help lists flags"
finish
