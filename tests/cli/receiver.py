#!/usr/bin/env python3
"""A loopback HTTP receiver for the CLI tests: records every request, answers as the path says.

    receiver.py PORT_FILE LOG_FILE [CERT KEY]

With CERT and KEY it serves HTTPS.

Binds 127.0.0.1 on a free port, writes the port to PORT_FILE, appends one JSON line per request to
LOG_FILE: method, path, headers (pairs), body (base64), time. The path picks the answer:
  /status/CODE       answer CODE            /slow/MS        answer 200 after MS milliseconds
  /redirect          302 to /final          /fail-first/N   500 for the first N requests, then 200
  anything else      200 with a small JSON body
"""
import base64
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file = sys.argv[1], sys.argv[2]
lock = threading.Lock()
counts = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            counts[self.path] = counts.get(self.path, 0) + 1
            n = counts[self.path]
            with open(log_file, "a") as log:
                log.write(json.dumps({"method": self.command, "path": self.path, "time": time.time(),
                                      "headers": [[k, v] for k, v in self.headers.items()],
                                      "body": base64.b64encode(body).decode()}) + "\n")
        parts = self.path.strip("/").split("/")
        status, extra = 200, {}
        if parts[0] == "status" and len(parts) > 1:
            status = int(parts[1])
        elif parts[0] == "slow" and len(parts) > 1:
            time.sleep(int(parts[1]) / 1000)
        elif parts[0] == "redirect":
            status, extra = 302, {"Location": "/final"}
        elif parts[0] == "fail-first" and len(parts) > 1:
            status = 500 if n <= int(parts[1]) else 200
        answer = json.dumps({"received": len(body), "n": n}).encode()
        try:
            self.send_response(status)
            for k, v in extra.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_PUT = do_PATCH = handle_any


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
if len(sys.argv) > 4:
    import ssl
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = context.wrap_socket(server.socket, server_side=True)
with open(port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(port_file + ".tmp", port_file)
server.serve_forever()
