#!/usr/bin/env python3
"""test/bats/reg_token.py: a tiny Bearer token server for docker-registry.

    reg_token.py PORT KEY CERT USER:PASSWORD [--expired N] [--log FILE]

Serves GET /token?service=..&scope=..&account=.. on 127.0.0.1:PORT (plain
HTTP). With Basic credentials that match USER:PASSWORD it answers
{"token": JWT, "expires_in": 300}; the JWT is RS256, signed with KEY
(by openssl), and carries CERT in its x5c header, which the registry's
rootcertbundle trusts. Every scope asked for is granted. Wrong or
missing credentials get 401. --expired N: the first N tokens are issued
already expired (the registry refuses them), to test a client's renewal;
--expired -1 makes every token expired. --log FILE: one line per request
(the scopes asked), never the credentials.
"""
import base64
import http.server
import json
import subprocess
import sys
import time
import urllib.parse

port, key, cert, creds = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
expired = 0
logfile = None
args = sys.argv[5:]
while args:
    if args[0] == "--expired":
        expired = int(args[1])
        args = args[2:]
    elif args[0] == "--log":
        logfile = args[1]
        args = args[2:]
    else:
        sys.exit("unknown argument " + args[0])


def b64url(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


with open(cert) as f:
    pem = "".join(l for l in f.read().splitlines() if "CERTIFICATE" not in l)
issued = 0


def make_token(scopes, account):
    global issued
    issued += 1
    now = int(time.time())
    old = expired < 0 or issued <= expired
    access = []
    for s in scopes:
        parts = s.split(":")
        if len(parts) < 3:
            continue
        access.append({"type": parts[0], "name": ":".join(parts[1:-1]),
                       "actions": parts[-1].split(",")})
    header = {"typ": "JWT", "alg": "RS256", "x5c": [pem]}
    claims = {"iss": "berth-test-issuer", "sub": account, "aud": "berth-test",
              "exp": now - 600 if old else now + 300, "nbf": now - 1200, "iat": now - 1200,
              "jti": str(issued), "access": access}
    signing = (b64url(json.dumps(header).encode()) + "." +
               b64url(json.dumps(claims).encode())).encode()
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing,
                         capture_output=True, check=True).stdout
    return signing.decode() + "." + b64url(sig)


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        q = urllib.parse.parse_qs(u.query)
        scopes = q.get("scope", [])
        auth = self.headers.get("Authorization", "")
        ok = False
        if auth.startswith("Basic "):
            try:
                ok = base64.b64decode(auth[6:]).decode() == creds
            except Exception:
                ok = False
        if logfile:
            with open(logfile, "a") as f:
                f.write("%s %s %s\n" % (u.path, "auth" if ok else "anon", " ".join(scopes)))
        if u.path != "/token" or not ok:
            body = json.dumps({"errors": [{"code": "UNAUTHORIZED",
                                           "message": "authentication required"}]}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        body = json.dumps({"token": make_token(scopes, creds.split(":")[0]),
                           "expires_in": 300}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
