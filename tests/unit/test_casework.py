"""casework.py: which officer actions are offered to whom, and what taking one does."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Report, ReportEvent, Status
from app.services import casework
from app.services.errors import DomainError, NotFound, TransitionRefused
from tests import factories

NOW = datetime(2026, 11, 23, 6, 0, tzinfo=timezone.utc)
ALL = casework.OFFICER_ACTIONS
AGENCY_WORK = ["request_info", "respond", "note", "transfer", "resolve"]

# Who is asking: (role, agency). Reports made by factories.report_in_status belong to
# dinkes-kota-padang once routed (a sub-unit of pemkot-padang).
PEOPLE = {
    "national_admin": ("national_admin", None),
    "agency_admin": ("agency_admin", "pemkot-padang"),
    "officer": ("officer", "dinkes-kota-padang"),
    "other_officer": ("officer", "pemkab-lebak"),
    "oversight": ("oversight", None),
}

# The buttons each person gets, by the report's status. Written out, cell by cell.
OFFERED = {
    "national_admin": {
        "submitted": ["route", "archive", "request_info", "note"],
        "routed": ["request_info", "note"],
        "in_progress": ["request_info", "note"],
        "on_hold": ["archive", "note"],
        "resolved": ["note"],
        "closed": [],
        "archived": [],
    },
    "agency_admin": {
        "submitted": [],            # not routed yet: not the agency's report
        "routed": AGENCY_WORK,
        "in_progress": AGENCY_WORK,
        "on_hold": ["note"],
        "resolved": ["note"],
        "closed": [],
        "archived": [],
    },
    "officer": {
        "submitted": [],
        "routed": AGENCY_WORK,
        "in_progress": AGENCY_WORK,
        "on_hold": ["note"],
        "resolved": ["note"],
        "closed": [],
        "archived": [],
    },
    "other_officer": {status: [] for status in Status.ALL},   # another agency's report
    "oversight": {status: [] for status in Status.ALL},       # reads only
}

CELLS = [(person, status) for person in PEOPLE for status in Status.ALL]


def test_the_table_is_complete():
    assert set(OFFERED) == set(PEOPLE)
    for person in PEOPLE:
        assert set(OFFERED[person]) == set(Status.ALL)


def person(name):
    role, agency = PEOPLE[name]
    return factories.make_user(role, agency)


@pytest.mark.parametrize("who,status", CELLS, ids=[f"{p}-{s}" for p, s in CELLS])
def test_available_actions(db_session, who, status):
    report = factories.report_in_status(status)
    assert casework.available_actions(person(who), report) == OFFERED[who][status]


def _valid(action: str) -> casework.ActionRequest:
    return casework.ActionRequest(
        action=action, text="Teks yang cukup.", reason="spam" if action == "archive" else "Bukan wewenang.",
        agency_slug="pemkab-lebak", resolution_class="ringan", confirm_public_text=True)


@pytest.mark.parametrize("who,status", CELLS, ids=[f"{p}-{s}" for p, s in CELLS])
def test_what_is_offered_is_exactly_what_is_accepted(db_session, who, status):
    """With complete input, take_action succeeds for the offered actions and refuses the rest."""
    report = factories.report_in_status(status)
    user = person(who)
    db.session.commit()
    accepted = []
    for action in ALL:
        try:
            casework.take_action(user, report.reference, _valid(action), NOW + timedelta(days=1))
        except (TransitionRefused, NotFound):
            pass
        else:
            accepted.append(action)
        db.session.rollback()
    assert accepted == OFFERED[who][status]


# --- take_action ---------------------------------------------------------------------------------

@pytest.fixture
def officer(db_session):
    return factories.make_user("officer", "dinkes-kota-padang")


@pytest.fixture
def admin(db_session):
    return factories.make_user("national_admin")


def events(report) -> list[ReportEvent]:
    return list(db.session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)
                                   .order_by(ReportEvent.id)))


def test_an_unknown_action_is_refused(officer):
    report = factories.report_in_status("routed")
    with pytest.raises(TransitionRefused, match="tidak dikenal"):
        casework.take_action(officer, report.reference, casework.ActionRequest(action="delete"), NOW)
    # Reporter and system actions are not officer actions either.
    for action in ("confirm", "auto_close", "submit", "deadline_missed"):
        with pytest.raises(TransitionRefused):
            casework.take_action(officer, report.reference, casework.ActionRequest(action=action, reason="x"), NOW)


def test_oversight_is_refused_before_anything_is_read(db_session):
    report = factories.report_in_status("routed")
    with pytest.raises(TransitionRefused, match="hanya dapat membaca"):
        casework.take_action(factories.make_user("oversight"), report.reference,
                             casework.ActionRequest(action="note", text="x"), NOW)


def test_another_agency_gets_not_found(db_session):
    report = factories.report_in_status("routed")
    outsider = factories.make_user("officer", "pemkab-lebak")
    with pytest.raises(NotFound):
        casework.take_action(outsider, report.reference, casework.ActionRequest(action="note", text="x"), NOW)
    with pytest.raises(NotFound):
        casework.take_action(outsider, "LPR-2026-9999999", casework.ActionRequest(action="note", text="x"), NOW)


def test_the_event_records_who_acted_for_which_agency(officer):
    report = factories.report_in_status("routed")
    event = casework.take_action(officer, report.reference,
                                 casework.ActionRequest(action="respond", text="  Kami periksa.  "), NOW)
    assert (event.action, event.from_status, event.to_status) == ("respond", "routed", "in_progress")
    assert event.actor_user_id == officer.id
    assert event.actor_agency_id == officer.agency_id
    assert event.public_text == "Kami periksa."     # trimmed
    assert event.is_internal is False
    assert report.first_response_at == NOW


def test_a_note_is_internal_and_changes_nothing(officer):
    report = factories.report_in_status("in_progress")
    event = casework.take_action(officer, report.reference,
                                 casework.ActionRequest(action="note", text="Cek ke lapangan."), NOW)
    assert event.is_internal and event.from_status == event.to_status == "in_progress"
    assert report.status == "in_progress"


@pytest.mark.parametrize("text", [None, "", "   \n "])
def test_text_is_required_where_the_table_says_so(officer, text):
    report = factories.report_in_status("routed")
    for action in ("respond", "note", "resolve", "request_info"):
        with pytest.raises(TransitionRefused) as refused:
            casework.take_action(officer, report.reference, casework.ActionRequest(action=action, text=text), NOW)
        assert refused.value.field == "text"
    assert [e.action for e in events(report)] == ["submit", "route"]


def test_routing_an_unknown_agency_or_category_names_the_field(admin):
    report = factories.report_in_status("submitted")
    with pytest.raises(DomainError) as unknown_agency:
        casework.take_action(admin, report.reference, casework.ActionRequest(
            action="route", confirm_public_text=True, agency_slug="dinas-tidak-ada", resolution_class="ringan"), NOW)
    assert unknown_agency.value.field == "agency"
    with pytest.raises(DomainError) as unknown_category:
        casework.take_action(admin, report.reference, casework.ActionRequest(
            action="route", confirm_public_text=True, agency_slug="pemkab-lebak", resolution_class="ringan",
            category_slug="tidak-ada"), NOW)
    assert unknown_category.value.field == "category"


def test_routing_without_public_text_publishes_the_redacted_proposal(admin):
    report = factories.report_in_status(
        "submitted", body="Petugas loket meminta uang. Hubungi saya di 0812-3456-7890 untuk bukti.",
        reporter_name="Siti Rahmawati")
    casework.take_action(admin, report.reference, casework.ActionRequest(
        action="route", confirm_public_text=True, agency_slug="dinkes-kota-padang", resolution_class="ringan"), NOW)
    assert report.public_body and "0812-3456-7890" not in report.public_body
    assert report.public_title
    assert report.body.endswith("untuk bukti.")            # the original is kept as it was


def test_routing_keeps_the_reviewed_public_text_and_adds_flags_only(admin):
    report = factories.report_in_status("submitted", is_anonymous=True)
    casework.take_action(admin, report.reference, casework.ActionRequest(
        action="route", confirm_public_text=True, agency_slug="pemkot-padang", resolution_class="sedang", category_slug="infrastruktur",
        public_title=" Judul publik ", public_body=" Teks publik. ", add_anonymous=False,
        add_confidential=True), NOW)
    assert (report.public_title, report.public_body) == ("Judul publik", "Teks publik.")
    assert report.category.slug == "infrastruktur"
    assert report.is_anonymous and report.is_confidential
    assert report.agency.slug == "pemkot-padang" and report.resolution_class == "sedang"


def test_routing_leaves_the_category_alone_when_the_form_has_none(admin):
    report = factories.report_in_status("submitted", category_slug="kesehatan")
    casework.take_action(admin, report.reference, casework.ActionRequest(
        action="route", confirm_public_text=True, agency_slug="pemkot-padang", resolution_class="sedang", category_slug=None), NOW)
    assert report.category.slug == "kesehatan"


def test_a_transfer_restarts_the_clocks_for_the_receiver(officer):
    report = factories.report_in_status("in_progress")
    event = casework.take_action(officer, report.reference, casework.ActionRequest(
        action="transfer", agency_slug="pemkab-lebak", reason="Lokasi di Lebak."), NOW)
    assert event.target_agency_id == factories.agency("pemkab-lebak").id
    assert event.reason == "Lokasi di Lebak."
    assert report.status == Status.ROUTED
    assert report.routed_at == NOW and report.first_response_at is None
    assert report.due_clock == "first_response"


def test_a_transfer_to_the_same_agency_is_refused(officer):
    report = factories.report_in_status("routed")
    with pytest.raises(TransitionRefused) as refused:
        casework.take_action(officer, report.reference, casework.ActionRequest(
            action="transfer", agency_slug="dinkes-kota-padang", reason="x"), NOW)
    assert refused.value.field == "agency"


@pytest.mark.parametrize("reason", [None, "", "bosan", "SPAM"])
def test_archive_needs_a_known_reason(admin, reason):
    report = factories.report_in_status("submitted")
    with pytest.raises(TransitionRefused) as refused:
        casework.take_action(admin, report.reference, casework.ActionRequest(action="archive", reason=reason), NOW)
    assert refused.value.field == "reason"
    assert report.status == Status.SUBMITTED


def test_the_action_checks_the_state_in_the_database_not_the_one_on_screen(officer):
    """The officer's page still offered "resolve"; meanwhile the report was resolved."""
    report = factories.report_in_status("routed")
    db.session.commit()
    reference = report.reference
    # Somebody else resolves it (here: directly in the database, bypassing this session's objects).
    db.session.execute(Report.__table__.update().where(Report.id == report.id)
                       .values(status=Status.RESOLVED))
    db.session.commit()
    with pytest.raises(TransitionRefused):
        casework.take_action(officer, reference, casework.ActionRequest(action="resolve", text="x"), NOW)


# --- text that no database can store: a field error, never a database error ------------------

NUL_FIELDS = [("text", "text"), ("reason", "reason"), ("public_title", "public_title"),
              ("public_body", "public_body"), ("agency_slug", "agency"),
              ("category_slug", "category"), ("resolution_class", "resolution_class")]


@pytest.mark.parametrize("action", ["route", "note", "transfer"])
@pytest.mark.parametrize("attribute, field", NUL_FIELDS)
def test_a_nul_character_anywhere_names_its_field(admin, attribute, field, action):
    report = factories.report_in_status("submitted")
    request = casework.ActionRequest(action=action, text="Catatan", reason="Alasan",
                                     agency_slug="dinkes-kota-padang", resolution_class="ringan")
    setattr(request, attribute, "ada\x00nul")
    with pytest.raises(DomainError) as refused:
        casework.take_action(admin, report.reference, request, NOW)
    assert refused.value.field == field
    assert str(refused.value.message) == "Teks berisi karakter yang tidak diizinkan."
    db.session.rollback()
    assert [e.action for e in events(report)] == ["submit"]


@pytest.mark.parametrize("attribute, limit", [
    ("public_title", casework.MAX_PUBLIC_TITLE), ("public_body", casework.MAX_PUBLIC_BODY)])
def test_a_public_text_over_its_limit_names_its_field(admin, attribute, limit):
    report = factories.report_in_status("submitted")
    request = casework.ActionRequest(action="route", confirm_public_text=True, agency_slug="dinkes-kota-padang",
                                     resolution_class="ringan", public_title="Judul publik",
                                     public_body="Teks publik yang cukup panjang.")
    setattr(request, attribute, "x" * (limit + 1))
    with pytest.raises(DomainError) as refused:
        casework.take_action(admin, report.reference, request, NOW)
    assert refused.value.field == attribute
    assert str(refused.value.message) == f"Paling banyak {limit} karakter."
    setattr(request, attribute, "x" * limit)  # exactly the limit is fine, on every database
    casework.take_action(admin, report.reference, request, NOW)
    db.session.flush()
    assert report.status == "routed" and len(getattr(report, attribute)) == limit


@pytest.mark.parametrize("action, attribute, limit", [
    ("note", "text", casework.MAX_TEXT), ("transfer", "reason", casework.MAX_REASON)])
def test_an_officer_text_over_its_limit_names_its_field(officer, action, attribute, limit):
    report = factories.report_in_status("in_progress")
    request = casework.ActionRequest(action=action, text="Teks", reason="Alasan",
                                     agency_slug="pemkab-lebak")
    setattr(request, attribute, "y" * (limit + 1))
    with pytest.raises(DomainError) as refused:
        casework.take_action(officer, report.reference, request, NOW)
    assert refused.value.field == attribute


def test_a_proposed_title_that_masks_make_too_long_is_refused_not_cut(admin):
    """Redaction masks can be longer than what they hide ("Ani" → "[NAMA]")."""
    title = ("Jalan rusak dekat rumah Ani. " * 7)[:200].strip()
    receipt = factories.file_report(title=title, reporter_name="Ani")
    report = db.session.get(Report, receipt.report_id)
    assert len(casework.propose_public_text(report).title) > casework.MAX_PUBLIC_TITLE
    request = casework.ActionRequest(action="route", confirm_public_text=True, agency_slug="dinkes-kota-padang",
                                     resolution_class="ringan")
    with pytest.raises(DomainError) as refused:
        casework.take_action(admin, report.reference, request, NOW)
    assert refused.value.field == "public_title"
    db.session.rollback()
    request.public_title = "Jalan rusak dekat rumah [NAMA]"
    casework.take_action(admin, report.reference, request, NOW)
    db.session.flush()
    assert report.public_title == "Jalan rusak dekat rumah [NAMA]"


# --- what staff read of the reporter's side (case_view) ---------------------------------------------

def _anonymous_with_files():
    tokens = [factories.staged_pdf("KTP_Siti.pdf"), factories.staged_pdf("rumah.pdf")]
    return factories.routed_report(
        title="Siti Anonimah melapor", body="Saya Siti Anonimah, surel siti@example.com, HP 0812 3456 "
        "7890. Kepala puskesmas (0813-9999-8888) menolak.", is_anonymous=True,
        reporter_name="Siti Anonimah", reporter_email="siti@example.com",
        reporter_phone="081234567890", staged_tokens=tokens)


def test_case_view_masks_the_reporter_for_an_agency_role(db_session):
    report = _anonymous_with_files()
    view = casework.case_view(factories.make_user("officer", "dinkes-kota-padang"), report)
    assert view.hides_identity
    # The agency text: every other text fully redacted (numbers of third parties too), and the
    # report's own title and text are the verifier-reviewed public version.
    assert view.text(report.title) == "[NAMA] melapor"
    body = view.text(report.body)
    assert body.startswith("Saya [NAMA], surel [EMAIL], HP [TELEPON]. Kepala puskesmas ")
    assert "0813-9999-8888" not in body
    assert view.title == (report.public_title or "[NAMA] melapor")
    assert [view.attachment_name(a) for a in sorted(report.attachments, key=lambda a: a.id)] == [
        "lampiran-1.pdf", "lampiran-2.pdf"]
    assert view.text(None) is None and view.text("") == ""


def test_case_view_keeps_coded_reasons_and_masks_free_ones(db_session):
    report = _anonymous_with_files()
    view = casework.case_view(factories.make_user("officer", "dinkes-kota-padang"), report)
    archive = ReportEvent(action="archive", reason="too_general")
    transfer = ReportEvent(action="transfer", reason="Bu Siti tinggal di Lebak")
    assert view.reason(archive) == "too_general"
    assert view.reason(transfer) == "Bu [NAMA] tinggal di Lebak"


@pytest.mark.parametrize("who", ["national_admin", "oversight"])
def test_case_view_is_the_original_for_the_verifier_and_oversight(db_session, who):
    report = _anonymous_with_files()
    view = casework.case_view(factories.make_user(who), report)
    assert not view.hides_identity
    assert view.text(report.body) == report.body
    assert {view.attachment_name(a) for a in report.attachments} == {"KTP_Siti.pdf", "rumah.pdf"}


def test_an_anonymous_report_without_contact_reads_fully_redacted(db_session):
    report = factories.routed_report(body="NIK saya 3171015505900001, rumah di Jl. Mawar No. 3.",
                                     is_anonymous=True)
    view = casework.case_view(factories.make_user("officer", "dinkes-kota-padang"), report)
    assert view.text(report.body) == "NIK saya [NIK], rumah di [ALAMAT]."
