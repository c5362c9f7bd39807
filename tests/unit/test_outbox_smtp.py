"""Outbox delivery against a real local SMTP server (aiosmtpd), and the development log transport."""
from __future__ import annotations

import logging
import socket
import threading
from datetime import date, datetime, timedelta, timezone
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import delete, select

from app import clock
from app.extensions import db
from app.models import OutboxMessage, Report
from app.services import mailer, notifications, workflow
from tests import factories

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
SUBJECT = "[Terang] Perkembangan laporan — jalan rusak ✓"
BODY = "Laporan Anda sudah diteruskan.\nHuruf: é ü ñ — “kutip” — 日本\n"


@pytest.fixture(autouse=True)
def loggers_enabled(monkeypatch):
    """Alembic's fileConfig (run by the app fixture) disables loggers that existed before it."""
    for name in ("app.services.mailer", "app.services.notifications"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every envelope; refuses recipients at refused.example."""

    def __init__(self):
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def use_server(monkeypatch, app, port, **extra):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    monkeypatch.setitem(app.config, "MAIL_DEFAULT_SENDER", "Terang <noreply@terang.test>")
    for key, value in extra.items():
        monkeypatch.setitem(app.config, key, value)


def queue(recipient="budi@example.org", when=NOW, **values) -> OutboxMessage:
    message = OutboxMessage(recipient=recipient, subject=SUBJECT, body=BODY, language="id",
                            created_at=when, next_attempt_at=when, **values)
    db.session.add(message)
    db.session.commit()
    return message


def reload(message: OutboxMessage) -> OutboxMessage:
    return db.session.get(OutboxMessage, message.id, populate_existing=True)


def test_message_arrives_with_headers_and_utf8_body(db_session, app, smtp_server, monkeypatch):
    controller, handler = smtp_server
    use_server(monkeypatch, app, controller.port)
    message = queue()

    stats = notifications.deliver_due(NOW)

    assert (stats.sent, stats.retried, stats.failed) == (1, 0, 0)
    (envelope,) = handler.envelopes
    assert envelope.mail_from == "noreply@terang.test"
    assert envelope.rcpt_tos == ["budi@example.org"]
    (received,) = handler.messages()
    assert received["To"] == "budi@example.org"
    assert received["From"] == "Terang <noreply@terang.test>"
    assert received["Subject"] == SUBJECT
    assert received["Message-ID"] == f"<terang.20261123.{message.id}@terang.test>"
    assert received["Date"] and received["Auto-Submitted"] == "auto-generated"
    assert received["Content-Language"] == "id"
    assert received.get_content_charset() == "utf-8"
    assert received.get_content().replace("\r\n", "\n") == BODY
    message = reload(message)
    assert message.sent_at == NOW and message.failed_at is None and message.attempts == 1


def test_delivered_messages_are_not_sent_again(db_session, app, smtp_server, monkeypatch):
    controller, handler = smtp_server
    use_server(monkeypatch, app, controller.port)
    first, second = queue("a@example.org"), queue("b@example.org")

    assert notifications.deliver_due(NOW).sent == 2
    assert notifications.deliver_due(NOW + timedelta(hours=1)).sent == 0
    assert notifications.deliver_due(NOW + timedelta(days=2)).attempted == 0
    assert sorted(rcpt for e in handler.envelopes for rcpt in e.rcpt_tos) == [
        "a@example.org", "b@example.org"]
    assert reload(first).attempts == reload(second).attempts == 1


def test_messages_not_yet_due_wait(db_session, app, smtp_server, monkeypatch):
    controller, handler = smtp_server
    use_server(monkeypatch, app, controller.port)
    queue(when=NOW + timedelta(minutes=5))
    assert notifications.deliver_due(NOW).attempted == 0
    assert notifications.deliver_due(NOW + timedelta(minutes=5)).sent == 1
    assert len(handler.envelopes) == 1


def test_batch_limits_one_run(db_session, app, smtp_server, monkeypatch):
    controller, handler = smtp_server
    use_server(monkeypatch, app, controller.port)
    for n in range(5):
        queue(f"p{n}@example.org")
    assert notifications.deliver_due(NOW, batch=3).sent == 3
    assert notifications.deliver_due(NOW, batch=3).sent == 2
    assert len(handler.envelopes) == 5


def test_server_down_retries_with_growing_backoff_then_gives_up(db_session, app, monkeypatch):
    use_server(monkeypatch, app, free_port(), OUTBOX_MAX_ATTEMPTS=4)  # nobody listens there
    message = queue()

    when, waits = NOW, []
    for attempt in range(1, 4):
        stats = notifications.deliver_due(when)
        assert (stats.sent, stats.retried, stats.failed) == (0, 1, 0)
        assert stats.stopped  # the server is unreachable: the run ends
        message = reload(message)
        assert message.attempts == attempt and message.failed_at is None
        assert message.last_error.startswith("ConnectionRefusedError")
        assert "budi" not in message.last_error
        waits.append(message.next_attempt_at - when)
        # Not due before its time.
        assert notifications.deliver_due(message.next_attempt_at - timedelta(seconds=1)).attempted == 0
        when = message.next_attempt_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]

    stats = notifications.deliver_due(when)
    assert (stats.retried, stats.failed) == (0, 1)
    message = reload(message)
    assert message.attempts == 4 and message.failed_at == when and message.sent_at is None
    # Given up: never tried again.
    assert notifications.deliver_due(when + timedelta(days=30)).attempted == 0


def test_a_failed_try_is_delivered_once_the_server_is_back(db_session, app, smtp_server,
                                                            monkeypatch):
    controller, handler = smtp_server
    use_server(monkeypatch, app, free_port())
    message = queue()
    assert notifications.deliver_due(NOW).retried == 1
    use_server(monkeypatch, app, controller.port)
    retry_at = reload(message).next_attempt_at
    assert notifications.deliver_due(retry_at).sent == 1
    message = reload(message)
    assert message.sent_at == retry_at and message.attempts == 2 and message.last_error is None
    assert len(handler.envelopes) == 1


def test_an_unreachable_server_stops_the_run(db_session, app, monkeypatch):
    use_server(monkeypatch, app, free_port())
    first, second = queue("a@example.org"), queue("b@example.org")
    stats = notifications.deliver_due(NOW)
    assert stats.attempted == 1 and stats.stopped
    assert reload(first).attempts == 1
    assert reload(second).attempts == 0  # untouched, still due


def test_a_refused_recipient_fails_at_once_without_personal_data(db_session, app, smtp_server,
                                                                  monkeypatch):
    controller, handler = smtp_server
    use_server(monkeypatch, app, controller.port)
    refused = queue("nobody@refused.example")
    fine = queue("budi@example.org")

    stats = notifications.deliver_due(NOW)

    assert (stats.sent, stats.retried, stats.failed) == (1, 0, 1)
    refused = reload(refused)
    assert refused.failed_at == NOW and refused.attempts == 1
    assert refused.last_error == "SMTPRecipientsRefused 550"
    assert reload(fine).sent_at == NOW
    assert [e.rcpt_tos for e in handler.envelopes] == [["budi@example.org"]]


def test_an_unusable_message_fails_at_once(db_session, app, smtp_server, monkeypatch):
    controller, handler = smtp_server
    use_server(monkeypatch, app, controller.port)
    broken = queue("budi@example.org\nBcc: semua@example.org")
    fine = queue("ani@example.org")
    stats = notifications.deliver_due(NOW)
    assert (stats.sent, stats.failed) == (1, 1)
    broken = reload(broken)
    assert broken.failed_at == NOW and broken.last_error == "ValueError"
    assert reload(fine).sent_at == NOW
    assert [e.rcpt_tos for e in handler.envelopes] == [["ani@example.org"]]


def test_login_uses_mail_username_and_password(db_session, app, monkeypatch):
    seen = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        seen.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"rahasia-smtp", handled=False)

    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        use_server(monkeypatch, app, controller.port, MAIL_USERNAME="terang",
                   MAIL_PASSWORD="rahasia-smtp")
        queue()
        assert notifications.deliver_due(NOW).sent == 1
        use_server(monkeypatch, app, controller.port, MAIL_USERNAME="terang",
                   MAIL_PASSWORD="salah")
        message = queue()
        stats = notifications.deliver_due(NOW)
        assert stats.retried == 1 and stats.stopped
        assert reload(message).last_error == "SMTPAuthenticationError 535"
    finally:
        controller.stop()
    assert seen[0] == (b"terang", b"rahasia-smtp")
    assert len(handler.envelopes) == 1


def test_reporter_notification_end_to_end_in_english(db_session, app, smtp_server, monkeypatch):
    controller, handler = smtp_server
    use_server(monkeypatch, app, controller.port)
    receipt = factories.file_report(now=NOW, reporter_email="jane@example.org", language="en",
                                    title="Broken streetlight — Jl. Sudirman",
                                    incident_date=date(2026, 11, 20))
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", workflow.Actor(kind="officer", role="national_admin"),
                   NOW + timedelta(hours=1),
                   workflow.ActionInput(agency=factories.agency("pemkot-padang"), resolution_class="ringan"))
    db.session.commit()

    assert notifications.deliver_due(NOW + timedelta(hours=1)).sent == 1
    (received,) = handler.messages()
    assert received["To"] == "jane@example.org"
    assert received["Subject"] == f"[Terang] Update on report {report.reference}"
    assert received["Content-Language"] == "en"
    text = received.get_content()
    assert "Broken streetlight — Jl. Sudirman" in text
    assert "forwarded to Pemerintah Kota Padang" in text
    assert receipt.tracking_code not in text
    assert receipt.tracking_code.replace("-", "") not in text


def test_log_transport_logs_no_personal_data(db_session, app, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    receipt = factories.file_report(now=NOW, reporter_name="Siti Aminah",
                                    reporter_email="siti.aminah@example.org",
                                    incident_date=date(2026, 11, 20))
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", workflow.Actor(kind="officer", role="national_admin"), NOW,
                   workflow.ActionInput(agency=factories.agency("dinkes-kota-padang"),
                                        resolution_class="ringan"))
    db.session.commit()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.report_id == report.id))

    with caplog.at_level(logging.DEBUG):
        stats = notifications.deliver_due(NOW)

    assert stats.sent == 1
    assert reload(message).sent_at == NOW
    line = (f"outbox message {message.id} for report {report.reference} delivered to log "
            f"(id, {len(message.body)} chars)")
    assert line in caplog.text
    for secret in ("siti", "Siti Aminah", "example.org", report.title, "Dinas Kesehatan",
                   receipt.tracking_code, message.subject):
        assert secret.lower() not in caplog.text.lower()


def test_failures_are_logged_without_address(db_session, app, monkeypatch, caplog):
    use_server(monkeypatch, app, free_port())
    queue("rahasia.sekali@example.org")
    with caplog.at_level(logging.DEBUG):
        notifications.deliver_due(NOW)
    assert "attempt 1 failed (ConnectionRefusedError" in caplog.text
    assert "rahasia" not in caplog.text and "example.org" not in caplog.text


def test_build_message_keeps_the_message_id_and_flattens_the_subject():
    outgoing = mailer.Outgoing(id=7, recipient="a@example.org", subject="Baris satu\nBaris dua",
                               body="Isi", language="en", created_at=NOW)
    first = mailer.build_message(outgoing, "Terang <noreply@lapor.example>", NOW)
    again = mailer.build_message(outgoing, "Terang <noreply@lapor.example>", NOW + timedelta(hours=2))
    assert first["Message-ID"] == again["Message-ID"] == "<terang.20261123.7@lapor.example>"
    assert first["Subject"] == "Baris satu Baris dua"


def test_settings_come_from_mail_config(app):
    settings = mailer.MailSettings.from_config({
        "MAIL_SERVER": "smtp.example.go.id", "MAIL_PORT": 587, "MAIL_USE_TLS": True,
        "MAIL_USERNAME": "u", "MAIL_PASSWORD": "p", "MAIL_DEFAULT_SENDER": "Terang <x@y.id>"})
    assert settings.transport == mailer.SMTP
    assert (settings.server, settings.port, settings.use_tls, settings.use_ssl) == (
        "smtp.example.go.id", 587, True, False)
    assert settings.sender == "Terang <x@y.id>"
    assert mailer.MailSettings.from_config({"MAIL_SERVER": ""}).transport == mailer.LOG


def test_cli_deliver_prints_a_summary(db_session, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    past = clock.now() - timedelta(minutes=1)
    queue(when=past)
    queue(when=past)
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 to retry, 0 failed." in result.output


def test_cli_deliver_shows_progress_for_big_batches(db_session, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", None)
    past = clock.now() - timedelta(minutes=1)
    for _ in range(25):
        queue(when=past)
    result = app.test_cli_runner().invoke(args=["outbox", "deliver", "--batch", "20"])
    assert result.exit_code == 0, result.output
    assert "Sending 20 messages" in result.output
    assert "20 sent, 0 to retry, 0 failed." in result.output


def test_two_workers_never_send_the_same_message(app, smtp_server, monkeypatch):
    """Real commits on the test database: two threads deliver the same due messages at once."""
    controller, handler = smtp_server
    use_server(monkeypatch, app, controller.port)
    with app.app_context():
        created = [OutboxMessage(recipient=f"w{n}@example.org", subject=SUBJECT, body=BODY,
                                 language="id", created_at=NOW, next_attempt_at=NOW)
                   for n in range(12)]
        db.session.add_all(created)
        db.session.commit()
        ids = [m.id for m in created]
        db.session.remove()
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                results.append(notifications.deliver_due(NOW))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors
        assert sum(r.sent for r in results) == 12
        delivered = sorted(rcpt for e in handler.envelopes for rcpt in e.rcpt_tos)
        assert delivered == sorted(f"w{n}@example.org" for n in range(12))
        with app.app_context():
            rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))).all()
            assert all(m.sent_at is not None and m.attempts == 1 for m in rows)
    finally:
        with app.app_context():
            db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
            db.session.commit()
            db.session.remove()
