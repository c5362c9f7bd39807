"""The receipt: shown once after filing, printable as PDF, never in a URL or in a readable cookie."""
import pytest
from flask import current_app

from app.blueprints.public import receipts
from app.services import reporter
from tests import factories
from tests.conftest import csrf_token_from
from tests.factories import HTMLPage

# Each request gets its own flask.g (see conftest.fresh_g), so header checks mean something.
pytestmark = pytest.mark.usefixtures("fresh_g")


@pytest.fixture
def filed(client, csrf):
    """File a report through /lapor; return the receipt page's reference and code."""
    response = factories.post_multipart(client, "/lapor", dict(factories.form_data(), csrf_token=csrf()))
    assert response.status_code == 303
    page = client.get("/lapor/terkirim")
    html = HTMLPage(page.get_data(as_text=True))
    return {"reference": html.by_id("reference").text.strip(),
            "code": html.by_id("tracking-code").text.strip(),
            "redirect": response.location, "page": page}


def code_forms(code: str) -> set[str]:
    return {code, code.replace("-", ""), code.lower(), code.replace("-", "").lower()}


def test_receipt_shows_reference_and_code(filed):
    assert filed["page"].status_code == 200
    assert filed["reference"].startswith("LPR-")
    report = reporter.find_by_code(filed["code"], current_app.config["SECRET_KEY"])
    assert report.reference == filed["reference"]


def test_the_redirect_and_the_receipt_page_carry_no_code_in_any_url(filed):
    assert filed["redirect"].endswith("/lapor/terkirim")
    page = HTMLPage(filed["page"].get_data(as_text=True))
    urls = [e.get(attr) for e in page.elements for attr in ("href", "action", "src") if e.get(attr)]
    assert urls
    for url in urls + [filed["redirect"]]:
        for form in code_forms(filed["code"]):
            assert form not in url


def test_receipt_is_not_cached(filed):
    assert "no-store" in filed["page"].headers["Cache-Control"]


def test_receipt_survives_a_reload(client, filed):
    again = HTMLPage(client.get("/lapor/terkirim").get_data(as_text=True))
    assert again.by_id("tracking-code").text.strip() == filed["code"]
    assert again.by_id("reference").text.strip() == filed["reference"]


def test_the_session_cookie_does_not_hold_the_code_in_clear(client, app, filed):
    cookie = client.get_cookie("session")
    assert cookie is not None
    for form in code_forms(filed["code"]):
        assert form not in cookie.value
    decoded = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    for form in code_forms(filed["code"]):
        assert form not in repr(decoded)


def test_saved_code_forgets_the_receipt(client, filed):
    token = csrf_token_from(filed["page"].get_data(as_text=True))
    done = client.post("/lapor/terkirim/selesai", data={"csrf_token": token})
    assert done.status_code == 303
    gone = client.get("/lapor/terkirim")
    assert gone.status_code == 410
    text = gone.get_data(as_text=True)
    assert filed["code"] not in text
    assert "Tanda terima tidak lagi ditampilkan" in text


def test_the_receipt_expires(client, filed, monkeypatch):
    monkeypatch.setattr(receipts, "LIFETIME_SECONDS", -1)
    gone = client.get("/lapor/terkirim")
    assert gone.status_code == 410
    assert filed["code"] not in gone.get_data(as_text=True)


def test_no_receipt_without_a_submission(client):
    response = client.get("/lapor/terkirim")
    assert response.status_code == 410
    assert HTMLPage(response.get_data(as_text=True)).by_id("tracking-code") is None


def test_another_browser_does_not_see_the_receipt(app, client, filed):
    other = app.test_client()
    assert other.get("/lapor/terkirim").status_code == 410


# --- the PDF ------------------------------------------------------------------------------------

def pdf_form(page_html: str) -> dict:
    """The hidden fields of the receipt page's "download PDF" form."""
    page = HTMLPage(page_html)
    form = page.find("form", action="/lapor/tanda-terima.pdf")
    assert form is not None and form.get("method") == "post"
    return {i.get("name"): i.get("value") for i in page.within(form, "input")}


def test_pdf_receipt_downloads_from_the_receipt_form(client, filed):
    fields = pdf_form(filed["page"].get_data(as_text=True))
    assert fields["reference"] == filed["reference"]
    response = client.post("/lapor/tanda-terima.pdf", data=fields)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"tanda-terima-{filed['reference']}.pdf" in disposition
    assert filed["code"] not in disposition
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize("change", [
    {"tracking_code": "K7QM-2XPA-9TRD-WB4N"},
    {"tracking_code": ""},
    {"reference": "LPR-2026-9999999"},
])
def test_pdf_receipt_needs_the_matching_code_and_reference(client, filed, change):
    fields = pdf_form(filed["page"].get_data(as_text=True))
    fields.update(change)
    response = client.post("/lapor/tanda-terima.pdf", data=fields)
    assert response.status_code == 404
    assert not response.data.startswith(b"%PDF")


def test_pdf_receipt_accepts_the_code_as_typed(client, filed):
    fields = pdf_form(filed["page"].get_data(as_text=True))
    fields["tracking_code"] = filed["code"].lower().replace("-", " ")
    assert client.post("/lapor/tanda-terima.pdf", data=fields).status_code == 200


def test_pdf_receipt_needs_csrf(client, filed):
    fields = pdf_form(filed["page"].get_data(as_text=True))
    del fields["csrf_token"]
    assert client.post("/lapor/tanda-terima.pdf", data=fields).status_code == 400


def test_pdf_receipt_is_never_a_get(client, filed):
    assert client.get("/lapor/tanda-terima.pdf").status_code == 405


# --- what happens next, the address to come back to, the agency, tagged PDFs ---------------------

def expected_verification_day(reference):
    from app.services import sla

    report = reporter.find_by_reference(reference)
    return sla.add_working_days(sla.local_date(report.submitted_at), sla.VERIFICATION_DAYS)


def test_the_receipt_page_says_what_happens_next_with_dates(app, client, filed):
    from app.labels import format_date_long

    page = HTMLPage(filed["page"].get_data(as_text=True))
    panel = page.by_id("next-title").parent
    assert "Apa yang terjadi selanjutnya" in panel.text
    with app.test_request_context():
        due = format_date_long(expected_verification_day(filed["reference"]))
    assert f"Verifikasi paling lambat {due}." in panel.text
    # The agency the reporter chose, named as not yet confirmed.
    assert "meneruskannya ke Pemerintah Kota Padang atau ke instansi lain" in " ".join(panel.text.split())
    # The copy button is shown by the script; without it the code is plain text to select.
    button = page.find("button", **{"data-copy": "tracking-code"})
    assert button is not None and button.get("type") == "button" and button.get("hidden") is not None


def test_the_pdf_receipt_carries_the_tracking_address_its_qr_the_agency_and_the_date(
        app, client, filed, monkeypatch):
    import io

    import pypdf

    from app.labels import format_date_long
    from app.services import pdf

    encoded = []
    original = pdf.qr_svg
    monkeypatch.setattr(pdf, "qr_svg", lambda data, title: encoded.append(data) or original(data, title))
    response = client.post("/lapor/tanda-terima.pdf", data=pdf_form(filed["page"].get_data(as_text=True)))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    track_url = app.config["PUBLIC_BASE_URL"].rstrip("/") + "/lacak"
    assert track_url in text
    assert encoded == [track_url]  # the QR code holds the address only, never the code
    assert filed["code"] in text  # printed apart, as text
    with app.test_request_context():
        due = format_date_long(expected_verification_day(filed["reference"]))
    assert "Verifikasi paling lambat" in text and due in text
    assert "menunggu verifikasi admin nasional" in text  # the agency the reporter chose


def test_the_qr_code_is_svg_drawn_here():
    from app.services import pdf

    svg = pdf.qr_svg("https://terang.example/lacak", "Kode QR")
    assert svg.startswith("<svg") and "<title>Kode QR</title>" in svg
    assert "href" not in svg  # nothing to fetch
