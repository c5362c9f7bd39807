"""The plan and the time of every query the board's report list and its search run.

    DATABASE_URL=sqlite:////tmp/terang.db .venv/bin/python bench/query_plans.py

For each case (the list's first page, a deep page, searches, filters) it runs
``board.public_report_list`` as the page does, prints how long it took (median of a few runs) and,
for each SQL statement it sent, ``EXPLAIN QUERY PLAN`` (SQLite) or ``EXPLAIN`` (PostgreSQL).
What it printed on a seeded database is in docs/performance.md, "Query plans".
"""
from __future__ import annotations

import re
import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, select, text  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Report  # noqa: E402
from app.services import board, search  # noqa: E402

RUNS = 5
# The lookups of the page's agencies, regions and categories by key (shown once).
LOOKUP = re.compile(r"SELECT (regions|agencies|categories)\.\* FROM \1 WHERE \1\.(code|id) IN \(…\)$")


def _short(statement: str) -> str:
    """One line; a long list of a table's columns written ``table.*``; IN lists as ``(…)``."""
    statement = re.sub(r"\s+", " ", statement).strip()
    statement = re.sub(r"(\b(\w+)\.\w+(?: AS \w+)?, )(?:\2\.\w+(?: AS \w+)?, )+\2\.\w+(?: AS \w+)?",
                       lambda m: f"{m.group(2)}.*", statement)
    return re.sub(r"IN \((?:\?|%\(\w+\)s)(?:, (?:\?|%\(\w+\)s))*\)", "IN (…)", statement)


def deep_cursor(depth_rows: int) -> str:
    """The cursor of the page after the first ``depth_rows`` rows of the unfiltered list."""
    row = db.session.execute(board.public_reports_query().with_only_columns(
        Report.submitted_at, Report.id).order_by(Report.submitted_at.desc(), Report.id.desc())
        .offset(depth_rows - 1).limit(1)).one()
    return board.Cursor(board.NEWEST, True, (row.submitted_at, row.id),
                        depth_rows // board.PAGE_SIZE + 1, board.COUNT_CAP, True).encode()


def _sqlite_tree(plan) -> list[str]:
    """``EXPLAIN QUERY PLAN`` rows (id, parent, _, detail) indented as the sqlite3 shell does."""
    depth: dict[int, int] = {0: -1}
    lines = []
    for node, parent, _unused, detail in plan:
        depth[node] = depth.get(parent, -1) + 1
        lines.append("  " * depth[node] + detail)
    return lines


def deep_search_cursor(q: str, depth_rows: int) -> str | None:
    """The cursor of the page after the first ``depth_rows`` matches of ``q`` (None: fewer)."""
    matches = search.public_matches(q)
    row = db.session.execute(select(matches.c.score, matches.c.report_id)
                             .order_by(matches.c.score, matches.c.report_id.desc())
                             .offset(depth_rows - 1).limit(1)).first()
    return row and board.Cursor(board.RELEVANCE, True, (row.score, row.report_id),
                                depth_rows // board.PAGE_SIZE + 1, board.COUNT_CAP, True).encode()


def main() -> None:
    app = create_app()
    with app.app_context():
        engine = db.engine
        dialect = engine.dialect.name
        captured: list[tuple[str, object]] = []

        def capture(_conn, _cursor, statement, parameters, _context, _many):
            captured.append((statement, parameters))

        busiest = db.session.scalar(select(Report.agency_id).where(Report.agency_id.is_not(None))
                                    .group_by(Report.agency_id)
                                    .order_by(db.func.count().desc()).limit(1))
        from app.models import Agency
        agency = db.session.get(Agency, busiest).slug
        total = db.session.scalar(select(db.func.count()).select_from(Report))
        cases = [
            ("list, page 1", board.ReportFilter(), None),
            ("list, page 500", board.ReportFilter(), deep_cursor(499 * board.PAGE_SIZE)),
            ("list, a province", board.ReportFilter(region="13"), None),
            ("list, the busiest agency", board.ReportFilter(agency=agency), None),
            ("list, a category", board.ReportFilter(category="kesehatan"), None),
            ("search, a common word (q=jalan)", board.ReportFilter(q="jalan"), None),
            ("search, a common word, page 300", board.ReportFilter(q="jalan"),
             deep_search_cursor("jalan", 299 * board.PAGE_SIZE)),
            ("search, nothing matches (q=zqxwv)", board.ReportFilter(q="zqxwv"), None),
            ("search, two words and a province", board.ReportFilter(q="lampu jalan", region="13"), None),
        ]
        print(f"# {dialect}, {total} reports\n")
        seen_lookups: set[str] = set()
        for name, flt, cursor in cases:
            times = []
            for _ in range(RUNS):
                db.session.expunge_all()
                started = time.perf_counter()
                board.public_report_list(flt, cursor)
                times.append((time.perf_counter() - started) * 1000)
            event.listen(engine, "before_cursor_execute", capture)
            try:
                db.session.expunge_all()
                page = board.public_report_list(flt, cursor)
            finally:
                event.remove(engine, "before_cursor_execute", capture)
            print(f"## {name}: {stats.median(times):.1f} ms (median of {RUNS}), "
                  f"{len(page.items)} rows, page {page.page}, total {page.total}"
                  f"{'+' if page.total_is_capped else ''}\n")
            for statement, parameters in captured:
                shown = _short(statement)
                if shown in seen_lookups:
                    continue
                if LOOKUP.match(shown):
                    seen_lookups.add(shown)
                print("```sql\n" + shown + "\n```")
                explain = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
                with engine.connect() as connection:
                    plan = connection.exec_driver_sql(explain + statement, parameters).fetchall()
                lines = _sqlite_tree(plan) if dialect == "sqlite" else [row[0] for row in plan]
                print("```text\n" + "\n".join(lines) + "\n```\n")
            captured.clear()
        db.session.execute(text("SELECT 1"))


if __name__ == "__main__":
    main()
