# Shared helpers for the CLI tests. Each test script sources this with the binary as $1.
set -u
HOOKTOOL=${1:?usage: test_x.sh PATH_TO_HOOKTOOL}
SRC=${HOOKTOOL_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
unset HOOKTOOL_KEY NO_COLOR
FAILS=0
CHECKS=0

# run ARGS...: runs hooktool with stdin from /dev/null unless redirected; sets OUT, ERR, RC.
run() {
  "$HOOKTOOL" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
  RC=$?
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}
# run_in FILE ARGS...: the same with stdin from FILE.
run_in() {
  local input=$1
  shift
  "$HOOKTOOL" "$@" >"$WORK/out" 2>"$WORK/err" <"$input"
  RC=$?
  OUT=$(cat "$WORK/out")
  ERR=$(cat "$WORK/err")
}

fail() {
  FAILS=$((FAILS + 1))
  echo "FAIL: $*" >&2
  echo "  rc=$RC" >&2
  echo "  stdout: ${OUT:0:600}" >&2
  echo "  stderr: ${ERR:0:600}" >&2
}
expect_rc() {
  CHECKS=$((CHECKS + 1))
  [ "$RC" = "$1" ] || fail "${2:-} expected exit $1"
}
expect_out() {
  CHECKS=$((CHECKS + 1))
  [ "$OUT" = "$1" ] || fail "${2:-} expected stdout <$1>"
}
expect_out_has() {
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$1" <<<"$OUT" || fail "${2:-} expected stdout to contain <$1>"
}
expect_err_has() {
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$1" <<<"$ERR" || fail "${2:-} expected stderr to contain <$1>"
}
# One line on stderr, of the form "hooktool: <what> (<where>)".
expect_one_line_error() {
  CHECKS=$((CHECKS + 1))
  local lines
  lines=$(printf '%s' "$ERR" | grep -c '')
  if [ "$lines" != 1 ] || ! grep -qE '^hooktool: .+ \(.+\)$' <<<"$ERR"; then
    fail "${1:-} expected one 'hooktool: <what> (<where>)' line on stderr"
  fi
}
# expect_input_error DESCRIPTION: the last run failed on bad input: exit 2, one error line, no stdout.
expect_input_error() {
  expect_rc 2 "$1"
  expect_one_line_error "$1"
  expect_out "" "$1: nothing on stdout"
}
# bad WHAT ARGS...: hooktool ARGS is a usage or input error: exit 2, one error line.
bad() {
  local what=$1
  shift
  run "$@"
  expect_rc 2 "$what"
  expect_one_line_error "$what"
}
expect_not_in_output() {
  CHECKS=$((CHECKS + 1))
  if grep -qF -- "$1" <<<"$OUT$ERR"; then fail "${2:-} secret leaked into output"; fi
}
# post NAME CURL-ARGS... PATH: one request to listener NAME; sets CODE (and BODY from the answer).
post() {
  local name=$1
  shift
  local path=${*: -1}
  CODE=$(curl -s --max-time 10 -o "$WORK/answer" -D "$WORK/answer-headers" -w '%{http_code}' "${@:1:$#-1}" \
    "http://127.0.0.1:${PORTS[$name]}$path")
  BODY=$(tr -d '\0' <"$WORK/answer") # binary answers are compared with cmp
}
expect_code() {
  CHECKS=$((CHECKS + 1))
  [ "$CODE" = "$1" ] || fail "${2:-} expected HTTP $1, got $CODE"
}
# Listener helpers, for the tests that run `hooktool listen` in the background.
declare -A PIDS PORTS
# listen NAME ARGS...: starts `hooktool listen 127.0.0.1:0 ARGS` in the background and waits (10 s
# at most) for its port file; sets PORT.
listen() {
  local name=$1
  shift
  rm -f "$WORK/$name.port"
  : >"$WORK/$name.out" # what finished reads; LISTEN_STDOUT sends stdout elsewhere (a fifo...)
  "$HOOKTOOL" --color never listen 127.0.0.1:0 --port-file "$WORK/$name.port" "$@" \
    >"${LISTEN_STDOUT:-$WORK/$name.out}" 2>"$WORK/$name.err" </dev/null &
  PIDS[$name]=$!
  local i
  for ((i = 0; i < 100; i++)); do
    [ -s "$WORK/$name.port" ] && break
    kill -0 "${PIDS[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  PORT=$(cat "$WORK/$name.port" 2>/dev/null)
  PORTS[$name]=$PORT
  CHECKS=$((CHECKS + 1))
  [ -n "$PORT" ] || { RC=? OUT= ERR=$(cat "$WORK/$name.err"); fail "$name: no port file within 10 s"; }
}
# finished NAME: waits (10 s at most) for the listener to exit; sets RC, OUT, ERR.
finished() {
  local name=$1 pid=${PIDS[$1]} i
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -9 "$pid"
    echo "FAIL: $name did not exit within 10 s" >&2
    FAILS=$((FAILS + 1))
  fi
  wait "$pid"
  RC=$?
  OUT=$(cat "$WORK/$name.out")
  ERR=$(cat "$WORK/$name.err")
}
finish() {
  echo "$CHECKS checks, $FAILS failed"
  [ "$FAILS" = 0 ]
  exit $?
}
