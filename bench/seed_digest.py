"""Seed a throwaway SQLite database at a fixed clock and print a digest of every row written.

A change to the demo writer (``app/demo/``) that is meant to be faster, not different, must
print the same digest before and after::

    PYTHONPATH=$PWD .venv/bin/python bench/seed_digest.py /tmp/digest.db 3000
    PYTHONPATH=$PWD .venv/bin/python bench/seed_digest.py /tmp/digest.db 50000 --processes 2

3,000 reports take the small path (``make run``); from ``seeding.BULK_FROM`` (20,000) on the
bulk path, and with ``--processes`` above 1 the forked workers. The clock is frozen at
:data:`NOW` and the secret fixed, so the same code gives the same rows on any day. Also prints
the CPU seconds (user + system, this process and its workers) of the seed alone.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sqlite3
import sys
import time
from datetime import datetime, timezone

NOW = datetime(2026, 12, 2, 5, 30, tzinfo=timezone.utc)
TABLES = ("reports", "report_events", "reporter_contacts", "ratings", "escalations",
          "stats_dirty", "stats_dirty_regions", "reference_counters", "report_search")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database")
    parser.add_argument("complaints", type=int)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", help="write a cProfile (CPU time) of the seed (one process) here")
    args = parser.parse_args()

    if os.path.exists(args.database):
        os.remove(args.database)
    os.environ["DATABASE_URL"] = f"sqlite:///{os.path.abspath(args.database)}"
    os.environ["SECRET_KEY"] = "seed-digest-secret"
    from app import clock
    clock.now = lambda: NOW  # the seed and its workers (forked) see the same instant

    from flask_migrate import upgrade

    from app import create_app
    from app.demo import seeding
    from app.extensions import db

    app = create_app("development")
    with app.app_context():
        upgrade()
        db.session.commit()
        started, cpu = time.perf_counter(), _cpu()

        def run():
            seeding.seed(complaints=args.complaints, seed=args.seed,
                         bulk_load=args.complaints >= seeding.BULK_FROM, processes=args.processes,
                         echo=lambda line: print(line, file=sys.stderr))
            db.session.commit()

        if args.profile:
            import cProfile
            # CPU time, not wall time: the machine is shared.
            profile = cProfile.Profile(time.process_time)
            profile.runcall(run)
            profile.dump_stats(args.profile)
        else:
            run()
        wall, cpu = time.perf_counter() - started, _cpu() - cpu
        db.session.remove()

    connection = sqlite3.connect(args.database)
    total = hashlib.sha256()
    for table in TABLES:
        digest = hashlib.sha256()
        count = 0
        for row in connection.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            digest.update(repr(row).encode())
            count += 1
        total.update(digest.digest())
        print(f"{table:22} {count:9d} {digest.hexdigest()[:16]}")
    connection.close()
    print(f"{'all':22} {'':9} {total.hexdigest()[:16]}")
    print(f"seed: {wall:.1f} s wall, {cpu:.1f} s CPU (user+system, workers included)",
          file=sys.stderr)


if __name__ == "__main__":
    main()
