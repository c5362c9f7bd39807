"""What one ``POST /lapor`` costs, in process (issue 12: ≥ 200 filings a second on two workers).

Files N reports through the Flask test client with the production configuration (rate limits
and the page cache off, as ``make bench`` runs them), each the way a browser sends the form: a
fresh ``submission_id`` per filling (so the idempotency record is written), no files. Prints the
milliseconds per filing (median, mean, p90), the SQL statements per filing, checks that every
filing made exactly one report, and with ``--profile`` the top of a cProfile of the filings.

    DATABASE_URL=sqlite:////tmp/filing.db .venv/bin/python bench/filing_profile.py \
        [--filings 300] [--profile] [--top 30] [--sort tottime]

The database must exist and carry the reference data (``flask db upgrade``, ``flask reference
load``, and for a realistic size ``flask demo seed --complaints 20000``); the filings are added
to it. Timings are wall time on a shared machine: note ``uptime`` beside them.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import secrets
import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SECRET = "bench-secret-key-not-for-production-0123456789abcdef"
FORM = {
    "report_type": "pengaduan",
    "title": "Lampu penerangan jalan padam di depan pasar",
    "body": "Sudah dua minggu lampu penerangan jalan di depan pasar padam sehingga jalan gelap "
            "pada malam hari dan rawan kecelakaan. Pak Budi Santoso (0812-3456-7890) sudah "
            "melapor ke kelurahan. Mohon segera diperbaiki.",
    "province": "13", "region": "13.71",
}


def make_app():
    os.environ.setdefault("SECRET_KEY", SECRET)
    os.environ.setdefault("RATELIMIT_ENABLED", "false")
    os.environ.setdefault("PAGE_CACHE_TYPE", "none")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    os.environ.setdefault("HSTS_SECONDS", "0")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL to a database with reference data (see the docstring).")
    from app import create_app

    return create_app("production")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--filings", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--no-submission-id", action="store_true",
                        help="send no submission_id (as bench/http_bench.py's wrk script does)")
    args = parser.parse_args()

    app = make_app()
    from sqlalchemy import event, func, select

    from app.extensions import db
    from app.models import Report

    from sqlalchemy.orm import Session

    statements = [0]
    # From BEGIN (IMMEDIATE: the write lock on SQLite) to the end of COMMIT: the time other
    # writers wait for, which bounds the filings a second of all workers together.
    began: list[tuple[float, float]] = []
    held: list[float] = []
    held_cpu: list[float] = []

    def on_begin(_connection):
        began.append((time.perf_counter(), time.process_time()))

    def on_end(_session):
        if began:
            wall, cpu = began.pop()
            held.append((time.perf_counter() - wall) * 1000)
            held_cpu.append((time.process_time() - cpu) * 1000)

    with app.app_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute",
                     lambda *a, **k: statements.__setitem__(0, statements[0] + 1))
        event.listen(engine, "begin", on_begin)
        event.listen(Session, "after_commit", on_end)
        event.listen(Session, "after_rollback", on_end)
        before = db.session.scalar(select(func.count(Report.id)))
        db.session.remove()

    client = app.test_client()
    page = client.get("/lapor").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    today = re.search(r'max="(\d{4}-\d\d-\d\d)"', page)
    incident = today.group(1) if today else time.strftime("%Y-%m-%d")

    def file_one() -> None:
        data = dict(FORM, csrf_token=token, incident_date=incident)
        if not args.no_submission_id:
            data["submission_id"] = secrets.token_urlsafe(16)
        response = client.post("/lapor", data=data)
        if response.status_code != 303:
            raise SystemExit(f"filing answered {response.status_code}:\n"
                             + response.get_data(as_text=True)[:3000])

    for _ in range(args.warmup):
        file_one()
    statements[0] = 0
    held.clear()
    held_cpu.clear()
    times = []
    cpu_started = time.process_time()
    profiler = cProfile.Profile() if args.profile else None
    for _ in range(args.filings):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        file_one()
        if profiler:
            profiler.disable()
        times.append((time.perf_counter() - started) * 1000)
    per_filing_sql = statements[0] / args.filings
    cpu_ms = (time.process_time() - cpu_started) * 1000 / args.filings

    with app.app_context():
        after = db.session.scalar(select(func.count(Report.id)))
    filed = after - before
    expected = args.filings + args.warmup
    times.sort()
    load = os.getloadavg()
    print(f"{args.filings} filings (after {args.warmup} to warm up) on {before:,} reports, "
          f"{engine.dialect.name}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
          + (" (profiled: slower)" if profiler else ""))
    print(f"ms per filing: median {stats.median(times):.2f}, mean {stats.mean(times):.2f}, "
          f"p90 {times[int(len(times) * 0.9) - 1]:.2f}, fastest {times[0]:.2f}")
    print(f"CPU ms per filing (this process, steadier than wall time on a busy machine): "
          f"{cpu_ms:.2f}")
    print(f"SQL statements per filing: {per_filing_sql:.1f}")
    if held:
        held.sort()
        print(f"ms in a transaction (BEGIN to COMMIT: the write lock) per filing: median "
              f"{stats.median(held):.2f}, mean {stats.mean(held):.2f} over {len(held)} "
              f"transactions; CPU ms in it: mean {stats.mean(held_cpu):.2f} (SQLite's one writer "
              f"at a time: at most {1000 / stats.mean(held_cpu):.0f} filings/s however many "
              f"workers)")
    print(f"reports filed: {filed} of {expected}" + ("" if filed == expected else "  <-- LOST"))
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    if filed != expected:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
