"""/lacak: the reporter opens a report with the code (never in a URL), follows it and adds to it."""
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Report, ReportEvent
from app import clock
from app.services import workflow
from tests import factories
from tests.factories import HTMLPage, upload

# Each request gets its own flask.g (see conftest.fresh_g), so header checks mean something.
pytestmark = pytest.mark.usefixtures("fresh_g")

ADMIN = workflow.Actor(kind="officer", role="national_admin")


def file_now(**overrides):
    """File a report now (the views use the real clock) and return its receipt."""
    overrides.setdefault("incident_date", clock.today() - timedelta(days=1))
    return factories.file_report(now=clock.now() - timedelta(minutes=5), **overrides)


@pytest.fixture
def filed(db_session):
    return file_now()


@pytest.fixture
def open_report(client, csrf):
    """Type a code into /lacak as the reporter would; return the POST response."""
    def _open(code):
        return client.post("/lacak", data={"csrf_token": csrf("/lacak"), "tracking_code": code})
    return _open


def code_forms(code: str) -> set[str]:
    bare = code.replace("-", "")
    return {code, bare, code.lower(), bare.lower()}


def page_urls(html: str) -> list[str]:
    page = HTMLPage(html)
    return [e.get(a) for e in page.elements for a in ("href", "action", "src", "hx-get", "hx-post")
            if e.get(a)]


def tracked_page(client) -> HTMLPage:
    response = client.get("/lacak")
    assert response.status_code == 200
    return HTMLPage(response.get_data(as_text=True))


def csrf_on(response) -> str:
    return HTMLPage(response.get_data(as_text=True)).find("input", name="csrf_token").get("value")


def event_count(report_id) -> int:
    return db.session.scalar(select(func.count()).select_from(ReportEvent).where(
        ReportEvent.report_id == report_id))


@pytest.mark.parametrize("typed", [
    lambda c: c,
    lambda c: c.lower(),
    lambda c: c.replace("-", ""),
    lambda c: c.replace("-", "").lower(),
    lambda c: " " + c.replace("-", " ") + " ",
    lambda c: c.replace("0", "o").replace("1", "l"),
], ids=["as-printed", "lower-case", "no-dashes", "lower-no-dashes", "spaces", "confusables"])
def test_a_valid_code_opens_the_report(client, filed, open_report, typed):
    response = open_report(typed(filed.tracking_code))
    assert response.status_code == 303
    assert response.location.endswith("/lacak")
    for form in code_forms(filed.tracking_code):
        assert form not in response.location

    page = tracked_page(client)
    text = page.by_id("main").text
    assert filed.reference in text
    assert "Menunggu verifikasi" in text                 # the status
    assert "Laporan dikirim" in text                     # the first timeline entry
    assert "hari kerja" in page.find("section", class_="deadline").text
    assert "Verifikasi oleh admin nasional" in text      # which clock applies
    timeline = page.find("ol", class_="timeline")
    assert len([li for li in page.within(timeline, "li") if li.parent is timeline]) == 1


def test_the_code_is_never_in_a_url(client, filed, open_report):
    response = open_report(filed.tracking_code)
    urls = [response.location] + page_urls(client.get("/lacak").get_data(as_text=True))
    assert len(urls) > 3
    for url in urls:
        for form in code_forms(filed.tracking_code):
            assert form not in url


def test_the_code_is_not_shown_back_on_the_report_page(client, filed, open_report):
    open_report(filed.tracking_code)
    html = client.get("/lacak").get_data(as_text=True)
    for form in code_forms(filed.tracking_code):
        assert form not in html


@pytest.mark.parametrize("typed", ["K7QM-2XPA-9TRD-WB4N", "LPR-2026-0000001", "1234", "x" * 39])
def test_a_wrong_code_is_refused_with_a_message_and_kept(client, filed, open_report, typed):
    response = open_report(typed)
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert "Kode tidak ditemukan" in page.by_id("tracking_code-error").text
    assert page.by_id("tracking_code").get("value") == typed
    assert "tracking_code-error" in page.by_id("tracking_code").get("aria-describedby").split()
    # Nothing was opened.
    assert page.find("form", action="/lacak/keluar") is None
    assert client.get("/lacak").get_data(as_text=True).count('name="tracking_code"') == 1


def test_an_empty_code_is_refused(client, open_report):
    response = open_report("")
    assert response.status_code == 422
    assert "Masukkan kode pelacakan" in response.get_data(as_text=True)


def test_a_code_that_is_too_long_is_refused(client, open_report):
    assert open_report("K" * 41).status_code == 422


def test_tracking_needs_csrf(client, filed):
    response = client.post("/lacak", data={"tracking_code": filed.tracking_code})
    assert response.status_code == 400
    assert client.get("/lacak").get_data(as_text=True).count('name="tracking_code"') == 1


def test_the_tracking_pages_are_not_cached(client, filed, open_report):
    assert "no-store" in open_report(filed.tracking_code).headers["Cache-Control"]
    assert "no-store" in client.get("/lacak").headers["Cache-Control"]


def test_add_information_with_a_file_appears_on_the_timeline(client, filed, open_report):
    open_report(filed.tracking_code)
    token = csrf_on(client.get("/lacak"))
    before = event_count(filed.report_id)
    response = factories.post_multipart(client, "/lacak/tambah", {
        "csrf_token": token, "message": "Ini foto lubang yang semakin besar.",
        "attachments": [upload(factories.jpeg_with_gps(), "lubang-baru.jpg", "image/jpeg")]})
    assert response.status_code == 303
    assert response.location.endswith("/lacak")
    assert event_count(filed.report_id) == before + 1

    page = tracked_page(client)
    timeline = page.find("ol", class_="timeline")
    entries = [li for li in page.within(timeline, "li") if li.parent is timeline]
    assert len(entries) == 2
    assert "Ini foto lubang yang semakin besar." in entries[-1].text
    assert "lubang-baru.jpg" in entries[-1].text
    assert "Informasi tambahan Anda sudah kami terima." in page.by_id("main").text
    report = db.session.get(Report, filed.report_id)
    assert [a.original_name for a in report.attachments] == ["lubang-baru.jpg"]
    assert report.attachments[0].event_id == report.events[-1].id
    assert report.status == "submitted"


def test_add_information_needs_a_message_and_keeps_the_file(client, filed, open_report):
    open_report(filed.tracking_code)
    token = csrf_on(client.get("/lacak"))
    before = event_count(filed.report_id)
    response = factories.post_multipart(client, "/lacak/tambah", {
        "csrf_token": token, "message": "",
        "attachments": [upload(factories.small_pdf(), "bukti.pdf", "application/pdf")]})
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert page.by_id("message-error") is not None
    staged = page.find("input", name="staged")
    assert staged is not None and "checked" in staged.attrs
    assert event_count(filed.report_id) == before
    # Sent again with the message and the staged file: both arrive.
    done = factories.post_multipart(client, "/lacak/tambah", {
        "csrf_token": token, "message": "Bukti pembayaran terlampir.", "staged": staged.get("value")})
    assert done.status_code == 303
    report = db.session.get(Report, filed.report_id)
    assert [a.original_name for a in report.attachments] == ["bukti.pdf"]


def test_add_information_refuses_a_mistyped_file(client, filed, open_report):
    open_report(filed.tracking_code)
    token = csrf_on(client.get("/lacak"))
    response = factories.post_multipart(client, "/lacak/tambah", {
        "csrf_token": token, "message": "Lampiran",
        "attachments": [upload(b"MZ\x90\x00" + b"\x00" * 100, "foto.jpg", "image/jpeg")]})
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert "jenis berkas tidak diterima" in page.by_id("attachments-error").text
    assert page.by_id("message").text.strip() == "Lampiran"


def test_add_information_without_an_open_report_goes_back_to_the_code_form(client, filed, csrf):
    before = event_count(filed.report_id)
    response = client.post("/lacak/tambah", data={"csrf_token": csrf("/lacak"), "message": "Halo"})
    assert response.status_code == 303
    assert response.location.endswith("/lacak")
    assert event_count(filed.report_id) == before
    assert "Sesi pelacakan berakhir" in client.get("/lacak").get_data(as_text=True)


@pytest.mark.parametrize("previous, path", [("submitted", ()), ("routed", ("route",))])
def test_adding_information_to_a_report_on_hold_returns_it(client, open_report, db_session,
                                                          previous, path):
    receipt = file_now()
    report = db.session.get(Report, receipt.report_id)
    now = clock.now() - timedelta(minutes=4)
    if path:
        workflow.apply(report, "route", ADMIN, now, workflow.ActionInput(
            agency=factories.agency("dinkes-kota-padang"), resolution_class="ringan"))
    workflow.apply(report, "request_info", ADMIN, now + timedelta(minutes=1),
                   workflow.ActionInput(text="Mohon sebutkan alamat lengkap puskesmas."))
    db.session.commit()
    assert report.status == "on_hold"

    open_report(receipt.tracking_code)
    page = tracked_page(client)
    text = page.by_id("main").text
    assert "Menunggu informasi dari pelapor" in text
    assert "Mohon sebutkan alamat lengkap puskesmas." in text
    assert "Tenggat dihentikan sementara" in text
    token = page.find("input", name="csrf_token").get("value")

    response = factories.post_multipart(client, "/lacak/tambah", {
        "csrf_token": token, "message": "Puskesmas Andalas, Jl. Andalas No. 1."})
    assert response.status_code == 303
    db.session.refresh(report)
    assert report.status == previous
    last = report.events[-1]
    assert (last.action, last.from_status, last.to_status) == ("reporter_reply", "on_hold", previous)
    assert "Tenggat dihentikan sementara" not in tracked_page(client).by_id("main").text


def test_leaving_the_page_forgets_the_report(client, filed, open_report):
    open_report(filed.tracking_code)
    page = tracked_page(client)
    close = page.find("form", action="/lacak/keluar")
    # It says what it does (leave this page, not close the case) and comes after everything else.
    assert close is not None and "Keluar dari halaman ini" in close.text
    assert "Tutup laporan" not in page.by_id("main").text
    main_forms = page.within(page.by_id("main"), "form")
    assert main_forms[-1] is close
    token = page.within(close, "input", name="csrf_token")[0].get("value")
    response = client.post("/lacak/keluar", data={"csrf_token": token})
    assert response.status_code == 303
    after = client.get("/lacak").get_data(as_text=True)
    assert filed.reference not in after
    assert 'name="tracking_code"' in after
    # Adding information no longer works either.
    again = client.post("/lacak/tambah", data={"csrf_token": token, "message": "x"})
    assert again.status_code == 303 and event_count(filed.report_id) == 1


def test_an_open_report_closes_itself_after_a_while(client, filed, open_report, frozen_clock):
    open_report(filed.tracking_code)
    assert filed.reference in client.get("/lacak").get_data(as_text=True)
    frozen_clock.shift(timedelta(minutes=31))
    after = client.get("/lacak").get_data(as_text=True)
    assert filed.reference not in after
    assert 'name="tracking_code"' in after


def test_another_browser_does_not_share_the_opened_report(app, client, filed, open_report):
    open_report(filed.tracking_code)
    other = app.test_client()
    assert filed.reference not in other.get("/lacak").get_data(as_text=True)


@pytest.mark.parametrize("status", ["closed", "archived"])
def test_finished_reports_have_no_add_information_form(client, open_report, db_session, status):
    receipt = file_now()
    finished = factories.advance(db.session.get(Report, receipt.report_id), status,
                                 now=clock.now() - timedelta(minutes=4), step=timedelta(seconds=30))
    db.session.commit()

    open_report(receipt.tracking_code)
    page = tracked_page(client)
    assert page.find("form", action="/lacak/tambah") is None
    assert not page.controls("message")
    assert "Tidak ada tenggat yang berjalan" in page.by_id("main").text
    token = page.find("input", name="csrf_token").get("value")
    before = event_count(finished.id)
    response = client.post("/lacak/tambah", data={"csrf_token": token, "message": "Masih ada?"})
    assert response.status_code == 422
    assert "sudah selesai" in response.get_data(as_text=True)
    assert event_count(finished.id) == before


def test_internal_notes_are_not_on_the_reporters_timeline(client, filed, open_report):
    report = db.session.get(Report, filed.report_id)
    workflow.apply(report, "note", ADMIN, clock.now() - timedelta(minutes=1),
                   workflow.ActionInput(text="CATATAN-INTERNAL: pelapor sering mengeluh."))
    db.session.commit()
    open_report(filed.tracking_code)
    assert "CATATAN-INTERNAL" not in client.get("/lacak").get_data(as_text=True)


def test_the_reporter_can_reread_their_own_report_folded(client, filed, open_report):
    from app.extensions import db
    from app.models import Report

    open_report(filed.tracking_code)
    page = tracked_page(client)
    original = page.find("details", class_="original")
    assert original is not None and original.get("open") is None
    assert "Laporan yang Anda tulis" in page.within(original, "summary")[0].text
    body = db.session.get(Report, filed.report_id).body
    assert page.within(original, "div", class_="original-body")[0].text == body


def test_the_reporter_adds_a_video_later_cleaned_and_checked_on_choice(client, filed, open_report):
    """A video sent from the tracking page goes through the same cleaning as on /lapor, and the
    field carries the video limit for the file check (issue 14)."""
    open_report(filed.tracking_code)
    page = tracked_page(client)
    field = page.find("input", id="attachments")
    assert field.get("data-max-video-bytes") == str(current_app.config["MAX_VIDEO_BYTES"])
    assert page.by_id("attachments-check") is not None
    token = csrf_on(client.get("/lacak"))
    response = factories.post_multipart(client, "/lacak/tambah", {
        "csrf_token": token, "message": "Ini rekaman saat petugas meminta uang.",
        "attachments": [upload(factories.video_with_metadata("webm"), "rekaman.webm", "video/webm")]})
    assert response.status_code == 303
    report = db.session.get(Report, filed.report_id)
    (video,) = report.attachments
    assert video.content_type == "video/webm"
    from app.services import attachments

    data = attachments.read_file(current_app.config["UPLOAD_FOLDER"], video.storage_name)
    assert factories.VIDEO_DEVICE.encode() not in data and b"106.8456" not in data


def test_the_file_field_is_the_same_on_lacak_as_on_lapor(client, filed, open_report):
    """One macro (attachments_field) draws both: the types offered are the ones the attachments
    service reads, and the file check's limits and words are the same; each page its own hint."""
    from app.services import attachments

    lapor = HTMLPage(client.get("/lapor").get_data(as_text=True))
    open_report(filed.tracking_code)
    lacak = tracked_page(client)
    fields = [page.find("input", id="attachments") for page in (lapor, lacak)]
    checked = ("accept", "data-max-bytes", "data-max-files", "data-max-video-bytes", "data-msg-type",
               "data-msg-too-large", "data-msg-video-too-large", "data-msg-count", "data-msg-shrunk")
    assert [fields[0].get(a) for a in checked] == [fields[1].get(a) for a in checked]
    assert set(fields[0].get("accept").split(",")) == set(attachments.ACCEPTED_TYPES)
    for page, field in zip((lapor, lacak), fields):
        assert page.find("label", **{"for": "attachments"}) is not None
        assert field.get("aria-describedby") == "attachments-hint"
        assert page.by_id("attachments-hint") is not None and page.by_id("attachments-check") is not None
