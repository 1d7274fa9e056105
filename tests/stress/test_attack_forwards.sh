#!/usr/bin/env bash
# Issue 12: 1,000 requests forwarded (--route /slow=...) to an app that accepts and never answers,
# kept in flight: a valid hook to another path, answered by the listener itself, is still answered
# within 100 ms (p99 of 50 probes), and the listener's peak RSS stays under 512 MiB.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

python3 "$ATTACK" serve hang "$WORK/hang.port" 2>"$WORK/hang.err" &
hang=$!
for ((i = 0; i < 100; i++)); do [ -s "$WORK/hang.port" ] && break; sleep 0.1; done
CHECKS=$((CHECKS + 1))
[ -s "$WORK/hang.port" ] || { RC= OUT= ERR=$(cat "$WORK/hang.err"); fail "the hanging app did not start"; }
listen forwards --route "/slow=http://127.0.0.1:$(cat "$WORK/hang.port")" --record "$WORK/forwards.jsonl"
attack forwards "$PORT" --count 1000 --path /slow --probe-path /probe --pid "${PIDS[forwards]}"
must started == "${R[count]}" "every attacking connection connected"
must answered == "${R[probes]}" "every probe answered 200"
must alive == 1 "the listener survives"
goal p99_ms '<=' 100 "probe p99"
goal rss_mib '<' 512 "listener peak RSS (MiB)"
listener_ok forwards "forwards to a hanging app"
kill "$hang"
wait "$hang" 2>/dev/null
stop forwards "forwards to a hanging app"
finish
