#!/usr/bin/env python3
"""Bounded load test of `billwise serve` (ctest serve_load, labels cli and load).

On a loopback port, all at the same time:
  - 200 concurrent uploads of the generated sample bills (samples/generated/*.pdf), each
    answer compared with the answer the same server gave for that file beforehand, alone;
  - 50 slow clients sending one header line every 3 s, each reconnecting when cut off, until
    the uploads are done;
  - 5 PDF bombs: a 1-page PDF whose content stream holds a million nested `q` operators
    (generated here, a few KB compressed).
Every upload must be answered 200 with the same bill; every bomb answered with a JSON body
within the time limit (a reader that runs into the memory limit may still give a bill, or
an error), the server alive; every slow client cut off within the header timeout plus slack; the server's
memory (its own process and all its worker processes) back near the baseline afterwards.
Prints the figures. Stops by itself: every socket has a timeout and the whole test a
deadline. Usage: load_test.py BILLWISE SOURCE_DIR. Exit 77 (skipped) without samples.
"""
import glob
import json
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zlib

UPLOADS = 200
SLOW_CLIENTS = 50
BOMBS = 5
SLOW_LINE_EVERY = 3.0
HEADER_TIMEOUT = 10.0  # ServerOptions::header_timeout_ms
DEADLINE = 240.0       # the whole test


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def bomb_pdf(nesting=1_000_000):
    """A one-page PDF whose content stream is `nesting` q operators (saves of the graphics
    state, never restored), Flate-compressed."""
    stream = zlib.compress(b"q " * nesting, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def multipart(name, data):
    boundary = "billwiseLoadTest7f3a"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def post(port, name, data, timeout=180.0):
    """POST /api/analyze; returns (status, body bytes, seconds)."""
    body, ctype = multipart(name, data)
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(
            (
                f"POST /api/analyze HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {ctype}\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            ).encode()
            + body
        )
        answer = bytearray()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, payload = bytes(answer).partition(b"\r\n\r\n")
    m = re.match(rb"HTTP/1\.1 (\d+)", head)
    return (int(m.group(1)) if m else -1), payload, time.monotonic() - start


def process_tree(root_pid):
    """The server's pid and every descendant's."""
    children = {}
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat) as f:
                text = f.read()
        except OSError:
            continue
        pid = int(stat.split("/")[2])
        ppid = int(text.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(pid)
    tree, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(root_pid):
    return sum(rss_mb(p) for p in process_tree(root_pid))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    billwise, source = sys.argv[1], sys.argv[2]
    samples = sorted(glob.glob(os.path.join(source, "samples", "generated", "*.pdf")))
    if not samples:
        print("SKIP: no samples/generated/*.pdf")
        return 77
    started = time.monotonic()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")
    with tempfile.TemporaryDirectory(prefix="billwise-load-") as tmp:
        server = subprocess.Popen(
            [billwise, "--no-store", "serve", "--port", "0", "--queue", str(UPLOADS + BOMBS + 20),
             "--max-seconds", "60", "--max-memory", "1024"],
            stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "serve.log"), "w"), env=env, text=True)
        try:
            return run(server, samples, started, tmp)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


def run(server, samples, started, tmp):
    line = server.stdout.readline()
    m = re.search(r":(\d+)/", line)
    if not m:
        fail(f"serve printed {line!r}")
    port = int(m.group(1))
    files = [(os.path.basename(p), open(p, "rb").read()) for p in samples]

    # The reference answer for each sample, one at a time; also warms the server up.
    expected = {}
    for name, data in files:
        status, body, _ = post(port, name, data)
        if status != 200:
            fail(f"{name}: {status} alone: {body[:200]!r}")
        expected[name] = body
    time.sleep(1.0)
    baseline_server = rss_mb(server.pid)
    baseline_tree = tree_rss_mb(server.pid)

    bomb = bomb_pdf()
    results = {"upload": [], "bomb": [], "slow": []}
    lock = threading.Lock()
    uploads_done = threading.Event()
    peak = {"server": baseline_server, "tree": baseline_tree, "processes": 0}

    def sample_memory():
        while not uploads_done.is_set():
            tree = process_tree(server.pid)
            with lock:
                peak["server"] = max(peak["server"], rss_mb(server.pid))
                peak["tree"] = max(peak["tree"], sum(rss_mb(p) for p in tree))
                peak["processes"] = max(peak["processes"], len(tree))
            time.sleep(0.1)

    def upload(i):
        name, data = files[i % len(files)]
        try:
            status, body, seconds = post(port, name, data)
            ok = status == 200 and body == expected[name]
            why = "" if ok else f"{status}: {body[:160]!r}"
        except OSError as e:
            ok, seconds, why = False, 0.0, repr(e)
        with lock:
            results["upload"].append((ok, seconds, f"{name}: {why}"))

    def bomb_client(i):
        try:
            status, body, seconds = post(port, f"bomb-{i}.pdf", bomb)
            answer = json.loads(body)
            code = answer["error"]["code"] if status != 200 else "bill"
        except (OSError, ValueError, KeyError) as e:
            status, seconds, code = -1, 0.0, repr(e)
        with lock:
            results["bomb"].append((status, seconds, code))

    def slow_client():
        # One header line every 3 s, never the end of the headers; reconnects when cut off.
        while not uploads_done.is_set():
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=60)
            except OSError:
                time.sleep(0.5)
                continue
            opened = time.monotonic()
            cut_after = None
            try:
                s.sendall(b"GET /api/health HTTP/1.1\r\n")
                for n in range(1000):
                    # Anything from the server (its 400 for the unfinished request, or the
                    # end of the connection) means it gave up on this client.
                    next_line = time.monotonic() + SLOW_LINE_EVERY
                    while not uploads_done.is_set() and time.monotonic() < next_line:
                        readable, _, _ = select.select([s], [], [], 0.2)
                        if readable:
                            raise ConnectionResetError
                    if uploads_done.is_set():
                        break
                    s.sendall(b"X-Slow-%d: 1\r\n" % n)
            except OSError:
                cut_after = time.monotonic() - opened
            finally:
                s.close()
            if cut_after is not None:
                with lock:
                    results["slow"].append(cut_after)

    threads = [threading.Thread(target=sample_memory)]
    threads += [threading.Thread(target=slow_client) for _ in range(SLOW_CLIENTS)]
    threads += [threading.Thread(target=bomb_client, args=(i,)) for i in range(BOMBS)]
    threads += [threading.Thread(target=upload, args=(i,)) for i in range(UPLOADS)]
    load_start = time.monotonic()
    for t in threads:
        t.daemon = True
        t.start()
    workers = threads[1 + SLOW_CLIENTS:]
    for t in workers:
        t.join(timeout=max(1.0, DEADLINE - (time.monotonic() - started)))
    load_seconds = time.monotonic() - load_start
    # The slow clients stay until the server has had the time to cut them off, however
    # quickly the uploads were answered.
    hold_until = load_start + HEADER_TIMEOUT + SLOW_LINE_EVERY + 2
    while time.monotonic() < hold_until and not any(t.is_alive() for t in workers):
        time.sleep(0.2)
    uploads_done.set()
    for t in threads[:1 + SLOW_CLIENTS]:
        t.join(timeout=10)
    if any(t.is_alive() for t in workers):
        fail(f"requests still unanswered after {DEADLINE:.0f} s")

    # Memory back near the baseline: the server's own, and with its worker processes.
    after_server = after_tree = 0.0
    for _ in range(100):
        after_server, after_tree = rss_mb(server.pid), tree_rss_mb(server.pid)
        if after_tree <= baseline_tree + 64:
            break
        time.sleep(0.1)
    processes_after = len(process_tree(server.pid))

    ok_uploads = [r for r in results["upload"] if r[0]]
    times = sorted(r[1] for r in results["upload"])
    pct = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else 0.0
    print(f"load: {UPLOADS} uploads of {len(files)} samples, {SLOW_CLIENTS} slow clients, {BOMBS} bombs "
          f"({len(bomb)} bytes each) in {load_seconds:.1f} s")
    print(f"uploads: {len(ok_uploads)}/{UPLOADS} answered 200 with the same bill; seconds p50 {pct(0.5):.2f} "
          f"p95 {pct(0.95):.2f} max {pct(1.0):.2f}")
    print("bombs: " + ", ".join(f"{s} {c} in {t:.1f} s" for s, t, c in sorted(results["bomb"])))
    slow = sorted(results["slow"])
    if slow:
        print(f"slow clients: {len(slow)} disconnections, after {slow[0]:.1f}-{slow[-1]:.1f} s")
    print(f"rss MB, server process: baseline {baseline_server:.0f}, peak {peak['server']:.0f}, after {after_server:.0f}")
    print(f"rss MB, server and workers: baseline {baseline_tree:.0f}, peak {peak['tree']:.0f}, after {after_tree:.0f} "
          f"(processes: peak {peak['processes']}, after {processes_after})")

    bad = [r[2] for r in results["upload"] if not r[0]]
    if len(results["upload"]) != UPLOADS or bad:
        fail(f"{UPLOADS - len(ok_uploads)} uploads not answered correctly: {bad[:5]}")
    if len(results["bomb"]) != BOMBS or any(s not in (200, 413, 422, 500) for s, _, _ in results["bomb"]):
        fail(f"bombs: {results['bomb']}")
    if not slow:
        fail("no slow client was ever disconnected")
    if slow[-1] > HEADER_TIMEOUT + SLOW_LINE_EVERY + 5:
        fail(f"a slow client held its connection for {slow[-1]:.1f} s")
    if after_server > baseline_server + max(64, baseline_server * 0.25):
        fail(f"the server process kept {after_server - baseline_server:.0f} MB")
    if after_tree > baseline_tree + 64:
        fail(f"the server and its workers kept {after_tree - baseline_tree:.0f} MB")
    if server.poll() is not None:
        fail("the server died")
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
