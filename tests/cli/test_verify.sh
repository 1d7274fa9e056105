#!/usr/bin/env bash
# hooktool verify: verdicts and exit codes, header parsing, tolerance windows, diagnosis, --json.
source "$(dirname "$0")/lib.sh"

printf 'Hello, World!' >"$WORK/gh.txt"
GH_KEY="It's a Secret to Everybody"
GH_SIG=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17

run verify --scheme github --key "$GH_KEY" -H "X-Hub-Signature-256: sha256=$GH_SIG" "$WORK/gh.txt"
expect_rc 0 "valid github"
expect_out "valid" "valid github"
run verify --scheme github --key "$GH_KEY" --signature "sha256=$GH_SIG" "$WORK/gh.txt"
expect_rc 0 "--signature"
# Header names are case-insensitive, as in HTTP; other headers are ignored.
run_in "$WORK/gh.txt" verify --scheme github --key "$GH_KEY" -H 'Content-Type: application/json' \
  -H "x-hub-signature-256: sha256=$GH_SIG"
expect_rc 0 "lower-case header name, stdin"

run verify --scheme github --key wrong -H "X-Hub-Signature-256: sha256=$GH_SIG" "$WORK/gh.txt"
expect_rc 1 "wrong key"
expect_out_has "invalid: signature does not match" "wrong key"
expect_out_has "hint: no common mistake explains it" "wrong key"

# Diagnosis: the body gained a newline on the way.
printf 'Hello, World!\n' >"$WORK/gh-nl.txt"
run verify --scheme github --key "$GH_KEY" -H "X-Hub-Signature-256: sha256=$GH_SIG" "$WORK/gh-nl.txt"
expect_rc 1 "trailing newline"
expect_out_has "without its final newline" "trailing newline diagnosis"

# Diagnosis: pretty-printed JSON verified against a signature over the minified bytes.
printf '{"id":"evt_1","object":"event"}' >"$WORK/min.json"
sig=$(openssl dgst -sha256 -hmac s3cret <"$WORK/min.json" | awk '{print $NF}')
printf '{\n  "id": "evt_1",\n  "object": "event"\n}' >"$WORK/pretty.json"
run verify --scheme github --key s3cret --signature "sha256=$sig" "$WORK/pretty.json"
expect_rc 1 "re-serialized JSON"
expect_out_has "matches the JSON minified" "json diagnosis"

# Diagnosis: hex where base64 is expected (Shopify), and a missing prefix.
printf '{"id":1234567890,"email":"customer@example.com","total_price":"123.45"}' >"$WORK/shop.json"
hex=$(openssl dgst -sha256 -hmac test-webhook-secret <"$WORK/shop.json" | awk '{print $NF}')
run verify --scheme shopify --key test-webhook-secret --signature "$hex" "$WORK/shop.json"
expect_rc 1 "shopify hex"
expect_out_has "written in hex; Shopify writes base64" "hex vs base64"
run verify --scheme shopify --key test-webhook-secret -H 'X-Shopify-Hmac-Sha256: QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=' "$WORK/shop.json"
expect_rc 0 "SH-1"
run verify --scheme github --key "$GH_KEY" --signature "$GH_SIG" "$WORK/gh.txt"
expect_out_has "lacks the 'sha256=' prefix" "missing prefix"

# Diagnosis: a Stripe-style verbatim whsec_ key where Standard Webhooks decodes it.
printf '{"test": 2432232314}' >"$WORK/sw.json"
raw=$(printf 'msg_1.1614265330.{"test": 2432232314}' | openssl dgst -sha256 -hmac whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw -binary | base64)
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --tolerance 0 \
  -H 'webhook-id: msg_1' -H 'webhook-timestamp: 1614265330' -H "webhook-signature: v1,$raw" "$WORK/sw.json"
expect_rc 1 "whsec verbatim"
expect_out_has "whsec_ secret used verbatim" "whsec diagnosis"

# Diagnosis: another vendor's scheme.
run verify --scheme wisepops --key "$GH_KEY" --signature "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59" "$WORK/gh.txt"
expect_rc 1 "wrong scheme"
expect_out_has "another scheme" "wrong scheme"
run verify --scheme github --key whsec_test_secret -H 'Stripe-Signature: t=1,v1=00' "$WORK/gh.txt"
expect_rc 1 "stripe header under github"
expect_out_has "try --scheme stripe" "header of another scheme"

# Standard Webhooks: rotation list, either signature; tolerance both ways.
now=$(date +%s)
sig_for() { # id ts body-file secret-b64 -> base64 HMAC
  { printf '%s.%s.' "$1" "$2"; cat "$3"; } | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$4" -binary | base64
}
hexkey=31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0
good=$(sig_for msg_x "$now" "$WORK/sw.json" $hexkey)
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw -H 'webhook-id: msg_x' \
  -H "webhook-timestamp: $now" -H "webhook-signature: v2,AAAA v1,bm9wZQ== v1,$good" "$WORK/sw.json"
expect_rc 0 "any v1 of a list"
old=$((now - 400)); oldsig=$(sig_for msg_x $old "$WORK/sw.json" $hexkey)
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw -H 'webhook-id: msg_x' \
  -H "webhook-timestamp: $old" -H "webhook-signature: v1,$oldsig" "$WORK/sw.json"
expect_rc 1 "standard too old"
expect_out_has "timestamp too old" "standard too old"
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --tolerance 10m -H 'webhook-id: msg_x' \
  -H "webhook-timestamp: $old" -H "webhook-signature: v1,$oldsig" "$WORK/sw.json"
expect_rc 0 "--tolerance 10m"
future=$((now + 400)); futsig=$(sig_for msg_x $future "$WORK/sw.json" $hexkey)
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw -H 'webhook-id: msg_x' \
  -H "webhook-timestamp: $future" -H "webhook-signature: v1,$futsig" "$WORK/sw.json"
expect_rc 1 "standard future"
expect_out_has "timestamp in the future" "standard future"
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --tolerance 0 -H 'webhook-id: msg_x' \
  -H "webhook-timestamp: $future" -H "webhook-signature: v1,$futsig" "$WORK/sw.json"
expect_rc 0 "--tolerance 0 disables"
# A window under a second is one second (timestamps are whole seconds), not 0, which disables.
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --tolerance 500ms -H 'webhook-id: msg_x' \
  -H "webhook-timestamp: $old" -H "webhook-signature: v1,$oldsig" "$WORK/sw.json"
expect_rc 1 "--tolerance 500ms still checks"
expect_out_has "timestamp too old" "--tolerance 500ms"

# Stripe: past only (future passes), any v1 of several, v0 ignored.
printf '{"id":"evt_1","object":"event"}' >"$WORK/st.json"
st() { { printf '%s.' "$1"; cat "$WORK/st.json"; } | openssl dgst -sha256 -hmac whsec_test_secret | awk '{print $NF}'; }
run verify --scheme stripe --key whsec_test_secret -H "Stripe-Signature: t=$future,v1=$(st $future)" "$WORK/st.json"
expect_rc 0 "stripe future passes"
run verify --scheme stripe --key whsec_test_secret -H "Stripe-Signature: t=$old,v1=$(st $old)" "$WORK/st.json"
expect_rc 1 "stripe too old"
expect_out_has "timestamp too old" "stripe too old"
run verify --scheme stripe --key whsec_test_secret -H "Stripe-Signature: t=$now,v1=deadbeef,v0=$(st $now),v1=$(st $now)" "$WORK/st.json"
expect_rc 0 "stripe second v1"
run verify --scheme stripe --key whsec_test_secret -H "Stripe-Signature: t=$now,v0=$(st $now)" "$WORK/st.json"
expect_rc 1 "stripe v0 only"

# Paddle: 5 s window, from a fresh now (the checks above can take longer than that under ASan).
now=$(date +%s)
pd() { { printf '%s:' "$1"; cat "$WORK/st.json"; } | openssl dgst -sha256 -hmac pdl_secret | awk '{print $NF}'; }
run verify --scheme paddle --key pdl_secret -H "Paddle-Signature: ts=$now;h1=$(pd $now)" "$WORK/st.json"
expect_rc 0 "paddle fresh"
run verify --scheme paddle --key pdl_secret -H "Paddle-Signature: ts=$((now - 30));h1=$(pd $((now - 30)))" "$WORK/st.json"
expect_rc 1 "paddle 30 s old"
run verify --scheme paddle --key pdl_secret -H "Paddle-Signature: ts=$((now + 30));h1=$(pd $((now + 30)))" "$WORK/st.json"
expect_rc 0 "paddle 30 s ahead passes: the SDKs refuse only a timestamp too old"
expect_out "valid" "paddle ahead"

# Standard Webhooks without webhook-id: invalid with the reason, like a missing signature.
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw -H "webhook-timestamp: $now" \
  -H "webhook-signature: v1,$good" "$WORK/sw.json"
expect_rc 1 "standard without webhook-id"
expect_out "invalid: no webhook-id header (Standard Webhooks / Svix signs the message id with the timestamp and body)" \
  "standard without webhook-id"
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw -H 'webhook-id: msg_x' \
  -H "webhook-signature: v1,$good" "$WORK/sw.json"
expect_rc 1 "standard without webhook-timestamp"
expect_out_has "invalid: no webhook-timestamp header" "standard without webhook-timestamp"

# Twilio, as twilio-node and twilio-python compute and accept it (vectors from twilio-python's
# RequestValidator): a repeated name's distinct values once each; the URL with or without its port.
printf 'To=%%2B1&Digits=1234&Digits=1234&Digits=1&CallSid=CA1' >"$WORK/tw.form"
run sign --scheme twilio --key 12345 --url https://example.com/hook "$WORK/tw.form"
expect_rc 0 "twilio repeated keys"
expect_out "X-Twilio-Signature: P/Z/7aQcbOnoICijo/ko8zs0AO0=" "twilio repeated keys signed once"
for url in https://example.com/hook https://example.com:443/hook; do
  run verify --scheme twilio --key 12345 --url "$url" -H 'X-Twilio-Signature: P/Z/7aQcbOnoICijo/ko8zs0AO0=' "$WORK/tw.form"
  expect_rc 0 "twilio verify $url"
  expect_out "valid" "twilio verify $url"
done
run verify --scheme twilio --key 12345 --url http://example.com/hook -H 'X-Twilio-Signature: P/Z/7aQcbOnoICijo/ko8zs0AO0=' "$WORK/tw.form"
expect_rc 1 "twilio http is not https"
# A JSON body with no bodySHA256 in --url: refused with the hint, not signed as a form.
run sign --scheme twilio --key 12345 --url https://example.com/hook "$WORK/st.json"
expect_input_error "twilio JSON without bodySHA256"
expect_err_has "twilio signs a JSON body through the URL: the URL Twilio calls carries bodySHA256=$(sha256sum <"$WORK/st.json" | cut -c1-64) (the body's SHA-256) in its query, and this --url has none (--url)" \
  "twilio JSON hint"

# A gzip body: listen's verdict and verify --request's on its record are one, over the same bytes:
# valid when the signature is over the bytes as they arrived or over them decoded; when it is not,
# the same reason and hints, naming Content-Encoding.
if command -v curl >/dev/null && command -v gzip >/dev/null; then
  printf '{"action":"opened","number":7}' >"$WORK/gz.plain"
  gzip -n -c "$WORK/gz.plain" >"$WORK/gz.body"
  hsig() { openssl dgst -sha256 -hmac "$1" <"$2" | awk '{print "sha256=" $NF}'; }
  listen gz --scheme github --key gz-key --json --record "$WORK/gz.jsonl" --count 4
  gzpost() { # SIGNATURE BODY-FILE
    curl -s --max-time 10 -o /dev/null -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' \
      -H "X-Hub-Signature-256: $1" --data-binary "@$2" "http://127.0.0.1:$PORT/hook"
  }
  gzpost "$(hsig gz-key "$WORK/gz.plain")" "$WORK/gz.body"  # 1: signed before compressing
  gzpost "$(hsig gz-key "$WORK/gz.body")" "$WORK/gz.body"   # 2: signed as sent, compressed
  gzpost "$(hsig gz-key "$WORK/gz.body")" "$WORK/gz.plain"  # 3: decoded on the way, header kept
  gzpost "$(hsig other-key "$WORK/gz.plain")" "$WORK/gz.body" # 4: another key
  finished gz
  expect_rc 0 "gz: listen exit"
  cp "$WORK/gz.out" "$WORK/gz.listen"
  for n in 1 2 3 4; do
    run verify --request "$WORK/gz.jsonl:$n" --scheme github --key gz-key --json
    printf '%s\n' "$OUT" >"$WORK/gz.verify$n"
    CHECKS=$((CHECKS + 1))
    python3 -c '
import json, sys
listened = [json.loads(l)["verdict"] for l in open(sys.argv[1])][int(sys.argv[3]) - 1]
verified = json.load(open(sys.argv[2]))
sys.exit(0 if listened == verified else 1)' "$WORK/gz.listen" "$WORK/gz.verify$n" "$n" ||
      fail "gz $n: listen's verdict $(sed -n "${n}p" "$WORK/gz.listen" | head -c 600) differs from verify --request's"
    case $n in
      1 | 2) expect_rc 0 "gz $n: valid" ;;
      *) expect_rc 1 "gz $n: invalid" ;;
    esac
  done
  run verify --request "$WORK/gz.jsonl:3" --scheme github --key gz-key
  expect_out "invalid: signature does not match
  hint: the headers say Content-Encoding: gzip but the body does not decode as gzip: something on the way (a proxy, your framework) decoded it and kept the header, or the header is wrong; the sender may have signed the compressed bytes it sent, so verify those bytes exactly as they arrived" \
    "gz 3: the hint names Content-Encoding"
  run verify --request "$WORK/gz.jsonl:4" --scheme github --key gz-key
  expect_out_has "hint: checked over the $(wc -c <"$WORK/gz.body") bytes as received (Content-Encoding: gzip) and over the 30 bytes they decode to: the signature matches neither" \
    "gz 4: both tried, said so"
  # verify with the headers copied out of a log does the same with the payload as received.
  run verify --scheme github --key gz-key -H 'Content-Encoding: gzip' \
    -H "X-Hub-Signature-256: $(hsig gz-key "$WORK/gz.plain")" "$WORK/gz.body"
  expect_rc 0 "gz: verify -H Content-Encoding decodes the payload"
  run verify --scheme github --key gz-key -H "X-Hub-Signature-256: $(hsig gz-key "$WORK/gz.plain")" "$WORK/gz.body"
  expect_rc 1 "gz: without the header"
  expect_out_has "hint: the body is gzip-compressed but no Content-Encoding header says so" "gz: gzip bytes named"
else
  echo "SKIP (part): curl or gzip is not installed: no gzip listen/verify --request checks"
fi

# Diagnoses issue 10 found wrong or missing.
# A Windows editor: CRLF and a final CRLF over pretty JSON, not "re-serialized JSON".
printf '{\n  "a": 1\n}' >"$WORK/sent.json"
printf '{\r\n  "a": 1\r\n}\r\n' >"$WORK/crlf.json"
run verify --scheme github --key k -H "X-Hub-Signature-256: sha256=$(openssl dgst -sha256 -hmac k <"$WORK/sent.json" | awk '{print $NF}')" "$WORK/crlf.json"
expect_rc 1 "crlf"
expect_out "invalid: signature does not match
  hint: it matches the payload with LF line endings and no final newline: your copy has CRLF and a final CRLF (a Windows editor saved it); verify the bytes as received" \
  "crlf with a final crlf"
# The URL of a scheme that signs it: http for https, a port, the query, a trailing slash.
printf '{"a":1}' >"$WORK/a.json"
sq() { { printf '%s' "$1"; cat "$WORK/a.json"; } | openssl dgst -sha256 -hmac k -binary | base64; }
run verify --scheme square --key k --url http://example.test/hook -H "x-square-hmacsha256-signature: $(sq https://example.test/hook)" "$WORK/a.json"
expect_rc 1 "square http"
expect_out "invalid: signature does not match
  hint: it matches the URL with https:// where yours has http://: the sender called https, and TLS ended at a proxy in front of you; give --url exactly as the sender called it" \
  "square: http for https"
run verify --scheme square --key k --url 'https://example.test/hook?b=2&a=1' -H "x-square-hmacsha256-signature: $(sq 'https://example.test/hook?a=1&b=2')" "$WORK/a.json"
expect_out_has "hint: it matches the URL with its query parameters in another order" "square: query reordered"
run verify --scheme square --key k --url https://example.test/hook/ -H "x-square-hmacsha256-signature: $(sq https://example.test/hook)" "$WORK/a.json"
expect_out_has "hint: it matches the URL without its trailing slash" "square: trailing slash"
run verify --scheme square --key k --url https://example.test:443/hook -H "x-square-hmacsha256-signature: $(sq https://example.test/hook)" "$WORK/a.json"
expect_out_has "hint: it matches the URL without its port :443" "square: default port added"
# A form re-encoded on the way: brackets decoded.
printf 'response%%5Bscore%%5D=7' >"$WORK/sent.form"
printf 'response[score]=7' >"$WORK/copy.form"
run verify --vendor wootric --key k -H "X-Wootric-Signature: sha1=$(openssl dgst -sha1 -hmac k <"$WORK/sent.form" | awk '{print $NF}')" "$WORK/copy.form"
expect_rc 1 "form re-encoded"
expect_out "invalid: signature does not match
  hint: it matches the form with its brackets percent-encoded (%5B%5D) where your copy has [] bare: verify the raw body bytes as received, before any form parsing or re-encoding (a proxy or your framework rebuilt the form)" \
  "form re-encoded: brackets"
# Stripe: a secret without whsec_, and --key-format whsec (one finding, no other scheme).
stw=$( { printf '1700000000.'; cat "$WORK/a.json"; } | openssl dgst -sha256 -hmac whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | awk '{print $NF}')
run verify --scheme stripe --key MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --tolerance 0 -H "Stripe-Signature: t=1700000000,v1=$stw" "$WORK/a.json"
expect_rc 1 "stripe without whsec_"
expect_out "invalid: signature does not match
  hint: it matches the secret with whsec_ in front: Stripe signs with the whole secret as its dashboard shows it, whsec_ included; give the secret with its whsec_ prefix" \
  "stripe without whsec_"
run verify --scheme stripe --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --key-format whsec --tolerance 0 -H "Stripe-Signature: t=1700000000,v1=$stw" "$WORK/a.json"
expect_rc 1 "stripe --key-format whsec"
expect_out "invalid: signature does not match
  hint: it matches the secret read the way Stripe reads it (the whole secret, verbatim): drop --key-format whsec" \
  "stripe --key-format whsec: one finding, no calendly"

# verify FILE -H and verify --request go one way: the same missing-signature verdict and hint,
# the key asked for only when there is a signature to check; a record says whether it came over
# TLS, and the URL a scheme signs is https:// then (a record without "tls" is plain HTTP).
run verify --scheme github --key k -H 'Stripe-Signature: t=1,v1=00' "$WORK/a.json"
expect_rc 1 "-H: no signature header"
expect_out "invalid: no X-Hub-Signature-256 header in the request
  hint: the headers carry Stripe-Signature: try --scheme stripe" "-H: no signature header"
printf '%s\n' '{"method":"POST","path":"/hook","headers":[["Host","example.test"],["Stripe-Signature","t=1,v1=00"]],"body":"{\"a\":1}"}' >"$WORK/unsigned.jsonl"
HOOKTOOL_KEY= run verify --scheme github --request "$WORK/unsigned.jsonl"
expect_rc 1 "--request: no signature header, no key needed"
expect_out "invalid: no X-Hub-Signature-256 header in the request
  hint: the headers carry Stripe-Signature: try --scheme stripe" "--request: no signature header"
HOOKTOOL_KEY= run verify --scheme stripe --request "$WORK/unsigned.jsonl"
expect_input_error "--request: a signature to check needs the key"
expect_err_has "no key: give --key, --key-file or set HOOKTOOL_KEY (key)" "--request: no key"
for scheme in https http; do
  tls=$([ $scheme = https ] && printf ',"tls":true')
  printf '{"method":"POST","path":"/hook","query":"x=1","http_version":"HTTP/1.1"%s,"headers":[["Host","example.test"],["x-square-hmacsha256-signature","%s"]],"body":"%s"}\n' \
    "$tls" "$(sq "$scheme://example.test/hook?x=1")" '{\"a\":1}' >"$WORK/sq-$scheme.jsonl"
  run verify --scheme square --key k --request "$WORK/sq-$scheme.jsonl"
  expect_rc 0 "--request: square over $scheme"
  expect_out "valid" "--request: square over $scheme signs $scheme://"
done
run verify --scheme square --key k --request "$WORK/sq-https.jsonl" --url http://example.test/hook?x=1
expect_rc 1 "--request --url wins over the record's URL"

# --json verdict.
run verify --scheme github --key "$GH_KEY" --signature "sha256=$GH_SIG" --json "$WORK/gh-nl.txt"
expect_rc 1 "json invalid"
expect_out_has '"valid": false' "json valid field"
expect_out_has '"code": "trailing-newline-added"' "json finding code"
run verify --scheme github --key "$GH_KEY" --signature "sha256=$GH_SIG" --json "$WORK/gh.txt"
expect_out '{
  "valid": true,
  "scheme": "github",
  "findings": []
}' "json valid"

# Wootric via --vendor; the key never appears.
printf '{"response":{"id":1128,"email":"nps@example.com","score":7},"event_name":"created","timestamp":"2016-08-04T13:57:31.329-07:00","account_token":"NPS-xxxxxxxx","survey_mode":"NPS"}' >"$WORK/wt.json"
run -v verify --vendor wootric --key 09dfb1b73af998743fb011f8bfda8912 -H 'X-Wootric-Signature: sha1=4f10daa397edc1dedf97dbc0e262dfe896dd0fd8' "$WORK/wt.json"
expect_rc 0 "WT-1"
expect_not_in_output 09dfb1b73af998743fb011f8bfda8912 "verify -v"
finish
