#!/usr/bin/env python3
"""`billwise serve` as a user runs it: listens on loopback only, answers a dropped bill with
the same amount due as `billwise analyze`, refuses a foreign Origin, caps uploads.

Usage: serve_cli_test.py BILLWISE_BINARY SOURCE_DIR. Exit 0 pass, 1 fail, 77 skip."""
import glob
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message)


def start(binary, *args):
    proc = subprocess.Popen([binary, "serve", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    line = proc.stdout.readline()  # "billwise: serving http://127.0.0.1:PORT/ (Ctrl-C to stop)"
    port = int(line.split("http://")[1].split("/")[0].rsplit(":", 1)[1])
    return proc, port


def request(port, path, data=None, headers=None):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers or {})
    try:
        with opener.open(req, timeout=120) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def multipart(fields):
    boundary = uuid.uuid4().hex
    body = b""
    for name, (filename, content) in fields.items():
        body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"".encode()
        if filename:
            body += f"; filename=\"{filename}\"".encode()
        body += b"\r\n\r\n" + content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def listening_addresses(port):
    found = []
    for table in ["/proc/net/tcp", "/proc/net/tcp6"]:
        for line in open(table).read().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                found.append(local.rsplit(":", 1)[0])
    return found


def main(binary, source):
    bills = sorted(glob.glob(os.path.join(source, "samples/generated/hospital_itemized.pdf")))
    if not bills:
        print("SKIP: samples/generated/hospital_itemized.pdf is missing")
        return 77
    sample = open(bills[0], "rb").read()
    want = json.loads(subprocess.run([binary, "analyze", bills[0], "--format", "json"], capture_output=True,
                                     check=True).stdout)
    proc, port = start(binary, "--max-upload", "1")
    try:
        check(listening_addresses(port) == ["0100007F"], f"listening on {listening_addresses(port)}, want 127.0.0.1 only")
        status, headers, body = request(port, "/api/health")
        check(status == 200, f"health: {status}")
        body_, hdrs = multipart({"file": ("bill.pdf", sample)})
        status, headers, body = request(port, "/api/analyze", body_, dict(hdrs, Origin=f"http://127.0.0.1:{port}"))
        check(status == 200, f"analyze: {status} {body[:200]}")
        if status == 200:
            got = json.loads(body)
            check(got["amount_due"] == want["amount_due"], f"amount due {got['amount_due']} != {want['amount_due']}")
            check(got["schema"] == "billwise.bill/1", "not a bill JSON")
        status, _, _ = request(port, "/api/analyze", body_, dict(hdrs, Origin="http://evil.example"))
        check(status == 403, f"foreign Origin: {status}")
        big, hdrs2 = multipart({"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * (2 << 20))})
        status, _, _ = request(port, "/api/analyze", big, hdrs2)
        check(status == 413, f"over the cap: {status}")
        letters, hdrs3 = multipart({"file": ("bill.pdf", sample), "kinds": (None, b"dispute")})
        status, headers, body = request(port, "/api/letters", letters, hdrs3)
        check(status == 200 and body.startswith(b"%PDF-"), f"letter: {status} {body[:20]}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    log = proc.stderr.read()
    check("POST /api/analyze 200" in log, f"log: {log!r}")
    check(want["patient"]["name"] is None or want["patient"]["name"] not in log, "the log names the patient")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
