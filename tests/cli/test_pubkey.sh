#!/usr/bin/env bash
# Public-key schemes: keygen, sign with the private key, verify and listen with the public one
# (discord: Ed25519 over timestamp + body; standard v1a: Ed25519 over id.timestamp.body), each
# signature checked independently by `openssl pkeyutl -verify -rawin`, and send --vendor discord
# delivering to a real listener that checks it.
source "$(dirname "$0")/lib.sh"

# --- keygen: labelled text, JSON, PEM; the formats each provider uses.
run keygen --scheme discord
expect_rc 0 "keygen discord"
grep -qE '^private key: [0-9a-f]{64}$' <<<"$OUT" || fail "keygen discord: private key line"
grep -qE '^public key:  [0-9a-f]{64}$' <<<"$OUT" || fail "keygen discord: public key line"
CHECKS=$((CHECKS + 2))
run keygen --scheme standard --json
expect_rc 0 "keygen standard --json"
python3 - "$OUT" <<'PY' || fail "keygen standard --json: whsk_ (64 bytes) and whpk_ (32 bytes)"
import base64, json, sys
d = json.loads(sys.argv[1])
assert d["scheme"] == "standard" and d["algorithm"] == "ed25519", d
assert d["private_key"].startswith("whsk_") and len(base64.b64decode(d["private_key"][5:])) == 64
assert d["public_key"].startswith("whpk_") and len(base64.b64decode(d["public_key"][5:])) == 32
assert base64.b64decode(d["private_key"][5:])[32:] == base64.b64decode(d["public_key"][5:])
PY
CHECKS=$((CHECKS + 1))
run keygen --scheme discord --pem
expect_rc 0 "keygen --pem"
expect_out_has "-----BEGIN PRIVATE KEY-----" "keygen --pem: private"
expect_out_has "-----BEGIN PUBLIC KEY-----" "keygen --pem: public"
bad "keygen for an HMAC scheme" keygen --scheme github
expect_err_has "github signs with a shared secret, not a key pair" "keygen github"
run keygen --help
expect_out_has "The private key is printed" "keygen --help says it prints the private key"

# --- discord: a fixed key (RFC 8032 7.1 TEST 1), so the signature is a known value.
SEED=9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
PUB=d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
printf '%s\n' "$SEED" >"$WORK/discord.key"
printf '%s' "$PUB" >"$WORK/discord.pub"
printf '{"id":"1","type":1,"version":1}' >"$WORK/ping.json"
run sign --scheme discord --key-file "$WORK/discord.key" --timestamp 1700000000 "$WORK/ping.json"
expect_rc 0 "sign discord"
SIG=$(sed -n 's/^X-Signature-Ed25519: //p' <<<"$OUT")
expect_out "X-Signature-Timestamp: 1700000000
X-Signature-Ed25519: $SIG" "sign discord: the two headers"
expect_not_in_output "$SEED" "sign discord"
CHECKS=$((CHECKS + 1))
[[ "$SIG" =~ ^[0-9a-f]{128}$ ]] || fail "discord signature is 128 lowercase hex"

# Independently: OpenSSL verifies the signature over "1700000000" + body with the public key.
printf '302a300506032b6570032100%s' "$PUB" | xxd -r -p | openssl pkey -pubin -inform DER -out "$WORK/discord.pem" 2>/dev/null
{ printf '1700000000'; cat "$WORK/ping.json"; } >"$WORK/discord.msg"
printf '%s' "$SIG" | xxd -r -p >"$WORK/discord.sig"
CHECKS=$((CHECKS + 1))
openssl pkeyutl -verify -pubin -inkey "$WORK/discord.pem" -rawin -in "$WORK/discord.msg" \
  -sigfile "$WORK/discord.sig" >/dev/null 2>&1 || fail "openssl pkeyutl refuses the discord signature"

HDRS=(-H "X-Signature-Timestamp: 1700000000" -H "X-Signature-Ed25519: $SIG")
run verify --scheme discord --public-key "$PUB" --tolerance 0 "${HDRS[@]}" "$WORK/ping.json"
expect_rc 0 "verify discord --public-key"
expect_out "valid" "verify discord --public-key"
run verify --vendor discord --public-key-file "$WORK/discord.pem" --tolerance 0 "${HDRS[@]}" "$WORK/ping.json"
expect_rc 0 "verify discord --public-key-file PEM"
expect_out "valid" "verify discord PEM"
printf '{"id":"1","type":2,"version":1}' >"$WORK/tampered.json"
run verify --scheme discord --public-key "$PUB" --tolerance 0 "${HDRS[@]}" "$WORK/tampered.json"
expect_rc 1 "verify discord: tampered body"
expect_out "invalid: signature does not match
  hint: no common mistake explains it: most likely the public key is not the one of the key that signed, or the body was changed on the way" "verify discord: tampered body"
run verify --scheme discord --public-key 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c \
  --tolerance 0 "${HDRS[@]}" "$WORK/ping.json"
expect_rc 1 "verify discord: wrong public key"
expect_out "invalid: signature does not match
  hint: no common mistake explains it: most likely the public key is not the one of the key that signed, or the body was changed on the way" "verify discord: wrong public key"
printf '%s' "$(cat "$WORK/ping.json")" | { printf '%s\n' "$(cat)"; } >"$WORK/ping-nl.json"
run verify --scheme discord --public-key "$PUB" --tolerance 0 "${HDRS[@]}" "$WORK/ping-nl.json"
expect_rc 1 "verify discord: a newline added"
expect_out "invalid: signature does not match
  hint: the body has a trailing newline the sender did not sign (an editor or echo added it): verify the bytes exactly as they arrived" "verify discord: the newline hint"
run verify --scheme discord --public-key "$PUB" "${HDRS[@]}" "$WORK/ping.json"
expect_rc 1 "verify discord: a 2023 timestamp is stale"
expect_out_has "invalid: timestamp too old" "verify discord: stale"

# The key options are the right side or refused, and a private key is never quoted.
bad "verify discord with the private key" verify --scheme discord --key-file "$WORK/discord.key" "${HDRS[@]}" "$WORK/ping.json"
expect_err_has "discord is checked with the public key" "private key to verify"
expect_not_in_output "$SEED" "private key to verify"
bad "verify discord without a key" verify --scheme discord "${HDRS[@]}" "$WORK/ping.json"
expect_err_has "no public key: give --public-key VALUE or --public-key-file FILE (--public-key)" "no public key"
bad "a public key for github" verify --scheme github --public-key "$PUB" -H "X-Hub-Signature-256: sha256=00" "$WORK/ping.json"
expect_err_has "github signs with a shared secret" "public key for an HMAC scheme"
bad "a malformed public key" verify --scheme discord --public-key abc "${HDRS[@]}" "$WORK/ping.json"
expect_err_has "the public key is not 64 hex characters" "malformed public key"
printf 'whsk_c2VjcmV0LWJ1dC1zaG9ydA==' >"$WORK/bad.key"
bad "a malformed private key" sign --scheme discord --key-file "$WORK/bad.key" "$WORK/ping.json"
expect_err_has "the private key is not whsk_ + base64" "malformed private key"
expect_not_in_output "c2VjcmV0LWJ1dC1zaG9ydA" "malformed private key"

# --- standard: a whsk_ key signs v1a; the whpk_ key verifies it next to a v1 entry.
run keygen --scheme standard
WHSK=$(sed -n 's/^private key: //p' <<<"$OUT")
WHPK=$(sed -n 's/^public key:  //p' <<<"$OUT")
printf '{"type":"contact.created"}' >"$WORK/sw.json"
HOOKTOOL_KEY="$WHSK" run sign --scheme standard --id msg_1 --timestamp 1700000000 "$WORK/sw.json"
expect_rc 0 "sign standard v1a"
V1A=$(sed -n 's/^webhook-signature: v1a,//p' <<<"$OUT")
expect_out "webhook-id: msg_1
webhook-timestamp: 1700000000
webhook-signature: v1a,$V1A" "sign standard v1a: headers"
expect_not_in_output "$WHSK" "sign standard v1a"
{ printf '302a300506032b6570032100' | xxd -r -p; printf '%s' "${WHPK#whpk_}" | base64 -d; } |
  openssl pkey -pubin -inform DER -out "$WORK/sw.pem" 2>/dev/null
printf 'msg_1.1700000000.%s' "$(cat "$WORK/sw.json")" >"$WORK/sw.msg"
printf '%s' "$V1A" | base64 -d >"$WORK/sw.sig"
CHECKS=$((CHECKS + 1))
openssl pkeyutl -verify -pubin -inkey "$WORK/sw.pem" -rawin -in "$WORK/sw.msg" -sigfile "$WORK/sw.sig" \
  >/dev/null 2>&1 || fail "openssl pkeyutl refuses the v1a signature"
SWH=(-H "webhook-id: msg_1" -H "webhook-timestamp: 1700000000" -H "webhook-signature: v1,AAAA v1a,$V1A")
run verify --scheme standard --public-key "$WHPK" --tolerance 0 "${SWH[@]}" "$WORK/sw.json"
expect_rc 0 "verify standard v1a"
expect_out "valid" "verify standard v1a"
run verify --scheme standard --public-key-file "$WORK/sw.pem" --tolerance 0 "${SWH[@]}" "$WORK/sw.json"
expect_out "valid" "verify standard v1a with PEM"
run verify --scheme standard --public-key "$WHPK" --tolerance 0 "${SWH[@]}" "$WORK/tampered.json"
expect_rc 1 "verify standard v1a: tampered"
expect_out "invalid: signature does not match
  hint: no common mistake explains it: most likely the public key is not the one of the key that signed, or the body was changed on the way" "verify standard v1a: tampered"
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --tolerance 0 "${SWH[@]}" "$WORK/sw.json"
expect_rc 1 "a whsec key checks the v1 entry"
expect_out_has "invalid: signature does not match" "a whsec key checks the v1 entry"
run verify --scheme standard --key whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw --tolerance 0 \
  -H "webhook-id: msg_1" -H "webhook-timestamp: 1700000000" -H "webhook-signature: v1a,$V1A" "$WORK/sw.json"
expect_rc 1 "a whsec key for v1a entries only"
expect_out "invalid: no v1, signature in webhook-signature
  hint: webhook-signature carries v1a, (Ed25519) signatures: they are checked with the public key (--public-key whpk_...), not a shared secret" "a whsec key for v1a entries: the hint"

# --- send --vendor discord signs what a listener with the public key accepts.
listen recv --vendor discord --public-key-file "$WORK/discord.pub" --count 2
"$HOOKTOOL" send --vendor discord --key-file "$WORK/discord.key" "http://127.0.0.1:$PORT/interactions" \
  >"$WORK/send.out" 2>"$WORK/send.err"
RC=$?
expect_rc 0 "send --vendor discord"
"$HOOKTOOL" send --vendor discord --event application_command --key-file "$WORK/discord.key" \
  "http://127.0.0.1:$PORT/interactions" >/dev/null 2>&1
finished recv
expect_rc 0 "listen --public-key-file"
expect_out_has "X-Signature-Ed25519: " "listen: the signature header arrived"
expect_out_has "User-Agent: Discord-Interactions/1.0 (+https://discord.com)" "listen: Discord's user agent"
CHECKS=$((CHECKS + 1))
[ "$(grep -c '^verdict: valid (discord)' <<<"$OUT")" = 2 ] || fail "listen: both interactions valid"
expect_not_in_output "$SEED" "send and listen"

# --- the catalog says what signs with a key pair.
run schemes --json
expect_rc 0 "schemes --json"
python3 - "$OUT" <<'PY' || fail "schemes --json: discord is Ed25519 of {timestamp}{body}, key format ed25519"
import json, sys
d = {s["name"]: s for s in json.loads(sys.argv[1])["schemes"]}["discord"]
assert (d["algorithm"], d["signs"], d["encoding"], d["key_format"]) == ("ed25519", "{timestamp}{body}", "hex", "ed25519"), d
PY
CHECKS=$((CHECKS + 1))

# listen for discord without a public key names the events and says why nothing is checked.
listen nokey --vendor discord --count 1
post nokey -H "X-Signature-Timestamp: 1700000000" -H "X-Signature-Ed25519: $SIG" --data-binary @"$WORK/ping.json" /
finished nokey
expect_rc 0 "listen discord without a public key"
expect_err_has "no public key given: events are named, signatures not checked (--public-key or --public-key-file to check discord)" "listen: no public key note"

finish
