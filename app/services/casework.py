"""Officer actions on a report: verify and route, archive, request information, respond,
write an internal note, transfer, resolve. Every one goes through :mod:`workflow`.

Each call is one write transaction: the report row is locked (``SELECT … FOR UPDATE`` on
PostgreSQL; ``BEGIN IMMEDIATE`` on SQLite) and the transition table is checked against the
state as it is *now*, so two officers acting at once cannot both win. The unit of work commits (app/unit_of_work.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from flask_babel import lazy_gettext as _l

from ..unit_of_work import writes
from ..extensions import db
from ..models import ReportEvent, User
from . import access, agencies, intake, redaction, review, sla, texts, workflow
from .errors import DomainError, TransitionRefused

OFFICER_ACTIONS = ("route", "archive", "request_info", "respond", "note", "transfer", "resolve")
# How long what an officer types may be (the API's document publishes the same limits).
MAX_TEXT = intake.MAX_BODY
MAX_REASON = 2000
MAX_PUBLIC_TITLE = intake.MAX_TITLE  # reports.public_title is VARCHAR(200)
MAX_PUBLIC_BODY = intake.MAX_BODY
# ActionRequest attribute → (the field's name in forms and the API, its limit)
_TEXT_FIELDS = {"text": ("text", MAX_TEXT), "reason": ("reason", MAX_REASON),
                "public_title": ("public_title", MAX_PUBLIC_TITLE),
                "public_body": ("public_body", MAX_PUBLIC_BODY),
                "agency_slug": ("agency", None), "category_slug": ("category", None),
                "resolution_class": ("resolution_class", None)}


@dataclass
class ActionRequest:
    """What an officer sent with an action (from a form or the API)."""

    action: str
    text: str | None = None
    reason: str | None = None
    agency_slug: str | None = None
    resolution_class: str | None = None
    category_slug: str | None = None
    public_title: str | None = None
    public_body: str | None = None
    add_anonymous: bool = False
    add_confidential: bool = False
    duplicate_of: str | None = None  # reference of the original, when archived as a duplicate
    # The verifier confirms having read the public text (routing publishes it; see
    # :func:`needs_public_text_confirmation`).
    confirm_public_text: bool = False


@dataclass(frozen=True)
class PublicProposal:
    """The automatically redacted public version of a report, for the verifier to review."""

    title: str
    body: str
    findings: tuple  # redaction.Finding of the body, in order
    # The body cut into plain, masked and uncertain pieces (review.Segment), highlighted on the
    # verification screen so that the verifier's eye goes where the machine is unsure.
    body_segments: tuple = ()
    title_segments: tuple = ()

    @property
    def uncertain_count(self) -> int:
        return sum(1 for s in self.body_segments + self.title_segments if s.kind == "uncertain")


def propose_public_text(report) -> PublicProposal:
    """The report's title and text through :func:`redaction.proposal` (the reporter's own name
    masked too), for the verifier to review, with the masked and uncertain spans marked."""
    title = redaction.proposal(report, report.title)
    body = redaction.proposal(report, report.body)
    return PublicProposal(title.text, body.text, tuple(body.findings),
                          tuple(review.segments(body.text)), tuple(review.segments(title.text)))


# Reasons that are codes (an archive reason, a clock), not someone's words.
CODED_REASONS = ("archive", "deadline_missed")


@dataclass(frozen=True)
class CaseView:
    """How the reporter's side of a report reads to one member of staff (``viewer``).

    Every text (title, body, messages, replies, reasons, escalations) reads as
    :func:`redaction.for_viewer` says: for an anonymous report and an agency role, the agency
    text (the verifier-reviewed public title and text; later messages fully redacted by the
    machine, see :meth:`auto_redacted`); then attachments are listed and downloaded under a
    generic name (``lampiran-1.jpg``) too. The officer case page and the API's inbox read it.
    """

    report: object
    viewer: object  # a User (signed in or behind a token); see redaction.for_viewer

    @property
    def hides_identity(self) -> bool:
        return redaction.hides_identity(self.report, self.viewer)

    @property
    def title(self) -> str:
        """The report's title as this viewer may read it."""
        return redaction.for_viewer(self.report, redaction.TITLE, self.viewer)

    @property
    def body(self) -> str:
        """The report's text as this viewer may read it."""
        return redaction.for_viewer(self.report, redaction.BODY, self.viewer)

    def text(self, value: str | None) -> str | None:
        """``value`` (another text of this report: a message, a reply, an escalation) as this
        viewer may read it."""
        return redaction.for_viewer(self.report, value, self.viewer)

    def reason(self, event) -> str | None:
        """An event's reason: codes as is, free text (a transfer, a dispute) as :meth:`text`."""
        return event.reason if event.action in CODED_REASONS else self.text(event.reason)

    @property
    def submitted_at(self) -> datetime:
        """When the report was filed, as this viewer may know it: for an anonymous report read
        by an agency role, only the day (00:00 Jakarta time) — a time to the second can be
        matched against a message the reporter sent through another channel."""
        return self.moment(self.report.submitted_at)

    def event_at(self, event) -> datetime:
        """When ``event`` happened, as this viewer may know it: the reporter's own steps of an
        anonymous report (filing, messages, confirming, disputing) only to the day for agency
        roles; the steps of staff and of the system keep their time (an agency needs it)."""
        if event.actor_kind == "reporter":
            return self.moment(event.created_at)
        return event.created_at

    def moment(self, when: datetime) -> datetime:
        """``when``, cut to the start of its Jakarta day when this viewer does not read the
        anonymous reporter's identity."""
        if when is None or not self.hides_identity:
            return when
        return datetime.combine(sla.local_date(when), time.min, tzinfo=sla.JAKARTA)

    def auto_redacted(self, event) -> bool:
        """Whether ``event``'s text reads to this viewer as redacted by the machine alone: the
        reporter's own words after the submission (a later message) on an anonymous report,
        which the verifier never reviewed."""
        return (self.hides_identity and event.actor_kind == "reporter"
                and event.action != "submit" and bool(event.public_text))

    def attachment_name(self, attachment) -> str:
        """The name an attachment is listed and downloaded under."""
        if not self.hides_identity:
            return attachment.original_name
        from .attachments import ALLOWED_TYPES

        ids = sorted(a.id for a in self.report.attachments)
        number = ids.index(attachment.id) + 1 if attachment.id in ids else attachment.id
        return f"lampiran-{number}{ALLOWED_TYPES.get(attachment.content_type, '')}"


def case_view(user: User, report) -> CaseView:
    """What ``user`` may read of the reporter's side of ``report`` (see :class:`CaseView`)."""
    return CaseView(report, user)


@writes
def take_action(user: User, reference: str, request: ActionRequest, now: datetime) -> ReportEvent:
    """Take ``request.action`` on the report ``reference`` as ``user``; return the event.

    Raises NotFound when the report is outside the user's scope, TransitionRefused or
    DomainError (with a field) when the action is not allowed or incomplete.
    """
    if request.action not in OFFICER_ACTIONS:
        raise TransitionRefused(_l("Tindakan tidak dikenal."))
    if not access.can_act(user):
        raise TransitionRefused(_l("Anda hanya dapat membaca laporan."))
    check_texts(request)
    report = access.report_for(user, reference, for_update=True)

    data = workflow.ActionInput(text=(request.text or "").strip() or None,
                                reason=(request.reason or "").strip() or None,
                                resolution_class=request.resolution_class or None)
    if request.action in ("route", "transfer"):
        target = agencies.get_by_slug(request.agency_slug, active_only=True)
        if request.agency_slug and target is None:
            raise DomainError(_l("Instansi tujuan tidak dikenal."), field="agency")
        data.agency = target
    if request.action == "archive" and data.reason == "duplicate" and (request.duplicate_of or "").strip():
        data.related_report = find_original(request.duplicate_of)
    if request.action == "route":
        if needs_public_text_confirmation(report, request) and not request.confirm_public_text:
            raise DomainError(_l("Centang konfirmasi bahwa Anda sudah memeriksa teks publik. "
                                 "Teks ini yang dibaca publik dan, untuk laporan anonim, instansi."),
                              field="confirm_public_text")
        # Without a reviewed public text, the automatically redacted one is published (the
        # verifier confirmed it above); the original text is never published.
        proposal = None
        if not (request.public_title or "").strip() or not (request.public_body or "").strip():
            proposal = propose_public_text(report)
        data.extra = {
            "public_title": (request.public_title or "").strip() or proposal.title,
            "public_body": (request.public_body or "").strip() or proposal.body,
            "add_anonymous": request.add_anonymous,
            "add_confidential": request.add_confidential,
        }
        if request.category_slug is not None:
            data.extra["category"] = intake.resolve_category(request.category_slug)
    event = workflow.apply(report, request.action, workflow.Actor.officer(user), now, data)
    if request.action == "route":
        log_unmasked(user, report)
    return event


def needs_public_text_confirmation(report, request: ActionRequest) -> bool:
    """Routing needs the verifier's confirmation of the public text when the text will be read
    by someone the reporter did not write to in full: the public (routing publishes it unless
    the report is ``rahasia``) or, for an ``anonim`` report, the agency, which reads that text."""
    anonymous = report.is_anonymous or request.add_anonymous
    confidential = report.is_confidential or request.add_confidential
    return anonymous or not confidential


def log_unmasked(user: User, report) -> None:
    """Record in the audit trail what the verifier restored of what the machine had masked:
    the kinds and how many (``NAMA=1``), never the restored text."""
    restored = review.unmasked_kinds(report, report.public_title, report.public_body)
    if restored:
        access.log_access(user, "unmask_public_text", report, review.describe_counts(restored))


def find_original(reference: str):
    """The report a duplicate points to, by its public reference (any agency: the verifier
    archives before routing, and duplicates are found across agencies)."""
    from ..models import Report

    wanted = (reference or "").strip().upper()
    original = db.session.scalar(db.select(Report).where(Report.reference == wanted))
    if original is None:
        raise DomainError(_l("Laporan dengan nomor itu tidak ada."), field="duplicate_of")
    return original


def check_texts(request: ActionRequest) -> None:
    """What the officer typed is storable: no NUL character, no text over its limit.

    DomainError naming the field (422 in the API, a field error on the screen) instead of a
    database error (PostgreSQL refuses NUL and over-long values).
    """
    for attribute, (field, limit) in _TEXT_FIELDS.items():
        texts.check_storable(field, getattr(request, attribute), limit)


@dataclass(frozen=True)
class ResolutionPreview:
    """What resolving a report will show, before it is done: the summary as the reporter reads
    it, as the public reads it (None for a ``rahasia`` report), and the last working day the
    reporter has to accept or dispute it (their clock starts with the resolution)."""
    report: object
    text: str
    public_text: str | None
    answer_due_on: object


def preview_resolution(user: User, reference: str, request: ActionRequest,
                       now: datetime) -> ResolutionPreview:
    """Check a resolution exactly as :func:`take_action` would and say what it will show,
    without taking it: NotFound, TransitionRefused or DomainError as take_action raises them."""
    if not access.can_act(user):
        raise TransitionRefused(_l("Anda hanya dapat membaca laporan."))
    check_texts(request)
    report = access.report_for(user, reference)
    text = (request.text or "").strip()
    workflow.check(report, "resolve", workflow.Actor.officer(user), workflow.ActionInput(text=text))
    due = sla.deadline(sla.REPORTER_ANSWER, now, sla.REPORTER_ANSWER_DAYS, [], now).due_on
    return ResolutionPreview(report=report, text=text,
                             public_text=redaction.publishable(report, text), answer_due_on=due)


def available_actions(user: User, report) -> list[str]:
    """The officer actions ``user`` may take on ``report`` now (buttons to show)."""
    if not access.can_act(user) or not access.can_view(user, report):
        return []
    allowed = workflow.allowed_actions(report, workflow.Actor.officer(user))
    return [a for a in OFFICER_ACTIONS if a in allowed]
