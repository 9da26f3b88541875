#!/usr/bin/env python3
"""test/bats/reg_fake.py: a misbehaving registry in front of a real one.

    reg_fake.py PORT UPSTREAM CA MODE STATEDIR

Listens on 127.0.0.1:PORT (plain HTTP: clients use --tls-verify=false)
and forwards every request to UPSTREAM (https://127.0.0.1:5000, trusting
CA), changing the answers for big blobs (over 64 KiB: layers, never a
config or manifest) as MODE says:

  corrupt    one byte of the blob is flipped (its digest no longer matches)
  stall      the first big blob requested: half of it is sent,
             STATEDIR/stalled is created, and the connection hangs until
             STATEDIR/release exists (or 60 s); the others are answered whole
  cut-once   the first big blob request gets half the blob and a closed
             connection; every later request is answered whole
  503-once   the first request for each big blob gets 503
  norange    Range headers are ignored (200 with the whole blob)
  pass       nothing is changed

Each request is logged to STATEDIR/requests ("METHOD PATH STATUS");
upload Locations are rewritten to come back through the proxy.
"""
import http.client
import http.server
import os
import socketserver
import ssl
import sys
import time

port, upstream, ca, mode, state = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
host = upstream.split("://", 1)[1]
ctx = ssl.create_default_context(cafile=ca)
BIG = 64 * 1024
seen = set()
cut_done = [False]
stall_done = [False]


def log(line):
    with open(os.path.join(state, "requests"), "a") as f:
        f.write(line + "\n")


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def forward(self, method):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        hdrs = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        if mode == "norange":
            hdrs.pop("Range", None)
        c = http.client.HTTPSConnection(host, context=ctx)
        c.request(method, self.path, body=body, headers=hdrs)
        r = c.getresponse()
        data = r.read()
        c.close()
        return r, data

    def answer(self, method):
        r, data = self.forward(method)
        big = "/blobs/" in self.path and method == "GET" and r.status in (200, 206) and len(data) > BIG
        log("%s %s %d%s" % (method, self.path, r.status, " big" if big else ""))
        if big and mode == "503-once" and self.path not in seen:
            seen.add(self.path)
            self.send_response(503)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if big and mode == "corrupt":
            data = bytearray(data)
            data[len(data) // 2] ^= 0xFF
            data = bytes(data)
        self.send_response(r.status)
        for k, v in r.getheaders():
            if k.lower() == "location":
                # upload sessions come back through us
                v = v.replace(upstream, "http://127.0.0.1:%d" % port)
            if k.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if method == "HEAD":
            return
        if big and ((mode == "stall" and not stall_done[0]) or
                    (mode == "cut-once" and not cut_done[0])):
            if mode == "stall":
                stall_done[0] = True
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            if mode == "cut-once":
                cut_done[0] = True
                self.close_connection = True
                return
            open(os.path.join(state, "stalled"), "w").close()
            # hang (the client is killed meanwhile) until released or 60 s
            for _ in range(600):
                if os.path.exists(os.path.join(state, "release")):
                    break
                time.sleep(0.1)
            self.close_connection = True
            return
        self.wfile.write(data)

    def do_GET(self):
        self.answer("GET")

    def do_HEAD(self):
        self.answer("HEAD")

    def do_POST(self):
        self.answer("POST")

    def do_PUT(self):
        self.answer("PUT")

    def do_PATCH(self):
        self.answer("PATCH")

    def do_DELETE(self):
        self.answer("DELETE")


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


S(("127.0.0.1", port), H).serve_forever()
