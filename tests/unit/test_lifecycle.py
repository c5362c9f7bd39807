"""The lifecycle tick: auto-close, missed deadlines once per clock, deduplicated reminders."""
from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, Report, ReportEvent, User
from app.services import lifecycle, sla, workflow
from tests import factories

ADMIN = workflow.Actor(kind="officer", role="national_admin")
REPORTER_EMAIL = "pelapor.rahasia@example.org"


def wib(y, m, d, hour=9, minute=0) -> datetime:
    """A moment given in Jakarta time (UTC+7), as UTC."""
    return datetime(y, m, d, hour, minute, tzinfo=sla.JAKARTA).astimezone(timezone.utc)


# Monday 2 November 2026, 09:00 WIB; no holidays until 24 December.
MONDAY = wib(2026, 11, 2)


def officer(slug="dinkes-kota-padang"):
    return workflow.Actor(kind="officer", role="officer", agency_id=factories.agency(slug).id)


def file(submitted=MONDAY, **overrides) -> tuple:
    overrides.setdefault("incident_date", date(2026, 10, 30))
    receipt = factories.file_report(now=submitted, **overrides)
    return receipt, db.session.get(Report, receipt.report_id)


def routed(submitted=MONDAY, resolution_class="ringan", **overrides) -> Report:
    _, report = file(submitted, **overrides)
    workflow.apply(report, "route", ADMIN, submitted + timedelta(hours=1), workflow.ActionInput(
        agency=factories.agency("dinkes-kota-padang"), resolution_class=resolution_class))
    db.session.commit()
    return report


def resolved(at: datetime) -> Report:
    report = routed(submitted=at - timedelta(hours=2))
    workflow.apply(report, "resolve", officer(), at, workflow.ActionInput(text="Sudah selesai."))
    db.session.commit()
    return report


def fresh(report: Report) -> Report:
    return db.session.get(Report, report.id, populate_existing=True)


def events(report: Report, action: str) -> list[ReportEvent]:
    return list(db.session.scalars(select(ReportEvent).where(
        ReportEvent.report_id == report.id, ReportEvent.action == action).order_by(ReportEvent.id)))


def reminders(report: Report | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.dedupe_key.like("remind:%"))
    if report is not None:
        query = query.where(OutboxMessage.report_id == report.id)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def user(email, role, slug=None, active=True) -> User:
    account = User(email=email, name=email.split("@")[0], role=role, password_hash="x",
                   agency_id=factories.agency(slug).id if slug else None, is_active_account=active)
    db.session.add(account)
    db.session.commit()
    return account


@pytest.fixture
def staff(db_session):
    """Two active people at Dinkes Padang, one inactive, one elsewhere, one national admin."""
    return {
        "officer": user("petugas@dinkes.padang.go.id", "officer", "dinkes-kota-padang"),
        "agency_admin": user("admin@dinkes.padang.go.id", "agency_admin", "dinkes-kota-padang"),
        "inactive": user("lama@dinkes.padang.go.id", "officer", "dinkes-kota-padang", active=False),
        "elsewhere": user("petugas@kemkes.go.id", "officer", "kemenkes"),
        "national": user("verifikator@lapor.go.id", "national_admin"),
        "oversight": user("pengawas@ombudsman.go.id", "oversight"),
    }


# --- auto-close -------------------------------------------------------------------------------

def test_resolved_report_closes_after_exactly_ten_working_days(db_session):
    report = resolved(wib(2026, 11, 2, 10))  # Monday; 10 working days end on Monday 16 November
    assert fresh(report).due_on == date(2026, 11, 16)

    assert lifecycle.tick(wib(2026, 11, 13, 18)).closed == 0  # 9 working days
    assert lifecycle.tick(wib(2026, 11, 16, 23, 59)).closed == 0  # the 10th day is not over
    assert fresh(report).status == "resolved"

    now = wib(2026, 11, 17, 0, 1)
    summary = lifecycle.tick(now)
    assert summary.closed == 1 and summary.errors == 0
    report = fresh(report)
    assert report.status == "closed" and report.closed_at == now
    (event,) = events(report, "auto_close")
    assert event.actor_kind == "system" and event.from_status == "resolved"
    assert lifecycle.tick(now + timedelta(minutes=1)).closed == 0
    assert len(events(report, "auto_close")) == 1


def test_auto_close_skips_holidays_and_cuti_bersama(db_session):
    # Resolved Monday 14 December 2026; 24 (cuti bersama) and 25 December (Christmas) do not
    # count, so the 10th working day is Wednesday 30 December, not Monday 28.
    report = resolved(wib(2026, 12, 14, 10))
    assert fresh(report).due_on == date(2026, 12, 30)
    assert lifecycle.tick(wib(2026, 12, 29, 8)).closed == 0
    assert lifecycle.tick(wib(2026, 12, 30, 23, 59)).closed == 0
    assert lifecycle.tick(wib(2026, 12, 31, 0, 5)).closed == 1
    assert fresh(report).status == "closed"


def test_confirmed_or_disputed_reports_are_not_auto_closed(db_session):
    confirmed = resolved(wib(2026, 11, 2, 10))
    workflow.apply(confirmed, "confirm", workflow.Actor.reporter(), wib(2026, 11, 3))
    disputed = resolved(wib(2026, 11, 2, 10))
    workflow.apply(disputed, "dispute", workflow.Actor.reporter(), wib(2026, 11, 3),
                   workflow.ActionInput(reason="Belum ada perubahan."))
    db.session.commit()
    lifecycle.tick(wib(2026, 11, 20))
    assert events(confirmed, "auto_close") == [] and events(disputed, "auto_close") == []
    assert fresh(disputed).status == "in_progress"


# --- missed deadlines -----------------------------------------------------------------------

def test_a_missed_deadline_is_recorded_once_per_clock(db_session):
    report = routed()  # first follow-up: 5 working days from Monday 2 November → Monday 9
    assert (fresh(report).due_clock, fresh(report).due_on) == ("first_response", date(2026, 11, 9))

    assert lifecycle.tick(wib(2026, 11, 9, 23, 30)).overdue == 0  # still 9 November in Jakarta
    now = wib(2026, 11, 10, 0, 5)
    assert lifecycle.tick(now).overdue == 1
    assert lifecycle.tick(now + timedelta(minutes=1)).overdue == 0
    assert lifecycle.tick(now + timedelta(days=3)).overdue == 0

    (event,) = events(report, "deadline_missed")
    assert event.reason == "first_response" and not event.is_internal
    assert event.from_status == event.to_status == "routed" and event.actor_kind == "system"
    assert fresh(report).overdue_clock == "first_response"

    # The next clock (resolution, "ringan": 5 working days from routing) has passed too.
    workflow.apply(report, "respond", officer(), wib(2026, 11, 12), workflow.ActionInput(text="Maaf."))
    db.session.commit()
    assert lifecycle.tick(wib(2026, 11, 12, 10)).overdue == 1
    assert lifecycle.tick(wib(2026, 11, 12, 10, 1)).overdue == 0
    assert [e.reason for e in events(report, "deadline_missed")] == ["first_response", "resolution"]


def test_a_report_on_hold_is_never_overdue(db_session):
    report = routed()
    workflow.apply(report, "request_info", officer(), wib(2026, 11, 3),
                   workflow.ActionInput(text="Mohon kirim foto."))
    db.session.commit()
    assert fresh(report).due_on is None
    summary = lifecycle.tick(wib(2026, 12, 1))
    assert summary.overdue == 0
    assert events(report, "deadline_missed") == []


def test_unverified_report_misses_the_verification_deadline(db_session):
    _, report = file()  # verification: 3 working days → Thursday 5 November
    assert lifecycle.tick(wib(2026, 11, 5, 23)).overdue == 0
    assert lifecycle.tick(wib(2026, 11, 6, 1)).overdue == 1
    (event,) = events(report, "deadline_missed")
    assert event.reason == "verification"


def test_the_reporter_hears_about_a_missed_deadline_in_their_language(db_session):
    receipt, report = file(reporter_email=REPORTER_EMAIL, language="en")
    workflow.apply(report, "route", ADMIN, MONDAY + timedelta(hours=1), workflow.ActionInput(
        agency=factories.agency("dinkes-kota-padang"), resolution_class="ringan"))
    db.session.commit()
    lifecycle.tick(wib(2026, 11, 10, 1))
    (message,) = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == REPORTER_EMAIL, OutboxMessage.subject.like("%Deadline missed%")))
    assert "The deadline for first follow-up by the agency has passed." in message.body
    assert receipt.tracking_code not in message.body


# --- reminders --------------------------------------------------------------------------------

def test_reminders_go_to_the_agency_once_per_deadline_and_kind(db_session, staff):
    receipt, report = file(is_anonymous=True, reporter_name="Rahasia Pelapor",
                           reporter_email=REPORTER_EMAIL, reporter_phone="081234567890")
    workflow.apply(report, "route", ADMIN, MONDAY + timedelta(hours=1), workflow.ActionInput(
        agency=factories.agency("dinkes-kota-padang"), resolution_class="ringan"))
    db.session.commit()  # first follow-up due Monday 9 November

    assert lifecycle.tick(wib(2026, 11, 5, 9)).reminders == 0  # Thursday: 2 working days left
    summary = lifecycle.tick(wib(2026, 11, 6, 9))  # Friday: due on the next working day
    assert summary.reminders == 2
    due_soon = reminders(report)
    assert sorted(m.recipient for m in due_soon) == [staff["agency_admin"].email, staff["officer"].email]
    for run in range(2):
        assert lifecycle.tick(wib(2026, 11, 6, 9, 1 + run)).reminders == 0
    assert lifecycle.tick(wib(2026, 11, 9, 7)).reminders == 0  # due today: already reminded
    assert len(reminders(report)) == 2

    overdue = lifecycle.tick(wib(2026, 11, 10, 0, 5))
    assert (overdue.overdue, overdue.reminders) == (1, 2)
    assert lifecycle.tick(wib(2026, 11, 10, 0, 6)).reminders == 0
    assert lifecycle.tick(wib(2026, 11, 11, 9)).reminders == 0
    found = reminders(report)
    assert len(found) == 4
    assert {m.dedupe_key.split(":")[4] for m in found} == {"due_soon", "overdue"}
    assert len({m.dedupe_key for m in found}) == 4

    message = found[0]
    assert report.reference in message.subject and report.reference in message.body
    assert "Puskesmas tutup pada jam layanan" in message.body
    assert "Tindak lanjut pertama oleh instansi" in message.body
    assert f"/petugas/laporan/{report.reference}" in message.body
    for m in found:
        text = m.subject + m.body
        for secret in (REPORTER_EMAIL, "Rahasia Pelapor", "081234567890", "0812",
                       receipt.tracking_code, report.body[:40]):
            assert secret not in text
    assert "Tenggat terlewati" in found[-1].subject


def test_confidential_report_reminders_leave_the_title_out(db_session, staff):
    _, report = file(is_confidential=True)
    workflow.apply(report, "route", ADMIN, MONDAY + timedelta(hours=1), workflow.ActionInput(
        agency=factories.agency("dinkes-kota-padang"), resolution_class="ringan"))
    db.session.commit()
    lifecycle.tick(wib(2026, 11, 6, 9))
    found = reminders(report)
    assert found and all(report.title not in m.body for m in found)
    assert all("laporan rahasia" in m.body for m in found)


def test_the_national_admin_is_reminded_of_verification_deadlines(db_session, staff):
    _, report = file()  # verification due Thursday 5 November
    assert lifecycle.tick(wib(2026, 11, 4, 9)).reminders == 1  # Wednesday: 1 working day left
    (message,) = reminders(report)
    assert message.recipient == staff["national"].email
    assert "Verifikasi" in message.body
    summary = lifecycle.tick(wib(2026, 11, 6, 9))
    assert (summary.overdue, summary.reminders) == (1, 1)
    assert [m.recipient for m in reminders(report)] == [staff["national"].email] * 2


def test_reports_on_hold_get_no_reminders(db_session, staff):
    report = routed()
    workflow.apply(report, "request_info", officer(), wib(2026, 11, 3),
                   workflow.ActionInput(text="Mohon kirim foto."))
    db.session.commit()
    lifecycle.tick(wib(2026, 11, 6, 9))
    lifecycle.tick(wib(2026, 11, 20, 9))
    assert reminders(report) == []


# --- robustness -------------------------------------------------------------------------------

def test_tick_on_an_empty_database_is_a_no_op(db_session):
    counts = lambda: (db.session.scalar(select(func.count(ReportEvent.id))),  # noqa: E731
                      db.session.scalar(select(func.count(OutboxMessage.id))))
    before = counts()
    summary = lifecycle.tick(wib(2026, 11, 23))
    assert (summary.closed, summary.overdue, summary.reminders, summary.errors) == (0, 0, 0, 0)
    assert not summary.changed
    assert counts() == before


def test_small_batches_reach_every_report(db_session):
    reports = [routed() for _ in range(5)]
    summary = lifecycle.tick(wib(2026, 11, 10, 1), batch=2)
    assert summary.overdue == 5
    assert all(fresh(r).overdue_clock == "first_response" for r in reports)


def test_a_failure_on_one_report_does_not_lose_the_others(db_session, monkeypatch, caplog):
    first, second, third = routed(), routed(), routed()
    real_apply = workflow.apply

    def flaky(report, action, *args, **kwargs):
        if report.id == second.id:
            raise RuntimeError(f"boom for {report.title}")
        return real_apply(report, action, *args, **kwargs)

    monkeypatch.setattr(workflow, "apply", flaky)
    monkeypatch.setattr(logging.getLogger("app.services.lifecycle"), "disabled", False)
    now = wib(2026, 11, 10, 1)
    with caplog.at_level(logging.ERROR, logger="app.services.lifecycle"):
        summary = lifecycle.tick(now)
    assert (summary.overdue, summary.errors) == (2, 1)
    assert f"report id {second.id}: RuntimeError" in caplog.text
    assert "Puskesmas" not in caplog.text  # exception text is not logged
    assert fresh(first).overdue_clock == fresh(third).overdue_clock == "first_response"
    assert fresh(second).overdue_clock is None

    monkeypatch.setattr(workflow, "apply", real_apply)
    summary = lifecycle.tick(now + timedelta(minutes=1))
    assert (summary.overdue, summary.errors) == (1, 0)
    assert fresh(second).overdue_clock == "first_response"


def test_cli_tick_prints_a_summary(db_session, app):
    result = app.test_cli_runner().invoke(args=["lifecycle", "tick"])
    assert result.exit_code == 0, result.output
    assert "closed" in result.output and "reminders queued" in result.output


# --- one definition of the clocks ------------------------------------------------------------

def test_a_request_for_information_on_day_zero_is_the_first_follow_up(db_session):
    """The officer asks on the day of routing, the reporter answers: no "first follow-up missed"
    ever, and the dossier, the board and the statistics all say the clock was met."""
    from app.services import board, escalations, statistics

    report = routed()  # Monday 2 November, "ringan"
    workflow.apply(report, "request_info", officer(), MONDAY + timedelta(hours=3),
                   workflow.ActionInput(text="Mohon kirim foto lokasi."))
    workflow.apply(report, "reporter_reply", workflow.Actor.reporter(), wib(2026, 11, 3),
                   workflow.ActionInput(text="Foto terlampir."))
    db.session.commit()
    assert fresh(report).due_clock == sla.RESOLUTION
    lifecycle.tick(wib(2026, 11, 10, 1))  # the day after the first follow-up would have been due
    assert [e.reason for e in events(report, "deadline_missed")] == []

    now = wib(2026, 11, 10, 2)
    first = escalations.deadline_record(fresh(report), now)[1]
    assert (first.clock, first.outcome) == (sla.FIRST_RESPONSE, "met")
    assert board.deadlines_met(fresh(report), now)[0].met is True
    measures = statistics.measure(report, report.events, now)
    assert measures.followed_up and measures.on_time_answered and measures.first_response_days == 0


def test_a_disputed_resolution_gets_a_fresh_resolution_clock(db_session):
    report = routed()  # "ringan": 5 working days from Monday 2 November → Monday 9
    workflow.apply(report, "resolve", officer(), wib(2026, 11, 3), workflow.ActionInput(text="Beres."))
    # The reporter disputes on day 12 (Friday 13 November): long after the first due date.
    workflow.apply(report, "dispute", workflow.Actor.reporter(), wib(2026, 11, 13),
                   workflow.ActionInput(reason="Belum beres."))
    db.session.commit()
    report = fresh(report)
    assert (report.due_clock, report.due_on) == (sla.RESOLUTION, date(2026, 11, 20))
    assert lifecycle.tick(wib(2026, 11, 13, 10)).overdue == 0  # not "missed" at once
    assert lifecycle.tick(wib(2026, 11, 20, 23)).overdue == 0
    assert lifecycle.tick(wib(2026, 11, 21, 0, 5)).overdue == 1
    assert [e.reason for e in events(report, "deadline_missed")] == ["resolution"]


def test_each_reopened_clock_is_missed_on_its_own(db_session):
    report = routed()
    lifecycle.tick(wib(2026, 11, 10, 1))  # first follow-up missed
    workflow.apply(report, "respond", officer(), wib(2026, 11, 10), workflow.ActionInput(text="Maaf."))
    db.session.commit()
    lifecycle.tick(wib(2026, 11, 10, 10))  # resolution (due 9 November) missed
    workflow.apply(report, "resolve", officer(), wib(2026, 11, 11), workflow.ActionInput(text="Beres."))
    workflow.apply(report, "dispute", workflow.Actor.reporter(), wib(2026, 11, 12),
                   workflow.ActionInput(reason="Belum."))
    db.session.commit()
    assert fresh(report).overdue_clock is None
    assert lifecycle.tick(wib(2026, 11, 20, 1)).overdue == 1  # the reopened clock, due the 19th
    assert [e.reason for e in events(report, "deadline_missed")] == [
        "first_response", "resolution", "resolution"]


def test_old_delivered_mail_is_scrubbed_but_its_dedupe_key_stays(db_session):
    now = wib(2026, 11, 23)
    old_sent = OutboxMessage(recipient="siti@example.com", subject="Laporan Anda", body="Isi",
                             dedupe_key="remind:1:first_response:2026-10-01:due_soon:u1",
                             created_at=now - timedelta(days=40), next_attempt_at=now,
                             sent_at=now - timedelta(days=31))
    old_failed = OutboxMessage(recipient="budi@example.com", subject="S", body="B",
                               created_at=now - timedelta(days=40), next_attempt_at=now,
                               failed_at=now - timedelta(days=35))
    recent = OutboxMessage(recipient="rina@example.com", subject="S", body="B",
                           created_at=now - timedelta(days=2), next_attempt_at=now,
                           sent_at=now - timedelta(days=1))
    waiting = OutboxMessage(recipient="ani@example.com", subject="S", body="B",
                            created_at=now - timedelta(days=60), next_attempt_at=now)
    db.session.add_all([old_sent, old_failed, recent, waiting])
    db.session.commit()

    summary = lifecycle.tick(now)
    assert summary.outbox_scrubbed == 2 and "2 old e-mails scrubbed" in str(summary)
    for message in (old_sent, old_failed):
        db.session.refresh(message)
        assert (message.recipient, message.subject, message.body) == ("[dihapus]",) * 3
    assert old_sent.dedupe_key.startswith("remind:1:")  # a reminder is still never queued twice
    for message in (recent, waiting):  # not yet delivered, or delivered lately: kept
        db.session.refresh(message)
        assert "@example.com" in message.recipient
    assert lifecycle.tick(now).outbox_scrubbed == 0
