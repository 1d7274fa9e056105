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
finish
