#!/usr/bin/env bash
# Issue 12, framing as RFC 9112 says, each on its own connection, carrying a 40-byte body that is
# itself a request (GET /smuggled): `Content-Length : 40` (whitespace before the colon), obs-fold
# and a head line ending in a bare LF are answered 400 (a bare LF may instead be taken as a line
# end, consistently: then the 40 bytes are the body of /framing), and a 100 KB request target 414.
# The record never holds /smuggled; the listener answers a normal POST after each.
# These do not depend on scale: asserted in light runs too.
source "$(dirname "$0")/../cli/lib.sh"
source "$SRC/tests/stress/attack_lib.sh"

listen framing --record "$WORK/framing.jsonl"
attack framing "$PORT" space-colon --pid "${PIDS[framing]}"
must statuses == 400 "Content-Length : 40"
must after == 200 "a POST after Content-Length : 40"
attack framing "$PORT" obs-fold --pid "${PIDS[framing]}"
must statuses == 400 "obs-fold"
must after == 200 "a POST after obs-fold"
attack framing "$PORT" bare-lf --pid "${PIDS[framing]}"
# The listener refuses a bare LF (the issue allows taking it as a line end consistently instead).
must statuses == 400 "a head line ending in a bare LF"
must after == 200 "a POST after a bare LF"
attack framing "$PORT" long-target --pid "${PIDS[framing]}"
must statuses == 414 "a 100 KB request target"
must after == 200 "a POST after a 100 KB request target"
listener_ok framing "framing"
stop framing "framing"

# The record: the POSTs after each case; never /smuggled, nor a refused /framing.
CHECKS=$((CHECKS + 1))
got=$(python3 - "$WORK/framing.jsonl" <<'P'
import json, sys
paths = []
for line in open(sys.argv[1], 'rb'):
    r = json.loads(line)
    p = r['path']
    if p == '/framing':
        p += ' body=%d' % len(r['body'])
    paths.append(p)
print(' '.join(paths))
P
)
want='/after /after /after /after'
[ "$got" = "$want" ] || { OUT=$got ERR=; fail "record: expected <$want> (never /smuggled)"; }
finish
