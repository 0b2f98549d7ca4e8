#!/usr/bin/env python3
"""Oversized request bodies as a plain client sends them: POST N bodies of SIZE bytes (declared Content-Length) with
Python's urllib, which writes the whole body before it reads the answer, and count how many came back as a readable
413 and how many ended in a broken pipe or a reset instead (the connection closed while the client was still
sending). Each request runs on a fresh connection.

  tools/CloudNativeApp.Benchmarks/oversized-body.py http://127.0.0.1:5000 [count=30] [megabytes=3]

Prints one line: "<count> x <size> bytes: <n> readable 413, <n> connection errors (by kind), other <status: n> (<seconds> s)";
exits 1 unless every answer was a readable 413.
"""
import sys
import time
import urllib.error
import urllib.request

base = sys.argv[1].rstrip("/")
count = int(sys.argv[2]) if len(sys.argv) > 2 else 30
size = int(float(sys.argv[3]) * 1024 * 1024) if len(sys.argv) > 3 else 3 * 1024 * 1024
body = b'{"name":"' + b"x" * (size - 11) + b'"}'

readable, broken, other, kinds = 0, 0, {}, {}
started = time.monotonic()
for _ in range(count):
    request = urllib.request.Request(f"{base}/items", data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            other[response.status] = other.get(response.status, 0) + 1
    except urllib.error.HTTPError as error:
        problem = error.read()
        if error.code == 413 and b'"status":413' in problem:
            readable += 1
        else:
            other[error.code] = other.get(error.code, 0) + 1
    except (urllib.error.URLError, ConnectionError, OSError) as error:
        broken += 1
        kinds[type(getattr(error, "reason", error)).__name__] = kinds.get(type(getattr(error, "reason", error)).__name__, 0) + 1

elapsed = time.monotonic() - started
others = ", ".join(f"{status}: {n}" for status, n in sorted(other.items())) or "0"
errors = ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items()))
print(f"{count} x {len(body)} bytes: {readable} readable 413, {broken} connection errors{f' ({errors})' if errors else ''}, other {others} ({elapsed:.1f} s)")
sys.exit(0 if readable == count else 1)
