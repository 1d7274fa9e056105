#!/usr/bin/env bash
# Issue 12: 10,000 partial heads trickling, one header line a second (one opened again whenever
# the listener ends one): a valid hook is still answered within 100 ms (p99 of 50 probes), and the
# listener's peak RSS stays under 512 MiB.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

listen heads --record "$WORK/heads.jsonl"
attack heads "$PORT" --count 10000 --pid "${PIDS[heads]}"
must started == "${R[count]}" "every attacking connection connected"
must answered == "${R[probes]}" "every probe answered 200"
must alive == 1 "the listener survives"
goal p99_ms '<=' 100 "probe p99"
goal rss_mib '<' 512 "listener peak RSS (MiB)"
listener_ok heads "partial heads"
stop heads "partial heads"
# Only the probes reached the record: no partial head became a request.
CHECKS=$((CHECKS + 1))
bad=$(grep -vc '"path":"/probe"' "$WORK/heads.jsonl")
[ "$bad" = 0 ] || { OUT=$(grep -v '"path":"/probe"' "$WORK/heads.jsonl" | cut -c1-300); fail "only /probe should be recorded; $bad others were"; }
finish
