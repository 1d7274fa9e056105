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
# The intervals after 8 min are hooktool's reading of eSputnik's "and up to 1 request per hour".
run send --vendor esputnik --retry 5 --retry-scale 60000 "$BASE/status/500"
expect_rc 1 "eSputnik: six failed attempts"
expect_out_has "attempt 5 of 6 after 8 min (scaled to 8 ms)" "8 min is documented"
CHECKS=$((CHECKS + 1))
grep -q "after 8 min (scaled to 8 ms) (hooktool" <<<"$OUT" && fail "8 min is not marked as hooktool's reading"
expect_out_has "attempt 6 of 6 after 16 min (scaled to 16 ms) (hooktool's reading: eSputnik (Yespo)'s document gives the first 4 intervals only)" "16 min is hooktool's reading"
run vendors
expect_out_has "success   HTTP 200, in order (later deliveries wait while one is retried)" "vendors: eSputnik's success rule and order"
expect_out_has "retries after 1m 2m 4m 8m (hooktool's reading: 16m 32m 1h)" "vendors: which intervals are documented"

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

# --- A vendor's own rules, from a vendor file: its headers, what counts as delivered, retry headers.
cat >"$WORK/strict.json" <<'JSON'
{"name": "strict", "title": "Strict", "scheme": null,
 "formats": {"json": "application/json", "form": "application/x-www-form-urlencoded"},
 "headers": {"User-Agent": "Strict-Hooks/2", "X-Strict-Id": "{{uuid}}"},
 "delivery": {"timeout": "3s", "retry": ["1m", "2m"], "success": [200], "ordered": true,
   "retry_headers": {"X-Strict-Retry-Num": "{{retry}}", "X-Strict-Retry-Reason": "{{retry_reason}}"}},
 "events": [{"name": "ping", "headers": {"X-Strict-Event": "ping"}, "body": [{"id": "{{uuid}}"}]}]}
JSON
sed 's/"ordered": true/"ordered": false/; s/"strict"/"loose"/; s/"Strict"/"Loose"/' "$WORK/strict.json" >"$WORK/loose.json"
VF=(--vendor-file "$WORK/strict.json" --vendor-file "$WORK/loose.json")
ids_since() { # N: the X-Strict-Id of each request after the Nth, in arrival order, as 1 2 3 by first sight
  python3 - "$LOG" "$1" <<'PY'
import json, sys
seen, out = {}, []
for line in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]:
    h = {k.lower(): v for k, v in json.loads(line)["headers"]}
    out.append(str(seen.setdefault(h.get("x-strict-id"), len(seen) + 1)))
print(" ".join(out))
PY
}

n=$(received)
run send "${VF[@]}" --vendor strict "$BASE/status/201"
expect_rc 1 "201 is not delivered when the vendor counts only 200"
expect_out_has "✗ 201 Created" "201 verdict"
expect_out_has "Strict counts only HTTP 200 as delivered" "the rule is said"
CHECKS=$((CHECKS + 1))
[ "$(field $((n + 1)) header:User-Agent)" = "Strict-Hooks/2" ] && [ "$(field $((n + 1)) header:X-Strict-Event)" = ping ] &&
  grep -qE '^[0-9a-f-]{36}$' <<<"$(field $((n + 1)) header:X-Strict-Id)" || fail "the vendor's and the event's headers arrive"
run send "${VF[@]}" --vendor loose --json "$BASE/status/204"
expect_rc 1 "204 is not delivered either"
python3 -c 'import json,sys; d=json.load(sys.stdin); a=d["attempts"][0]; assert not d["ok"] and a["exit_code"]==1 and a["response"]["status"]==204' <<<"$OUT" ||
  fail "--json: 204 is a failed attempt"
run send --vendor joturl "$BASE/status/204"
expect_rc 0 "any 2xx for a vendor without a success list"
n=$(received)
run send "${VF[@]}" --vendor strict --retry 1 --retry-scale 6000 -H 'X-Strict-Event: mine' "$BASE/status/202"
expect_rc 1 "202 retried, still not delivered"
expect_out_has "attempt 2 of 2" "a 202 is retried"
CHECKS=$((CHECKS + 1))
[ $(($(received) - n)) = 2 ] || fail "two attempts for a 202"
CHECKS=$((CHECKS + 1))
[ "$(field $((n + 1)) header:X-Strict-Event)" = mine ] && [ -z "$(field $((n + 1)) header:X-Strict-Retry-Num)" ] ||
  fail "-H replaces a vendor header; no retry headers on the first attempt"
CHECKS=$((CHECKS + 1))
[ "$(field $((n + 2)) header:X-Strict-Retry-Num)" = 1 ] && [ "$(field $((n + 2)) header:X-Strict-Retry-Reason)" = http_error ] &&
  [ "$(field $((n + 2)) header:X-Strict-Id)" = "$(field $((n + 1)) header:X-Strict-Id)" ] ||
  fail "the retry carries retry headers ({{retry}} 1, {{retry_reason}} http_error) and the same id"
n=$(received)
run send "${VF[@]}" --vendor strict --timeout 300ms --retry 1 --retry-scale 6000 "$BASE/slow/1000"
expect_rc 1 "timeouts retried"
sleep 1
CHECKS=$((CHECKS + 1))
[ "$(field $((n + 2)) header:X-Strict-Retry-Reason)" = http_timeout ] || fail "{{retry_reason}} http_timeout"
expect_out_has "set by --timeout; Strict waits 3 s" "the timeout says what the vendor waits and what --timeout set"

# Ordered delivery: while #1 is retried, #2 and #3 wait; they go out after it, in their order.
n=$(received)
run send "${VF[@]}" --vendor strict --count 3 --retry 2 --retry-scale 600 "$BASE/fail-first/2/ordered"
expect_rc 0 "ordered: all delivered"
expect_out_has "holding 2 later deliveries until #1 is delivered (Strict delivers in order)" "holding shown"
expect_out_has "delivery 1 of 3, attempt 3 of 3 after 2 min (scaled to 200 ms)" "attempt line"
expect_out_has "delivered 3 of 3" "summary"
CHECKS=$((CHECKS + 1))
[ "$(ids_since "$n")" = "1 1 1 2 3" ] || fail "ordered arrival: #1 three times, then #2 and #3; got $(ids_since "$n")"
n=$(received)
run send "${VF[@]}" --vendor strict --count 3 --retry 1 --retry-scale 6000 "$BASE/status/500"
expect_rc 1 "ordered: #1 never delivered"
expect_out_has "#1 was not delivered after 2 attempts: the 2 later deliveries are not sent" "the rest are held for ever"
expect_out_has "delivered 0 of 3: #1 not delivered, #2 not sent, #3 not sent" "summary of what was not sent"
CHECKS=$((CHECKS + 1))
[ $(($(received) - n)) = 2 ] || fail "only #1's two attempts were sent"
# Unordered: each delivery is retried on its own, the others do not wait.
n=$(received)
run send "${VF[@]}" --vendor loose --count 3 --retry 1 --retry-scale 600 --json "$BASE/fail-first/2/unordered"
expect_rc 0 "unordered: all delivered in the end"
CHECKS=$((CHECKS + 1))
[ "$(ids_since "$n")" = "1 2 3 1 2" ] || fail "unordered arrival: #1 #2 #3, then the retries of #1 and #2; got $(ids_since "$n")"
python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["ok"] and [x["delivered"] for x in d["deliveries"]] == [True] * 3
assert [(a["delivery"], a["attempt"]) for a in d["attempts"]] == [(1, 1), (2, 1), (3, 1), (1, 2), (2, 2)]' <<<"$OUT" ||
  fail "--json lists deliveries and attempts in the order sent"
bad "--retry with --concurrency" send --vendor joturl --count 3 --concurrency 2 --retry 1 "$BASE/x"
expect_err_has "one hook at a time" "says why"

# --data: the body's format picks the content type; a mismatch is refused with a hint.
printf 'response[score]=9&event_name=created\n' >"$WORK/form.txt"
printf '{"a": 1}' >"$WORK/data.json"
n=$(received)
run send --vendor wootric --data "$WORK/form.txt" "$BASE/data-form"
expect_rc 0 "form --data to a vendor that sends forms"
CHECKS=$((CHECKS + 1))
[ "$(field $((n + 1)) header:Content-Type)" = "application/x-www-form-urlencoded" ] || fail "a form body is sent as a form"
run send "${VF[@]}" --vendor strict --data "$WORK/data.json" "$BASE/data-json"
expect_rc 0 "JSON --data"
CHECKS=$((CHECKS + 1))
[ "$(field $((n + 2)) header:Content-Type)" = "application/json" ] && [ "$(field $((n + 2)) header:User-Agent)" = "Strict-Hooks/2" ] &&
  [ "$(field $((n + 2)) body)" = '{"a": 1}' ] || fail "--data keeps the vendor's headers, the body is the user's"
bad "form --data, --format json" send --vendor wootric --format json --data "$WORK/form.txt" "$BASE/x"
expect_err_has "the --data body is a URL-encoded form, not JSON as --format json says: use --format form" "hint"
bad "form --data to a JSON-only vendor" send --vendor esputnik --data "$WORK/form.txt" "$BASE/x"
expect_err_has "sends only json" "names what the vendor sends"
run send --vendor esputnik --data "$WORK/form.txt" -H 'Content-Type: text/plain' "$BASE/data-forced"
expect_rc 0 "-H Content-Type sends it anyway"
CHECKS=$((CHECKS + 1))
[ "$(field $((n + 3)) header:Content-Type)" = "text/plain" ] || fail "the -H content type is sent"
CHECKS=$((CHECKS + 1))
[ "$(received)" = $((n + 3)) ] || fail "nothing sent for the refused --data"
printf 'c2VuZCBtZQ==' >"$WORK/b64.txt"
run send --vendor esputnik --data "$WORK/b64.txt" "$BASE/data-b64"
expect_rc 0 "a body that is neither JSON nor a form is sent with the vendor's type"
CHECKS=$((CHECKS + 1))
[ "$(field $((n + 4)) header:Content-Type)" = "application/json" ] || fail "base64 text is not taken for a form"

# --show-body: a form as the bytes sent, then as a tree.
run send --vendor wootric --format form --seed 3 --show-body "$BASE/show"
expect_rc 0 "--show-body form"
expect_out_has "&response[end_user_properties][pricing_plan]=" "the form bytes"
expect_out_has "read as a form (Rack):" "then the tree"

# --verbose: the vendor's rules and the connection on stderr; with --json the heads too.
run --verbose send "${VF[@]}" --vendor strict --retry 1 "$BASE/verbose"
expect_rc 0 "--verbose"
expect_err_has "* Strict: POST, counts HTTP 200 as delivered, waits 3 s, retries after 1 min, 2 min (the last repeats); in order" "rules"
expect_err_has "* Connected to 127.0.0.1" "the connection"
run -v send --vendor joturl --json "$BASE/verbose"
expect_err_has "> POST /verbose HTTP/1.1" "the head as sent, with --json"
expect_err_has "< HTTP/1.1 200 OK" "the answer's head"
run -v send --vendor joturl --count 3 "$BASE/verbose"
expect_err_has "* the first request:" "a burst shows its first request"
expect_err_has "> POST /verbose HTTP/1.1" "as sent"

# A burst at a dead port: nothing completed, no rate, no latencies.
run send --vendor joturl --count 50 --concurrency 5 http://127.0.0.1:1/x
expect_rc 3 "burst at a closed port"
expect_out_has "0 of 50 requests to http://127.0.0.1:1/x completed" "nothing completed"
expect_out_has "latency  none: no request completed" "no latency"
run send --vendor joturl --count 20 --json http://127.0.0.1:1/x
python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["completed"] == 0 and d["failed"] == 20 and d["requests_per_second"] == 0
assert all(v is None for v in d["latency_ms"].values())' <<<"$OUT" || fail "--json: 0 completed, null latencies"
run send --vendor joturl --count 10 --concurrency 2 "$BASE/status/404"
expect_out_has "10 requests to $BASE/status/404" "answers of any status are completed requests"

# Answers that are not HTTP, and an answer whose body stalls (raw TCP servers).
raw_server() { # BYTES HOLD_S: answers any request with BYTES, holds the connection HOLD_S seconds
  rm -f "$WORK/raw.port"
  python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
c, _ = s.accept(); c.settimeout(5)
try: c.recv(65536)
except OSError: pass
c.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1")); time.sleep(float(sys.argv[3])); c.close()
' "$WORK/raw.port" "$1" "$2" &
  RAW=$!
  for _ in $(seq 100); do [ -s "$WORK/raw.port" ] && break; sleep 0.05; done
  RAWURL="http://127.0.0.1:$(cat "$WORK/raw.port")"
}
raw_server 'SSH-2.0-OpenSSH_9.2\r\n' 1
run send --vendor joturl "$RAWURL/x"
wait $RAW
expect_rc 3 "not HTTP"
expect_out_has "answered with bytes that are not HTTP: \"SSH-2.0-OpenSSH_9.2\\x0d\\x0a\"" "says so, with the bytes"
raw_server '\x15\x03\x03\x00\x02\x02\x46' 1
run send --vendor joturl "$RAWURL/x"
wait $RAW
expect_rc 3 "a TLS alert"
expect_out_has "(a TLS record: the port speaks HTTPS, use https://" "hint for a TLS port"
raw_server 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf' 3
run send --vendor joturl --timeout 1s "$RAWURL/x"
wait $RAW
expect_rc 1 "a stalled body is a timeout"
expect_out_has "✗ timeout: answer started (200), body unfinished after 1 s (set by --timeout; JotUrl waits 5 s)" "stall verdict"
expect_out_has "< HTTP/1.1 200 OK" "the head that came is shown"

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
