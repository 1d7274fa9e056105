#!/usr/bin/env bash
# The listener's edges: how it stops (a --delay cut short, a second signal while a --forward target
# hangs, a client trickling a request or a TLS handshake), how it reads a body's framing (no
# length, a length that is no number, both length and chunked, a chunked body above --max-body,
# a Range header), and what it does when the record file cannot be written.
source "$(dirname "$0")/../cli/lib.sh"
for tool in curl python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (scripts/deps test)"; exit 77; }
done

# expect_raw WHAT EXPECTED < BYTES: every answer's status, then "close" (tests/cli/raw_http.py)
expect_raw() {
  local got
  got=$(python3 "$SRC/tests/cli/raw_http.py" "$PORT" all)
  CHECKS=$((CHECKS + 1))
  [ "$got" = "$2" ] || { RC= OUT=$got ERR=$(tail -n 3 "$WORK/edges.err"); fail "$1: expected <$2>"; }
}
# elapsed_since T0: seconds since T0 (from date +%s.%N), as an integer.
elapsed_since() { python3 -c "import sys, time; print(int(time.time() - float(sys.argv[1])))" "$1"; }

listen edges --max-body 1k --record "$WORK/edges.jsonl"
B=$WORK/bytes
printf 'POST /nolength HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n' >"$B"
expect_raw "a POST without a length has no body; the next request is served" "200 200" <"$B"
printf 'POST /badlength HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n' >"$B"
expect_raw "a Content-Length that is no number" "400 close" <"$B"
printf 'POST /cl-te HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n' >"$B"
expect_raw "Content-Length with Transfer-Encoding" "400 close" <"$B"
printf 'POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 30\r\n\r\n{}' >"$B"
expect_raw "two Content-Lengths that differ" "400 close" <"$B"
python3 -c 'import sys; sys.stdout.buffer.write(b"POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + b"3e8\r\n" + b"a" * 1000 + b"\r\n" + b"0\r\n\r\n")' >"$B"
expect_raw "a chunked body within --max-body" "200" <"$B"
python3 -c 'import sys; sys.stdout.buffer.write(b"POST /toolarge HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + (b"3e8\r\n" + b"a" * 1000 + b"\r\n") * 200 + b"0\r\n\r\n")' >"$B"
expect_raw "a chunked body above --max-body" "413 close" <"$B"
python3 -c 'import sys; sys.stdout.buffer.write(b"POST /justover HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + b"401\r\n" + b"a" * 1025 + b"\r\n" + b"0\r\n\r\n")' >"$B"
expect_raw "a chunked body one byte above --max-body" "413 close" <"$B"
printf 'POST /range HTTP/1.1\r\nHost: x\r\nRange: items=0-1\r\nContent-Length: 2\r\n\r\n{}' >"$B"
expect_raw "a hook with a Range header of its own" "200" <"$B"
CHECKS=$((CHECKS + 1))
grep -q 'answered 413 to 127.0.0.1:[0-9]*: the body is above --max-body' "$WORK/edges.err" ||
  { RC= OUT= ERR=$(cat "$WORK/edges.err"); fail "the chunked 413 should be reported as 413"; }

# A request head trickled past the line limit (64 KiB) is refused at once, not waited for.
t0=$(date +%s.%N)
python3 - "$PORT" <<'P'
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
try:
    s.sendall(b'GET /' + b'a' * 70000)
    for _ in range(20):
        s.sendall(b'a')
        time.sleep(0.5)
except OSError:
    pass
P
CHECKS=$((CHECKS + 1))
[ "$(elapsed_since "$t0")" -lt 6 ] || fail "a 70 KB request line should be cut off, not waited for"

# A delayed answer is cut short when the listener stops: the request is answered, exit 0.
kill -TERM "${PIDS[edges]}"
finished edges
expect_rc 0 "edges listener after SIGTERM"
CHECKS=$((CHECKS + 1))
recorded=$(grep -o '"path":"/[a-z]*"' "$WORK/edges.jsonl" | tr '\n' ' ')
[ "$recorded" = '"path":"/nolength" "path":"/second" "path":"/chunked" "path":"/range" ' ] ||
  { RC= OUT=$recorded ERR=; fail "only the well-framed requests within the limit are recorded"; }

# A TLS handshake trickled a byte at a time is cut off after the read time-out (5 s), and so is
# one still trickling when the listener stops (2 s later).
listen tls --tls
cat >"$WORK/hello.py" <<'P'
import socket, ssl, sys, time
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
client = ctx.wrap_bio(incoming, outgoing, server_hostname='localhost')
try:
    client.do_handshake()
except ssl.SSLWantReadError:
    pass
hello = outgoing.read()  # a real ClientHello, sent one byte every 50 ms, never finished
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
start = time.monotonic()
try:
    for b in hello[:-1]:
        s.sendall(bytes([b]))
        time.sleep(0.05)
    print('open after %.0f s' % (time.monotonic() - start))
except OSError:
    print('closed after %.0f s' % (time.monotonic() - start))
P
CHECKS=$((CHECKS + 1))
got=$(timeout 30 python3 "$WORK/hello.py" "$PORT")
[[ $got =~ ^closed\ after\ [5-7]\ s$ ]] || { RC= OUT=$got ERR=; fail "a trickled TLS handshake should be cut off after 5 s"; }
timeout 30 python3 "$WORK/hello.py" "$PORT" >/dev/null &
hello=$!
sleep 1
t0=$(date +%s.%N)
kill -TERM "${PIDS[tls]}"
finished tls
wait "$hello"
expect_rc 0 "listen --tls after SIGTERM during a handshake"
CHECKS=$((CHECKS + 1))
[ "$(elapsed_since "$t0")" -lt 4 ] || fail "a handshake in progress should not hold up the shutdown"

listen delayed --delay 30s
curl -s -o "$WORK/delayed.body" -w '%{http_code}' --max-time 20 -d '{}' "http://127.0.0.1:$PORT/slow" >"$WORK/delayed.code" &
curl_pid=$!
sleep 0.5
t0=$(date +%s.%N)
kill -INT "${PIDS[delayed]}"
finished delayed
wait "$curl_pid"
expect_rc 0 "listen --delay after SIGINT"
expect_err_has "finishing the requests in flight" "SIGINT during --delay"
expect_err_has "1 answered 200" "the delayed request is answered"
CHECKS=$((CHECKS + 1))
[ "$(cat "$WORK/delayed.code")" = 200 ] && [ "$(elapsed_since "$t0")" -lt 5 ] ||
  fail "a --delay should end when the listener stops (code $(cat "$WORK/delayed.code"))"

# A second signal while a --forward target hangs: quit at once, saying what was cut off; what was
# recorded stays.
python3 - "$WORK/hang.port" <<'P' &
import http.server, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        time.sleep(30)
    def log_message(self, *a): pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
open(sys.argv[1], 'w').write(str(s.server_port))
s.timeout = 40
s.handle_request()
P
app=$!
for ((i = 0; i < 50; i++)); do [ -s "$WORK/hang.port" ] && break; sleep 0.1; done
listen hung --forward "http://127.0.0.1:$(cat "$WORK/hang.port")" --record "$WORK/hung.jsonl"
curl -s -o /dev/null --max-time 20 -d '{"a":1}' "http://127.0.0.1:$PORT/hook" &
curl_pid=$!
for ((i = 0; i < 50; i++)); do [ -s "$WORK/hung.jsonl" ] && break; sleep 0.1; done
t0=$(date +%s.%N)
kill -INT "${PIDS[hung]}"
sleep 0.5
kill -INT "${PIDS[hung]}"
finished hung
expect_rc 130 "listen after a second SIGINT"
expect_err_has "quitting without waiting for 1 request in flight" "second SIGINT"
CHECKS=$((CHECKS + 1))
[ "$(elapsed_since "$t0")" -lt 5 ] || fail "a second SIGINT should quit at once"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '"path":"/hook"' "$WORK/hung.jsonl")" = 1 ] || fail "the hung request should stay recorded"
kill "$app" "$curl_pid" 2>/dev/null
wait "$app" "$curl_pid" 2>/dev/null

# The same when stdout is a pipe nobody reads (the printer blocked in a write): still at once.
mkfifo "$WORK/stuck"
sleep 30 <"$WORK/stuck" &
reader=$!
"$HOOKTOOL" --color never listen 127.0.0.1:0 --port-file "$WORK/stuck.port" --delay 10s >"$WORK/stuck" \
  2>"$WORK/stuck.err" </dev/null &
PIDS[stuck]=$!
for ((i = 0; i < 100; i++)); do [ -s "$WORK/stuck.port" ] && break; sleep 0.1; done
head -c 300000 /dev/zero | tr '\0' a >"$WORK/300k.txt"
for i in 1 2 3; do # 900 KB of rendering: more than the pipe holds
  curl -s -o /dev/null --max-time 20 -H 'Content-Type: text/plain' --data-binary "@$WORK/300k.txt" \
    "http://127.0.0.1:$(cat "$WORK/stuck.port")/$i" &
done
sleep 1
t0=$(date +%s.%N)
kill -INT "${PIDS[stuck]}"
sleep 0.5
kill -INT "${PIDS[stuck]}"
touch "$WORK/stuck.out"
finished stuck
expect_rc 130 "listen with a stuck stdout, after a second SIGINT"
CHECKS=$((CHECKS + 1))
[ "$(elapsed_since "$t0")" -lt 4 ] || fail "a stuck stdout should not hold up a second SIGINT"
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null

# The record file cannot take a line (a file size limit): the line is cut off again, the request
# answered 500 so the sender delivers it again, the error said once.
(
  trap '' XFSZ
  ulimit -f 8 # KiB
  # stdout to /dev/null: the limit holds for every file it writes, and a full stdout ends it
  exec "$HOOKTOOL" --color never listen 127.0.0.1:0 --port-file "$WORK/full.port" --record "$WORK/full.jsonl" \
    >/dev/null 2>"$WORK/full.err" </dev/null
) &
PIDS[full]=$!
for ((i = 0; i < 100; i++)); do [ -s "$WORK/full.port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/full.port")
head -c 5000 /dev/zero | tr '\0' a >"$WORK/5k.txt"
codes=""
for i in 1 2 3; do
  codes+=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' --data-binary "@$WORK/5k.txt" \
    "http://127.0.0.1:$PORT/$i")" "
done
kill -TERM "${PIDS[full]}"
touch "$WORK/full.out"
finished full
expect_rc 0 "listen with a full record file, after SIGTERM"
CHECKS=$((CHECKS + 1))
[ "$codes" = "200 500 500 " ] || { RC= OUT=$codes ERR=$ERR; fail "record file full: expected 200 then 500s"; }
CHECKS=$((CHECKS + 1))
python3 - "$WORK/full.jsonl" <<'P' || fail "the record file should hold whole lines only"
import json, sys
data = open(sys.argv[1], 'rb').read()
assert data.endswith(b'\n')
assert len([json.loads(l) for l in data.split(b'\n')[:-1]]) == 1
P
CHECKS=$((CHECKS + 1))
[ "$(grep -c 'cannot write .*full.jsonl: File too large (--record)' <<<"$ERR")" = 1 ] ||
  fail "the record error should be said once"
finish
