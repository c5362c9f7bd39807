"""Verification publishes a redacted public text, never the original."""
from datetime import datetime, timezone

from app.extensions import db
from app.models import Report
from app.services import accounts, casework
from tests import factories

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=timezone.utc)
BODY = ("Saya Budi Santoso, NIK 1371025508900003, tinggal di Jl. Sudirman No. 12 RT 03/RW 05. "
        "Hubungi 0812-3456-7890. Puskesmas tutup pada jam layanan.")


def admin():
    return accounts.create_user(email="verif@x.test", name="Verifikator", role="national_admin",
                                password="password-123")


def test_proposal_masks_personal_data_and_the_reporters_name(db_session):
    receipt = factories.file_report(body=BODY, reporter_name="Budi Santoso")
    proposal = casework.propose_public_text(db.session.get(Report, receipt.report_id))
    for secret in ("1371025508900003", "0812-3456-7890", "Budi", "Sudirman No. 12"):
        assert secret not in proposal.body
    assert "[NIK]" in proposal.body and "[TELEPON]" in proposal.body and "[NAMA]" in proposal.body
    assert {f.kind for f in proposal.findings} >= {"NIK", "TELEPON", "NAMA", "ALAMAT"}


def test_routing_without_public_text_publishes_the_redacted_text(db_session):
    user = admin()
    receipt = factories.file_report(body=BODY, reporter_name="Budi Santoso")
    casework.take_action(user, receipt.reference, casework.ActionRequest(
        action="route", agency_slug="dinkes-kota-padang", resolution_class="ringan", confirm_public_text=True), NOW)
    report = db.session.get(Report, receipt.report_id)
    assert report.public_body and "1371025508900003" not in report.public_body
    assert report.body == BODY  # the original is kept, for the agency


def test_the_verifier_can_redact_more_by_editing(db_session):
    user = admin()
    receipt = factories.file_report(body=BODY)
    casework.take_action(user, receipt.reference, casework.ActionRequest(
        action="route", agency_slug="dinkes-kota-padang", resolution_class="ringan", confirm_public_text=True,
        public_title="Puskesmas tutup", public_body="[DISENSOR]. Puskesmas tutup pada jam layanan."), NOW)
    report = db.session.get(Report, receipt.report_id)
    assert report.public_body == "[DISENSOR]. Puskesmas tutup pada jam layanan."


def test_the_case_page_shows_the_findings_to_the_verifier(client, db_session):
    from tests.conftest import csrf_token_from

    verifier = admin()
    factories.enrol_second_factor(verifier)  # a national admin signs in with a code too
    db.session.commit()
    receipt = factories.file_report(body=BODY, reporter_name="Budi Santoso")
    page = client.get("/petugas/masuk").get_data(as_text=True)
    signed = client.post("/petugas/masuk", data={"csrf_token": csrf_token_from(page),
                                                 "email": "verif@x.test", "password": "password-123"})
    assert factories.pass_second_factor(client, verifier, signed).status_code == 303
    page = client.get(f"/petugas/laporan/{receipt.reference}").get_data(as_text=True)
    assert 'id="route-findings"' in page
    assert "<mark>1371025508900003</mark>" in page
    textarea = page.split('id="route-public_body"')[1].split("</textarea>")[0]
    assert "1371025508900003" not in textarea and "[NIK]" in textarea


# --- what the verifier types is redacted before it is stored ----------------------------------

def route_with(user, receipt, **typed):
    casework.take_action(user, receipt.reference, casework.ActionRequest(
        action="route", agency_slug="dinkes-kota-padang", resolution_class="ringan", confirm_public_text=True, **typed), NOW)
    db.session.commit()
    return db.session.get(Report, receipt.report_id)


def test_an_edited_public_text_is_redacted_before_it_is_published(db_session):
    # The verifier pasted back parts of the original: the name, a NIK, a phone number.
    user = admin()
    receipt = factories.file_report(body=BODY, reporter_name="Budi Santoso", is_anonymous=True)
    report = route_with(user, receipt, public_title="Keluhan Budi Santoso soal puskesmas",
                        public_body="Budi (NIK 1371025508900003, 0812-3456-7890) mengeluh.")
    assert report.public_title == "Keluhan [NAMA] soal puskesmas"
    assert report.public_body == "[NAMA] (NIK [NIK], [TELEPON]) mengeluh."


def test_a_reviewed_proposal_is_stored_as_it_was_shown(db_session):
    user = admin()
    receipt = factories.file_report(body=BODY, reporter_name="Budi Santoso")
    proposal = casework.propose_public_text(db.session.get(Report, receipt.report_id))
    report = route_with(user, receipt, public_title=proposal.title, public_body=proposal.body)
    assert (report.public_title, report.public_body) == (proposal.title, proposal.body)


def test_a_title_that_masks_made_too_long_is_cut_at_a_word(db_session):
    user = admin()
    receipt = factories.file_report(reporter_name="Ali Oka")
    typed = ("Oka, " * 40).strip()  # 199 characters; each "Oka" becomes "[NAMA]"
    report = route_with(user, receipt, public_title=typed, public_body="Teks publik.")
    assert len(report.public_title) <= 200
    assert report.public_title.endswith("[NAMA]…") and "Oka" not in report.public_title


def test_the_api_route_action_redacts_the_public_text(client, db_session):
    """Routing by bearer token with public_title/public_body: the same redaction as the screen."""
    from app.services import credentials

    user = admin()
    secret = credentials.create_token(user.email, "uji verifikasi")[1]
    receipt = factories.file_report(body=BODY, reporter_name="Siti Anonimah", is_anonymous=True)
    response = client.post(f"/api/v1/inbox/{receipt.reference}/actions",
                           headers={"Authorization": f"Bearer {secret}"},
                           json={"action": "route", "agency": "dinkes-kota-padang", "confirm_public_text": True,
                                 "resolution_class": "ringan",
                                 "public_title": "Siti Anonimah: puskesmas tutup",
                                 "public_body": "Hubungi Siti di siti@example.com atau 081234567890."})
    assert response.status_code == 201, response.get_json()
    public = client.get(f"/api/v1/complaints/{receipt.reference}").get_json()
    assert public["title"] == "[NAMA]: puskesmas tutup"
    assert public["body"] == "Hubungi [NAMA] di [EMAIL] atau [TELEPON]."
