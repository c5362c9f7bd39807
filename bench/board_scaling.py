"""Does a board page cost the same at 10× the reports? (issue: Public transparency board)

Builds two throw-away SQLite databases with N and 10·N reports spread over 12 months and 200
agencies, rebuilds the rollups, then times the board pages with the test client. Results are
ratios, never absolute timings: each page's median time at 10·N divided by its median at N,
and each page's time divided by the home page's (a baseline measured in the same run).
Because wall time is noisy on a busy machine, the SQL work is also counted exactly: SQLite
virtual-machine instructions executed for the page (through the progress handler), which
does not depend on machine load. A ratio near 1.0 means the page does not grow with the
number of reports.

    .venv/bin/python bench/board_scaling.py [--reports 5000] [--repeat 7]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics as stats
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PAGES = ["/", "/transparansi/", "/transparansi/instansi?level=unit", "/transparansi/instansi/agency-1",
         "/transparansi/laporan"]


def build(n_reports: int, workdir: str):
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from app import create_app
    from app.extensions import db
    from app.models import Agency, Report, ReportEvent
    from app.services import regions, statistics

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir}/bench.db",
                                 "UPLOAD_FOLDER": workdir})
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    with app.app_context():
        upgrade()
        regions.load_regions()
        db.session.execute(insert(Agency), [
            {"id": i, "slug": f"agency-{i}", "name": f"Dinas Contoh {i}", "level": "unit",
             "region_code": "13.71", "is_active": True} for i in range(1, 201)])
        reports, events = [], []
        for i in range(1, n_reports + 1):
            submitted = now - timedelta(days=rng.randint(1, 360), hours=rng.randint(0, 23))
            agency = rng.randint(1, 200)
            answered = rng.random() < 0.7
            reports.append({
                "id": i, "reference": f"LPR-B-{i:07d}", "year": submitted.year, "sequence": i,
                "tracking_hash": f"{i:064x}", "report_type": "pengaduan", "title": f"Laporan {i}",
                "body": "Isi laporan contoh untuk pengukuran.", "incident_date": date(2026, 1, 1),
                "region_code": "13.71", "agency_id": agency, "is_anonymous": False,
                "is_confidential": rng.random() < 0.1, "language": "id",
                "status": "in_progress" if answered else "routed", "submitted_at": submitted,
                "routed_at": submitted + timedelta(hours=3), "updated_at": submitted,
                "public_title": f"Laporan {i}", "public_body": "Isi publik."})
            events.append({"report_id": i, "created_at": submitted, "action": "submit",
                           "actor_kind": "reporter", "to_status": "submitted", "is_internal": False})
            events.append({"report_id": i, "created_at": submitted + timedelta(hours=3), "action": "route",
                           "actor_kind": "officer", "from_status": "submitted", "to_status": "routed",
                           "target_agency_id": agency, "is_internal": False})
            if answered:
                events.append({"report_id": i, "created_at": submitted + timedelta(days=rng.randint(0, 12)),
                               "action": "respond", "actor_kind": "officer", "actor_agency_id": agency,
                               "from_status": "routed", "to_status": "in_progress", "public_text": "Ok",
                               "is_internal": False})
        db.session.execute(insert(Report), reports)
        db.session.execute(insert(ReportEvent), events)
        statistics.mark_all_dirty()
        statistics.refresh_dirty(now)
    return app


OPCODE_STEP = 100  # the progress handler runs every this many VM instructions


def measure(app, paths, repeat: int, progress=None) -> dict[str, tuple[float, int]]:
    """{path: (median seconds of ``repeat`` requests, SQLite VM instructions for one request)}.

    Each path is requested once first (to warm the worker's caches and templates), then once
    with a progress handler counting the VM instructions SQLite executes, which do not depend
    on how busy the machine is, then ``repeat`` times for the wall time. ``progress(path,
    result)`` is called after each path. Shared by ``scale_ratio.py``."""
    from sqlalchemy import event

    from app.extensions import db

    counter = {"steps": 0}

    def count():
        counter["steps"] += 1
        return 0

    with app.app_context():
        event.listen(db.engine, "connect",
                     lambda dbapi, _rec: dbapi.set_progress_handler(count, OPCODE_STEP))
        db.engine.dispose()  # reconnect with the handler installed
    client = app.test_client()
    results = {}
    for path in paths:
        client.get(path)  # warm caches and templates
        counter["steps"] = 0
        assert client.get(path).status_code == 200, path
        instructions = counter["steps"] * OPCODE_STEP
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(path)
            samples.append(time.perf_counter() - start)
        results[path] = (stats.median(samples), instructions)
        if progress:
            progress(path, results[path])
    with app.app_context():
        db.engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("TERANG_CONFIG", "testing")
    results = {}
    for n in (args.reports, args.reports * 10):
        with tempfile.TemporaryDirectory() as workdir:
            print(f"building {n} reports …", flush=True)
            results[n] = measure(build(n, workdir), PAGES, args.repeat)
    small, large = results[args.reports], results[args.reports * 10]
    print(f"\n{'page':42} {'SQL work ×10N':>14} {'time ×10N':>10} {'time/home N':>12} {'time/home 10N':>14}")
    for page in PAGES:
        (t_small, sql_small), (t_large, sql_large) = small[page], large[page]
        sql_ratio = sql_large / sql_small if sql_small else float("nan")
        print(f"{page:42} {sql_ratio:14.2f} {t_large / t_small:10.2f} "
              f"{t_small / small['/'][0]:12.1f} {t_large / large['/'][0]:14.1f}")
    print("\nratio ×10 reports ≈ 1.0: the page does not grow with the number of reports.")


if __name__ == "__main__":
    main()
