#!/usr/bin/env bash
# A vendor's own headers end to end: hooktool send --vendor github delivers GitHub's delivery
# headers (vendors/github.json), and hooktool listen --vendor github names the event from
# X-GitHub-Event and checks the signature.
source "$(dirname "$0")/lib.sh"
export TZ=UTC

KEY=gh_secret
listen gh --vendor github --key "$KEY" --count 1 --json
run send --vendor github --key "$KEY" --seed 3 "http://127.0.0.1:$PORT/github"
expect_rc 0 "send --vendor github to listen"
finished gh
expect_rc 0 "listen --count 1 exits 0"
LINE=$OUT

CHECKS=$((CHECKS + 1))
grep -q '"X-GitHub-Event"' <<<"$LINE" || fail "send --vendor github delivers X-GitHub-Event (${LINE:0:300})"

py_check() {
  CHECKS=$((CHECKS + 1))
  python3 -c "$1" "$LINE" || fail "$2"
}
py_check '
import json, re, sys
hook = json.loads(sys.argv[1])
headers = dict(hook["headers"])
assert [n for n, _ in hook["headers"]].count("User-Agent") == 1, hook["headers"]
body = json.loads(hook["body"])
assert hook["event"] == "ping", hook["event"]
assert hook["verdict"]["valid"] is True, hook["verdict"]
assert headers["X-GitHub-Event"] == "ping"
assert re.fullmatch(r"GitHub-Hookshot/[0-9a-f]{7}", headers["User-Agent"]), headers["User-Agent"]
assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", headers["X-GitHub-Delivery"])
assert headers["X-GitHub-Hook-ID"] == str(body["hook_id"])
assert headers["X-GitHub-Hook-Installation-Target-ID"] == str(body["repository"]["id"])
assert headers["X-GitHub-Hook-Installation-Target-Type"] == "repository"
assert headers["X-Hub-Signature-256"].startswith("sha256=")
' "listen --json names the event ping from X-GitHub-Event, with GitHub's delivery headers and a valid signature"

# The same delivery shown for people names the event too.
listen gh2 --vendor github --key "$KEY" --count 1
run send --vendor github --key "$KEY" "http://127.0.0.1:$PORT/github"
expect_rc 0 "second send"
finished gh2
expect_rc 0 "text listen exits 0"
expect_out_has "event: ping" "listen names the event"
expect_out_has "X-GitHub-Event: ping" "the header is shown"
expect_out_has "verdict: valid (github)" "the signature checks"
finish
