"""``GET /lapor`` (the report form) in process: CPU ms per request, the best of three rounds.

The form carries the session's CSRF token, so no page cache can share it: every reporter's
first page is rendered. The test client with the production configuration, the page cache
off; ``--profile`` prints cProfile's top for ten more requests. Reads the database only.
``TERANG_ROOT=/path/to/another/checkout`` measures that checkout's code (as bench/api_list.py).

    .venv/bin/python bench/report_form_cpu.py sqlite:////work/m1/terang-1m.db [--requests 30] [--profile]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = os.environ.get("TERANG_ROOT") or str(Path(__file__).resolve().parent.parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.update(PAGE_CACHE_TYPE="none", RATELIMIT_ENABLED="false",
                      SESSION_COOKIE_SECURE="false", SECRET_KEY="bench-" + "x" * 40)
    sys.path.insert(0, ROOT)
    from app import create_app

    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": args.database_url})
    client = app.test_client()
    for _ in range(5):  # warm: templates compiled, the kept lists built
        assert client.get("/lapor").status_code == 200
    rounds = []
    for _ in range(3):
        started = time.process_time()
        for _ in range(args.requests):
            client.get("/lapor")
        rounds.append((time.process_time() - started) / args.requests * 1000)
    print(f"{ROOT}: CPU ms per GET /lapor:", " ".join(f"{r:.2f}" for r in rounds),
          f"(best {min(rounds):.2f}); load average {os.getloadavg()[0]:.2f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(10):
            client.get("/lapor")
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
