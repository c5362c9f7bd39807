"""The trust pages: the privacy notice (UU PDP), the accessibility statement, the service status
page and line; and the reporter erasing their contact details from the tracking page."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import OutboxMessage, Report, ReporterContact
from app.services import service_status
from tests import factories
from tests.factories import HTMLPage, csrf_from

pytestmark = pytest.mark.usefixtures("fresh_g")


# --- the privacy notice and the accessibility statement -----------------------------------------

def test_the_privacy_notice_states_the_periods_the_code_applies(app, client, db_session):
    app.config["OUTBOX_RETENTION_DAYS"] = 45
    response = client.get("/privasi")
    assert response.status_code == 200 and "no-store" not in response.headers.get("Cache-Control", "")
    html = response.get_data(as_text=True)
    page = HTMLPage(html)
    assert "UU No. 27 Tahun 2022" in html
    rows = [" ".join(row.text.split()) for row in page.find_all("tr")]
    assert any("E-mail" in row or "e-mail" in row for row in rows)
    assert any("45 hari" in row for row in rows)          # OUTBOX_RETENTION_DAYS, as configured
    assert any("24 jam" in row for row in rows)           # staged uploads and idempotency records
    assert any("60 menit" in row for row in rows)         # a recovery link
    assert app.config["PRIVACY_CONTACT"] in html
    assert "Hapus data kontak saya" in html               # how to have it erased


def test_the_accessibility_statement_and_the_footer_links(client, db_session):
    html = client.get("/aksesibilitas").get_data(as_text=True)
    assert "360 piksel" in html and "tanpa JavaScript" in html
    footer = client.get("/").get_data(as_text=True)
    for path in ("/privasi", "/aksesibilitas", "/status"):
        assert f'href="{path}"' in footer


def test_the_trust_pages_speak_english(client, db_session):
    from tests.web.test_i18n import assert_english, switch_language

    assert switch_language(client, "en", "/").status_code == 303
    for path in ("/privasi", "/aksesibilitas", "/status"):
        assert_english(client.get(path).get_data(as_text=True), path)
    assert "Privacy notice" in client.get("/privasi").get_data(as_text=True)


# --- the service status ------------------------------------------------------------------------------

def test_a_fresh_install_says_never_and_shows_no_line(client, db_session):
    html = client.get("/status").get_data(as_text=True)
    assert "Belum ada pembaruan statistik yang tercatat." in html
    assert "belum tercatat" in html
    assert 'class="status-line"' not in client.get("/").get_data(as_text=True)


def test_statistics_behind_show_on_every_page_until_a_refresh(app, client, db_session, frozen_clock):
    service_status.record_run(service_status.STATS_REFRESH, clock.now())
    db.session.commit()
    assert 'class="status-line"' not in client.get("/").get_data(as_text=True)
    frozen_clock.shift(timedelta(minutes=app.config["STATS_STALE_MINUTES"] + 1))
    for path in ("/", "/lapor", "/transparansi/"):
        page = HTMLPage(client.get(path).get_data(as_text=True))
        line = page.find("div", class_="status-line")
        assert line is not None and line.get("role") == "status", path
        assert "Statistik di papan transparansi terakhir diperbarui" in line.text
    status_page = client.get("/status").get_data(as_text=True)
    assert "Tertunda" in status_page
    service_status.record_run(service_status.STATS_REFRESH, clock.now())
    db.session.commit()
    assert 'class="status-line"' not in client.get("/").get_data(as_text=True)


def test_mail_due_long_ago_and_unsent_shows_the_line(app, client, db_session, frozen_clock):
    now = clock.now()
    db.session.add(OutboxMessage(recipient="warga@contoh.test", subject="s", body="b",
                                 created_at=now, next_attempt_at=now))
    db.session.add(OutboxMessage(recipient="lain@contoh.test", subject="s", body="b", created_at=now,
                                 next_attempt_at=now - timedelta(hours=5), failed_at=now))  # given up
    db.session.commit()
    assert 'class="status-line"' not in client.get("/").get_data(as_text=True)
    frozen_clock.shift(timedelta(minutes=app.config["MAIL_STALE_MINUTES"] + 1))
    line = HTMLPage(client.get("/").get_data(as_text=True)).find("div", class_="status-line")
    assert line is not None and "e-mail" in line.text
    assert "1 e-mail menunggu dikirim" in client.get("/status").get_data(as_text=True)


def test_the_scheduled_commands_record_their_runs(app, db_session):
    runner = app.test_cli_runner()
    for args in (["stats", "refresh"], ["outbox", "deliver"], ["lifecycle", "tick"]):
        assert runner.invoke(args=args).exit_code == 0, args
    status = service_status.read(clock.now())
    assert set(status.last_runs) == set(service_status.JOBS)
    assert not status.stats_behind


# --- erasing the contact details ----------------------------------------------------------------------

def _tracked(app, receipt):
    reporter = app.test_client()
    token = csrf_from(reporter.get("/lacak").get_data(as_text=True))
    assert reporter.post("/lacak", data={"csrf_token": token,
                                         "tracking_code": receipt.tracking_code}).status_code == 303
    return reporter


def test_a_reporter_erases_their_contact_details_for_good(app, db_session):
    receipt = factories.file_report(reporter_name="Siti Aminah", reporter_email="siti@contoh.id",
                                    reporter_phone="081234567890")
    report = db.session.get(Report, receipt.report_id)
    now = clock.now()
    db.session.add(OutboxMessage(report_id=report.id, recipient="siti@contoh.id", subject="Kabar",
                                 body="Laporan Anda diteruskan.", created_at=now, next_attempt_at=now))
    db.session.add(OutboxMessage(report_id=report.id, recipient="petugas@dinkes.test", subject="Baru",
                                 body="Laporan baru.", created_at=now, next_attempt_at=now))
    db.session.commit()
    reporter = _tracked(app, receipt)
    page = reporter.get("/lacak").get_data(as_text=True)
    assert "Hapus data kontak saya" in page and "alamat e-mail" in page
    assert "siti@contoh.id" not in page and "Siti Aminah" not in page  # which details, not their values
    token = csrf_from(page)

    refused = reporter.post("/lacak/hapus-kontak", data={"csrf_token": token})
    assert refused.status_code == 422
    summary = HTMLPage(refused.get_data(as_text=True)).by_id("error-summary")
    assert summary is not None and "Centang dulu" in summary.text
    assert db.session.scalar(select(ReporterContact).where(ReporterContact.report_id == report.id))

    done = reporter.post("/lacak/hapus-kontak", data={"csrf_token": token, "confirm": "y"})
    assert done.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(ReporterContact).where(ReporterContact.report_id == report.id)) is None
    messages = {m.subject: m for m in db.session.scalars(select(OutboxMessage))}
    assert "Kabar" not in messages  # blanked, and given up: never sent to the address taken back
    blanked = [m for m in messages.values() if m.recipient == "[dihapus]"]
    assert len(blanked) == 1 and blanked[0].failed_at is not None and blanked[0].sent_at is None
    assert messages["Baru"].recipient == "petugas@dinkes.test"  # the officer's mail is not theirs
    after = reporter.get("/lacak").get_data(as_text=True)
    assert "Hapus data kontak saya" not in after and "Data kontak Anda sudah dihapus" in after
    assert report.reference in after  # the report goes on


def test_without_contact_details_there_is_nothing_to_erase(app, db_session):
    receipt = factories.file_report()
    page = _tracked(app, receipt).get("/lacak").get_data(as_text=True)
    assert "Hapus data kontak saya" not in page
