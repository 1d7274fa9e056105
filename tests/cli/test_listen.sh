#!/usr/bin/env bash
# hooktool listen over loopback: rendering, verdicts, answers, forwarding, recording, limits, the
# summary on SIGTERM; and verify --request on what was recorded. Every wait is bounded.
source "$(dirname "$0")/lib.sh"
for tool in curl python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (scripts/deps test installs it)"; exit 77; }
done
export TZ=UTC

# py CODE ARGS...: a python3 check; its stdout becomes OUT's companion PY.
py() {
  local code=$1
  shift
  PY=$(python3 -c "$code" "$@" 2>&1)
}
expect_py() {
  CHECKS=$((CHECKS + 1))
  [ "$PY" = "$1" ] || fail "${2:-} expected <$1>, python said <$PY>"
}

WT_KEY=09dfb1b73af998743fb011f8bfda8912
printf '{"response":{"id":1128,"email":"nps@example.com","score":7},"event_name":"created","timestamp":"2016-08-04T13:57:31.329-07:00","account_token":"NPS-xxxxxxxx","survey_mode":"NPS"}' >"$WORK/wt.json"
WT_SIG=sha1=4f10daa397edc1dedf97dbc0e262dfe896dd0fd8
FORM='response[end_user_properties][pricing_plan]=Enterprise&response[score]=9&response[tags][]=a&response[tags][]=b&event_name=created'
printf '%s' "$FORM" >"$WORK/form.txt"
form_sig=sha1=$(openssl dgst -sha1 -hmac "$WT_KEY" <"$WORK/form.txt" | awk '{print $NF}')
printf '\x00\x01\x02binary\xff\xfe' >"$WORK/bin"

# --- Rendering and verdicts: JSON, a Wootric bracket form, binary; valid and invalid.
listen render --vendor wootric --key "$WT_KEY" --count 4
post render -H 'Content-Type: application/json' -H "X-Wootric-Signature: $WT_SIG" --data-binary @"$WORK/wt.json" /hook
expect_code 200 "render: json"
post render -H "X-Wootric-Signature: $form_sig" --data-binary @"$WORK/form.txt" /form
post render -H "X-Wootric-Signature: $WT_SIG" -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/bin" /bin
post render /check
expect_code 200 "render: GET check answered"
finished render
expect_rc 0 "render: --count 4 exits 0"
expect_out_has 'POST /hook HTTP/1.1' "render: request line"
expect_out_has 'X-Wootric-Signature: sha1=4f10' "render: headers"
expect_out_has '── 178 bytes, JSON' "render: size and kind"
expect_out_has '    "email": "nps@example.com",' "render: JSON pretty-printed"
expect_out_has 'verdict: valid (wootric)' "render: valid verdict"
expect_out_has 'event: created' "render: event named"
expect_out_has "── ${#FORM} bytes, form" "render: form"
expect_out_has '"end_user_properties": {
      "pricing_plan": "Enterprise"
    },' "render: bracket keys nested"
expect_out_has '"tags": [
      "a",
      "b"
    ]' "render: [] keys make an array"
expect_out_has '00000000  00 01 02 62 69 6e 61 72  79 ff fe' "render: binary as hex dump"
expect_out_has '|...binary..|' "render: hex dump text column"
expect_out_has 'verdict: invalid: signature does not match (wootric)' "render: invalid verdict"
expect_out_has 'GET /check HTTP/1.1' "render: GET shown"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '^verdict:' <<<"$OUT")" = 3 ] || fail "render: a GET without a signature gets no verdict"
expect_err_has "listening on http://127.0.0.1:${PORTS[render]}/" "render: banner"
expect_err_has "4 requests" "render: summary"

# --- --json and --record: one object per request on stdout, one line per request in the file.
listen rec --json --record "$WORK/rec.jsonl" --vendor wootric --key "$WT_KEY" --count 3
post rec -H 'Content-Type: application/json' -H "X-Wootric-Signature: $WT_SIG" --data-binary @"$WORK/wt.json" '/hook?a=1&b=%20'
post rec -H "X-Wootric-Signature: $WT_SIG" --data-binary @"$WORK/form.txt" /form
post rec -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/bin" -X PUT /bin
finished rec
expect_rc 0 "rec: exit"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '' <<<"$OUT")" = 3 ] || fail "rec: expected 3 lines on stdout and nothing else"
py '
import json, sys, base64
out = [json.loads(l) for l in open(sys.argv[1])]
rec = [json.loads(l) for l in open(sys.argv[2])]
sent = [open(sys.argv[3], "rb").read(), open(sys.argv[4], "rb").read(), open(sys.argv[5], "rb").read()]
def body(r): return base64.b64decode(r["body"]) if r["body_base64"] else r["body"].encode()
ok = len(rec) == 3
for r, b in zip(rec, sent): ok = ok and body(r) == b
ok = ok and [r["method"] for r in rec] == ["POST", "POST", "PUT"]
ok = ok and rec[0]["path"] == "/hook" and rec[0]["query"] == "a=1&b=%20" and rec[2]["body_base64"]
ok = ok and all(isinstance(p, list) and len(p) == 2 for r in rec for p in r["headers"])
ok = ok and ["X-Wootric-Signature", "sha1=4f10daa397edc1dedf97dbc0e262dfe896dd0fd8"] in rec[0]["headers"]
ok = ok and rec[0]["received"].endswith("Z") and rec[0]["remote"].startswith("127.0.0.1:")
ok = ok and all(o[k] == r[k] for o, r in zip(out, rec) for k in r)
ok = ok and [o["seq"] for o in out] == [1, 2, 3] and out[0]["status"] == 200
ok = ok and out[0]["verdict"]["valid"] is True and out[1]["verdict"]["valid"] is False
ok = ok and out[0]["event"] == "created"
print("ok" if ok else json.dumps(rec)[:800])
' "$WORK/rec.out" "$WORK/rec.jsonl" "$WORK/wt.json" "$WORK/form.txt" "$WORK/bin"
expect_py ok "rec: record lines equal the requests sent; --json adds seq, status, verdict, event"

# --- Headers in arrival order, names in their own case, values as sent; a gzip body recorded as it
# arrived and shown decoded, its signature (made before compression) still checked.
python3 - "$WORK" <<'EOF'
import gzip, hashlib, hmac, sys
work = sys.argv[1]
body = b'{"action":"opened","number":7}'
sig = hmac.new(b"order-key", body, hashlib.sha256).hexdigest()
open(work + "/gz.body", "wb").write(gzip.compress(body, mtime=0))
open(work + "/gz.sig", "w").write("sha256=" + sig)
EOF
listen order --scheme github --key order-key --record "$WORK/order.jsonl" --count 1
python3 - "${PORTS[order]}" "$WORK" <<'EOF' >"$WORK/order.answer"
import socket, sys
port, work = int(sys.argv[1]), sys.argv[2]
body = open(work + "/gz.body", "rb").read()
head = ("POST /order HTTP/1.1\r\nzeta-first: 1\r\nHost: 127.0.0.1\r\nX-Hub-Signature-256: %s\r\n"
        "content-type: application/json\r\nX-Percent: a%%20b\r\nZeta-First: 2\r\n"
        "Content-Encoding: gzip\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
        % (open(work + "/gz.sig").read(), len(body)))
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(head.encode() + body)
print(s.recv(65536).decode().split("\r\n")[0])
EOF
finished order
expect_rc 0 "order: exit"
CHECKS=$((CHECKS + 1))
[ "$(cat "$WORK/order.answer")" = "HTTP/1.1 200 OK" ] || fail "order: answered <$(cat "$WORK/order.answer")>"
expect_out_has 'zeta-first: 1
Host: 127.0.0.1
X-Hub-Signature-256: sha256=' "order: headers in arrival order, names in their own case"
expect_out_has 'X-Percent: a%20b
Zeta-First: 2
Content-Encoding: gzip' "order: values as sent, repeats where they came"
expect_out_has "gzip → 30 bytes, JSON" "order: gzip body shown decoded"
expect_out_has '"action": "opened"' "order: decoded JSON pretty-printed"
expect_out_has 'verdict: valid (github)' "order: signature over the uncompressed body checked"
py '
import json, sys, base64
r = json.loads(open(sys.argv[1]).readline())
names = [h[0] for h in r["headers"]]
ok = names == ["zeta-first", "Host", "X-Hub-Signature-256", "content-type", "X-Percent", "Zeta-First",
               "Content-Encoding", "Content-Length", "Connection"]
ok = ok and r["body_base64"] and base64.b64decode(r["body"]) == open(sys.argv[2], "rb").read()
print("ok" if ok else json.dumps(r)[:800])
' "$WORK/order.jsonl" "$WORK/gz.body"
expect_py ok "order: the record keeps header order and the gzip bytes as they arrived"

# --- Bodies the HTTP library would have taken apart: a URL-encoded form above 8 KiB (it answered
# 413) and multipart/form-data (it parsed the parts and left the body empty). Both arrive whole.
python3 -c 'print("a=" + "x" * 20000 + "&b=2", end="")' >"$WORK/bigform.txt"
listen bodies --record "$WORK/bodies.jsonl" --count 2
post bodies --data-binary @"$WORK/bigform.txt" /form
expect_code 200 "a 20 KB URL-encoded form"
post bodies -F part=one -F file=@"$WORK/wt.json" /multipart
expect_code 200 "multipart/form-data"
finished bodies
expect_rc 0 "bodies: exit"
expect_out_has "── 20006 bytes, form" "bodies: the big form rendered"
py '
import json, sys
r = [json.loads(l) for l in open(sys.argv[1])]
big = open(sys.argv[2]).read()
ok = r[0]["body"] == big
ctype = [v for n, v in r[1]["headers"] if n == "Content-Type"][0]
ok = ok and ctype.startswith("multipart/form-data; boundary=")
b = r[1]["body"]
ok = ok and b.count(ctype.split("boundary=")[1]) == 3 and "name=\"part\"" in b and "nps@example.com" in b
print("ok" if ok else json.dumps(r)[:600])
' "$WORK/bodies.jsonl" "$WORK/bigform.txt"
expect_py ok "bodies: recorded whole, byte for byte"

# --- verify --request FILE[:N]: a recorded request checked with its own headers.
run verify --request "$WORK/rec.jsonl:1" --vendor wootric --key "$WT_KEY"
expect_rc 0 "verify --request FILE:1"
expect_out "valid" "verify --request FILE:1"
run verify --request "$WORK/rec.jsonl:2" --vendor wootric --key "$WT_KEY"
expect_rc 1 "verify --request FILE:2"
expect_out_has "invalid: signature does not match" "verify --request FILE:2"
run verify --request "$WORK/rec.jsonl:3" --vendor wootric --key "$WT_KEY" --json
expect_rc 1 "verify --request unsigned"
expect_out_has '"reason": "no X-Wootric-Signature header in the request"' "verify --request unsigned"
run verify --request "$WORK/rec.jsonl:7" --vendor wootric --key "$WT_KEY"
expect_rc 2 "verify --request out of range"
expect_one_line_error "verify --request out of range"
run verify --request "$WORK/rec.jsonl" --vendor wootric --key "$WT_KEY" "$WORK/wt.json"
expect_rc 2 "verify --request with a payload"

# --- Answers: --status, --response-body, --response-header, --delay, --fail-first.
listen answers --status 202 --response-body '{"ok":true}' --response-header 'X-Hooktool-Test: yes' \
  --delay 300ms --fail-first 1 --count 2 --compact
post answers -d 'x=1' /one
expect_code 500 "--fail-first 1: first request"
start=$(date +%s%N)
post answers -d 'x=2' /two
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
expect_code 202 "--status"
CHECKS=$((CHECKS + 1))
[ "$BODY" = '{"ok":true}' ] || fail "--response-body: got <$BODY>"
CHECKS=$((CHECKS + 1))
grep -qi '^X-Hooktool-Test: yes' "$WORK/answer-headers" || fail "--response-header missing"
CHECKS=$((CHECKS + 1))
grep -qi '^Content-Type: application/json' "$WORK/answer-headers" || fail "--response-body JSON gets a JSON type"
CHECKS=$((CHECKS + 1))
[ "$elapsed_ms" -ge 300 ] || fail "--delay 300ms: answered after $elapsed_ms ms"
finished answers
expect_rc 0 "answers: exit"
expect_out_has "POST /one 3 bytes -> 500" "--compact line, failed"
expect_out_has "POST /two 3 bytes -> 202" "--compact line"

# --- Forwarding: a second listener is the app; --route sends one path there, the rest is answered here.
listen app --status 201 --response-body 'from the app' --json --count 2
app_port=$PORT
listen front --forward "http://127.0.0.1:$app_port/base" --route "/only=http://127.0.0.1:$app_port" --json --count 2
post front -H 'X-Custom: 1' -d '{"n":1}' '/hook?q=1'
expect_code 201 "--forward: the app's status"
CHECKS=$((CHECKS + 1))
[ "$BODY" = 'from the app' ] || fail "--forward: the app's body, got <$BODY>"
post front -d '{"n":2}' /only/x
expect_code 201 "--route"
finished front
expect_rc 0 "front: exit"
py '
import json, sys
front = [json.loads(l) for l in open(sys.argv[1])]
f = front[0]["forward"]
ok = f["status"] == 201 and f["url"].endswith("/base/hook?q=1") and f["latency_ms"] >= 0
ok = ok and front[1]["forward"]["url"].endswith(":%s/only/x" % sys.argv[2]) and front[0]["status"] == 201
print("ok" if ok else front)
' "$WORK/front.out" "$app_port"
expect_py ok "front: forward outcome in --json"
finished app
py '
import json, sys
app = [json.loads(l) for l in open(sys.argv[1])]
ok = app[0]["path"] == "/base/hook" and app[0]["query"] == "q=1" and ["X-Custom", "1"] in app[0]["headers"]
ok = ok and app[0]["body"] == "{\"n\":1}" and app[1]["path"] == "/only/x"
print("ok" if ok else app)
' "$WORK/app.out"
expect_py ok "app: got method, path, query, headers and body"

# An app's compressed answer goes back as the app sent it, whatever the sender accepts: not
# compressed again, and neither is the listener's own answer.
printf 'compressed by the app\n' | gzip -c >"$WORK/app.gz"
listen gzapp --response-body "@$WORK/app.gz" --response-header 'Content-Type: text/plain' \
  --response-header 'Content-Encoding: gzip' --count 1 --compact
listen gzfront --forward "http://127.0.0.1:${PORTS[gzapp]}" --count 1 --compact
post gzfront -H 'Accept-Encoding: gzip, deflate, br' -d '{"n":1}' /gz
expect_code 200 "--forward of a gzip answer"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/answer" "$WORK/app.gz" || fail "--forward: the app's gzip body should pass unchanged"
CHECKS=$((CHECKS + 1))
[ "$(grep -ci '^Content-Encoding:' "$WORK/answer-headers")" = 1 ] || fail "--forward: one Content-Encoding"
finished gzfront
finished gzapp
expect_rc 0 "gzapp: exit"

# --forward-timeout: an app that trickles its answer, or is silent, gets 504 once it has passed;
# one that cannot be reached, 502.
python3 - "$WORK/slowapp.port" <<'P' &
import socket, sys, threading, time
srv = socket.socket()
srv.bind(('127.0.0.1', 0))
srv.listen(8)
open(sys.argv[1], 'w').write(str(srv.getsockname()[1]))
def serve(c):
    try:
        c.recv(65536)
        c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n')
        for _ in range(100):  # a byte every 0.1 s: each read is quick, the whole takes 10 s
            c.sendall(b'x')
            time.sleep(0.1)
    except OSError:
        pass
srv.settimeout(20)
for _ in range(2):
    try:
        threading.Thread(target=serve, args=(srv.accept()[0],), daemon=True).start()
    except OSError:
        break
time.sleep(3)
P
slowapp=$!
for ((i = 0; i < 50; i++)); do [ -s "$WORK/slowapp.port" ] && break; sleep 0.1; done
listen slowfront --forward "http://127.0.0.1:$(cat "$WORK/slowapp.port")" --forward-timeout 1s \
  --route "/down=http://127.0.0.1:1" --count 2 --compact
start=$(date +%s%N)
post slowfront -d '{}' /trickle
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
expect_code 504 "--forward-timeout: a trickled answer"
CHECKS=$((CHECKS + 1))
[ "$elapsed_ms" -lt 3000 ] || fail "--forward-timeout 1s: answered after $elapsed_ms ms"
post slowfront -d '{}' /down
expect_code 502 "--route to a closed port"
finished slowfront
expect_rc 0 "slowfront: exit"
expect_out_has "POST /trickle 2 bytes -> 504" "--compact line, forward time-out"
kill "$slowapp" 2>/dev/null
wait "$slowapp" 2>/dev/null

# --- Limits: 413 above --max-body, 400 for malformed HTTP, and the listener still answers.
listen limits --max-body 1k --count 1 --json
head -c 2048 /dev/zero | tr '\0' a >"$WORK/big"
post limits --data-binary @"$WORK/big" /big
expect_code 413 "--max-body"
exec 3<>"/dev/tcp/127.0.0.1/${PORTS[limits]}"
printf 'NOT HTTP AT ALL\r\n' >&3
status_line=$(timeout 5 head -1 <&3)
exec 3<&-
CHECKS=$((CHECKS + 1))
[[ $status_line == "HTTP/1.1 400"* ]] || fail "malformed request: got <$status_line>"
post limits -d ok /after
expect_code 200 "still answering after 413 and 400"
finished limits
expect_rc 0 "limits: exit"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '' <<<"$OUT")" = 1 ] || fail "limits: only the good request is on stdout"
expect_err_has "answered 413" "limits: 413 noted"
expect_err_has "answered 400" "limits: 400 noted"
expect_err_has "1 answered 413" "limits: summary counts 413"

# --- SIGTERM: stop, finish, print the summary by status and verdict, exit 0.
printf 'Hello, World!' >"$WORK/gh.txt"
listen term --scheme github --key "It's a Secret to Everybody" --json
post term -H 'X-Hub-Signature-256: sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17' \
  --data-binary @"$WORK/gh.txt" /gh
post term -H 'X-Hub-Signature-256: sha256=00' --data-binary @"$WORK/gh.txt" /gh
post term --fail /probe
kill -TERM "${PIDS[term]}"
finished term
expect_rc 0 "SIGTERM exits 0"
expect_err_has "3 requests" "summary: count"
expect_err_has "3 answered 200" "summary: by status"
expect_err_has "verdicts: 1 valid, 1 invalid" "summary: by verdict"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '' <<<"$OUT")" = 3 ] || fail "SIGTERM: all 3 requests on stdout"

# --- --timeout: too few requests in time is exit 1.
listen slow --count 2 --timeout 1s
post slow -d x /one
finished slow
expect_rc 1 "--timeout with --count unmet"
expect_err_has "1 of 2 request(s) arrived within 1s (--timeout)" "--timeout message"

# --- TLS: a self-signed certificate made at start, its fingerprint printed.
listen tls --tls --count 1 --json
fp=$(openssl s_client -connect "127.0.0.1:${PORTS[tls]}" </dev/null 2>/dev/null |
  openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//')
CODE=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -d 'x=1' "https://127.0.0.1:${PORTS[tls]}/tls")
expect_code 200 "--tls"
finished tls
expect_rc 0 "tls: exit"
expect_err_has "listening on https://127.0.0.1:" "tls: banner"
expect_err_has "fingerprint $fp" "tls: the fingerprint is the certificate's"

# --- --cert and --cert-key: the user's own certificate, and its fingerprint.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
fp=$(openssl x509 -in "$WORK/cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
listen owncert --cert "$WORK/cert.pem" --cert-key "$WORK/key.pem" --count 1 --fail-rate 100%
CODE=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -d 'x=1' "https://127.0.0.1:${PORTS[owncert]}/")
expect_code 500 "--fail-rate 100% over --cert"
finished owncert
expect_rc 0 "owncert: exit"
expect_err_has "fingerprint $fp" "--cert: its fingerprint"

# --- The URL a scheme signs (Square here, Twilio alike) of a request that came over TLS is its
# https:// URL: for listen's verdict and for verify --request on its record (which says "tls"), the
# same verdict, under --tls and under --cert alike. The second request is signed over http://.
printf '{"a":1}' >"$WORK/sq.json"
sq_sig() { { printf '%s' "$1"; cat "$WORK/sq.json"; } | openssl dgst -sha256 -hmac sq-key -binary | base64; }
for how in tls cert; do
  if [ $how = tls ]; then flags=(--tls); else flags=(--cert "$WORK/cert.pem" --cert-key "$WORK/key.pem"); fi
  listen "sq$how" "${flags[@]}" --scheme square --key sq-key --json --record "$WORK/sq$how.jsonl" --count 2
  for scheme in https http; do
    CODE=$(curl -sk --max-time 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -H "x-square-hmacsha256-signature: $(sq_sig "$scheme://127.0.0.1:${PORTS[sq$how]}/sq?x=1")" \
      --data-binary @"$WORK/sq.json" "https://127.0.0.1:${PORTS[sq$how]}/sq?x=1")
    expect_code 200 "sq $how: $scheme-signed request answered"
  done
  finished "sq$how"
  expect_rc 0 "sq $how: exit"
  cp "$WORK/sq$how.out" "$WORK/sq$how.listen"
  py '
import json, sys
rec = [json.loads(l) for l in open(sys.argv[1])]
out = [json.loads(l) for l in open(sys.argv[2])]
ok = [r.get("tls") for r in rec] == [True, True] and [o["tls"] for o in out] == [True, True]
ok = ok and [o["verdict"]["valid"] for o in out] == [True, False]
print("ok" if ok else json.dumps(out)[:800])' "$WORK/sq$how.jsonl" "$WORK/sq$how.listen"
  expect_py ok "sq $how: recorded with tls, listen: https-signed valid, http-signed invalid"
  for n in 1 2; do
    run verify --request "$WORK/sq$how.jsonl:$n" --scheme square --key sq-key --json
    expect_rc $((n - 1)) "sq $how $n: verify --request"
    printf '%s\n' "$OUT" >"$WORK/sq$how.verify$n"
    py '
import json, sys
listened = [json.loads(l)["verdict"] for l in open(sys.argv[1])][int(sys.argv[3]) - 1]
print("ok" if listened == json.load(open(sys.argv[2])) else "differs")' \
      "$WORK/sq$how.listen" "$WORK/sq$how.verify$n" "$n"
    expect_py ok "sq $how $n: verify --request gives listen's verdict"
  done
done

# --- An idle client holds nothing up and is dropped after the keep-alive timeout.
listen idle --count 1 --json
exec 4<>"/dev/tcp/127.0.0.1/${PORTS[idle]}"
post idle -d x /busy
expect_code 200 "an idle connection does not block another client"
start=$(date +%s)
timeout 10 cat <&4 >/dev/null
idle_s=$(($(date +%s) - start))
exec 4<&-
CHECKS=$((CHECKS + 1))
[ "$idle_s" -le 5 ] || fail "the idle connection was closed after $idle_s s, not about 2 s"
finished idle
expect_rc 0 "idle: exit"

# A --timeout beyond what the clock counts in nanoseconds is a long wait, not an instant failure.
listen longwait --count 1 --timeout 9223372036855ms
sleep 0.5
CHECKS=$((CHECKS + 1))
kill -0 "${PIDS[longwait]}" 2>/dev/null || fail "--timeout 9223372036855ms should not end at once"
kill -TERM "${PIDS[longwait]}"
finished longwait
expect_rc 0 "longwait: exit after SIGTERM"

# --- Usage errors.
bad() {
  local what=$1
  shift
  run listen "$@"
  expect_rc 2 "$what"
  expect_one_line_error "$what"
}
bad "bad address" 127.0.0.1:http
bad "IPv6 without brackets" ::1:8080
bad "bad --max-body" :0 --max-body lots
bad "bad --route" :0 --route nopath
bad "bad --forward" :0 --forward ftp://x
bad "bad --fail-rate" :0 --fail-rate 2
bad "bad --delay" :0 --delay soon
bad "--delay above 1h" :0 --delay 2h
bad "--fail-rate nan" :0 --fail-rate nan
bad "--forward-timeout 0" :0 --forward http://127.0.0.1:1 --forward-timeout 0
bad "--cert without --cert-key" :0 --cert "$WORK/gh.txt"

# --- Plain HTTP to a --tls port: a plain 400 naming the https:// URL, and a note on stderr.
listen tlsport --tls --count 1
post tlsport -d 'x=1' /hook
expect_code 400 "plain HTTP to a --tls port"
CHECKS=$((CHECKS + 1))
[ "$BODY" = "this port speaks HTTPS: use https://127.0.0.1:${PORTS[tlsport]}/hook" ] || fail "the 400 names the https URL, got <$BODY>"
run send --vendor joturl --insecure "https://127.0.0.1:${PORTS[tlsport]}/hook"
expect_rc 0 "HTTPS to the same port still works"
finished tlsport
expect_rc 0 "tlsport: exit"
expect_err_has "sent plain HTTP to this HTTPS port; answered 400 (use https://127.0.0.1:${PORTS[tlsport]}/hook)" "the note"
expect_out_has "POST /hook" "the HTTPS request shown"

# --- A forward to a closed port says why, in the 502 body and in the output.
listen closedfw --forward http://127.0.0.1:1/app --count 1
post closedfw -d 'a=1' /x
expect_code 502 "forward to a closed port"
CHECKS=$((CHECKS + 1))
[ "$BODY" = "hooktool: no answer from http://127.0.0.1:1/app/x: could not connect to 127.0.0.1:1: connection refused or unreachable" ] ||
  fail "the 502 body says why, got <$BODY>"
finished closedfw
expect_out_has "no answer: could not connect to 127.0.0.1:1: connection refused or unreachable" "the output says why"

# --- replay --vendor judges the answers by the vendor's rule (here: only 200 is delivered).
cat >"$WORK/only200.json" <<'JSON'
{"name": "only200", "title": "Only200", "scheme": null, "delivery": {"success": [200]},
 "events": [{"name": "ping", "body": {"n": 1}}]}
JSON
listen src200 --record "$WORK/src200.jsonl" --count 1
post src200 -d '{"n":1}' /hook
finished src200
listen created --status 201 --count 2
run replay "$WORK/src200.jsonl" "http://127.0.0.1:${PORTS[created]}"
expect_rc 0 "replay: a 201 is a 2xx"
run replay "$WORK/src200.jsonl" "http://127.0.0.1:${PORTS[created]}" --vendor-file "$WORK/only200.json" --vendor only200
expect_rc 1 "replay --vendor: a 201 is not delivered for a vendor that counts only 200"
expect_out_has "Only200 counts only HTTP 200 as delivered" "the rule is said"
finished created
# --- HOOKTOOL_NOW pins the listener's clock: the received time it records and the verdict's now
# (a Stripe signature made at t=1000 is fresh at HOOKTOOL_NOW=1000, years too old without it).
printf '{"id":"evt_now"}' >"$WORK/now.json"
now_sig=$({ printf '1000.'; cat "$WORK/now.json"; } | openssl dgst -sha256 -hmac whsec_now | awk '{print $NF}')
for pinned in 1000 ""; do
  HOOKTOOL_NOW=$pinned listen "pinned$pinned" --scheme stripe --key whsec_now --json \
    --record "$WORK/pinned$pinned.jsonl" --count 1
  post "pinned$pinned" -H "Stripe-Signature: t=1000,v1=$now_sig" -H 'Content-Type: application/json' \
    --data-binary @"$WORK/now.json" /hook
  finished "pinned$pinned"
  py 'import json, sys
rec = json.loads(open(sys.argv[1]).readline())
out = json.loads(sys.argv[2].splitlines()[0])
print(rec["received"], out["received"], out["verdict"]["valid"], out["verdict"].get("reason", ""))' \
    "$WORK/pinned$pinned.jsonl" "$OUT"
  if [ -n "$pinned" ]; then
    expect_py "1970-01-01T00:16:40.000Z 1970-01-01T00:16:40.000Z True " \
      "HOOKTOOL_NOW pins the received time and the verdict's now"
  else
    CHECKS=$((CHECKS + 1))
    case $PY in
      "$(date -u +%Y-%m-%d)T"*" False timestamp too old"*) ;;
      *) fail "without HOOKTOOL_NOW the listener's clock is the system's, python said <$PY>" ;;
    esac
  fi
done
HOOKTOOL_NOW=soon "$HOOKTOOL" listen 127.0.0.1:0 >"$WORK/badnow.out" 2>"$WORK/badnow.err" </dev/null
RC=$? OUT=$(cat "$WORK/badnow.out") ERR=$(cat "$WORK/badnow.err")
expect_rc 2 "listen with a bad HOOKTOOL_NOW"
expect_out "" "listen with a bad HOOKTOOL_NOW prints nothing"
CHECKS=$((CHECKS + 1))
[ "$ERR" = "hooktool: HOOKTOOL_NOW must be unix seconds, got 'soon' (environment)" ] ||
  fail "listen with a bad HOOKTOOL_NOW says so in one line before listening"

# --- --forward relays no header that belongs to one connection or that the client computes
# (is_hop_by_hop): Expect is the client's own, and the app still gets the body.
listen hopapp --json --count 1
hopapp_port=${PORTS[hopapp]}
listen hopfront --forward "http://127.0.0.1:$hopapp_port" --count 1
post hopfront -H 'Expect: 100-continue' -H 'Trailer: X-Checksum' -H 'X-Kept: yes' -d 'a=1' /hop
expect_code 200 "forward with Expect and Trailer"
finished hopfront
finished hopapp
py 'import json, sys
out = json.loads(sys.argv[1].splitlines()[0])
names = [h[0].lower() for h in out["headers"]]
print("expect" in names, "trailer" in names, "x-kept" in names, out["body"])' "$OUT"
expect_py "False False True a=1" "Expect and Trailer are not relayed, X-Kept and the body are"
# SIGHUP (the terminal closed) stops like SIGTERM: the request in the record, a summary, exit 0.
# The record file is created 0600: it holds whatever credentials senders put in headers.
rm -f "$WORK/hup.jsonl"
listen hup --record "$WORK/hup.jsonl"
post hup -H 'Authorization: Bearer sender-token' -d 'a=1' /hup
expect_code 200 "a request before SIGHUP"
kill -HUP "${PIDS[hup]}"
finished hup
expect_rc 0 "SIGHUP stops the listener like SIGTERM"
expect_err_has "hung up: finishing the requests in flight" "SIGHUP is said"
expect_err_has "1 request" "the summary after SIGHUP"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$WORK/hup.jsonl")" = 1 ] || fail "the request before SIGHUP is recorded"
CHECKS=$((CHECKS + 1))
[ "$(stat -c %a "$WORK/hup.jsonl")" = 600 ] || fail "the record file is 0600, got $(stat -c %a "$WORK/hup.jsonl")"
# The file-size limit (ulimit -f) reached while recording: a write error, said once and answered
# 500 so that the sender delivers again; the listener lives on and the record holds whole lines only.
rm -f "$WORK/fsz.jsonl"
: >"$WORK/fsz.out" # finished reads it; the listener writes to /dev/null
(
  ulimit -f 2 # 2 KiB
  # stdout to /dev/null: a file there would reach the limit too, and a listener whose output
  # cannot be written stops.
  exec "$HOOKTOOL" --color never listen 127.0.0.1:0 --port-file "$WORK/fsz.port" --record "$WORK/fsz.jsonl" \
    >/dev/null 2>"$WORK/fsz.err" </dev/null
) &
PIDS[fsz]=$!
for ((i = 0; i < 100; i++)); do [ -s "$WORK/fsz.port" ] && break; sleep 0.1; done
PORTS[fsz]=$(cat "$WORK/fsz.port")
post fsz -d 'small=1' /a
expect_code 200 "a small request is recorded under the limit"
post fsz -d "big=$(head -c 3000 /dev/zero | tr '\0' x)" /b
expect_code 500 "a request that does not fit under ulimit -f is answered 500"
post fsz -d 'small=2' /c
expect_code 200 "the listener lives on after the limit (the small line still fits)"
kill -TERM "${PIDS[fsz]}"
finished fsz
expect_rc 0 "the listener was not killed by SIGXFSZ"
expect_err_has "File too large" "the write error is said"
py 'import json,sys
lines = open(sys.argv[1], "rb").read().split(b"\n")
print(lines[-1] == b"", [json.loads(l)["path"] for l in lines if l])' "$WORK/fsz.jsonl"
expect_py "True ['/a', '/c']" "the record holds whole lines only"
finish
