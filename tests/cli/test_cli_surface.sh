#!/usr/bin/env bash
# The command line's own surface: which recorded request verify --request picks, listen's key and
# scheme rules, and long text bodies cut on a terminal (--full keeps them whole).
source "$(dirname "$0")/lib.sh"
for tool in curl python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (scripts/deps test installs it)"; exit 77; }
done
export TZ=UTC

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

# --- --seed fixes the ids and values, the same in sample and send; times come from HOOKTOOL_NOW.
listen seed --record "$WORK/seed.jsonl" --count 2
for now in 1764076800 1764080400; do
  HOOKTOOL_NOW=$now "$HOOKTOOL" send --vendor standard --seed 7 --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw \
    "http://127.0.0.1:${PORTS[seed]}/" >/dev/null 2>&1
done
finished seed
HOOKTOOL_NOW=1764076800 run sample --vendor standard --seed 7
py_out=$(python3 - "$WORK/seed.jsonl" "$OUT" <<'PY'
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
h = [{k: v for k, v in x["headers"] if k.startswith("webhook-")} for x in r]
ok = r[0]["body"] == sys.argv[2]                       # send and sample agree
ok = ok and h[0]["webhook-id"] == h[1]["webhook-id"]     # the id is fixed by the seed
ok = ok and h[0]["webhook-timestamp"] == "1764076800" and h[1]["webhook-timestamp"] == "1764080400"
ok = ok and r[0]["body"] != r[1]["body"] and "2025-11-25T13:20:00" in r[0]["body"]  # times move
print("ok" if ok else json.dumps([h, r[0]["body"], r[1]["body"], sys.argv[2]]))
PY
)
CHECKS=$((CHECKS + 1))
[ "$py_out" = ok ] || fail "--seed: sample and send agree on ids and values, times from HOOKTOOL_NOW: $py_out"

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

# --- Long text bodies: on a terminal they stop after a screenful (24 lines, or 1920 bytes of
# longer lines), with "… N bytes more (--full)"; --full, a pipe, --json and records keep them whole.
# The terminal is a real pty from script(1): no hidden switch.
if ! command -v script >/dev/null; then
  echo "SKIP: the terminal cases need script(1) (util-linux)"
  finish
fi
python3 -c 'print("".join("<p>line %d of the error page</p>\n" % i for i in range(1, 201)), end="")' >"$WORK/page.html"
page_more=$(($(wc -c <"$WORK/page.html") - $(head -24 "$WORK/page.html" | wc -c)))
# on_tty OUTFILE ARGS...: hooktool ARGS with stdout on a pseudo-terminal; its output, CRs dropped.
on_tty() {
  local out=$1 cmd
  shift
  printf -v cmd '%q ' "$HOOKTOOL" --color never "$@"
  script -qec "$cmd" /dev/null </dev/null | tr -d '\r' >"$out"
}
listen page --response-body @"$WORK/page.html" --response-header 'Content-Type: text/html' --count 5
url="http://127.0.0.1:${PORTS[page]}/hook"
on_tty "$WORK/send.tty" send --vendor github "$url"
OUT=$(cat "$WORK/send.tty") RC=0 ERR=
expect_out_has "<p>line 24 of the error page</p>
… $page_more bytes more (--full)" "send on a terminal: the answer cut after 24 lines"
CHECKS=$((CHECKS + 1))
grep -q 'line 25 of' <<<"$OUT" && fail "send on a terminal: nothing after the cut"
expect_out_has "✓ 200 OK" "send on a terminal: the verdict still follows"
on_tty "$WORK/full.tty" send --vendor github --full "$url"
OUT=$(cat "$WORK/full.tty")
expect_out_has "<p>line 200 of the error page</p>" "send --full on a terminal: whole"
CHECKS=$((CHECKS + 1))
grep -q 'bytes more' <<<"$OUT" && fail "send --full on a terminal: no cut"
run send --vendor github "$url"
expect_rc 0 "send into a pipe"
expect_out_has "<p>line 200 of the error page</p>" "send into a pipe: whole"
on_tty "$WORK/json.tty" send --vendor github --json "$url"
CHECKS=$((CHECKS + 1))
grep -q 'line 200 of the error page' "$WORK/json.tty" || fail "send --json on a terminal: whole"
on_tty "$WORK/replay.tty" replay "$WORK/rec.jsonl:1" "$url"
OUT=$(cat "$WORK/replay.tty")
expect_out_has "… $page_more bytes more (--full)" "replay on a terminal: the answer cut"
finished page
expect_rc 0 "page: five requests"

# listen on a terminal: the request's text body is cut; --full shows it whole.
for mode in cut full; do
  rm -f "$WORK/tty.port"
  flags=(listen 127.0.0.1:0 --port-file "$WORK/tty.port" --count 1)
  [ $mode = full ] && flags+=(--full)
  on_tty "$WORK/listen-$mode.tty" "${flags[@]}" &
  pid=$!
  for ((i = 0; i < 100; i++)); do [ -s "$WORK/tty.port" ] && break; sleep 0.1; done
  curl -s --max-time 10 -o /dev/null -H 'Content-Type: text/html' --data-binary @"$WORK/page.html" \
    "http://127.0.0.1:$(cat "$WORK/tty.port")/in"
  wait $pid
  OUT=$(cat "$WORK/listen-$mode.tty") RC=0
  if [ $mode = cut ]; then
    expect_out_has "<p>line 24 of the error page</p>
… $page_more bytes more (--full)" "listen on a terminal: the body cut"
  else
    expect_out_has "<p>line 200 of the error page</p>
answered 200" "listen --full on a terminal: the body whole"
  fi
done

finish
