#!/usr/bin/env bash
# Issue 12: 2,000 stalled TLS handshakes on `listen --tls` (each sends half a ClientHello and
# waits; one opened again whenever the listener ends one): a valid hook over HTTPS (handshake
# included in its time) is still answered within 100 ms (p99 of 50 probes), and the listener's peak
# RSS stays under 512 MiB.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

listen tls --tls --record "$WORK/tls.jsonl"
attack tls "$PORT" --count 2000 --tls --pid "${PIDS[tls]}"
must started == "${R[count]}" "every attacking connection connected"
must answered == "${R[probes]}" "every probe answered 200"
must alive == 1 "the listener survives"
goal p99_ms '<=' 100 "probe p99"
goal rss_mib '<' 512 "listener peak RSS (MiB)"
listener_ok tls "stalled TLS handshakes"
stop tls "stalled TLS handshakes"
finish
