"""The board's figure pages in process: CPU ms per render, the best of three rounds (issue 12).

Uncached under ``wrk -c8`` on two workers a page's p50 is about four renders, so a p99 under
150 ms needs a render of about 25–30 ms; this measures the render itself, with the test
client, the production configuration and no page cache (every request renders), in CPU time
(``time.process_time``: robust on a shared machine). Reads the database only (open it
read-only: ``sqlite:///file:/path/terang-1m.db?mode=ro&uri=true``).

``--save DIR`` writes each page's bytes (the PDF's HTML, not its bytes, which carry
WeasyPrint's timestamps) with the clock frozen at ``--now`` (the pages print the time they
were generated), to compare two versions of the code byte for byte; ``--profile NAME``
prints cProfile's top (in CPU time) for that page. ``TERANG_ROOT=/path/to/another/checkout``
measures that checkout's code (as bench/api_list.py).

    .venv/bin/python bench/board_cpu.py 'sqlite:///file:/work/m1/terang-1m.db?mode=ro&uri=true' \\
        [--requests 20] [--only home,pdf] [--save /tmp/pages] [--profile home]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = os.environ.get("TERANG_ROOT") or str(Path(__file__).resolve().parent.parent)


def pages(agency: str) -> dict[str, str]:
    return {"home": "/transparansi/", "agencies": "/transparansi/instansi",
            "agency": f"/transparansi/instansi/{agency}", "json": "/transparansi/ringkasan.json",
            "csv": f"/transparansi/instansi/{agency}.csv", "pdf": f"/transparansi/instansi/{agency}.pdf",
            "national-csv": "/transparansi/ringkasan.csv", "agency-json": f"/transparansi/instansi/{agency}.json"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--agency", default="bpjs-kesehatan", help="the busiest agency's slug")
    parser.add_argument("--requests", type=int, default=20, help="per round (the PDF: a fifth)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="comma-separated page names: " + ",".join(pages("x")))
    parser.add_argument("--save", help="write each page's bytes here (clock frozen at --now)")
    parser.add_argument("--now", default=None, help="freeze the clock (ISO instant, UTC)")
    parser.add_argument("--profile", help="cProfile this page (CPU time) and print its top")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args()
    os.environ.update(PAGE_CACHE_TYPE="none", RATELIMIT_ENABLED="false", SESSION_COOKIE_SECURE="false",
                      PDF_RENDER_IN_CHILD="false", SECRET_KEY="bench-" + "x" * 40)
    sys.path.insert(0, ROOT)
    from app import clock, create_app

    if args.now or args.save:
        frozen = datetime.fromisoformat(args.now or "2026-12-03T08:00:00+00:00")
        clock.now = lambda: frozen
    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": args.database_url})
    client = app.test_client()
    chosen = pages(args.agency)
    if args.only:
        chosen = {k: chosen[k] for k in args.only.split(",")}
    html_of_pdf = {}
    if args.save:
        import weasyprint  # services/pdf.py imports HTML from it at each render

        class Keeping(weasyprint.HTML):
            def __init__(self, *a, string=None, **kw):
                html_of_pdf["last"] = string
                super().__init__(*a, string=string, **kw)

        weasyprint.HTML = Keeping
    print(f"{ROOT}: CPU ms per render (best of {args.rounds}); load average at start "
          f"{os.getloadavg()[0]:.2f}", flush=True)
    for name, path in chosen.items():
        for _ in range(2):  # warm: templates compiled, kept lists built
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        if args.save:
            out = Path(args.save)
            out.mkdir(parents=True, exist_ok=True)
            body = html_of_pdf["last"].encode() if name == "pdf" else response.get_data()
            (out / name).write_bytes(body)
        n = max(1, args.requests // 5) if name == "pdf" else args.requests
        rounds = []
        for _ in range(args.rounds):
            started = time.process_time()
            for _ in range(n):
                client.get(path)
            rounds.append((time.process_time() - started) / n * 1000)
        print(f"  {name:9} {path:45} " + " ".join(f"{r:7.2f}" for r in rounds)
              + f"  best {min(rounds):7.2f} ms  (load {os.getloadavg()[0]:.2f})", flush=True)
        if args.profile == name:
            profile = cProfile.Profile(time.process_time)
            profile.enable()
            for _ in range(n):
                client.get(path)
            profile.disable()
            pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
