"""Fixtures for the browser tests: the real app served over HTTP, driven by a real Chromium.

The server runs in a background thread of the test process on its own SQLite file (never the
main suite's database, which may be PostgreSQL and is rolled back per test): a browser needs
real commits. CSRF is on, as in production.

Chromium is Debian's ``/usr/bin/chromium`` (``playwright install`` is never used). When it or
the ``playwright`` package is missing, every test here is skipped.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = os.environ.get("TERANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
# Screenshots for people to look at; set TERANG_SCREENSHOTS to "" to skip them. The README's
# come from TERANG_SCREENSHOTS=docs/screenshots (by hand, see README "Screenshots"): by default
# the tests never write into the repository.
SHOTS_DIR = os.environ.get("TERANG_SCREENSHOTS", "/tmp/terang-shots")


def _why_no_browser() -> str | None:
    if sync_playwright is None:
        return "the playwright package is not installed"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM}"
    return None


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests (only those) on a machine without Chromium or Playwright."""
    reason = _why_no_browser()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=f"browser tests need Chromium and Playwright: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@dataclass
class LiveServer:
    url: str
    app: object

    def __call__(self, path: str = "/") -> str:
        return self.url + path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on 127.0.0.1:<free port>, its own migrated SQLite file, CSRF on."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from app import create_app
    from app.extensions import db
    from tests import factories

    base = tmp_path_factory.mktemp("browser-server")
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(base / "terang-browser.db"),
        "UPLOAD_FOLDER": str(base / "uploads"),
        "WTF_CSRF_ENABLED": True,
    })
    with app.app_context():
        upgrade()
        factories.reference_data()  # regions too
        db.session.commit()
        db.session.remove()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="terang-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser():
    reason = _why_no_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)  # a loaded CI machine can be slow; a pass stays fast
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)


@pytest.fixture
def new_tab(browser, live_server, request):
    """``new_tab(javascript=True, viewport=PHONE)``: a fresh tab (own cookies) whose every page
    state is checked with axe (tests/browser/axe.py); the last one when the test ends."""
    from tests.browser import axe

    axe.install()
    opened = []

    def _open(javascript: bool = True, viewport: dict = PHONE):
        context = browser.new_context(viewport=viewport, java_script_enabled=javascript,
                                      locale="id-ID", timezone_id="Asia/Jakarta")
        context.set_default_timeout(10_000)
        auditor = axe.audit(context, javascript)
        tab = context.new_page()
        opened.append((context, tab, auditor))
        return tab

    yield _open
    passed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.passed
    try:
        if passed:
            for _context, tab, auditor in opened:
                auditor.check(tab)
                assert auditor.checked or not tab.url.startswith("http"), "axe never ran"
    finally:
        for context, _tab, _auditor in opened:
            context.close()


@pytest.fixture
def page(new_tab):
    """A fresh phone-sized tab (own cookies) with JavaScript."""
    return new_tab(javascript=True)


@pytest.fixture
def nojs_page(new_tab):
    """A fresh phone-sized tab (own cookies) with JavaScript switched off."""
    return new_tab(javascript=False)


@pytest.fixture(scope="session")
def shots():
    """``shots(page, name)`` saves a full-page PNG to SHOTS_DIR (if set) for a human to look at."""
    directory = Path(SHOTS_DIR) if SHOTS_DIR else None
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)

    def _shoot(tab, name: str, full_page: bool = True) -> None:
        if directory is not None:
            _save_small_png(tab.screenshot(full_page=full_page), directory / f"{name}.png")
    return _shoot


def _save_small_png(png: bytes, path: Path) -> None:
    """A screenshot in 256 colours (a page's flat colours lose nothing seen): a fraction of
    the size, so that the README's screenshots stay small in the repository."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            path, "PNG", optimize=True)


@dataclass
class BoardData:
    reference: str
    snapshot_id: str
    agency_slug: str = "pemkot-padang"  # has a sub-unit: figures with and without it


@pytest.fixture(scope="session")
def board_data(live_server):
    """Public reports of two agencies, the rollups refreshed, and last month's snapshot."""
    from datetime import timedelta

    from app.extensions import db
    from app.models import Report
    from app import clock
    from app.services import sla, snapshots, statistics, workflow
    from tests import factories

    with live_server.app.app_context():
        now = clock.now()
        admin = workflow.Actor(kind="officer", role="national_admin")
        references = []
        for i, (agency, region, title) in enumerate((
                ("dinkes-kota-padang", "13.71", "Antrean obat di puskesmas Andalas sangat panjang"),
                ("pemkot-padang", "13.71", "Lampu jalan di Jalan Sudirman mati sejak sebulan"),
                ("pemkab-lebak", "36.02", "Sekolah dasar di Rangkasbitung rusak atapnya"))):
            receipt = factories.file_report(now=now - timedelta(hours=3), region_code=region,
                                            agency_slug=None,
                                            incident_date=sla.local_date(now) - timedelta(days=1))
            report = db.session.get(Report, receipt.report_id)
            workflow.apply(report, "route", admin, now - timedelta(hours=2), workflow.ActionInput(
                agency=factories.agency(agency), resolution_class="ringan",
                extra={"public_title": title, "public_body": "Teks publik yang sudah disamarkan. " * 4}))
            db.session.commit()
            references.append(report.reference)
        statistics.mark_all_dirty()
        statistics.refresh_dirty(now)
        period = snapshots.previous_period(sla.local_date(now))
        snapshot = snapshots.get(snapshots.public_id_for(period)) or snapshots.publish(period, now)
        db.session.commit()
        data = BoardData(reference=references[0], snapshot_id=snapshot.public_id)
        db.session.remove()
    return data
