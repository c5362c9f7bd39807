"""A quick load test of a running server: requests per second and latency of a few pages.

    .venv/bin/python bench/page_cache_load.py http://127.0.0.1:8000 [--seconds 20] [--clients 4]
        [--etag]   # send If-None-Match with the ETag of the first answer (a revalidating proxy)

Each client is a thread with its own keep-alive connection, requesting the pages in turn for
``--seconds``. Run it against gunicorn with PAGE_CACHE_ENABLED=false and then with the cache
on (docs/performance.md, "Caching"). Absolute numbers depend on the machine; compare runs.
"""
from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit

PAGES = ["/transparansi/", "/transparansi/instansi", "/transparansi/wilayah",
         "/transparansi/laporan", "/api/v1/statistics"]


def run(base: str, seconds: float, clients: int, etag: bool, pages: list[str]) -> dict:
    parts = urlsplit(base)
    results: dict[str, list[float]] = {p: [] for p in pages}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
        tags: dict[str, str] = {}
        i = 0
        while time.monotonic() < deadline:
            page = pages[i % len(pages)]
            i += 1
            headers = {"If-None-Match": tags[page]} if etag and page in tags else {}
            started = time.perf_counter()
            connection.request("GET", page, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            if response.getheader("ETag"):
                tags[page] = response.getheader("ETag")
            with lock:
                results[page].append(elapsed)
                statuses[response.status] = statuses.get(response.status, 0) + 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(len(v) for v in results.values())
    return {"requests_per_second": total / seconds, "statuses": statuses,
            "pages": {p: {"n": len(v), "median_ms": 1000 * statistics.median(v),
                          "p95_ms": 1000 * sorted(v)[int(0.95 * (len(v) - 1))]}
                      for p, v in results.items() if v}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--etag", action="store_true")
    parser.add_argument("--page", action="append", help="a path (repeatable); default: the board")
    args = parser.parse_args()
    out = run(args.base, args.seconds, args.clients, args.etag, args.page or PAGES)
    print(f"{out['requests_per_second']:.1f} requests/s, statuses {out['statuses']}")
    for page, row in out["pages"].items():
        print(f"  {page:32} n={row['n']:5}  median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms")


if __name__ == "__main__":
    main()
