#!/usr/bin/env bash
# Issue 12, memory: the listener's peak RSS stays under 512 MiB, stated per attack, each on a fresh
# listener: four heads of 1,000,000 header lines (12.9 MB) at once (answered 431 or 400, then a
# close); 64 gzip bombs (1 MB that decodes to 1 GiB, under --max-body) at once (answered 200); 100
# POSTs at once whose forwarded answers are 5 MiB each (--route; the listener relays answers up to
# 1 MiB and answers 502 to a bigger one, having read no more than that of it).
# After each, a normal POST is answered 200.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

listen bigheads --record "$WORK/bigheads.jsonl"
attack bigheads "$PORT" --count 4 --headers 1000000 --pid "${PIDS[bigheads]}"
must refused_closed == "${R[count]}" "every huge head answered 431 or 400, then closed"
must after == 200 "a POST after the huge heads"
must alive == 1 "the listener survives huge heads"
goal rss_mib '<' 512 "listener peak RSS (MiB), huge heads"
stop bigheads "huge heads"
CHECKS=$((CHECKS + 1))
bad=$(grep -vc '"path":"/after"' "$WORK/bigheads.jsonl")
[ "$bad" = 0 ] || { OUT=$(grep -v '"path":"/after"' "$WORK/bigheads.jsonl" | cut -c1-300); fail "a huge head was recorded"; }

listen bombs --record "$WORK/bombs.jsonl"
attack bombs "$PORT" --count 64 --size 1GiB --cache "$WORK/bomb.gz" --pid "${PIDS[bombs]}"
must ok == "${R[count]}" "every gzip bomb answered 200"
must after == 200 "a POST after the gzip bombs"
must alive == 1 "the listener survives gzip bombs"
goal rss_mib '<' 512 "listener peak RSS (MiB), gzip bombs"
stop bombs "gzip bombs"
CHECKS=$((CHECKS + 1))
n=$(grep -c '"path":"/bomb"' "$WORK/bombs.jsonl")
[ "$n" = "${R[count]}" ] || { OUT=; fail "every bomb is recorded (as it arrived): expected ${R[count]}, got $n"; }
rm -f "$WORK/bomb.gz" "$WORK/bombs.jsonl" "$WORK/bombs.out"

python3 "$ATTACK" serve big "$WORK/big.port" --size 5MiB 2>"$WORK/big.err" &
big=$!
for ((i = 0; i < 100; i++)); do [ -s "$WORK/big.port" ] && break; sleep 0.1; done
CHECKS=$((CHECKS + 1))
[ -s "$WORK/big.port" ] || { RC= OUT= ERR=$(cat "$WORK/big.err"); fail "the 5 MiB app did not start"; }
listen bigforward --route "/big=http://127.0.0.1:$(cat "$WORK/big.port")" --record "$WORK/bigforward.jsonl"
attack bigforward "$PORT" --count 100 --size 5MiB --pid "${PIDS[bigforward]}"
must capped == "${R[count]}" "every forwarded 5 MiB answer is refused as above the relay limit (502)"
must after == 200 "a POST after the forwarded answers"
must alive == 1 "the listener survives forwarded 5 MiB answers"
goal rss_mib '<' 512 "listener peak RSS (MiB), forwarded 5 MiB answers"
kill "$big"
wait "$big" 2>/dev/null
# ... and 100 at once of the largest answer relayed, 1 MiB: each arrives whole.
python3 "$ATTACK" serve big "$WORK/big1.port" --size 1MiB 2>"$WORK/big1.err" &
big=$!
for ((i = 0; i < 100; i++)); do [ -s "$WORK/big1.port" ] && break; sleep 0.1; done
listen bigforward1 --route "/big=http://127.0.0.1:$(cat "$WORK/big1.port")"
attack bigforward "$PORT" --count 100 --size 1MiB --pid "${PIDS[bigforward1]}"
must whole == "${R[count]}" "every forwarded 1 MiB answer arrives whole"
must alive == 1 "the listener survives forwarded 1 MiB answers"
goal rss_mib '<' 512 "listener peak RSS (MiB), forwarded 1 MiB answers"
stop bigforward1 "forwarded 1 MiB answers"
kill "$big"
wait "$big" 2>/dev/null
stop bigforward "forwarded 5 MiB answers"
finish
