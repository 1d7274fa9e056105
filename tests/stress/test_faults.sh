#!/usr/bin/env bash
# Faults on loopback: 200 idle connections, a 100 MiB body, random bytes, a truncated request, a
# 1 MiB header line, invalid chunked encoding, a head with both framings (request smuggling). Each
# is answered 400/413/431 or closed, the listener never crashes, and the next normal request is
# served (idle ones: within 1 s).
source "$(dirname "$0")/../cli/lib.sh"
for tool in curl python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed (scripts/deps test)"; exit 77; }
done

listen faults --record "$WORK/faults.jsonl" --verbose
# Each connection is a file descriptor: the listener raises its soft limit to the hard one and
# --verbose says so (the figure is this machine's).
CHECKS=$((CHECKS + 1))
hard=$(ulimit -Hn)
grep -Eq "^hooktool: note: open-file limit (raised from [0-9]+ to $hard|$hard) \(connections at once" "$WORK/faults.err" ||
  { RC= OUT= ERR=$(cat "$WORK/faults.err"); fail "--verbose should say the open-file limit ($hard)"; }
normal() {  # normal WHAT: a plain POST is answered 200 within 1 s
  CHECKS=$((CHECKS + 1))
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 -d 'ok=1' "http://127.0.0.1:$PORT/after")
  [ "$code" = 200 ] || { RC=$code OUT= ERR=$(tail -n 5 "$WORK/faults.err"); fail "after $1: expected 200 within 1 s"; }
}
# raw WHAT EXPECT < BYTES: (not in a pipeline: it counts checks) sends the bytes on stdin
# (tests/cli/raw_http.py); fails unless the first answer's status, or "closed", is one of EXPECT
# (a|b|c).
raw() {
  local what=$1 expect=$2 got
  got=$(python3 "$SRC/tests/cli/raw_http.py" "$PORT")
  CHECKS=$((CHECKS + 1))
  [[ $got =~ ^($expect)$ ]] || { RC=$got OUT= ERR=; fail "$what: expected $expect, got $got"; }
  kill -0 "${PIDS[faults]}" 2>/dev/null || fail "$what: the listener died"
  normal "$what"
}

normal "start"
# Slowloris: a head trickled a byte every 0.3 s is cut off once the read time-out (5 s) has passed
# since it began, however steadily it trickles. Runs alongside the checks below.
python3 - "$PORT" >"$WORK/trickle.out" <<'P' &
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
start = time.monotonic()
try:
    for b in b'POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + b'a' * 100:
        s.sendall(bytes([b]))
        time.sleep(0.3)
    print('still open after %.1f s' % (time.monotonic() - start))
except OSError:
    print('closed after %.0f s' % (time.monotonic() - start))
P
trickle=$!
# 200 idle connections: a new request is still answered in 1 s (they cost the event loop nothing).
python3 - "$PORT" "$WORK/idle.ready" <<'P' &
import socket, sys, time
conns = [socket.create_connection(('127.0.0.1', int(sys.argv[1]))) for _ in range(200)]
for c in conns[:100]: c.sendall(b'POST / HTTP/1.1\r\nHost: x\r\n')  # slowloris: half a request
open(sys.argv[2], 'w').close()
time.sleep(3)
P
idle=$!
for ((i = 0; i < 50; i++)); do [ -e "$WORK/idle.ready" ] && break; sleep 0.1; done
normal "200 idle connections"
normal "200 idle connections, again"
wait $idle

# 100 MiB body: 413 (the limit is 10 MiB), or a close once the limit is passed.
CHECKS=$((CHECKS + 1))
code=$(head -c $((100 << 20)) /dev/zero | curl -s -o /dev/null -w '%{http_code}' --max-time 30 \
  -H 'Content-Type: application/octet-stream' --data-binary @- "http://127.0.0.1:$PORT/big")
[ "$code" = 413 ] || { RC=$code OUT= ERR=; fail "100 MiB body: expected 413"; }
normal "100 MiB body"

B=$WORK/bytes
head -c 4096 /dev/urandom >"$B"
raw "random bytes" '400|closed' <"$B"
printf 'POST /t HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part' >"$B"
raw "truncated body" '400|closed' <"$B"
printf 'POST /t HTTP/1.1\r\nHost: x\r\nContent-Le' >"$B"
raw "truncated headers" '400|closed' <"$B"
python3 -c 'import sys; sys.stdout.buffer.write(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n")' >"$B"
raw "1 MiB header line" '400|431|closed' <"$B"
printf 'POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n' >"$B"
raw "invalid chunk size" '400|closed' <"$B"
printf 'POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab' >"$B"
raw "truncated chunk" '400|closed' <"$B"
printf 'POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffffff\r\nabc\r\n' >"$B"
raw "chunk size overflow" '400|413|closed' <"$B"
# A request the listener answers itself ends its connection: what follows it on the same
# connection is not read as another request (the record check below would see /pipelined).
printf 'GARBAGE\r\n\r\nGET /pipelined HTTP/1.1\r\nHost: x\r\n\r\n' >"$B"
CHECKS=$((CHECKS + 1))
got=$(python3 "$SRC/tests/cli/raw_http.py" "$PORT" all <"$B")
[ "$got" = "400 close" ] || { RC= OUT=$got ERR=; fail "malformed then pipelined: expected one 400 with Connection: close"; }
python3 -c 'import sys; sys.stdout.buffer.write(b"POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 20000000\r\n\r\n" + b"a" * 20000000 + b"GET /pipelined HTTP/1.1\r\nHost: x\r\n\r\n")' >"$B"
CHECKS=$((CHECKS + 1))
got=$(python3 "$SRC/tests/cli/raw_http.py" "$PORT" all <"$B")
[ "$got" = "413 close" ] || { RC= OUT=$got ERR=; fail "too large then pipelined: expected one 413 with Connection: close"; }
CHECKS=$((CHECKS + 1))
grep -Eq '^hooktool: answered 400 to 127\.0\.0\.1:[0-9]+: malformed HTTP: the request line is not METHOD TARGET HTTP/1\.1$' "$WORK/faults.err" ||
  { RC= OUT= ERR=$(grep answered "$WORK/faults.err"); fail "a rejection should name the remote address"; }
normal "malformed then pipelined"
# A chunk shorter than its size ("abc\r\n" read as its 5 bytes would leave "0\r\n\r\n" unframed).
printf 'POST /t HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc\r\n0\r\n\r\n' >"$B"
raw "chunk shorter than its size" '400|closed' <"$B"
# Both framings at once is refused (the way a body smuggles a request past a proxy). Whitespace
# before the colon, obs-fold, a bare LF and a long target: tests/stress/test_attack_framing.sh.
printf 'POST /t HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n' >"$B"
raw "Content-Length and Transfer-Encoding" '400' <"$B"

wait $trickle
CHECKS=$((CHECKS + 1))
[[ $(cat "$WORK/trickle.out") =~ ^closed\ after\ [5-8]\ s$ ]] ||
  { RC= OUT=$(cat "$WORK/trickle.out") ERR=; fail "a trickled head should be cut off after about 5 s"; }

kill -TERM "${PIDS[faults]}"
finished faults
expect_rc 0 "listen after SIGTERM"
# Only the normal requests reached the handler and the record.
CHECKS=$((CHECKS + 1))
bad=$(grep -vc '"path":"/after"' "$WORK/faults.jsonl")
[ "$bad" = 0 ] || { OUT=$(grep -v '"path":"/after"' "$WORK/faults.jsonl" | cut -c1-300); fail "only /after requests should be recorded; $bad others were"; }
finish
