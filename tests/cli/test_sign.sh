#!/usr/bin/env bash
# hooktool sign: file, stdin and @file input; key from flag, file and environment; every output form.
source "$(dirname "$0")/lib.sh"

printf 'Hello, World!' >"$WORK/gh.txt"
GH_KEY="It's a Secret to Everybody"
GH_SIG=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17

run sign --scheme github --key "$GH_KEY" "$WORK/gh.txt"
expect_rc 0 "github from a file"
expect_out "X-Hub-Signature-256: sha256=$GH_SIG" "github from a file"

run_in "$WORK/gh.txt" sign --scheme github --key "$GH_KEY"
expect_out "X-Hub-Signature-256: sha256=$GH_SIG" "github from stdin"
run_in "$WORK/gh.txt" sign --scheme github --key "$GH_KEY" -
expect_out "X-Hub-Signature-256: sha256=$GH_SIG" "github from -"
run sign --scheme github --key "$GH_KEY" "@$WORK/gh.txt"
expect_out "X-Hub-Signature-256: sha256=$GH_SIG" "github from @file"

# Key file: the trailing newline an editor adds is dropped, and --verbose says so.
printf '%s\n' "$GH_KEY" >"$WORK/key.txt"
run -v sign --scheme github --key-file "$WORK/key.txt" "$WORK/gh.txt"
expect_out "X-Hub-Signature-256: sha256=$GH_SIG" "key file with newline"
expect_err_has "dropped the trailing newline of the key file" "key file note"
expect_not_in_output "$GH_KEY" "verbose output"

HOOKTOOL_KEY="$GH_KEY" run sign --scheme github-sha1 "$WORK/gh.txt"
expect_out "X-Hub-Signature: sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59" "key from HOOKTOOL_KEY"

# The same bytes a vendor signs; independently: openssl dgst -sha256 -hmac KEY.
body='[{"collected_at":"2024-01-15T10:30:00.000Z","wisepop_id":12345,"ip":"203.0.113.7","country_code":"FR","fields":{"email":"jane@example.com"}}]'
printf '%s' "$body" >"$WORK/wp.json"
want=$(openssl dgst -sha256 -hmac wp_demo_api_key_0123456789abcdef <"$WORK/wp.json" | awk '{print $NF}')
run sign --vendor wisepops --key wp_demo_api_key_0123456789abcdef "$WORK/wp.json"
expect_out "X-Wisepops-Signature: $want" "wisepops vendor (openssl)"
expect_out "X-Wisepops-Signature: 198cc57e1d1535601e718ad75343b21b35b00908e73203017e1f07c31b94ddfa" "WP-1"

run sign --vendor wisepops --key wp_demo_api_key_0123456789abcdef --value-only "$WORK/wp.json"
expect_out "$want" "--value-only"

# Timestamped schemes print every header; --json is one object of headers.
printf '{"id":"evt_1","object":"event"}' >"$WORK/st.json"
run sign --scheme stripe --key whsec_test_secret --timestamp 1700000000 "$WORK/st.json"
expect_out "Stripe-Signature: t=1700000000,v1=0c8670ed117751cc551a20e35839447075c42800ea3cf3e8a2fbda99cd1e6edd" "ST-2"
run sign --scheme stripe --key whsec_test_secret "$WORK/st.json"
now=$(date +%s)
ts=$(sed -n 's/^Stripe-Signature: t=\([0-9]*\),.*/\1/p' <<<"$OUT")
CHECKS=$((CHECKS + 1))
[ -n "$ts" ] && [ $((now - ts)) -le 5 ] && [ $((now - ts)) -ge 0 ] || fail "stripe default timestamp is now"

printf '{"test": 2432232314}' >"$WORK/sw.json"
run sign --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --id msg_p5jXN8AQM9LWM0D4loKWxJek \
  --timestamp 1614265330 --json "$WORK/sw.json"
expect_rc 0 "standard --json"
expect_out '{
  "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
  "webhook-timestamp": "1614265330",
  "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
}' "SW-1 as JSON"

run sign --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw "$WORK/sw.json"
expect_out_has "webhook-id: msg_" "fresh msg_ id"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '^webhook-' <<<"$OUT")" = 3 ] || fail "standard prints id, timestamp and signature"

# Slack: both headers. Square and Twilio sign the URL.
run sign --scheme slack --key 8f742231b10e8888abcd99yyyzzz85a5 --timestamp 1531420618 "$SRC/tests/data/slack-command.txt"
expect_out "X-Slack-Request-Timestamp: 1531420618
X-Slack-Signature: v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503" "SL-1"
printf 'CallSid=CA1234567890ABCDE&Caller=%%2B14158675310&Digits=1234&From=%%2B14158675310&To=%%2B18005551212' >"$WORK/tw.form"
run sign --scheme twilio --key 12345 --url 'https://example.com/myapp.php?foo=1&bar=2' "$WORK/tw.form"
expect_out "X-Twilio-Signature: L/OH5YylLD5NRKLltdqwSvS0BnU=" "TW-1"
run sign --scheme twilio --key 12345 "$WORK/tw.form"
expect_rc 2 "twilio without --url"
expect_one_line_error "twilio without --url"

# Generic HMAC: algorithm, encoding, prefix and header from the command line (GEN-1).
printf '{"id":1}' >"$WORK/gen.json"
run sign --scheme hmac --key generic_demo_secret --encoding base64 --signature-header X-WC-Webhook-Signature "$WORK/gen.json"
expect_out "X-WC-Webhook-Signature: bUJZ/xVNnAtntwxA4y+7T8UEkWkv1ddv0CfvhS8oMWk=" "hmac base64"
run sign --scheme hmac --key generic_demo_secret --algo sha512 --prefix sha512= "$WORK/gen.json"
want=$(printf '{"id":1}' | openssl dgst -sha512 -hmac generic_demo_secret | awk '{print $NF}')
expect_out "X-Signature: sha512=$want" "hmac sha512 (openssl)"

# Binary bytes are signed as read.
head -c 4096 /dev/urandom >"$WORK/bin"
want=$(openssl dgst -sha256 -hmac k <"$WORK/bin" | awk '{print $NF}')
run sign --scheme hmac --key k --value-only "$WORK/bin"
expect_out "$want" "binary payload"

# The key never appears, whatever the output form.
for form in "" --json --value-only; do
  run -v sign --scheme github --key "$GH_KEY" $form "$WORK/gh.txt"
  expect_not_in_output "$GH_KEY" "sign $form"
done
# The one clock: HOOKTOOL_NOW (unix seconds) pins the timestamp sign writes and the "now" verify
# checks it against; without it both use the system clock.
printf '{"id":"evt_1"}' >"$WORK/clock.json"
want=$({ printf '1000.'; cat "$WORK/clock.json"; } | openssl dgst -sha256 -hmac whsec_clock | awk '{print $NF}')
HOOKTOOL_NOW=1000 run sign --scheme stripe --key whsec_clock "$WORK/clock.json"
expect_rc 0 "sign with HOOKTOOL_NOW"
expect_out "Stripe-Signature: t=1000,v1=$want" "HOOKTOOL_NOW pins sign's t="
HOOKTOOL_NOW=1000 run verify --scheme stripe --key whsec_clock -H "Stripe-Signature: t=1000,v1=$want" \
  "$WORK/clock.json"
expect_rc 0 "verify at the pinned time"
expect_out "valid" "a signature made at HOOKTOOL_NOW=1000 verifies at HOOKTOOL_NOW=1000"
HOOKTOOL_NOW=1301 run verify --scheme stripe --key whsec_clock -H "Stripe-Signature: t=1000,v1=$want" \
  "$WORK/clock.json"
expect_rc 1 "verify 301 s later"
expect_out_has "timestamp too old: 301 s before now" "HOOKTOOL_NOW is verify's now"
run verify --scheme stripe --key whsec_clock -H "Stripe-Signature: t=1000,v1=$want" "$WORK/clock.json"
expect_rc 1 "verify without HOOKTOOL_NOW"
expect_out_has "timestamp too old" "without HOOKTOOL_NOW the system clock is now"
run sign --scheme stripe --key whsec_clock "$WORK/clock.json"
CHECKS=$((CHECKS + 1))
t=$(sed -n 's/^Stripe-Signature: t=\([0-9]*\),v1=[0-9a-f]*$/\1/p' <<<"$OUT")
[ -n "$t" ] && [ $((t - $(date +%s))) -le 1 ] && [ $(($(date +%s) - t)) -le 5 ] ||
  fail "without HOOKTOOL_NOW sign writes the system time, got t=$t"
for cmd in "sign --scheme stripe --key k $WORK/clock.json" \
  "verify --scheme stripe --key k -H Stripe-Signature:t=1000,v1=00 $WORK/clock.json"; do
  # shellcheck disable=SC2086
  HOOKTOOL_NOW=later run $cmd
  expect_rc 2 "bad HOOKTOOL_NOW: ${cmd%% *}"
  expect_out "" "bad HOOKTOOL_NOW: ${cmd%% *} prints nothing"
  CHECKS=$((CHECKS + 1))
  [ "$ERR" = "hooktool: HOOKTOOL_NOW must be unix seconds, got 'later' (environment)" ] ||
    fail "bad HOOKTOOL_NOW: ${cmd%% *} says so in one line"
done

# The default --id is a fresh Standard Webhooks id: msg_ and 27 alphanumerics, new each time.
HOOKTOOL_NOW=1614265330 run sign --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw "$WORK/sw.json"
expect_rc 0 "sign standard without --id"
CHECKS=$((CHECKS + 1))
id1=$(sed -n 's/^webhook-id: //p' <<<"$OUT")
grep -qE '^msg_[0-9A-Za-z]{27}$' <<<"$id1" || fail "the default id is msg_ and 27 alphanumerics: $id1"
expect_out_has "webhook-timestamp: 1614265330" "standard's timestamp from HOOKTOOL_NOW"
HOOKTOOL_NOW=1614265330 run sign --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw "$WORK/sw.json"
CHECKS=$((CHECKS + 1))
[ "$(sed -n 's/^webhook-id: //p' <<<"$OUT")" != "$id1" ] || fail "each sign makes a new id"
finish
