#!/usr/bin/env python3
"""`billwise serve` as a user runs it: listens on loopback only, answers a dropped bill with
the same amount due as `billwise analyze`, refuses a foreign Origin, caps uploads, prices
planned care like `billwise estimate`, writes the good-faith-estimate request, and keeps
the case file like `billwise cases` / `billwise due` (nothing with --no-store).

Usage: serve_cli_test.py BILLWISE_BINARY SOURCE_DIR. Exit 0 pass, 1 fail, 77 skip."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

failures = []


def check(cond, message):
    if not cond:
        failures.append(message)
        print("FAIL:", message)


def start(binary, *args, before=()):
    proc = subprocess.Popen([binary, *before, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # "billwise: serving http://127.0.0.1:PORT/ (Ctrl-C to stop)"
    port = int(line.split("http://")[1].split("/")[0].rsplit(":", 1)[1])
    return proc, port


def request(port, path, data=None, headers=None, address="127.0.0.1"):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(f"http://{address}:{port}{path}", data=data, headers=headers or {})
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


def cli_json(binary, *args):
    return json.loads(subprocess.run([binary, *args], capture_output=True, check=True).stdout)


def post_json(port, path, obj):
    return request(port, path, json.dumps(obj).encode(),
                   {"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"})


def check_estimate(port, binary):
    status, headers, body = post_json(port, "/api/estimate", {"codes": ["99213"], "zip": "10001"})
    check(status == 200, f"estimate: {status} {body[:200]}")
    if status != 200:
        return
    got = json.loads(body)
    office = [s["amount"] for s in got["services"][0]["settings"] if s["setting"] == "office"]
    check(office == [101.06], f"99213 at ZIP 10001 in the office: {office}, want [101.06]")
    want = cli_json(binary, "estimate", "99213", "--zip", "10001", "--format", "json")
    check(got == want, "the page's estimate differs from `billwise estimate --format json`")
    status, _, body = post_json(port, "/api/estimate", {"codes": ["99213", "80053x2"], "state": "NY"})
    check(status == 200 and len(json.loads(body)["services"]) == 2, f"two codes by state: {status}")
    status, _, body = post_json(port, "/api/estimate", {"codes": ["99213x"]})
    check(status == 400, f"a malformed code: {status} {body[:200]}")
    status, _, _ = request(port, "/api/estimate", b'{"codes":["99213"]}',
                           {"Content-Type": "application/json", "Origin": "http://evil.example"})
    check(status == 403, f"estimate from a foreign Origin: {status}")
    status, headers, body = post_json(port, "/api/gfe-request", {"codes": ["99213"], "zip": "10001",
                                                                 "provider": "Uptown Clinic",
                                                                 "profile": {"name": "Test Person"}})
    check(status == 200 and body.startswith(b"%PDF-") and b"%%EOF" in body[-64:],
          f"good-faith-estimate request: {status} {body[:80]}")
    check("letter-gfe-request.pdf" in headers.get("Content-Disposition", ""), f"gfe file name: {headers}")


def check_cases(port, binary, db, bill_sha):
    status, _, body = request(port, "/api/cases")
    check(status == 200, f"cases: {status} {body[:200]}")
    if status == 200:
        got = json.loads(body)
        check(got == cli_json(binary, "--db", db, "cases", "--format", "json"),
              "the page's cases differ from `billwise cases --format json`")
        shas = [d["sha256"] for c in got["cases"] for d in c["documents"]]
        check(bill_sha in shas, f"the analyzed bill is not in the case file: {shas}")
    status, _, body = request(port, "/api/due")
    check(status == 200, f"due: {status}")
    if status == 200:
        check(json.loads(body) == cli_json(binary, "--db", db, "due", "--format", "json"),
              "the page's deadlines differ from `billwise due --format json`")
    status, headers, body = request(port, "/api/due.ics")
    check(status == 200 and body.startswith(b"BEGIN:VCALENDAR") and headers.get("Content-Type", "").startswith(
        "text/calendar"), f"due.ics: {status} {headers.get('Content-Type')} {body[:40]}")
    case_text = subprocess.run([binary, "--db", db, "case", "1"], capture_output=True, text=True).stdout
    check("dispute letter written" in case_text, f"the page's letter is not in the case timeline: {case_text[-300:]}")
    status, _, _ = request(port, "/api/cases", None, {"Origin": "http://evil.example"})
    check(status == 403, f"cases from a foreign Origin: {status}")


def check_case_writes(port, binary, db):
    # The page marks the letter it wrote as sent and logs a call: both land in the case file.
    cases = json.loads(request(port, "/api/cases")[2])["cases"]
    letters = [l for c in cases for l in c.get("letters", []) if l["kind"] == "dispute" and l["sent"] is None]
    check(len(letters) >= 1, f"the page's letter is not listed: {cases}")
    if not letters:
        return
    status, _, body = post_json(port, "/api/sent", {"case": 1, "letter": letters[0]["id"], "method": "certified",
                                                    "tracking": "9400 1111 2222", "date": "2026-12-08"})
    check(status == 200, f"mark sent: {status} {body[:200]}")
    status, _, body = post_json(port, "/api/call", {"case": 1, "with": "Dana, billing", "reference": "R-77",
                                                    "note": "account on hold", "date": "2026-12-08",
                                                    "follow_up": "2099-01-04"})
    check(status == 200 and json.loads(body)["follow_up"] == "2099-01-04", f"call: {status} {body[:200]}")
    status, _, _ = post_json(port, "/api/sent", {"case": 1, "letter": 99999, "method": "mail"})
    check(status == 404, f"an unknown letter: {status}")
    case_text = subprocess.run([binary, "--db", db, "case", "1"], capture_output=True, text=True).stdout
    check("dispute letter sent by certified, tracking 9400 1111 2222" in case_text,
          f"the sent letter is not in the case timeline: {case_text[-400:]}")
    check("call with Dana, billing, reference R-77: account on hold (follow up 2099-01-04)" in case_text,
          f"the call is not in the case timeline: {case_text[-400:]}")
    due = cli_json(binary, "--db", db, "due", "--format", "json")
    check(any(d["kind"] == "call_follow_up" and d["date"] == "2099-01-04" for d in due["deadlines"]),
          f"the call's follow-up is not due: {due}")


def main(binary, source):
    bills = sorted(glob.glob(os.path.join(source, "samples/generated/hospital_itemized.pdf")))
    if not bills:
        print("SKIP: samples/generated/hospital_itemized.pdf is missing")
        return 77
    # Nothing of this test may land in the user's own case file; one "today" for every process.
    home = tempfile.mkdtemp(prefix="billwise-serve-test-")
    os.environ["XDG_DATA_HOME"] = os.path.join(home, "data")
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
    try:
        return run(binary, bills[0], home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def run(binary, bill_path, home):
    db = os.path.join(home, "cases.db")
    sample = open(bill_path, "rb").read()
    want = cli_json(binary, "--no-store", "analyze", bill_path, "--format", "json")
    proc, port = start(binary, "--max-upload", "1", before=("--db", db))
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
        check(headers.get("X-Billwise-Case-File") == "recorded", f"letter not recorded: {headers}")
        check_estimate(port, binary)
        check_cases(port, binary, db, want["source"]["sha256"])
        check_case_writes(port, binary, db)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    log = proc.stderr.read()
    check("POST /api/analyze 200" in log, f"log: {log!r}")
    check("POST /api/estimate 200" in log and "GET /api/cases 200" in log, f"log: {log!r}")
    check(want["patient"]["name"] is None or want["patient"]["name"] not in log, "the log names the patient")
    check("POST /api/sent 200" in log and "POST /api/call 200" in log, f"log: {log!r}")
    for secret in ["99213", "10001", "Uptown", "Test Person", "9400 1111", "Dana", "R-77"]:
        check(secret not in log, f"the log holds {secret}")

    # --no-store: the page keeps nothing and says so.
    other_db = os.path.join(home, "never.db")
    proc, port = start(binary, before=("--no-store", "--db", other_db))
    try:
        status, _, body = request(port, "/api/health")
        check(status == 200 and json.loads(body)["cases"] is False, f"--no-store health: {body[:100]}")
        body_, hdrs = multipart({"file": ("bill.pdf", sample)})
        status, _, _ = request(port, "/api/analyze", body_, hdrs)
        check(status == 200, f"--no-store analyze: {status}")
        status, _, body = request(port, "/api/cases")
        check(status == 404 and json.loads(body)["error"]["code"] == "no_store", f"--no-store cases: {status}")
        check(not os.path.exists(other_db), "--no-store wrote a case file")
        check(not os.path.exists(os.path.join(home, "data")), "--no-store wrote the default case file")
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    # Another address (127.0.0.2 stays on this machine) with --allow-host: the Host and
    # Origin checks still hold, with the allowed name added.
    proc, port = start(binary, "--host", "127.0.0.2", "--allow-host", "billwise.lan", before=("--no-store",))
    try:
        for host, want_status in [(f"billwise.lan:{port}", 200), (f"127.0.0.2:{port}", 200),
                                  (f"localhost:{port}", 200), (f"evil.example:{port}", 403)]:
            status, _, _ = request(port, "/api/health", None, {"Host": host}, address="127.0.0.2")
            check(status == want_status, f"--allow-host: Host {host}: {status}, want {want_status}")
        status, _, _ = request(port, "/api/health", None, {"Origin": f"http://billwise.lan:{port}"}, address="127.0.0.2")
        check(status == 200, f"--allow-host: allowed Origin: {status}")
        status, _, _ = request(port, "/api/health", None, {"Origin": "http://evil.example"}, address="127.0.0.2")
        check(status == 403, f"--allow-host: foreign Origin: {status}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    check("warning" not in proc.stderr.read(), "a loopback address warned")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
