#!/usr/bin/env bash
# Issue 12: 2,000 slow bodies (a head announcing 1,000,000 bytes, then one byte a second; one opened
# again whenever the listener ends one): a valid hook is still answered within 100 ms (p99 of 50
# probes), and the listener's peak RSS stays under 512 MiB.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

listen bodies --record "$WORK/bodies.jsonl"
attack bodies "$PORT" --count 2000 --pid "${PIDS[bodies]}"
must started == "${R[count]}" "every attacking connection connected"
must answered == "${R[probes]}" "every probe answered 200"
must alive == 1 "the listener survives"
goal p99_ms '<=' 100 "probe p99"
goal rss_mib '<' 512 "listener peak RSS (MiB)"
listener_ok bodies "slow bodies"
stop bodies "slow bodies"
CHECKS=$((CHECKS + 1))
bad=$(grep -vc '"path":"/probe"' "$WORK/bodies.jsonl")
[ "$bad" = 0 ] || { OUT=$(grep -v '"path":"/probe"' "$WORK/bodies.jsonl" | cut -c1-300); fail "only /probe should be recorded (a body cut short is not a request); $bad others were"; }
finish
