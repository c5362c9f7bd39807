"""Does a page cost the same at a million reports as at ten thousand? (issue 12)

    .venv/bin/python bench/scale_ratio.py sqlite:////tmp/terang-10k.db sqlite:////tmp/terang-1m.db

Both databases are demo seeds with their rollups (``flask demo seed --complaints N`` and
``flask stats refresh --everything``). Each page of ``make bench``'s table is requested through
the Flask test client with the production configuration and no page cache (every request
renders: what a page costs the first time after its data changed), first on the small
database, then on the large one. For each it prints

* the SQLite virtual-machine instructions one request executed (a progress handler counts
  them), which do not depend on how busy the machine is; the work inside the full-text
  index's own C code (FTS5) is not counted, so a search's count is its SQL around the index;
* the median wall time of a request, the two databases taking turns: ``--rounds`` rounds, in
  each ``--repeat`` requests to one database, then as many to the other (the first changing
  from round to round; without the instruction counter), so that a machine whose speed
  drifts by 10–15% from minute to minute slows both alike (see docs/performance.md,
  "A million on session 9's machine (4 December 2026)"). Timed one database
  after the other, the report list measured 1.52× on session 9's machine, and 1.04× in turns;

and the ratio large / small of each. The target: every page within 1.2× (docs/performance.md).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Read by config.py when it is imported: production settings, every request rendered.
os.environ.update(PAGE_CACHE_TYPE="none", RATELIMIT_ENABLED="false", SESSION_COOKIE_SECURE="false",
                  PDF_RENDER_IN_CHILD="false")
os.environ.setdefault("SECRET_KEY", "scale-ratio-bench-secret-key-0123456789abcdef")

import board_scaling  # noqa: E402  (measure: the VM-instruction counter shared with that bench)


def pages(app) -> list[tuple[str, str]]:
    """``make bench``'s pages (bench/http_bench.py), their parameters read from this database."""
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        busiest = db.session.execute(text(
            "SELECT a.slug FROM reports r JOIN agencies a ON a.id = r.agency_id "
            "GROUP BY a.slug ORDER BY count(*) DESC LIMIT 1")).scalar()
        public = db.session.execute(text(
            "SELECT reference FROM reports WHERE public_body IS NOT NULL AND is_confidential = 0 "
            "AND agency_id IS NOT NULL AND status <> 'submitted' ORDER BY id DESC LIMIT 1")).scalar()
    return [("board home", "/transparansi/"), ("agency table", "/transparansi/instansi"),
            ("busiest agency", f"/transparansi/instansi/{busiest}"),
            ("report list, page 1", "/transparansi/laporan"),
            ("search ?q=jalan", "/transparansi/laporan?q=jalan"),
            ("search ?q=zqxwv", "/transparansi/laporan?q=zqxwv"),
            ("one report", f"/transparansi/laporan/{public}"),
            ("agency figures CSV", f"/transparansi/instansi/{busiest}.csv"),
            ("national figures JSON", "/transparansi/ringkasan.json"),
            ("API statistics", "/api/v1/statistics"), ("API complaints", "/api/v1/complaints"),
            ("GET /lapor", "/lapor")]


def measure(url: str, repeat: int) -> dict[str, tuple[float, int, str]]:
    """{page name: (median seconds, VM instructions of one request, path)} on ``url``."""
    from app import create_app

    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": url})
    named = pages(app)
    names = {path: name for name, path in named}

    def progress(path, result):
        print(f"  {names[path]}: {result[1]:,} instructions, {1000 * result[0]:.1f} ms", flush=True)

    timed = board_scaling.measure(app, [path for _name, path in named], repeat, progress)
    return {name: (*timed[path], path) for name, path in named}


def timed_in_turns(urls: tuple[str, str], paths: dict[str, tuple[str, str]], repeat: int,
                   rounds: int) -> list[dict[str, float]]:
    """{page name: median seconds} for each of ``urls``, the two taking turns (module docstring):
    ``paths`` gives each page's path on each database (the busiest agency and a report are
    each database's own). The database that goes first changes from one round to the next."""
    import statistics

    from app import create_app

    clients = [create_app("production", {"SQLALCHEMY_DATABASE_URI": url}).test_client()
               for url in urls]
    samples: list[dict[str, list[float]]] = [{}, {}]
    for name, pair in paths.items():
        for client, path in zip(clients, pair):
            client.get(path)  # warm this worker's caches for the page
        for turn in range(rounds):
            for side in ((0, 1) if turn % 2 == 0 else (1, 0)):
                client, path = clients[side], pair[side]
                for _ in range(repeat):
                    start = time.perf_counter()
                    status = client.get(path).status_code
                    samples[side].setdefault(name, []).append(time.perf_counter() - start)
                    assert status == 200, (path, status)
    return [{name: statistics.median(times) for name, times in side.items()} for side in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("small")
    parser.add_argument("large")
    parser.add_argument("--repeat", type=int, default=5, help="requests per page and turn")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each database per page")
    args = parser.parse_args()
    print(f"small: {args.small}", flush=True)
    small = measure(args.small, 1)
    print(f"large: {args.large}", flush=True)
    large = measure(args.large, 1)
    print("timing the two in turns…", flush=True)
    t_small, t_large = timed_in_turns(
        (args.small, args.large), {name: (small[name][2], large[name][2]) for name in small},
        args.repeat, args.rounds)
    small = {name: (t_small[name], *rest[1:]) for name, rest in small.items()}
    large = {name: (t_large[name], *rest[1:]) for name, rest in large.items()}
    print(f"\nload average: {Path('/proc/loadavg').read_text().split()[0]}\n")
    print("| page | SQL instructions small | large | × | median small | large | × |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (t_small, sql_small, _path) in small.items():
        t_large, sql_large, _ = large[name]
        sql_ratio = f"{sql_large / sql_small:.2f}" if sql_small else "—"
        print(f"| {name} | {sql_small:,} | {sql_large:,} | {sql_ratio} | {1000 * t_small:.1f} ms | "
              f"{1000 * t_large:.1f} ms | {t_large / t_small:.2f} |")


if __name__ == "__main__":
    main()
