"""The transition table, cell by cell: who may do what from which status, and what is recorded."""
import ast
import re
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Report, ReportEvent, Status
from app.models.event import ImmutableEventError
from app.services import workflow
from app.services.errors import TransitionRefused
from app.services.workflow import PREVIOUS, TRANSITIONS, UNCHANGED, ActionInput
from tests import factories

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
LATER = NOW + timedelta(days=1)
NEW = "new"  # a report not yet filed (the only state "submit" starts from)
STATUSES = (NEW,) + Status.ALL
ROLES = factories.ROLES
APP_DIR = Path(__file__).resolve().parents[2] / "app"


def new_report() -> Report:
    """A complete report that has not been submitted yet (status None)."""
    unique = uuid.uuid4().hex
    return Report(reference=f"NEW-{unique[:12]}", year=2026, sequence=900_000 + int(unique[:4], 16),
                  tracking_hash=unique + unique, report_type="pengaduan", title="Belum dikirim",
                  body="Isi laporan yang belum dikirim.", incident_date=date(2026, 11, 20),
                  region_code=factories.PADANG)


def report_in(status: str) -> Report:
    return new_report() if status == NEW else factories.report_in_status(status, now=NOW)


def full_input(action: str) -> ActionInput:
    """Everything any action could require, valid."""
    reason = {"archive": "spam", "deadline_missed": "first_response"}.get(
        action, "Bukan kewenangan kami.")
    return ActionInput(text="Teks tindakan.", reason=reason,
                       agency=factories.agency("pemkab-lebak"), resolution_class="berat")


def events_of(report: Report) -> int:
    if report.id is None:
        return 0
    db.session.flush()
    return db.session.scalar(select(func.count()).select_from(ReportEvent).where(
        ReportEvent.report_id == report.id))


# The lifecycle of docs/domain.md written out by hand, independently of workflow.TRANSITIONS, so that
# a wrong cell in the code cannot make its own test pass: action → (from, to, who may).
SUB, ROU, INP, HOLD, RES = "submitted", "routed", "in_progress", "on_hold", "resolved"
WORKED = {ROU, INP}
OPEN = {SUB, ROU, INP, HOLD, RES}
AGENCY = {"agency_admin", "officer"}
EXPECTED = {
    "submit": ({NEW}, SUB, {"reporter"}),
    "route": ({SUB}, ROU, {"national_admin"}),
    "archive": ({SUB, HOLD}, "archived", {"national_admin"}),
    "request_info": ({SUB} | WORKED, HOLD, {"national_admin"} | AGENCY),
    "reporter_reply": ({HOLD}, PREVIOUS, {"reporter"}),
    "reporter_message": ({SUB} | WORKED, UNCHANGED, {"reporter"}),
    "respond": (WORKED, INP, AGENCY),
    "note": (OPEN, UNCHANGED, {"national_admin"} | AGENCY),
    "transfer": (WORKED, ROU, AGENCY),
    "resolve": (WORKED, RES, AGENCY),
    "confirm": ({RES}, "closed", {"reporter"}),
    "dispute": ({RES}, INP, {"reporter"}),
    "auto_close": ({RES}, "closed", {"system"}),
    "deadline_missed": ({SUB} | WORKED, UNCHANGED, {"system"}),
}


def test_the_code_has_exactly_the_expected_actions():
    assert set(TRANSITIONS) == set(EXPECTED)


def is_allowed(action: str, status: str, role: str) -> bool:
    sources, _target, roles = EXPECTED[action]
    return status in sources and role in roles


def expected_target(action: str, report: Report) -> str:
    target = EXPECTED[action][1]
    if target == PREVIOUS:
        return report.status_before_hold
    if target == UNCHANGED:
        return report.status
    return target


def test_the_table_knows_every_status_and_role():
    for transition in TRANSITIONS.values():
        assert set(transition.sources) <= set(Status.ALL)
        assert transition.target in set(Status.ALL) | {PREVIOUS, UNCHANGED}
        assert transition.roles <= set(ROLES)


def check_cell(report: Report, action: str, status: str, role: str) -> None:
    """Try ``action`` as ``role`` on ``report`` (in ``status``) and check what the table says."""
    before_status = report.status
    before_events = events_of(report)
    actor = factories.actor(role)

    if not is_allowed(action, status, role):
        with pytest.raises(TransitionRefused) as info:
            workflow.apply(report, action, actor, LATER, full_input(action))
        assert info.value.message
        assert report.status == before_status
        assert events_of(report) == before_events
        assert not any(isinstance(o, ReportEvent) for o in db.session.new)
        return

    target = expected_target(action, report)
    event = workflow.apply(report, action, actor, LATER, full_input(action))
    db.session.flush()
    assert report.status == target
    assert events_of(report) == before_events + 1
    assert event.report_id == report.id
    assert (event.action, event.from_status, event.to_status) == (action, before_status, target)
    assert event.actor_kind == actor.kind
    assert event.actor_agency_id == actor.agency_id
    assert event.created_at == LATER
    assert event.is_internal is (not TRANSITIONS[action].public)
    db.session.refresh(report)
    assert report.updated_at == LATER


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_every_cell_of_the_transition_table(db_session, action, status):
    """For each action and status, every role: allowed exactly when the table says so.

    One report per (action, status); each role's attempt runs in a savepoint rolled back after it.
    """
    shared = None if status == NEW else report_in(status)
    db.session.commit()
    for role in ROLES:
        report = shared or new_report()
        savepoint = db.session.begin_nested()
        try:
            check_cell(report, action, status, role)
        except AssertionError as exc:
            raise AssertionError(f"{action} from {status} by {role}: {exc}") from exc
        finally:
            savepoint.rollback()
        if shared is not None:
            assert shared.status == (status if status != NEW else None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("status", Status.ALL)
def test_allowed_actions_agree_with_the_table(db_session, status, role):
    report = report_in(status)
    expected = [a for a in TRANSITIONS if is_allowed(a, status, role)]
    assert workflow.allowed_actions(report, factories.actor(role)) == expected


def test_only_the_reporter_may_submit_a_new_report(db_session):
    assert workflow.allowed_actions(None, factories.actor("reporter")) == ["submit"]
    for role in ROLES[1:]:
        assert workflow.allowed_actions(None, factories.actor(role)) == []


def test_an_unknown_action_is_refused(db_session):
    report = report_in("submitted")
    with pytest.raises(TransitionRefused):
        workflow.apply(report, "delete", factories.actor("national_admin"), LATER)
    assert report.status == "submitted"


# --- what an action needs --------------------------------------------------------------------

REQUIREMENTS = [(action, name) for action, t in TRANSITIONS.items() for name in t.requires]


def a_permitted_cell(action):
    transition = TRANSITIONS[action]
    status = transition.sources[0] if transition.sources else NEW
    role = sorted(transition.roles)[0]
    return status, role


@pytest.mark.parametrize("action, missing", REQUIREMENTS)
@pytest.mark.parametrize("how", ["absent", "blank"])
def test_required_fields_are_refused_when_missing(db_session, action, missing, how):
    status, role = a_permitted_cell(action)
    report = report_in(status)
    before_status, before_events = report.status, events_of(report)
    data = full_input(action)
    blank = {"text": "   ", "reason": " \n ", "agency": None, "resolution_class": ""}[missing]
    setattr(data, missing, None if how == "absent" else blank)
    with pytest.raises(TransitionRefused) as info:
        workflow.apply(report, action, factories.actor(role), LATER, data)
    assert info.value.field == missing
    assert report.status == before_status
    assert events_of(report) == before_events


def test_every_requirement_is_exercised():
    assert {name for _a, name in REQUIREMENTS} == {"text", "reason", "agency", "resolution_class"}


@pytest.mark.parametrize("resolution_class", ["sangat_berat", "RINGAN", "5"])
def test_route_needs_a_known_resolution_class(db_session, resolution_class):
    report = report_in("submitted")
    data = full_input("route")
    data.resolution_class = resolution_class
    with pytest.raises(TransitionRefused) as info:
        workflow.apply(report, "route", factories.actor("national_admin"), LATER, data)
    assert info.value.field == "resolution_class"
    assert report.status == "submitted"


@pytest.mark.parametrize("resolution_class", ["ringan", "sedang", "berat"])
def test_route_sets_agency_and_class(db_session, resolution_class):
    report = report_in("submitted")
    data = full_input("route")
    data.resolution_class = resolution_class
    event = workflow.apply(report, "route", factories.actor("national_admin"), LATER, data)
    assert report.agency.slug == "pemkab-lebak"
    assert report.resolution_class == resolution_class
    assert report.routed_at == LATER
    assert event.target_agency_id == report.agency_id


@pytest.mark.parametrize("reason", ["", "bosan", "Spam"])
def test_archive_needs_a_known_reason(db_session, reason):
    report = report_in("submitted")
    with pytest.raises(TransitionRefused) as info:
        workflow.apply(report, "archive", factories.actor("national_admin"), LATER,
                       ActionInput(reason=reason))
    assert info.value.field == "reason"
    assert report.status == "submitted"


@pytest.mark.parametrize("reason", workflow.ARCHIVE_REASONS)
def test_every_archive_reason_is_accepted(db_session, reason):
    report = report_in("submitted")
    original = report_in("routed") if reason == "duplicate" else None
    event = workflow.apply(report, "archive", factories.actor("national_admin"), LATER,
                           ActionInput(reason=reason, related_report=original))
    assert (report.status, event.reason) == ("archived", reason)
    assert report.closed_at == LATER
    db.session.flush()
    assert event.related_report is original


def test_a_duplicate_must_name_its_original(db_session):
    report = report_in("submitted")
    with pytest.raises(TransitionRefused) as info:
        workflow.apply(report, "archive", factories.actor("national_admin"), LATER,
                       ActionInput(reason="duplicate"))
    assert info.value.field == "duplicate_of"
    with pytest.raises(TransitionRefused) as info:
        workflow.apply(report, "archive", factories.actor("national_admin"), LATER,
                       ActionInput(reason="duplicate", related_report=report))
    assert info.value.field == "duplicate_of"
    assert report.status == "submitted"


def test_only_a_duplicate_links_a_report(db_session):
    report = report_in("submitted")
    event = workflow.apply(report, "archive", factories.actor("national_admin"), LATER,
                           ActionInput(reason="spam", related_report=report_in("routed")))
    db.session.flush()
    assert event.related_report_id is None


@pytest.mark.parametrize("status", ["routed", "in_progress"])
def test_transfer_to_the_same_agency_is_refused(db_session, status):
    report = report_in(status)
    data = full_input("transfer")
    data.agency = report.agency
    with pytest.raises(TransitionRefused) as info:
        workflow.apply(report, "transfer", factories.actor("officer"), LATER, data)
    assert info.value.field == "agency"
    assert report.status == status


def test_transfer_restarts_the_receiving_agencys_clocks(db_session):
    report = report_in("in_progress")
    assert report.first_response_at is not None
    event = workflow.apply(report, "transfer", factories.actor("officer"), LATER, full_input("transfer"))
    assert report.status == "routed"
    assert report.agency.slug == "pemkab-lebak"
    assert report.routed_at == LATER and report.first_response_at is None
    assert event.target_agency_id == report.agency_id
    assert event.reason == "Bukan kewenangan kami."


def test_a_verifier_may_add_privacy_flags_but_never_remove_them(db_session):
    report = factories.report_in_status("submitted", now=NOW, is_anonymous=True)
    data = full_input("route")
    data.extra = {"add_confidential": True, "add_anonymous": False}
    workflow.apply(report, "route", factories.actor("national_admin"), LATER, data)
    assert report.is_anonymous is True
    assert report.is_confidential is True


# --- on hold ------------------------------------------------------------------------------------

@pytest.mark.parametrize("previous, path", [
    ("submitted", ()),
    ("routed", ("route",)),
    ("in_progress", ("route", "respond")),
])
@pytest.mark.parametrize("asker", ["national_admin", "agency_admin", "officer"])
def test_reporter_reply_returns_a_report_on_hold_to_where_it_was(db_session, previous, path, asker):
    report = factories.report_in_status(previous, now=NOW)
    ask = workflow.apply(report, "request_info", factories.actor(asker), LATER,
                         ActionInput(text="Mohon kirim foto lokasi."))
    assert (ask.from_status, ask.to_status, report.status) == (previous, "on_hold", "on_hold")
    assert report.status_before_hold == previous
    assert report.on_hold_since == LATER
    reply = workflow.apply(report, "reporter_reply", workflow.Actor.reporter(),
                           LATER + timedelta(hours=3), ActionInput(text="Foto terlampir."))
    assert (reply.from_status, reply.to_status) == ("on_hold", previous)
    assert report.status == previous
    assert report.status_before_hold is None and report.on_hold_since is None


def test_archiving_a_report_on_hold_clears_the_hold(db_session):
    report = report_in("on_hold")
    workflow.apply(report, "archive", factories.actor("national_admin"), LATER,
                   ActionInput(reason="incomplete"))
    assert report.status == "archived"
    assert report.status_before_hold is None and report.on_hold_since is None


def test_a_dispute_reopens_and_clears_the_resolution(db_session):
    report = report_in("resolved")
    event = workflow.apply(report, "dispute", workflow.Actor.reporter(), LATER,
                           ActionInput(reason="Jalan masih berlubang."))
    assert (event.from_status, event.to_status) == ("resolved", "in_progress")
    assert report.resolved_at is None


@pytest.mark.parametrize("action, actor_role", [("confirm", "reporter"), ("auto_close", "system")])
def test_closing_records_the_time(db_session, action, actor_role):
    report = report_in("resolved")
    workflow.apply(report, action, factories.actor(actor_role), LATER)
    assert (report.status, report.closed_at) == ("closed", LATER)


def test_an_internal_note_does_not_show_on_the_public_timeline(db_session):
    from app.services import reporter

    report = report_in("routed")
    note = workflow.apply(report, "note", factories.actor("officer"), LATER,
                          ActionInput(text="Catatan internal: cek ke lapangan."))
    db.session.flush()
    assert note.is_internal is True
    assert note not in [entry.event for entry in reporter.public_timeline(report)]


# --- events are immutable -----------------------------------------------------------------------

@pytest.mark.parametrize("column, value", [
    ("public_text", "diubah"),
    ("reason", "diubah"),
    ("to_status", "closed"),
    ("action", "respond"),
    ("created_at", NOW + timedelta(days=30)),
])
def test_events_cannot_be_updated(db_session, column, value):
    report = report_in("routed")
    db.session.commit()
    event = report.events[-1]
    setattr(event, column, value)
    with pytest.raises(ImmutableEventError):
        db.session.flush()
    db.session.rollback()
    stored = db.session.get(ReportEvent, event.id)
    assert getattr(stored, column) != value


def test_events_cannot_be_deleted(db_session):
    report = report_in("routed")
    db.session.commit()
    event_ids = [e.id for e in report.events]
    db.session.delete(report.events[0])
    with pytest.raises(ImmutableEventError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ReportEvent).where(
        ReportEvent.id.in_(event_ids))) == len(event_ids)


def test_the_whole_history_is_kept(db_session):
    report = report_in("closed")
    assert [(e.action, e.from_status, e.to_status) for e in report.events] == [
        ("submit", None, "submitted"),
        ("route", "submitted", "routed"),
        ("resolve", "routed", "resolved"),
        ("confirm", "resolved", "closed"),
    ]


# --- only workflow.py assigns a status ----------------------------------------------------------

# Attribute assignments named ``status`` that are not a report's status (checked below).
NOT_A_REPORT: set = set()  # (module, owner) pairs allowed to assign a non-report .status


def _status_assignments(path: Path):
    """(line, owner) of every ``<owner>.status = …`` (and ``setattr(…, "status", …)``) in a file.

    ``self.status`` inside a class other than ``Report`` (an exception's HTTP status, say) is
    that object's own attribute, not a report's, and is left out.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def visit(node, owner_class):
        if isinstance(node, ast.ClassDef):
            owner_class = node.name
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Attribute) and sub.attr == "status":
                    owner = ast.unparse(sub.value)
                    if not (owner == "self" and owner_class not in (None, "Report")):
                        yield node.lineno, owner
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr" and len(node.args) > 1:
            name = node.args[1]
            if isinstance(name, ast.Constant) and name.value == "status":
                yield node.lineno, "setattr"
        for child in ast.iter_child_nodes(node):
            yield from visit(child, owner_class)

    yield from visit(tree, None)


def test_no_module_but_workflow_assigns_a_status():
    offenders = []
    for path in sorted(APP_DIR.rglob("*.py")):
        relative = path.relative_to(APP_DIR).as_posix()
        if relative == "services/workflow.py":
            continue
        for lineno, owner in _status_assignments(path):
            if (relative, owner) not in NOT_A_REPORT:
                offenders.append(f"app/{relative}:{lineno} assigns {owner}.status")
        text = path.read_text(encoding="utf-8")
        # Bulk updates would bypass the table too.
        for match in re.finditer(r"update\(\s*Report\s*\)[^\n]*\bstatus\s*=", text):
            offenders.append(f"app/{relative}: bulk UPDATE of reports.status ({match.group(0)})")
    assert offenders == []


def test_workflow_does_assign_the_status():
    assert any(owner == "report" for _l, owner in _status_assignments(APP_DIR / "services/workflow.py"))


# --- the clocks the workflow keeps -------------------------------------------------------------

def test_a_dispute_reopens_with_a_fresh_resolution_clock_and_a_transfer_clears_it(db_session):
    from app.services import sla

    report = factories.report_in_status("resolved", now=NOW)
    report.overdue_clock = sla.RESOLUTION  # the first resolution clock was missed earlier
    workflow.apply(report, "dispute", factories.actor("reporter"), LATER, ActionInput(reason="Belum."))
    assert report.status == Status.IN_PROGRESS
    assert report.reopened_at == LATER and report.resolved_at is None
    assert report.overdue_clock is None  # the reopened clock's miss will be recorded anew
    assert (report.due_clock, report.due_on) == (sla.RESOLUTION, sla.add_working_days(
        sla.local_date(LATER), sla.RESOLUTION_DAYS["sedang"]))
    workflow.apply(report, "transfer", factories.actor("officer"), LATER + timedelta(hours=1),
                   ActionInput(agency=factories.agency("kemenkes"), reason="Wewenang pusat"))
    assert report.reopened_at is None and report.first_response_at is None
    assert report.due_clock == sla.FIRST_RESPONSE


SCENARIOS = {
    "answered": [("respond", "officer", 1)],
    "asked on day 0": [("request_info", "officer", 0), ("reporter_reply", "reporter", 3)],
    "asked by the admin": [("request_info", "national_admin", 1), ("reporter_reply", "reporter", 9)],
    "parent admin resolves, disputed": [("resolve", "parent_admin", 2), ("dispute", "reporter", 12)],
    "disputed, asked, answered": [("respond", "officer", 1), ("resolve", "officer", 3),
                                  ("dispute", "reporter", 4), ("request_info", "officer", 15),
                                  ("reporter_reply", "reporter", 20)],
    "transferred": [("respond", "officer", 1), ("transfer", "officer", 2)],
    "late hold": [("respond", "officer", 1), ("request_info", "officer", 30)],
}


@pytest.mark.parametrize("steps", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_the_stored_deadline_is_the_clock_the_board_and_statistics_judge(db_session, steps):
    """sla.current_deadline (stored on the report, read by the tick and the inbox) and
    sla.agency_stays (read by statistics, the board and the dossier) are the same clocks."""
    from app.services import reporter, sla

    start = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
    report = factories.report_in_status("routed", now=start)
    actors = {"officer": factories.actor("officer"), "reporter": factories.actor("reporter"),
              "national_admin": factories.actor("national_admin"),
              "parent_admin": factories.actor("agency_admin", "pemkot-padang")}
    for action, role, n in steps:
        moment = start + timedelta(days=n, hours=3)
        workflow.apply(report, action, actors[role], moment, ActionInput(
            text="Teks.", reason="Alasan.", agency=factories.agency("kemenkes")))
        # As things stand after this step: now, in a few days, and long after.
        for now in (moment + timedelta(hours=1), moment + timedelta(days=6), moment + timedelta(days=90)):
            current = reporter.current_deadline(report, now)
            stay = sla.agency_stays(report.events, report.resolution_class, now)[-1]
            if report.status == Status.RESOLVED:
                assert current.clock == sla.REPORTER_ANSWER and stay.resolutions[-1].completed
                continue
            run = stay.first_response if not stay.first_response.completed else stay.resolutions[-1]
            assert stay.agency_id == report.agency_id
            assert (current.clock, current.due_on) == (run.clock, run.deadline.due_on)
            assert current.paused is (run.outcome == sla.PAUSED)
            assert current.is_overdue is (run.outcome == sla.MISSED)
