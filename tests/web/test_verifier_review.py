"""The verifier reviews the public text: a required confirmation before routing (screen and API),
every masked span and every span the machine is unsure of highlighted with a label and a legend,
and what the verifier restores of what the machine masked is logged (kinds and counts only)."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AccessLog, Report, Status
from app.services import casework, credentials, review
from app.services.errors import DomainError
from app.services.sla import local_date
from tests import factories
from tests.factories import HTMLPage, login

pytestmark = pytest.mark.usefixtures("fresh_g")

BODY = ("Saya Rudi Hartono, HP 0813 1111 2222. Anak saya Dimas ditolak di sekolah; kartu BPJS "
        "0001234567890 tidak diterima petugas pada 12 November 2026. Camat Budi Santoso tidak "
        "menjawab; nomor antrean saya 1234567.")


@pytest.fixture
def admin_client(app, db_session):
    admin = factories.make_user("national_admin")
    db.session.commit()
    client = app.test_client()
    client.token = login(client, admin)
    client.user = admin
    return client


def filed(**overrides) -> Report:
    now = clock.now() - timedelta(hours=3)
    overrides.setdefault("incident_date", local_date(now) - timedelta(days=1))
    overrides.setdefault("body", BODY)
    receipt = factories.file_report(now=now, **overrides)
    return db.session.get(Report, receipt.report_id)


def route(client, report, **fields):
    data = {"csrf_token": client.token, "action": "route", "agency": "dinkes-kota-padang",
            "resolution_class": "ringan", **fields}
    return client.post(f"/petugas/laporan/{report.reference}/tindakan", data=data)


@pytest.mark.parametrize("anonymous", [True, False])
def test_routing_without_the_confirmation_is_a_field_error_and_keeps_what_was_typed(
        admin_client, anonymous):
    """Anonymous (the agency reads the public text, rahasia or not) or published (not rahasia)."""
    report = filed(is_anonymous=anonymous)
    flags = {"add_confidential": "y"} if anonymous else {"add_anonymous": "y"}
    response = route(admin_client, report, public_title="Judul yang saya ketik",
                     public_body="Teks publik yang saya periksa dengan teliti.",
                     category="infrastruktur", **flags)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    page = HTMLPage(html)
    error = page.by_id("route-confirm_public_text-error")
    assert error is not None and "sudah memeriksa teks publik" in error.text, html
    box = page.by_id("route-confirm_public_text")
    assert box.get("aria-invalid") == "true"
    # Nothing typed is lost.
    assert page.by_id("route-public_title").get("value") == "Judul yang saya ketik"
    assert page.by_id("route-public_body").text == "Teks publik yang saya periksa dengan teliti."
    flag = "route-add_confidential" if anonymous else "route-add_anonymous"
    assert page.by_id(flag).get("checked") is not None
    selected = [o for o in page.within(page.by_id("route-category"), "option")
                if o.get("selected") is not None]
    assert [o.get("value") for o in selected] == ["infrastruktur"]
    db.session.expire_all()
    assert db.session.get(Report, report.id).status == Status.SUBMITTED


def test_with_the_confirmation_the_proposal_may_stay_as_it_is(admin_client):
    report = filed(is_anonymous=True)
    proposal = casework.propose_public_text(report)
    assert route(admin_client, report, confirm_public_text="y").status_code == 303
    db.session.expire_all()
    routed = db.session.get(Report, report.id)
    assert routed.status == Status.ROUTED and routed.public_body == proposal.body


def test_a_confidential_report_that_is_not_anonymous_publishes_nothing_and_needs_no_confirmation(
        admin_client):
    report = filed(is_confidential=True)
    assert route(admin_client, report).status_code == 303


@pytest.mark.parametrize("body, status", [
    ({}, 422), ({"confirm_public_text": False}, 422), ({"confirm_public_text": True}, 201)])
def test_the_api_route_action_needs_confirm_public_text(client, admin_client, body, status):
    report = filed(is_anonymous=True)
    secret = credentials.create_token(admin_client.user.email, "uji")[1]
    db.session.commit()
    response = client.post(f"/api/v1/inbox/{report.reference}/actions",
                           headers={"Authorization": f"Bearer {secret}"},
                           json={"action": "route", "agency": "dinkes-kota-padang",
                                 "resolution_class": "ringan", **body})
    assert response.status_code == status
    if status == 422:
        assert "confirm_public_text" in response.get_json()["error"]["fields"]


def test_the_openapi_document_publishes_the_confirmation(client):
    document = client.get("/api/v1/openapi.json").get_json()
    route_action = document["components"]["schemas"]["RouteAction"]
    assert route_action["properties"]["confirm_public_text"]["type"] == "boolean"


def test_the_screen_highlights_masked_and_uncertain_spans_with_labels_and_a_legend(admin_client):
    report = filed(is_anonymous=True)
    html = admin_client.get(f"/petugas/laporan/{report.reference}").get_data(as_text=True)
    page = HTMLPage(html)
    review_box = page.by_id("route-review")
    legend = page.within(review_box, "ul", class_="legend")[0]
    legend_marks = page.within(legend, "mark")
    in_text = [m for m in page.within(review_box, "mark") if m not in legend_marks]
    masked = [m for m in in_text if m.get("class") == "masked"]
    uncertain = [m for m in in_text if m.get("class") == "uncertain"]
    assert {"[TELEPON]", "[NAMA]", "[BPJS]"} <= {m.text.split()[-1] for m in masked}
    proposal = review_box.text
    for personal in ("Rudi", "Hartono", "Dimas", "0001234567890", "0813 1111 2222"):
        assert personal not in proposal
    flagged = {" ".join(m.text.split()) for m in uncertain}
    # What the machine left readable but may be personal (an official named in the role, a
    # seven-digit number) is pointed out with a visible word, not by colour alone.
    assert any("Budi Santoso" in f for f in flagged)
    assert any("1234567" in f for f in flagged)
    assert all(f.startswith("[periksa]") for f in flagged)
    assert all(page.within(m, "span", class_="mark-label") for m in uncertain)
    assert all(page.within(m, "span", class_="visually-hidden") for m in masked)
    assert {m.get("class") for m in legend_marks} == {"masked", "uncertain"}
    checkbox = page.by_id("route-confirm_public_text")
    assert checkbox.get("type") == "checkbox"
    assert page.find("label", for_="route-confirm_public_text")


def test_what_the_verifier_restores_is_logged_by_kind_never_the_text(db_session, monkeypatch):
    """Restoring a masked span (here the reporter's own phone number, which public_version
    would mask again: the redactor is stubbed to let the verifier's text through) logs the
    kinds and counts."""
    admin = factories.make_user("national_admin")
    report = filed(is_anonymous=True)
    db.session.commit()
    from app.services import redaction

    proposal = redaction.public_version(report, BODY)
    assert "HP [TELEPON]" in proposal
    monkeypatch.setattr(redaction, "public_version", lambda report, text, limit=None: text.strip())
    casework.take_action(admin, report.reference, casework.ActionRequest(
        action="route", agency_slug="dinkes-kota-padang", resolution_class="ringan",
        public_title=report.title, public_body=proposal.replace("HP [TELEPON]", "HP 0813 1111 2222"),
        confirm_public_text=True), clock.now())
    db.session.commit()
    rows = db.session.scalars(select(AccessLog).where(AccessLog.report_id == report.id,
                                                      AccessLog.what == "unmask_public_text")).all()
    assert [row.detail for row in rows] == ["TELEPON=1"]
    assert "0813" not in rows[0].detail


def test_nothing_is_logged_when_nothing_is_restored(db_session):
    admin = factories.make_user("national_admin")
    report = filed(is_anonymous=True)
    db.session.commit()
    casework.take_action(admin, report.reference, casework.ActionRequest(
        action="route", agency_slug="dinkes-kota-padang", resolution_class="ringan",
        confirm_public_text=True), clock.now())
    db.session.commit()
    assert not db.session.scalars(select(AccessLog).where(
        AccessLog.what == "unmask_public_text")).all()


def test_casework_refuses_routing_without_confirmation(db_session):
    admin = factories.make_user("national_admin")
    report = filed()
    db.session.commit()
    with pytest.raises(DomainError) as refused:
        casework.take_action(admin, report.reference, casework.ActionRequest(
            action="route", agency_slug="dinkes-kota-padang", resolution_class="ringan"),
            clock.now())
    assert refused.value.field == "confirm_public_text"


# --- review.py: the verifier's view of the redaction module's uncertain spans ---------------------

def test_uncertain_spans_point_at_officials_and_unmasked_numbers():
    text = ("Saya [NAMA]. Camat Budi Santoso menolak. Nomor antrean 1234567, HP [TELEPON], "
            "pada 12 November 2026 membayar Rp 50.000 di kelas 4.")
    found = review.uncertain_spans(text)
    assert [(u.kind, u.text) for u in found] == [
        ("official", "Budi Santoso"), ("long_number", "1234567")]
    for span in found:
        assert text[span.start:span.end] == span.text


def test_uncertain_spans_are_linear_on_adversarial_input():
    from tests.unit.test_redaction_speed import WORST_RATIO, _seconds, prose

    adversarial = "saya " + " " * 20000 + "x" + "1 " * 10000 + "Bapak " * 3000
    ordinary = _seconds(prose(len(adversarial)), review.uncertain_spans)
    assert _seconds(adversarial, review.uncertain_spans) < WORST_RATIO * ordinary + 0.05


def test_segments_cover_the_text_in_order():
    text = "Saya [NAMA] dan Camat Budi Santoso, antrean 1234567."
    pieces = review.segments(text)
    assert "".join(p.text for p in pieces) == text
    assert [(p.kind, p.text) for p in pieces if p.kind] == [
        ("masked", "[NAMA]"), ("uncertain", "Budi Santoso"), ("uncertain", "1234567")]


def test_unmasked_kinds_counts_what_came_back():
    report = SimpleNamespace(title="Judul", body="HP 0813 1111 2222, NIK 3171015505900001.",
                             contact=None)
    assert review.unmasked_kinds(report, "Judul", "HP 0813 1111 2222, NIK [NIK].") == Counter(
        {"TELEPON": 1})
    assert review.describe_counts(Counter({"TELEPON": 1, "NIK": 2})) == "NIK=2;TELEPON=1"
