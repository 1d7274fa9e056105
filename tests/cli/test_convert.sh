#!/usr/bin/env bash
# hooktool convert end to end: the Wootric sample both ways byte for byte, the three dialects,
# --dialect all, the output options, and every kind of bad input (one line, exit 2, empty stdout).
source "$(dirname "$0")/lib.sh"

DATA="$SRC/tests/data"
put() { printf '%s' "$2" >"$WORK/$1"; }

# The Wootric sample: JSON -> form is what Rack's build_nested_query writes, and back.
run convert --to form "$DATA/wootric-response.json"
expect_rc 0 "wootric to form"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/out" "$DATA/wootric-response.txt" || fail "wootric JSON -> form differs from tests/data/wootric-response.txt"
run convert --types --pretty "$DATA/wootric-response.txt"
expect_rc 0 "wootric to json"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/out" "$DATA/wootric-response.json" || fail "wootric form -> JSON differs from tests/data/wootric-response.json"
run convert "$DATA/wootric-response.txt" --output "$WORK/w.json" --types --pretty
expect_rc 0 "--output"
expect_out "" "--output leaves stdout empty"
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/w.json" "$DATA/wootric-response.json" || fail "--output wrote something else"

# Detection: JSON in gives a form out, a form gives JSON; stdin with and without '-'.
put doc.json '{"a":{"b":["x","y z"]}}'
run_in "$WORK/doc.json" convert
expect_out 'a[b][]=x&a[b][]=y+z' "JSON detected"
run_in "$WORK/doc.json" convert - --dialect qs
expect_out 'a%5Bb%5D%5B0%5D=x&a%5Bb%5D%5B1%5D=y%20z' "qs writes indices"
run_in "$WORK/doc.json" convert --dialect php
expect_out 'a%5Bb%5D%5B0%5D=x&a%5Bb%5D%5B1%5D=y+z' "php writes http_build_query"
put form.txt 'a[b][]=x&a[b][]=y+z'
run_in "$WORK/form.txt" convert --compact
expect_out '{"a":{"b":["x","y z"]}}' "form detected"
run_in "$WORK/form.txt" convert --pretty
expect_out '{
  "a": {
    "b": [
      "x",
      "y z"
    ]
  }
}' "--pretty"
put starts-with-bracket '[]=x'
run convert --from form --dialect qs --compact "$WORK/starts-with-bracket"
expect_out '{"0":"x"}' "--from form"
run convert --from json --to json --compact "$WORK/doc.json"
expect_out '{"a":{"b":["x","y z"]}}' "json to json"
run convert --to form --dialect qs "$WORK/form.txt"
expect_out 'a%5Bb%5D%5B0%5D=x&a%5Bb%5D%5B1%5D=y%20z' "form to form"

# The table of issue 5, through --dialect all.
while IFS='|' read -r body want; do
  put body "$body"
  run convert --dialect all --compact "$WORK/body"
  expect_rc 0 "all: $body"
  expect_out "$want" "all: $body"
done <<'EOF'
b=1&b=2|{"rack":{"b":"2"},"qs":{"b":["1","2"]},"php":{"b":"2"},"differ":["b"]}
c|{"rack":{"c":null},"qs":{"c":""},"php":{"c":""},"differ":["c"]}
e[0]=z|{"rack":{"e":{"0":"z"}},"qs":{"e":["z"]},"php":{"e":["z"]},"differ":["e"]}
a[][x]=1&a[][y]=2&a[][x]=3|{"rack":{"a":[{"x":"1","y":"2"},{"x":"3"}]},"qs":{"a":[{"x":["1","3"],"y":"2"}]},"php":{"a":[{"x":"1"},{"y":"2"},{"x":"3"}]},"differ":["a"]}
f[b]c=1|{"rack":{"f":{"b":{"c":"1"}}},"qs":{"f":{"b":"1"}},"php":{"f":{"b":"1"}},"differ":["f"]}
x=%zz|{"rack":null,"qs":{"x":"%zz"},"php":{"x":"%zz"},"errors":{"rack":"invalid %-encoding (%zz) (byte 2)"},"differ":["x"]}
a=1&a[b]=2|{"rack":null,"qs":{"a":["1",{"b":"2"}]},"php":{"a":{"b":"2"}},"errors":{"rack":"expected Hash (got String) for param `a' (byte 4)"},"differ":["a"]}
a=1&b[c]=2|{"rack":{"a":"1","b":{"c":"2"}},"qs":{"a":"1","b":{"c":"2"}},"php":{"a":"1","b":{"c":"2"}},"differ":[]}
EOF
put table 'b=1&b=2&same=x'
run convert --dialect all --pretty "$WORK/table"
expect_out_has 'name  rack  qs         php' "all: header"
expect_out_has '≠' "all: marks a difference"
expect_out_has 'they differ on 1 of 2 names' "all: summary"

# Form output options.
put nested.json '{"a":["x","y"],"b":{"c":"1"}}'
run convert --arrays indices --dialect qs "$WORK/nested.json"
expect_out 'a%5B0%5D=x&a%5B1%5D=y&b%5Bc%5D=1' "--arrays indices"
run convert --arrays brackets --dialect qs "$WORK/nested.json"
expect_out 'a%5B%5D=x&a%5B%5D=y&b%5Bc%5D=1' "--arrays brackets"
run convert --arrays repeat --lossy "$WORK/nested.json"
expect_out 'a=x&a=y&b[c]=1' "--arrays repeat"
expect_err_has 'note: lossy: rack reads it back as "y" ($.a)' "--arrays repeat is lossy in rack"
run convert --newline "$DATA/wootric-response.json"
expect_out_has $'response[id]=1128&\nresponse[email]=nps%40example.com&\n' "--newline"
put empty.json '{"a":[],"b":null,"c":"1"}'
run convert --dialect php --lossy "$WORK/empty.json"
expect_rc 0 "--lossy"
expect_out 'c=1' "--lossy writes the rest"
expect_err_has 'note: lossy: an empty array writes nothing in a form ($.a)' "--lossy notes the array"
expect_err_has 'note: lossy: PHP leaves null values out ($.b)' "--lossy notes null"
run convert --types --compact "$DATA/wootric-response.txt"
expect_out_has '"score":7,"text":null' "--types"
put utf8 'name=J%C3%BCrgen&city=Z%C3%BCrich&emoji=%F0%9F%98%80&raw=日本'
run convert --compact "$WORK/utf8"
expect_out '{"name":"Jürgen","city":"Zürich","emoji":"😀","raw":"日本"}' "UTF-8 intact"
put utf8.json '{"name":"Jürgen","raw":"日本"}'
run convert --dialect qs "$WORK/utf8.json"
expect_out 'name=J%C3%BCrgen&raw=%E6%97%A5%E6%9C%AC' "UTF-8 written as bytes"
put unbalanced 'a[b=1'
run convert --compact "$WORK/unbalanced"
expect_rc 0 "unbalanced brackets are read the dialect's way"
expect_out '{"a":{"b":"1"}}' "rack reads a[b as a[b]"
expect_err_has "unbalanced brackets in 'a[b' (byte 0)" "unbalanced brackets noted"
put trailing $'a=1\n'
run convert --compact "$WORK/trailing"
expect_out '{"a":"1\n"}' "a newline is part of the value"
expect_err_has "ends with a newline" "trailing newline noted"

# Bad input: one line, exit 2, nothing on stdout.
bad() { # description, then hooktool arguments
  local what=$1
  shift
  run "$@"
  expect_input_error "$what"
}
put pct 'a=1&x=%zz'
bad "invalid %-escape (rack)" convert "$WORK/pct"
expect_err_has "invalid %-encoding (%zz) (byte 6)" "names the escape and the byte"
put conflict 'a=1&a[b]=2'
bad "type conflict (rack)" convert "$WORK/conflict"
expect_err_has "expected Hash (got String) for param \`a'" "Rack's words"
printf 'a=1&b=\xff' >"$WORK/latin1"
bad "invalid UTF-8" convert --dialect qs "$WORK/latin1"
expect_err_has "invalid UTF-8 (byte 6)" "byte offset"
put pct-utf8 'a=ok&b=%E9t%E9'
bad "invalid UTF-8 after decoding" convert --dialect php "$WORK/pct-utf8"
expect_err_has "invalid UTF-8 after percent-decoding (byte 7)" "byte offset of the escape"
put broken.json $'{\n  "a": 1,\n  "b" 2\n}'
bad "JSON syntax error" convert "$WORK/broken.json"
expect_err_has "(line 3, column 7)" "line and column"
put deep.form 'a[b][c][d]=1'
bad "form too deep" convert --max-depth 3 "$WORK/deep.form"
expect_err_has "nesting deeper than --max-depth 3" "depth"
put deep.json '{"a":{"b":{"c":{"d":1}}}}'
bad "JSON too deep" convert --max-depth 3 "$WORK/deep.json"
deep=$(printf '[%.0s' $(seq 40))
put deeper.json "$deep"
bad "JSON deeper than the default 32" convert "$WORK/deeper.json"
bad "empty array refused" convert "$WORK/empty.json"
expect_err_has "an empty array writes nothing in a form; --lossy writes it anyway (\$.a)" "names the path"
put top.json '["a","b"]'
bad "top-level array refused (rack)" convert "$WORK/top.json"
put scalar.json '"text"'
bad "top-level scalar refused" convert --lossy "$WORK/scalar.json"
bad "unknown dialect" convert --dialect rails "$WORK/form.txt"
expect_err_has "(--dialect)" "names the flag"
bad "unknown array style" convert --arrays commas "$WORK/doc.json"
bad "unknown format" convert --to xml "$WORK/doc.json"
bad "pretty and compact" convert --pretty --compact "$WORK/form.txt"
bad "max depth 0" convert --max-depth 0 "$WORK/form.txt"
bad "max depth not a number" convert --max-depth deep "$WORK/form.txt"
bad "all cannot write a form" convert --dialect all "$WORK/doc.json"
bad "missing file" convert "$WORK/nope.txt"
bad "unwritable output" convert --output "$WORK/no/such/dir/out.json" "$WORK/form.txt"

# Help.
run help convert
expect_rc 0 "help convert"
for flag in --to --from --output --dialect --types --pretty --compact --arrays --newline --lossy --max-depth; do
  expect_out_has "$flag" "help convert lists $flag"
done
finish
