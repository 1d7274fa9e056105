# Shared by tests/stress/test_attack_*.sh (sourced after tests/cli/lib.sh): runs an attack of
# tests/stress/attack.py, prints its figure line, and asserts on its RESULT fields.
# HOOKTOOL_STRESS_LIGHT=1 (the sanitizer pass): attack.py runs at 1/10 scale, and `goal` checks
# are printed but not asserted; `must` checks (answers, no crash) always are.
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed (scripts/deps test)"; exit 77; }
LIGHT=${HOOKTOOL_STRESS_LIGHT:-0}
[ "$LIGHT" = 0 ] || LIGHT=1
export HOOKTOOL_STRESS_LIGHT=$LIGHT
ATTACK="$SRC/tests/stress/attack.py"
# Thousands of connections: the soft open-file limit up to the hard one, for the listener (started
# after this) and attack.py alike; attack.py scales an attack down when even that is too low.
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
declare -A R

# attack ARGS...: runs attack.py ARGS (240 s at most), prints its figure lines, sets R[field].
attack() {
  local out
  out=$(timeout 240 python3 "$ATTACK" "$@" 2>"$WORK/attack.err")
  RC=$? OUT=$out ERR=$(tail -n 5 "$WORK/attack.err")
  grep '^attack: ' <<<"$out"
  R=([count]=none)
  local kv
  for kv in $(sed -n 's/^RESULT //p' <<<"$out" | tail -n 1); do R[${kv%%=*}]=${kv#*=}; done
  CHECKS=$((CHECKS + 1))
  [ "$RC" = 0 ] && [ -n "${R[attack]:-}" ] || fail "attack.py $1: no result (exit $RC)"
}
# holds FIELD OP VALUE: FIELD of the last RESULT compared with awk (a missing field fails).
holds() { awk -v a="${R[$1]:-}" -v b="$3" "BEGIN { exit !(a != \"\" && a $2 b) }"; }
# must FIELD OP VALUE WHAT: asserted in every run.
must() {
  CHECKS=$((CHECKS + 1))
  holds "$1" "$2" "$3" || fail "$4: expected $1 $2 $3, got ${R[$1]:-nothing}"
}
# goal FIELD OP VALUE WHAT: asserted unless HOOKTOOL_STRESS_LIGHT=1 (then only said when missed).
goal() {
  if [ "$LIGHT" = 1 ]; then
    holds "$1" "$2" "$3" || echo "note: light run: $4: $1 is ${R[$1]:-nothing}, the goal is $2 $3"
    return 0
  fi
  must "$@"
}
# listener_ok NAME WHAT: the listener NAME is still running.
listener_ok() {
  CHECKS=$((CHECKS + 1))
  kill -0 "${PIDS[$1]}" 2>/dev/null || { RC= OUT= ERR=$(tail -n 5 "$WORK/$1.err"); fail "$2: the listener died"; }
}
# stop NAME WHAT: SIGTERM, then the listener must exit 0 within 10 s.
stop() {
  kill -TERM "${PIDS[$1]}" 2>/dev/null
  finished "$1"
  OUT=${OUT:0:300}
  expect_rc 0 "$2: listen after SIGTERM"
}
