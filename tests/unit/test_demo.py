"""The demo seed: reference data, demo officers, and reports in every status.

Seeding is done once for the module (300 reports, then a second run of 20) inside a transaction
that is rolled back at the end, like the ``db_session`` fixture but shared by the tests here.
"""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import aliased, scoped_session, sessionmaker

from app.extensions import db
from app.models import (Agency, Category, OutboxMessage, Region, Report, ReportEvent,
                        ReporterContact, Status, User)
from app.models.agency import NATIONAL, PROVINCIAL, REGENCY, UNIT
from app import clock
from app.models.region import PROVINCE
from app.models.region import REGENCY as REGION_REGENCY
from app.demo import catalogue as cat
from app.demo import seeding as demo
from app.services import redaction, reference, reporter, sla, workflow

PASSWORD = "demo-password-123"
FIRST_RUN = 300
SECOND_RUN = 20


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _counts() -> dict:
    return {name: _count(model) for name, model in (
        ("agencies", Agency), ("users", User), ("categories", Category), ("regions", Region),
        ("reports", Report))}


@pytest.fixture(scope="module")
def seeded(app):
    """Seed twice in one rolled-back transaction; yield what each run said and left."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        db.session = scoped_session(sessionmaker(bind=connection,
                                                 join_transaction_mode="create_savepoint"))
        try:
            before = _counts()
            messages: list[str] = []
            started = clock.now()
            first = demo.seed(complaints=FIRST_RUN, seed=2026, password=PASSWORD, echo=messages.append)
            after_first = _counts()
            second = demo.seed(complaints=SECOND_RUN, seed=2026, password=PASSWORD, echo=messages.append)
            after_second = _counts()
            yield SimpleNamespace(before=before, first=first, second=second, messages=messages,
                                  after_first=after_first, after_second=after_second,
                                  started=started, finished=clock.now())
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


def test_regions_are_the_38_provinces_and_514_kab_kota(seeded):
    levels = dict(db.session.execute(select(Region.level, func.count()).group_by(Region.level)).all())
    assert levels == {PROVINCE: 38, REGION_REGENCY: 514}


def test_every_province_and_kab_kota_has_a_government_with_its_opd(seeded):
    governments = {a.region_code: a for a in db.session.scalars(
        select(Agency).where(Agency.level.in_((PROVINCIAL, REGENCY))))}
    region_codes = set(db.session.scalars(select(Region.code)))
    assert set(governments) == region_codes
    units = dict(db.session.execute(
        select(Agency.parent_id, func.count()).where(Agency.level == UNIT)
        .group_by(Agency.parent_id)).all())
    # As many OPD as the reference file gives each (9 per province, 10 per kab/kota).
    directory = reference.read()
    assert not directory.problems
    expected: dict[str, int] = {}
    for row in directory.agencies:
        if row.level == UNIT and row.parent:
            expected[row.parent] = expected.get(row.parent, 0) + 1
    for government in governments.values():
        assert units.get(government.id) == expected[government.slug], government.slug
        assert expected[government.slug] == (9 if government.level == PROVINCIAL else 10)
    parent = aliased(Agency)
    mismatched = db.session.scalar(
        select(func.count()).select_from(Agency).join(parent, Agency.parent_id == parent.id)
        .where(parent.level.in_((PROVINCIAL, REGENCY)), Agency.region_code != parent.region_code))
    assert mismatched == 0


def test_agency_slugs_and_names_follow_the_conventions(seeded):
    def get(slug):
        return db.session.scalar(select(Agency).where(Agency.slug == slug))

    padang = get("pemkot-padang")
    assert (padang.name, padang.level, padang.region_code) == (
        "Pemerintah Kota Padang", REGENCY, "13.71")
    assert get("pemkab-lebak").name == "Pemerintah Kabupaten Lebak"
    assert get("pemprov-sumatera-barat").level == PROVINCIAL
    dinkes = get("dinkes-kota-padang")
    assert dinkes.level == UNIT and dinkes.parent_id == padang.id and dinkes.region_code == "13.71"
    capil = get("disdukcapil-kabupaten-lebak")
    assert capil.name == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Lebak"
    assert capil.parent_id == get("pemkab-lebak").id
    assert get("disdik-provinsi-jawa-barat").parent_id == get("pemprov-jawa-barat").id
    assert get("pemkot-jakarta-pusat").name == "Pemerintah Kota Administrasi Jakarta Pusat"
    for slug in ("kemenkes", "bpjs-kesehatan", "bpjs-ketenagakerjaan", "pln", "atr-bpn", "polri",
                 "kemenag", "kemensos", "kemenhub"):
        assert get(slug).level == NATIONAL, slug
    assert get("kemenkeu-djp").parent_id == get("kemenkeu").id
    # The Ombudsman oversees; reports are never routed to it.
    assert db.session.scalar(select(Agency).where(Agency.name.ilike("%ombudsman%"))) is None


def test_categories_like_lapor(seeded):
    slugs = set(db.session.scalars(select(Category.slug)))
    assert {"infrastruktur", "kesehatan", "pendidikan", "administrasi-kependudukan", "bencana",
            "korupsi-pungli", "pajak-retribusi", "air-bersih"} <= slugs
    assert len(slugs) >= 20
    assert all(c.name_en for c in db.session.scalars(select(Category)))


def test_demo_officers_exist_with_their_roles_and_password(seeded):
    users = {u.email: u for u in db.session.scalars(select(User))}
    for email, _name, role, slug in cat.DEMO_USERS:
        user = users[email]
        assert user.role == role
        assert (user.agency.slug if user.agency else None) == slug
    assert users["admin@terang.test"].check_password(PASSWORD)


def test_seeding_again_adds_reports_but_no_reference_data(seeded):
    assert seeded.after_second["agencies"] == seeded.after_first["agencies"]
    assert seeded.after_second["users"] == seeded.after_first["users"]
    assert seeded.after_second["categories"] == seeded.after_first["categories"]
    assert seeded.after_second["regions"] == seeded.after_first["regions"]
    assert seeded.after_first["reports"] - seeded.before["reports"] == FIRST_RUN
    assert seeded.after_second["reports"] - seeded.after_first["reports"] == SECOND_RUN
    reference_lines = [m for m in seeded.messages if m.startswith("Data acuan")]
    assert "0 wilayah, 0 instansi, 0 kategori, 0 akun" in reference_lines[-1]


def test_every_status_type_and_privacy_flag_occurs(seeded):
    statuses = dict(db.session.execute(select(Report.status, func.count()).group_by(Report.status)).all())
    assert set(statuses) == set(Status.ALL)
    types = set(db.session.scalars(select(Report.report_type).distinct()))
    assert types == {"pengaduan", "aspirasi", "informasi"}
    reports = list(db.session.scalars(select(Report)))
    anonymous = sum(r.is_anonymous for r in reports) / len(reports)
    confidential = sum(r.is_confidential for r in reports) / len(reports)
    assert 0.12 < anonymous < 0.40
    assert 0.04 < confidential < 0.20
    assert any(r.requested_agency_id is None for r in reports)  # "don't know"
    contacts = list(db.session.scalars(select(ReporterContact)))
    assert 0.25 < len(contacts) / len(reports) < 0.55
    assert any(c.email for c in contacts) and any(c.phone for c in contacts)
    assert all(c.phone is None or c.phone.startswith("+628") for c in contacts)
    # Confidential reports get no public text; verified public ones do.
    assert all(r.public_body is None for r in reports if r.is_confidential)
    assert any(r.public_body for r in reports if not r.is_confidential and r.routed_at)
    # Every status's summary line is printed.
    for status in Status.ALL:
        assert status in seeded.first


def test_the_lifecycle_actions_all_occur(seeded):
    actions = set(db.session.scalars(select(ReportEvent.action).distinct()))
    assert {"submit", "route", "respond", "note", "transfer", "resolve", "confirm", "auto_close",
            "dispute", "request_info", "reporter_reply", "archive"} <= actions
    reasons = set(db.session.scalars(
        select(ReportEvent.reason).where(ReportEvent.action == "archive").distinct()))
    assert reasons <= set(workflow.ARCHIVE_REASONS)
    assert len(reasons) >= 3
    # A duplicate names its original, an earlier report.
    duplicates = db.session.scalars(select(ReportEvent).where(
        ReportEvent.action == "archive", ReportEvent.reason == "duplicate")).all()
    assert duplicates
    assert all(e.related_report is not None and e.related_report.id != e.report_id
               and e.related_report.submitted_at <= e.created_at for e in duplicates)
    # An internal note is never on the public timeline.
    assert all(e.is_internal for e in db.session.scalars(
        select(ReportEvent).where(ReportEvent.action == "note")))


def test_timelines_are_consistent_and_nothing_is_in_the_future(seeded):
    limit = seeded.finished
    oldest = seeded.started - timedelta(days=demo.HISTORY_DAYS + 2)
    events: dict[int, list[ReportEvent]] = {}
    for event in db.session.scalars(select(ReportEvent).order_by(ReportEvent.id)):
        events.setdefault(event.report_id, []).append(event)
    for report in db.session.scalars(select(Report)):
        timeline = events[report.id]
        assert timeline[0].action == "submit" and timeline[0].created_at == report.submitted_at
        assert timeline[-1].to_status == report.status, report.reference
        times = [e.created_at for e in timeline]
        assert times == sorted(times), report.reference
        assert oldest < report.submitted_at and times[-1] <= limit
        for moment in (report.routed_at, report.first_response_at, report.resolved_at,
                       report.closed_at, report.updated_at):
            assert moment is None or (moment.tzinfo is not None and moment <= limit)
        assert report.incident_date <= sla.local_date(report.submitted_at)
        assert report.year == sla.local_date(report.submitted_at).year
        prefix = current_app.config["REFERENCE_PREFIX"]
        assert report.reference == f"{prefix}-{report.year}-{report.sequence:07d}"


def test_officer_actions_are_taken_on_working_days(seeded):
    officer_actions = ("route", "respond", "transfer", "resolve", "request_info")
    for event in db.session.scalars(select(ReportEvent).where(
            ReportEvent.action.in_(officer_actions), ReportEvent.actor_kind == "officer")):
        assert sla.is_working_day(sla.local_date(event.created_at)), event.action


def test_the_showcase_code_opens_a_report_in_progress(seeded):
    report = reporter.find_by_code(demo.DEMO_TRACKING_CODE, current_app.config["SECRET_KEY"])
    assert report is not None
    assert report.status == Status.IN_PROGRESS
    assert report.agency.slug == "dinkes-kota-padang"
    timeline = [entry.event for entry in reporter.public_timeline(report)]
    assert [e.action for e in timeline if e.action == "respond"]
    assert all(not e.is_internal for e in timeline)
    assert any(e.is_internal for e in report.events)  # the officers' note exists, hidden
    # Seeding again did not make a second one.
    assert db.session.scalar(select(func.count()).select_from(Report).where(
        Report.tracking_hash == demo.showcase_hash(current_app.config["SECRET_KEY"]))) == 1


def test_no_mail_is_queued_for_the_demo_history(seeded):
    assert _count(OutboxMessage) == 0


def test_demo_officers_have_reports_to_work_on(seeded):
    padang_unit = db.session.scalar(select(Agency.id).where(Agency.slug == "dinkes-kota-padang"))
    assert db.session.scalar(select(func.count()).select_from(Report).where(
        Report.agency_id == padang_unit)) >= 3
    officer_ids = set(db.session.scalars(select(User.id).where(User.role.in_(("officer", "agency_admin")))))
    assert set(db.session.scalars(select(ReportEvent.actor_user_id).distinct())) & officer_ids


def test_describe_logins_lists_accounts_password_code_and_urls(seeded):
    text = demo.describe_logins(PASSWORD)
    for email, *_ in cat.DEMO_USERS:
        assert email in text
    assert PASSWORD in text and demo.DEMO_TRACKING_CODE in text
    assert "http://127.0.0.1:5000/lacak" in text and "http://127.0.0.1:5000/lapor" in text
    assert "Pemerintah Kota Padang" in text
    # The admins' first sign-in leads to setting up the second factor: the text says so.
    assert "Verifikasi dua langkah" in text and "kode QR" in text


def test_has_reports(seeded):
    assert demo.has_reports()


# --------------------------------------------------------------------------- catalogue sanity

def test_every_template_formats_and_every_target_resolves(seeded):
    state = demo._Demo(seed=1, now=clock.now())
    regions = [r for group in state.regencies_of.values() for r in group]
    sample = regions[::37] + [r for r in regions if r.parent_code == demo.DKI_PROVINCE]
    agencies = set(state.agencies)
    for template in cat.TEMPLATES:
        assert template["category"] in cat.CATEGORY_WEIGHTS
        for region in sample:
            values = state.values_for(region, state.today)
            for title in template["titles"]:
                assert len(title.format_map(values)) <= 200
            template["body"].format_map(values)
            for key in template["targets"]:
                slug = state.resolve(key, region).slug
                assert slug in agencies
                if key == "pemda" or key.startswith("n:"):
                    continue
                # A unit key resolves to that unit, not to the government fallback.
                assert slug.startswith(key.split(":")[-1] + "-"), (key, slug)
    for key in cat.WRONG_TARGETS:
        assert state.resolve(key, sample[0]) is not None


def test_slug_helpers():
    assert demo.regency_government_slug("Kota Padang") == "pemkot-padang"
    assert demo.regency_government_slug("Kabupaten Lebak") == "pemkab-lebak"
    assert demo.regency_unit_slug("disdukcapil", "Kabupaten Lebak") == "disdukcapil-kabupaten-lebak"
    assert demo.province_government_slug("DI Yogyakarta") == "pemprov-di-yogyakarta"
    assert demo.regency_short_name("Kabupaten Pasangkayu (Mamuju Utara)") == "Pasangkayu"
    assert demo.slugify("Kota Bau-Bau") == "kota-bau-bau"


def test_the_demo_code_is_a_valid_tracking_code():
    from app.services import tracking_codes

    assert tracking_codes.normalise_code(demo.DEMO_TRACKING_CODE) == "TRNGDEM020260001"


def test_the_demo_loads_the_reference_files_and_nothing_else_as_agencies(seeded):
    """The agency tree of the demo is the reference data a deployment loads, row for row."""
    directory = reference.read()
    stored = {a.slug: a for a in db.session.scalars(select(Agency))}
    parents = {a.id: a.slug for a in stored.values()}
    for row in directory.agencies:
        agency = stored[row.slug]
        assert (agency.name, agency.level, agency.region_code) == (
            row.name, row.level, row.region_code)
        assert parents.get(agency.parent_id) == row.parent
    assert set(stored) - {row.slug for row in directory.agencies} <= {
        # the test suite's own reference data, loaded for every test
        "kemenkes", "pemkot-padang", "dinkes-kota-padang", "pemkab-lebak"}
    categories = set(db.session.scalars(select(Category.slug)))
    assert categories == {row.slug for row in directory.categories}


def test_the_demo_sets_no_status_and_writes_no_event_itself():
    """The demo drives every change through the workflow (and the lifecycle tick's rule)."""
    import inspect
    import re

    from app.demo import bulk, seeding

    source = inspect.getsource(seeding) + inspect.getsource(bulk)
    assert not re.search(r"\.status\s*=(?!=)", source)
    assert "ReportEvent(" not in source
    assert "_cut_at" not in source


def test_the_demo_commands_answer_as_before(app, seeded):
    runner = app.test_cli_runner()
    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert again.exit_code == 0 and again.output == "Demo data already loaded; nothing to do.\n"
    logins = runner.invoke(args=["demo", "logins"])
    assert logins.exit_code == 0
    assert logins.output.startswith("Akun demo — kata sandi semua akun: ")
    assert "admin@terang.test" in logins.output and demo.DEMO_TRACKING_CODE in logins.output


# --------------------------------------------------------------------------- replayed histories

REPLAYED_FIELDS = ("status", "status_before_hold", "on_hold_since", "submitted_at", "routed_at",
                   "first_response_at", "resolved_at", "reopened_at", "closed_at", "updated_at",
                   "agency_id", "resolution_class", "due_on", "due_clock", "overdue_clock",
                   "public_title", "public_body")


def _actor(event: ReportEvent) -> workflow.Actor:
    """Who took ``event``, as the workflow needs it."""
    from app.models.user import NATIONAL_ADMIN, OFFICER as OFFICER_ROLE

    if event.actor_kind == "reporter":
        return workflow.Actor.reporter()
    if event.actor_kind == "system":
        return workflow.Actor.system()
    if event.actor_user_id is not None:
        return workflow.Actor.officer(db.session.get(User, event.actor_user_id))
    return workflow.Actor(kind="officer", role=OFFICER_ROLE if event.actor_agency_id else NATIONAL_ADMIN,
                          agency_id=event.actor_agency_id)


def _replay(seeded_report: Report) -> Report:
    """A new report filed like ``seeded_report`` and moved by ``workflow.apply`` through the
    seeded report's events (their actions, actors, times and texts)."""
    copy = Report(reference=f"R-{seeded_report.id}", year=seeded_report.year, sequence=-seeded_report.id,
                  tracking_hash=f"replay-{seeded_report.id}", report_type=seeded_report.report_type,
                  title=seeded_report.title, body=seeded_report.body,
                  incident_date=seeded_report.incident_date, region_code=seeded_report.region_code,
                  requested_agency_id=seeded_report.requested_agency_id,
                  category=seeded_report.category, is_anonymous=seeded_report.is_anonymous,
                  is_confidential=seeded_report.is_confidential, language="id")
    for event in seeded_report.events:
        extra = {}
        if event.action == "route" and seeded_report.public_body:
            extra = {"public_title": seeded_report.public_title, "public_body": seeded_report.public_body}
        data = workflow.ActionInput(
            text=event.public_text, reason=event.reason,
            agency=db.session.get(Agency, event.target_agency_id) if event.target_agency_id else None,
            resolution_class=seeded_report.resolution_class, extra=extra,
            related_report=event.related_report)
        replayed = workflow.apply(copy, event.action, _actor(event), event.created_at, data)
        assert (replayed.from_status, replayed.to_status) == (event.from_status, event.to_status), \
            (seeded_report.reference, event.action)
    return copy


def assert_replays_to_the_stored_report(report: Report) -> None:
    """``report`` filed again and moved through its own events by ``workflow.apply`` (in a
    savepoint, rolled back) ends with the stored status, clock times and deadline."""
    savepoint = db.session.begin_nested()
    try:
        copy = _replay(report)
        for name in REPLAYED_FIELDS:
            assert getattr(copy, name) == getattr(report, name), (report.reference, name)
    finally:
        savepoint.rollback()


def test_every_seeded_history_replays_to_the_stored_report(seeded):
    """Each seeded report, filed again and moved by workflow.apply through its own events, ends
    with the same status, clock times and stored deadline: the bulk writer's rules are the
    workflow's."""
    reports = db.session.scalars(select(Report).order_by(Report.id)).all()
    assert len(reports) >= FIRST_RUN
    for report in reports:
        assert_replays_to_the_stored_report(report)


def test_public_texts_are_the_redacted_texts_and_missed_deadlines_are_recorded(seeded):
    nobody = SimpleNamespace(contact=None)
    published = db.session.scalars(select(Report).where(Report.public_body.is_not(None))).all()
    assert published
    for report in published:
        assert report.public_title == redaction.public_version(nobody, report.title, 200)
        assert report.public_body == redaction.public_version(nobody, report.body)
    # Every deadline missed before today is recorded, as the lifecycle tick records it.
    from app.services import lifecycle
    today = sla.local_date(clock.now())
    for report in db.session.scalars(select(Report).where(Report.status.in_(lifecycle.RUNNING_STATES))):
        if report.due_on is not None and report.due_on < today - timedelta(days=1):
            assert report.overdue_clock == report.due_clock, report.reference


def test_every_status_and_the_rollups_and_board_work_on_the_seeded_data(seeded):
    from app.services import board, statistics

    counts = dict(db.session.execute(select(Report.status, func.count()).group_by(Report.status)).all())
    assert all(counts.get(status, 0) > 0 for status in Status.ALL), counts
    assert statistics.refresh_dirty(clock.now()) > 0
    national = statistics.figures()
    assert national is not None
    page = board.public_report_list(board.ReportFilter())
    assert page.items
    # The count of public reports kept by triggers (migration 0024) is the count of them.
    public = db.session.scalar(select(func.count()).select_from(board.public_reports_query().subquery()))
    assert (page.total, page.total_is_capped) == (public, False) and public > 0
    found = board.public_report_list(board.ReportFilter(q="jalan"))
    assert found.items
