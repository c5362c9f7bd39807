"""The reporter's answer to a resolution, rating and escalation (services/reporter.py, escalations.py)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Escalation, Rating, ReportEvent, Status
from app.services import escalations, lifecycle, reporter, sla, tracking, workflow
from app.services.errors import DomainError
from tests import factories

UTC = timezone.utc
# Wednesday 16 December 2026, 10:00 in Jakarta. The 10 working days after it skip the Christmas
# joint holiday (Thu 24), Christmas (Fri 25) and New Year (Fri 1 January): the last day to answer
# is Monday 4 January 2027, not Wednesday 30 December as a weekday count would say.
RESOLVED_AT = datetime(2026, 12, 16, 3, 0, tzinfo=UTC)
LAST_ANSWER_DAY = date(2027, 1, 4)
LAST_MINUTE = datetime(2027, 1, 4, 16, 59, tzinfo=UTC)   # 23:59 WIB on the last day
TOO_LATE = datetime(2027, 1, 4, 17, 0, tzinfo=UTC)       # 00:00 WIB on 5 January


@pytest.fixture(autouse=True)
def request_context(app, db_session):
    """Refusal messages are lazy translations: they render in the request's language."""
    with app.test_request_context():
        yield


def resolved_report(resolved_at: datetime = RESOLVED_AT, **overrides):
    """A report routed and answered a few hours before ``resolved_at``, resolved then."""
    report = factories.report_in_status("in_progress", now=resolved_at - timedelta(hours=3),
                                        **overrides)
    workflow.apply(report, "resolve", factories.actor("officer"), resolved_at,
                   workflow.ActionInput(text="Puskesmas sudah buka sesuai jadwal."))
    db.session.flush()
    return report


def events_of(report, action):
    return [e for e in report.events if e.action == action]


# --- the 10-working-day answer window -----------------------------------------------------------

def test_answer_window_counts_ten_working_days_without_holidays(db_session):
    report = resolved_report()
    window = reporter.answer_deadline(report, RESOLVED_AT)
    assert window.clock == sla.REPORTER_ANSWER
    assert window.due_on == LAST_ANSWER_DAY
    assert {day for day, _ in window.holidays_skipped} == {
        date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1)}


@pytest.mark.parametrize("moment, open_", [
    (RESOLVED_AT, True),
    (datetime(2026, 12, 31, 3, 0, tzinfo=UTC), True),   # past 10 weekdays, within 10 working days
    (LAST_MINUTE, True),
    (TOO_LATE, False),
    (datetime(2027, 2, 1, 3, 0, tzinfo=UTC), False),
])
def test_answer_window_boundary_in_jakarta_time(db_session, moment, open_):
    report = resolved_report()
    assert reporter.can_answer_resolution(report, moment) is open_


def test_confirm_on_the_last_day_closes_the_report(db_session):
    report = resolved_report()
    event = reporter.confirm_resolution(report, LAST_MINUTE)
    assert report.status == Status.CLOSED
    assert report.closed_at == LAST_MINUTE
    assert (event.action, event.actor_kind, event.from_status, event.to_status) == (
        "confirm", "reporter", Status.RESOLVED, Status.CLOSED)


@pytest.mark.parametrize("answer", ["confirm", "dispute"])
def test_answers_after_the_window_are_refused(db_session, answer):
    report = resolved_report()
    with pytest.raises(DomainError) as refused:
        if answer == "confirm":
            reporter.confirm_resolution(report, TOO_LATE)
        else:
            reporter.dispute_resolution(report, "Masih tutup.", TOO_LATE)
    assert "sudah lewat" in str(refused.value.message)
    assert report.status == Status.RESOLVED
    assert not events_of(report, answer)


def test_window_closes_exactly_when_the_lifecycle_tick_auto_closes(db_session):
    report = resolved_report()
    assert lifecycle.tick(LAST_MINUTE).closed == 0
    assert lifecycle.tick(TOO_LATE).closed == 1
    db.session.refresh(report)
    assert report.status == Status.CLOSED
    with pytest.raises(DomainError) as refused:
        reporter.confirm_resolution(report, TOO_LATE)
    assert "sudah ditutup" in str(refused.value.message)


@pytest.mark.parametrize("status", ["submitted", "routed", "in_progress", "on_hold", "archived"])
def test_nothing_to_answer_before_a_resolution(db_session, status):
    report = factories.report_in_status(status)
    with pytest.raises(DomainError) as refused:
        reporter.confirm_resolution(report, datetime(2026, 11, 24, tzinfo=UTC))
    assert "Belum ada penyelesaian" in str(refused.value.message)
    assert report.status == status


def test_dispute_reopens_the_report_in_progress_with_the_reason(db_session):
    report = resolved_report()
    event = reporter.dispute_resolution(report, "  Puskesmas masih tutup setiap Senin.  ",
                                        RESOLVED_AT + timedelta(days=2))
    assert report.status == Status.IN_PROGRESS
    assert (event.action, event.actor_kind, event.to_status) == ("dispute", "reporter", "in_progress")
    assert event.reason == "Puskesmas masih tutup setiap Senin."
    assert not event.is_internal
    # The agency's resolution clock runs again.
    assert reporter.current_deadline(report, RESOLVED_AT + timedelta(days=2)).clock == sla.RESOLUTION


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 5001])
def test_dispute_needs_a_reason(db_session, reason):
    report = resolved_report()
    with pytest.raises(DomainError) as refused:
        reporter.dispute_resolution(report, reason, RESOLVED_AT + timedelta(days=1))
    assert refused.value.field == "reason"
    assert report.status == Status.RESOLVED


def test_a_closed_report_cannot_be_disputed(db_session):
    report = resolved_report()
    reporter.confirm_resolution(report, RESOLVED_AT + timedelta(days=1))
    with pytest.raises(DomainError):
        reporter.dispute_resolution(report, "Berubah pikiran.", RESOLVED_AT + timedelta(days=2))
    assert report.status == Status.CLOSED


# --- rating ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_rating_is_recorded_for_resolved_and_closed_reports(db_session, status, monkeypatch):
    from app.services import statistics

    marked = []
    monkeypatch.setattr(statistics, "mark_dirty", lambda report, *ids: marked.append(report.id))
    report = factories.report_in_status(status)
    rating = reporter.rate(report, 4, "  Cepat ditangani.  ", datetime(2026, 11, 24, tzinfo=UTC))
    assert (rating.report_id, rating.score, rating.comment) == (report.id, 4, "Cepat ditangani.")
    assert reporter.rating_of(report) == rating
    assert not reporter.can_rate(report)
    assert marked[-1] == report.id  # the agency's satisfaction figure is rebuilt


def test_rating_comment_is_optional(db_session):
    report = factories.report_in_status("closed")
    assert reporter.rate(report, 1, "   ", datetime(2026, 11, 24, tzinfo=UTC)).comment is None


def test_rating_only_once(db_session):
    report = factories.report_in_status("resolved")
    reporter.rate(report, 5, None, datetime(2026, 11, 24, tzinfo=UTC))
    with pytest.raises(DomainError) as refused:
        reporter.rate(report, 2, "Ternyata belum beres.", datetime(2026, 11, 25, tzinfo=UTC))
    assert "satu kali" in str(refused.value.message)
    assert db.session.scalar(select(func.count()).select_from(Rating)
                             .where(Rating.report_id == report.id)) == 1
    assert reporter.rating_of(report).score == 5


@pytest.mark.parametrize("score", [0, 6, -1, None, "3", 3.0, True])
def test_rating_must_be_a_whole_number_from_1_to_5(db_session, score):
    report = factories.report_in_status("resolved")
    with pytest.raises(DomainError) as refused:
        reporter.rate(report, score, None, datetime(2026, 11, 24, tzinfo=UTC))
    assert refused.value.field == "score"
    assert reporter.rating_of(report) is None


@pytest.mark.parametrize("score", [1, 2, 3, 4, 5])
def test_every_score_from_1_to_5_is_accepted(db_session, score):
    report = factories.report_in_status("closed")
    assert reporter.rate(report, score, None, datetime(2026, 11, 24, tzinfo=UTC)).score == score


@pytest.mark.parametrize("status", ["submitted", "routed", "in_progress", "on_hold", "archived"])
def test_rating_refused_unless_resolved_or_closed(db_session, status):
    report = factories.report_in_status(status)
    with pytest.raises(DomainError) as refused:
        reporter.rate(report, 3, None, datetime(2026, 11, 24, tzinfo=UTC))
    assert "setelah instansi menyelesaikan" in str(refused.value.message)
    assert reporter.rating_of(report) is None


def test_rating_comment_length_is_limited(db_session):
    report = factories.report_in_status("closed")
    with pytest.raises(DomainError) as refused:
        reporter.rate(report, 3, "x" * 2001, datetime(2026, 11, 24, tzinfo=UTC))
    assert refused.value.field == "comment"


# --- escalation -----------------------------------------------------------------------------------

FILED = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # Monday 2 November 2026


def test_no_grounds_while_every_deadline_is_kept(db_session):
    report = factories.report_in_status("in_progress", now=FILED)
    now = FILED + timedelta(days=2)
    assert escalations.eligible_grounds(report, now) == []
    for grounds in escalations.GROUNDS:
        with pytest.raises(DomainError) as refused:
            escalations.escalate(report, grounds, None, now)
        assert refused.value.field == "grounds"
    assert escalations.for_report(report) == []


def test_unknown_grounds_are_refused(db_session):
    report = factories.report_in_status("routed", now=FILED)
    with pytest.raises(DomainError) as refused:
        escalations.escalate(report, "bored", None, FILED + timedelta(days=60))
    assert refused.value.field == "grounds"


def test_overdue_current_deadline_is_grounds_once(db_session):
    # Routed on 2 November; the first follow-up was due five working days later.
    report = factories.report_in_status("routed", now=FILED)
    now = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    assert reporter.current_deadline(report, now).is_overdue
    assert report.overdue_clock is None  # the tick has not run: the rule does not wait for it
    events_before = len(report.events)

    escalation = escalations.escalate(report, "deadline_missed", "  Tidak ada tanggapan.  ", now)
    assert (escalation.grounds, escalation.text, escalation.created_at) == (
        "deadline_missed", "Tidak ada tanggapan.", now)
    # An escalation changes no status and writes no timeline event.
    assert report.status == Status.ROUTED
    assert len(report.events) == events_before

    with pytest.raises(DomainError) as refused:
        escalations.escalate(report, "deadline_missed", None, now + timedelta(days=1))
    assert "satu kali" in str(refused.value.message)
    assert escalations.open_grounds(report, now) == []
    assert db.session.scalar(select(func.count()).select_from(Escalation)
                             .where(Escalation.report_id == report.id)) == 1


def test_a_recorded_missed_deadline_stays_grounds_after_the_case_moves_on(db_session):
    report = factories.report_in_status("routed", now=FILED)
    late = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    lifecycle.tick(late)
    db.session.refresh(report)
    assert report.overdue_clock == sla.FIRST_RESPONSE
    workflow.apply(report, "respond", factories.actor("officer"), late + timedelta(hours=1),
                   workflow.ActionInput(text="Maaf terlambat, kami tangani."))
    assert escalations.eligible_grounds(report, late + timedelta(days=1)) == ["deadline_missed"]


def test_a_late_first_follow_up_is_grounds_even_before_the_tick(db_session):
    report = factories.report_in_status("routed", now=FILED)
    workflow.apply(report, "respond", factories.actor("officer"),
                   datetime(2026, 11, 20, 3, 0, tzinfo=UTC), workflow.ActionInput(text="Terlambat."))
    assert report.overdue_clock is None
    assert escalations.deadline_missed(report, datetime(2026, 11, 21, tzinfo=UTC))


def test_a_paused_clock_is_not_a_missed_deadline(db_session):
    # Waiting for the reporter: the agency's clock stands still however long it takes.
    report = factories.report_in_status("on_hold", now=FILED)
    assert escalations.eligible_grounds(report, FILED + timedelta(days=60)) == []


def test_the_reporters_own_overdue_answer_is_not_grounds(db_session):
    report = factories.report_in_status("resolved", now=FILED)  # resolved two hours after routing
    much_later = FILED + timedelta(days=60)
    assert reporter.current_deadline(report, much_later).is_overdue  # the reporter's window
    assert escalations.eligible_grounds(report, much_later) == []


def test_a_disputed_resolution_is_grounds_once(db_session):
    report = resolved_report(FILED + timedelta(hours=5))
    now = FILED + timedelta(days=1)
    with pytest.raises(DomainError):
        escalations.escalate(report, "disputed", None, now)
    reporter.dispute_resolution(report, "Belum selesai.", now)
    assert escalations.eligible_grounds(report, now) == ["disputed"]
    escalations.escalate(report, "disputed", None, now)
    with pytest.raises(DomainError) as refused:
        escalations.escalate(report, "disputed", "Lagi.", now + timedelta(hours=1))
    assert refused.value.field == "grounds"
    assert report.status == Status.IN_PROGRESS


def test_each_grounds_may_be_used_once(db_session):
    report = resolved_report(FILED + timedelta(hours=5))
    reporter.dispute_resolution(report, "Belum selesai.", FILED + timedelta(days=1))
    later = FILED + timedelta(days=40)  # the reopened resolution clock (14 wd) has run out
    assert escalations.open_grounds(report, later) == ["deadline_missed", "disputed"]
    escalations.escalate(report, "disputed", None, later)
    assert escalations.open_grounds(report, later) == ["deadline_missed"]
    escalations.escalate(report, "deadline_missed", None, later)
    assert escalations.open_grounds(report, later) == []
    assert [e.grounds for e in escalations.for_report(report)] == ["disputed", "deadline_missed"]


def test_escalation_text_length_is_limited(db_session):
    report = factories.report_in_status("routed", now=FILED)
    with pytest.raises(DomainError) as refused:
        escalations.escalate(report, "deadline_missed", "x" * 5001, FILED + timedelta(days=30))
    assert refused.value.field == "details"


def test_reporter_actions_summarise_what_the_page_offers(db_session):
    report = resolved_report()
    actions = tracking.reporter_actions(report, RESOLVED_AT + timedelta(days=1))
    assert actions.can_answer and not actions.answer_expired
    assert actions.answer_deadline.due_on == LAST_ANSWER_DAY
    assert actions.can_rate and actions.rating is None
    assert actions.escalation_grounds == ()
    late = tracking.reporter_actions(report, TOO_LATE)
    assert not late.can_answer and late.answer_expired


# --- the deadlines record ---------------------------------------------------------------------------

def test_deadline_record_of_a_transferred_and_disputed_report(db_session):
    report = factories.report_in_status("routed", now=FILED)   # routed 04:00 UTC, 2 November
    officer = factories.actor("officer")
    workflow.apply(report, "transfer", officer, FILED + timedelta(days=1),
                   workflow.ActionInput(agency=factories.agency("pemkot-padang"),
                                        reason="Bukan wewenang dinas."))
    pemkot = factories.actor("officer", "pemkot-padang")
    # First follow-up due five working days after Tuesday 3 November: Tuesday 10 November.
    workflow.apply(report, "respond", pemkot, datetime(2026, 11, 11, 3, 0, tzinfo=UTC),
                   workflow.ActionInput(text="Kami periksa."))
    workflow.apply(report, "resolve", pemkot, datetime(2026, 11, 12, 3, 0, tzinfo=UTC),
                   workflow.ActionInput(text="Selesai."))
    reporter.dispute_resolution(report, "Belum.", datetime(2026, 11, 13, 3, 0, tzinfo=UTC))
    rows = escalations.deadline_record(report, datetime(2026, 11, 16, 3, 0, tzinfo=UTC))

    summary = [(r.clock, r.agency_name, r.outcome) for r in rows]
    assert summary == [
        ("verification", None, "met"),
        ("first_response", "Dinas Kesehatan Kota Padang", "stopped"),
        ("resolution", "Dinas Kesehatan Kota Padang", "stopped"),
        ("first_response", "Pemerintah Kota Padang", "missed"),
        ("resolution", "Pemerintah Kota Padang", "met"),
        ("resolution", "Pemerintah Kota Padang", "running"),
    ]
    late = rows[3]
    assert (late.starts_on, late.due_on, late.ended_on) == (
        date(2026, 11, 3), date(2026, 11, 10), date(2026, 11, 11))
    # The first resolution met its clock; the dispute started a fresh one ("sedang", 14 wd).
    assert not rows[4].reopened and rows[4].ended_on == date(2026, 11, 12)
    assert rows[5].reopened and rows[5].ended_on is None
    assert (rows[5].starts_on, rows[5].due_on) == (date(2026, 11, 13), date(2026, 12, 3))


def test_deadline_record_extends_a_clock_by_the_days_on_hold(db_session):
    report = factories.report_in_status("on_hold", now=FILED)  # asked the reporter on day 0
    reporter.add_information(report, "Ini fotonya.", [], datetime(2026, 11, 9, 3, 0, tzinfo=UTC))
    rows = escalations.deadline_record(report, datetime(2026, 11, 10, 3, 0, tzinfo=UTC))
    first = rows[1]
    assert first.clock == sla.FIRST_RESPONSE
    assert first.outcome == "met"  # the request for information was the first follow-up
    resolution = rows[2]
    assert resolution.held_days == 5
    assert resolution.due_on == sla.add_working_days(date(2026, 11, 2), 14 + 5)
    assert resolution.outcome == "running"


def test_oversight_list_is_newest_first_and_paginated(db_session):
    reports = [factories.report_in_status("routed", now=FILED) for _ in range(3)]
    for n, report in enumerate(reports):
        escalations.escalate(report, "deadline_missed", None, FILED + timedelta(days=20 + n))
    first = escalations.list_page(1, per_page=2)
    assert first.total >= 3 and first.pages >= 2
    assert [e.report_id for e in first.items] == [reports[2].id, reports[1].id]
    assert escalations.list_page(2, per_page=2).items[0].report_id == reports[0].id
    assert escalations.list_page(99, per_page=2).page == first.pages


def test_escalation_writes_no_event(db_session):
    report = factories.report_in_status("routed", now=FILED)
    before = db.session.scalar(select(func.count()).select_from(ReportEvent)
                               .where(ReportEvent.report_id == report.id))
    escalations.escalate(report, "deadline_missed", None, FILED + timedelta(days=30))
    after = db.session.scalar(select(func.count()).select_from(ReportEvent)
                              .where(ReportEvent.report_id == report.id))
    assert before == after


def test_oversight_is_told_of_each_escalation_without_the_reporters_identity(db_session):
    from app.models import OutboxMessage

    watcher = factories.make_user("oversight", email="ombudsman.uji@terang.test")
    factories.make_user("oversight", email="nonaktif.uji@terang.test", active=False)
    report = factories.report_in_status("routed", now=FILED, reporter_name="Siti Anonimah",
                                        reporter_email="siti.pelapor@example.com", is_anonymous=True)
    escalation = escalations.escalate(report, "deadline_missed", "Sudah sebulan tidak ada kabar.",
                                      FILED + timedelta(days=30))
    notices = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like(f"escalation:{escalation.id}:%"))).all()
    assert [m.recipient for m in notices] == [watcher.email]  # active oversight accounts only
    (notice,) = notices
    assert report.reference in notice.subject and report.reference in notice.body
    assert "tenggat instansi terlewati" in notice.body and "/petugas/eskalasi" in notice.body
    for private in ("Siti", "siti.pelapor@example.com", "Sudah sebulan"):
        assert private not in notice.body
    # Queueing again (a retried request) adds nothing.
    from app.services import notifications
    assert notifications.queue_escalation_notice(escalation, FILED + timedelta(days=30)) == 0


# --- text that no database can store: a field error, never a database error ------------------

NUL = "Masih\x00rusak."


@pytest.mark.parametrize("action, field", [
    (lambda r, now: reporter.dispute_resolution(r, NUL, now), "reason"),
    (lambda r, now: reporter.rate(r, 3, NUL, now), "comment"),
    (lambda r, now: reporter.add_information(r, NUL, [], now), "message"),
])
def test_a_nul_character_in_a_reporters_text_names_its_field(action, field):
    report = resolved_report() if field != "message" else factories.report_in_status("routed")
    before = len(report.events)
    with pytest.raises(DomainError) as refused:
        action(report, RESOLVED_AT + timedelta(hours=1))
    assert refused.value.field == field
    assert str(refused.value.message) == "Teks berisi karakter yang tidak diizinkan."
    assert len(report.events) == before and reporter.rating_of(report) is None


def test_a_nul_character_in_escalation_details_names_its_field():
    report = resolved_report()
    reporter.dispute_resolution(report, "Belum beres.", RESOLVED_AT + timedelta(hours=1))
    with pytest.raises(DomainError) as refused:
        escalations.escalate(report, escalations.DISPUTED, NUL, RESOLVED_AT + timedelta(hours=2))
    assert refused.value.field == "details"
    assert escalations.for_report(report) == []


def test_additional_information_has_the_length_of_a_report():
    report = factories.report_in_status("routed")
    with pytest.raises(DomainError) as refused:
        reporter.add_information(report, "z" * (reporter.MAX_MESSAGE_LENGTH + 1), [],
                                 RESOLVED_AT)
    assert refused.value.field == "message"
