"""A page cache hit in process: the WSGI app called directly with a prepared environ, CPU time
per hit, beside ``bench/hello.py``'s app called the same way (the ``make bench`` baseline).

The production configuration (``TERANG_CONFIG=production``, rate limits off as in ``make bench``)
on the database ``DATABASE_URL`` names (it only reads it: the data version and, once, the page).
Each page is requested once to store it, then ``--hits`` times; the figure is the best of
``--rounds`` rounds of CPU time (``time.process_time``) per hit, which other processes on a
shared machine disturb far less than wall time. ``--profile`` prints cProfile's top for the
first page's hits.

    DATABASE_URL=sqlite:///bench/.data/terang-20000.db .venv/bin/python bench/page_cache_hit.py
    ... bench/page_cache_hit.py --page /transparansi/ --page /api/v1/statistics --profile
    ... bench/page_cache_hit.py --cookie 'session=...'   # a reader who chose a language

A hit's answer is checked (200, ``X-Page-Cache: hit``) before it is timed.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PAGES = ["/transparansi/", "/transparansi/laporan", "/api/v1/statistics"]


def environ(path: str, cookie: str | None = None) -> dict:
    import sys as _sys

    path, _, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8803", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "50000",
        "HTTP_HOST": "127.0.0.1:8803", "HTTP_USER_AGENT": "wrk", "HTTP_ACCEPT": "*/*",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": _sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def call(app, env: dict) -> tuple[str, dict, bytes]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, dict(headers)

    body = app(dict(env), start_response)
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    return seen["status"], seen["headers"], data


def per_hit(app, env: dict, hits: int, rounds: int) -> float:
    """Best CPU microseconds per call over ``rounds`` rounds of ``hits`` calls."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(hits):
            call(app, env)
        best = min(best, (time.process_time() - started) / hits * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", action="append", help="a shared page (repeatable)")
    parser.add_argument("--hits", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cookie", help="a Cookie header to send (e.g. a language chosen)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("TERANG_CONFIG", "production")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789abcdef")
    os.environ.setdefault("RATELIMIT_ENABLED", "false")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    os.environ.setdefault("HSTS_SECONDS", "0")
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("set DATABASE_URL (e.g. sqlite:///bench/.data/terang-20000.db)")

    import hello
    from wsgi import app

    hello_env = environ("/")
    assert call(hello.app, hello_env)[0].startswith("200")
    hello_us = per_hit(hello.app, hello_env, args.hits, args.rounds)
    print(f"hello world (bench/hello.py): {hello_us:.0f} µs CPU per request")
    for n, page in enumerate(args.page or PAGES):
        env = environ(page, args.cookie)
        call(app, env)  # stored (a miss), or already there
        status, headers, _ = call(app, env)
        if not status.startswith("200") or headers.get("X-Page-Cache") != "hit":
            raise SystemExit(f"{page}: not a hit ({status}, {headers.get('X-Page-Cache')})")
        us = per_hit(app, env, args.hits, args.rounds)
        print(f"{page}: {us:.0f} µs CPU per hit = {us / hello_us:.2f}× hello world "
              f"(in process, hello world's share of a hit's cost {hello_us / us:.0%})")
        if args.profile and n == 0:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(args.hits):
                call(app, env)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
            print(out.getvalue())
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
            print(out.getvalue())


if __name__ == "__main__":
    main()
