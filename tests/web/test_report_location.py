"""/lapor's precise location: kecamatan and kelurahan refined with htmx or without JavaScript,
a free-text address and a pin, kept on errors, shown on the check, receipt and tracking pages."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Report
from tests import factories
from tests.factories import HTMLPage

pytestmark = pytest.mark.usefixtures("fresh_g")

PADANG_SELATAN = "13.71.01"
BELAKANG_PONDOK = "13.71.01.1001"
LOCATION = dict(district=PADANG_SELATAN, village=BELAKANG_PONDOK,
                incident_address="Jl. Batang Arau No. 12, depan warung",
                latitude="-0,961234", longitude="100.361234")


def options_of(page: HTMLPage, select_id: str) -> list[str]:
    return [o.get("value") for o in page.within(page.by_id(select_id), "option")]


def selected(page: HTMLPage, select_id: str) -> str | None:
    chosen = [o.get("value") for o in page.within(page.by_id(select_id), "option")
              if "selected" in o.attrs]
    return chosen[0] if chosen else None


@pytest.fixture
def post(client, csrf):
    def _post(**fields):
        data = {k: v for k, v in factories.form_data(**fields).items() if v is not None}
        data["csrf_token"] = csrf()
        return factories.post_multipart(client, "/lapor", data)
    return _post


def newest() -> Report:
    return db.session.scalar(select(Report).order_by(Report.id.desc()))


def test_the_empty_form_has_the_location_fields_each_with_a_label(client):
    page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    labels = {label.get("for") for label in page.find_all("label")}
    for name in ("district", "village", "incident_address", "latitude", "longitude"):
        control = page.controls(name)[0]
        assert control.get("id") in labels, name
    assert options_of(page, "district") == [""]  # no kab/kota chosen yet
    assert page.by_id("incident-map") is None  # no tile server configured: no map


def test_a_report_without_location_is_filed_as_before(client, post):
    assert post().status_code == 303
    report = newest()
    assert (report.incident_district_code, report.incident_village_code, report.incident_address,
            report.incident_lat) == (None, None, None, None)


def test_a_report_with_its_location_is_filed_and_the_receipt_and_tracking_show_it(client, post):
    response = post(**LOCATION)
    assert response.status_code == 303
    report = newest()
    assert (report.incident_district_code, report.incident_village_code) == (PADANG_SELATAN,
                                                                             BELAKANG_PONDOK)
    assert report.incident_address == LOCATION["incident_address"]
    assert (report.incident_lat, report.incident_lng) == (-0.96123, 100.36123)
    receipt = HTMLPage(client.get("/lapor/terkirim").get_data(as_text=True))
    text = " ".join(receipt.find("main").text.split())
    assert "Belakang Pondok, Padang Selatan, Kota Padang" in text
    assert "Jl. Batang Arau No. 12" in text and "-0.96123, 100.36123" in text
    code = receipt.by_id("tracking-code").text.strip()
    tracked = client.post("/lacak", data={"csrf_token": factories.csrf_from(
        client.get("/lacak").get_data(as_text=True)), "tracking_code": code}, follow_redirects=True)
    text = " ".join(HTMLPage(tracked.get_data(as_text=True)).find("main").text.split())
    assert "Belakang Pondok, Padang Selatan, Kota Padang" in text and "-0.96123, 100.36123" in text


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_pdf_receipt_shows_the_location_as_the_reporter_gave_it(client, post, anonymous):
    """The receipt is the reporter's: it carries the kelurahan, kecamatan, kab/kota, address and
    pin they gave, as the receipt page does (also for an anonymous report: the public and the
    agency read less, the reporter reads what they wrote)."""
    import io

    import pypdf

    from tests.web.test_receipt import pdf_form

    flags = dict(is_anonymous="y", confirm_flags="y") if anonymous else {}
    assert post(**LOCATION, **flags).status_code == 303
    page = client.get("/lapor/terkirim").get_data(as_text=True)
    response = client.post("/lapor/tanda-terima.pdf", data=pdf_form(page))
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert "Lokasi Belakang Pondok, Padang Selatan, Kota Padang" in text
    assert "Alamat atau patokan Jl. Batang Arau No. 12, depan warung" in text
    assert "Titik lokasi -0.96123, 100.36123" in text


def test_the_pdf_receipt_without_a_precise_location_names_the_kab_kota_only(client, post):
    import io

    import pypdf

    from tests.web.test_receipt import pdf_form

    assert post().status_code == 303
    page = client.get("/lapor/terkirim").get_data(as_text=True)
    response = client.post("/lapor/tanda-terima.pdf", data=pdf_form(page))
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    text = " ".join(text.split())
    assert "Lokasi Kota Padang" in text
    assert "Alamat atau patokan" not in text and "Titik lokasi" not in text


def test_errors_keep_every_location_input_and_link_to_the_field(client, post):
    response = post(title="", **dict(LOCATION, latitude="91", longitude="100.36"))
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert selected(page, "district") == PADANG_SELATAN
    assert selected(page, "village") == BELAKANG_PONDOK
    assert page.by_id("incident_address").text.strip() == LOCATION["incident_address"]
    assert page.by_id("latitude").get("value") == "91"
    assert page.by_id("longitude").get("value") == "100.36"
    summary = page.by_id("error-summary")
    assert any(a.get("href") == "#latitude" for a in page.within(summary, "a"))
    assert page.by_id("latitude").get("aria-invalid") == "true"
    assert "latitude-error" in page.by_id("latitude").get("aria-describedby")


@pytest.mark.parametrize("fields,field", [
    (dict(district="32.76.01"), "district"),
    (dict(district=PADANG_SELATAN, village="13.71.02.1001"), "village"),
    (dict(latitude="-0.96"), "longitude"),
])
def test_a_refused_location_names_its_field(post, fields, field):
    response = post(**fields)
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert page.by_id(f"{field}-error") is not None


def test_refine_without_javascript_lists_the_kecamatan_then_the_kelurahan(client, csrf):
    data = {"csrf_token": csrf(), "action": "refine", "region": "13.71", "body": "Draf"}
    page = HTMLPage(factories.post_multipart(client, "/lapor", data).get_data(as_text=True))
    assert PADANG_SELATAN in options_of(page, "district") and page.by_id("error-summary") is None
    assert options_of(page, "village") == [""]
    data = {"csrf_token": csrf(), "action": "refine", "region": "13.71", "district": PADANG_SELATAN,
            "body": "Draf"}
    page = HTMLPage(factories.post_multipart(client, "/lapor", data).get_data(as_text=True))
    assert BELAKANG_PONDOK in options_of(page, "village")
    assert selected(page, "district") == PADANG_SELATAN
    assert page.by_id("body").text.strip() == "Draf"
    # The refine button brings the reporter back to the place fields.
    assert page.find("button", formaction="/lapor#place-fields") is not None


def test_a_kecamatan_of_another_kab_kota_is_dropped_when_the_kab_kota_changes(client, csrf):
    data = {"csrf_token": csrf(), "action": "refine", "region": "36.02", "district": PADANG_SELATAN,
            "village": BELAKANG_PONDOK}
    page = HTMLPage(factories.post_multipart(client, "/lapor", data).get_data(as_text=True))
    assert selected(page, "district") in (None, "")
    assert all(v == "" or v.startswith("36.02.") for v in options_of(page, "district"))


def test_the_htmx_partial_refines_the_place_fields(client):
    response = client.get(f"/lapor/kecamatan?region=13.71&district={PADANG_SELATAN}",
                          headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Request" in response.headers.get("Vary", "")
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<form" not in html
    page = HTMLPage(html)
    assert page.by_id("place-fields") is not None
    assert PADANG_SELATAN in options_of(page, "district")
    assert BELAKANG_PONDOK in options_of(page, "village")


def test_the_htmx_partial_redirects_a_full_page_request(client):
    response = client.get("/lapor/kecamatan?region=13.71")
    assert response.status_code in (302, 303) and response.location.endswith("/lapor")


def test_the_check_page_shows_the_location_and_carries_it(client, post):
    response = post(is_anonymous="y", **LOCATION)
    assert response.status_code == 200
    page = HTMLPage(response.get_data(as_text=True))
    text = " ".join(page.find("main").text.split())
    assert "Padang Selatan" in text and "Belakang Pondok" in text
    assert LOCATION["incident_address"] in text and "-0,961234, 100.361234" in text
    send = page.find_all("form", method="post")[-2]
    carried = {e.get("name"): e.get("value") for e in page.within(send, "input")}
    assert carried["district"] == PADANG_SELATAN and carried["latitude"] == "-0,961234"
    assert client.post("/lapor", data=carried).status_code == 303
    assert newest().incident_village_code == BELAKANG_PONDOK


def test_the_map_is_offered_only_with_a_tile_server(app, client):
    app.config["MAP_TILE_URL"] = "https://tiles.example.id/{z}/{x}/{y}.png"
    app.config["MAP_TILE_ATTRIBUTION"] = "© OpenStreetMap"
    try:
        response = client.get("/lapor")
    finally:
        app.config["MAP_TILE_URL"] = ""
    page = HTMLPage(response.get_data(as_text=True))
    the_map = page.by_id("incident-map")
    assert the_map is not None and "hidden" in the_map.attrs  # shown by the script only
    assert the_map.get("data-tile-url") == "https://tiles.example.id/{z}/{x}/{y}.png"
    assert page.find("script", src="/static/js/report-map.js") is not None
    # "Gunakan lokasi saya" says who gets the exact point (shown with the button, by the script).
    hint = page.by_id("locate-me-hint")
    assert hint is not None and "anonim" in hint.text
    assert page.by_id("locate-me").get("aria-describedby") == "locate-me-hint"
    assert "https://tiles.example.id" in response.headers["Content-Security-Policy"]
    plain = client.get("/lapor")
    assert "tiles.example.id" not in plain.headers["Content-Security-Policy"]
