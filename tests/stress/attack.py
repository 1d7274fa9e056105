#!/usr/bin/env python3
"""The attacks of issue 12 on `hooktool listen`, over loopback; Python 3 standard library only.

usage: attack.py ATTACK PORT [options]          (attack.py --help, attack.py ATTACK --help)

Each attack prints one figure line, "attack: ...", and one line "RESULT key=value ..." that the
tests (tests/stress/test_attack_*.sh) assert on. --pid names the listener: the figure states its
peak RSS (VmHWM of /proc/PID/status; the listener is started afresh for each attack, so the peak is
the attack's).

Hold attacks (idle, heads, bodies, tls, forwards) keep COUNT connections open in a child process,
opening a new one whenever the listener closes one (an attacker would), and meanwhile the parent
sends PROBES valid hooks: a POST on a fresh connection, one every 20 ms, each timed from the start
of connect() to the last byte of the answer (the probes do not wait for each other: a stalled
listener cannot hide behind a slow probe). p99 of 50 probes is their maximum. A probe that gets no
answer within the probe time-out counts as that time-out.

HOOKTOOL_STRESS_PROBE_TIMEOUT=SECONDS changes the probe time-out (5 s; 10 s when light).
HOOKTOOL_STRESS_LIGHT=1 runs every attack at 1/10 of its count (the sanitizer pass of scripts/test).
The open-file limit is raised to the hard limit; when that is too low for COUNT, COUNT is scaled
down and the figure says so.
"""
import argparse
import asyncio
import logging
import math
import multiprocessing
import os
import re
import resource
import socket
import ssl
import sys
import threading
import time
import zlib

HOST = '127.0.0.1'
LIGHT = os.environ.get('HOOKTOOL_STRESS_LIGHT', '') not in ('', '0')
logging.getLogger('asyncio').setLevel(logging.CRITICAL)  # no "socket.send() raised" noise


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1 << 20
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def scaled(count, fds_per_conn=1):
    """COUNT for this run and a note for the figure: 1/10 when light, less when fds are short.
    The listener (started by the test with the same raised limit) needs fds_per_conn a connection."""
    note = []
    if LIGHT:
        count = max(1, count // 10)
        note.append('light: 1/10 scale')
    hard = raise_fd_limit()
    room = (hard - 256) // max(1, fds_per_conn)
    if count > room:
        note.append('scaled down from %d: ulimit -n hard limit is %d' % (count, hard))
        count = max(1, room)
    return count, ('; ' + ', '.join(note)) if note else ''


def peak_rss_mib(pid):
    if not pid:
        return None
    try:
        with open('/proc/%d/status' % pid) as f:
            m = re.search(r'^VmHWM:\s+(\d+) kB', f.read(), re.M)
        return int(m.group(1)) / 1024 if m else None
    except OSError:
        return None


def rss_text(pid):
    rss = peak_rss_mib(pid)
    return 'listener peak RSS %s' % ('%.0f MiB' % rss if rss is not None else 'unknown (listener gone)')


def rss_field(pid):
    rss = peak_rss_mib(pid)
    return 'rss_mib=%s' % ('%.0f' % rss if rss is not None else 'gone')


def alive(pid):
    if not pid:
        return 1
    try:
        os.kill(pid, 0)
        return 1
    except OSError:
        return 0


# ---------------------------------------------------------------------------------------------
# Reading an HTTP answer (blocking sockets: the probes)


def read_answer(sock, deadline):
    """Reads one answer; returns its status (an int) or raises socket.timeout / OSError."""
    data = b''
    while b'\r\n\r\n' not in data:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise OSError('closed before an answer')
        data += chunk
    head, _, body = data.partition(b'\r\n\r\n')
    m = re.match(rb'HTTP/1\.[01] (\d{3})', head)
    if not m:
        raise OSError('not an HTTP answer')
    length = re.search(rb'(?im)^content-length:\s*(\d+)\s*$', head)
    want = int(length.group(1)) if length else None
    while want is None or len(body) < want:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            if want is None:
                break
            raise OSError('closed in the answer body')
        body += chunk
    return int(m.group(1))


_TLS_CONTEXT = []


def tls_client_context():
    # Made once: create_default_context() loads the system's CA store, 20-50 ms that a probe timed
    # from its connect would count as the listener's.
    if not _TLS_CONTEXT:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        _TLS_CONTEXT.append(ctx)
    return _TLS_CONTEXT[0]


PROBE_BODY = b'{"probe":1}'


def probe_once(port, path, tls, timeout):
    """One valid hook on a fresh connection: (milliseconds or None, status or error text)."""
    if tls:
        tls_client_context()
    start = time.monotonic()
    deadline = start + timeout
    sock = None
    try:
        sock = socket.create_connection((HOST, port), timeout=timeout)
        if tls:
            sock.settimeout(max(0.001, deadline - time.monotonic()))
            sock = tls_client_context().wrap_socket(sock, server_hostname='localhost')
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        sock.sendall(b'POST %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n'
                     b'Content-Length: %d\r\nConnection: close\r\n\r\n%s'
                     % (path.encode(), port, len(PROBE_BODY), PROBE_BODY))
        status = read_answer(sock, deadline)
        return (time.monotonic() - start) * 1000, status
    except (OSError, ssl.SSLError) as e:
        return None, type(e).__name__
    finally:
        if sock is not None:
            sock.close()


def run_probes(port, count, path='/probe', tls=False, timeout=None, interval=0.02):
    """COUNT probes, one started every INTERVAL s, each in its own thread."""
    timeout = timeout or float(os.environ.get('HOOKTOOL_STRESS_PROBE_TIMEOUT') or (10 if LIGHT else 5))
    results = [None] * count

    def one(i):
        results[i] = probe_once(port, path, tls, timeout)

    threads = []
    for i in range(count):
        t = threading.Thread(target=one, args=(i,), daemon=True)
        t.start()
        threads.append(t)
        time.sleep(interval)
    for t in threads:
        t.join(timeout + 5)
    answered = [ms for ms, status in (r or (None, None) for r in results) if ms is not None and status == 200]
    others = sorted({str(r[1]) for r in results if r and (r[0] is None or r[1] != 200)})
    times = sorted(ms if (ms is not None and status == 200) else timeout * 1000
                   for ms, status in (r or (None, None) for r in results))
    p99 = times[min(len(times) - 1, math.ceil(0.99 * len(times)) - 1)]
    median = times[len(times) // 2]
    return {'count': count, 'answered': len(answered), 'p99': p99, 'median': median,
            'timeout': timeout, 'others': others}


def probe_text(p):
    if p['answered'] == p['count']:
        p99 = '%.1f ms' % p['p99']
    else:
        p99 = '> %.0f ms (time-out)' % (p['timeout'] * 1000)
    text = 'probe p99 %s, median %.1f ms (%d probes, %d answered 200' % (
        p99, p['median'], p['count'], p['answered'])
    if p['others']:
        text += '; others: ' + ' '.join(p['others'])
    return text + ')'


def probe_fields(p):
    return 'probes=%d answered=%d p99_ms=%.1f median_ms=%.1f' % (
        p['count'], p['answered'], p['p99'] if p['answered'] == p['count'] else p['timeout'] * 1000,
        p['median'])


# ---------------------------------------------------------------------------------------------
# Hold attacks: COUNT connections kept open by a child process


def truncated_client_hello():
    ctx = tls_client_context()
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(incoming, outgoing, server_hostname='localhost')
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = outgoing.read()
    return hello[:len(hello) // 2]


class Holder:
    """Keeps COUNT connections doing BEHAVIOUR; reopens one whenever the listener ends it."""

    def __init__(self, port, count, behaviour, path):
        self.port, self.count, self.behaviour, self.path = port, count, behaviour, path
        self.open = 0          # connections open now
        self.started = 0       # connections that have done their first step at least once
        self.reopened = 0      # connections opened again after the listener ended one
        self.failed = 0        # connect() failures or time-outs
        self.answers = {}      # status (or "closed") of what the listener said before ending one
        self.stop = False
        self.hello = truncated_client_hello() if behaviour == 'tls' else b''
        self.gate = None

    def note_end(self, data):
        m = re.match(rb'HTTP/1\.[01] (\d{3})', data or b'')
        key = m.group(1).decode() if m else 'closed'
        self.answers[key] = self.answers.get(key, 0) + 1

    async def one(self, i):
        first = True
        while not self.stop:
            async with self.gate:
                try:
                    r, w = await asyncio.wait_for(asyncio.open_connection(HOST, self.port), 3)
                except (OSError, asyncio.TimeoutError):
                    self.failed += 1
                    await asyncio.sleep(0.5)
                    continue
            self.open += 1
            if not first:
                self.reopened += 1
            try:
                await self.behave(r, w, first)
            except (OSError, asyncio.IncompleteReadError):
                self.note_end(b'')
            finally:
                self.open -= 1
                w.transport.abort()
            first = False
            if not self.stop:
                await asyncio.sleep(0.1)

    async def behave(self, r, w, first):
        reader = asyncio.ensure_future(r.read(65536))
        b = self.behaviour
        if b == 'idle':
            pass
        elif b == 'heads':
            w.write(b'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n' % self.path.encode())
        elif b == 'bodies':
            w.write(b'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n'
                    b'Content-Length: 1000000\r\n\r\n' % self.path.encode())
        elif b == 'tls':
            w.write(self.hello)
        elif b == 'forwards':
            w.write(b'POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
                    b'Content-Length: %d\r\n\r\n%s' % (self.path.encode(), len(PROBE_BODY), PROBE_BODY))
        if first:
            self.started += 1
        n = 0
        while not reader.done():
            await asyncio.wait([reader], timeout=1.0)
            if reader.done() or w.is_closing():
                break
            if b == 'heads':
                w.write(b'X-Trickle-%d: %d\r\n' % (n, n))
            elif b == 'bodies':
                w.write(b'a')
            n += 1
        try:
            self.note_end(reader.result() if reader.done() else b'')
        except (OSError, asyncio.IncompleteReadError):
            self.note_end(b'')

    async def main(self, conn, ramp_s):
        self.gate = asyncio.Semaphore(256)  # connects in flight at once
        tasks = [asyncio.ensure_future(self.one(i)) for i in range(self.count)]
        loop = asyncio.get_running_loop()
        start = time.monotonic()
        while self.started < self.count and time.monotonic() - start < ramp_s:
            await asyncio.sleep(0.05)
        ramp = time.monotonic() - start
        conn.send({'open': self.open, 'started': self.started, 'ramp_s': ramp})
        asked = asyncio.Event()
        loop.add_reader(conn.fileno(), asked.set)
        await asked.wait()
        conn.recv()
        conn.send({'open': self.open, 'started': self.started, 'reopened': self.reopened,
                   'failed': self.failed, 'answers': dict(self.answers), 'ramp_s': ramp})
        self.stop = True
        for t in tasks:
            t.cancel()


def hold_child(conn, port, count, behaviour, path, ramp_s):
    raise_fd_limit()
    asyncio.run(Holder(port, count, behaviour, path).main(conn, ramp_s))


HOLD_WHAT = {
    'idle': '%d idle connections',
    'heads': '%d partial heads trickling (1 header line/s)',
    'bodies': '%d slow bodies (1 byte/s)',
    'tls': '%d stalled TLS handshakes (half a ClientHello)',
    'forwards': '%d forwards to a hanging app',
}


def attack_hold(args):
    count, note = scaled(args.count, 2 if args.attack == 'forwards' else 1)
    ctx = multiprocessing.get_context('fork')
    parent, child_end = ctx.Pipe()
    ramp_s = 60.0 if LIGHT else 30.0
    child = ctx.Process(target=hold_child, args=(child_end, args.port, count, args.attack,
                                                 args.path, ramp_s), daemon=True)
    child.start()
    if not parent.poll(ramp_s + 10):
        print('attack: %s: the attacker did not get ready' % (HOLD_WHAT[args.attack] % count))
        child.kill()
        return 2
    ready = parent.recv()
    time.sleep(args.settle)
    probes = run_probes(args.port, args.probes, args.probe_path, args.tls)
    parent.send('stats')
    stats = parent.recv() if parent.poll(20) else {}
    child.kill()
    child.join(5)
    rss = rss_text(args.pid)
    ends = ' '.join('%s:%d' % kv for kv in sorted(stats.get('answers', {}).items())) or 'none'
    print('attack: %s: %s; %d of %d open at the end (%d opened again after the listener ended '
          'one; ends: %s), %s%s' % (
              HOLD_WHAT[args.attack] % count, probe_text(probes), stats.get('open', 0), count,
              stats.get('reopened', 0), ends, rss, note))
    print('RESULT attack=%s count=%d %s open=%d started=%d ramp_s=%.1f %s alive=%d light=%d' % (
        args.attack, count, probe_fields(probes), stats.get('open', 0), ready['started'],
        ready['ramp_s'], rss_field(args.pid), alive(args.pid), int(LIGHT)))
    return 0


# ---------------------------------------------------------------------------------------------
# Flood: COUNT keep-alive connections posting back to back; the time to each one's first answer


async def read_answer_async(r):
    head = await r.readuntil(b'\r\n\r\n')
    m = re.match(rb'HTTP/1\.[01] (\d{3})', head)
    length = re.search(rb'(?im)^content-length:\s*(\d+)\s*$', head)
    if length:
        await r.readexactly(int(length.group(1)))
    return int(m.group(1)) if m else 0


async def flood(port, count, seconds, conn):
    body = b'{"flood":"' + b'x' * 1000 + b'"}'
    request = (b'POST /flood HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
               b'Content-Length: %d\r\n\r\n%s' % (len(body), body))
    first = [None] * count
    answered = [0]
    statuses = {}
    start = time.monotonic()
    end = start + seconds

    async def one(i):
        t0 = time.monotonic()
        while time.monotonic() < end:
            try:
                r, w = await asyncio.wait_for(asyncio.open_connection(HOST, port), end - time.monotonic())
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(0.05)
                continue
            try:
                while time.monotonic() < end:
                    w.write(request)
                    status = await asyncio.wait_for(read_answer_async(r), end - time.monotonic())
                    statuses[status] = statuses.get(status, 0) + 1
                    answered[0] += 1
                    if first[i] is None:
                        first[i] = (time.monotonic() - t0) * 1000
            except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError):
                pass
            finally:
                w.transport.abort()

    tasks = [asyncio.ensure_future(one(i)) for i in range(count)]
    conn.send('started')
    await asyncio.gather(*tasks, return_exceptions=True)
    got = [f for f in first if f is not None]
    conn.send({'none': count - len(got), 'max': max(got) if got else None, 'answered': answered[0],
               'statuses': statuses, 'seconds': time.monotonic() - start})


def flood_child(conn, port, count, seconds):
    raise_fd_limit()
    asyncio.run(flood(port, count, seconds, conn))


def attack_flood(args):
    count, note = scaled(args.count)
    ctx = multiprocessing.get_context('fork')
    parent, child_end = ctx.Pipe()
    child = ctx.Process(target=flood_child, args=(child_end, args.port, count, args.seconds),
                        daemon=True)
    child.start()
    parent.poll(10)
    parent.recv()
    time.sleep(1)
    probes = run_probes(args.port, args.probes)
    stats = parent.recv() if parent.poll(args.seconds + 20) else {}
    child.kill()
    slowest = stats.get('max')
    if stats.get('none', count) or slowest is None:  # some waited the whole run, and more
        slowest_text = '> %.0f s (%d never answered)' % (args.seconds, stats.get('none', count))
        slowest = args.seconds * 1000
    else:
        slowest_text = '%.0f ms' % slowest
    print('attack: %d connections posting back to back for %.0f s: slowest first answer %s; '
          '%d answered (%s); new POSTs meanwhile: %s; %s%s' % (
              count, args.seconds, slowest_text, stats.get('answered', 0),
              ' '.join('%s:%d' % kv for kv in sorted(stats.get('statuses', {}).items())),
              probe_text(probes), rss_text(args.pid), note))
    print('RESULT attack=flood count=%d first_max_ms=%.0f no_answer=%d answered=%d %s %s '
          'alive=%d light=%d' % (
              count, slowest, stats.get('none', count),
              stats.get('answered', 0), probe_fields(probes).replace('answered=', 'probes_answered='),
              rss_field(args.pid), alive(args.pid), int(LIGHT)))
    return 0


# ---------------------------------------------------------------------------------------------
# Memory attacks: a few large things at once, then one probe


async def send_and_answer(port, data, timeout, wait_close=False):
    """Sends DATA while reading the answer; (status or None, closed, answer body length).
    WAIT_CLOSE: then waits 2 s at most for the listener to close the connection."""
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection(HOST, port), 5)
    except (OSError, asyncio.TimeoutError):
        return None, True, 0

    async def send():
        try:
            view = memoryview(data)
            for at in range(0, len(view), 1 << 20):
                w.write(view[at:at + (1 << 20)])
                await w.drain()
        except OSError:
            pass

    async def answer():
        status, closed, length = None, False, 0
        try:
            head = await r.readuntil(b'\r\n\r\n')
            m = re.match(rb'HTTP/1\.[01] (\d{3})', head)
            status = int(m.group(1)) if m else None
            cl = re.search(rb'(?im)^content-length:\s*(\d+)\s*$', head)
            if cl:
                want = int(cl.group(1))
                while length < want:
                    chunk = await r.read(min(1 << 20, want - length))
                    if not chunk:
                        raise asyncio.IncompleteReadError(b'', None)
                    length += len(chunk)
            if wait_close:  # a close after the answer?
                closed = await asyncio.wait_for(r.read(1), 2) == b''
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            closed = True
        except asyncio.TimeoutError:
            pass
        return status, closed, length

    sender = asyncio.ensure_future(send())
    try:
        status, closed, length = await asyncio.wait_for(answer(), timeout)
    except asyncio.TimeoutError:
        status, closed, length = None, False, 0
    sender.cancel()
    w.transport.abort()
    return status, closed, length



def send_all_at_once(port, request, count, timeout, wait_close=False):
    """COUNT connections sending REQUEST at once: (their answers, the seconds it took)."""
    async def go():
        return await asyncio.gather(*[send_and_answer(port, request, timeout, wait_close)
                                      for _ in range(count)])
    start = time.monotonic()
    results = asyncio.run(go())
    return results, time.monotonic() - start

def statuses_text(results):
    counts = {}
    for status, closed, _ in results:
        key = ('%s' % status if status else 'no answer') + (' and a close' if closed else '')
        counts[key] = counts.get(key, 0) + 1
    return ', '.join('%d %s' % (n, k) for k, n in sorted(counts.items()))


def after_probe(port, tls=False):
    ms, status = probe_once(port, '/after', tls, 10.0 if LIGHT else 5.0)
    return status if ms is not None else 'none'


def attack_bigheads(args):
    count, note = scaled(args.count)
    headers = max(1, args.headers // 10) if LIGHT else args.headers
    head = (b'POST /bighead HTTP/1.1\r\nHost: 127.0.0.1\r\n'
            + b''.join(b'X-%d: a\r\n' % i for i in range(headers)) + b'Content-Length: 0\r\n\r\n')

    results, took = send_all_at_once(args.port, head, count, args.timeout, True)
    good = sum(1 for s, c, _ in results if s in (400, 431) and c)
    after = after_probe(args.port)
    print('attack: %d heads of %d headers (%.1f MB) at once: %s in %.1f s; then a POST: %s; %s%s' % (
        count, headers, len(head) / 1e6, statuses_text(results), took, after, rss_text(args.pid), note))
    print('RESULT attack=bigheads count=%d refused_closed=%d after=%s %s alive=%d light=%d' % (
        count, good, after, rss_field(args.pid), alive(args.pid), int(LIGHT)))
    return 0


def gzip_bomb(size):
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1 << 20)
    parts = [c.compress(zeros) for _ in range(size >> 20)]
    parts.append(c.flush())
    return b''.join(parts)


def attack_bombs(args):
    count, note = scaled(args.count)
    size = args.size >> 4 if LIGHT else args.size
    if args.cache and os.path.exists(args.cache):
        with open(args.cache, 'rb') as f:
            bomb = f.read()
    else:
        bomb = gzip_bomb(size)
        if args.cache:
            with open(args.cache, 'wb') as f:
                f.write(bomb)
    request = (b'POST /bomb HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
               b'Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n' % len(bomb)) + bomb

    results, took = send_all_at_once(args.port, request, count, args.timeout)
    ok = sum(1 for s, _, _ in results if s == 200)
    after = after_probe(args.port)
    print('attack: %d gzip bombs (%.1f MB -> %d MiB, Content-Encoding: gzip) at once: %s in %.1f s; '
          'then a POST: %s; %s%s' % (count, len(bomb) / 1e6, size >> 20, statuses_text(results), took,
                                     after, rss_text(args.pid), note))
    print('RESULT attack=bombs count=%d ok=%d after=%s %s alive=%d light=%d' % (
        count, ok, after, rss_field(args.pid), alive(args.pid), int(LIGHT)))
    return 0


def attack_bigforward(args):
    count, note = scaled(args.count, 2)
    request = (b'POST /big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
               b'Content-Length: %d\r\n\r\n%s' % (len(PROBE_BODY), PROBE_BODY))

    results, took = send_all_at_once(args.port, request, count, args.timeout)
    whole = sum(1 for s, _, n in results if s == 200 and n == args.size)
    capped = sum(1 for s, _, _ in results if s == 502)  # above the listener's relay limit
    after = after_probe(args.port)
    print('attack: %d forwarded %.0f MiB answers at once: %d whole, %d refused as above the relay '
          'limit (%s) in %.1f s; then a POST: %s; %s%s' % (
              count, args.size / (1 << 20), whole, capped, statuses_text(results), took, after,
              rss_text(args.pid), note))
    print('RESULT attack=bigforward count=%d whole=%d capped=%d after=%s %s alive=%d light=%d' % (
        count, whole, capped, after, rss_field(args.pid), alive(args.pid), int(LIGHT)))
    return 0


def attack_posts(args):
    """COUNT POSTs of SIZE bytes of JSON text, CONCURRENCY at a time (stdout attack); each waits
    10 s at most for its answer, all of them --timeout seconds."""
    count, note = scaled(args.count)
    body = b'{"pad":"' + b'x' * max(0, args.size - 10) + b'"}'
    request = (b'POST /hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'
               b'Content-Length: %d\r\n\r\n%s' % (len(body), body))
    times, statuses = [], {}

    async def go():
        gate = asyncio.Semaphore(args.concurrency)

        async def one():
            async with gate:
                t0 = time.monotonic()
                status, _, _ = await send_and_answer(args.port, request, 10)
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    times.append((time.monotonic() - t0) * 1000)
        tasks = [asyncio.ensure_future(one()) for _ in range(count)]
        done, pending = await asyncio.wait(tasks, timeout=args.timeout)
        for t in pending:
            t.cancel()
        if pending:
            statuses['unanswered after %.0f s' % args.timeout] = len(pending)
    start = time.monotonic()
    asyncio.run(go())
    took = time.monotonic() - start
    ok = statuses.get(200, 0)
    after = after_probe(args.port)
    print('attack: %s: %d POSTs of %.0f KiB: %d answered 200 (%s), slowest %.0f ms, in %.1f s; then '
          'a POST: %s; %s%s' % (args.what, count, len(body) / 1024, ok,
                                ' '.join('%s:%d' % (k if k else 'none', n) for k, n in statuses.items()),
                                max(times) if times else 0, took, after, rss_text(args.pid), note))
    print('RESULT attack=posts count=%d ok=%d after=%s %s alive=%d light=%d' % (
        count, ok, after, rss_field(args.pid), alive(args.pid), int(LIGHT)))
    return 0


# ---------------------------------------------------------------------------------------------
# Framing: requests a strict RFC 9112 parser refuses


SMUGGLED = b'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n'


def framing_cases():
    body = SMUGGLED.ljust(40, b'x')[:40] if len(SMUGGLED) <= 40 else SMUGGLED
    assert len(body) == 40
    return [
        ('space-colon', '`Content-Length : 40` (space before the colon)', '400',
         b'POST /framing HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length : 40\r\n\r\n' + body),
        ('obs-fold', 'obs-fold (a header line continued on the next)', '400',
         b'POST /framing HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Folded: a\r\n b\r\nContent-Length: 40\r\n\r\n'
         + body),
        ('bare-lf', 'a head line ending in a bare LF (`Content-Length: 40\\n`)', '400',
         b'POST /framing HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 40\nX-After: 1\r\n\r\n' + body),
        ('long-target', 'a 100 KB request target', '414',
         b'GET /' + b'a' * 100000 + b' HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
    ]


def attack_framing(args):
    case = {c[0]: c for c in framing_cases()}[args.case]
    _, what, expect, data = case

    async def go():
        try:
            r, w = await asyncio.wait_for(asyncio.open_connection(HOST, args.port), 5)
        except (OSError, asyncio.TimeoutError):
            return b''
        w.write(data)
        try:
            await w.drain()
        except OSError:
            pass
        answer = b''
        try:
            while True:  # everything until the listener closes (or 5 s of silence)
                chunk = await asyncio.wait_for(r.read(65536), 5)
                if not chunk:
                    break
                answer += chunk
        except (OSError, asyncio.TimeoutError):
            pass
        w.transport.abort()
        return answer
    answer = asyncio.run(go())
    statuses = [s.decode() for s in re.findall(rb'HTTP/1\.[01] (\d{3})', answer or b'')]
    got = ' '.join(statuses) or 'no answer'
    after = after_probe(args.port)
    print('attack: %s: answered %s (goal %s); then a POST: %s; %s' % (
        what, got, expect, after, rss_text(args.pid)))
    print('RESULT attack=framing case=%s statuses=%s after=%s %s alive=%d light=%d' % (
        args.case, ','.join(statuses) or 'none', after, rss_field(args.pid), alive(args.pid),
        int(LIGHT)))
    return 0


# ---------------------------------------------------------------------------------------------
# Apps behind --forward / --route


async def serve(kind, port_file, size):
    raise_fd_limit()
    held = []
    payload = b'x' * size

    async def handle(r, w):
        if kind == 'hang':  # accepts, reads, never answers
            held.append(w)
            try:
                while await r.read(65536):
                    pass
            except OSError:
                pass
            return
        try:
            while True:
                head = await r.readuntil(b'\r\n\r\n')
                cl = re.search(rb'(?im)^content-length:\s*(\d+)\s*$', head)
                if cl:
                    await r.readexactly(int(cl.group(1)))
                w.write(b'HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n'
                        b'Content-Length: %d\r\n\r\n' % size)
                w.write(payload)
                await w.drain()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            w.transport.abort()

    server = await asyncio.start_server(handle, HOST, 0, backlog=4096)
    with open(port_file + '.tmp', 'w') as f:
        f.write('%d\n' % server.sockets[0].getsockname()[1])
    os.rename(port_file + '.tmp', port_file)
    async with server:
        await server.serve_forever()


def attack_serve(args):
    asyncio.run(serve(args.kind, args.port_file, args.size))
    return 0


def size_arg(text):
    m = re.fullmatch(r'(\d+)\s*(KiB|MiB|GiB|)', text)
    if not m:
        raise argparse.ArgumentTypeError('a size such as 5MiB')
    return int(m.group(1)) << {'': 0, 'KiB': 10, 'MiB': 20, 'GiB': 30}[m.group(2)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='attack', required=True)

    def attack(name, help, count):
        p = sub.add_parser(name, help=help)
        p.add_argument('port', type=int)
        p.add_argument('--count', type=int, default=count)
        p.add_argument('--pid', type=int, default=0, help="the listener's pid (its peak RSS)")
        p.add_argument('--timeout', type=float, default=120.0 if LIGHT else 60.0)
        return p
    for name, count, help in [('idle', 10000, 'idle connections'),
                              ('heads', 10000, 'partial heads, 1 header line/s'),
                              ('bodies', 2000, 'slow bodies, 1 byte/s'),
                              ('tls', 2000, 'truncated ClientHellos (listen --tls)'),
                              ('forwards', 1000, 'requests forwarded to a hanging app (--route)')]:
        p = attack(name, help, count)
        p.set_defaults(run=attack_hold)
        p.add_argument('--probes', type=int, default=50)
        p.add_argument('--path', default='/slow', help='the path the attack requests')
        p.add_argument('--probe-path', default='/probe')
        p.add_argument('--tls', action='store_true', help='probe over TLS')
        p.add_argument('--settle', type=float, default=1.0, help='seconds between ready and probes')
    p = attack('flood', 'keep-alive connections posting back to back', 1000)
    p.set_defaults(run=attack_flood)
    p.add_argument('--seconds', type=float, default=6.0)
    p.add_argument('--probes', type=int, default=50)
    p = attack('bigheads', 'heads of 1,000,000 header lines, at once', 4)
    p.set_defaults(run=attack_bigheads)
    p.add_argument('--headers', type=int, default=1000000)
    p = attack('bombs', 'gzip bombs at once', 64)
    p.set_defaults(run=attack_bombs)
    p.add_argument('--size', type=size_arg, default=1 << 30, help='decoded size (1GiB)')
    p.add_argument('--cache', help='keep the bomb in this file')
    p = attack('bigforward', 'POSTs whose forwarded answers are SIZE, at once', 100)
    p.set_defaults(run=attack_bigforward)
    p.add_argument('--size', type=size_arg, default=5 << 20)
    p = attack('posts', 'POSTs of SIZE bytes, CONCURRENCY at a time', 2000)
    p.set_defaults(run=attack_posts)
    p.add_argument('--size', type=size_arg, default=256 << 10)
    p.add_argument('--concurrency', type=int, default=16)
    p.add_argument('--what', default='POSTs')
    p = attack('framing', 'one framing case', 1)
    p.set_defaults(run=attack_framing)
    p.add_argument('case', choices=[c[0] for c in framing_cases()])
    p = sub.add_parser('serve', help='an app for --forward/--route: hang (never answers) or big')
    p.set_defaults(run=attack_serve)
    p.add_argument('kind', choices=['hang', 'big'])
    p.add_argument('port_file')
    p.add_argument('--size', type=size_arg, default=5 << 20)
    args = ap.parse_args()
    return args.run(args)


if __name__ == '__main__':
    sys.exit(main())
