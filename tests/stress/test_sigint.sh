#!/usr/bin/env bash
# SIGINT in the middle of a burst: the record file holds only whole lines (each valid JSON), and
# the summary on stderr counts exactly those requests.
source "$(dirname "$0")/../cli/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed (scripts/deps test)"; exit 77; }

listen burst --record "$WORK/burst.jsonl"
head -c 20000 /dev/urandom | base64 -w0 >"$WORK/body.txt"  # 27 KB lines: a torn write would show
timeout 60 "$HOOKTOOL" send --vendor esputnik "http://127.0.0.1:$PORT/hook" --data "@$WORK/body.txt" --count 100000 \
  --concurrency 16 >/dev/null 2>&1 &
sender=$!
for ((i = 0; i < 100; i++)); do
  [ "$(wc -l <"$WORK/burst.jsonl" 2>/dev/null || echo 0)" -ge 500 ] && break
  sleep 0.05
done
kill -INT "${PIDS[burst]}"
finished burst
kill "$sender" 2>/dev/null
wait "$sender" 2>/dev/null
expect_rc 0 "listen after SIGINT"
check=$(python3 - "$WORK/burst.jsonl" <<'P'
import json, sys
data = open(sys.argv[1], 'rb').read()
assert data.endswith(b'\n'), 'partial last line'
lines = data.split(b'\n')[:-1]
for l in lines: json.loads(l)
print(len(lines))
P
)
CHECKS=$((CHECKS + 1))
[[ $check =~ ^[0-9]+$ ]] && [ "$check" -gt 0 ] || fail "record file: $check"
expect_err_has "interrupted"
expect_err_has "hooktool: $check requests"
finish
