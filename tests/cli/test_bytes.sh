#!/usr/bin/env bash
# Bytes as they arrived: a request whose path, query and header values hold bytes that are not
# UTF-8 (and obs-text) is sent over a raw socket to `listen --record`, shown escaped, recorded
# exactly, and `replay` sends those same bytes to a raw receiver on loopback, compared byte for
# byte. Then every record of the fuzz corpus (fuzz/corpus/capture) replays.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
export TZ=UTC

# raw_receiver PORT_FILE DIR: a receiver that keeps each request's bytes as they came, in
# DIR/1, DIR/2, ..., and answers 200; it reads the head and a Content-Length body.
raw_receiver() {
  mkdir -p "$2"
  python3 - "$1" "$2" <<'PY' &
import os, socket, sys
port_file, out = sys.argv[1], sys.argv[2]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(64)
open(port_file + ".tmp", "w").write(str(s.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
n = 0
while True:
    c, _ = s.accept()
    c.settimeout(10)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = c.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = c.recv(65536)
            if not chunk:
                break
            body += chunk
        n += 1
        with open(os.path.join(out, str(n)), "wb") as f:
            f.write(head + b"\r\n\r\n" + body)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    except Exception:
        pass
    c.close()
PY
  RECEIVER=$!
  local i
  for ((i = 0; i < 100; i++)); do
    [ -s "$1" ] && break
    sleep 0.1
  done
}
raw_receiver "$WORK/raw.port" "$WORK/raw"
RAW=$(cat "$WORK/raw.port")
trap 'kill $RECEIVER 2>/dev/null; rm -rf "$WORK"' EXIT

# The request as a sender sends it: bytes that are not UTF-8 in the path (\xe9 \xff), the query
# (\xfe, and a %-escape that stays as sent), a header value (\xff, and Latin-1 obs-text \xe9), a
# second value with obs-text after a space, and a body that is not UTF-8.
cat >"$WORK/send.py" <<'PY'
import socket, sys
port, out = int(sys.argv[1]), sys.argv[2]
body = b"\xff\x00bin\xe9"
head = (b"POST /caf\xe9/\xff?q=\xfe&r=%41 HTTP/1.1\r\n"
        b"Host: 127.0.0.1\r\n"
        b"User-Agent: raw/1\r\n"
        b"Accept: */*\r\n"
        b"Content-Type: application/octet-stream\r\n"
        b"X-Bin: ab\xff\xe9t\xe9\r\n"
        b"X-Obs: caf\xe9 \x80end\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
open(out, "wb").write(head + body)
c = socket.create_connection(("127.0.0.1", port), timeout=10)
c.sendall(head + body)
answer = b""
while b"\r\n\r\n" not in answer:
    chunk = c.recv(4096)
    if not chunk:
        break
    answer += chunk
print(answer.split(b"\r\n")[0].decode())
PY

listen rec --record "$WORK/rec.jsonl" --count 1
run_py() { python3 "$WORK/send.py" "$@"; }
CHECKS=$((CHECKS + 1))
[ "$(run_py "${PORTS[rec]}" "$WORK/sent")" = "HTTP/1.1 200 OK" ] || fail "the listener answers the raw request"
finished rec
expect_rc 0 "listen --count 1"
# Shown escaped: never raw, never U+FFFD.
expect_out_has 'POST /caf\xe9/\xff?q=\xfe&r=%41 HTTP/1.1' "the request line is shown escaped"
expect_out_has 'X-Bin: ab\xff\xe9t\xe9' "a header value is shown escaped"
expect_out_has 'X-Obs: caf\xe9 \x80end' "obs-text is shown escaped"
CHECKS=$((CHECKS + 1))
if LC_ALL=C grep -q $'\xef\xbf\xbd\|\xff\|\xfe' "$WORK/rec.out"; then fail "listen printed U+FFFD or raw bytes"; fi

# The record: escaped text, the exact bytes beside it.
REC=$(cat "$WORK/rec.jsonl")
OUT=$REC
expect_out_has '"path":"/caf\\xe9/\\xff","path_bytes":"L2NhZukv/w==","query":"q=\\xfe&r=%41","query_bytes":"cT3+JnI9JTQx"' \
  "the record keeps the path and query bytes"
expect_out_has '["X-Bin","ab\\xff\\xe9t\\xe9"],["X-Obs","caf\\xe9 \\x80end"]' "the record shows header bytes escaped"
expect_out_has '"body":"/wBiaW7p","body_base64":true' "the body is base64"

# replay sends exactly those bytes.
run replay "$WORK/rec.jsonl" "http://127.0.0.1:$RAW"
expect_rc 0 "replay to the raw receiver"
expect_out_has '> POST /caf\xe9/\xff?q=\xfe&r=%41 HTTP/1.1' "replay shows the request line escaped"
expect_out_has '> X-Bin: ab\xff\xe9t\xe9' "replay shows a header escaped"
CHECKS=$((CHECKS + 1))
if LC_ALL=C grep -q $'\xef\xbf\xbd\|\xff\|\xfe' "$WORK/out"; then fail "replay printed U+FFFD or raw bytes"; fi
run replay "$WORK/rec.jsonl" "http://127.0.0.1:$RAW" --json
expect_rc 0 "replay --json"
expect_out_has '"url": "http://127.0.0.1:'"$RAW"'/caf\\xe9/\\xff?q=\\xfe&r=%41"' "replay --json shows the URL escaped"
expect_out_has '"ab\\xff\\xe9t\\xe9"' "replay --json shows a header value escaped"
CHECKS=$((CHECKS + 1))
if LC_ALL=C grep -q $'\xef\xbf\xbd' "$WORK/out"; then fail "replay --json printed U+FFFD"; fi
# Compared byte for byte: the request line, the sender's headers in order (Host and
# Content-Length are the connection's, written by the client for its own connection), the body.
cat >"$WORK/compare.py" <<'PY'
import sys
def parts(path):
    data = open(path, "rb").read()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    keep = [l for l in lines[1:] if l.split(b":")[0].lower() not in (b"host", b"content-length")]
    return lines[0], keep, body
want, got = parts(sys.argv[1]), parts(sys.argv[2])
for what, a, b in zip(("request line", "headers", "body"), want, got):
    if a != b:
        print("%s: sent %r, replayed %r" % (what, a, b))
        sys.exit(1)
print("same bytes")
PY
OUT=$(python3 "$WORK/compare.py" "$WORK/sent" "$WORK/raw/1" 2>&1)
RC=$?
expect_rc 0 "replay sends the bytes that arrived"
expect_out "same bytes" "replay sends the bytes that arrived"

# listen --json carries the same record: the bytes survive it too.
listen js --json --count 1
run_py "${PORTS[js]}" "$WORK/sent2" >/dev/null
finished js
OUT=$(cat "$WORK/js.out")
expect_out_has '"path_bytes":"L2NhZukv/w=="' "listen --json keeps the path bytes"
head -n1 "$WORK/js.out" >"$WORK/js.jsonl"
run replay "$WORK/js.jsonl" "http://127.0.0.1:$RAW"
expect_rc 0 "replay of a listen --json line"
OUT=$(python3 "$WORK/compare.py" "$WORK/sent" "$WORK/raw/3" 2>&1)
RC=$?
expect_out "same bytes" "replay of a listen --json line sends the bytes that arrived"

# A NUL byte in the request line cannot be sent (HTTP forbids it, libcurl's strings end at it):
# that request is not sent, and said; the others are.
printf '%s\n' '{"method":"POST","path":"/a\u0000b","query":"","headers":[],"body":""}' \
  '{"method":"POST","path":"/fine","query":"","headers":[["X-Empty",""]],"body":""}' >"$WORK/nul.jsonl"
run replay "$WORK/nul.jsonl" "http://127.0.0.1:$RAW" --all
expect_rc 2 "a request line with a NUL byte"
expect_err_has "hooktool: note: request 1 of $WORK/nul.jsonl: its request line holds a NUL byte, which HTTP does not allow and libcurl cannot send: not sent" "the NUL is said"
expect_err_has "hooktool: note: request 2 of $WORK/nul.jsonl: header 1 (X-Empty) has an empty value, which libcurl cannot send: left out" "the empty header is said"
expect_out_has "request 2 of $WORK/nul.jsonl" "the other request is sent"
CHECKS=$((CHECKS + 1))
[ "$(ls "$WORK/raw" | wc -l)" = 4 ] || fail "only the request without a NUL reached the receiver"
CHECKS=$((CHECKS + 1))
head -n1 "$WORK/raw/4" | grep -q '^POST /fine HTTP/1.1' || fail "the second request was sent"

# Every record of the fuzz corpus replays: fuzz/corpus/capture holds the records that
# `listen --record` wrote for the listener fuzzer's corpus (raw bytes a fuzz run sent), and the
# capture target's seeds. All of them are read and sent, in one `replay --all`, to the raw
# receiver, and each request received is compared with the one its record describes, rebuilt
# here by a reader of our own: the method and target byte for byte, the headers that are not the
# transport's in order and byte for byte, the body.
cat "$SRC"/fuzz/corpus/capture/* >"$WORK/corpus.jsonl"
rm -rf "$WORK/raw" && mkdir -p "$WORK/raw"
kill $RECEIVER 2>/dev/null
wait $RECEIVER 2>/dev/null
rm -f "$WORK/raw.port"
raw_receiver "$WORK/raw.port" "$WORK/raw"
RAW=$(cat "$WORK/raw.port")
started=$(date +%s%N)
run replay "$WORK/corpus.jsonl" "http://127.0.0.1:$RAW" --all --json
ms=$(( ($(date +%s%N) - started) / 1000000 ))
expect_rc 0 "every record of the fuzz corpus replays"
cp "$WORK/err" "$WORK/replay.err"
cat >"$WORK/corpus.py" <<'PY'
import base64, json, os, sys
records, raw, notes = sys.argv[1], sys.argv[2], sys.argv[3]
HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"transfer-encoding", b"upgrade",
       b"trailer", b"host", b"content-length", b"expect"}
def exact(rec, name):
    return base64.b64decode(rec[name + "_bytes"]) if name + "_bytes" in rec else rec.get(name, "").encode()
lines = open(records, "rb").read().splitlines()
bad = 0
left_out = set()
for i, line in enumerate(lines, 1):
    rec = json.loads(line)
    headers = [[k.encode(), v.encode()] for k, v in rec.get("headers", [])]
    for index, name, value in rec.get("headers_bytes", []):
        headers[index] = [base64.b64decode(name), base64.b64decode(value)]
    body = base64.b64decode(rec["body"]) if rec.get("body_base64") else rec.get("body", "").encode()
    target = exact(rec, "path") + (b"?" + exact(rec, "query") if exact(rec, "query") else b"")
    want_line = exact(rec, "method") + b" " + (target or b"/") + b" "
    want = []
    for n, (name, value) in enumerate(headers, 1):
        if name.lower() in HOP:
            continue
        # What libcurl's header list cannot carry (a NUL, no name, an empty value) is left out,
        # and replay says so, naming it; the strict head parser refuses such heads anyway.
        if not name or b"\0" in name + value or not value.strip(b" \t\r\n\v\f"):
            left_out.add("request %d of %s: header %d " % (i, records, n))
            continue
        want.append(name + b": " + value)
    got = open(os.path.join(raw, str(i)), "rb").read()
    head, _, got_body = got.partition(b"\r\n\r\n")
    got_lines = head.split(b"\r\n")
    got_headers = [l for l in got_lines[1:] if l.split(b":")[0].lower() not in (b"host", b"content-length")]
    # The version is the connection's (libcurl speaks HTTP/1.1); the rest must be the same bytes.
    if not got_lines[0].startswith(want_line) or got_headers != want or got_body != body:
        bad += 1
        print("record %d: sent %r %r %r" % (i, got_lines[0], got_headers, got_body[:80]))
        print("  recorded %r %r %r" % (want_line, want, body[:80]))
said = set()
for line in open(notes).read().splitlines():
    prefix = "hooktool: note: "
    if not (line.startswith(prefix) and line.endswith(", which libcurl cannot send: left out")):
        print("unexpected on stderr: %r" % line)
        bad += 1
        continue
    said.add(line[len(prefix):line.index("(")])
if said != left_out:
    print("left out without a word: %r; said but sent: %r" % (left_out - said, said - left_out))
    bad += 1
print("%d records replayed, %d differ; %d headers left out, each said"
      % (len(lines), bad, len(left_out)))
sys.exit(1 if bad or len(os.listdir(raw)) != len(lines) else 0)
PY
OUT=$(python3 "$WORK/corpus.py" "$WORK/corpus.jsonl" "$WORK/raw" "$WORK/replay.err" 2>&1)
RC=$?
echo "fuzz corpus: $(tail -n1 <<<"$OUT") in $ms ms"
expect_rc 0 "every record of the fuzz corpus is sent as recorded"
expect_out_has "$(grep -c '' "$WORK/corpus.jsonl") records replayed, 0 differ" "the whole corpus was compared"

finish
