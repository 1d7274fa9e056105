"""Sends stdin's bytes to 127.0.0.1:PORT as they are, half-closes, reads the answer (8 s at most).

usage: raw_http.py PORT        prints the first answer's status, or "closed" when there is none
       raw_http.py PORT all    prints every answer's status, and "close" after them when the last
                               one says Connection: close ("closed" when there is none)
"""
import re
import socket
import sys

s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), timeout=8)
try:
    s.sendall(sys.stdin.buffer.read())
    s.shutdown(socket.SHUT_WR)
except OSError:
    pass
answer = b''
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        answer += chunk
except OSError:
    pass
if len(sys.argv) > 2 and sys.argv[2] == 'all':
    heads = re.findall(rb'HTTP/1\.[01] (\d{3})[^\r]*\r\n((?:[^\r]+\r\n)*)\r\n', answer)
    words = [h[0].decode() for h in heads]
    if heads and re.search(rb'(?im)^Connection: close\r$', heads[-1][1]):
        words.append('close')
    print(' '.join(words) or 'closed')
else:
    m = re.match(rb'HTTP/1\.[01] (\d{3})', answer)
    print(m.group(1).decode() if m else 'closed')
