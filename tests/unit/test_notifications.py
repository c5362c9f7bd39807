"""Reporter notifications: queued with the event, in the report's language, never the tracking code."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, Report
from app.services import notifications, workflow
from tests import factories

# Monday 2 November 2026, 09:00 WIB; no holidays in the following weeks.
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
ADMIN = workflow.Actor(kind="officer", role="national_admin")
EMAIL = "siti.aminah@example.org"


def officer(slug="dinkes-kota-padang"):
    return workflow.Actor(kind="officer", role="officer", agency_id=factories.agency(slug).id)


def at(hours: float) -> datetime:
    return MONDAY + timedelta(hours=hours)


def file(**overrides):
    overrides.setdefault("reporter_name", "Siti Aminah")
    overrides.setdefault("reporter_email", EMAIL)
    overrides.setdefault("incident_date", date(2026, 10, 30))
    receipt = factories.file_report(now=MONDAY, **overrides)
    return receipt, db.session.get(Report, receipt.report_id)


def route(report, when=1):
    return workflow.apply(report, "route", ADMIN, at(when), workflow.ActionInput(
        agency=factories.agency("dinkes-kota-padang"), resolution_class="sedang"))


def messages(report=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if report is not None:
        query = query.where(OutboxMessage.report_id == report.id)
    return list(db.session.scalars(query))


def assert_no_code(receipt, found):
    code = receipt.tracking_code
    variants = {code, code.replace("-", ""), code.lower(), code.replace("-", "").lower()}
    for message in found:
        for text in (message.subject, message.body):
            assert not any(v in text for v in variants), "tracking code in an e-mail"


def test_each_public_step_queues_one_message_to_the_reporter_in_indonesian(db_session):
    receipt, report = file()
    assert messages(report) == []  # filing itself: the receipt page is the confirmation
    route(report)
    workflow.apply(report, "respond", officer(), at(2), workflow.ActionInput(text="Kami periksa besok."))
    workflow.apply(report, "request_info", officer(), at(3),
                   workflow.ActionInput(text="Mohon sebutkan nama puskesmasnya."))
    workflow.apply(report, "reporter_reply", workflow.Actor.reporter(), at(4),
                   workflow.ActionInput(text="Puskesmas Andalas."))
    workflow.apply(report, "resolve", officer(), at(5),
                   workflow.ActionInput(text="Jadwal buka sudah ditegakkan kembali."))
    db.session.commit()

    found = messages(report)
    assert len(found) == 4  # route, respond, request_info, resolve; not the reporter's reply
    assert {m.recipient for m in found} == {EMAIL}
    assert {m.language for m in found} == {"id"}
    route_mail, respond_mail, info_mail, resolve_mail = found
    assert route_mail.subject == f"[Terang] Perkembangan laporan {report.reference}"
    assert "diteruskan kepada Dinas Kesehatan Kota Padang" in route_mail.body
    assert "Kami periksa besok." in respond_mail.body
    assert "meminta informasi tambahan" in info_mail.body
    assert "Mohon sebutkan nama puskesmasnya." in info_mail.body
    assert "dinyatakan selesai" in resolve_mail.subject
    assert "10 hari kerja" in resolve_mail.body
    for message in found:
        assert "/lacak" in message.body
        assert message.sent_at is None and message.attempts == 0
        assert message.dedupe_key is None
    assert_no_code(receipt, found)
    # Queued as due at the moment of the event.
    assert route_mail.next_attempt_at == at(1)


def test_english_report_gets_english_messages(db_session):
    receipt, report = file(language="en")
    route(report)
    workflow.apply(report, "transfer", officer(), at(2), workflow.ActionInput(
        agency=factories.agency("kemenkes"), reason="Kewenangan kementerian"))
    workflow.apply(report, "resolve", officer("kemenkes"), at(3), workflow.ActionInput(text="Done."))
    db.session.commit()

    route_mail, transfer_mail, resolve_mail = messages(report)
    assert {m.language for m in (route_mail, transfer_mail, resolve_mail)} == {"en"}
    assert route_mail.subject == f"[Terang] Update on report {report.reference}"
    assert route_mail.body.startswith(f"Your report {report.reference}: ")
    assert "forwarded to Dinas Kesehatan Kota Padang" in route_mail.body
    assert "transferred to Kementerian Kesehatan. Reason: Kewenangan kementerian" in transfer_mail.body
    assert "marked as resolved" in resolve_mail.subject
    assert "tracking code is never sent by e-mail" in resolve_mail.body
    for message in (route_mail, transfer_mail, resolve_mail):
        assert "Laporan Anda" not in message.body  # no Indonesian left over
    assert_no_code(receipt, [route_mail, transfer_mail, resolve_mail])


def test_archive_names_the_reason_in_the_reporters_language(db_session):
    _, report = file(language="en")
    _, original = file()
    workflow.apply(report, "archive", ADMIN, at(1),
                   workflow.ActionInput(reason="duplicate", related_report=original))
    (message,) = messages(report)
    assert "archived" in message.subject
    assert (f"Reason: the report duplicates another report. Original report: {original.reference}."
            in message.body)


@pytest.mark.parametrize("contact", [
    dict(reporter_email=None),
    dict(reporter_email=None, reporter_phone="0812 3456 7890"),
    dict(reporter_email=None, reporter_name=None),
])
def test_nothing_is_queued_without_an_email_address(db_session, contact):
    _, report = file(**contact)
    route(report)
    workflow.apply(report, "respond", officer(), at(2), workflow.ActionInput(text="Kami periksa."))
    db.session.commit()
    assert messages(report) == []


def test_internal_notes_and_the_reporters_own_actions_queue_nothing(db_session):
    _, report = file()
    workflow.apply(report, "reporter_message", workflow.Actor.reporter(), at(0.5),
                   workflow.ActionInput(text="Tambahan: kejadian berulang."))
    workflow.apply(report, "note", ADMIN, at(0.6), workflow.ActionInput(text="Catatan internal."))
    assert messages(report) == []
    route(report)
    workflow.apply(report, "note", officer(), at(2), workflow.ActionInput(text="Cek ke lapangan."))
    workflow.apply(report, "resolve", officer(), at(3), workflow.ActionInput(text="Selesai."))
    workflow.apply(report, "dispute", workflow.Actor.reporter(), at(4),
                   workflow.ActionInput(reason="Belum berubah."))
    workflow.apply(report, "resolve", officer(), at(5), workflow.ActionInput(text="Sudah diperbaiki."))
    workflow.apply(report, "confirm", workflow.Actor.reporter(), at(6))
    db.session.commit()
    actions = [m.body for m in messages(report)]
    assert len(actions) == 3  # route and the two resolutions
    assert not any("Cek ke lapangan" in body or "Catatan internal" in body for body in actions)


def test_a_rolled_back_event_queues_nothing(db_session):
    _, report = file()
    before = db.session.scalar(select(func.count(OutboxMessage.id)))
    route(report)
    assert len(messages(report)) == 1  # pending in the event's transaction
    db.session.rollback()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == before
    report = db.session.get(Report, report.id)
    assert report.status == "submitted"


def test_a_refused_officer_action_queues_nothing(db_session, app):
    """Through the service the routes use: a refusal raises before anything is written."""
    from app.models import User
    from app.services import casework
    from app.services.errors import TransitionRefused

    _, report = file()
    route(report)
    db.session.commit()
    user = User(email="petugas@dinkes.example.go.id", name="Petugas", role="officer",
                agency_id=factories.agency("dinkes-kota-padang").id, password_hash="x")
    db.session.add(user)
    db.session.commit()
    count = len(messages(report))
    with pytest.raises(TransitionRefused):
        casework.take_action(user, report.reference, casework.ActionRequest(action="respond", text=" "),
                             at(2))
    db.session.rollback()
    assert len(messages(report)) == count


def test_subject_is_a_single_line(db_session):
    _, report = file(language="id")
    route(report)
    (message,) = messages(report)
    assert "\n" not in message.subject and len(message.subject) <= 200


def test_backoff_doubles_and_is_capped():
    assert notifications.backoff(1) == timedelta(minutes=1)
    assert notifications.backoff(2) == timedelta(minutes=2)
    assert notifications.backoff(5) == timedelta(minutes=16)
    assert notifications.backoff(9) == timedelta(hours=4, minutes=16)
    assert notifications.backoff(10) == timedelta(hours=6)
    assert notifications.backoff(1000) == timedelta(hours=6)
