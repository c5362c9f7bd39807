"""The escalation dossier: what goes to oversight, and what never does."""
from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models import Report
from app.services import escalations, reporter, workflow
from tests import factories

UTC = timezone.utc
FILED = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
NOTE = "Catatan internal: kepala puskesmas sedang cuti, jangan dibocorkan."
NAME = "Siti Rahmawati"
EMAIL = "siti.rahmawati@example.com"
PHONE = "081234567890"


@pytest.fixture(autouse=True)
def request_context(app, db_session):
    with app.test_request_context():
        yield


def escalated(anonymous: bool, **overrides):
    """A report with a public response, an internal note, a missed deadline and an escalation.

    Returns (escalation, tracking code).
    """
    receipt = factories.file_report(
        now=FILED, incident_date=date(2026, 10, 30), is_anonymous=anonymous,
        reporter_name=NAME, reporter_email=EMAIL, reporter_phone=PHONE, **overrides)
    report = db.session.get(Report, receipt.report_id)
    officer = factories.actor("officer")
    workflow.apply(report, "route", factories.actor("national_admin"), FILED + timedelta(hours=1),
                   workflow.ActionInput(agency=factories.agency("dinkes-kota-padang"),
                                        resolution_class="ringan"))
    workflow.apply(report, "note", officer, FILED + timedelta(days=1), workflow.ActionInput(text=NOTE))
    # First follow-up due Monday 9 November; answered on the 12th.
    workflow.apply(report, "respond", officer, datetime(2026, 11, 12, 3, 0, tzinfo=UTC),
                   workflow.ActionInput(text="Kami akan menegur petugas puskesmas."))
    workflow.apply(report, "resolve", officer, datetime(2026, 11, 13, 3, 0, tzinfo=UTC),
                   workflow.ActionInput(text="Jadwal sudah dipasang di pintu."))
    reporter.dispute_resolution(report, "Puskesmas tetap tutup pada hari Senin.",
                                datetime(2026, 11, 16, 3, 0, tzinfo=UTC))
    escalation = escalations.escalate(report, "disputed", "Mohon diperiksa Ombudsman.",
                                      datetime(2026, 11, 17, 3, 0, tzinfo=UTC))
    return escalation, receipt.tracking_code


def _plain(value, path="context"):
    """Fail when anything but plain values (str, numbers, dates, containers of them) is found."""
    if value is None or isinstance(value, (str, int, float, bool, date)):
        assert not isinstance(value, datetime), f"{path} carries a time of day"
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _plain(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for n, item in enumerate(value):
            _plain(item, f"{path}[{n}]")
        return
    if dataclasses.is_dataclass(value):
        for item in dataclasses.fields(value):
            _plain(getattr(value, item.name), f"{path}.{item.name}")
        return
    pytest.fail(f"{path} is not a plain value: {type(value).__name__}")


def test_the_context_holds_plain_values_only(db_session):
    escalation, _ = escalated(anonymous=False)
    context = escalations.dossier_context(escalation, NOW)
    _plain(context)
    assert "tracking_code" not in context and "tracking_hash" not in context


def test_the_dossier_has_the_report_agency_grounds_timeline_and_deadlines(db_session):
    escalation, _ = escalated(anonymous=False)
    report = escalation.report
    html = escalations.render_dossier_html(escalation, "id", NOW)
    assert report.reference in html
    assert report.title in html and report.body in html  # the reporter's original text
    assert "Dinas Kesehatan Kota Padang" in html
    assert "Penyelesaian ditolak pelapor" in html  # the grounds
    assert "Mohon diperiksa Ombudsman." in html
    assert "Kami akan menegur petugas puskesmas." in html
    assert "Puskesmas tetap tutup pada hari Senin." in html  # the dispute's reason
    assert "Terlewati" in html and "Terpenuhi" in html  # deadlines missed and met
    deadlines = escalations.dossier_context(escalation, NOW)["deadlines"]
    # The first resolution (13 November) came after its due date (9 November); the dispute on
    # Monday 16 November started a fresh "ringan" clock of 5 working days, overdue by the 27th.
    assert [(d.clock, d.outcome, d.reopened) for d in deadlines] == [
        ("verification", "met", False), ("first_response", "missed", False),
        ("resolution", "missed", False), ("resolution", "missed", True)]
    assert deadlines[1].due_on == date(2026, 11, 9)
    assert (deadlines[2].due_on, deadlines[2].ended_on) == (date(2026, 11, 9), date(2026, 11, 13))
    assert (deadlines[3].starts_on, deadlines[3].due_on, deadlines[3].ended_on) == (
        date(2026, 11, 16), date(2026, 11, 23), None)


def test_the_dossier_never_has_the_code_nor_internal_notes(db_session):
    escalation, code = escalated(anonymous=False)
    html = escalations.render_dossier_html(escalation, "id", NOW)
    assert code not in html
    assert code.replace("-", "") not in html
    assert NOTE not in html
    actions = [e.action for e in escalations.dossier_context(escalation, NOW)["timeline"]]
    assert "note" not in actions and "respond" in actions


def test_an_anonymous_reporter_is_not_in_the_dossier(db_session):
    escalation, _ = escalated(anonymous=True)
    html = escalations.render_dossier_html(escalation, "id", NOW)
    for detail in (NAME, EMAIL, PHONE, "Siti"):
        assert detail not in html
    assert escalations.dossier_context(escalation, NOW)["contact"] is None
    assert "Anonim" in html


def test_a_named_reporter_can_be_contacted_by_oversight(db_session):
    escalation, _ = escalated(anonymous=False)
    html = escalations.render_dossier_html(escalation, "id", NOW)
    assert NAME in html and EMAIL in html


def test_dates_are_at_day_precision(db_session):
    escalation, _ = escalated(anonymous=False)
    html = escalations.render_dossier_html(escalation, "id", NOW)
    text = re.sub(r"<[^>]+>", " ", html)
    assert not re.search(r"\b\d{1,2}:\d{2}\b", text), "a time of day leaked into the dossier"
    assert "17 November 2026" in text  # escalation date, in words


def test_the_dossier_speaks_english_too(db_session):
    escalation, _ = escalated(anonymous=False)
    html = escalations.render_dossier_html(escalation, "en", NOW)
    assert 'lang="en"' in html
    assert escalation.report.reference in html


def test_the_dossier_is_a_pdf(db_session):
    escalation, _ = escalated(anonymous=True)
    document = escalations.render_dossier(escalation, "id", NOW)
    assert document.startswith(b"%PDF")
    assert document.rstrip().endswith(b"%%EOF")


POPPLER = shutil.which("pdftotext") and shutil.which("pdfinfo")


@pytest.mark.skipif(not POPPLER, reason="pdftotext/pdfinfo (poppler-utils) are not installed")
def test_the_pdf_is_a4_and_its_text_has_the_reference_and_not_the_secrets(db_session, tmp_path):
    escalation, code = escalated(anonymous=True)
    target = tmp_path / "dossier.pdf"
    target.write_bytes(escalations.render_dossier(escalation, "id", NOW))
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, check=True, text=True).stdout
    assert "(A4)" in info
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert escalation.report.reference in text
    for secret in (code, NOTE, NAME, EMAIL):
        assert secret not in text
