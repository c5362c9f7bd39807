"""/lapor: the form works without JavaScript, keeps everything on an error, and files the report."""
from datetime import timedelta

import io

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Report, StagedUpload
from app import clock
from app.services import reporter
from tests import factories
from tests.factories import HTMLPage, upload

# Each request gets its own flask.g (see conftest.fresh_g), so header checks mean something.
pytestmark = pytest.mark.usefixtures("fresh_g")

CONTRACT_FIELDS = ("report_type", "title", "body", "incident_date", "region", "agency", "category",
                   "is_anonymous", "is_confidential", "reporter_name", "reporter_email",
                   "reporter_phone", "attachments", "csrf_token")
TEN_MB = 10 * 1024 * 1024
MULTILINE_BODY = ("Sejak dua minggu lalu ada lubang besar di depan sekolah.\r\n"
                  "Sudah dua anak jatuh dari sepeda.\r\n\r\n"
                  "Mohon segera diperbaiki <sebelum musim hujan> & diberi tanda.")


def tomorrow_iso() -> str:
    return (clock.today() + timedelta(days=1)).isoformat()


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


@pytest.fixture
def post_report(client, csrf):
    """POST /lapor as a browser would (multipart, with the CSRF token unless told otherwise)."""
    def _post(files=None, with_csrf=True, **fields):
        data = factories.form_data(**fields)
        data = {k: v for k, v in data.items() if v is not None}
        if data.get("is_anonymous") or data.get("is_confidential"):
            data.setdefault("confirm_flags", "y")  # the check page before sending: tested apart
        if with_csrf:
            data["csrf_token"] = csrf()
        if files is not None:
            data["attachments"] = files
        return factories.post_multipart(client, "/lapor", data)
    return _post


def _receipt(client) -> tuple[str, str]:
    page = HTMLPage(client.get("/lapor/terkirim").get_data(as_text=True))
    return page.by_id("reference").text.strip(), page.by_id("tracking-code").text.strip()


def test_the_same_form_sent_twice_files_one_report_and_shows_the_first_receipt(app, client, post_report):
    """A connection lost after the report was saved, a double click, a reload that resends:
    the form's submission id makes the second sending give back the first receipt."""
    form_page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    submission_id = form_page.find("input", name="submission_id").get("value")
    assert submission_id and len(submission_id) >= 16
    other = HTMLPage(app.test_client().get("/lapor").get_data(as_text=True))
    assert other.find("input", name="submission_id").get("value") != submission_id  # one per form

    before = report_count()
    assert post_report(submission_id=submission_id).status_code == 303
    first = _receipt(client)
    assert post_report(submission_id=submission_id).status_code == 303
    assert _receipt(client) == first
    assert report_count() == before + 1
    code_works = reporter.find_by_code(first[1], current_app.config["SECRET_KEY"])
    assert code_works is not None and code_works.reference == first[0]

    # The form changed since (Back, edit, send): a new report, with its own receipt.
    assert post_report(submission_id=submission_id, title="Jalan berlubang kedua di depan SDN 3").status_code == 303
    assert report_count() == before + 2 and _receipt(client)[0] != first[0]


def test_a_refused_sending_keeps_the_form_free_to_be_sent_when_corrected(client, post_report):
    submission_id = "f" * 22
    refused = post_report(submission_id=submission_id, title="")
    assert refused.status_code == 422
    assert HTMLPage(refused.get_data(as_text=True)).find("input", name="submission_id").get("value") == submission_id
    before = report_count()
    assert post_report(submission_id=submission_id).status_code == 303
    assert report_count() == before + 1


def test_a_form_without_a_submission_id_still_files(client, post_report):
    before = report_count()
    assert post_report().status_code == 303 and post_report().status_code == 303
    assert report_count() == before + 2  # no id: nothing to recognise a resend by


def field_value(page: HTMLPage, name: str):
    """What the browser would show in the control named ``name``."""
    controls = page.controls(name)
    assert controls, f"no control named {name}"
    control = controls[0]
    if control.tag == "textarea":
        return control.text[1:] if control.text.startswith("\n") else (
            control.text[2:] if control.text.startswith("\r\n") else control.text)
    if control.tag == "select":
        chosen = [o.get("value") for o in page.within(control, "option") if "selected" in o.attrs]
        return chosen[0] if chosen else None
    if control.get("type") in ("checkbox", "radio"):
        return [c.get("value") for c in controls if "checked" in c.attrs]
    return control.get("value")


def options_of(page: HTMLPage, select_id: str) -> list[str]:
    select_el = page.by_id(select_id)
    return [o.get("value") for o in page.within(select_el, "option")]


# --- the empty form -----------------------------------------------------------------------------

def test_every_contract_field_is_there_with_a_label(client):
    response = client.get("/lapor")
    assert response.status_code == 200
    page = HTMLPage(response.get_data(as_text=True))
    form = page.find("form", action="/lapor")
    assert form is not None and form.get("method") == "post"
    assert form.get("enctype") == "multipart/form-data"
    labels = {label.get("for") for label in page.find_all("label")}
    for name in CONTRACT_FIELDS:
        controls = [c for c in page.controls(name) if c in page.within(form)]
        assert controls, f"the form has no field named {name}"
        if name == "csrf_token":
            assert controls[0].get("type") == "hidden" and controls[0].get("value")
            continue
        for control in controls:
            assert control.get("id") in labels, f"{name} (#{control.get('id')}) has no <label for>"


@pytest.mark.parametrize("name, value", [
    ("report_type", "pengaduan"), ("report_type", "aspirasi"), ("report_type", "informasi"),
    ("is_anonymous", "y"), ("is_confidential", "y"),
])
def test_choice_values_follow_the_contract(client, name, value):
    page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    assert value in [c.get("value") for c in page.controls(name)]


def test_attachments_accept_several_files(client):
    page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    control = page.controls("attachments")[0]
    assert control.get("type") == "file" and "multiple" in control.attrs


def test_agency_can_be_left_to_the_national_admin(client):
    page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    first = options_of(page, "agency")[0]
    assert first == ""
    assert "Saya tidak tahu" in page.by_id("agency").text


# --- a valid report -----------------------------------------------------------------------------

def test_valid_report_redirects_to_the_receipt(client, post_report):
    before = report_count()
    response = post_report()
    assert response.status_code == 303
    assert response.location.endswith("/lapor/terkirim")
    assert report_count() == before + 1

    receipt = client.get("/lapor/terkirim")
    page = HTMLPage(receipt.get_data(as_text=True))
    reference = page.by_id("reference").text.strip()
    code = page.by_id("tracking-code").text.strip()
    assert reference.startswith("LPR-")
    report = reporter.find_by_code(code, current_app.config["SECRET_KEY"])
    assert report is not None and report.reference == reference
    assert code not in response.location and code.replace("-", "") not in response.location
    assert report.title == factories.form_data()["title"]
    assert report.requested_agency.slug == "pemkot-padang"
    assert report.category.slug == "infrastruktur"
    assert report.region_code == factories.PADANG


@pytest.mark.parametrize("extra, anonymous, confidential", [
    ({}, False, False),
    ({"is_anonymous": "y"}, True, False),
    ({"is_confidential": "y"}, False, True),
    ({"is_anonymous": "y", "is_confidential": "y"}, True, True),
])
def test_privacy_checkboxes_are_honoured(client, post_report, extra, anonymous, confidential):
    assert post_report(**extra).status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert (report.is_anonymous, report.is_confidential) == (anonymous, confidential)


def test_dont_know_agency_and_no_category(client, post_report):
    assert post_report(agency="", category="").status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert report.requested_agency_id is None and report.category_id is None


def test_contact_fields_are_stored(client, post_report):
    response = post_report(reporter_name="Budi Santoso", reporter_email="budi@example.com",
                           reporter_phone="0812-3456-7890")
    assert response.status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert (report.contact.name, report.contact.email, report.contact.phone) == (
        "Budi Santoso", "budi@example.com", "+6281234567890")


def test_valid_report_with_attachments(client, post_report):
    response = post_report(files=[upload(factories.jpeg_with_gps(), "jalan.jpg", "image/jpeg"),
                                  upload(factories.small_pdf(), "surat.pdf", "application/pdf")])
    assert response.status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert sorted(a.original_name for a in report.attachments) == ["jalan.jpg", "surat.pdf"]
    assert db.session.scalar(select(func.count()).select_from(StagedUpload)) == 0


def test_an_anonymous_reporters_pdf_reaches_the_officer_cleaned(client, post_report):
    response = post_report(is_anonymous="y", reporter_name="", reporter_email="",
                           reporter_phone="", files=[upload(factories.pdf_with_hidden_content(),
                                                            "laporan-rudi.pdf", "application/pdf")])
    assert response.status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    (attachment,) = report.attachments
    factories.login(client, factories.make_user("national_admin"))
    download = client.get(f"/petugas/lampiran/{attachment.id}")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    content = factories.pdf_content(download.data)
    for name, secret in factories.HIDDEN.items():
        assert secret.encode() not in content, name
    assert factories.GPS_IFD_TAG not in content and b"Exif" not in content
    assert attachment.size == len(download.data)


# --- an invalid report keeps everything ---------------------------------------------------------

FILLED = dict(report_type="aspirasi", body=MULTILINE_BODY, incident_date="2026-11-10",
              region="13.71", agency="dinkes-kota-padang", category="kesehatan",
              is_anonymous="y", is_confidential="y", reporter_name="Siti Aminah",
              reporter_email="siti@example.com", reporter_phone="0812-3456-7890")


@pytest.mark.parametrize("broken, field", [
    (dict(title=""), "title"),
    (dict(title="Pendek"), "title"),
    (dict(incident_date="future"), "incident_date"),
    (dict(incident_date="10-11-2026"), "incident_date"),
    (dict(body="Terlalu singkat."), "body"),
    (dict(reporter_email="siti@"), "reporter_email"),
    (dict(reporter_phone="12345"), "reporter_phone"),
    (dict(region=""), "region"),
    (dict(region="99.99"), "region"),
    (dict(agency="tidak-ada"), "agency"),
])
def test_an_error_keeps_every_other_field_as_typed(client, post_report, broken, field):
    values = dict(FILLED, title="Jalan berlubang di depan SDN 3 Padang")
    values.update(broken)
    if values["incident_date"] == "future":
        values["incident_date"] = tomorrow_iso()
    before = report_count()
    response = post_report(**values)
    assert response.status_code == 422
    assert report_count() == before
    page = HTMLPage(response.get_data(as_text=True))

    kept = {"title": values["title"], "body": values["body"], "incident_date": values["incident_date"],
            "region": values["region"] or None, "agency": values["agency"],
            "category": "kesehatan", "reporter_name": "Siti Aminah",
            "reporter_email": values["reporter_email"], "reporter_phone": values["reporter_phone"]}
    for name, typed in kept.items():
        if name == field and name in ("region", "agency"):
            continue  # an unknown choice cannot be shown as selected
        assert field_value(page, name) == typed, name
    assert field_value(page, "report_type") == ["aspirasi"]
    assert field_value(page, "is_anonymous") == ["y"]
    assert field_value(page, "is_confidential") == ["y"]

    # The error sits next to its field, is linked to it, and is listed in the summary.
    error = page.by_id(f"{field}-error")
    assert error is not None and error.text.strip()
    control = page.by_id(field)
    assert f"{field}-error" in control.get("aria-describedby", "").split()
    summary = page.by_id("error-summary")
    assert summary is not None
    assert any(a.get("href") == f"#{field}" for a in page.within(summary, "a"))


def test_future_date_message(client, post_report):
    response = post_report(incident_date=tomorrow_iso())
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert "masa depan" in page.by_id("incident_date-error").text


def test_empty_title_message_and_aria_invalid(client, post_report):
    response = post_report(title="")
    page = HTMLPage(response.get_data(as_text=True))
    assert "Judul wajib diisi" in page.by_id("title-error").text
    assert page.by_id("title").get("aria-invalid") == "true"
    # The hint stays linked as well.
    assert page.by_id("title").get("aria-describedby").split() == ["title-hint", "title-error"]


def test_several_errors_are_all_listed(client, post_report):
    response = post_report(title="", body="", reporter_email="x@")
    page = HTMLPage(response.get_data(as_text=True))
    summary = page.by_id("error-summary")
    links = {a.get("href") for a in page.within(summary, "a")}
    assert {"#title", "#body", "#reporter_email"} <= links
    assert "e-mail tidak valid" in page.by_id("reporter_email-error").text


def test_every_problem_is_reported_in_one_round(client, post_report):
    """Form checks and domain checks together: the reporter fixes everything at once instead of
    discovering one error per submission."""
    response = post_report(title="Pendek", incident_date=tomorrow_iso(), reporter_email="x@",
                           reporter_phone="12", agency="instansi-yang-tidak-ada")
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert "10 dan 200" in page.by_id("title-error").text
    assert "masa depan" in page.by_id("incident_date-error").text
    assert "e-mail tidak valid" in page.by_id("reporter_email-error").text
    assert "telepon tidak valid" in page.by_id("reporter_phone-error").text
    # each message says what a valid value looks like
    assert "0812-3456-7890" in page.by_id("reporter_phone-error").text
    assert "nama@gmail.com" in page.by_id("reporter_email-error").text
    assert "tidak dikenal" in page.by_id("agency-error").text
    links = {a.get("href") for a in page.within(page.by_id("error-summary"), "a")}
    assert {"#title", "#incident_date", "#reporter_email", "#reporter_phone", "#agency"} <= links


@pytest.mark.parametrize("field, value, expected", [
    ("incident_date", "20/11/2026", "Tanggal tidak valid. Tulis tahun-bulan-tanggal"),
    ("report_type", "keluhan", "Pilihan tidak valid"),
])
def test_wtforms_own_messages_are_indonesian(client, post_report, field, value, expected):
    response = post_report(**{field: value})
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert expected in page.by_id(f"{field}-error").text
    assert "Not a valid" not in response.get_data(as_text=True)


def test_region_chosen_narrows_the_list_to_its_province(client, post_report):
    page = HTMLPage(post_report(title="", region="13.71").get_data(as_text=True))
    regions = [v for v in options_of(page, "region") if v]
    assert "13.71" in regions and all(v.startswith("13.") for v in regions)
    assert field_value(page, "province") == "13"


# --- attachments across a failed submission -----------------------------------------------------

def staged_checkboxes(page: HTMLPage):
    return [c for c in page.find_all("input", name="staged")]


def test_a_valid_file_sent_with_an_invalid_form_is_kept_and_attached_later(client, post_report, csrf):
    response = post_report(title="", files=[upload(factories.jpeg_with_gps(), "lubang.jpg", "image/jpeg")])
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    boxes = staged_checkboxes(page)
    assert len(boxes) == 1
    assert boxes[0].get("type") == "checkbox" and "checked" in boxes[0].attrs
    label = page.find("label", for_=boxes[0].get("id"))
    assert "lubang.jpg" in label.text
    token = boxes[0].get("value")

    # The corrected form is sent with the staged token (the browser cannot refill a file input).
    data = dict(factories.form_data(), csrf_token=csrf(), staged=token)
    done = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert done.status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert [a.original_name for a in report.attachments] == ["lubang.jpg"]
    assert report.attachments[0].content_type == "image/jpeg"
    assert db.session.scalar(select(StagedUpload).where(StagedUpload.token == token)) is None


def test_a_staged_file_can_be_dropped_by_unticking_it(client, post_report, csrf):
    response = post_report(title="", files=[upload(factories.small_pdf(), "surat.pdf", "application/pdf")])
    assert staged_checkboxes(HTMLPage(response.get_data(as_text=True)))
    done = client.post("/lapor", data=dict(factories.form_data(), csrf_token=csrf()),
                       content_type="multipart/form-data")
    assert done.status_code == 303
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert report.attachments == []


def test_staged_files_survive_a_second_error(client, post_report, csrf):
    first = HTMLPage(post_report(title="", files=[
        upload(factories.small_pdf(), "a.pdf", "application/pdf")]).get_data(as_text=True))
    token = staged_checkboxes(first)[0].get("value")
    data = dict(factories.form_data(title=""), csrf_token=csrf(), staged=token,
                attachments=[upload(factories.png_with_text(), "b.png", "image/png")])
    second = HTMLPage(client.post("/lapor", data=data, content_type="multipart/form-data")
                      .get_data(as_text=True))
    names = sorted(page_label.text.split(" (")[0].strip() for page_label in second.find_all("label")
                   if page_label.get("for", "").startswith("staged-"))
    assert names == ["a.pdf", "b.png"]


@pytest.mark.parametrize("bad_file, message", [
    (upload(b"%PDF-1.4\n" + b"0" * TEN_MB, "besar.pdf", "application/pdf"), "10 MB"),
    (upload(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "photo.jpg", "image/jpeg"),
     "jenis berkas tidak diterima"),
    (upload(b"<html><script>alert(1)</script></html>", "photo.jpg", "image/jpeg"),
     "jenis berkas tidak diterima"),
    (upload(factories.jpeg_with_gps()[:300], "rusak.jpg", "image/jpeg"), "rusak"),
    (upload(factories.locked_pdf(), "sandi.pdf", "application/pdf"), "dikunci dengan kata sandi"),
    (upload(b"%PDF-1.7\n" + b"0" * 500, "rusak.pdf", "application/pdf"),
     "Berkas PDF rusak atau tidak dapat dibaca"),
    (upload(factories.pdf_with_broken_image(), "pindaian.pdf", "application/pdf"),
     "Gambar di dalam berkas PDF tidak dapat dibaca"),
])
def test_a_refused_file_gets_a_clear_message_and_nothing_else_is_lost(client, post_report, bad_file,
                                                                       message):
    before = report_count()
    good = upload(factories.small_pdf(), "surat.pdf", "application/pdf")
    response = post_report(files=[bad_file, good], **dict(FILLED, title="Jalan berlubang di depan SDN 3"))
    assert response.status_code == 422
    assert report_count() == before
    page = HTMLPage(response.get_data(as_text=True))
    error = page.by_id("attachments-error")
    assert message in error.text
    assert bad_file[1] in error.text
    assert "attachments-error" in page.by_id("attachments").get("aria-describedby").split()
    # Everything typed is still there, and the good file is kept.
    assert field_value(page, "title") == "Jalan berlubang di depan SDN 3"
    assert field_value(page, "body") == MULTILINE_BODY
    assert field_value(page, "region") == "13.71"
    assert field_value(page, "agency") == "dinkes-kota-padang"
    assert field_value(page, "is_anonymous") == ["y"]
    assert field_value(page, "reporter_email") == "siti@example.com"
    assert [b.get("value") for b in staged_checkboxes(page)]
    assert "surat.pdf" in response.get_data(as_text=True)


def test_more_than_five_files_are_refused(client, post_report):
    files = [upload(factories.small_pdf(), f"s{i}.pdf", "application/pdf") for i in range(6)]
    response = post_report(files=files)
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert "Paling banyak 5 lampiran" in page.by_id("attachments-error").text
    assert len(staged_checkboxes(page)) == 5


# --- CSRF ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_post_without_a_valid_csrf_token_is_refused(client, token):
    before = report_count()
    data = factories.form_data()
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert report_count() == before
    assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0


# --- no JavaScript: the refine buttons ----------------------------------------------------------

def test_refine_narrows_the_regions_without_errors(client, csrf):
    before = report_count()
    data = {"csrf_token": csrf(), "action": "refine", "province": "13", "title": "",
            "body": "Draf yang belum selesai", "reporter_name": "Budi"}
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    page = HTMLPage(response.get_data(as_text=True))
    regions = [v for v in options_of(page, "region") if v]
    assert regions and all(v.startswith("13.") for v in regions)
    assert "13.71" in regions and "36.02" not in regions
    assert page.by_id("error-summary") is None
    assert field_value(page, "body") == "Draf yang belum selesai"
    assert field_value(page, "reporter_name") == "Budi"
    assert report_count() == before  # nothing was filed


def test_refine_searches_agencies(client, csrf):
    data = {"csrf_token": csrf(), "action": "refine", "region": "13.71", "agency_q": "kesehatan"}
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    agencies = [v for v in options_of(HTMLPage(response.get_data(as_text=True)), "agency") if v]
    assert "dinkes-kota-padang" in agencies and "kemenkes" in agencies
    assert "pemkab-lebak" not in agencies


def test_refine_keeps_a_file_sent_with_it(client, csrf):
    data = {"csrf_token": csrf(), "action": "refine", "province": "13",
            "attachments": [upload(factories.small_pdf(), "draf.pdf", "application/pdf")]}
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    page = HTMLPage(response.get_data(as_text=True))
    assert response.status_code == 200
    assert len(staged_checkboxes(page)) == 1


# --- htmx partials ------------------------------------------------------------------------------

def test_region_partial_for_htmx(client):
    response = client.get("/lapor/wilayah?province=13", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<body" not in html and "<form" not in html
    page = HTMLPage(html)
    assert page.by_id("region-field") is not None
    regions = [v for v in options_of(page, "region") if v]
    assert regions and all(v.startswith("13.") for v in regions)
    assert "HX-Request" in response.headers.get("Vary", "")


@pytest.mark.parametrize("query, present, absent", [
    ("agency_q=kesehatan", {"dinkes-kota-padang", "kemenkes"}, {"pemkab-lebak", "pemkot-padang"}),
    ("agency_q=lebak", {"pemkab-lebak"}, {"kemenkes"}),
    ("agency_q=padang&region=13.71", {"pemkot-padang", "dinkes-kota-padang"}, {"pemkab-lebak"}),
    ("agency_q=&region=36.02", {"pemkab-lebak", "kemenkes"}, {"pemkot-padang"}),
    # In a chosen kab/kota only its agencies, its province's and national ones are offered.
    ("agency_q=pemerintah&region=36.02", {"pemkab-lebak"}, {"pemkot-padang"}),
    # Words citizens use lead to the agency that answers for them in the chosen kab/kota.
    ("agency_q=puskesmas+andalas&region=13.71", {"dinkes-kota-padang"}, {"pemkab-lebak"}),
    ("agency_q=kelurahan&region=36.02", {"pemkab-lebak"}, {"pemkot-padang", "dinkes-kota-padang"}),
])
def test_agency_partial_for_htmx(client, query, present, absent):
    response = client.get(f"/lapor/instansi?{query}", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<form" not in html
    page = HTMLPage(html)
    assert page.by_id("agency-field") is not None
    slugs = set(options_of(page, "agency"))
    assert "" in slugs  # "don't know" is always offered
    assert present <= slugs
    assert not (absent & slugs)


@pytest.mark.parametrize("url", ["/lapor/wilayah?province=13", "/lapor/instansi?agency_q=kesehatan"])
@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true", "HX-Boosted": "true"},
                                     {"HX-Request": "true", "HX-History-Restore-Request": "true"}])
def test_partials_redirect_a_full_page_request(client, url, headers):
    response = client.get(url, headers=headers)
    assert response.status_code in (302, 303)
    assert response.location.endswith("/lapor")
    assert "HX-Request" in response.headers.get("Vary", "")


def test_a_front_line_word_says_which_agency_answers_for_it(client):
    page = HTMLPage(client.get("/lapor/instansi?agency_q=puskesmas+andalas&region=13.71",
                               headers={"HX-Request": "true"}).get_data(as_text=True))
    labels = {o.get("value"): " ".join(o.text.split()) for o in page.find_all("option")}
    assert labels["dinkes-kota-padang"] == "Dinas Kesehatan Kota Padang (untuk puskesmas)"
    status = page.find("div", role="status")
    assert "ditangani oleh Dinas Kesehatan Kota Padang" in status.text


def test_a_local_word_without_a_kab_kota_asks_for_one(client):
    page = HTMLPage(client.get("/lapor/instansi?agency_q=puskesmas", headers={"HX-Request": "true"})
                    .get_data(as_text=True))
    assert "pilih kabupaten/kota lebih dulu" in page.find("div", role="status").text


def test_nothing_found_is_not_a_dead_end(client):
    page = HTMLPage(client.get("/lapor/instansi?agency_q=zzqx&region=13.71", headers={"HX-Request": "true"})
                    .get_data(as_text=True))
    notice = page.find("p", class_="notice")
    assert notice is not None and "Saya tidak tahu" in notice.text and "Tidak apa-apa" in notice.text
    assert options_of(page, "agency") == [""]



def test_an_oversized_form_leads_back_to_the_form_and_says_nothing_was_kept(app, client, csrf):
    cap, app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_CONTENT_LENGTH"], 2048  # as if too large
    try:
        data = dict(factories.form_data(), csrf_token=csrf(),
                    attachments=(io.BytesIO(b"x" * 4096), "besar.jpg", "image/jpeg"))
        response = client.post("/lapor", data=data, content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = cap
    assert response.status_code == 413
    page = HTMLPage(response.get_data(as_text=True))
    assert "Lampiran terlalu besar" in page.find("h1").text
    text = " ".join(page.find("main").text.split())
    assert "tidak ada yang sampai kepada kami" in text and "tombol Kembali" in text
    assert page.find("a", href="/lapor") is not None


# --- "anonim" and "rahasia" cannot be undone: the answers are checked once before sending ------

def test_a_report_with_a_flag_is_checked_once_before_it_is_sent(client, post_report):
    before = report_count()
    check = post_report(is_anonymous="y", reporter_name="Siti Aminah", confirm_flags="",
                        files=[factories.upload(factories.jpeg_with_gps(), "bukti.jpg", "image/jpeg")])
    assert check.status_code == 200 and report_count() == before  # nothing sent yet
    page = HTMLPage(check.get_data(as_text=True))
    assert "Periksa laporan Anda sebelum dikirim" in page.find("h1").text
    text = " ".join(page.find("main").text.split())
    assert "Anonim" in text and "tidak dapat dihapus nanti" in text
    assert factories.form_data()["title"] in text and "bukti.jpg" in text and "Siti Aminah" in text
    send, change = page.find_all("form", method="post")[-2:]
    sent_fields = {e.get("name"): e.get("value") for e in page.within(send, "input")}
    assert sent_fields["confirm_flags"] == "y" and sent_fields["is_anonymous"] == "y"
    assert sent_fields["staged"] and sent_fields["title"] == factories.form_data()["title"]
    change_fields = {e.get("name"): e.get("value") for e in page.within(change, "input")}
    assert change_fields["action"] == "refine" and "confirm_flags" not in change_fields

    # "Ubah laporan": the form again, everything kept, the file among those already received.
    back = client.post("/lapor", data=change_fields)
    assert back.status_code == 200
    form_page = HTMLPage(back.get_data(as_text=True))
    assert form_page.by_id("title").get("value") == factories.form_data()["title"]
    assert "checked" in form_page.by_id("is_anonymous").attrs
    assert any(e.get("value") == sent_fields["staged"] for e in form_page.find_all("input", name="staged"))

    # "Ya, kirim laporan": sent, with its file.
    done = client.post("/lapor", data=sent_fields)
    assert done.status_code == 303 and report_count() == before + 1
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert report.is_anonymous and len(report.attachments) == 1


def test_a_report_without_flags_is_sent_at_once(post_report):
    before = report_count()
    assert post_report(confirm_flags="").status_code == 303 and report_count() == before + 1


def test_a_flagged_report_with_errors_shows_the_errors_not_the_check(post_report):
    response = post_report(is_confidential="y", title="", confirm_flags="")
    assert response.status_code == 422
    assert "Periksa laporan Anda sebelum dikirim" not in response.get_data(as_text=True)
