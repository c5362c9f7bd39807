"""A reporter files a report and follows it, in a real Chromium at phone width."""
from __future__ import annotations

import re

import pytest

from tests.browser import helpers as h

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

SUMBAR = "13"


def _sumbar_regencies(live_server) -> list[str]:
    from app.services import regions

    with live_server.app.app_context():
        return [r.name for r in regions.regencies(SUMBAR)]


def _stored(live_server, reference: str) -> dict:
    """What the server saved for ``reference`` (read from the live server's database)."""
    from app.extensions import db
    from app.models import Report

    with live_server.app.app_context():
        report = db.session.scalar(db.select(Report).where(Report.reference == reference))
        stored = {
            "report_type": report.report_type, "title": report.title,
            "region": report.region_code, "is_anonymous": report.is_anonymous,
            "requested_agency": report.requested_agency.slug if report.requested_agency else None,
            "category": report.category.slug if report.category else None,
            "attachments": [a.original_name for a in report.attachments],
        }
        db.session.remove()
    return stored


def _track_and_add_information(page, live_server, reference: str, code: str, shots=None) -> None:
    h.open_tracking(page, live_server, code)
    expect(page.locator(".facts")).to_contain_text(reference)
    expect(page.locator(".deadline")).to_contain_text("hari kerja")
    if shots:
        shots(page, "tracking")
    page.get_by_label("Informasi tambahan").fill("Hari ini puskesmas kembali tutup pukul 10.00.")
    page.get_by_role("button", name="Kirim", exact=True).click()
    expect(page.locator(".notice-success")).to_contain_text("Informasi tambahan Anda sudah kami terima")
    expect(page.locator(".timeline")).to_contain_text("kembali tutup pukul 10.00")


def test_filing_and_tracking_with_javascript(page, live_server, shots):
    urls = h.record_urls(page)
    htmx_requests = []
    page.on("request", lambda r: htmx_requests.append(r) if "hx-request" in r.headers else None)
    page.goto(live_server("/lapor"))
    shots(page, "lapor-top", full_page=False)
    page.evaluate("window.terangSamePage = true")  # gone if the page is ever reloaded

    h.fill_story(page, h.past_day())

    # The province narrows the kab/kota list in place.
    expect(page.locator("#region optgroup").first).to_be_attached()
    page.get_by_label("Provinsi").select_option(label="Sumatera Barat")
    expect(page.locator("#region optgroup")).to_have_count(0)
    h.htmx_settled(page)
    expected = _sumbar_regencies(live_server)
    assert "Kota Padang" in expected
    assert h.option_labels(page, "#region")[1:] == expected
    assert all(v.startswith(SUMBAR + ".") for v in h.option_values(page, "#region")[1:])
    with page.expect_response(lambda r: "/lapor/instansi" in r.url):
        page.get_by_label("Kabupaten/kota").select_option(label="Kota Padang")
    expect(page.locator("#agency")).to_contain_text("Pemerintah Kota Padang")
    h.htmx_settled(page)

    # The agency search updates the select, not the page; the search box keeps what was typed.
    search = page.get_by_label("Cari instansi")
    search.press_sequentially("kesehatan", delay=30)
    expect(page.locator("#agency")).not_to_contain_text("Pemerintah Kota Padang")
    h.htmx_settled(page)
    agencies = h.option_labels(page, "#agency")
    assert "Dinas Kesehatan Kota Padang" in agencies
    assert "Kementerian Kesehatan" in agencies
    expect(search).to_have_value("kesehatan")
    expect(search).to_be_focused()
    page.get_by_label("Instansi tujuan").select_option(label="Dinas Kesehatan Kota Padang")
    assert page.evaluate("window.terangSamePage") is True
    assert {r.url.split("?")[0].removeprefix(live_server.url) for r in htmx_requests} == {
        "/lapor/wilayah", "/lapor/instansi", "/lapor/kecamatan"}

    page.get_by_label("Kategori").select_option(label="Kesehatan")
    page.set_input_files("#attachments", h.png_file())
    page.get_by_label("Anonim").check()
    page.get_by_role("button", name="Kirim laporan").click()
    # "Anonim" cannot be undone: the answers are checked once, the focus on the question.
    check = page.get_by_role("heading", name="Periksa laporan Anda sebelum dikirim")
    expect(check).to_be_focused()
    expect(page.locator("main")).to_contain_text("foto-puskesmas.png")
    h.assert_fits_phone(page, "check your answers")
    shots(page, "report-check")
    page.get_by_role("button", name="Ya, kirim laporan").click()

    page.wait_for_url("**/lapor/terkirim")
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporan Anda sudah kami terima")
    reference, code = h.read_receipt(page)
    shots(page, "receipt")

    page.get_by_role("navigation").get_by_role("link", name="Lacak laporan").click()
    page.wait_for_url("**/lacak")
    _track_and_add_information(page, live_server, reference, code, shots)
    expect(page.locator(".facts")).to_contain_text("Anonim")
    expect(page.locator(".timeline")).to_contain_text("foto-puskesmas.png")

    assert _stored(live_server, reference) == {
        "report_type": "pengaduan", "title": h.TITLE, "region": "13.71", "is_anonymous": True,
        "requested_agency": "dinkes-kota-padang", "category": "kesehatan",
        "attachments": ["foto-puskesmas.png"]}
    assert any("/lapor/instansi?" in u for u in urls)
    h.assert_code_never_in(urls + [page.url], code)


def test_filing_and_tracking_without_javascript(nojs_page, live_server):
    page = nojs_page
    urls = h.record_urls(page)
    page.goto(live_server("/lapor"))
    h.fill_story(page, h.past_day())
    page.set_input_files("#attachments", h.png_file())

    # "Tampilkan kabupaten/kota": the form comes back with the province's kab/kota only.
    page.get_by_label("Provinsi").select_option(label="Sumatera Barat")
    page.get_by_role("button", name="Tampilkan kabupaten/kota").click()
    expect(page.locator("#region optgroup")).to_have_count(0)
    assert h.option_labels(page, "#region")[1:] == _sumbar_regencies(live_server)
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.get_by_label("Judul laporan")).to_have_value(h.TITLE)
    expect(page.get_by_label("Isi laporan")).to_have_value(h.BODY)
    expect(page.get_by_role("radio", name=re.compile(r"^Pengaduan"))).to_be_checked()
    expect(page.get_by_label("foto-puskesmas.png")).to_be_checked()  # staged, not lost

    # "Cari instansi": the agency list for the search words and the chosen kab/kota.
    page.get_by_label("Kabupaten/kota").select_option(label="Kota Padang")
    page.get_by_label("Cari instansi").fill("kesehatan")
    page.get_by_role("button", name="Cari instansi").click()
    agencies = h.option_labels(page, "#agency")
    assert "Dinas Kesehatan Kota Padang" in agencies
    assert "Pemerintah Kota Padang" not in agencies
    expect(page.get_by_label("Kabupaten/kota")).to_have_value("13.71")
    page.get_by_label("Instansi tujuan").select_option(label="Dinas Kesehatan Kota Padang")
    page.get_by_label("Anonim").check()
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("button", name="Ya, kirim laporan").click()  # the check page, without JS too

    page.wait_for_url("**/lapor/terkirim")
    reference, code = h.read_receipt(page)
    _track_and_add_information(page, live_server, reference, code)
    expect(page.locator(".timeline")).to_contain_text("foto-puskesmas.png")
    assert _stored(live_server, reference) == {
        "report_type": "pengaduan", "title": h.TITLE, "region": "13.71", "is_anonymous": True,
        "requested_agency": "dinkes-kota-padang", "category": None,
        "attachments": ["foto-puskesmas.png"]}
    h.assert_code_never_in(urls + [page.url], code)


def test_invalid_submission_keeps_everything_and_explains_the_error(page, live_server, shots):
    page.goto(live_server("/lapor"))
    h.fill_story(page, h.future_day())
    page.get_by_label("Provinsi").select_option(label="Sumatera Barat")
    expect(page.locator("#region optgroup")).to_have_count(0)
    h.htmx_settled(page)
    with page.expect_response(lambda r: "/lapor/instansi" in r.url):
        page.get_by_label("Kabupaten/kota").select_option(label="Kota Padang")
    h.htmx_settled(page)
    page.get_by_label("Instansi tujuan").select_option(label="Dinas Kesehatan Kota Padang")
    page.get_by_label("Kategori").select_option(label="Kesehatan")
    page.set_input_files("#attachments", h.png_file())
    page.get_by_label("Anonim").check()
    page.get_by_label("Nama").fill("Siti Rahmawati")
    page.get_by_label("E-mail").fill("siti@example.org")
    with page.expect_response(lambda r: r.url.endswith("/lapor")) as submitted:
        page.get_by_role("button", name="Kirim laporan").click()
    assert submitted.value.status == 422

    message = "Tanggal kejadian tidak boleh di masa depan."
    expect(page.locator(".error-summary")).to_contain_text(message)
    shots(page, "lapor-error")

    # Every typed value is still there, and the file is staged (no need to choose it again).
    expect(page.get_by_role("radio", name=re.compile(r"^Pengaduan"))).to_be_checked()
    expect(page.get_by_label("Judul laporan")).to_have_value(h.TITLE)
    expect(page.get_by_label("Isi laporan")).to_have_value(h.BODY)
    expect(page.get_by_label("Tanggal kejadian")).to_have_value(h.future_day())
    expect(page.get_by_label("Provinsi")).to_have_value(SUMBAR)
    expect(page.get_by_label("Kabupaten/kota")).to_have_value("13.71")
    expect(page.get_by_label("Instansi tujuan")).to_have_value("dinkes-kota-padang")
    expect(page.get_by_label("Kategori")).to_have_value("kesehatan")
    expect(page.get_by_label("Anonim")).to_be_checked()
    expect(page.get_by_label("Nama")).to_have_value("Siti Rahmawati")
    expect(page.get_by_label("E-mail")).to_have_value("siti@example.org")
    staged = page.locator("#attachments-group .staged")
    expect(staged).to_contain_text("Lampiran yang sudah diterima")
    expect(staged.get_by_label(re.compile(r"^foto-puskesmas\.png"))).to_be_checked()

    # Every control has a label; the error is tied to its field.
    assert page.evaluate(h.UNLABELLED_CONTROLS_JS) == []
    date_input = page.get_by_label("Tanggal kejadian")
    expect(date_input).to_have_attribute("aria-invalid", "true")
    described = page.evaluate("""() => {
        const el = document.getElementById('incident_date');
        return (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
            .map(id => { const d = document.getElementById(id); return d ? d.textContent : null; });
    }""")
    assert None not in described
    assert any(message in text for text in described)
    # The summary link takes the user to the field.
    page.locator(".error-summary").get_by_role("link", name=re.compile("Tanggal kejadian")).click()
    expect(date_input).to_be_focused()

    # Correcting the date is enough: the staged file goes with the report.
    date_input.fill(h.past_day())
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("button", name="Ya, kirim laporan").click()  # "Anonim": checked once
    page.wait_for_url("**/lapor/terkirim")
    reference, code = h.read_receipt(page)
    h.open_tracking(page, live_server, code)
    expect(page.locator(".facts")).to_contain_text(reference)
    expect(page.locator(".timeline")).to_contain_text("foto-puskesmas.png")


def test_tracking_code_not_found_is_explained(page, live_server):
    page.goto(live_server("/lacak"))
    page.get_by_label("Kode pelacakan").fill("ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    page.get_by_role("button", name="Buka laporan").click()
    expect(page.locator(".error-summary")).to_contain_text("Kode tidak ditemukan")
    expect(page.get_by_label("Kode pelacakan")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate(h.UNLABELLED_CONTROLS_JS) == []
    assert "zzzz" not in page.url.lower()


def test_enter_in_the_agency_search_does_not_file_the_report(page, live_server):
    page.goto(live_server("/lapor"))
    h.fill_story(page, h.past_day())
    page.locator("#region").select_option("13.71")
    h.htmx_settled(page)
    # Record which button a submission would use, and stop it (the submit event is synchronous).
    page.evaluate("""() => document.querySelector('form[enctype]').addEventListener('submit', e => {
        window.terangSubmitter = e.submitter ? (e.submitter.value || e.submitter.textContent.trim())
                                             : 'no button';
        e.preventDefault();
    })""")
    search = page.get_by_label("Cari instansi")
    search.fill("kesehatan")
    search.press("Enter")
    assert page.evaluate("window.terangSubmitter || null") in (None, "refine")


def test_switching_to_english_mid_form_keeps_what_was_typed(page, live_server):
    """The header's language switch on /lapor carries the half-filled form along."""
    page.goto(live_server("/lapor"))
    h.fill_story(page, h.past_day())
    page.locator("#region").select_option("13.71")
    page.locator("#attachments").set_input_files([h.png_file()])
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("File a report")
    expect(page.locator("#title")).to_have_value(h.TITLE)
    expect(page.locator("#body")).to_have_value(h.BODY)
    expect(page.locator("#region")).to_have_value("13.71")
    expect(page.locator("form#report-form")).to_contain_text("foto-puskesmas.png")
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)
    page.get_by_role("button", name="Bahasa Indonesia").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("#title")).to_have_value(h.TITLE)


# --- a lost code, and the answer to a resolution (issue 14) ---------------------------------------

def _file_directly(live_server, status: str = "submitted", email: str | None = None):
    """A report filed through the intake service (and walked to ``status``): (reference, code)."""
    from datetime import timedelta

    from app import clock
    from app.extensions import db
    from app.models import Report
    from tests import factories

    with live_server.app.app_context():
        receipt = factories.file_report(now=clock.now() - timedelta(days=1), reporter_email=email,
                                        reporter_name="Siti" if email else None)
        report = db.session.get(Report, receipt.report_id)
        if status != "submitted":
            factories.advance(report, status, clock.now() - timedelta(hours=12))
        db.session.commit()
        db.session.remove()
    return receipt.reference, receipt.tracking_code


def _link_sent_for(live_server, reference: str) -> str:
    from app.extensions import db
    from app.models import OutboxMessage, Report

    with live_server.app.app_context():
        report = db.session.scalar(db.select(Report).where(Report.reference == reference))
        body = db.session.scalars(db.select(OutboxMessage).where(
            OutboxMessage.report_id == report.id).order_by(OutboxMessage.id.desc())).first().body
        base = live_server.app.config["PUBLIC_BASE_URL"].rstrip("/")
        db.session.remove()
    link = re.search(r"\S+/lacak/kode-baru\?token=\S+", body).group(0)
    return live_server.url + link.removeprefix(base)


def _code_works(live_server, code: str) -> bool:
    from app.extensions import db
    from app.services import reporter

    with live_server.app.app_context():
        found = reporter.find_by_code(code, live_server.app.config["SECRET_KEY"]) is not None
        db.session.remove()
    return found


def test_a_lost_code_is_replaced_through_a_link_by_email(page, live_server, shots):
    reference, old_code = _file_directly(live_server, email="siti@example.org")
    urls = h.record_urls(page)
    page.goto(live_server("/lacak"))
    page.get_by_role("link", name="Minta kode baru").click()
    page.wait_for_url("**/lacak/kode-hilang")
    h.assert_fits_phone(page, "lost-code form")
    page.get_by_role("textbox", name="Nomor laporan (wajib)").fill(reference)
    page.get_by_label("E-mail yang Anda tulis di laporan").fill("siti@example.org")
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Periksa e-mail Anda")
    shots(page, "lost-code-sent")

    page.goto(_link_sent_for(live_server, reference))
    expect(page.get_by_role("heading", level=1)).to_have_text("Buat kode pelacakan baru")
    assert _code_works(live_server, old_code)  # opening the link changes nothing yet
    page.get_by_role("button", name="Buat kode baru").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kode pelacakan baru Anda")
    new_code = page.locator("#tracking-code").inner_text().strip()
    assert h.CODE_RE.match(new_code) and new_code != old_code
    h.assert_fits_phone(page, "new code")
    # The copy button appears with JavaScript and says what it did.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Salin kode").click()
    expect(page.locator("#copy-status")).to_have_text("Kode pelacakan disalin.")
    assert not _code_works(live_server, old_code) and _code_works(live_server, new_code)

    # The browser is already in the report; the reporter can re-read what they wrote.
    page.get_by_role("link", name="Buka laporan").click()
    expect(page.locator(".facts")).to_contain_text(reference)
    original = page.locator("details.original")
    expect(original.locator(".original-body")).not_to_be_visible()
    original.locator("summary").click()
    expect(original.locator(".original-body")).to_be_visible()
    h.assert_code_never_in(urls + [page.url], new_code)
    h.assert_code_never_in(urls, old_code)


def test_without_an_email_the_lost_code_page_says_plainly_what_is_left(nojs_page, live_server):
    page = nojs_page
    page.goto(live_server("/lacak"))
    page.get_by_role("link", name="Apa yang masih bisa Anda lakukan").click()
    section = page.locator("#tanpa-email")
    expect(section).to_contain_text("tidak ada yang dapat memulihkan kode Anda")
    section.get_by_label("Cari nomor laporan").fill("LPR-2026-0000001")
    section.get_by_role("button", name="Cari di papan transparansi").click()
    page.wait_for_url("**/transparansi/laporan?q=LPR-2026-0000001")
    h.assert_fits_phone(page, "board search by reference")


def test_the_answer_to_a_resolution_is_one_question(page, live_server, shots):
    _reference, code = _file_directly(live_server, "resolved")
    h.open_tracking(page, live_server, code)
    answer = page.locator("#answer")
    expect(answer.get_by_role("group", name=re.compile("Apakah masalah Anda sudah selesai?"))).to_be_visible()
    reason = answer.get_by_label("Apa yang belum selesai?")
    expect(reason).to_be_hidden()  # with JavaScript it appears with "Belum"
    answer.get_by_label("Belum, masalah saya belum selesai").check()
    expect(reason).to_be_visible()
    h.assert_fits_phone(page, "answer with reason")
    shots(page, "tracking-answer")

    # Belum without a reason: the summary takes focus, the title says so, the page stays there.
    answer.get_by_role("button", name="Kirim jawaban").click()
    page.wait_for_load_state("load")
    assert "#" not in page.url  # a fragment would make the browser skip the summary's autofocus
    assert page.title().startswith("Kesalahan: ")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_contain_text("Tuliskan apa yang belum selesai.")
    h.assert_fits_phone(page, "answer with an error")

    page.locator("#answer").get_by_label("Apa yang belum selesai?").fill("Jalan masih berlubang.")
    page.locator("#answer").get_by_role("button", name="Kirim jawaban").click()
    expect(page.locator(".notice-success")).to_contain_text("Laporan dibuka kembali")
    expect(page.locator(".timeline")).to_contain_text("Jalan masih berlubang.")

    # Leaving is the last thing on the page, and says what it does.
    leave = page.get_by_role("button", name="Keluar dari halaman ini")
    assert page.evaluate("""() => {
        const forms = [...document.querySelectorAll('main form')];
        return forms[forms.length - 1].querySelector('button').textContent.trim();
    }""") == "Keluar dari halaman ini"
    leave.click()
    expect(page.get_by_label("Kode pelacakan")).to_be_visible()


def test_the_answer_works_without_javascript(nojs_page, live_server):
    page = nojs_page
    reference, code = _file_directly(live_server, "resolved")
    h.open_tracking(page, live_server, code)
    answer = page.locator("#answer")
    expect(answer.get_by_label("Apa yang belum selesai?")).to_be_visible()  # always there
    answer.get_by_label("Ya, masalah saya sudah selesai").check()
    answer.get_by_role("button", name="Kirim jawaban").click()
    expect(page.locator(".notice-success")).to_contain_text("laporan ini ditutup")
    expect(page.locator("form.decision")).to_have_count(0)
    h.assert_fits_phone(page, "closed report")
