#!/usr/bin/env bash
# hooktool replay: recorded requests re-sent byte for byte to a second listener, re-signed with a
# fresh timestamp, edited, filtered; bad input and a refused connection.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is not installed"; exit 77; }
export TZ=UTC

listen rec --record "$WORK/rec.jsonl"
"$HOOKTOOL" send --vendor wisepops --key wp_key "http://127.0.0.1:${PORTS[rec]}/hooks/wisepops?x=1" >/dev/null
"$HOOKTOOL" send --vendor stripe --key whsec_k --timestamp 1 "http://127.0.0.1:${PORTS[rec]}/hooks/stripe" >/dev/null 2>&1 ||
  "$HOOKTOOL" send --vendor stripe --key whsec_k "http://127.0.0.1:${PORTS[rec]}/hooks/stripe" >/dev/null
kill -TERM "${PIDS[rec]}"
finished rec
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$WORK/rec.jsonl")" = 2 ] || fail "two requests recorded"

# record N FIELD FILE: a field of the Nth record of FILE (body decoded, header:NAME, or a key).
record() {
  python3 - "$3" "$1" "$2" <<'PY'
import base64, json, sys
rec = json.loads(open(sys.argv[1]).read().splitlines()[int(sys.argv[2]) - 1])
f = sys.argv[3]
if f == "body":
    b = rec["body"]
    sys.stdout.buffer.write(base64.b64decode(b) if rec.get("body_base64") else b.encode())
elif f.startswith("header:"):
    print("\n".join(v for k, v in rec["headers"] if k.lower() == f[7:].lower()))
else:
    print(rec[f])
PY
}

# Byte for byte: path, query, body and signature as recorded.
listen app --record "$WORK/app.jsonl"
run replay "$WORK/rec.jsonl" "http://127.0.0.1:${PORTS[app]}" --index 1
expect_rc 0 "replay --index 1"
expect_out_has "✓ 200" "the answer is shown"
run replay "$WORK/rec.jsonl" "http://127.0.0.1:${PORTS[app]}" --filter Wisepops-Signature --json
expect_rc 0 "replay --filter"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d)==1 and d[0]["index"]==1' <<<"$OUT" || fail "filter picks request 1"
sleep 0.2
for n in 1 2; do
  CHECKS=$((CHECKS + 1))
  cmp -s <(record 1 body "$WORK/rec.jsonl") <(record "$n" body "$WORK/app.jsonl") || fail "replayed body $n is byte for byte"
  CHECKS=$((CHECKS + 1))
  [ "$(record "$n" path "$WORK/app.jsonl")?$(record "$n" query "$WORK/app.jsonl")" = "/hooks/wisepops?x=1" ] ||
    fail "replayed path and query"
  CHECKS=$((CHECKS + 1))
  [ "$(record "$n" header:X-Wisepops-Signature "$WORK/app.jsonl")" = "$(record 1 header:X-Wisepops-Signature "$WORK/rec.jsonl")" ] ||
    fail "replayed signature header"
done

# Re-signed: a fresh Stripe timestamp that the receiver accepts.
run replay "$WORK/rec.jsonl" "http://127.0.0.1:${PORTS[app]}" --index 2 --resign --vendor stripe --key whsec_k
expect_rc 0 "replay --resign"
sleep 0.2
sig=$(record 3 header:Stripe-Signature "$WORK/app.jsonl")
record 3 body "$WORK/app.jsonl" >"$WORK/b3"
run verify --vendor stripe --key whsec_k -H "Stripe-Signature: $sig" "$WORK/b3"
expect_rc 0 "the re-signed request verifies now"
old=$(record 2 header:Stripe-Signature "$WORK/rec.jsonl")
CHECKS=$((CHECKS + 1))
[ "$sig" != "$old" ] || fail "a new signature"
expect_not_in_output "whsec_k" "the key"

# --edit runs $EDITOR on the body first.
EDITOR="sed -i s/@example.com/@edited.test/g" run replay "$WORK/rec.jsonl" "http://127.0.0.1:${PORTS[app]}/elsewhere" --index 1 --edit
expect_rc 0 "replay --edit"
sleep 0.2
CHECKS=$((CHECKS + 1))
record 4 body "$WORK/app.jsonl" | grep -q '@edited.test' || fail "the edited body was sent"
CHECKS=$((CHECKS + 1))
[ "$(record 4 path "$WORK/app.jsonl")" = "/elsewhere" ] || fail "a URL with a path is used as given"
# An editor that fails sends nothing: its exit status (not the wait status, 256) or its signal.
VISUAL= EDITOR=false run replay "$WORK/rec.jsonl" "http://127.0.0.1:${PORTS[app]}" --index 1 --edit
expect_input_error "editor fails"
expect_err_has "the editor exited with status 1; nothing sent (--edit)" "the editor's exit status"
VISUAL= EDITOR='kill -TERM $$; :' run replay "$WORK/rec.jsonl" "http://127.0.0.1:${PORTS[app]}" --index 1 --edit
expect_input_error "editor killed"
expect_err_has "the editor was killed by signal 15; nothing sent (--edit)" "the editor's signal"
sleep 0.2
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$WORK/app.jsonl")" = 4 ] || fail "a failed edit sends nothing"
kill -TERM "${PIDS[app]}"
finished app

# Exit codes: bad input 2, nothing listening 3.
run replay "$WORK/rec.jsonl" http://127.0.0.1:1 --index 1
expect_rc 3 "refused"
run replay "$WORK/rec.jsonl" http://127.0.0.1:1 --index 9
expect_rc 2 "no such index"
expect_one_line_error "no such index"
run replay "$WORK/missing.jsonl" http://127.0.0.1:1
expect_rc 2 "missing file"
expect_one_line_error "missing file"
# Which request: the last by default; FILE:N and --index N from 1, -N from the end.
indexes() { python3 -c 'import json,sys; print(" ".join(str(d["index"]) for d in json.load(sys.stdin)))' <<<"$OUT"; }
for args in "rec.jsonl" "rec.jsonl:-1" "rec.jsonl:2" "rec.jsonl --index -1"; do
  read -r file more <<<"$args"
  run replay "$WORK/$file" http://127.0.0.1:1 $more --json
  expect_rc 3 "replay $args"
  CHECKS=$((CHECKS + 1))
  [ "$(indexes)" = 2 ] || fail "replay $args sends request 2, the last"
done
run replay "$WORK/rec.jsonl:-2" http://127.0.0.1:1 --index 2 --json
CHECKS=$((CHECKS + 1))
[ "$(indexes)" = "1 2" ] || fail "FILE:-2 and --index 2: requests 1 and 2"
run replay "$WORK/rec.jsonl" http://127.0.0.1:1 --index -3
expect_input_error "--index -3 of 2"
expect_err_has "holds 2 request(s), not -3 (--index)" "--index -3 of 2"
run replay "$WORK/rec.jsonl:0" http://127.0.0.1:1
expect_input_error "FILE:0"
expect_err_has "requests are numbered from 1, or from -1 for the last" "FILE:0"
printf 'not json\n' >"$WORK/bad.jsonl"
run replay "$WORK/bad.jsonl" http://127.0.0.1:1
expect_rc 2 "malformed record"
expect_err_has "bad.jsonl:1" "names the line"
# --resign of a request recorded without a message id: a fresh Standard Webhooks id (msg_ and 27
# alphanumerics), the timestamp from the one clock (HOOKTOOL_NOW), and no header that belongs to
# the recorded connection (a Trailer sent with it is not sent again).
listen trail --record "$WORK/trail.jsonl" --count 1
"$HOOKTOOL" send --vendor wisepops -H 'Trailer: X-Checksum' "http://127.0.0.1:${PORTS[trail]}/t" >/dev/null 2>&1
finished trail
CHECKS=$((CHECKS + 1))
[ "$(record 1 header:Trailer "$WORK/trail.jsonl")" = X-Checksum ] || fail "the Trailer header was recorded"
SW_KEY=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
listen resigned --record "$WORK/resigned.jsonl" --count 1
HOOKTOOL_NOW=1700000000 run replay "$WORK/trail.jsonl" "http://127.0.0.1:${PORTS[resigned]}" --resign \
  --scheme standard --key "$SW_KEY"
expect_rc 0 "replay --resign --scheme standard"
expect_out_has "✓ 200" "the answer is shown"
finished resigned
id=$(record 1 header:webhook-id "$WORK/resigned.jsonl")
CHECKS=$((CHECKS + 1))
grep -qE '^msg_[0-9A-Za-z]{27}$' <<<"$id" || fail "a fresh message id, msg_ and 27 alphanumerics: <$id>"
CHECKS=$((CHECKS + 1))
[ "$(record 1 header:webhook-timestamp "$WORK/resigned.jsonl")" = 1700000000 ] ||
  fail "the timestamp is HOOKTOOL_NOW"
CHECKS=$((CHECKS + 1))
[ -z "$(record 1 header:Trailer "$WORK/resigned.jsonl")" ] || fail "Trailer is not replayed"
record 1 body "$WORK/resigned.jsonl" >"$WORK/resigned.body"
HOOKTOOL_NOW=1700000000 run verify --scheme standard --key "$SW_KEY" -H "webhook-id: $id" \
  -H "webhook-timestamp: 1700000000" \
  -H "webhook-signature: $(record 1 header:webhook-signature "$WORK/resigned.jsonl")" "$WORK/resigned.body"
expect_rc 0 "the re-signed request verifies"
expect_out "valid" "the re-signed request verifies"
# A record file whose last line a crash cut off: replay and verify --request skip that line with a
# warning naming it and use the others; --strict refuses it, naming the line.
{ cat "$WORK/rec.jsonl"; head -c 100 "$WORK/rec.jsonl"; } >"$WORK/torn.jsonl"
listen torn_app --count 1
run replay "$WORK/torn.jsonl:1" "http://127.0.0.1:${PORTS[torn_app]}"
expect_rc 0 "replay of a file with a torn last line"
expect_err_has "skipped the last line, cut off: not a JSON record ($WORK/torn.jsonl:3; a crash while it was written?)" "the torn line is named"
finished torn_app
CHECKS=$((CHECKS + 1))
grep -q 'POST /hooks/wisepops?x=1' <<<"$OUT" || fail "replay sent the first recorded request"
run replay "$WORK/torn.jsonl" http://127.0.0.1:1 --strict
expect_rc 2 "--strict refuses a torn record file"
expect_err_has "the last line is cut off: not a JSON record ($WORK/torn.jsonl:3, replay --strict)" "--strict names the line"
run verify --request "$WORK/torn.jsonl:-1" --vendor stripe --key whsec_k
expect_rc 0 "verify --request on the last whole record (Stripe's, valid)"
expect_out "valid" "verify --request checks the last whole record"
expect_err_has "skipped the last line, cut off" "verify --request skips the torn line too"
run verify --request "$WORK/torn.jsonl" --vendor stripe --key whsec_k --strict
expect_rc 2 "verify --request --strict refuses it"
finish
