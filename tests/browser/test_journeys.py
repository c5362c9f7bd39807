"""The journeys of issue 14, tried again as a new user would: in English as well as Indonesian,
with and without JavaScript where the journey differs, on a phone (360x740) and a desktop
(1280x900). Every page state is checked with axe by the ``new_tab`` fixture (tests/browser/axe.py).

The Indonesian phone runs with JavaScript live in the other files (test_reporting.py,
test_file_checks.py, test_officer_inbox.py, test_board.py); these add the other settings.
"""
from __future__ import annotations

import re

import pytest

from tests.browser import helpers as h
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_reporting import _code_works, _file_directly, _link_sent_for

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "desktop": DESKTOP}


def _setting(lang: str, size: str, javascript: bool):
    return pytest.param(lang, size, javascript, id=f"{lang}-{size}-{'js' if javascript else 'no-js'}")


def _open(new_tab, live_server, lang, size, javascript):
    page = new_tab(javascript=javascript, viewport=SIZES[size])
    h.use_language(page, live_server, lang)
    return page, h.translator(live_server, lang)


def _fits(page, size, where):
    if size == "phone":
        h.assert_fits_phone(page, where)


def _heading(page):
    return page.get_by_role("heading", level=1)


# --- (1) a lost code --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, size, javascript", [
    _setting("en", "desktop", True), _setting("en", "phone", False), _setting("id", "desktop", False)])
def test_a_lost_code_is_replaced_and_the_reporter_reads_their_own_text(new_tab, live_server,
                                                                       lang, size, javascript):
    page, t = _open(new_tab, live_server, lang, size, javascript)
    reference, old_code = _file_directly(live_server, email="siti@example.org")
    urls = h.record_urls(page)
    page.goto(live_server("/lacak"))
    lost = page.locator("section.lost-code")
    expect(lost.get_by_role("heading", name=t("Kode hilang?"))).to_be_visible()
    lost.get_by_role("link", name=t("Minta kode baru")).click()
    page.wait_for_url("**/lacak/kode-hilang")
    _fits(page, size, "lost-code form")
    # Without an e-mail: said plainly, on the same page.
    expect(page.locator("#tanpa-email")).to_contain_text(t(
        "Maka tidak ada yang dapat memulihkan kode Anda: bukan kami, bukan instansi. Inilah harga "
        "dari laporan yang tidak dapat dihubungkan dengan Anda."))
    page.locator("#reference").fill(reference)
    page.locator("#email").fill("siti@example.org")
    page.get_by_role("button", name=t("Kirim tautan")).click()
    expect(_heading(page)).to_have_text(t("Periksa e-mail Anda"))

    page.goto(_link_sent_for(live_server, reference))
    expect(_heading(page)).to_have_text(t("Buat kode pelacakan baru"))
    page.get_by_role("button", name=t("Buat kode baru")).click()
    expect(_heading(page)).to_have_text(t("Kode pelacakan baru Anda"))
    new_code = page.locator("#tracking-code").inner_text().strip()
    assert h.CODE_RE.match(new_code) and new_code != old_code
    assert not _code_works(live_server, old_code) and _code_works(live_server, new_code)
    _fits(page, size, "new code")
    copy = page.locator(".copy-button")
    if javascript:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.get_by_role("button", name=t("Salin kode")).click()
        expect(page.locator("#copy-status")).to_have_text(t("Kode pelacakan disalin."))
    else:
        expect(copy).to_be_hidden()  # nothing that cannot work: the code is text to select

    # Already in the report: the reporter's own text is there, folded away.
    page.get_by_role("link", name=t("Buka laporan")).click()
    expect(page.locator(".facts")).to_contain_text(reference)
    original = page.locator("details.original")
    expect(original.locator(".original-body")).not_to_be_visible()
    original.locator("summary").click()
    expect(original.locator(".original-body")).to_be_visible()
    _fits(page, size, "tracking page with the original text")
    h.assert_code_never_in(urls + [page.url], new_code)


# --- (2) the answer to a resolution, and leaving ----------------------------------------------------

@pytest.mark.parametrize("lang, size, javascript", [
    _setting("en", "desktop", True), _setting("en", "phone", False), _setting("id", "desktop", False)])
def test_not_yet_with_a_reason_reopens_and_leaving_ends_the_visit(new_tab, live_server,
                                                                  lang, size, javascript):
    page, t = _open(new_tab, live_server, lang, size, javascript)
    _reference, code = _file_directly(live_server, "resolved")
    page.goto(live_server("/lacak"))
    page.locator("#tracking_code").fill(code)
    page.get_by_role("button", name=t("Buka laporan")).click()
    answer = page.locator("#answer")
    expect(answer.get_by_role("group", name=re.compile(re.escape(t("Apakah masalah Anda sudah selesai?")))
                              )).to_be_visible()
    answer.get_by_label(t("Belum, masalah saya belum selesai")).check()
    reason = answer.get_by_label(t("Apa yang belum selesai?"))
    expect(reason).to_be_visible()
    answer.get_by_role("button", name=t("Kirim jawaban")).click()  # no reason yet
    page.wait_for_load_state("load")
    assert page.title().startswith(t("Kesalahan:") + " ")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(t("Tuliskan apa yang belum selesai."))
    # With JavaScript (terang.js) or without it (autofocus: the form's address has no #fragment,
    # which would make the browser skip autofocus), the summary takes the focus and is shown.
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    _fits(page, size, "answer with an error")

    page.locator("#answer").get_by_label(t("Apa yang belum selesai?")).fill("Jalan masih berlubang.")
    page.locator("#answer").get_by_role("button", name=t("Kirim jawaban")).click()
    expect(page.locator(".notice-success")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Jalan masih berlubang.")
    page.get_by_role("button", name=t("Keluar dari halaman ini")).click()
    expect(page.locator("#tracking_code")).to_be_visible()
    expect(page.locator("#tracking_code")).to_have_value("")


# --- (2, 4, 8) filing: the agency picker, the check page, the receipt ------------------------------

@pytest.mark.parametrize("lang, size, javascript", [
    _setting("en", "desktop", True), _setting("en", "desktop", False), _setting("id", "phone", False),
    _setting("id", "desktop", True)])
def test_the_agency_picker_the_check_page_and_the_receipt(new_tab, live_server, lang, size, javascript):
    page, t = _open(new_tab, live_server, lang, size, javascript)
    page.goto(live_server("/lapor"))
    h.fill_story_by_id(page, h.past_day())
    page.locator("#region").select_option("13.71")  # Kota Padang (the full list, by province)

    # A front-line word: "puskesmas" is the Dinas Kesehatan of the chosen kab/kota, not another's.
    search = page.locator("#agency_q")
    search.fill("puskesmas")
    if javascript:
        expect(page.locator("#agency-field")).to_contain_text("Dinas Kesehatan Kota Padang")
        h.htmx_settled(page)
    else:
        page.get_by_role("button", name=t("Cari instansi")).click()
        assert page.url.endswith("#agency-field")  # back where the reporter was
    expect(page.locator("#agency-field [role=status]")).to_contain_text("Dinas Kesehatan Kota Padang")
    labels = h.option_labels(page, "#agency")  # "Dinas Kesehatan Kota Padang (for puskesmas)"
    assert any(a.startswith("Dinas Kesehatan Kota Padang") for a in labels), labels
    assert not [a for a in labels if a.startswith("Dinas Kesehatan") and "Kota Padang" not in a], labels
    _fits(page, size, "agency picker")

    # Nothing matches: it does not matter, "I don't know" is a fine answer.
    search.fill("zzqx tidak ada")
    if javascript:
        expect(page.locator("#agency-field .notice")).to_be_visible()
        h.htmx_settled(page)
    else:
        page.get_by_role("button", name=t("Cari instansi")).click()
    expect(page.locator("#agency-field .notice")).to_have_text(t(
        "Tidak ada instansi yang cocok. Tidak apa-apa: pilih \"Saya tidak tahu\" dan admin "
        "nasional akan meneruskannya."))

    search.fill("puskesmas")
    if javascript:
        expect(page.locator("#agency option", has_text="Dinas Kesehatan Kota Padang")).to_have_count(1)
        h.htmx_settled(page)
    else:
        page.get_by_role("button", name=t("Cari instansi")).click()
    page.locator("#agency").select_option("dinkes-kota-padang")
    page.locator("#is_anonymous").check()
    page.get_by_role("button", name=t("Kirim laporan")).click()

    # "Anonim" cannot be undone: the answers once more, the focus on the question.
    check = page.get_by_role("heading", name=t("Periksa laporan Anda sebelum dikirim"))
    expect(check).to_be_visible()
    if javascript:
        expect(check).to_be_focused()  # without JavaScript a new page: the reading starts at the top
    expect(page.locator("main")).to_contain_text("Dinas Kesehatan Kota Padang")
    _fits(page, size, "check your answers")
    page.get_by_role("button", name=t("Ya, kirim laporan")).click()

    # The receipt: the code, what happens next (verification date, the agency), the PDF.
    page.wait_for_url("**/lapor/terkirim")
    expect(_heading(page)).to_have_text(t("Laporan Anda sudah kami terima"))
    reference, code = h.read_receipt(page)
    steps = page.locator("#next-title + ol.steps")
    verify_prefix = t("Verifikasi paling lambat %(date)s.", date="@").split("@")[0]
    expect(steps.locator("li").first.locator("strong")).to_contain_text(verify_prefix)
    expect(steps).to_contain_text("Dinas Kesehatan Kota Padang")
    _fits(page, size, "receipt")
    copy = page.locator(".copy-button")
    if javascript:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        copy.click()
        expect(page.locator("#copy-status")).to_have_text(t("Kode pelacakan disalin."))
        assert page.evaluate("navigator.clipboard.readText()") == code
    else:
        expect(copy).to_be_hidden()
    with page.expect_download() as download:
        page.get_by_role("button", name=t("Unduh tanda terima (PDF)")).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"  # the QR code and the address to track are in it
    page.goto(live_server("/lacak"))
    page.locator("#tracking_code").fill(code.lower())
    page.get_by_role("button", name=t("Buka laporan")).click()
    expect(page.locator(".facts")).to_contain_text(reference)


# --- (3) files: refused before sending, and the 413 page ------------------------------------------

@pytest.mark.parametrize("lang, size", [("en", "desktop"), ("id", "phone")])
def test_a_wrong_file_is_refused_before_anything_is_sent(new_tab, live_server, lang, size):
    page, t = _open(new_tab, live_server, lang, size, True)
    page.goto(live_server("/lapor"))
    page.set_input_files("#attachments", files=[
        {"name": "catatan.txt", "mimeType": "text/plain", "buffer": b"bukan gambar"}])
    expect(page.locator("#attachments-check")).to_contain_text(t(
        "%(name)s: jenis berkas tidak diterima. Kirim JPEG, PNG, PDF, atau video MP4 atau WebM.",
        name="catatan.txt"))
    expect(page.locator("#attachments")).to_have_attribute("aria-invalid", "true")
    _fits(page, size, "refused file")


@pytest.mark.parametrize("lang, size", [("en", "desktop"), ("id", "phone")])
def test_too_large_a_submission_without_javascript_leads_back_to_the_form(new_tab, live_server,
                                                                          lang, size):
    page, t = _open(new_tab, live_server, lang, size, False)
    page.goto(live_server("/lapor"))
    h.fill_story_by_id(page, h.past_day())
    page.set_input_files("#attachments", files=[
        {"name": "besar.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * 300_000}])
    config = live_server.app.config
    limit = config["MAX_CONTENT_LENGTH"]
    config["MAX_CONTENT_LENGTH"] = 200_000  # the server's limit, made small for this test
    try:
        with page.expect_response(lambda r: r.url.endswith("/lapor")) as response:
            page.get_by_role("button", name=t("Kirim laporan")).click()
        assert response.value.status == 413
    finally:
        config["MAX_CONTENT_LENGTH"] = limit
    expect(_heading(page)).to_have_text(t("Lampiran terlalu besar"))
    _fits(page, size, "413 page")
    page.get_by_role("link", name=t("Buka formulir laporan")).click()
    page.wait_for_url("**/lapor")
    expect(page.locator("#report-form")).to_be_visible()


# --- (5) errors: the summary takes focus, the title says so, refine buttons come back in place -----

@pytest.mark.parametrize("lang, size, javascript", [
    _setting("en", "desktop", True), _setting("en", "phone", False), _setting("id", "phone", False)])
def test_the_error_summary_takes_focus_and_the_title_says_error(new_tab, live_server,
                                                               lang, size, javascript):
    page, t = _open(new_tab, live_server, lang, size, javascript)
    page.goto(live_server("/lapor"))
    page.get_by_role("button", name=t("Kirim laporan")).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith(t("Kesalahan:") + " ")
    summary.get_by_role("link").first.click()  # "Jenis laporan": a group of radios
    expect(page.locator("#report_type input").first).to_be_focused()
    _fits(page, size, "form with errors")
    if not javascript:  # the refine buttons: the form comes back where the reporter was
        page.locator("#province").select_option("13")
        page.get_by_role("button", name=t("Tampilkan kabupaten/kota")).click()
        assert page.url.endswith("#region-field")
        expect(page.locator("#error-summary")).to_have_count(0)


# --- (6) the officer inbox and resolving, without JavaScript and in English -------------------------

@pytest.mark.parametrize("lang, size, javascript", [
    _setting("id", "phone", False), _setting("en", "desktop", True), _setting("en", "desktop", False)])
def test_an_officer_resolves_after_the_check(new_tab, live_server, lang, size, javascript):
    from tests import factories
    from tests.browser.test_officer_inbox import SUMMARY, _officer_with_a_routed_report

    email, reference = _officer_with_a_routed_report(live_server)
    page, t = _open(new_tab, live_server, lang, size, javascript)
    page.goto(live_server("/petugas/masuk"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(factories.OFFICER_PASSWORD)
    page.get_by_role("button", name=t("Masuk"), exact=True).click()
    page.wait_for_url("**/petugas/kotak-masuk")
    counters = page.get_by_role("navigation", name=t("Ringkasan pekerjaan"))
    expect(counters.locator("li").first).to_be_visible()
    fold = page.locator("details.filter-fold")
    if size == "desktop" and javascript:
        expect(fold).to_have_attribute("open", "")
    _fits(page, size, "officer inbox")
    page.get_by_role("link", name=reference).click()
    page.locator("summary", has_text=t("Nyatakan selesai")).click()
    page.locator("#case").get_by_label(t("Ringkasan penyelesaian")).fill(SUMMARY)
    page.get_by_role("button", name=t("Nyatakan selesai"), exact=True).click()
    heading = page.get_by_role("heading", name=t("Periksa sebelum menyatakan selesai"))
    expect(heading).to_be_visible()
    if javascript:
        expect(heading).to_be_focused()
    expect(page.locator("main")).to_contain_text(SUMMARY)
    _fits(page, size, "resolution check")
    page.get_by_role("button", name=t("Ya, nyatakan selesai")).click()
    expect(page.locator("#case .status").first).to_contain_text(t("Diselesaikan instansi"))
    if javascript:  # announced where the focus goes
        expect(page.locator(".case-status")).to_be_focused()
    expect(page.locator("main")).to_contain_text(t("Tindakan tersimpan."))


# --- (7) the board -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, size, javascript", [
    _setting("en", "desktop", True), _setting("en", "phone", False)])
def test_the_board_in_english(new_tab, live_server, board_data, lang, size, javascript):
    page, t = _open(new_tab, live_server, lang, size, javascript)
    page.goto(live_server("/transparansi/"))
    _fits(page, size, "board home")
    page.goto(live_server(f"/transparansi/instansi/{board_data.agency_slug}"))
    _fits(page, size, "agency page")
    page.goto(live_server(f"/transparansi/laporan/{board_data.reference}"))
    _fits(page, size, "public report")
    page.goto(live_server("/transparansi/laporan"))
    page.locator("#agency_q").fill("lebak")
    if javascript:
        expect(page.locator("#agency option", has_text="Pemerintah Kabupaten Lebak")).to_have_count(1)
        h.htmx_settled(page)
    else:
        page.get_by_role("button", name=t("Cari instansi")).click()
    page.locator("#agency").select_option(label="Pemerintah Kabupaten Lebak")
    if not javascript:
        page.get_by_role("button", name=t("Terapkan")).click()
    expect(page.locator("#report-rows")).to_contain_text("Sekolah dasar di Rangkasbitung")
    expect(page.locator("html")).to_have_attribute("lang", lang)
