"""A lost tracking code: a one-time link by e-mail that issues a new code and voids the old one."""
from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.services import code_recovery, reporter
from tests import factories
from tests.conftest import csrf_token_from
from tests.factories import HTMLPage

EMAIL = "siti@example.com"
pytestmark = pytest.mark.usefixtures("fresh_g")


@pytest.fixture
def filed():
    return factories.file_report(reporter_name="Siti", reporter_email=EMAIL)


def outbox():
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def ask(client, reference, email):
    token = csrf_token_from(client.get("/lacak/kode-hilang").get_data(as_text=True))
    return client.post("/lacak/kode-hilang",
                       data={"csrf_token": token, "reference": reference, "email": email})


def link_of(message: OutboxMessage) -> str:
    return re.search(r"https?://\S+/lacak/kode-baru\?token=\S+", message.body).group(0)


def token_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


def redeem(client, token):
    page = client.get(f"/lacak/kode-baru?token={token}")
    if page.status_code != 200:
        return page
    return client.post("/lacak/kode-baru", data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)), "token": token})


def test_the_tracking_form_offers_help_for_a_lost_code(client):
    page = HTMLPage(client.get("/lacak").get_data(as_text=True))
    help_section = page.by_id("lost-title").parent
    assert "Kode hilang?" in help_section.text
    assert page.within(help_section, "a", href="/lacak/kode-hilang")


def test_a_matching_request_sends_one_link_without_the_code(client, filed):
    response = ask(client, filed.reference.lower(), "  Siti@Example.com ")
    assert response.status_code == 200
    [message] = outbox()
    assert message.recipient == EMAIL
    assert filed.reference in message.subject
    link = link_of(message)
    assert link.startswith(current_app.config["PUBLIC_BASE_URL"])
    assert filed.tracking_code not in message.body
    assert "60 menit" in message.body


def test_the_answer_is_the_same_whatever_was_asked(client, filed):
    """Nothing tells whether a reference exists or which address belongs to it."""
    answers = [ask(client, filed.reference, EMAIL),
               ask(client, filed.reference, "orang-lain@example.com"),
               ask(client, "LPR-2026-9999999", EMAIL)]
    assert {a.status_code for a in answers} == {200}
    bodies = {a.get_data(as_text=True) for a in answers}
    assert len(bodies) == 1
    assert "Jika nomor laporan dan e-mail itu cocok" in bodies.pop()
    assert len(outbox()) == 1


def test_a_report_without_an_email_gets_no_link_and_the_page_says_who_can_help(client):
    anonymous = factories.file_report(is_anonymous=True)
    assert ask(client, anonymous.reference, EMAIL).status_code == 200
    assert outbox() == []
    page = HTMLPage(client.get("/lacak/kode-hilang").get_data(as_text=True))
    no_email = page.by_id("tanpa-email")
    assert "tidak ada yang dapat memulihkan kode" in no_email.text
    search = page.within(no_email, "form", action="/transparansi/laporan")[0]
    assert search.get("method") == "get"
    assert page.within(search, "input", name="q")


def test_the_form_explains_a_missing_or_malformed_field(client):
    token = csrf_token_from(client.get("/lacak/kode-hilang").get_data(as_text=True))
    response = client.post("/lacak/kode-hilang",
                           data={"csrf_token": token, "reference": "", "email": "bukan-email"})
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert "nama@contoh.id" in page.by_id("email-error").text
    assert page.by_id("reference-error") is not None
    assert page.find("input", name="email").get("value") == "bukan-email"
    assert page.find("title").text.startswith("Kesalahan: ")


def test_links_are_limited_per_report_and_per_address(client, frozen_clock):
    first = factories.file_report(reporter_email=EMAIL)
    for _ in range(code_recovery.MAX_LINKS_PER_REPORT + 2):
        assert ask(client, first.reference, EMAIL).status_code == 200
    assert len(outbox()) == code_recovery.MAX_LINKS_PER_REPORT
    # The same address on other reports: at most MAX_LINKS_PER_ADDRESS in the hour in all.
    others = [factories.file_report(reporter_email=EMAIL) for _ in range(3)]
    for other in others:
        ask(client, other.reference, EMAIL)
    assert len(outbox()) == code_recovery.MAX_LINKS_PER_ADDRESS
    # An hour later the reporter may ask again.
    frozen_clock.shift(timedelta(hours=1, minutes=1))
    ask(client, first.reference, EMAIL)
    assert len(outbox()) == code_recovery.MAX_LINKS_PER_ADDRESS + 1


def test_the_link_issues_a_new_code_once_and_voids_the_old_one(client, filed):
    ask(client, filed.reference, EMAIL)
    token = token_of(link_of(outbox()[0]))
    # Opening the link only asks (a mail scanner following it changes nothing).
    confirm = client.get(f"/lacak/kode-baru?token={token}")
    assert confirm.status_code == 200 and "no-store" in confirm.headers["Cache-Control"]
    assert reporter.find_by_code(filed.tracking_code, current_app.config["SECRET_KEY"]) is not None
    page = HTMLPage(confirm.get_data(as_text=True))
    form = page.find("form", action="/lacak/kode-baru")
    assert form.get("method") == "post" and page.within(form, "input", name="token")

    issued = redeem(client, token)
    assert issued.status_code == 200
    shown = HTMLPage(issued.get_data(as_text=True))
    new_code = shown.by_id("tracking-code").text.strip()
    assert new_code != filed.tracking_code
    secret = current_app.config["SECRET_KEY"]
    assert reporter.find_by_code(filed.tracking_code, secret) is None
    assert reporter.find_by_code(new_code, secret).reference == filed.reference
    # The browser that used the link has the report open; the code is in no URL.
    assert filed.reference in client.get("/lacak").get_data(as_text=True)
    for element in shown.elements:
        for attr in ("href", "action", "src"):
            assert new_code not in (element.get(attr) or "")

    # Used once: the link, and any other link sent for the report, no longer work.
    again = redeem(client, token)
    assert again.status_code == 410
    assert "tidak berlaku lagi" in again.get_data(as_text=True)


def test_a_second_link_dies_with_the_first_use(client, filed):
    ask(client, filed.reference, EMAIL)
    ask(client, filed.reference, EMAIL)
    first, second = (token_of(link_of(m)) for m in outbox())
    assert redeem(client, first).status_code == 200
    assert client.get(f"/lacak/kode-baru?token={second}").status_code == 410


def test_the_link_expires_after_an_hour(client, filed, frozen_clock):
    ask(client, filed.reference, EMAIL)
    token = token_of(link_of(outbox()[0]))
    frozen_clock.shift(timedelta(minutes=61))
    assert client.get(f"/lacak/kode-baru?token={token}").status_code == 410
    page = client.get("/lacak/kode-baru?token=x")  # a valid page still needs a real token
    assert page.status_code == 410
    csrf = csrf_token_from(client.get("/lacak/kode-hilang").get_data(as_text=True))
    assert client.post("/lacak/kode-baru", data={"csrf_token": csrf, "token": token}).status_code == 410
    assert reporter.find_by_code(filed.tracking_code, current_app.config["SECRET_KEY"]) is not None


def test_the_token_never_reaches_the_request_log(client, filed, caplog):
    """The request log (werkzeug here, gunicorn's %(U)s in production) drops query strings."""
    ask(client, filed.reference, EMAIL)
    token = token_of(link_of(outbox()[0]))
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s %s',
                               ("127.0.0.1", f"GET /lacak/kode-baru?token={token} HTTP/1.1", "200", "-"),
                               None)
    for flt in logging.getLogger("werkzeug").filters:
        flt.filter(record)
    assert token not in record.getMessage()
    assert "/lacak/kode-baru" in record.getMessage()
    # gunicorn logs the path (%(U)s), never the query (%(q)s) or the request line (%(r)s).
    conf = (Path(current_app.root_path).parent / "gunicorn.conf.py").read_text()
    access_format = re.search(r"^access_log_format = (.+)$", conf, re.M).group(1)
    assert "%(U)s" in access_format
    assert "%(q)s" not in access_format and "%(r)s" not in access_format


def test_the_tick_forgets_links_after_a_day(client, filed, frozen_clock):
    from app import clock
    from app.models import CodeRecovery
    from app.services import lifecycle

    ask(client, filed.reference, EMAIL)
    assert lifecycle.tick(clock.now()).recoveries_purged == 0
    frozen_clock.shift(code_recovery.KEEP_FOR + timedelta(minutes=1))
    assert lifecycle.tick(clock.now()).recoveries_purged == 1
    assert db.session.scalars(select(CodeRecovery)).all() == []


def test_requests_are_limited_per_client_network(rate_limited_client, db_session):
    limited = rate_limited_client(RATELIMIT_RECOVERY="2 per minute")

    def post():
        token = csrf_token_from(limited.get("/lacak/kode-hilang").get_data(as_text=True))
        return limited.post("/lacak/kode-hilang", environ_base={"REMOTE_ADDR": "203.0.113.8"},
                            data={"csrf_token": token, "reference": "LPR-2026-0000001",
                                  "email": "a@example.com"})

    assert [post().status_code for _ in range(2)] == [200, 200]
    refused = post()
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    page = HTMLPage(refused.get_data(as_text=True))
    assert "Terlalu banyak permintaan" in page.by_id("error-summary").text
    assert page.find("input", name="email").get("value") == "a@example.com"
