#!/usr/bin/env bash
# The command line's own surface: which recorded request verify --request picks, listen's key and
# scheme rules, and long text bodies cut on a terminal (--full keeps them whole).
source "$(dirname "$0")/lib.sh"
for tool in curl python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (scripts/deps test installs it)"; exit 77; }
done
export TZ=UTC

# post NAME CURL-ARGS... PATH: one request to listener NAME; sets CODE.
post() {
  local name=$1
  shift
  local path=${*: -1}
  CODE=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "${@:1:$#-1}" \
    "http://127.0.0.1:${PORTS[$name]}$path")
}

GH_KEY="It's a Secret to Everybody"
printf 'Hello, World!' >"$WORK/hello.txt"
GH_SIG=sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17

# --- verify --request FILE[:N]: the last request by default, N from 1, -N from the end.
listen rec --record "$WORK/rec.jsonl" --count 3
post rec -H "X-Hub-Signature-256: $GH_SIG" --data-binary @"$WORK/hello.txt" /one
post rec -H "X-Hub-Signature-256: sha256=00" --data-binary @"$WORK/hello.txt" /two
post rec --data-binary @"$WORK/hello.txt" /three
finished rec
expect_rc 0 "rec: three requests recorded"
for ref in rec.jsonl rec.jsonl:-1 rec.jsonl:3; do
  run verify --scheme github --key "$GH_KEY" --request "$WORK/$ref"
  expect_rc 1 "verify --request $ref"
  expect_out "invalid: no X-Hub-Signature-256 header in the request" "verify --request $ref: the last"
done
for ref in rec.jsonl:1 rec.jsonl:-3; do
  run verify --scheme github --key "$GH_KEY" --request "$WORK/$ref"
  expect_rc 0 "verify --request $ref"
  expect_out "valid" "verify --request $ref: the first"
done
run verify --scheme github --key "$GH_KEY" --request "$WORK/rec.jsonl:-2"
expect_rc 1 "verify --request :-2"
expect_out_has "invalid: signature does not match" "verify --request :-2: the second"
run verify --scheme github --key "$GH_KEY" --request "$WORK/rec.jsonl:-4"
expect_input_error "verify --request :-4"
expect_err_has "holds 3 request(s), not -4 (--request)" "verify --request :-4"
run verify --scheme github --key "$GH_KEY" --request "$WORK/rec.jsonl:0"
expect_input_error "verify --request :0"
expect_err_has "requests are numbered from 1, or from -1 for the last (--request" "verify --request :0"

# --- listen: a key without a scheme is an error; a vendor without a key names events, checks nothing.
run listen 127.0.0.1:0 --key "$GH_KEY"
expect_input_error "listen --key without a scheme"
expect_err_has "a key without a scheme checks nothing: add --vendor NAME or --scheme NAME" \
  "listen --key without a scheme: names the fix"
expect_not_in_output "$GH_KEY" "listen --key without a scheme"
listen nokey --vendor github --count 2
post nokey -H "X-GitHub-Event: push" -H "X-Hub-Signature-256: $GH_SIG" --data-binary @"$WORK/hello.txt" /hook
expect_code 200 "nokey: answered"
post nokey -H "X-GitHub-Event: ping" -H 'Content-Type: application/json' -d '{"zen":"x"}' /hook
finished nokey
expect_rc 0 "listen --vendor github without a key runs"
expect_err_has "hooktool: note: no key given: events are named, signatures not checked" "nokey: says so at start"
expect_out_has "verdict: not checked: no key (github)
event: push" "nokey: verdict line and event"
expect_out_has "event: ping" "nokey: second event"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '^verdict: not checked: no key (github)$' <<<"$OUT")" = 2 ] || fail "nokey: every hook says not checked"
listen nokeyjson --vendor github --count 1 --json
post nokeyjson -H "X-GitHub-Event: push" --data-binary @"$WORK/hello.txt" /hook
finished nokeyjson
CHECKS=$((CHECKS + 1))
python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert d["verdict"]=={"checked":False,"scheme":"github","reason":"no key"} and d["event"]=="push", d' <<<"$OUT" ||
  fail "nokey --json: verdict not checked"
listen nokeycompact --vendor github --count 1 --compact
post nokeycompact -H "X-GitHub-Event: push" --data-binary @"$WORK/hello.txt" /hook
finished nokeycompact
expect_out_has "-> 200 not checked push" "nokey --compact"

finish
