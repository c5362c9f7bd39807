"""Filing a report through the intake service: what is refused, and what is stored."""
import io
from datetime import date, datetime, timezone

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Report, ReporterContact, ReportEvent, StagedUpload
from app.services import attachments, intake
from app.services.errors import DomainError
from tests import factories

# Monday 23 November 2026, 10:00 in Jakarta.
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


def submit(**overrides):
    return intake.submit_report(factories.submission(**overrides), now=NOW,
                                secret_key=current_app.config["SECRET_KEY"],
                                reference_prefix=current_app.config["REFERENCE_PREFIX"])


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def refused(field, **overrides):
    """Submit, expect a refusal naming ``field``, and check nothing was stored."""
    before = count(Report)
    with pytest.raises(DomainError) as info:
        submit(**overrides)
    assert info.value.field == field, info.value.message
    assert info.value.message
    db.session.rollback()
    assert count(Report) == before
    return info.value


class TestRefused:
    @pytest.mark.parametrize("incident_date", [date(2026, 11, 24), date(2027, 1, 1), date(2100, 1, 1)])
    def test_incident_in_the_future(self, db_session, incident_date):
        error = refused("incident_date", incident_date=incident_date)
        assert "masa depan" in error.message

    @pytest.mark.parametrize("incident_date", [date(2026, 11, 23), date(2026, 11, 22), date(2020, 1, 1)])
    def test_today_or_the_past_is_fine(self, db_session, incident_date):
        assert submit(incident_date=incident_date).status == "submitted"

    def test_today_means_today_in_jakarta(self, db_session):
        # 18:00 UTC on 23 November is already 24 November in Jakarta.
        late = datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)
        receipt = intake.submit_report(
            factories.submission(incident_date=date(2026, 11, 24)), now=late,
            secret_key=current_app.config["SECRET_KEY"], reference_prefix="LPR")
        assert receipt.status == "submitted"

    @pytest.mark.parametrize("region_code", ["99.99", "13", "", "13.7100", "Padang"])
    def test_unknown_region(self, db_session, region_code):
        refused("region", region_code=region_code)

    @pytest.mark.parametrize("slug", ["tidak-ada", "KEMENKES", "kemenkes "])
    def test_unknown_agency(self, db_session, slug):
        refused("agency", agency_slug=slug)

    def test_inactive_agency(self, db_session):
        factories.agency("pemkab-lebak").is_active = False
        db.session.flush()
        refused("agency", agency_slug="pemkab-lebak")

    @pytest.mark.parametrize("slug", ["tidak-ada", "Kesehatan"])
    def test_unknown_category(self, db_session, slug):
        refused("category", category_slug=slug)

    @pytest.mark.parametrize("title", ["", "   ", "\n\t", "x" * 201])
    def test_empty_or_overlong_title(self, db_session, title):
        refused("title", title=title)

    @pytest.mark.parametrize("body", ["", "    ", "\n\n"])
    def test_empty_body(self, db_session, body):
        refused("body", body=body)

    @pytest.mark.parametrize("report_type", ["", "keluhan", "PENGADUAN"])
    def test_unknown_report_type(self, db_session, report_type):
        refused("report_type", report_type=report_type)

    @pytest.mark.parametrize("tokens", [6, 7, 10])
    def test_more_than_five_attachments(self, db_session, tokens):
        error = refused("attachments", staged_tokens=[f"token-{i}" for i in range(tokens)])
        assert "5" in error.message

    @pytest.mark.parametrize("email", ["budi", "budi@", "@example.com", "budi@@example.com",
                                       "budi example@example.com"])
    def test_bad_email(self, db_session, email):
        refused("reporter_email", reporter_email=email)

    @pytest.mark.parametrize("phone", ["12345", "abc", "0812", "+62 21", "08123456789012345678"])
    def test_bad_phone(self, db_session, phone):
        refused("reporter_phone", reporter_phone=phone)


class TestStored:
    @pytest.mark.parametrize("report_type", ["pengaduan", "aspirasi", "informasi"])
    def test_status_is_submitted_with_one_submit_event(self, db_session, report_type):
        receipt = submit(report_type=report_type)
        report = db.session.get(Report, receipt.report_id)
        assert receipt.status == report.status == "submitted"
        assert report.report_type == report_type
        assert report.submitted_at == NOW
        events = list(db.session.scalars(select(ReportEvent).where(ReportEvent.report_id == report.id)))
        assert len(events) == 1
        event = events[0]
        assert (event.action, event.from_status, event.to_status) == ("submit", None, "submitted")
        assert event.actor_kind == "reporter" and event.actor_user_id is None
        assert event.created_at == NOW

    def test_fields_are_stored_trimmed(self, db_session):
        receipt = submit(title="  Puskesmas tutup pada jam layanan  ",
                         body="\n  Pagi ini puskesmas tutup.\nPadahal jadwal buka 08.00.  \n")
        report = db.session.get(Report, receipt.report_id)
        assert report.title == "Puskesmas tutup pada jam layanan"
        assert report.body == "Pagi ini puskesmas tutup.\nPadahal jadwal buka 08.00."
        assert report.region_code == factories.PADANG
        assert report.incident_date == date(2026, 11, 16)
        assert report.category.slug == "kesehatan"
        assert report.requested_agency.slug == "dinkes-kota-padang"
        # Nobody is responsible until the national admin routes it.
        assert report.agency_id is None

    @pytest.mark.parametrize("slug", [None, ""])
    def test_dont_know_agency_leaves_it_to_the_national_admin(self, db_session, slug):
        report = db.session.get(Report, submit(agency_slug=slug).report_id)
        assert report.requested_agency_id is None
        assert report.agency_id is None

    @pytest.mark.parametrize("slug", [None, ""])
    def test_category_is_optional(self, db_session, slug):
        report = db.session.get(Report, submit(category_slug=slug).report_id)
        assert report.category_id is None

    @pytest.mark.parametrize("anonymous, confidential", [(False, False), (True, False),
                                                         (False, True), (True, True)])
    def test_privacy_flags_are_kept(self, db_session, anonymous, confidential):
        report = db.session.get(Report, submit(is_anonymous=anonymous,
                                               is_confidential=confidential).report_id)
        assert (report.is_anonymous, report.is_confidential) == (anonymous, confidential)

    @pytest.mark.parametrize("name, email, phone", [(None, None, None), ("", "", ""),
                                                    ("   ", " ", "  ")])
    def test_no_contact_row_without_contact(self, db_session, name, email, phone):
        receipt = submit(reporter_name=name, reporter_email=email, reporter_phone=phone)
        assert db.session.scalar(select(ReporterContact).where(
            ReporterContact.report_id == receipt.report_id)) is None

    @pytest.mark.parametrize("given, stored", [
        (dict(reporter_name="Budi Santoso"), ("Budi Santoso", None, None)),
        (dict(reporter_name="  Budi  "), ("Budi", None, None)),
        (dict(reporter_email="budi@example.com"), (None, "budi@example.com", None)),
        (dict(reporter_email=" Budi@Example.COM "), (None, "Budi@example.com", None)),
        (dict(reporter_phone="0812-3456-7890"), (None, None, "+6281234567890")),
        (dict(reporter_name="Siti", reporter_email="siti@example.id", reporter_phone="081234567890"),
         ("Siti", "siti@example.id", "+6281234567890")),
    ])
    def test_contact_stored_separately_when_given(self, db_session, given, stored):
        receipt = submit(**given)
        contact = db.session.scalar(select(ReporterContact).where(
            ReporterContact.report_id == receipt.report_id))
        assert (contact.name, contact.email, contact.phone) == stored
        # The contact lives in its own table, not in the report row.
        report_row = db.session.execute(
            select(Report.__table__).where(Report.id == receipt.report_id)).mappings().one()
        for value in stored:
            if value:
                assert value not in {str(v) for v in report_row.values()}

    @pytest.mark.parametrize("typed", [
        "0812-3456-7890",
        "081234567890",
        "0812 3456 7890",
        "0812.3456.7890",
        "+62 812 3456 7890",
        "+62-812-3456-7890",
        "+6281234567890",
        "0062 812 3456 7890",
        "006281234567890",
        "62 812 3456 7890",
    ])
    def test_phone_numbers_normalised_to_e164(self, db_session, typed):
        receipt = submit(reporter_phone=typed)
        contact = db.session.scalar(select(ReporterContact).where(
            ReporterContact.report_id == receipt.report_id))
        assert contact.phone == "+6281234567890"

    def test_staged_attachments_become_the_reports_files(self, db_session):
        folder = current_app.config["UPLOAD_FOLDER"]
        staged = [attachments.stage(folder, attachments.inspect_upload(
            io.BytesIO(factories.small_pdf()), f"surat-{i}.pdf", 10 * 1024 * 1024))
            for i in range(2)]
        db.session.flush()
        receipt = submit(staged_tokens=[s.token for s in staged])
        files = list(db.session.scalars(select(Attachment).where(
            Attachment.report_id == receipt.report_id).order_by(Attachment.id)))
        assert [f.original_name for f in files] == ["surat-0.pdf", "surat-1.pdf"]
        event = db.session.scalar(select(ReportEvent).where(ReportEvent.report_id == receipt.report_id))
        assert all(f.event_id == event.id for f in files)
        assert count(StagedUpload) == 0

    def test_unknown_staged_tokens_are_ignored(self, db_session):
        receipt = submit(staged_tokens=["nope"])
        assert db.session.scalar(select(func.count()).select_from(Attachment).where(
            Attachment.report_id == receipt.report_id)) == 0

    def test_receipt_holds_reference_and_a_fresh_code(self, db_session):
        first, second = submit(), submit()
        assert first.reference != second.reference
        assert first.tracking_code != second.tracking_code
        assert first.report_id != second.report_id


# Rules every channel shares (form, JSON API, Open311), enforced in the service.
@pytest.mark.parametrize("overrides, field", [
    ({"title": "Pendek"}, "title"),
    ({"body": "Terlalu singkat."}, "body"),
    ({"title": "Judul dengan \x00 karakter nol"}, "title"),
    ({"body": "Isi laporan yang cukup panjang tetapi berisi \x00 karakter nol."}, "body"),
    ({"reporter_name": "N" * 121}, "reporter_name"),
])
def test_rules_shared_by_every_channel(db_session, overrides, field):
    from app.services.errors import DomainError

    with pytest.raises(DomainError) as refused:
        factories.file_report(**overrides)
    assert refused.value.field == field
