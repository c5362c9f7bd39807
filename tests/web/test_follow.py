"""Following a public report by e-mail: double opt-in, public steps by mail, one-click unsubscribe."""
from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import current_app
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import OutboxMessage, ReportFollower
from app.services import following, lifecycle, mailer, workflow
from tests import factories
from tests.conftest import csrf_token_from
from tests.factories import HTMLPage

EMAIL = "pengikut@example.com"
pytestmark = pytest.mark.usefixtures("fresh_g")


def public_report(**overrides):
    """A report on the board: filed two days ago, routed with a public title and text."""
    from app.models import Report

    receipt = factories.file_report(now=clock.now() - timedelta(days=2), **overrides)
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", factories.actor("national_admin"),
                   clock.now() - timedelta(days=1), workflow.ActionInput(
                       agency=factories.agency("dinkes-kota-padang"), resolution_class="ringan",
                       extra={"public_title": "Lampu jalan mati di Jl. Contoh",
                              "public_body": "Lampu jalan mati sejak sebulan."}))
    db.session.commit()
    return report


@pytest.fixture
def public(db_session):
    return public_report(reporter_name="Siti", reporter_email="siti@example.com")


def outbox(recipient=EMAIL):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                              .order_by(OutboxMessage.id)).all()


def ask(client, reference, email=EMAIL, **kwargs):
    page = client.get(f"/transparansi/laporan/{reference}/ikuti")
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(f"/transparansi/laporan/{reference}/ikuti",
                       data={"csrf_token": token, "email": email}, **kwargs)


def link_in(message, path) -> str:
    return re.search(rf"https?://\S+{re.escape(path)}\?token=\S+", message.body).group(0)


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def confirm(client, token):
    page = client.get(f"{following.CONFIRM_PATH}?token={token}")
    if page.status_code != 200:
        return page
    return client.post(following.CONFIRM_PATH, data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)), "token": token})


def subscribed(client, report, email=EMAIL):
    ask(client, report.reference, email)
    [message] = outbox(email)
    assert confirm(client, token_of(link_in(message, following.CONFIRM_PATH))).status_code == 200
    return message


def step(report, action, role="officer", text="Petugas sudah ke lokasi."):
    return workflow.apply(report, action, factories.actor(role), clock.now(),
                          workflow.ActionInput(text=text))


def test_the_shared_report_page_links_to_the_follow_page_without_a_csrf_token(client, public):
    response = client.get(f"/transparansi/laporan/{public.reference}")
    html = response.get_data(as_text=True)
    assert response.headers["Cache-Control"].startswith("public")
    assert "csrf_token" not in html
    assert f'href="/transparansi/laporan/{public.reference}/ikuti"' in html
    form_page = client.get(f"/transparansi/laporan/{public.reference}/ikuti")
    assert form_page.status_code == 200 and 'name="csrf_token"' in form_page.get_data(as_text=True)
    assert "no-store" in form_page.headers["Cache-Control"]


def test_only_a_public_report_can_be_followed(client, db_session):
    hidden = factories.file_report(now=clock.now())  # not verified: not on the board
    assert client.get(f"/transparansi/laporan/{hidden.reference}/ikuti").status_code == 404
    assert client.get("/transparansi/laporan/LPR-2026-9999999/ikuti").status_code == 404


def test_a_request_sends_one_confirmation_link_and_nothing_before_it_is_used(client, public):
    response = ask(client, public.reference, "  Pengikut@Example.com ")
    assert response.status_code == 200
    [message] = outbox("Pengikut@Example.com")
    assert public.reference in message.subject and message.unsubscribe_url is None
    link = link_in(message, following.CONFIRM_PATH)
    assert link.startswith(current_app.config["PUBLIC_BASE_URL"])
    assert "48 jam" in message.body
    follower = db.session.scalar(select(ReportFollower))
    assert follower.confirmed_at is None
    assert token_of(link) not in (follower.confirm_token_hash or "")
    step(public, "respond")
    assert len(outbox("Pengikut@Example.com")) == 1  # unconfirmed: no step mail


def test_a_bad_address_says_what_a_valid_one_looks_like(client, public):
    response = ask(client, public.reference, "bukan-alamat")
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert "nama@contoh.id" in page.by_id("email-error").text
    assert page.find("input", name="email").get("aria-describedby")
    assert outbox("bukan-alamat") == []


def test_the_answer_is_the_same_whether_or_not_the_address_already_follows(client, public):
    first = ask(client, public.reference).get_data(as_text=True)
    confirm(client, token_of(link_in(outbox()[0], following.CONFIRM_PATH)))
    again = ask(client, public.reference).get_data(as_text=True)
    other = ask(client, public.reference, "orang-lain@example.com").get_data(as_text=True)

    def main(html):
        return HTMLPage(html).find("main").text

    assert main(first) == main(again) == main(other)
    assert len(outbox()) == 1  # already following: nothing new sent


def test_confirming_needs_a_post_and_the_link_works_once(client, public):
    ask(client, public.reference)
    token = token_of(link_in(outbox()[0], following.CONFIRM_PATH))
    client.get(f"{following.CONFIRM_PATH}?token={token}")  # a mail scanner opening the link
    assert db.session.scalar(select(ReportFollower)).confirmed_at is None
    assert confirm(client, token).status_code == 200
    assert db.session.scalar(select(ReportFollower)).confirmed_at is not None
    assert confirm(client, token).status_code == 410  # reuse refused
    assert client.post(following.CONFIRM_PATH, data={
        "csrf_token": csrf_token_from(client.get(f"/transparansi/laporan/{public.reference}/ikuti")
                                      .get_data(as_text=True)),
        "token": token}).status_code == 410


def test_an_expired_link_is_refused(client, public, frozen_clock):
    ask(client, public.reference)
    token = token_of(link_in(outbox()[0], following.CONFIRM_PATH))
    frozen_clock.shift(following.CONFIRM_LIFETIME + timedelta(minutes=1))
    assert client.get(f"{following.CONFIRM_PATH}?token={token}").status_code == 410


def test_a_link_to_a_report_closed_meanwhile_is_refused_like_an_expired_one(client, public):
    from app.models import Status

    ask(client, public.reference)
    token = token_of(link_in(outbox()[0], following.CONFIRM_PATH))
    public.status = Status.CLOSED
    public.closed_at = clock.now()
    db.session.commit()
    assert client.get(f"{following.CONFIRM_PATH}?token={token}").status_code == 410
    assert confirm(client, token).status_code == 410
    assert db.session.scalar(select(ReportFollower)).confirmed_at is None


@pytest.mark.parametrize("language", following.LANGUAGES)
def test_the_status_in_a_step_mail_is_the_catalogue_s_label_in_the_followers_language(
        app, language):
    from datetime import date

    from flask import render_template
    from flask_babel import force_locale

    from app.labels import STATUS_LABELS

    for status, label in STATUS_LABELS.items():
        with app.test_request_context(), force_locale(language):
            body = render_template(f"email/follower/step.{language}.txt", reference="LPR-1",
                                   title="t", action="respond", to_status=status,
                                   day=date(2026, 11, 23), agency_name="Dinas",
                                   from_agency_name=None, text=None, report_url="u")
            assert f"Status: {label}." in body


def test_a_public_step_queues_mail_with_one_click_unsubscribe_headers(client, public):
    subscribed(client, public)
    step(public, "respond", text="Petugas sudah ke lokasi. Hubungi Siti di 081234567890.")
    [_confirmation, message] = outbox()
    assert message.unsubscribe_url and following.UNSUBSCRIBE_PATH in message.unsubscribe_url
    assert message.unsubscribe_url in message.body
    assert "Petugas sudah ke lokasi" in message.body
    assert "081234567890" not in message.body and "Siti" not in message.body  # as on the board
    email = mailer.build_message(mailer.Outgoing(
        id=message.id, recipient=message.recipient, subject=message.subject, body=message.body,
        language=message.language, created_at=message.created_at,
        unsubscribe_url=message.unsubscribe_url), "Terang <noreply@terang.test>", clock.now())
    assert email["List-Unsubscribe"] == f"<{message.unsubscribe_url}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # On the wire: one line, the address as it is (not RFC 2047 encoded words), as sent by
    # smtplib (BytesGenerator with the message's own policy).
    from email.generator import BytesGenerator
    from io import BytesIO

    wire = BytesIO()
    BytesGenerator(wire).flatten(email, linesep="\r\n")
    assert f"\r\nList-Unsubscribe: <{message.unsubscribe_url}>\r\n".encode() in wire.getvalue()
    assert b"\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in wire.getvalue()


def test_an_internal_note_is_never_mailed(client, public):
    subscribed(client, public)
    workflow.apply(public, "note", factories.actor("officer"), clock.now(),
                   workflow.ActionInput(text="Catatan internal: pelapor kerabat kepala dinas."))
    assert len(outbox()) == 1


def test_the_mail_is_in_the_followers_language(client, public):
    client.get("/bahasa?lang=en")
    subscribed(client, public)
    step(public, "respond")
    [confirmation, message] = outbox()
    assert message.language == "en" and "Update on report" in message.subject
    assert "Stop following" in message.body


def test_unsubscribe_by_get_asks_and_by_post_deletes(client, public):
    subscribed(client, public)
    step(public, "respond")
    link = outbox()[-1].unsubscribe_url
    path = urlsplit(link).path + "?" + urlsplit(link).query
    page = client.get(path)
    assert page.status_code == 200 and "Berhenti mengikuti" in page.get_data(as_text=True)
    assert db.session.scalar(select(ReportFollower)) is not None  # a GET changes nothing
    token = csrf_token_from(page.get_data(as_text=True))
    assert client.post(path, data={"csrf_token": token}).status_code == 200
    assert db.session.scalar(select(ReportFollower)) is None
    step(public, "resolve")
    assert outbox() == []  # nothing more, and the queued and sent ones lost the address


def test_a_mail_programs_one_click_post_unsubscribes_without_a_csrf_token(client, public):
    subscribed(client, public)
    step(public, "respond")
    link = outbox()[-1].unsubscribe_url
    response = client.post(urlsplit(link).path + "?" + urlsplit(link).query,
                           data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert db.session.scalar(select(ReportFollower)) is None
    again = client.post(urlsplit(link).path + "?" + urlsplit(link).query,
                        data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200


def test_a_report_that_stops_being_public_sends_nothing_more(client, public):
    subscribed(client, public)
    public.is_confidential = True
    db.session.flush()
    step(public, "respond")
    assert len(outbox()) == 1


def test_requests_are_limited_per_address(client, public):
    reports = [public] + [public_report() for _ in range(following.MAX_REQUESTS_PER_ADDRESS)]
    for report in reports:
        assert ask(client, report.reference).status_code == 200
    assert len(outbox()) == following.MAX_REQUESTS_PER_ADDRESS  # the last one: nothing sent
    assert ask(client, public.reference).status_code == 200  # again within RESEND_AFTER
    assert len(outbox()) == following.MAX_REQUESTS_PER_ADDRESS


def test_requests_are_limited_per_client_network(rate_limited_client, db_session):
    """(The second app does not see this test's uncommitted report: its answers are 404s,
    which count all the same.)"""
    limited = rate_limited_client(RATELIMIT_FOLLOW="2 per minute")
    url = "/transparansi/laporan/LPR-2026-0000001/ikuti"

    def post():
        token = csrf_token_from(limited.get("/lacak/kode-hilang").get_data(as_text=True))
        return limited.post(url, environ_base={"REMOTE_ADDR": "203.0.113.9"},
                            data={"csrf_token": token, "email": "a@example.com"})

    assert [post().status_code for _ in range(2)] == [404, 404]
    refused = post()
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Terlalu banyak permintaan" in refused.get_data(as_text=True)


def test_the_tick_deletes_unconfirmed_requests_after_their_link_expired(client, public,
                                                                          frozen_clock):
    ask(client, public.reference)
    assert lifecycle.tick(clock.now()).followers_purged == 0
    frozen_clock.shift(following.CONFIRM_LIFETIME + timedelta(minutes=1))
    assert lifecycle.tick(clock.now()).followers_purged == 1


def test_the_tick_deletes_followers_some_days_after_the_report_closed(client, public,
                                                                       frozen_clock):
    subscribed(client, public)
    step(public, "resolve")
    step(public, "confirm", role="reporter", text=None)
    assert lifecycle.tick(clock.now()).followers_purged == 0
    frozen_clock.shift(following.KEEP_AFTER_CLOSE + timedelta(days=1))
    assert lifecycle.tick(clock.now()).followers_purged == 1


def test_no_follower_address_on_the_public_or_agency_pages(client, public):
    subscribed(client, public)
    step(public, "respond")
    for path in (f"/transparansi/laporan/{public.reference}", "/transparansi/laporan",
                 f"/api/v1/complaints/{public.reference}"):
        assert EMAIL not in client.get(path).get_data(as_text=True)
    officer = factories.make_user("officer", "dinkes-kota-padang")
    factories.login(client, officer)
    page = client.get(f"/petugas/laporan/{public.reference}").get_data(as_text=True)
    assert EMAIL not in page


def test_the_privacy_notice_names_followers(client):
    html = client.get("/privasi").get_data(as_text=True)
    assert "mengikuti laporan" in html


def test_a_finished_report_offers_no_following(client, public):
    step(public, "resolve")
    step(public, "confirm", role="reporter", text=None)
    html = client.get(f"/transparansi/laporan/{public.reference}").get_data(as_text=True)
    assert "/ikuti" not in html
    assert client.get(f"/transparansi/laporan/{public.reference}/ikuti").status_code == 404
