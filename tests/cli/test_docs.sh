#!/usr/bin/env bash
# The man page and the completions keep step with the CLI: the committed completion scripts are what
# the binary generates, every flag the CLI accepts is in the man page, and the man page lints clean.
source "$(dirname "$0")/lib.sh"

for shell in bash zsh fish; do
  case $shell in
    bash) file=completions/hooktool.bash ;;
    zsh) file=completions/_hooktool ;;
    fish) file=completions/hooktool.fish ;;
  esac
  run completions $shell
  expect_rc 0 "completions $shell"
  CHECKS=$((CHECKS + 1))
  if ! diff -u "$SRC/$file" <(printf '%s\n' "$OUT") >"$WORK/diff"; then
    fail "$file is out of step with the CLI; regenerate: hooktool completions $shell > $file
$(head -20 "$WORK/diff")"
  fi
done

# Every command and long flag the CLI accepts (read off the generated fish script) is in the man page.
man="$SRC/man/hooktool.1"
CHECKS=$((CHECKS + 1))
[ -f "$man" ] || fail "man/hooktool.1 is missing"
run completions fish
flags=$(grep -o -- ' -l [a-z0-9-]*' <<<"$OUT" | awk '{print $2}' | sort -u)
commands=$(grep -o -- "__fish_use_subcommand' -a [a-z]*" <<<"$OUT" | awk '{print $3}')
CHECKS=$((CHECKS + 1))
[ "$(wc -w <<<"$flags")" -ge 20 ] || fail "expected the CLI to have at least 20 flags, got: $flags"
for flag in $flags; do
  CHECKS=$((CHECKS + 1))
  escaped="\\-\\-${flag//-/\\-}"
  grep -qF -- "$escaped" "$man" || fail "--$flag is not in man/hooktool.1 (as $escaped)"
done
for cmd in $commands; do
  CHECKS=$((CHECKS + 1))
  grep -q "^\.SS.*$cmd" "$man" || fail "command $cmd has no .SS section in man/hooktool.1"
done
for word in HOOKTOOL_KEY NO_COLOR "EXIT STATUS"; do
  CHECKS=$((CHECKS + 1))
  grep -qF -- "$word" "$man" || fail "man/hooktool.1 does not mention $word"
done
# Every scheme name the CLI knows is in the man page and the completions.
schemes=$(sed -n "s/.*-l scheme -s s -x -a '\([^']*\)'.*/\1/p" <<<"$OUT" | head -1)
for s in $schemes; do
  CHECKS=$((CHECKS + 1))
  grep -qwF -e "$s" -e "${s//-/\\-}" "$man" || fail "scheme $s is not in man/hooktool.1"
done

if command -v mandoc >/dev/null; then
  CHECKS=$((CHECKS + 1))
  lint=$(mandoc -T lint -W warning "$man" 2>&1)
  [ -z "$lint" ] || fail "mandoc -T lint: $lint"
else
  echo "SKIP mandoc lint: mandoc is not installed (scripts/deps installs it)"
fi

# The bash completion completes commands, flags and scheme names.
complete_bash() {
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _hooktool
  OUT="${COMPREPLY[*]}"
}
complete() { :; }  # the script's own `complete` registration needs an interactive shell
source "$SRC/completions/hooktool.bash"
complete_bash hooktool ver
expect_out "verify" "bash: command"
complete_bash hooktool sign --key-fi
expect_out "--key-file" "bash: flag"
complete_bash hooktool verify --scheme stri
expect_out "stripe" "bash: scheme name"
complete_bash hooktool sign --vendor wise
expect_out_has "wisepops-v1" "bash: vendor name"

# Values: --format, -X, and the events of the vendor given (asked of the hooktool being completed).
complete_bash hooktool send --format ""
expect_out "json form" "bash: send --format"
complete_bash hooktool sample --format f
expect_out "form" "bash: sample --format"
complete_bash hooktool send -X P
expect_out "POST PUT PATCH" "bash: send -X"
complete_bash "$HOOKTOOL" send --vendor wisepops --event ""
expect_out "email phone survey" "bash: the events of --vendor wisepops"
complete_bash "$HOOKTOOL" sample --vendor=wootric -e response-
expect_out "response-created response-updated" "bash: the events of --vendor=wootric"
complete_bash "$HOOKTOOL" send --event ""
expect_out "" "bash: no --vendor, no events"
printf '{"name":"acme","title":"Acme","formats":{"json":"application/json"},"events":[{"name":"anvil.dropped","body":{"a":1}}]}' >"$WORK/acme.json"
complete_bash "$HOOKTOOL" send --vendor-file "$WORK/acme.json" --vendor acme --event ""
if "$HOOKTOOL" vendors --vendor-file "$WORK/acme.json" >/dev/null 2>&1; then
  expect_out "anvil.dropped" "bash: the events of a --vendor-file vendor"
else
  echo "SKIP: the test vendor file is not accepted: $("$HOOKTOOL" vendors --vendor-file "$WORK/acme.json" 2>&1)"
fi
# sign, verify and replay --vendor offer only the vendors that sign; send and listen all.
signing=$("$HOOKTOOL" vendors --json | python3 -c 'import json,sys; print(" ".join(v["name"] for v in json.load(sys.stdin) if v["scheme"]))')
everyone=$("$HOOKTOOL" vendors --json | python3 -c 'import json,sys; print(" ".join(v["name"] for v in json.load(sys.stdin)))')
for cmd in sign verify replay; do
  complete_bash hooktool $cmd --vendor ""
  expect_out "$signing" "bash: $cmd --vendor offers the vendors that sign"
done
for cmd in send sample listen; do
  complete_bash hooktool $cmd --vendor ""
  expect_out "$everyone" "bash: $cmd --vendor offers every vendor"
done
CHECKS=$((CHECKS + 1))
[ "$signing" != "$everyone" ] && grep -qw esputnik <<<"$everyone" || fail "some vendor does not sign (esputnik)"

# Files for every flag that takes one; "@" and a file for listen --response-body.
mkdir "$WORK/files" && : >"$WORK/files/secret.key" && : >"$WORK/files/sample.json"
cd "$WORK/files"
for words in "sign --key-file s" "send --vendor-file s" "send --data s" "send --cacert s" \
  "replay --cacert s" "verify --request s" "listen --record s" "listen --cert s" "convert -o s" \
  "sign s"; do
  read -ra w <<<"$words"
  complete_bash hooktool "${w[@]}"
  OUT=$(tr ' ' '\n' <<<"$OUT" | sort | xargs)
  expect_out "sample.json secret.key" "bash: hooktool $words completes files"
done
for words in "listen --response-body @sa" "send --data @sa" "sign @sa" "verify --scheme github @sa"; do
  read -ra w <<<"$words"
  complete_bash hooktool "${w[@]}"
  expect_out "@sample.json" "bash: hooktool $words completes @FILE"
done
complete_bash hooktool sign --key-file @sa
expect_out "" "bash: --key-file takes a file name, not @FILE"
complete_bash hooktool listen --response-body sa
expect_out "" "bash: listen --response-body TEXT is not a file name"
cd "$SRC"

# zsh and fish: at least their syntax, when they are installed.
for shell in zsh fish; do
  file=$([ $shell = zsh ] && echo completions/_hooktool || echo completions/hooktool.fish)
  if command -v $shell >/dev/null; then
    CHECKS=$((CHECKS + 1))
    $shell -n "$SRC/$file" 2>"$WORK/syntax" || { ERR=$(cat "$WORK/syntax"); fail "$shell -n $file"; }
  else
    echo "SKIP: $shell -n $file: $shell is not installed"
  fi
done
finish
