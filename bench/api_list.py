"""How long GET /api/v1/complaints takes, first page and deep pages, in process (Flask test
client, production configuration, no page cache), and how many rows each skipped by OFFSET.

    DATABASE_URL=sqlite:////tmp/terang.db .venv/bin/python bench/api_list.py [--depth 100]

A deep page is reached as a client reaches it: by following ``next`` ``--depth`` times (code
before issue 12 had no ``next``: ``?page=N`` is timed instead, N = the depth, capped by the last
page). ``TERANG_ROOT=/path/to/another/checkout`` measures that checkout's code on the same
database. Each line: the median and the fastest of ``--runs`` requests after one warm-up.
What it printed is in docs/performance.md ("API list by cursor").
"""
from __future__ import annotations

import argparse
import os
import re
import statistics as stats
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, os.environ.get("TERANG_ROOT") or str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402

LIST = "/api/v1/complaints"


def _offsets(statement: str, parameters) -> list[int]:
    """The value of every OFFSET in ``statement`` (SQLite writes ``OFFSET ?`` = 0 after every
    LIMIT; PostgreSQL only when one is asked for)."""
    if isinstance(parameters, dict):
        return [int(parameters[name]) for name in re.findall(r"OFFSET %\((\w+)\)s", statement)]
    return [int(parameters[statement.count("?", 0, match.end()) - 1])
            for match in re.finditer(r"OFFSET \?", statement)]


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--depth", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--q", default="jalan")
    args = parser.parse_args()
    app = create_app("production", {"PAGE_CACHE_TYPE": "none", "RATELIMIT_ENABLED": False,
                                    "PDF_RENDER_IN_CHILD": False})
    client = app.test_client()

    def deep(start: str) -> str:
        body = client.get(start).get_json()
        if "next" not in body:  # before issue 12: numbered pages only
            separator = "&" if "?" in start else "?"
            return f"{start}{separator}page={min(args.depth + 1, body['pages'])}"
        for _ in range(args.depth):
            if not body["next"]:
                break
            following = _path(body["next"])
            body = client.get(following).get_json()
        return following

    with app.app_context():
        cases = [("page 1", LIST), ("numbered page 50", f"{LIST}?page=50"),
                 (f"page {args.depth + 1} (next × {args.depth})", deep(LIST)),
                 (f"q={args.q}, page 1", f"{LIST}?q={args.q}"),
                 (f"q={args.q}, page {args.depth + 1}", deep(f"{LIST}?q={args.q}"))]
        engine = db.engine
        for name, path in cases:
            first = client.get(path)
            body = first.get_json()
            statements, skipped = [], []

            def capture(_conn, _cursor, statement, parameters, *_rest):
                statements.append(statement)
                skipped.extend(_offsets(statement, parameters))

            times = []
            for run in range(args.runs):
                if run == 0:
                    event.listen(engine, "before_cursor_execute", capture)
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                if run == 0:
                    event.remove(engine, "before_cursor_execute", capture)
                assert response.status_code == 200, (path, response.status_code)
            offset = max(skipped, default=0)
            print(f"{name:32} {stats.median(times):7.1f} ms median {min(times):7.1f} ms fastest  "
                  f"page {body.get('page')} order {body.get('order', '-')} total {body.get('total')}"
                  f"{'+' if body.get('total_is_capped') else ''}  rows skipped by OFFSET: {offset}"
                  f"  SQL statements: {len(statements)}")


if __name__ == "__main__":
    main()
