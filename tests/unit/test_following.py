"""services/following.py: outcomes of a request, tokens at rest, which steps are mailed, purge."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import OutboxMessage, ReportFollower
from app.services import following, notifications, workflow
from tests import factories
from tests.web.test_follow import public_report

EMAIL = "warga@example.com"


@pytest.fixture
def report(db_session):
    return public_report()


def secret():
    return current_app.config["SECRET_KEY"]


def sub(report, email=EMAIL, language="id"):
    return following.subscribe(report.reference, email, language, clock.now(), secret_key=secret())


def confirmation_token(email=EMAIL) -> str:
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == email)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"\?token=(\S+)", message.body).group(1)


def test_outcomes_of_a_request(report, frozen_clock):
    assert sub(report, "  ") is following.Outcome.INVALID
    assert following.subscribe("LPR-2026-9999999", EMAIL, "id", clock.now(),
                               secret_key=secret()) is following.Outcome.NOT_PUBLIC
    assert sub(report) is following.Outcome.QUEUED
    assert sub(report, EMAIL.upper()) is following.Outcome.PENDING  # same address, minutes later
    frozen_clock.shift(following.RESEND_AFTER + timedelta(seconds=1))
    assert sub(report) is following.Outcome.QUEUED  # a fresh link; the first no longer works
    token = confirmation_token()
    assert following.confirm(token, clock.now(), secret_key=secret()) == report.reference
    assert sub(report) is following.Outcome.FOLLOWING
    assert len(db.session.scalars(select(ReportFollower)).all()) == 1


def test_only_hashes_of_the_tokens_are_stored(report):
    sub(report)
    token = confirmation_token()
    following.confirm(token, clock.now(), secret_key=secret())
    follower = db.session.scalar(select(ReportFollower))
    unsubscribe = following.unsubscribe_token(follower, secret())
    stored = " ".join(str(getattr(follower, c.key)) for c in ReportFollower.__table__.columns)
    assert token not in stored and unsubscribe not in stored
    assert follower.email_hash != EMAIL and len(follower.email_hash) == 64
    assert following.unsubscribe_reference(unsubscribe) == report.reference
    # Without the key the token cannot be made from the row.
    assert following.unsubscribe_token(follower, "another-key") != unsubscribe


def test_the_steps_mailed_are_the_public_timelines(report):
    sub(report)
    following.confirm(confirmation_token(), clock.now(), secret_key=secret())
    officer = factories.actor("officer")
    for action, text in (("note", "Catatan internal."), ("respond", "Kami periksa."),
                         ("resolve", "Sudah diperbaiki.")):
        workflow.apply(report, action, officer, clock.now(), workflow.ActionInput(text=text))
    mailed = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.recipient == EMAIL, OutboxMessage.unsubscribe_url.is_not(None))).all()
    assert len(mailed) == 2
    assert all("Catatan internal" not in m.body for m in mailed)
    assert "Kami periksa." in mailed[0].body and "Sudah diperbaiki." in mailed[1].body


def test_tokens_never_reach_the_log(report, caplog):
    caplog.set_level(logging.DEBUG)
    sub(report)
    token = confirmation_token()
    following.confirm(token, clock.now(), secret_key=secret())
    workflow.apply(report, "respond", factories.actor("officer"), clock.now(),
                   workflow.ActionInput(text="Kami periksa."))
    db.session.flush()
    notifications.deliver_due(clock.now() + timedelta(days=2))  # the step's batch too
    follower = db.session.scalar(select(ReportFollower))
    text = caplog.text
    assert token not in text and following.unsubscribe_token(follower, secret()) not in text
    assert EMAIL not in text


def test_the_purge_deletes_followers_of_a_report_no_longer_public(report):
    sub(report)
    following.confirm(confirmation_token(), clock.now(), secret_key=secret())
    assert following.purge(clock.now()) == 0
    report.is_confidential = True
    db.session.flush()
    assert following.purge(clock.now()) == 1


def test_a_scrubbed_message_loses_its_unsubscribe_link(report, frozen_clock):
    sub(report)
    following.confirm(confirmation_token(), clock.now(), secret_key=secret())
    workflow.apply(report, "respond", factories.actor("officer"), clock.now(),
                   workflow.ActionInput(text="Kami periksa."))
    db.session.flush()
    frozen_clock.shift(timedelta(days=2))  # the step's daily batch
    notifications.deliver_due(clock.now())
    frozen_clock.shift(timedelta(days=31))
    notifications.scrub_delivered(clock.now(), timedelta(days=30))
    assert db.session.scalars(select(OutboxMessage.unsubscribe_url)).all() == [None, None]


def test_forget_erases_an_address_from_every_report(app, report):
    other = public_report()
    sub(report)
    following.confirm(confirmation_token(), clock.now(), secret_key=secret())
    sub(other)  # asked, not confirmed: its confirmation e-mail is still unsent
    workflow.apply(report, "respond", factories.actor("officer"), clock.now(),
                   workflow.ActionInput(text="Kami periksa."))
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["followers", "forget", "--email", "Warga@Example.com"])
    assert result.exit_code == 0 and "2 report(s)" in result.output and EMAIL not in result.output
    assert db.session.scalars(select(ReportFollower)).all() == []
    db.session.expire_all()
    messages = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("follow%"))).all()
    assert len(messages) == 3
    assert all(m.recipient == notifications.SCRUBBED and m.failed_at is not None for m in messages)
    assert notifications.count_due(clock.now()) == 0


@pytest.mark.frozen_at("2026-11-23T14:37:52+07:00")
def test_step_mails_tell_the_day_of_a_step_never_its_time(app, report, frozen_clock):
    """A step (for an anonymous report, perhaps the reporter's own) reaches followers the next
    morning in a daily batch, stamped with the start of its day; the Message-ID has no time."""
    from datetime import datetime, timezone
    from app.services import mailer

    report.is_anonymous = True
    sub(report)
    following.confirm(confirmation_token(), clock.now(), secret_key=secret())
    workflow.apply(report, "respond", factories.actor("officer"), clock.now(),
                   workflow.ActionInput(text="Kami periksa."))
    db.session.flush()
    (message,) = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.startswith(following.STEP_KEY))).all()
    assert message.created_at == datetime(2026, 11, 22, 17, 0, tzinfo=timezone.utc)  # 00:00 WIB
    assert message.next_attempt_at == datetime(2026, 11, 24, 0, 0, tzinfo=timezone.utc)  # 07:00
    notifications.deliver_due(clock.now())  # the confirmation e-mail, sent at once
    assert notifications.count_due(clock.now()) == 0
    frozen_clock.move_to(message.next_attempt_at)  # 07:00 WIB, the next morning
    assert notifications.count_due(clock.now()) == 1
    outgoing = mailer.Outgoing(id=message.id, recipient=EMAIL, subject="s", body="b",
                               language="id", created_at=message.created_at)
    email = mailer.build_message(outgoing, "Terang <noreply@terang.test>", clock.now())
    assert email["Message-ID"] == f"<terang.20261123.{message.id}@terang.test>"
    assert "1437" not in email["Message-ID"] and "0737" not in email["Message-ID"]
    assert "07:00:00 +0000" not in email["Date"] and "00:00:00 +0000" in email["Date"]  # sent now


def _follower_messages():
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.like("follow%")).order_by(OutboxMessage.id)).all()


def test_unsubscribing_blanks_the_followers_mail_and_gives_up_the_unsent(report):
    sub(report)
    following.confirm(confirmation_token(), clock.now(), secret_key=secret())
    notifications.deliver_due(clock.now())  # the confirmation: sent
    workflow.apply(report, "respond", factories.actor("officer"), clock.now(),
                   workflow.ActionInput(text="Kami periksa."))
    db.session.flush()  # the step: queued for tomorrow's batch
    follower = db.session.scalar(select(ReportFollower))
    assert following.unsubscribe(following.unsubscribe_token(follower, secret()), clock.now())
    confirmation, step = _follower_messages()
    assert confirmation.sent_at is not None and confirmation.failed_at is None
    assert step.sent_at is None and step.failed_at is not None
    assert step.last_error == following.CANCELLED
    assert {m.recipient for m in (confirmation, step)} == {notifications.SCRUBBED}
    assert step.unsubscribe_url is None and "Kami periksa" not in step.body
    assert notifications.count_due(clock.now() + timedelta(days=2)) == 0


def test_the_purge_blanks_the_mail_of_the_followers_it_deletes(report):
    sub(report)
    following.confirm(confirmation_token(), clock.now(), secret_key=secret())
    workflow.apply(report, "respond", factories.actor("officer"), clock.now(),
                   workflow.ActionInput(text="Kami periksa."))
    report.is_confidential = True
    db.session.flush()
    assert following.purge(clock.now()) == 1
    messages = _follower_messages()
    assert len(messages) == 2
    assert all(m.recipient == notifications.SCRUBBED and m.failed_at is not None
               for m in messages)


def test_a_queued_step_mail_is_not_sent_once_the_report_is_no_longer_public(report):
    sub(report)
    following.confirm(confirmation_token(), clock.now(), secret_key=secret())
    notifications.deliver_due(clock.now())
    workflow.apply(report, "respond", factories.actor("officer"), clock.now(),
                   workflow.ActionInput(text="Kami periksa."))
    report.is_confidential = True  # made rahasia before the batch, not yet purged
    db.session.commit()
    stats = notifications.deliver_due(clock.now() + timedelta(days=2))
    assert stats.sent == 0
    (step,) = [m for m in _follower_messages() if m.dedupe_key.startswith(following.STEP_KEY)]
    assert step.sent_at is None and step.failed_at is not None
    assert step.last_error == notifications.FOLLOWED_REPORT_NOT_PUBLIC
    assert step.recipient == notifications.SCRUBBED


def test_forget_compares_the_casefolded_address(app, report):
    sub(report, "Straße@example.com")
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["followers", "forget", "--email",
                                                "STRASSE@example.com"])
    assert result.exit_code == 0 and "1 report(s)" in result.output
    (message,) = _follower_messages()
    assert message.recipient == notifications.SCRUBBED and message.failed_at is not None


def test_the_limit_counts_every_confirmation_e_mail_not_the_rows(report, frozen_clock):
    """Four reports asked again every RESEND_AFTER: the address gets MAX per LIMIT_WINDOW."""
    reports = [report] + [public_report() for _ in range(3)]
    outcomes = []
    started = clock.now()
    while clock.now() - started < following.LIMIT_WINDOW - following.RESEND_AFTER:
        outcomes += [sub(r) for r in reports]
        frozen_clock.shift(following.RESEND_AFTER + timedelta(seconds=1))
    assert outcomes.count(following.Outcome.QUEUED) == following.MAX_REQUESTS_PER_ADDRESS
    assert following.Outcome.LIMITED in outcomes
    sent = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.dedupe_key.startswith(following.CONFIRM_KEY))).all()
    assert len(sent) == following.MAX_REQUESTS_PER_ADDRESS
    frozen_clock.move_to(started + following.LIMIT_WINDOW + timedelta(minutes=1))
    assert sub(report) is following.Outcome.QUEUED  # the window has moved on


def test_forget_asks_for_the_address_when_it_is_not_given(app, report):
    sub(report)
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["followers", "forget"], input=EMAIL + "\n")
    assert result.exit_code == 0 and "1 report(s)" in result.output
    assert db.session.scalars(select(ReportFollower)).all() == []
