"""E-mails to the owner of a staff account about its security (ASVS 2.2.3, 2.5.5): sign-in
being throttled, the password changed by its owner, the password reset by an admin, the
second factor added, removed or reset.

Queued in the outbox in the same transaction as the change (a rolled-back change sends
nothing). The text says what happened and what to do; never a password, an address or a
device. Templates: ``email/account_<kind>.txt`` and ``email/account_<kind>_subject.txt``.
"""
from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale

from sqlalchemy import select

from ..extensions import db
from ..models import OutboxMessage, User
from . import mailer

SIGN_IN_THROTTLED = "sign_in_throttled"
PASSWORD_CHANGED = "password_changed"
PASSWORD_RESET = "password_reset"
SECOND_FACTOR_CHANGED = "second_factor_changed"
SECOND_FACTOR_THROTTLED = "second_factor_throttled"
KINDS = (SIGN_IN_THROTTLED, PASSWORD_CHANGED, PASSWORD_RESET, SECOND_FACTOR_CHANGED,
         SECOND_FACTOR_THROTTLED)


def queue(user: User, kind: str, now: datetime) -> OutboxMessage:
    """Queue the notice ``kind`` to ``user``'s own address."""
    if kind not in KINDS:
        raise ValueError(f"unknown account notice {kind!r}")
    base = current_app.config.get("PUBLIC_BASE_URL", "").rstrip("/")
    context = {"name": user.name, "sessions_url": base + "/petugas/sesi",
               "sign_in_url": base + "/petugas/masuk"}
    with force_locale("id"):
        subject = mailer.single_line(render_template(f"email/account_{kind}_subject.txt", **context))
        body = render_template(f"email/account_{kind}.txt", **context).strip() + "\n"
    key = f"account:{kind}:u{user.id}:{now.strftime('%Y%m%d%H%M%S')}"
    existing = db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == key))
    if existing is not None:  # the same notice within the same second: one e-mail is enough
        return existing
    message = OutboxMessage(dedupe_key=key,
                            recipient=user.email, language="id", subject=subject[:200],
                            body=body, created_at=now, next_attempt_at=now)
    db.session.add(message)
    return message
