"""The report form under killed workers: every receipt a reporter saw is a stored report.

The same server and SIGKILL every second as test_worker_kills.py, but reporters in browsers:
``GET /lapor`` (a session cookie and a CSRF token), ``POST /lapor`` (303 to the receipt), ``GET
/lapor/terkirim`` (reference and tracking code). The form has no idempotency key, so a reporter
whose POST broke does not send it again here; such a report was either stored once (the worker
died after the commit) or not at all, never twice and never half. The GETs are safe to repeat
and are retried. No answer may be a 5xx.
"""
from __future__ import annotations

import http.client
import io
import os
import re
import threading
import time
import uuid
from collections import Counter
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import text

from app.services import tracking_codes
from tests.reliability import server as serving

pytestmark = pytest.mark.slow

CLIENTS = 16
STORM_SECONDS = float(os.environ.get("TERANG_RELIABILITY_FORM_SECONDS", "8"))
# Bounded by time: longer only while fewer than TARGET_RECEIPTS are through (a busy machine).
MAX_STORM_SECONDS = 2 * STORM_SECONDS
TARGET_RECEIPTS = 30
KILL_EVERY = float(os.environ.get("TERANG_RELIABILITY_KILL_EVERY", "1.0"))
MIN_RECEIPTS = 10 if KILL_EVERY >= 1.0 else 1
MIN_KILLS = 3
REQUEST_TIMEOUT = 60
FINISH_SECONDS = 90
TITLE = "Uji formulir"
def _photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


PHOTO = _photo()  # every second reporter attaches it
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REFERENCE = re.compile(r"\bLPR-\d{4}-\d{7}\b")
CODE = re.compile(r"\b[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\b")
CONNECTION_FAILURES = {"ConnectionResetError", "RemoteDisconnected", "BrokenPipeError",
                       "ConnectionAbortedError", "IncompleteRead", "BadStatusLine"}


class Browser:
    """One reporter's cookies, on a server whose workers may die under it."""

    def __init__(self, server, ledger):
        self.server, self.ledger = server, ledger
        self.cookies: dict[str, str] = {}

    def _send(self, method, path, payload=None, content_type=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if content_type:
            headers["Content-Type"] = content_type
        status, raw, message = self.server.exchange(method, path, payload, headers, REQUEST_TIMEOUT)
        for line in message.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return status, raw.decode(errors="replace"), message

    def failed(self, exc) -> None:
        name = type(exc).__name__
        with self.ledger.lock:
            if name in CONNECTION_FAILURES:
                self.ledger.connection_failures[name] += 1
            else:
                self.ledger.other_failures.append(f"{name}: {exc}")

    def get(self, path: str, give_up_at: float) -> tuple[int, str]:
        """A safe GET, repeated after a broken connection or a 5xx."""
        while True:
            try:
                status, page, _message = self._send("GET", path)
                if status < 500:
                    return status, page
                with self.ledger.lock:
                    self.ledger.server_errors.append((status, path))
            except (OSError, http.client.HTTPException) as exc:
                self.failed(exc)
            assert time.monotonic() < give_up_at, f"GET {path} never got through"
            time.sleep(0.1)


class Ledger:
    def __init__(self):
        self.lock = threading.Lock()
        self.receipts: dict[str, tuple[str, str]] = {}  # title → (reference, tracking code)
        self.broken_posts: list[str] = []  # titles whose POST lost its answer
        self.connection_failures: Counter = Counter()
        self.other_failures: list[str] = []
        self.server_errors: list[tuple[int, str]] = []
        self.refusals: list[tuple[int, str]] = []
        self.kills: list[int] = []

    def summary(self) -> str:
        return (f"{len(self.receipts)} receipts, {len(self.broken_posts)} POSTs without an answer, "
                f"{len(self.kills)} workers killed, connection failures "
                f"{dict(self.connection_failures)}, other failures {self.other_failures[:5]}, "
                f"5xx {self.server_errors[:5]}, refusals {self.refusals[:3]}")


def file_one(browser: Browser, title: str, give_up_at: float, with_photo: bool) -> None:
    ledger = browser.ledger
    status, page = browser.get("/lapor", give_up_at)
    token = CSRF.search(page)
    assert status == 200 and token, f"/lapor answered {status}"
    form = {"csrf_token": token.group(1), "report_type": "pengaduan", "title": title,
            "body": "Saluran air di depan rumah warga tersumbat dan banjir setiap kali hujan turun.",
            "incident_date": "2025-06-02", "region": "13.71"}
    if with_photo:
        from werkzeug.datastructures import FileStorage, MultiDict
        from werkzeug.test import encode_multipart

        fields = MultiDict(form)
        fields.add("attachments", FileStorage(io.BytesIO(PHOTO), "saluran.png", content_type="image/png"))
        boundary, payload = encode_multipart(fields)
        content_type = f"multipart/form-data; boundary={boundary}"
    else:
        payload, content_type = urlencode(form).encode(), "application/x-www-form-urlencoded"
    try:
        status, page, message = browser._send("POST", "/lapor", payload, content_type)
    except (OSError, http.client.HTTPException) as exc:
        browser.failed(exc)
        with ledger.lock:
            ledger.broken_posts.append(title)
        return
    if status >= 500:
        with ledger.lock:
            ledger.server_errors.append((status, "POST /lapor"))
            ledger.broken_posts.append(title)
        return
    if status != 303 or not message.get("Location", "").endswith("/lapor/terkirim"):
        with ledger.lock:
            ledger.refusals.append((status, page[:300]))
        return
    status, page = browser.get("/lapor/terkirim", give_up_at)
    references, codes = set(REFERENCE.findall(page)), set(CODE.findall(page))
    if status != 200 or len(references) != 1 or len(codes) != 1:
        with ledger.lock:
            ledger.refusals.append((status, f"receipt page: {references} {codes}"))
        return
    with ledger.lock:
        ledger.receipts[title] = (references.pop(), codes.pop())


def test_every_receipt_the_form_gave_is_stored_once_while_workers_are_killed(server):
    ledger = Ledger()
    over = threading.Event()
    give_up_at = time.monotonic() + MAX_STORM_SECONDS + FINISH_SECONDS

    def reporter(number: int) -> None:
        try:
            sent = 0
            while not over.is_set():
                file_one(Browser(server, ledger),
                         f"{TITLE} {number:02d}-{sent:04d} {uuid.uuid4().hex[:6]}: saluran tersumbat",
                         give_up_at, with_photo=number % 2 == 0)
                sent += 1
        except BaseException as exc:  # noqa: BLE001 — a thread's exception would be lost
            with ledger.lock:
                ledger.other_failures.append(f"reporter {number}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=reporter, args=(n,), daemon=True) for n in range(CLIENTS)]
    began = time.monotonic()

    def storming() -> bool:
        elapsed = time.monotonic() - began
        with ledger.lock:
            short = len(ledger.receipts) < TARGET_RECEIPTS
        return elapsed < STORM_SECONDS or (short and elapsed < MAX_STORM_SECONDS)

    with serving.WorkerKiller(server, KILL_EVERY) as killer:
        for thread in threads:
            thread.start()
        while storming():
            time.sleep(0.1)
    ledger.kills = killer.kills
    over.set()
    for thread in threads:
        thread.join(timeout=max(1.0, give_up_at - time.monotonic() + REQUEST_TIMEOUT))
    assert not any(t.is_alive() for t in threads), f"a reporter hung: {ledger.summary()}"

    engine = server.database.engine()
    try:
        with engine.connect() as connection:
            stored = connection.execute(text(
                "SELECT r.id, r.reference, r.title, r.tracking_hash, "
                "(SELECT count(*) FROM report_events e WHERE e.report_id = r.id) AS events, "
                "(SELECT count(*) FROM attachments a WHERE a.report_id = r.id) AS files "
                "FROM reports r WHERE r.title LIKE :title"), {"title": f"{TITLE} %"}).all()
            named = set(connection.execute(text(
                "SELECT storage_name FROM attachments UNION SELECT storage_name FROM staged_uploads"
            )).scalars())
    finally:
        engine.dispose()
    by_title = Counter(row.title for row in stored)
    committed_unanswered = sum(1 for title in ledger.broken_posts if by_title[title])
    on_disk = {path.name for path in server.upload_folder.glob("??/*") if path.is_file()}
    print(f"\nform storm: {ledger.summary()}; {committed_unanswered} of the unanswered POSTs "
          f"had been stored (a reporter sending them again would file twice); "
          f"{len(on_disk - named)} uploaded files without a row (left for "
          f"attachments.purge_orphan_files)")

    assert not ledger.server_errors, ledger.summary()
    assert not ledger.other_failures and not ledger.refusals, ledger.summary()
    assert len(ledger.kills) >= MIN_KILLS and len(ledger.receipts) >= MIN_RECEIPTS, ledger.summary()
    assert all(count == 1 for count in by_title.values()), "a form was stored twice"
    assert set(by_title) <= set(ledger.receipts) | set(ledger.broken_posts)
    rows = {row.title: row for row in stored}
    for title, (reference, code) in ledger.receipts.items():
        row = rows.get(title)
        assert row is not None, f"the receipt {reference} names a report that is not stored"
        assert row.reference == reference and row.events == 1
        assert row.files == (1 if int(title.split()[2][:2]) % 2 == 0 else 0), title
        assert row.tracking_hash == tracking_codes.hash_code(tracking_codes.normalise_code(code),
                                                             serving.SECRET_KEY)
    assert named <= on_disk, f"rows name files that are not stored: {sorted(named - on_disk)[:5]}"
    log = server.log()
    assert "Exception on" not in log and "Traceback" not in log, log[-5000:]
