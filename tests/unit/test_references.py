"""Public reference numbers: LPR-YYYY-NNNNNNN, sequential per (Jakarta) year, never handed out twice."""
import re
import threading
from datetime import date, datetime, timezone

import pytest
from flask import current_app
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import (OutboxMessage, ReferenceCounter, Report, ReporterContact, ReportEvent,
                        StatsDirty)
from app.services import intake, references
from app.services.errors import DomainError
from tests import factories

REFERENCE = re.compile(r"^LPR-(\d{4})-(\d{7})$")


@pytest.mark.parametrize("prefix, year, sequence, expected", [
    ("LPR", 2026, 1, "LPR-2026-0000001"),
    ("LPR", 2026, 1234, "LPR-2026-0001234"),
    ("LPR", 2027, 9_999_999, "LPR-2027-9999999"),
    ("TRG", 2030, 42, "TRG-2030-0000042"),
])
def test_format(prefix, year, sequence, expected):
    assert references.format_reference(prefix, year, sequence) == expected


def test_a_receipt_carries_a_well_formed_reference(db_session):
    receipt = factories.file_report(now=datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc))
    match = REFERENCE.match(receipt.reference)
    assert match, receipt.reference
    assert match.group(1) == "2026"
    report = db.session.get(Report, receipt.report_id)
    assert (report.year, report.sequence) == (2026, int(match.group(2)))


def test_sequential_within_a_year(db_session):
    now = datetime(2028, 5, 2, 3, 0, tzinfo=timezone.utc)
    refs = [factories.file_report(now=now, incident_date=date(2028, 5, 1)).reference for _ in range(4)]
    assert refs == ["LPR-2028-0000001", "LPR-2028-0000002", "LPR-2028-0000003", "LPR-2028-0000004"]


def test_the_prefix_comes_from_the_configuration(db_session):
    receipt = intake.submit_report(
        factories.submission(), now=datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc),
        secret_key=current_app.config["SECRET_KEY"], reference_prefix="TRG")
    assert receipt.reference.startswith("TRG-2026-")


@pytest.mark.parametrize("moment, year", [
    (datetime(2026, 12, 31, 16, 59, tzinfo=timezone.utc), 2026),  # 23:59 WIB, still 2026
    (datetime(2026, 12, 31, 17, 0, tzinfo=timezone.utc), 2027),   # midnight in Jakarta
    (datetime(2026, 12, 31, 18, 0, tzinfo=timezone.utc), 2027),   # 01:00 WIB on 1 January
    (datetime(2027, 1, 1, 0, 0, tzinfo=timezone.utc), 2027),
])
def test_the_year_is_jakarta_local(db_session, moment, year):
    receipt = factories.file_report(now=moment, incident_date=date(2026, 12, 30))
    assert receipt.reference.startswith(f"LPR-{year}-")
    assert db.session.get(Report, receipt.report_id).year == year


def test_numbering_restarts_in_a_new_year(db_session):
    last_of_2026 = [factories.file_report(now=datetime(2026, 12, 31, 9, 0, tzinfo=timezone.utc),
                                          incident_date=date(2026, 12, 30))
                    for _ in range(3)]
    assert [int(r.reference[-7:]) for r in last_of_2026] == [1, 2, 3]
    # 18:00 UTC on 31 December is 01:00 on 1 January in Jakarta: already the new year.
    first_of_2027 = factories.file_report(now=datetime(2026, 12, 31, 18, 0, tzinfo=timezone.utc),
                                          incident_date=date(2026, 12, 30))
    assert first_of_2027.reference == "LPR-2027-0000001"
    # … and the old year's counter is untouched.
    later_2026 = factories.file_report(now=datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc),
                                       incident_date=date(2026, 12, 30))
    assert later_2026.reference == "LPR-2026-0000004"


@pytest.mark.parametrize("bad", [
    dict(title="   "),
    dict(region_code="99.99"),
    dict(agency_slug="no-such-agency"),
    dict(category_slug="no-such-category"),
    dict(reporter_email="not-an-address"),
])
def test_a_refused_submission_uses_up_no_number(db_session, bad):
    now = datetime(2029, 2, 1, 3, 0, tzinfo=timezone.utc)
    kwargs = dict(now=now, secret_key=current_app.config["SECRET_KEY"], reference_prefix="LPR")
    with pytest.raises(DomainError):
        intake.submit_report(factories.submission(incident_date=date(2029, 1, 30), **bad), **kwargs)
    db.session.rollback()
    receipt = intake.submit_report(factories.submission(incident_date=date(2029, 1, 30)), **kwargs)
    assert receipt.reference == "LPR-2029-0000001"


# --- concurrency, with real commits ------------------------------------------------------------

CONCURRENT_YEAR = 2031  # a year no other test files reports in


@pytest.fixture
def committing(app):
    """Real commits through the app's own engine and session, cleaned up afterwards.

    Yields the years the test files reports in; on teardown every report of those years (with its
    events, contact, outbox messages, attachments) and the years' counters are deleted. Core
    ``DELETE`` statements are used, so the ORM's immutable-event guard does not apply.
    """
    years = {CONCURRENT_YEAR}

    def _cleanup():
        with app.app_context():
            ids = select(Report.id).where(Report.year.in_(years)).scalar_subquery()
            from app.models import Attachment

            for model in (Attachment, OutboxMessage, ReporterContact):
                db.session.execute(delete(model).where(model.report_id.in_(ids)))
            db.session.execute(delete(ReportEvent).where(ReportEvent.report_id.in_(ids)))
            db.session.execute(delete(Report).where(Report.year.in_(years)))
            db.session.execute(delete(ReferenceCounter).where(ReferenceCounter.year.in_(years)))
            db.session.execute(delete(StatsDirty).where(StatsDirty.period.like(f"{CONCURRENT_YEAR}-%")))
            db.session.commit()
            db.session.remove()

    _cleanup()  # a crashed earlier run must not leave numbers behind
    yield years
    _cleanup()


@pytest.mark.slow
def test_concurrent_submissions_never_share_a_number(app, committing):
    threads_count, per_thread = 8, 5
    now = datetime(CONCURRENT_YEAR, 3, 4, 3, 0, tzinfo=timezone.utc)
    start = threading.Barrier(threads_count)
    results: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(n):
        with app.app_context():
            try:
                start.wait(timeout=30)
                for i in range(per_thread):
                    receipt = intake.submit_report(
                        factories.submission(incident_date=date(CONCURRENT_YEAR, 3, 1),
                                             title=f"Laporan serentak {n}-{i}"),
                        now=now, secret_key=app.config["SECRET_KEY"],
                        reference_prefix=app.config["REFERENCE_PREFIX"])
                    db.session.commit()
                    with lock:
                        results.append((receipt.reference, receipt.report_id))
            except BaseException as exc:  # noqa: BLE001 — reported below, in the main thread
                db.session.rollback()
                with lock:
                    errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a submission hung"
    assert errors == []

    total = threads_count * per_thread
    refs = [ref for ref, _id in results]
    assert len(refs) == total
    assert len(set(refs)) == total
    assert all(REFERENCE.match(ref) and ref.startswith(f"LPR-{CONCURRENT_YEAR}-") for ref in refs)
    assert sorted(int(ref[-7:]) for ref in refs) == list(range(1, total + 1))

    with app.app_context():
        stored = db.session.execute(
            select(Report.sequence, Report.reference).where(Report.year == CONCURRENT_YEAR)).all()
        assert sorted(s for s, _r in stored) == list(range(1, total + 1))
        assert {r for _s, r in stored} == set(refs)
        assert db.session.get(ReferenceCounter, CONCURRENT_YEAR).last_value == total
        # Each report got exactly its one "submit" event.
        events = db.session.scalar(select(func.count()).select_from(ReportEvent).where(
            ReportEvent.report_id.in_([i for _r, i in results])))
        assert events == total
        db.session.remove()
