"""Two officers acting at once on one report cannot both win.

These tests use real commits on the app's own engine (not the rolled-back ``db_session``): each
thread has its own app context and so its own ``db.session`` and connection, exactly as two
requests in two server workers would. What keeps them apart is the write transaction of
:func:`casework.take_action`: ``BEGIN IMMEDIATE`` on SQLite (a file database in WAL mode, as in
production), ``SELECT … FOR UPDATE`` on the report row on PostgreSQL. The loser either is refused
(the transition table says no to the state the winner left) or waits and then acts on that state;
there are never two "resolve" events.

The same races through the real multi-worker server, over HTTP with bearer tokens (201 for the
winner, 409 for the loser), are in tests/reliability/test_officer_race.py.

Everything the tests create is deleted afterwards (reports of a year no other test uses, their
events and side rows, the accounts).
"""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, func, select, text

from app.extensions import db
from app.models import (AccessLog, Attachment, OutboxMessage, RecoveryCode, ReferenceCounter, Report,
                        ReportEvent, ReporterContact, SecondFactor, StatsDirty, User)
from app.services import casework, workflow
from app.services.errors import TransitionRefused
from tests import factories

YEAR = 2032  # no other test files reports in this year
T0 = datetime(YEAR, 3, 1, 2, 0, tzinfo=timezone.utc)  # a Monday
EMAIL_DOMAIN = "konkurensi.terang.test"
THREAD_TIMEOUT = 60

pytestmark = pytest.mark.slow


@pytest.fixture
def committed(app):
    """Real, committed data through the app's engine; removed again after the test.

    Core ``DELETE`` statements are used, so the ORM guard on immutable events does not apply.
    """
    def _cleanup():
        with app.app_context():
            report_ids = select(Report.id).where(Report.year == YEAR).scalar_subquery()
            user_ids = select(User.id).where(User.email.like(f"%@{EMAIL_DOMAIN}")).scalar_subquery()
            for model in (Attachment, OutboxMessage, ReporterContact, AccessLog):
                db.session.execute(delete(model).where(model.report_id.in_(report_ids)))
            db.session.execute(delete(ReportEvent).where(ReportEvent.report_id.in_(report_ids)))
            db.session.execute(delete(Report).where(Report.year == YEAR))
            db.session.execute(delete(ReferenceCounter).where(ReferenceCounter.year == YEAR))
            db.session.execute(delete(StatsDirty).where(StatsDirty.period.like(f"{YEAR}-%")))
            db.session.execute(delete(AccessLog).where(AccessLog.user_id.in_(user_ids)))
            for model in (SecondFactor, RecoveryCode):  # the admins' authenticators (factories)
                db.session.execute(delete(model).where(model.user_id.in_(user_ids)))
            db.session.execute(delete(User).where(User.email.like(f"%@{EMAIL_DOMAIN}")))
            db.session.commit()
            db.session.remove()

    _cleanup()  # a crashed earlier run must not leave rows behind
    yield
    _cleanup()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report).where(Report.year == YEAR)) == 0
        assert db.session.scalar(select(func.count()).select_from(User)
                                 .where(User.email.like(f"%@{EMAIL_DOMAIN}"))) == 0
        db.session.remove()


_accounts = iter(range(1, 1_000_000))


def _user(role, agency_slug=None):
    return factories.make_user(role, agency_slug, email=f"{role}-{next(_accounts)}@{EMAIL_DOMAIN}")


def prepare(app, status: str):
    """Commit a report of YEAR in ``status`` (routed to dinkes-kota-padang) and four accounts."""
    with app.app_context():
        receipt = factories.file_report(now=T0, incident_date=date(YEAR, 2, 27),
                                        title="Laporan untuk uji tindakan serentak")
        report = db.session.get(Report, receipt.report_id)
        if status != "submitted":
            workflow.apply(report, "route", factories.actor("national_admin"), T0 + timedelta(hours=1),
                           workflow.ActionInput(agency=factories.agency("dinkes-kota-padang"),
                                                resolution_class="sedang"))
        if status == "in_progress":
            workflow.apply(report, "respond", factories.actor("officer"), T0 + timedelta(hours=2),
                           workflow.ActionInput(text="Kami periksa."))
        people = SimpleNamespace(
            officer_a=_user("officer", "dinkes-kota-padang"),
            officer_b=_user("officer", "dinkes-kota-padang"),
            admin_a=_user("national_admin"),
            admin_b=_user("national_admin"),
        )
        db.session.commit()
        assert report.status == status
        result = SimpleNamespace(reference=report.reference, report_id=report.id,
                                 **{name: user.id for name, user in vars(people).items()})
        db.session.remove()
        return result


WON = "won"
REFUSED = "refused"


def _run(app, user_id, reference, request, now, before_commit=None):
    """One officer's request, as a server worker runs it: own app context, session, commit."""
    with app.app_context():
        try:
            user = db.session.get(User, user_id)
            casework.take_action(user, reference, request, now)
            if before_commit is not None:
                before_commit()
            db.session.commit()
            return WON
        except TransitionRefused:
            db.session.rollback()
            return REFUSED
        except BaseException as exc:  # noqa: BLE001 — handed to the main thread and asserted there
            db.session.rollback()
            return exc
        finally:
            db.session.remove()


def race(app, reference, attempts, now):
    """Start every (user_id, ActionRequest) in its own thread at the same moment."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list = [None] * len(attempts)

    def worker(index, user_id, request):
        barrier.wait(timeout=THREAD_TIMEOUT)
        outcomes[index] = _run(app, user_id, reference, request, now)

    threads = [threading.Thread(target=worker, args=(i, user_id, request))
               for i, (user_id, request) in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "an officer's request hung"
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


def stored(app, report_id):
    with app.app_context():
        report = db.session.get(Report, report_id)
        events = db.session.execute(
            select(ReportEvent.action, ReportEvent.actor_user_id, ReportEvent.from_status,
                   ReportEvent.to_status, ReportEvent.target_agency_id)
            .where(ReportEvent.report_id == report_id).order_by(ReportEvent.id)).all()
        state = SimpleNamespace(status=report.status, agency_id=report.agency_id,
                                resolved_at=report.resolved_at, events=events)
        db.session.remove()
        return state


def test_the_database_is_set_up_for_concurrent_writers(app, committed):
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            assert db.engine.url.database not in (None, "", ":memory:"), "needs a file database"
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        else:
            assert db.engine.dialect.name == "postgresql"
            with db.engine.connect() as connection:
                assert connection.execute(text("SHOW transaction_isolation")).scalar() == "read committed"


@pytest.mark.parametrize("round_", range(3))
def test_two_officers_resolving_at_once_give_one_resolution(app, committed, round_):
    case = prepare(app, "in_progress")
    now = T0 + timedelta(days=1)
    outcomes = race(app, case.reference, [
        (case.officer_a, casework.ActionRequest(action="resolve", text="Diselesaikan oleh A.")),
        (case.officer_b, casework.ActionRequest(action="resolve", text="Diselesaikan oleh B.")),
    ], now)

    assert sorted(outcomes) == [REFUSED, WON]
    winner = (case.officer_a, case.officer_b)[outcomes.index(WON)]
    state = stored(app, case.report_id)
    resolutions = [e for e in state.events if e.action == "resolve"]
    assert len(resolutions) == 1
    assert resolutions[0].actor_user_id == winner
    assert (resolutions[0].from_status, resolutions[0].to_status) == ("in_progress", "resolved")
    assert state.status == "resolved" and state.resolved_at is not None
    assert [e.action for e in state.events] == ["submit", "route", "respond", "resolve"]


@pytest.mark.parametrize("round_", range(3))
def test_two_admins_routing_at_once_route_once(app, committed, round_):
    case = prepare(app, "submitted")
    now = T0 + timedelta(hours=5)
    outcomes = race(app, case.reference, [
        (case.admin_a, casework.ActionRequest(action="route", confirm_public_text=True, agency_slug="dinkes-kota-padang",
                                              resolution_class="ringan")),
        (case.admin_b, casework.ActionRequest(action="route", confirm_public_text=True, agency_slug="pemkab-lebak",
                                              resolution_class="berat")),
    ], now)

    assert sorted(outcomes) == [REFUSED, WON]
    winner_agency = ("dinkes-kota-padang", "pemkab-lebak")[outcomes.index(WON)]
    state = stored(app, case.report_id)
    routes = [e for e in state.events if e.action == "route"]
    assert len(routes) == 1
    with app.app_context():
        expected_agency = factories.agency(winner_agency).id
        db.session.remove()
    assert state.agency_id == routes[0].target_agency_id == expected_agency
    assert state.status == "routed"


def test_the_second_officer_waits_for_the_first_and_then_sees_the_new_state(app, committed):
    """Forced interleaving: A has resolved but not committed yet when B asks to resolve.

    B must wait (for the SQLite write lock, or the PostgreSQL row lock) instead of reading the
    old state; once A commits, B sees "resolved" and is refused.
    """
    case = prepare(app, "in_progress")
    now = T0 + timedelta(days=1)
    a_has_acted, release_a, b_started, b_finished = (threading.Event() for _ in range(4))
    outcomes = {}

    def officer_a():
        def hold():
            a_has_acted.set()
            release_a.wait(timeout=THREAD_TIMEOUT)
        outcomes["a"] = _run(app, case.officer_a, case.reference,
                             casework.ActionRequest(action="resolve", text="A."), now, before_commit=hold)

    def officer_b():
        a_has_acted.wait(timeout=THREAD_TIMEOUT)
        b_started.set()
        outcomes["b"] = _run(app, case.officer_b, case.reference,
                             casework.ActionRequest(action="resolve", text="B."), now)
        b_finished.set()

    threads = [threading.Thread(target=officer_a), threading.Thread(target=officer_b)]
    for thread in threads:
        thread.start()
    try:
        assert a_has_acted.wait(timeout=THREAD_TIMEOUT)
        assert b_started.wait(timeout=THREAD_TIMEOUT)
        # While A holds its transaction open, B cannot get past the lock.
        assert not b_finished.wait(timeout=1.0), "B did not wait for A's transaction"
    finally:
        release_a.set()
        for thread in threads:
            thread.join(timeout=THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in threads)
    for outcome in outcomes.values():
        if isinstance(outcome, BaseException):
            raise outcome
    assert outcomes == {"a": WON, "b": REFUSED}
    state = stored(app, case.report_id)
    assert [(e.action, e.actor_user_id) for e in state.events if e.action == "resolve"] == [
        ("resolve", case.officer_a)]


def test_compatible_actions_at_once_both_happen_in_a_clear_order(app, committed):
    """A resolves while B writes a note: both succeed, and the note records the state it saw."""
    case = prepare(app, "in_progress")
    now = T0 + timedelta(days=1)
    outcomes = race(app, case.reference, [
        (case.officer_a, casework.ActionRequest(action="resolve", text="Selesai.")),
        (case.officer_b, casework.ActionRequest(action="note", text="Catatan serentak.")),
    ], now)
    assert outcomes == [WON, WON]
    state = stored(app, case.report_id)
    last_two = [(e.action, e.from_status, e.to_status) for e in state.events[-2:]]
    assert last_two in (
        [("resolve", "in_progress", "resolved"), ("note", "resolved", "resolved")],
        [("note", "in_progress", "in_progress"), ("resolve", "in_progress", "resolved")],
    )
    assert state.status == "resolved"


def test_a_reporters_message_waits_for_an_officer_and_then_sees_the_new_state(app, committed):
    """Forced interleaving: an officer has resolved but not committed when the reporter adds
    information. The reporter waits for the row (reporter.lock_report) instead of acting on the
    old state, then sees "resolved" and is refused: no message lands on a finished report."""
    from app.services import reporter
    from app.services.errors import DomainError

    case = prepare(app, "in_progress")
    now = T0 + timedelta(days=1)
    officer_acted, release_officer, reporter_started, reporter_finished = (
        threading.Event() for _ in range(4))
    outcomes = {}

    def officer():
        def hold():
            officer_acted.set()
            release_officer.wait(timeout=THREAD_TIMEOUT)
        outcomes["officer"] = _run(app, case.officer_a, case.reference,
                                   casework.ActionRequest(action="resolve", text="Selesai."), now,
                                   before_commit=hold)

    def reporter_side():
        officer_acted.wait(timeout=THREAD_TIMEOUT)
        with app.app_context():
            try:
                report = db.session.get(Report, case.report_id)  # read before the lock, as a view does
                assert report.status == "in_progress"
                reporter_started.set()
                reporter.add_information(report, "Ini foto tambahan.", [], now)
                db.session.commit()
                outcomes["reporter"] = WON
            except DomainError:
                db.session.rollback()
                outcomes["reporter"] = REFUSED
            except BaseException as exc:  # noqa: BLE001 — asserted in the main thread
                db.session.rollback()
                outcomes["reporter"] = exc
            finally:
                db.session.remove()
                reporter_finished.set()

    threads = [threading.Thread(target=officer), threading.Thread(target=reporter_side)]
    for thread in threads:
        thread.start()
    try:
        assert officer_acted.wait(timeout=THREAD_TIMEOUT)
        assert reporter_started.wait(timeout=THREAD_TIMEOUT)
        assert not reporter_finished.wait(timeout=1.0), "the reporter did not wait for the officer"
    finally:
        release_officer.set()
        for thread in threads:
            thread.join(timeout=THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in threads)
    for outcome in outcomes.values():
        if isinstance(outcome, BaseException):
            raise outcome
    assert outcomes == {"officer": WON, "reporter": REFUSED}
    state = stored(app, case.report_id)
    assert [e.action for e in state.events] == ["submit", "route", "respond", "resolve"]
    assert state.status == "resolved"
