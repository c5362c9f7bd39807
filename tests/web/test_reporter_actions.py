"""Confirm, dispute, rate and escalate through /lacak; the oversight list of escalations."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AccessLog, Escalation, Rating, Report, Status
from app import clock
from app.services import accounts, workflow
from tests import factories
from tests.conftest import csrf_token_from

PASSWORD = "kata-sandi-uji-2026"
NAME = "Budi Hartono"


def filed(days_ago: float, steps=(), anonymous=False):
    """File a report ``days_ago`` days before now (real time: the views use the clock) and walk
    it through ``steps``, one hour apart. Returns (report, tracking code)."""
    start = clock.now() - timedelta(days=days_ago)
    receipt = factories.file_report(
        now=start, incident_date=(start - timedelta(days=2)).date(), is_anonymous=anonymous,
        reporter_name=NAME, reporter_email="budi@example.com")
    report = db.session.get(Report, receipt.report_id)
    officer = factories.actor("officer")
    data = {
        "route": (factories.actor("national_admin"), workflow.ActionInput(
            agency=factories.agency("dinkes-kota-padang"), resolution_class="sedang")),
        "respond": (officer, workflow.ActionInput(text="Kami periksa.")),
        "note": (officer, workflow.ActionInput(text="RAHASIA-CATATAN-INTERNAL")),
        "resolve": (officer, workflow.ActionInput(text="Sudah diperbaiki.")),
    }
    for hours, action in enumerate(steps, start=1):
        actor, action_input = data[action]
        workflow.apply(report, action, actor, start + timedelta(hours=hours), action_input)
    db.session.commit()
    return report, receipt.tracking_code


def open_tracking(client, code) -> str:
    """Open /lacak with the code (POST, as a reporter does); return the tracking page."""
    token = csrf_token_from(client.get("/lacak").get_data(as_text=True))
    response = client.post("/lacak", data={"tracking_code": code, "csrf_token": token})
    assert response.status_code == 303
    page = client.get("/lacak")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def post(client, path, page, **data):
    """POST a tracking-page form with the page's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token_from(page), **data})


def refresh(report):
    db.session.expire_all()
    return db.session.get(Report, report.id)


# --- the tracking page ----------------------------------------------------------------------------

def test_a_resolved_report_asks_one_question_and_offers_rating(client):
    report, code = filed(2, ("route", "resolve"))
    page = factories.HTMLPage(open_tracking(client, code))
    answer = page.find("form", action="/lacak/jawab")
    rate = page.find("form", action="/lacak/nilai")
    assert answer and rate
    for form in (answer, rate):
        assert form.get("method") == "post"
        assert any(e.parent is form and e.get("name") == "csrf_token" for e in page.elements)
    # One question, Ya / Belum, the reason in the page for browsers without JavaScript, one submit.
    assert "Apakah masalah Anda sudah selesai?" in page.within(answer, "legend")[0].text
    assert [c.get("value") for c in page.within(answer, "input", name="decision")] == ["ya", "belum"]
    assert page.within(answer, "textarea", name="reason")
    assert len(page.within(answer, "button")) == 1
    assert "Terima penyelesaian" not in page.by_id("main").text
    # Every control has its label; the scores are words as well as numbers.
    assert page.find("label", for_="reason")
    scores = page.controls("score")
    assert [s.get("value") for s in scores] == ["1", "2", "3", "4", "5"]
    labels = {page.find("label", for_=s.get("id")).text.strip() for s in scores}
    assert "1 — Sangat tidak puas" in labels and "5 — Sangat puas" in labels
    assert page.find("label", for_="comment")
    assert "paling lambat" in page.by_id("answer").text
    # No escalation grounds yet: only the explanation.
    assert page.find("form", action="/lacak/eskalasi") is None
    assert "Ombudsman" in page.by_id("escalation").text


def test_the_code_never_appears_in_the_page_or_a_url(client):
    report, code = filed(2, ("route", "resolve"))
    html = open_tracking(client, code)
    assert code not in html
    response = post(client, "/lacak/jawab", html, decision="ya")
    assert code not in response.headers["Location"]


def test_ya_closes_the_report_and_a_reason_typed_by_the_way_is_ignored(client):
    report, code = filed(2, ("route", "resolve"))
    page = open_tracking(client, code)
    response = post(client, "/lacak/jawab", page, decision="ya", reason="")
    assert response.status_code == 303 and response.headers["Location"].endswith("/lacak")
    assert refresh(report).status == Status.CLOSED
    after = client.get("/lacak").get_data(as_text=True)
    assert "masalah sudah selesai dan laporan ini ditutup" in after
    assert 'action="/lacak/jawab"' not in after


def test_no_choice_is_an_error_and_nothing_changes(client):
    report, code = filed(2, ("route", "resolve"))
    response = post(client, "/lacak/jawab", open_tracking(client, code), reason="Sesuatu")
    assert response.status_code == 422
    html = factories.HTMLPage(response.get_data(as_text=True))
    assert "Pilih Ya atau Belum." in html.by_id("decision-error").text
    # What was typed is kept, the summary is there and the title says so.
    assert html.find("textarea", name="reason").text.strip() == "Sesuatu"
    assert html.by_id("error-summary") is not None
    assert html.find("title").text.startswith("Kesalahan: ")
    assert refresh(report).status == Status.RESOLVED


def test_dispute_needs_a_reason_then_reopens(client):
    report, code = filed(2, ("route", "resolve"))
    page = open_tracking(client, code)
    response = post(client, "/lacak/jawab", page, decision="belum", reason="   ")
    assert response.status_code == 422
    html = factories.HTMLPage(response.get_data(as_text=True))
    error = html.by_id("reason-error")
    assert error is not None and "belum selesai" in error.text
    assert html.find("input", name="decision", value="belum").get("checked") is not None
    assert html.find("textarea", name="reason").get("aria-invalid") == "true"
    assert refresh(report).status == Status.RESOLVED

    response = post(client, "/lacak/jawab", page, decision="belum", reason="Jalan masih berlubang.")
    assert response.status_code == 303
    report = refresh(report)
    assert report.status == Status.IN_PROGRESS
    assert report.events[-1].action == "dispute"
    assert "Jalan masih berlubang." in client.get("/lacak").get_data(as_text=True)


@pytest.mark.parametrize("data", [{"decision": "ya"},
                                  {"decision": "belum", "reason": "Belum beres."}])
def test_answers_after_ten_working_days_are_refused(client, data):
    report, code = filed(30, ("route", "resolve"))  # the tick has not closed it yet
    page = open_tracking(client, code)
    assert "sudah lewat" in page
    assert 'action="/lacak/jawab"' not in page
    response = post(client, "/lacak/jawab", page, **data)
    assert response.status_code == 422
    error = factories.HTMLPage(response.get_data(as_text=True)).by_id("answer-error")
    assert error is not None and "sudah lewat" in error.text
    assert refresh(report).status == Status.RESOLVED


def test_confirm_refused_before_a_resolution(client):
    report, code = filed(1, ("route", "respond"))
    page = open_tracking(client, code)
    response = post(client, "/lacak/jawab", page, decision="ya")
    assert response.status_code == 422
    assert "Belum ada penyelesaian" in factories.HTMLPage(
        response.get_data(as_text=True)).by_id("answer-error").text
    assert refresh(report).status == Status.IN_PROGRESS


def test_a_post_without_csrf_is_refused(client):
    report, code = filed(2, ("route", "resolve"))
    open_tracking(client, code)
    response = client.post("/lacak/jawab", data={"decision": "ya"})
    assert response.status_code == 400  # the app-wide CSRF protection
    assert refresh(report).status == Status.RESOLVED


def test_actions_without_an_open_report_go_back_to_the_code_form(client, csrf):
    response = client.post("/lacak/jawab", data={"csrf_token": csrf("/lacak"), "decision": "ya"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/lacak")


# --- rating -----------------------------------------------------------------------------------------

def test_rating_once(client):
    report, code = filed(2, ("route", "resolve"))
    page = open_tracking(client, code)
    response = post(client, "/lacak/nilai", page, score="7")
    assert response.status_code == 422
    assert "1 sampai 5" in factories.HTMLPage(response.get_data(as_text=True)).by_id("score-error").text

    response = post(client, "/lacak/nilai", page)
    assert response.status_code == 422

    response = post(client, "/lacak/nilai", page, score="4", comment="Cukup cepat.")
    assert response.status_code == 303
    rating = db.session.scalar(select(Rating).where(Rating.report_id == report.id))
    assert (rating.score, rating.comment) == (4, "Cukup cepat.")
    after = client.get("/lacak").get_data(as_text=True)
    assert "4 dari 5: Puas" in after
    assert 'action="/lacak/nilai"' not in after

    response = post(client, "/lacak/nilai", page, score="1")
    assert response.status_code == 422
    assert "satu kali" in factories.HTMLPage(response.get_data(as_text=True)).by_id("rating-error").text
    db.session.expire_all()
    assert db.session.scalar(select(Rating.score).where(Rating.report_id == report.id)) == 4


def test_rating_refused_while_the_report_is_open(client):
    report, code = filed(1, ("route", "respond"))
    page = open_tracking(client, code)
    assert 'action="/lacak/nilai"' not in page
    response = post(client, "/lacak/nilai", page, score="5")
    assert response.status_code == 422
    assert "setelah instansi menyelesaikan" in factories.HTMLPage(
        response.get_data(as_text=True)).by_id("rating-error").text
    assert db.session.scalar(select(Rating).where(Rating.report_id == report.id)) is None


# --- escalation and the dossier ---------------------------------------------------------------------

def test_escalation_refused_without_grounds(client):
    report, code = filed(1, ("route", "respond"))
    page = open_tracking(client, code)
    for grounds in ("deadline_missed", "disputed"):
        response = post(client, "/lacak/eskalasi", page, grounds=grounds)
        assert response.status_code == 422
        assert "belum dapat diajukan" in response.get_data(as_text=True)
    response = post(client, "/lacak/eskalasi", page, grounds="sesuka-hati")
    assert response.status_code == 422
    assert db.session.scalar(select(Escalation).where(Escalation.report_id == report.id)) is None


def test_escalate_a_missed_deadline_once_and_download_the_dossier(client):
    # Routed 30 days ago, never answered: the first follow-up deadline has passed.
    report, code = filed(30, ("route", "note"), anonymous=True)
    page = open_tracking(client, code)
    form = factories.HTMLPage(page).find("form", action="/lacak/eskalasi")
    assert form is not None
    assert [c.get("value") for c in factories.HTMLPage(page).controls("grounds")] == ["deadline_missed"]

    response = post(client, "/lacak/eskalasi", page, grounds="deadline_missed",
                    details="Sudah sebulan tanpa tanggapan.")
    assert response.status_code == 303
    escalation = db.session.scalar(select(Escalation).where(Escalation.report_id == report.id))
    assert (escalation.grounds, escalation.text) == ("deadline_missed", "Sudah sebulan tanpa tanggapan.")
    assert refresh(report).status == Status.ROUTED  # an escalation changes no status

    after = client.get("/lacak").get_data(as_text=True)
    assert "Tenggat instansi terlewati" in after
    assert 'action="/lacak/eskalasi"' not in after  # no grounds left
    response = post(client, "/lacak/eskalasi", after, grounds="deadline_missed")
    assert response.status_code == 422
    assert "satu kali" in factories.HTMLPage(response.get_data(as_text=True)).by_id("escalation").text

    dossier = post(client, "/lacak/eskalasi/dosier.pdf", after, escalation=str(escalation.id))
    assert dossier.status_code == 200
    assert dossier.mimetype == "application/pdf"
    assert dossier.data.startswith(b"%PDF")
    assert "attachment" in dossier.headers["Content-Disposition"]
    assert code not in dossier.headers["Content-Disposition"]


def test_the_dossier_of_another_report_is_not_found(client):
    other, _ = filed(30, ("route",))
    escalation = Escalation(report_id=other.id, grounds="deadline_missed", created_at=clock.now())
    db.session.add(escalation)
    db.session.commit()
    report, code = filed(30, ("route",))
    page = open_tracking(client, code)
    response = post(client, "/lacak/eskalasi/dosier.pdf", page, escalation=str(escalation.id))
    assert response.status_code == 404


def test_escalate_after_a_dispute(client):
    report, code = filed(2, ("route", "resolve"))
    page = open_tracking(client, code)
    assert post(client, "/lacak/jawab", page, decision="belum", reason="Belum beres.").status_code == 303
    page = client.get("/lacak").get_data(as_text=True)
    assert [c.get("value") for c in factories.HTMLPage(page).controls("grounds")] == ["disputed"]
    assert post(client, "/lacak/eskalasi", page, grounds="disputed").status_code == 303
    assert db.session.scalar(select(Escalation.grounds).where(Escalation.report_id == report.id)) \
        == "disputed"


# --- oversight --------------------------------------------------------------------------------------

def login(client, role, agency_slug=None):
    user = accounts.create_user(email=f"{role}@terang.test", name=f"Uji {role}", role=role,
                                password=PASSWORD, agency_slug=agency_slug)
    if role != "officer":  # the admins and oversight sign in with a second factor
        factories.enrol_second_factor(user)
    db.session.commit()
    token = csrf_token_from(client.get("/petugas/masuk").get_data(as_text=True))
    response = client.post("/petugas/masuk", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    response = factories.pass_second_factor(client, user, response)
    assert response.status_code == 303
    return user


def escalations_of_two_reports():
    older, code = filed(40, ("route", "note"), anonymous=True)
    newer, _ = filed(30, ("route",))
    now = clock.now()
    first = Escalation(report_id=older.id, grounds="deadline_missed", created_at=now - timedelta(days=2))
    second = Escalation(report_id=newer.id, grounds="deadline_missed", created_at=now - timedelta(days=1))
    db.session.add_all([first, second])
    db.session.commit()
    return first, second, code


def test_oversight_lists_escalations_newest_first_and_each_view_is_logged(client):
    first, second, _ = escalations_of_two_reports()
    user = login(client, "oversight")
    response = client.get("/petugas/eskalasi")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index(second.report.reference) < html.index(first.report.reference)
    assert f"/petugas/eskalasi/{first.id}.pdf" in html
    logged = db.session.scalars(select(AccessLog.what).where(AccessLog.user_id == user.id)).all()
    assert "view_escalations" in logged


def test_oversight_downloads_the_dossier_and_it_is_logged(client):
    first, _, code = escalations_of_two_reports()
    user = login(client, "oversight")
    response = client.get(f"/petugas/eskalasi/{first.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert first.report.reference in response.headers["Content-Disposition"]
    entry = db.session.scalar(select(AccessLog).where(AccessLog.user_id == user.id,
                                                      AccessLog.what == "download_dossier"))
    assert entry is not None and entry.report_id == first.report_id
    assert client.get("/petugas/eskalasi/999999.pdf").status_code == 404


def test_national_admin_may_read_escalations(client):
    first, _, _ = escalations_of_two_reports()
    login(client, "national_admin")
    assert client.get("/petugas/eskalasi").status_code == 200
    assert client.get(f"/petugas/eskalasi/{first.id}.pdf").status_code == 200


@pytest.mark.parametrize("role, agency", [("officer", "dinkes-kota-padang"),
                                          ("agency_admin", "dinkes-kota-padang")])
def test_agency_roles_may_not(client, role, agency):
    first, _, _ = escalations_of_two_reports()
    login(client, role, agency)
    assert client.get("/petugas/eskalasi").status_code == 403
    assert client.get(f"/petugas/eskalasi/{first.id}.pdf").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    first, _, _ = escalations_of_two_reports()
    response = client.get(f"/petugas/eskalasi/{first.id}.pdf")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_the_case_page_shows_the_escalation(client):
    first, _, _ = escalations_of_two_reports()
    login(client, "officer", "dinkes-kota-padang")
    html = client.get(f"/petugas/laporan/{first.report.reference}").get_data(as_text=True)
    assert "Eskalasi ke pengawas" in html and "Tenggat instansi terlewati" in html
    assert "/petugas/eskalasi/" not in html  # officers get no dossier link



# --- text that no database can store: a field error, never a database error -------------------

@pytest.mark.parametrize("path, data, field", [
    ("/lacak/jawab", {"decision": "belum", "reason": "Belum\x00beres."}, "reason"),
    ("/lacak/nilai", {"score": "4", "comment": "Cukup\x00baik"}, "comment"),
])
def test_a_nul_character_in_an_answer_is_a_field_error(client, path, data, field):
    report, code = filed(2, ("route", "resolve"))
    response = post(client, path, open_tracking(client, code), **data)
    assert response.status_code == 422
    error = factories.HTMLPage(response.get_data(as_text=True)).by_id(f"{field}-error")
    assert error is not None and "karakter yang tidak diizinkan" in error.text
    assert refresh(report).status == Status.RESOLVED
    assert db.session.scalar(select(Rating).where(Rating.report_id == report.id)) is None


def test_a_nul_character_in_additional_information_is_a_field_error(client):
    report, code = filed(2, ("route",))
    before = len(refresh(report).events)
    response = post(client, "/lacak/tambah", open_tracking(client, code), message="Tambahan\x00")
    assert response.status_code == 422
    error = factories.HTMLPage(response.get_data(as_text=True)).by_id("message-error")
    assert error is not None and "karakter yang tidak diizinkan" in error.text
    assert len(refresh(report).events) == before


def test_a_nul_character_in_escalation_details_is_a_field_error(client):
    report, code = filed(3, ("route", "resolve"))
    workflow.apply(report, "dispute", factories.actor("reporter"), clock.now() - timedelta(days=1),
                   workflow.ActionInput(reason="Belum beres."))
    db.session.commit()
    response = post(client, "/lacak/eskalasi", open_tracking(client, code), grounds="disputed",
                    details="Mohon\x00periksa")
    assert response.status_code == 422
    error = factories.HTMLPage(response.get_data(as_text=True)).by_id("details-error")
    assert error is not None and "karakter yang tidak diizinkan" in error.text
    assert db.session.scalar(select(Escalation).where(Escalation.report_id == report.id)) is None
