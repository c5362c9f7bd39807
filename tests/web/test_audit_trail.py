"""The audit trail page /petugas/jejak-audit: oversight and the national admin read every row,
an agency admin only its own accounts', officers none; filters, keyset pages and CSV."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AccessLog
from app.services import sessions
from tests import factories
from tests.factories import HTMLPage, login

pytestmark = pytest.mark.usefixtures("fresh_g")

TRAIL = "/petugas/jejak-audit"


@pytest.fixture
def people(db_session):
    made = {
        "oversight": factories.make_user("oversight", email="ombudsman@uji.test", name="Oki Pengawas"),
        "national": factories.make_user("national_admin", email="nasional@uji.test", name="Nina Nasional"),
        "padang_admin": factories.make_user("agency_admin", "dinkes-kota-padang",
                                            email="admin.padang@uji.test", name="Ade Admin"),
        "padang": factories.make_user("officer", "dinkes-kota-padang",
                                      email="rina@dinkes.test", name="Rina Petugas"),
        "lebak": factories.make_user("officer", "kab-lebak", email="lukas@lebak.test",
                                     name="Lukas Lebak"),
    }
    db.session.commit()
    return made


def rows_of(html: str) -> list[str]:
    return [item.text for item in HTMLPage(html).find_all("li", class_="account-row")]


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_oversight_reads_every_accounts_sign_ins_and_its_own_reading_is_logged(app, people):
    for who in ("padang", "lebak"):
        login(app.test_client(), people[who])
    client = signed_in(app, people["oversight"])
    response = client.get(TRAIL)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Rina Petugas" in text and "Lukas Lebak" in text
    assert "masuk" in text
    db.session.expire_all()
    assert db.session.scalar(select(AccessLog.what).where(
        AccessLog.user_id == people["oversight"].id).order_by(AccessLog.id.desc()).limit(1)) == "view_audit"


def test_an_agency_admin_sees_only_its_own_accounts(app, people):
    for who in ("padang", "lebak"):
        login(app.test_client(), people[who])
    html = signed_in(app, people["padang_admin"]).get(TRAIL).get_data(as_text=True)
    assert "Rina Petugas" in html
    assert "Lukas Lebak" not in html


@pytest.mark.parametrize("who", ["padang", "lebak"])
def test_officers_may_not_read_the_trail(app, people, who):
    client = signed_in(app, people[who])
    assert client.get(TRAIL).status_code == 403
    assert client.get(TRAIL + ".csv").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, people):
    response = client.get(TRAIL)
    assert response.status_code == 302 and "/petugas/masuk" in response.location


def test_filters_by_event_group_account_reference_and_day(app, people):
    report = factories.routed_report()
    now = clock.now()
    sessions.audit(people["lebak"].id, "sign_in_failed")
    db.session.add(AccessLog(user_id=people["national"].id, report_id=report.id, what="view_report",
                             detail="anonymous original", created_at=now))
    db.session.add(AccessLog(user_id=people["padang"].id, what="sign_in",
                             created_at=now - timedelta(days=40)))
    db.session.commit()
    client = signed_in(app, people["oversight"])

    by_event = rows_of(client.get(TRAIL, query_string={"what": "sign_in_failed"}).get_data(as_text=True))
    assert len(by_event) == 1 and "Lukas Lebak" in by_event[0]

    by_reference = rows_of(client.get(TRAIL, query_string={"reference": report.reference.lower()})
                           .get_data(as_text=True))
    assert len(by_reference) == 1 and "Nina Nasional" in by_reference[0]
    assert report.reference in by_reference[0]

    by_account = rows_of(client.get(TRAIL, query_string={"who": "rina"}).get_data(as_text=True))
    assert by_account and all("Rina Petugas" in row for row in by_account)

    old_day = (now - timedelta(days=40)).astimezone(clock.JAKARTA).date().isoformat()
    by_day = rows_of(client.get(TRAIL, query_string={"from": old_day, "to": old_day})
                     .get_data(as_text=True))
    assert len(by_day) == 1 and "Rina Petugas" in by_day[0]

    security = rows_of(client.get(TRAIL, query_string={"what": "security"}).get_data(as_text=True))
    assert security and not any(report.reference in row for row in security)

    # A filter the trail does not know is ignored, not an error; the form keeps what was typed.
    html = client.get(TRAIL, query_string={"what": "drop table", "who": "rina"}).get_data(as_text=True)
    assert 'value="rina"' in html


def test_pages_go_back_in_time_by_keyset_without_repeating_a_row(app, people):
    for _ in range(70):
        sessions.audit(people["padang"].id, "sign_in_failed")
    db.session.commit()
    client = signed_in(app, people["national"])
    first = client.get(TRAIL, query_string={"what": "sign_in_failed"}).get_data(as_text=True)
    page = HTMLPage(first)
    assert len(page.find_all("li", class_="account-row")) == 50
    older = page.find("a", rel="next")
    assert older is not None and "before=" in older.get("href") and "what=sign_in_failed" in older.get("href")
    second = client.get(older.get("href")).get_data(as_text=True)
    assert len(rows_of(second)) == 20
    assert HTMLPage(second).find("a", rel="next") is None
    assert "Terbaru" in second


def test_the_csv_download_has_the_filtered_rows_and_a_header_even_when_empty(app, people):
    for _ in range(3):
        sessions.audit(people["lebak"].id, "sign_in_failed")
    db.session.commit()
    client = signed_in(app, people["oversight"])
    response = client.get(TRAIL + ".csv", query_string={"what": "sign_in_failed"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3
    assert {row["account_email"] for row in rows} == {"lukas@lebak.test"}
    assert {row["event"] for row in rows} == {"sign_in_failed"}

    empty = client.get(TRAIL + ".csv", query_string={"who": "tidak-ada-akun-ini"})
    header = empty.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert header[0].startswith("id,created_at_utc,account_email")
    assert len(header) == 1


def test_the_trail_is_in_the_menu_of_those_who_read_it(app, people):
    html = signed_in(app, people["oversight"]).get("/petugas/eskalasi").get_data(as_text=True)
    assert TRAIL in html
    html = signed_in(app, people["padang"]).get("/petugas/kotak-masuk").get_data(as_text=True)
    assert TRAIL not in html
