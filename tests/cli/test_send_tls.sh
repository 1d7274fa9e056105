#!/usr/bin/env bash
# hooktool send over HTTPS: certificates are verified by default, --cacert trusts a CA, --insecure
# skips the check and says so.
source "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 is needed for the test receiver"; exit 77; }

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" >/dev/null 2>&1
python3 "$SRC/tests/cli/receiver.py" "$WORK/port" "$WORK/log" "$WORK/cert.pem" "$WORK/key.pem" &
RECEIVER=$!
trap 'kill $RECEIVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
URL="https://127.0.0.1:$(cat "$WORK/port")/hook"

run send --vendor wisepops --key k "$URL"
expect_rc 3 "untrusted certificate"
expect_out_has "not trusted" "says why"
expect_out_has "--cacert" "says what to do"
run send --vendor wisepops --key k --cacert "$WORK/cert.pem" "$URL"
expect_rc 0 "--cacert"
expect_out_has "tls " "TLS time shown"
run send --vendor wisepops --key k --insecure "$URL"
expect_rc 0 "--insecure"
expect_err_has "not checked" "--insecure warns"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$WORK/log")" = 2 ] || fail "two deliveries arrived"
finish
