#!/usr/bin/env bash
# Issue 12: SIGKILL while 5 MiB POSTs are being recorded, 10 runs (3 when light), each on a fresh
# record file holding one small request first: `hooktool replay FILE --index 1` still works
# (exit 0, the receiver gets the request), and a torn last line is skipped with a warning that
# names it. The figure: how many runs left a torn last line.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed (scripts/deps test)"; exit 77; }

RUNS=10
[ "$LIGHT" = 1 ] && RUNS=3
head -c $((5 << 20)) /dev/urandom | base64 -w 0 | head -c $((5 << 20)) >"$WORK/big.txt"
listen receiver --record "$WORK/received.jsonl"
torn=0 replayed=0
for ((run = 1; run <= RUNS; run++)); do
  rec="$WORK/crash-$run.jsonl"
  listen crash --record "$rec"
  post crash -d 'first=1' /first
  expect_code 200 "run $run: the first POST"
  # Four senders posting 5 MiB back to back (each stops at its first failure: the kill), killed
  # after 0.2 to 0.9 s, while some requests arrive and others are being written.
  curls=()
  for ((i = 0; i < 4; i++)); do
    for ((j = 0; j < 50; j++)); do
      curl -sf -o /dev/null --max-time 10 -H 'Content-Type: text/plain' --data-binary "@$WORK/big.txt" \
        "http://127.0.0.1:$PORT/big" || break
    done &
    curls+=($!)
  done
  sleep "0.$((RANDOM % 8 + 2))"
  kill -KILL "${PIDS[crash]}"
  finished crash
  wait "${curls[@]}" 2>/dev/null
  lines=$(grep -c '' "$rec")
  last_torn=0
  [ -s "$rec" ] && [ "$(tail -c 1 "$rec" | od -An -c | tr -d ' ')" != '\n' ] && last_torn=1
  torn=$((torn + last_torn))
  run replay "$rec" --index 1 "http://127.0.0.1:${PORTS[receiver]}"
  expect_rc 0 "run $run: replay --index 1 after SIGKILL ($lines lines, torn: $last_torn)"
  [ "$RC" = 0 ] && replayed=$((replayed + 1))
  if [ "$last_torn" = 1 ]; then
    expect_err_has "skipped the last line, cut off" "run $run: the torn line is said"
    expect_err_has "$rec:$lines" "run $run: the warning names the line"
  fi
done
stop receiver "receiver"
CHECKS=$((CHECKS + 1))
n=$(grep -c '"path":"/first"' "$WORK/received.jsonl")
[ "$n" = "$RUNS" ] || { OUT=$n ERR=; fail "the receiver should have got /first $RUNS times"; }
echo "attack: SIGKILL during 5 MiB POSTs, $RUNS runs: a torn last line in $torn of $RUNS, replay --index 1 worked in $replayed of $RUNS"
finish
