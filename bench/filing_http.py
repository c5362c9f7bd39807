"""Sustained filing under the production server: ``POST /lapor`` with wrk, and how many were filed.

gunicorn with two sync workers and the production configuration (rate limits off, as in
``make bench``), on the database ``DATABASE_URL`` names; wrk sends the report form as a browser
does, each request a new filling of the form (its own ``submission_id``, so the idempotency
record is written too). Prints requests/s, p50/p99, and the reports the database gained against
the 303 answers wrk counted (a request still in flight when wrk stops may be filed without
being counted; fewer reports than answers would be a lost filing), and each worker's resident
memory after the run.

    DATABASE_URL=sqlite:////tmp/filing.db .venv/bin/python bench/filing_http.py
    BENCH_DURATION=10s BENCH_CONNECTIONS=8   # wrk's -d and -c (the defaults)
    BENCH_PORT=8765                          # another port when other benches run beside
    SQLITE_MMAP_MB=256                       # any setting of config.py, passed to the server
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_bench  # noqa: E402  (start, stop, wrk, query, post_script)


def main() -> None:
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("Set DATABASE_URL (see the docstring).")
    env = dict(os.environ, SECRET_KEY=http_bench.SECRET, FLASK_APP="wsgi",
               TERANG_CONFIG="production", RATELIMIT_ENABLED="false", WEB_CONCURRENCY="2",
               SESSION_COOKIE_SECURE="false", PAGE_CACHE_TYPE="none")
    base = f"http://127.0.0.1:{http_bench.PORT}"
    loads = [os.getloadavg()[0]]
    before = int(http_bench.query(env, "SELECT count(*) FROM reports")[0][0])
    server = http_bench.start("wsgi:app", env)
    try:
        result = http_bench.wrk(base + "/lapor", script=http_bench.post_script(base))
        loads.append(os.getloadavg()[0])
        memory = http_bench.worker_memory(server)
    finally:
        http_bench.stop(server)
    filed = int(http_bench.query(env, "SELECT count(*) FROM reports")[0][0]) - before
    print(f"POST /lapor on {before:,} reports, -c{http_bench.CONNECTIONS} -d{http_bench.DURATION}: "
          f"{result['rps']:.0f} requests/s, p50 {result['p50']}, p99 {result['p99']}, "
          f"non-2xx/3xx or timeouts {result['errors']}; {result['requests']} answers counted, "
          f"{filed} reports filed; load average {loads[0]:.2f} → {loads[1]:.2f}; "
          f"memory per worker (VmRSS) {memory}")


if __name__ == "__main__":
    main()
