"""Notifications to reporters (and reminders to agencies), through the outbox.

A message is queued in the same transaction as the event that causes it (so an event that is
rolled back never sends mail) and delivered later by ``flask --app wsgi outbox deliver``.
Reporter messages are written in the report's language and never contain the tracking code:
they say what happened and point to /lacak, where the reporter types the code.
"""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import force_locale

from ..extensions import db
from ..models import OutboxMessage, Report, ReportEvent

# Public steps the reporter hears about (their own actions are not echoed back to them).
NOTIFY_ACTIONS = frozenset({"route", "archive", "request_info", "respond", "transfer", "resolve",
                            "auto_close", "deadline_missed"})


def queue_for_event(report: Report, event: ReportEvent) -> OutboxMessage | None:
    """Queue the reporter's e-mail about ``event``, if they left an address and it is public."""
    if event.is_internal or event.action not in NOTIFY_ACTIONS:
        return None
    contact = report.contact
    if contact is None or not contact.email:
        return None
    language = report.language if report.language in ("id", "en") else "id"
    with force_locale(language):
        context = {
            "reference": report.reference,
            "title": report.title,
            "action": event.action,
            "to_status": event.to_status,
            "public_text": event.public_text,
            "agency_name": report.agency.name if report.agency else None,
            "track_url": _absolute_url("/lacak"),
        }
        subject = render_template("email/event_subject.txt", **context).strip()
        body = render_template("email/event.txt", **context)
    message = OutboxMessage(report_id=report.id, recipient=contact.email, language=language,
                            subject=subject[:200], body=body)
    db.session.add(message)
    return message


def _absolute_url(path: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return base + path
