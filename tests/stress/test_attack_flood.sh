#!/usr/bin/env bash
# Issue 12: 1,000 connections posting 1 KiB hooks back to back (keep-alive) for 6 s, as wrk -c1000
# does: no connection waits more than 1 s for its first answer (timed from connect()), every one
# gets answers, new POSTs meanwhile are answered, and the listener's peak RSS stays under 512 MiB.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

listen flood --record "$WORK/flood.jsonl"
attack flood "$PORT" --count 1000 --seconds 6 --pid "${PIDS[flood]}"
must answered '>' 0 "hooks answered"
must probes_answered == "${R[probes]}" "every new POST answered 200"
must alive == 1 "the listener survives"
goal no_answer == 0 "connections that got no answer at all"
goal first_max_ms '<=' 1000 "slowest first answer"
goal rss_mib '<' 512 "listener peak RSS (MiB)"
listener_ok flood "flood"
stop flood "flood"
finish
