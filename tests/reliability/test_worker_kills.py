"""Nothing is lost and nothing is filed twice while server workers are killed (issue 13).

A real gunicorn server (tests/reliability/server.py: production settings, several sync workers,
its own throw-away database) takes reports through ``POST /api/v1/complaints`` from 32
concurrent clients, each report with its own ``Idempotency-Key``, while one worker is killed
with SIGKILL every second (the master starts a new one). A client retries a connection failure
or a 5xx with the same key and body until it gets its receipt, as the API's documentation tells
partner systems to do. The storm is bounded by time, not by a count: it lasts
``TERANG_RELIABILITY_SECONDS`` (15 s by default), longer only while fewer than
``TARGET_ACKNOWLEDGED`` reports have been acknowledged (a busy machine), and never past
``MAX_STORM_SECONDS``; afterwards every client finishes the report it was sending.

Then the database must hold every acknowledged report exactly once (its reference, its tracking
code), one report per key, sequence numbers without gaps, one ``submit`` event per report; no
answer may have been a 5xx, and the only failures the clients saw are those of a killed worker's
connection. On SQLite the file must pass ``PRAGMA integrity_check``.
"""
from __future__ import annotations

import http.client
import os
import random
import sqlite3
import threading
import time
import uuid
from collections import Counter, defaultdict

import pytest
from sqlalchemy import text

from app.services import tracking_codes
from tests.reliability import server as serving

pytestmark = pytest.mark.slow

URL = "/api/v1/complaints"
SCOPE = "api.v1.complaints"  # the API's idempotency scope: stored keys are "<scope>:<key>"
CLIENTS = 32
STORM_SECONDS = float(os.environ.get("TERANG_RELIABILITY_SECONDS", "15"))
# A busy machine may file slowly: then the storm goes on, to at most MAX_STORM_SECONDS, until
# TARGET_ACKNOWLEDGED reports are through; MIN_ACKNOWLEDGED must be reached in any case.
MAX_STORM_SECONDS = 5 * STORM_SECONDS / 3
TARGET_ACKNOWLEDGED = 200
REQUEST_TIMEOUT = 60
# After the storm no worker is killed any more: a client's last report must be through by then.
FINISH_SECONDS = 90
KILL_EVERY = float(os.environ.get("TERANG_RELIABILITY_KILL_EVERY", "1.0"))
# Must be reached at the default pace of kills; a faster pace (a stress run, e.g. 0.1) leaves
# too few workers alive to promise a throughput, only correctness.
MIN_ACKNOWLEDGED = 100 if KILL_EVERY >= 1.0 else 1
MIN_KILLS = 5  # with the default pace: one kill a second
TITLE = "Uji keandalan"
# A killed worker's client sees its connection closed or reset before or while the answer comes.
CONNECTION_FAILURES = {"ConnectionResetError", "RemoteDisconnected", "BrokenPipeError",
                       "ConnectionAbortedError", "IncompleteRead", "BadStatusLine"}


def body_for(client: int, number: int) -> dict:
    body = {"report_type": "pengaduan" if number % 3 else "aspirasi",
            "title": f"{TITLE} {client:02d}-{number:04d}: lampu jalan mati",
            "body": "Lampu jalan di depan pasar mati sejak dua minggu dan jalan gelap di malam hari.",
            "incident_date": "2025-06-02", "region": "13.71"}
    if number % 3 == 1:
        body.update(agency="pemkot-padang", category="infrastruktur")
    if number % 2:
        body["reporter"] = {"name": "Pelapor Uji", "email": f"pelapor{client}@example.com"}
    return body


class Ledger:
    """What the clients saw, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acknowledged: dict[str, dict] = {}  # key → receipt
        self.connection_failures: Counter = Counter()
        self.other_failures: list[str] = []  # timeouts, unexpected exceptions
        self.server_errors: list[tuple[int, dict]] = []
        self.refusals: list[tuple[int, dict]] = []
        self.replays: list[tuple[dict, dict, str | None]] = []  # (first, again, header)
        self.gave_up: list[str] = []
        self.kills: list[int] = []
        self.storm_seconds = 0.0
        self.retried_keys: set[str] = set()
        # Retries answered from the idempotency record: the first try had been committed when
        # its worker died, and only the answer was lost.
        self.replayed_after_failure = 0

    def summary(self) -> str:
        return (f"storm {self.storm_seconds:.1f} s, {len(self.acknowledged)} acknowledged, "
                f"{len(self.kills)} workers killed, "
                f"retried keys {len(self.retried_keys)} (answered by a replay: "
                f"{self.replayed_after_failure}), connection failures "
                f"{dict(self.connection_failures)}, other failures {self.other_failures[:5]}, "
                f"5xx {self.server_errors[:5]}, refusals {self.refusals[:5]}, "
                f"gave up {len(self.gave_up)}, replays checked {len(self.replays)}")


def send(server, ledger: Ledger, key: str, body: dict, give_up_at: float):
    """POST until a 201 (returned with its headers), retrying failures with the same key."""
    delay, failed = 0.05, False
    while True:
        try:
            status, answer, headers = server.request("POST", URL, body, {"Idempotency-Key": key},
                                                     timeout=REQUEST_TIMEOUT)
        except (OSError, http.client.HTTPException) as exc:
            name = type(exc).__name__
            with ledger.lock:
                if name in CONNECTION_FAILURES:
                    ledger.connection_failures[name] += 1
                else:
                    ledger.other_failures.append(f"{name}: {exc}")
                ledger.retried_keys.add(key)
        else:
            if status == 201:
                if failed and headers.get("idempotent-replayed") == "true":
                    with ledger.lock:
                        ledger.replayed_after_failure += 1
                return answer, headers
            with ledger.lock:
                if status < 500:
                    ledger.refusals.append((status, answer))
                    return None, None
                ledger.server_errors.append((status, answer))
                ledger.retried_keys.add(key)
        failed = True
        if time.monotonic() > give_up_at:
            with ledger.lock:
                ledger.gave_up.append(key)
            return None, None
        time.sleep(delay + random.random() * delay)
        delay = min(delay * 2, 1.0)


def run_storm(server) -> Ledger:
    ledger = Ledger()
    storm_over = threading.Event()
    start = threading.Barrier(CLIENTS + 1)
    give_up_at = time.monotonic() + MAX_STORM_SECONDS + FINISH_SECONDS

    def client(number: int) -> None:
        try:
            start.wait(timeout=60)
            sent = 0
            while not storm_over.is_set():
                key = f"keandalan-{number:02d}-{sent:04d}-{uuid.uuid4().hex[:12]}"
                body = body_for(number, sent)
                receipt, _headers = send(server, ledger, key, body, give_up_at)
                if receipt is not None:
                    with ledger.lock:
                        ledger.acknowledged[key] = receipt
                    if sent % 10 == 3:  # a client that never saw its answer would ask again
                        again, headers = send(server, ledger, key, body, give_up_at)
                        with ledger.lock:
                            ledger.replays.append((receipt, again, headers and headers.get(
                                "idempotent-replayed")))
                sent += 1
        except BaseException as exc:  # noqa: BLE001 — a thread's exception would be lost
            with ledger.lock:
                ledger.other_failures.append(f"client {number}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start.wait(timeout=60)
    began = time.monotonic()

    def storming() -> bool:
        elapsed = time.monotonic() - began
        with ledger.lock:
            short = len(ledger.acknowledged) < TARGET_ACKNOWLEDGED
        return elapsed < STORM_SECONDS or (short and elapsed < MAX_STORM_SECONDS)

    with serving.WorkerKiller(server, KILL_EVERY) as killer:
        while storming():
            time.sleep(0.1)
    ledger.kills = killer.kills
    storm_over.set()
    ledger.storm_seconds = time.monotonic() - began
    for thread in threads:
        thread.join(timeout=max(1.0, give_up_at - time.monotonic() + REQUEST_TIMEOUT))
    assert not any(t.is_alive() for t in threads), f"a client hung: {ledger.summary()}"
    return ledger


def stored(database) -> dict:
    engine = database.engine()
    try:
        with engine.connect() as connection:
            def rows(sql):
                return connection.execute(text(sql)).all()
            return {
                "reports": rows("SELECT id, reference, year, sequence, tracking_hash, title "
                                "FROM reports"),
                "keys": rows("SELECT key, report_id, response_encrypted IS NOT NULL "
                             "FROM idempotency_records"),
                "events": rows("SELECT report_id, action FROM report_events"),
                "contacts": rows("SELECT report_id FROM reporter_contacts"),
                "outbox": rows("SELECT report_id FROM outbox_messages"),
                "counters": dict(rows("SELECT year, last_value FROM reference_counters")),
            }
    finally:
        engine.dispose()


def test_no_acknowledged_report_is_lost_or_doubled_while_workers_are_killed(server):
    started = time.monotonic()
    ledger = run_storm(server)
    took = time.monotonic() - started
    print(f"\nstorm and finish took {took:.1f} s: {ledger.summary()}")

    # What the clients saw.
    assert not ledger.server_errors, f"5xx answers: {ledger.summary()}"
    assert not ledger.other_failures, f"failures that are not a killed worker's: {ledger.summary()}"
    assert not ledger.refusals and not ledger.gave_up, ledger.summary()
    assert len(ledger.kills) >= MIN_KILLS, ledger.summary()
    assert len(ledger.acknowledged) >= MIN_ACKNOWLEDGED, ledger.summary()
    assert sum(ledger.connection_failures.values()) > 0, (
        f"no request was cut by a kill; the test proves nothing: {ledger.summary()}")
    for first, again, replayed in ledger.replays:
        assert again == first and replayed == "true"

    # What the database holds.
    data = stored(server.database)
    ours = {row.id: row for row in data["reports"] if row.title.startswith(TITLE)}
    by_reference = {row.reference: row for row in data["reports"]}
    assert len(by_reference) == len(data["reports"]), "a reference was given twice"
    # The API's keys only: the report form's own submission ids ("form:…", the form storm of
    # test_form_kills on the same server) are another scope.
    keys = {row.key: row for row in data["keys"] if row.key.startswith(f"{SCOPE}:")}
    assert len(keys) == len(ledger.acknowledged), "a key was stored that no client holds an answer for"
    for key, receipt in ledger.acknowledged.items():
        report = by_reference.get(receipt["reference"])
        assert report is not None, f"acknowledged report {receipt['reference']} is missing"
        assert report.tracking_hash == tracking_codes.hash_code(
            tracking_codes.normalise_code(receipt["tracking_code"]), serving.SECRET_KEY)
        record = keys[f"{SCOPE}:{key}"]
        assert record.report_id == report.id and record[2], f"key {key} is not tied to its report"
    # One report per key, and no report without an acknowledged key.
    assert Counter(row.report_id for row in keys.values()).most_common(1)[0][1] == 1
    assert set(ours) == {row.report_id for row in keys.values()}
    assert len(ours) == len(ledger.acknowledged)
    # Every reference number handed out belongs to a stored report: no gap, no number twice.
    for year, last in data["counters"].items():
        numbers = sorted(row.sequence for row in data["reports"] if row.year == year)
        assert numbers == list(range(1, last + 1)), f"sequence of {year} has gaps or repeats"
    events = defaultdict(list)
    for row in data["events"]:
        events[row.report_id].append(row.action)
    assert all(events[report_id] == ["submit"] for report_id in ours)
    contacts = Counter(row.report_id for row in data["contacts"])
    assert all(count == 1 for count in contacts.values())
    assert sum(1 for report_id in ours if contacts[report_id]) == sum(
        1 for key in ledger.acknowledged if int(key.split("-")[2]) % 2)
    assert all(count <= 1 for count in Counter(row.report_id for row in data["outbox"]).values())

    if server.database.dialect == "sqlite":
        with sqlite3.connect(server.database.sqlite_path) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []

    # The server's own account: killed workers, no application error, no stuck worker.
    log = server.log()
    assert "Exception on" not in log and "Traceback" not in log, log[-5000:]
    assert "WORKER TIMEOUT" not in log
    assert log.count("was sent SIGKILL") >= len(ledger.kills) - 1  # the last may not be reaped yet
    server.wait_ready()  # the master replaced every killed worker
