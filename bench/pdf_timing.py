"""How long the board's PDFs take (issue 12: the agency PDF under 1 s, the national one under 3 s).

    DATABASE_URL=sqlite:////tmp/pdfs.db PYTHONPATH=$PWD .venv/bin/python bench/pdf_timing.py \
        [--repeat 5] [--agency SLUG] [--lang id en] [--child] [--profile]

Needs a seeded database with its rollups (bench/README.md: ``db upgrade``, ``reference load``,
``demo seed --complaints 20000``, ``stats refresh --everything``). In process, production
configuration with the page cache off (every request renders the figures, the HTML and the
PDF) and rate limits off; one request of each first (imports, Babel's catalogues), then the
fastest and the median of ``--repeat``. For each PDF, in each language:

- **request**: ``GET /transparansi/instansi/<busiest agency>.pdf`` and ``/transparansi/ringkasan.pdf``
  through the test client, everything included;
- **layout** and **write**: WeasyPrint alone on the same HTML, ``render()`` (parsing, the CSS
  cascade, boxes, layout) and ``write_pdf()`` (drawing, fonts embedded), fastest of ``--repeat``,
  with the garbage collector paused as ``render_pdf`` pauses it (services/pdf.py);
- **in a child**: the request with the layout in a forked child of a process that has laid nothing out, as
  production serves every PDF (``PDF_RENDER_IN_CHILD``, services/pdf.py), fastest of ``--repeat``;
  only with ``--child``;
- **pages**, **KB**: the document's page count and size.

``--profile`` prints, per PDF, cProfile's cumulative seconds in WeasyPrint's stages and the
functions with the most time of their own (collector paused too: a collection's pause would be
counted against whichever function was running). The machine's load average is printed with the
table: on a shared machine only the load-free ratios are solid.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# WeasyPrint's stages, by the function that does each (cumulative time in a profile).
STAGES = [
    ("CSS cascade", "get_all_computed_styles"),
    ("boxes", "build_formatting_structure"),
    ("layout", "layout_document"),
    ("  of which text (Pango)", "split_first_line"),
    ("  of which SVG", "svg.__init__.py:draw"),
    ("drawing", "draw_page"),
    ("fonts embedded", "build_fonts_dictionary"),
    ("PDF written", "generate_pdf"),
]


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def make_app(child: bool):
    from app import create_app

    return create_app("production", {
        "SECRET_KEY": "bench-pdf-timing", "SESSION_COOKIE_SECURE": False, "RATELIMIT_ENABLED": False,
        "PAGE_CACHE_TYPE": "none", "PAGE_CACHE_VERSION_TTL": 0.0, "PDF_RENDER_IN_CHILD": child})


def busiest_agency(app) -> str:
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        return db.session.execute(text(
            "SELECT a.slug FROM reports r JOIN agencies a ON a.id = r.agency_id "
            "GROUP BY a.slug ORDER BY count(*) DESC LIMIT 1")).scalar_one()


def client_for(app, lang: str):
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = lang
    return client


def fetch(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    assert response.data.startswith(b"%PDF"), path
    return response.data


def captured_html(app, client, path: str) -> str:
    """The board report's HTML as the request rendered it."""
    from flask import template_rendered

    seen = {}

    def keep(sender, template, context, **extra):
        if template.name == "pdf/board_report.html":
            seen["html"] = template.render(context)

    template_rendered.connect(keep, app)
    try:
        fetch(client, path)
    finally:
        template_rendered.disconnect(keep, app)
    return seen["html"]


def weasyprint_parts(app, html: str, repeat: int):
    """(fastest render(), fastest write_pdf(), pages) of WeasyPrint alone on ``html``."""
    from weasyprint import HTML

    from app.services import pdf

    renders, writes, pages = [], [], 0
    with app.test_request_context():
        fetcher = pdf._static_only_fetcher()
        for _ in range(repeat):
            started = time.perf_counter()
            document = paused(lambda: HTML(string=html, url_fetcher=fetcher,
                                           base_url=pdf.STATIC_PREFIX).render(pdf_tags=True))
            renders.append(time.perf_counter() - started)
            started = time.perf_counter()
            paused(lambda: document.write_pdf(pdf_tags=True))
            writes.append(time.perf_counter() - started)
            pages = len(document.pages)
    return min(renders), min(writes), pages


def paused(work):
    """``work()`` as ``render_pdf`` runs a layout: the garbage collector paused if it does."""
    from app import collector

    with collector.paused():
        return work()


def profile(app, html: str) -> None:
    from weasyprint import HTML

    from app.services import pdf

    with app.test_request_context():
        fetcher = pdf._static_only_fetcher()
        profiler = cProfile.Profile()
        profiler.enable()
        paused(lambda: HTML(string=html, url_fetcher=fetcher, base_url=pdf.STATIC_PREFIX).write_pdf(pdf_tags=True))
        profiler.disable()
    listing = pstats.Stats(profiler)
    total = sum(tt for (_f, _l, _n), (_cc, _nc, tt, _ct, _c) in listing.stats.items())
    print(f"    profile: {total:.2f} s in all (profiled, slower than unprofiled)")
    for label, name in STAGES:
        where, _, func = name.rpartition(":")
        cumulative = sum(ct for (filename, _line, fn), (_cc, _nc, _tt, ct, _c) in listing.stats.items()
                         if fn == func and "weasyprint" in filename
                         and (not where or filename.replace(os.sep, ".").endswith(where)))
        print(f"    {label:<24} {cumulative:6.2f} s")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print("\n".join("    " + line for line in out.getvalue().splitlines()
                    if line.strip() and not line.lstrip().startswith(("Ordered", "List reduced"))))


def timed_requests(client, path: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fetch(client, path)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--agency", help="the agency's slug (default: the one with the most reports)")
    parser.add_argument("--lang", nargs="+", default=["id", "en"], choices=["id", "en"])
    parser.add_argument("--child", action="store_true", help="also time each PDF in a forked child")
    parser.add_argument("--profile", action="store_true", help="cProfile one layout of each PDF")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to a seeded database (see the docstring)")

    import pypdf

    app = make_app(child=False)
    slug = args.agency or busiest_agency(app)
    documents = [("agency", f"/transparansi/instansi/{slug}.pdf"), ("national", "/transparansi/ringkasan.pdf")]
    print(f"load average at start: {load()}; {os.cpu_count()} cores; repeat {args.repeat}", flush=True)
    # First the children, while this process has laid nothing out (a child inherits whatever
    # caches its parent has warmed: a gunicorn worker has none).
    cold = {}
    if args.child:
        child_app = make_app(child=True)
        for lang in args.lang:
            client = client_for(child_app, lang)
            for name, path in documents:
                fetch(client, path)
                cold[lang, name] = min(timed_requests(client, path, args.repeat))
                print(f"  {name} {lang}: in a child {cold[lang, name]:.2f} s; load {load()}", flush=True)
    rows = []
    for lang in args.lang:
        client = client_for(app, lang)
        for name, path in documents:
            fetch(client, path)  # imports, catalogues, the first layout
            times = timed_requests(client, path, args.repeat)
            document = fetch(client, path)
            html = captured_html(app, client, path)
            render_s, write_s, pages = weasyprint_parts(app, html, args.repeat)
            assert pages == len(pypdf.PdfReader(io.BytesIO(document)).pages)
            rows.append((name, path, lang, pages, len(document) // 1024, min(times),
                         stats.median(times), render_s, write_s, cold.get((lang, name))))
            print(f"  {name} {lang}: {pages} pages, {min(times):.2f} s (median {stats.median(times):.2f}); "
                  f"layout {render_s:.2f} s, write {write_s:.2f} s; load {load()}", flush=True)
            if args.profile:
                profile(app, html)
    print(f"\nload average at the end: {load()}\n")
    print("| PDF | path | language | pages | KB | request, fastest | median | layout | write |"
          + (" in a child |" if args.child else ""))
    print("|---|---|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if args.child else ""))
    for name, path, lang, pages, kb, fastest, median, render_s, write_s, cold in rows:
        print(f"| {name} | `{path}` | {lang} | {pages} | {kb} | {fastest:.2f} s | {median:.2f} s | "
              f"{render_s:.2f} s | {write_s:.2f} s |" + (f" {cold:.2f} s |" if cold is not None else ""))


if __name__ == "__main__":
    main()
