#!/usr/bin/env bash
# Issue 12: the listener's stdout is a pipe nobody reads (it fills after 64 KiB) while 2,000 POSTs
# of 256 KiB of JSON arrive, 16 at a time: every one is answered 200 and recorded, and the
# listener's peak RSS stays under 512 MiB (the screen may drop lines; the record may not).
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

mkfifo "$WORK/stdout.fifo"
exec 7<>"$WORK/stdout.fifo" # the only reader, and it never reads
rm -f "$WORK/stdout.port"
"$HOOKTOOL" --color never listen 127.0.0.1:0 --port-file "$WORK/stdout.port" --record "$WORK/stdout.jsonl" \
  >"$WORK/stdout.fifo" 2>"$WORK/stdout.err" </dev/null 7<&- &
PIDS[stdout]=$!
for ((i = 0; i < 100; i++)); do [ -s "$WORK/stdout.port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/stdout.port" 2>/dev/null)
CHECKS=$((CHECKS + 1))
[ -n "$PORT" ] || { RC= OUT= ERR=$(cat "$WORK/stdout.err"); fail "stdout: no port file within 10 s"; }

attack posts "$PORT" --what 'stdout into a pipe nobody reads' --count 2000 --size 256KiB \
  --concurrency 16 --timeout 30 --pid "${PIDS[stdout]}"
must ok == "${R[count]}" "every POST answered 200 while stdout is full"
must after == 200 "a POST after them"
must alive == 1 "the listener survives a full stdout"
goal rss_mib '<' 512 "listener peak RSS (MiB), stdout not read"
listener_ok stdout "stdout into a pipe nobody reads"
kill -TERM "${PIDS[stdout]}" 2>/dev/null
exec 7>&- # the reader goes: a listener stuck writing gets EPIPE
touch "$WORK/stdout.out" # (finished reads it)
finished stdout
# Every request answered is in the record, whole (whatever the screen dropped).
CHECKS=$((CHECKS + 1))
got=$(python3 - "$WORK/stdout.jsonl" <<'P'
import json, sys
n = 0
for line in open(sys.argv[1], 'rb'):
    r = json.loads(line)
    n += r['path'] == '/hook' and len(r['body']) == 256 * 1024
print(n)
P
)
# (It may hold a few more: requests in flight when attack.py stopped waiting.)
[ "$got" -ge "${R[ok]}" ] 2>/dev/null ||
  { OUT=$got ERR=$(tail -n 3 "$WORK/stdout.err"); fail "the record should hold the ${R[ok]} POSTs answered, whole; it holds $got"; }
finish
