#!/usr/bin/env bash
# hooktool convert against Rack and qs on a 100 MB input, both directions: form -> JSON
# (Rack::Utils.parse_nested_query, qs.parse) and JSON -> form (build_nested_query, qs.stringify).
# Target (issue 5): hooktool at least 10x faster than both, in the same run, and memory within a
# small multiple of the output's size. Writes its figures to stdout and to bench/out/convert.txt.
# Standalone: installs what it needs (scripts/deps build bench conformance) and builds a Release
# hooktool in build/release.
# Environment: SIZE_MB (100), RUNS (3, hooktool's runs; the peers run once: they take minutes),
# DIALECTS ("rack qs").
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/bench/out"
HOOKTOOL="$ROOT/build/release/src/hooktool"
SIZE_MB=${SIZE_MB:-100}
RUNS=${RUNS:-3}
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
# Rack's default limits (4 MiB, 4096 parameters) would refuse the body outright.
export RACK_QUERY_PARSER_BYTESIZE_LIMIT=$((1 << 40)) RACK_QUERY_PARSER_PARAMS_LIMIT=$((1 << 40))

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

log "installing missing packages (scripts/deps build bench conformance)"
scripts/deps build bench conformance
[ -x /usr/bin/time ] || die "/usr/bin/time (GNU time) not found"
log "building hooktool (Release) in build/release"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DHOOKTOOL_TESTS=OFF >/dev/null
cmake --build build/release -j2 >/dev/null
[ -x "$HOOKTOOL" ] || die "$HOOKTOOL was not built"
mkdir -p "$OUT"
work=$(mktemp -d "$OUT/convert.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The input: batches of survey answers, the shape of a big form export. Kept to a few thousand
# nested objects and no long runs of one repeated name: qs is quadratic in both (compact's
# refs.indexOf, combine's concat), which would measure that rather than the parsing.
log "writing a ${SIZE_MB} MB form body and the same data as JSON"
node - "$work" "$SIZE_MB" <<'EOF'
const fs = require('fs');
const [dir, mb] = [process.argv[2], Number(process.argv[3])];
const target = mb * 1024 * 1024;
const parts = [];
const doc = {};
let size = 0;
for (let b = 0; size < target; b++) {
  const batch = { tags: ['nps', 'web app'] };
  parts.push(`b${b}[tags][]=nps`, `b${b}[tags][]=web+app`);
  for (let i = 0; i < 1000 && size < target; i++) {
    const value = `answer ${b}-${i}: very good, would recommend é`;
    batch[`k${i}`] = value;
    const pair = `b${b}[k${i}]=` + encodeURIComponent(value).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    parts.push(pair);
    size += pair.length + 1;
  }
  doc[`b${b}`] = batch;
}
fs.writeFileSync(`${dir}/body.form`, parts.join('&'));
fs.writeFileSync(`${dir}/body.json`, JSON.stringify(doc));
EOF

cat >"$work/rack.rb" <<'EOF'
require 'rack'
require 'json'
Rack::Utils.key_space_limit = 1 << 40
mode, input, output = ARGV
data = File.binread(input)
result = mode == 'parse' ? JSON.generate(Rack::Utils.parse_nested_query(data)) : Rack::Utils.build_nested_query(JSON.parse(data))
File.binwrite(output, result)
EOF
cat >"$work/qs.js" <<'EOF'
const qs = require('qs');
const fs = require('fs');
const [mode, input, output] = process.argv.slice(2);
const data = fs.readFileSync(input, 'utf8');
const result = mode === 'parse' ? JSON.stringify(qs.parse(data, { parameterLimit: Infinity })) : qs.stringify(JSON.parse(data));
fs.writeFileSync(output, result);
EOF

# measure NAME OUTPUT CMD...: one run -> "WALL_S CPU_S RSS_KIB" (CPU = user + system)
measure() {
  local report="$work/time.txt" output=$2
  shift 2
  /usr/bin/time -f '%e %U %S %M' -o "$report" "$@" >"$output" 2>"$work/stderr" || { cat "$work/stderr" >&2; die "failed: $*"; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$report"
}
# best_of N OUTPUT CMD...: the run of N with the least CPU time.
best_of() {
  local n=$1 output=$2 best="" line i
  shift 2
  for ((i = 0; i < n; i++)); do
    line=$(measure x "$output" "$@")
    if [ -z "$best" ] || awk -v a="$(cut -d' ' -f2 <<<"$line")" -v b="$(cut -d' ' -f2 <<<"$best")" 'BEGIN { exit !(a < b) }'; then best=$line; fi
  done
  echo "$best"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }

cat "$work/body.form" "$work/body.json" >/dev/null  # into the page cache
results="$work/results.txt"
missed=0
row() { # direction dialect peer_wall peer_cpu peer_rss hook_wall hook_cpu hook_rss out_file
  local wall cpu verdict
  wall=$(ratio "$3" "$6")
  cpu=$(ratio "$4" "$7")
  verdict=holds
  awk -v s="$cpu" 'BEGIN { exit !(s >= 10) }' || { verdict=MISSED; missed=$((missed + 1)); }
  printf '%-10s %-4s %8.2f %8.2f %6s %8.2f %8.2f %6s %7sx %7sx  %-6s %6s %5sx\n' \
    "$1" "$2" "$3" "$4" "$(mib "$5")" "$6" "$7" "$(mib "$8")" "$wall" "$cpu" "$verdict" "$(mb "$9")" \
    "$(awk -v r="$8" -v o="$(stat -c %s "$9")" 'BEGIN { printf "%.1f", r * 1024 / o }')" >>"$results"
}

for dialect in ${DIALECTS:-rack qs}; do
  if [ $dialect = rack ]; then peer=(ruby "$work/rack.rb"); else peer=(node --max-old-space-size=16000 "$work/qs.js"); fi

  log "form -> JSON, $dialect: the peer (one run)"
  read -r pt pc pr < <(measure x "$work/stdout" "${peer[@]}" parse "$work/body.form" "$work/$dialect.json")
  log "form -> JSON, $dialect: hooktool (best of $RUNS)"
  read -r ht hc hr < <(best_of "$RUNS" "$work/hook.json" "$HOOKTOOL" convert --from form --to json --compact --dialect $dialect "$work/body.form")
  head -c -1 "$work/hook.json" | cmp -s - "$work/$dialect.json" || die "form -> JSON: hooktool's $dialect output differs from $dialect's own"
  row "form->json" $dialect "$pt" "$pc" "$pr" "$ht" "$hc" "$hr" "$work/hook.json"

  log "JSON -> form, $dialect: the peer (one run)"
  read -r pt pc pr < <(measure x "$work/stdout" "${peer[@]}" build "$work/body.json" "$work/$dialect.form")
  log "JSON -> form, $dialect: hooktool (best of $RUNS)"
  read -r ht hc hr < <(best_of "$RUNS" "$work/hook.form" "$HOOKTOOL" convert --from json --to form --dialect $dialect "$work/body.json")
  cmp -s "$work/hook.form" "$work/$dialect.form" || die "JSON -> form: hooktool's $dialect output differs from $dialect's own"
  row "json->form" $dialect "$pt" "$pc" "$pr" "$ht" "$hc" "$hr" "$work/hook.form"
done

{
  echo "# hooktool convert vs Rack and qs ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo "# machine: $(grep -c '^processor' /proc/cpuinfo) cores, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo); load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# versions: hooktool $(git rev-parse --short HEAD 2>/dev/null || echo unknown) (Release);" \
    "Rack $(ruby -e 'require "rack"; print Rack.release') on ruby $(ruby -e 'print RUBY_VERSION');" \
    "qs $(node -p 'require("qs/package.json").version') on node $(node -p process.versions.node)"
  echo "# input: form $(mb "$work/body.form") MB, JSON $(mb "$work/body.json") MB; outputs checked identical to the peer's"
  echo "# the peer runs once, hooktool $RUNS times (the run with the least CPU is shown); times in seconds,"
  echo "# CPU = user + system; RSS: peak resident set in MiB (GNU time); out: output MB and hooktool's RSS / output."
  echo "# target: hooktool >= 10x faster, judged on CPU time: the machine is shared, so wall time also"
  echo "# measures whatever else runs (see the load above)"
  printf '%-10s %-4s %8s %8s %6s %8s %8s %6s %8s %8s  %-6s %6s %6s\n' direction with "peer" "peer" "peer" "hooktool" "hooktool" "hook" "speedup" "speedup" target out "RSS/"
  printf '%-10s %-4s %8s %8s %6s %8s %8s %6s %8s %8s  %-6s %6s %6s\n' "" "" wall cpu RSS wall cpu RSS wall cpu "" MB out
  cat "$results"
  if [ "$missed" -eq 0 ]; then echo "all targets hold"; else echo "$missed target(s) missed"; fi
} | tee "$OUT/convert.txt"
