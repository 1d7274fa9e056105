#!/usr/bin/env bash
# Load: 100,000 requests (HOOKTOOL_STRESS_REQUESTS) from `hooktool send --count` (16 in flight)
# into `listen --record --json`; every request sent is answered, recorded once as one valid JSON
# line, and printed once.
source "$(dirname "$0")/../cli/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed (scripts/deps test)"; exit 77; }
N=${HOOKTOOL_STRESS_REQUESTS:-100000}

listen load --record "$WORK/load.jsonl" --json
printf '{"n":1}' >"$WORK/body.json"
timeout 180 "$HOOKTOOL" send --vendor esputnik "http://127.0.0.1:$PORT/hook" --data "@$WORK/body.json" \
  -H 'Content-Type: application/json' --count "$N" --concurrency 16 >"$WORK/send.out" 2>"$WORK/send.err"
RC=$? OUT=$(tail -n 5 "$WORK/send.out") ERR=$(tail -n 5 "$WORK/send.err")
expect_rc 0 "send --count $N"
kill -TERM "${PIDS[load]}"
finished load
expect_rc 0 "listen after SIGTERM"
check=$(python3 - "$WORK/load.jsonl" "$WORK/load.out" <<'P'
import json, sys
def lines(path):
    data = open(path, 'rb').read()
    assert data.endswith(b'\n'), path + ' ends in a partial line'
    out = data.split(b'\n')[:-1]
    for l in out:
        r = json.loads(l)
        assert r['body'] == '{"n":1}' and r['path'] == '/hook', l
    return len(out)
print(lines(sys.argv[1]), lines(sys.argv[2]))
P
)
CHECKS=$((CHECKS + 1))
[ "$check" = "$N $N" ] || fail "expected $N recorded and $N printed lines, all valid JSON; got <$check>"
expect_err_has "hooktool: $N requests"
finish
