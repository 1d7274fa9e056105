#!/usr/bin/env bash
# hooktool send against a real HTTP server on loopback (tests/cli/receiver.py): the bytes that
# arrive, their signature (recomputed with openssl), auth, retries, timeouts, bursts, exit codes.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed for the test receiver"; exit 77; }

LOG="$WORK/received.jsonl"
: >"$LOG"
python3 "$SRC/tests/cli/receiver.py" "$WORK/port" "$LOG" &
RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
BASE="http://127.0.0.1:$(cat "$WORK/port")"
export HOOKTOOL_NOW=1795600000
received() { wc -l <"$LOG" | tr -d ' '; }
field() { # N FIELD: a field of the Nth received request (1-based); body comes out decoded
  python3 - "$LOG" "$1" "$2" <<'PY'
import base64, json, sys
rec = json.loads(open(sys.argv[1]).read().splitlines()[int(sys.argv[2]) - 1])
f = sys.argv[3]
if f == "body":
    sys.stdout.buffer.write(base64.b64decode(rec["body"]))
elif f.startswith("header:"):
    name = f[7:].lower()
    print("\n".join(v for k, v in rec["headers"] if k.lower() == name))
else:
    print(rec[f])
PY
}

# A signed Wisepops delivery: the body is the sample, the signature checks out with openssl.
run send --vendor wisepops --event email --seed 7 --key wp_key "$BASE/hook"
expect_rc 0 "wisepops 200"
expect_out_has "✓ 200 OK" "verdict line"
expect_out_has "X-Wisepops-Signature:" "request headers shown"
expect_out_has '"received"' "response body shown"
expect_out_has "first byte" "timings shown"
field 1 body >"$WORK/body1"
"$HOOKTOOL" sample --vendor wisepops --event email --seed 7 >"$WORK/sample1"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/body1" "$WORK/sample1" || fail "the body sent equals 'sample --seed 7'"
want=$(openssl dgst -sha256 -hmac wp_key <"$WORK/body1" | awk '{print $NF}')
CHECKS=$((CHECKS + 1))
[ "$(field 1 header:X-Wisepops-Signature)" = "$want" ] || fail "signature recomputed with openssl"
CHECKS=$((CHECKS + 1))
[ "$(field 1 header:Content-Type)" = "application/json" ] || fail "content type"
CHECKS=$((CHECKS + 1))
grep -q '^hooktool/' <<<"$(field 1 header:User-Agent)" || fail "user agent"
expect_not_in_output "wp_key" "the key"

# Wootric as a form: bracket nesting, sha1= signature over the form bytes.
run send --vendor wootric --format form --key wt_secret "$BASE/wootric"
expect_rc 0 "wootric form"
field 2 body >"$WORK/body2"
CHECKS=$((CHECKS + 1))
grep -q 'response%5Bend_user%5D\|response\[end_user' "$WORK/body2" || fail "bracket-nested form body: $(head -c 200 "$WORK/body2")"
CHECKS=$((CHECKS + 1))
[ "$(field 2 header:Content-Type)" = "application/x-www-form-urlencoded" ] || fail "form content type"
want=$(openssl dgst -sha1 -hmac wt_secret <"$WORK/body2" | awk '{print $NF}')
CHECKS=$((CHECKS + 1))
[ "$(field 2 header:X-Wootric-Signature)" = "sha1=$want" ] || fail "wootric signature (openssl)"

# Stripe: t= is now, and the signed string is t.body.
run send --vendor stripe --key whsec_test "$BASE/stripe"
expect_rc 0 "stripe"
field 3 body >"$WORK/body3"
sig=$(field 3 header:Stripe-Signature)
want=$({ printf '%s.' "$HOOKTOOL_NOW"; cat "$WORK/body3"; } | openssl dgst -sha256 -hmac whsec_test | awk '{print $NF}')
CHECKS=$((CHECKS + 1))
[ "$sig" = "t=$HOOKTOOL_NOW,v1=$want" ] || fail "stripe header $sig"

# No key for a signing vendor: sent unsigned, said once.
run send --vendor github "$BASE/gh"
expect_rc 0 "unsigned github"
expect_err_has "sent unsigned" "unsigned note"
CHECKS=$((CHECKS + 1))
[ -z "$(field 4 header:X-Hub-Signature-256)" ] || fail "no signature header when unsigned"

# Auth connectors and extra headers; secrets are redacted in what is shown.
run send --vendor esputnik --auth basic:user:s3cretpass --header 'X-Trace: abc' "$BASE/auth1"
expect_rc 0 "basic auth"
CHECKS=$((CHECKS + 1))
[ "$(field 5 header:Authorization)" = "Basic $(printf user:s3cretpass | base64)" ] || fail "basic auth header"
CHECKS=$((CHECKS + 1))
[ "$(field 5 header:X-Trace)" = "abc" ] || fail "extra header"
expect_not_in_output "s3cretpass" "basic password"
expect_not_in_output "$(printf user:s3cretpass | base64)" "encoded basic credentials"
run send --vendor esputnik --auth bearer:tok123 --auth header:X-Api-Key:k3y "$BASE/auth2" --json
expect_rc 0 "bearer + header auth"
CHECKS=$((CHECKS + 1))
[ "$(field 6 header:Authorization)" = "Bearer tok123" ] && [ "$(field 6 header:X-Api-Key)" = "k3y" ] || fail "bearer/header auth"
expect_not_in_output "tok123" "bearer token in --json"
expect_not_in_output "k3y" "auth header value in --json"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["ok"] and d["attempts"][0]["response"]["status"]==200' <<<"$OUT" ||
  fail "--json is one object with request and response"

# GET, as eSputnik checks a URL when the hook is saved.
run send --vendor esputnik --method GET "$BASE/check"
expect_rc 0 "GET"
CHECKS=$((CHECKS + 1))
[ "$(field 7 method)" = GET ] && [ -z "$(field 7 body)" ] || fail "GET without a body"

# Exit codes: 4xx and 5xx are 1, a redirect is 1 and says where, refused is 3.
n=$(received)
run send --vendor joturl "$BASE/status/404"
expect_rc 1 "404"
run send --vendor joturl "$BASE/status/503"
expect_rc 1 "503"
expect_out_has "counts this delivery as failed" "503 verdict"
run send --vendor joturl "$BASE/redirect"
expect_rc 1 "302"
expect_out_has "redirects to" "redirect explained"
run send --vendor joturl http://127.0.0.1:1/hook
expect_rc 3 "connection refused"
expect_out_has "could not connect" "refused in plain words"

# Timeout against a slow endpoint, and a slow answer against the vendor's limit.
run send --vendor joturl --timeout 300ms "$BASE/slow/1500"
expect_rc 1 "timeout"
expect_out_has "timeout" "timeout verdict"
run send --vendor joturl --timeout 1s "$BASE/slow/700"
expect_rc 0 "slow but in time"
expect_out_has "slow" "slow answer noted"

# Retries follow the vendor's schedule (eSputnik 1, 2, 4 min), scaled: minutes to 1/600.
start=$(received)
run send --vendor esputnik --retry 3 --retry-scale 600 "$BASE/fail-first/2"
expect_rc 0 "retry until 200"
expect_out_has "attempt 3 of 4" "attempts shown"
CHECKS=$((CHECKS + 1))
[ $(($(received) - start)) = 3 ] || fail "3 attempts reached the server, got $(($(received) - start))"
gaps=$(python3 - "$LOG" "$start" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]]
t = [r["time"] for r in recs]
print(" ".join("%d" % ((b - a) * 1000) for a, b in zip(t, t[1:])))
PY
)
read -r g1 g2 <<<"$gaps"
CHECKS=$((CHECKS + 1))
[ "${g1:-0}" -ge 90 ] && [ "${g1:-0}" -lt 1000 ] && [ "${g2:-0}" -ge 190 ] && [ "${g2:-0}" -lt 1500 ] ||
  fail "retry spacing 100 ms then 200 ms, got: $gaps"
run send --vendor esputnik --retry 1 --retry-scale 6000 "$BASE/status/500"
expect_rc 1 "retries exhausted"

# Burst: N sent = N received, with a summary.
start=$(received)
run send --vendor wisepops --key k --count 60 --concurrency 6 "$BASE/burst"
expect_rc 0 "burst"
expect_out_has "60 requests" "burst summary"
expect_out_has "p99" "burst latency"
CHECKS=$((CHECKS + 1))
[ $(($(received) - start)) = 60 ] || fail "60 received, got $(($(received) - start))"
run send --vendor wisepops --count 10 --concurrency 3 --json "$BASE/status/500"
expect_rc 1 "burst with 500s"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["statuses"]["500"]==10' <<<"$OUT" || fail "burst --json statuses"

# Your own vendor from a file.
cat >"$WORK/acme.json" <<'JSON'
{"name": "acme", "title": "Acme", "scheme": "github", "events": [{"name": "ping", "body": {"id": "{{uuid}}", "n": "{{int:1:9}}"}}]}
JSON
run send --vendor-file "$WORK/acme.json" --vendor acme --key acme_key "$BASE/acme"
expect_rc 0 "vendor file"
last=$(received)
field "$last" body >"$WORK/acme_body"
want=$(openssl dgst -sha256 -hmac acme_key <"$WORK/acme_body" | awk '{print $NF}')
CHECKS=$((CHECKS + 1))
[ "$(field "$last" header:X-Hub-Signature-256)" = "sha256=$want" ] || fail "vendor-file signature"

# Bad input: one line, exit 2, nothing sent.
n=$(received)
bad "unknown vendor" send --vendor acm "$BASE/x"
expect_err_has "wisepops" "lists the vendors"
bad "unknown event" send --vendor wisepops --event sms "$BASE/x"
expect_err_has "email, phone, survey" "lists the events"
bad "bad --set path" send --vendor wisepops --set nope.deep=1 "$BASE/x"
bad "invalid URL" send --vendor wisepops "htp:/nowhere"
bad "unreadable --data" send --vendor wisepops --data "$WORK/missing.json" "$BASE/x"
printf '{"name": "broken",\n  "events": [}' >"$WORK/broken.json"
bad "malformed vendor file" send --vendor-file "$WORK/broken.json" --vendor broken "$BASE/x"
expect_err_has "broken.json" "names the file"
expect_err_has "line 2" "names the position"
bad "bad auth" send --vendor wisepops --auth basic:nopass "$BASE/x"
bad "batch for a non-batching vendor" send --vendor stripe --batch 3 "$BASE/x"
CHECKS=$((CHECKS + 1))
[ "$(received)" = "$n" ] || fail "nothing is sent on bad input"

# sample and vendors.
run sample --vendor wisepops --batch 3
expect_rc 0 "sample batch"
python3 -c 'import json,sys; assert len(json.load(sys.stdin))==3' <<<"$OUT" || fail "3 records in a batch"
run vendors --json
expect_rc 0 "vendors --json"
for v in wisepops wisepops-v1 esputnik joturl wootric github stripe slack shopify standard; do
  expect_out_has "\"name\": \"$v\"" "vendor $v listed"
done
finish
