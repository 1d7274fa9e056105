#!/usr/bin/env bash
# Issue 12: 10,000 idle connections (connected, nothing sent; one opened again whenever the listener
# ends one): a valid hook is still answered within 100 ms (p99 of 50 probes), peak RSS < 512 MiB.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

listen idle --record "$WORK/idle.jsonl"
attack idle "$PORT" --count 10000 --pid "${PIDS[idle]}"
must started == "${R[count]}" "every attacking connection connected"
must answered == "${R[probes]}" "every probe answered 200"
must alive == 1 "the listener survives"
goal p99_ms '<=' 100 "probe p99"
goal rss_mib '<' 512 "listener peak RSS (MiB)"
listener_ok idle "idle connections"
stop idle "idle connections"
finish
