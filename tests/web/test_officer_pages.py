"""The officer screens at work: verification, actions on a case, the inbox, htmx and no-JS paths."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Report, ReportEvent, Status
from app import clock
from app.services import inbox, sla
from app.services.sla import local_date
from tests import factories
from tests.factories import HTMLPage, csrf_from, login

pytestmark = pytest.mark.usefixtures("fresh_g")

NOW = clock.now  # the views read the clock: the suite's frozen instant, or a fixture's own
# The inbox fixture's own "now": its reports were filed on fixed days of November 2026.
INBOX_NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def staff(db_session):
    users = SimpleNamespace(
        national_admin=factories.make_user("national_admin"),
        officer=factories.make_user("officer", "dinkes-kota-padang"),
        agency_admin=factories.make_user("agency_admin", "pemkot-padang"),
        lebak=factories.make_user("officer", "pemkab-lebak"),
    )
    db.session.commit()
    return users


@pytest.fixture
def as_user(app, staff):
    """``as_user("officer")`` → a client signed in as that person, with ``.token`` set."""
    def _sign_in(name):
        client = app.test_client()
        client.token = login(client, getattr(staff, name))
        return client
    return _sign_in


def recent(**overrides):
    """File a report a little while ago (the views use the real clock)."""
    now = NOW() - timedelta(hours=3)
    overrides.setdefault("incident_date", local_date(now) - timedelta(days=1))
    receipt = factories.file_report(now=now, **overrides)
    return db.session.get(Report, receipt.report_id), receipt


def recent_routed(to="dinkes-kota-padang", **overrides):
    now = NOW() - timedelta(hours=3)
    overrides.setdefault("incident_date", local_date(now) - timedelta(days=1))
    return factories.routed_report(to, now=now, **overrides)


def act(client, report, action, headers=None, csrf=True, **fields):
    data = {"action": action, **fields}
    if action == "route":  # the verifier confirms the public text (tested apart)
        data.setdefault("confirm_public_text", "y")
    if action == "resolve":  # the officer confirms after reading the summary (tested apart)
        data.setdefault("confirm_resolution", "y")
    if csrf:
        data["csrf_token"] = client.token
    return client.post(f"/petugas/laporan/{report.reference}/tindakan", data=data, headers=headers or {})


def events_of(report) -> list[str]:
    return list(db.session.scalars(select(ReportEvent.action).where(ReportEvent.report_id == report.id)
                                   .order_by(ReportEvent.id)))


def field_error(html: str, element_id: str) -> str | None:
    element = HTMLPage(html).by_id(element_id)
    return " ".join(element.text.split()) if element is not None else None


def reload(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def open_tracking(app, tracking_code):
    reporter = app.test_client()
    token = csrf_from(reporter.get("/lacak").get_data(as_text=True))
    assert reporter.post("/lacak", data={"csrf_token": token,
                                         "tracking_code": tracking_code}).status_code == 303
    return reporter.get("/lacak").get_data(as_text=True)


# --- verification (national admin) --------------------------------------------------------------

def test_the_route_form_offers_everything_a_verifier_sets(as_user, staff):
    report, _receipt = recent(agency_slug="pemkot-padang")
    page = HTMLPage(as_user("national_admin").get(f"/petugas/laporan/{report.reference}")
                    .get_data(as_text=True))
    form = next(f for f in page.find_all("form") if page.within(f, "input", name="action", value="route"))
    names = {e.get("name") for e in page.within(form) if e.get("name")}
    assert {"csrf_token", "action", "public_title", "public_body", "category", "resolution_class",
            "agency", "add_anonymous", "add_confidential"} <= names
    # The agency the reporter chose is preselected.
    chosen = [o for o in page.within(page.by_id("route-agency"), "option") if "selected" in o.attrs]
    assert [o.get("value") for o in chosen] == ["pemkot-padang"]


@pytest.mark.parametrize("fields,error_id,message", [
    (dict(resolution_class="ringan"), "route-agency-error", "Instansi tujuan wajib dipilih."),
    (dict(agency="dinkes-kota-padang"), "route-resolution_class-error",
     "Klasifikasi penyelesaian wajib dipilih."),
    (dict(agency="dinkes-kota-padang", resolution_class="sangat-berat"), "route-resolution_class-error",
     "Klasifikasi penyelesaian wajib dipilih."),
    (dict(agency="dinas-tidak-ada", resolution_class="ringan"), "route-agency-error",
     "Instansi tujuan tidak dikenal."),
    (dict(agency="dinkes-kota-padang", resolution_class="ringan", category="tidak-ada"),
     "route-category-error", "Kategori tidak dikenal."),
], ids=["no-agency", "no-class", "unknown-class", "unknown-agency", "unknown-category"])
def test_routing_needs_an_agency_and_a_class_and_keeps_what_was_typed(as_user, fields, error_id, message):
    report, _receipt = recent()
    client = as_user("national_admin")
    typed = dict(public_title="Judul publik yang saya ketik",
                 public_body="Teks publik yang sudah saya samarkan dengan hati-hati.")
    response = act(client, report, "route", **typed, **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, error_id).endswith(message)
    page = HTMLPage(html)
    assert page.by_id("route-public_title").get("value") == typed["public_title"]
    assert page.by_id("route-public_body").text == typed["public_body"]
    route_form = page.by_id("route-public_title").parent
    while route_form.tag != "details":
        route_form = route_form.parent
    assert "open" in route_form.attrs                      # the failing action stays open
    if "agency" in fields and fields["agency"] == "dinkes-kota-padang":
        selected = [o.get("value") for o in page.within(page.by_id("route-agency"), "option")
                    if "selected" in o.attrs]
        assert selected == ["dinkes-kota-padang"]          # the choice is kept too
    assert reload(report).status == Status.SUBMITTED
    assert events_of(report) == ["submit"]


def test_routing_sets_public_text_category_class_agency_and_adds_a_flag(as_user):
    report, _receipt = recent(category_slug="kesehatan")
    response = act(as_user("national_admin"), report, "route", agency="pemkot-padang",
                   resolution_class="berat", category="infrastruktur",
                   public_title="Jalan rusak di kelurahan",
                   public_body="Jalan rusak, nama warga disamarkan.", add_confidential="y")
    assert response.status_code == 303
    report = reload(report)
    assert report.status == Status.ROUTED
    assert report.agency.slug == "pemkot-padang"
    assert report.resolution_class == "berat"
    assert report.category.slug == "infrastruktur"
    assert (report.public_title, report.public_body) == ("Jalan rusak di kelurahan",
                                                         "Jalan rusak, nama warga disamarkan.")
    assert report.is_confidential and not report.is_anonymous
    assert report.due_on is not None and report.due_clock == "first_response"
    assert events_of(report) == ["submit", "route"]


def test_a_flag_set_by_the_reporter_can_never_be_removed(as_user):
    report, _receipt = recent(is_anonymous=True, is_confidential=True)
    client = as_user("national_admin")
    page = HTMLPage(client.get(f"/petugas/laporan/{report.reference}").get_data(as_text=True))
    for flag in ("route-add_anonymous", "route-add_confidential"):
        box = page.by_id(flag)
        assert "checked" in box.attrs and "disabled" in box.attrs
    # A posted form without the flags (disabled boxes are not sent) leaves them set.
    assert act(client, report, "route", agency="dinkes-kota-padang", resolution_class="ringan",
               add_anonymous="", add_confidential="n").status_code == 303
    report = reload(report)
    assert report.status == Status.ROUTED
    assert report.is_anonymous and report.is_confidential


@pytest.mark.parametrize("reason,message", [
    ("", "Alasan wajib diisi."),
    ("bosan", "Alasan pengarsipan tidak dikenal."),
])
def test_archiving_needs_a_known_reason(as_user, reason, message):
    report, _receipt = recent()
    response = act(as_user("national_admin"), report, "archive", reason=reason,
                   text="Penjelasan yang saya ketik.")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "archive-reason-error").endswith(message)
    assert HTMLPage(html).by_id("archive-text").text == "Penjelasan yang saya ketik."
    assert reload(report).status == Status.SUBMITTED


def test_archiving_with_a_reason(app, as_user):
    report, receipt = recent()
    client = as_user("national_admin")
    assert act(client, report, "archive", reason="spam",
               text="Laporan tidak berisi pengaduan.").status_code == 303
    report = reload(report)
    assert report.status == Status.ARCHIVED and report.closed_at is not None
    html = client.get(f"/petugas/laporan/{report.reference}").get_data(as_text=True)
    assert "Spam" in html
    assert "Diarsipkan" in html
    assert "Laporan tidak berisi pengaduan." in open_tracking(app, receipt.tracking_code)


def test_archiving_a_duplicate_links_the_original(app, as_user):
    original, _ = recent()
    report, receipt = recent()
    client = as_user("national_admin")
    response = act(client, report, "archive", reason="duplicate", duplicate_of="",
                   text="Sudah dilaporkan sebelumnya.")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, "archive-duplicate_of-error").endswith("Sebutkan nomor laporan aslinya.")
    assert HTMLPage(html).by_id("archive-duplicate_of").get("aria-invalid") == "true"
    assert HTMLPage(html).by_id("archive-text").text == "Sudah dilaporkan sebelumnya."

    response = act(client, report, "archive", reason="duplicate", duplicate_of="LPR-1999-0000001",
                   text="Sudah dilaporkan sebelumnya.")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True),
                       "archive-duplicate_of-error").endswith("Laporan dengan nomor itu tidak ada.")
    assert reload(report).status == Status.SUBMITTED

    # Typed in lower case, as an officer copying it might.
    assert act(client, report, "archive", reason="duplicate", duplicate_of=original.reference.lower(),
               text="Sudah dilaporkan sebelumnya.").status_code == 303
    report = reload(report)
    assert report.status == Status.ARCHIVED
    page = HTMLPage(client.get(f"/petugas/laporan/{report.reference}").get_data(as_text=True))
    link = page.find("a", href=f"/petugas/laporan/{original.reference}")
    assert link is not None and link.text == original.reference
    # The reporter sees the original's reference (not a link: it is not on the public board).
    tracking = open_tracking(app, receipt.tracking_code)
    assert original.reference in tracking
    assert f"/transparansi/laporan/{original.reference}" not in tracking


def test_the_verification_queue_offers_no_agency_actions(as_user):
    report, _receipt = recent()
    page = HTMLPage(as_user("national_admin").get(f"/petugas/laporan/{report.reference}")
                    .get_data(as_text=True))
    offered = {e.get("value") for e in page.find_all("input", name="action")}
    assert offered == {"route", "archive", "request_info", "note"}


# --- actions of the agency ---------------------------------------------------------------------

def test_request_info_puts_the_report_on_hold_and_pauses_the_deadline(app, as_user):
    report = recent_routed()
    client = as_user("officer")
    response = act(client, report, "request_info", text="Mohon kirim foto papan jadwal puskesmas.")
    assert response.status_code == 303
    report = reload(report)
    assert report.status == Status.ON_HOLD and report.status_before_hold == Status.ROUTED
    assert report.due_on is None
    page = HTMLPage(client.get(f"/petugas/laporan/{report.reference}").get_data(as_text=True))
    line = " ".join(page.find("p", class_="deadline-line").text.split())
    assert "tenggat berhenti (menunggu pelapor)" in line
    rows = client.get("/petugas/kotak-masuk?status=semua").get_data(as_text=True)
    assert "Tenggat berhenti: menunggu pelapor" in rows
    assert "Menunggu informasi dari pelapor" in rows


def test_request_info_needs_a_question(as_user):
    report = recent_routed()
    response = act(as_user("officer"), report, "request_info", text="   ")
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "request_info-text-error").endswith("Teks wajib diisi.")
    assert reload(report).status == Status.ROUTED


@pytest.mark.parametrize("fields,error_id,message", [
    (dict(reason="Bukan wewenang dinas kesehatan."), "transfer-agency-error", "Instansi tujuan wajib dipilih."),
    (dict(agency="pemkab-lebak"), "transfer-reason-error", "Alasan wajib diisi."),
    (dict(agency="pemkab-lebak", reason="  "), "transfer-reason-error", "Alasan wajib diisi."),
    (dict(agency="dinkes-kota-padang", reason="Salah kirim."), "transfer-agency-error",
     "Pilih instansi lain untuk pengalihan."),
    (dict(agency="dinas-tidak-ada", reason="Salah kirim."), "transfer-agency-error",
     "Instansi tujuan tidak dikenal."),
], ids=["no-agency", "no-reason", "blank-reason", "same-agency", "unknown-agency"])
def test_a_transfer_needs_a_reason_and_another_agency(as_user, fields, error_id, message):
    report = recent_routed()
    response = act(as_user("officer"), report, "transfer", **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert field_error(html, error_id).endswith(message)
    if fields.get("reason", "").strip():
        assert HTMLPage(html).by_id("transfer-reason").text == fields["reason"]
    assert reload(report).agency.slug == "dinkes-kota-padang"
    assert events_of(report) == ["submit", "route"]


def listed(html: str) -> list[str]:
    page = HTMLPage(html)
    return [a.get("href").rsplit("/", 1)[-1] for a in page.find_all("a")
            if (a.get("href") or "").startswith("/petugas/laporan/")]


def test_a_transfer_sends_the_report_away_from_the_senders_inbox(as_user):
    report = recent_routed()
    sender = as_user("officer")
    assert listed(sender.get("/petugas/kotak-masuk").get_data(as_text=True)) == [report.reference]

    response = act(sender, report, "transfer", agency="pemkab-lebak",
                   reason="Lokasi di Kabupaten Lebak, bukan Kota Padang.")
    # The report is no longer the sender's: back to the inbox, not to a page that would be 404.
    assert response.status_code == 303
    assert urlsplit(response.location).path == "/petugas/kotak-masuk"
    inbox_page = sender.get(response.location)
    assert inbox_page.status_code == 200
    assert "Tindakan tersimpan." in inbox_page.get_data(as_text=True)
    assert report.reference not in listed(inbox_page.get_data(as_text=True))
    assert sender.get(f"/petugas/laporan/{report.reference}").status_code == 404

    report = reload(report)
    assert report.status == Status.ROUTED and report.agency.slug == "pemkab-lebak"
    receiver = as_user("lebak")
    assert listed(receiver.get("/petugas/kotak-masuk").get_data(as_text=True)) == [report.reference]
    html = receiver.get(f"/petugas/laporan/{report.reference}").get_data(as_text=True)
    assert "Lokasi di Kabupaten Lebak, bukan Kota Padang." in html


def test_a_transfer_with_htmx_redirects_to_the_inbox(as_user):
    report = recent_routed()
    response = act(as_user("officer"), report, "transfer", headers={"HX-Request": "true"},
                   agency="pemkab-lebak", reason="Bukan wewenang kami.")
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/petugas/kotak-masuk"
    assert "HX-Location" not in response.headers


def test_an_agency_admin_transfer_within_its_units_stays_on_the_case(as_user):
    report = recent_routed()
    response = act(as_user("agency_admin"), report, "transfer", agency="pemkot-padang",
                   reason="Ditangani langsung oleh pemerintah kota.")
    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/petugas/laporan/{report.reference}"
    assert reload(report).agency.slug == "pemkot-padang"


def test_a_response_moves_the_report_on_and_reaches_the_reporter(app, as_user):
    report, receipt = recent()
    act(as_user("national_admin"), report, "route", agency="dinkes-kota-padang", resolution_class="ringan")
    client = as_user("officer")
    response = act(client, report, "respond", text="Puskesmas sudah kami tegur; jadwal buka ditempel.")
    assert response.status_code == 303
    report = reload(report)
    assert report.status == Status.IN_PROGRESS and report.first_response_at is not None
    tracked = open_tracking(app, receipt.tracking_code)
    assert "Puskesmas sudah kami tegur; jadwal buka ditempel." in tracked
    assert "Sedang ditindaklanjuti" in tracked


def test_resolving(app, as_user):
    report, receipt = recent()
    act(as_user("national_admin"), report, "route", agency="dinkes-kota-padang", resolution_class="ringan")
    client = as_user("officer")
    act(client, report, "respond", text="Kami periksa.")
    missing = act(client, report, "resolve", text="")
    assert missing.status_code == 422
    assert field_error(missing.get_data(as_text=True), "resolve-text-error").endswith("Teks wajib diisi.")

    assert act(client, report, "resolve", text="Jadwal puskesmas kini dipatuhi.").status_code == 303
    report = reload(report)
    assert report.status == Status.RESOLVED and report.resolved_at is not None
    page = HTMLPage(client.get(f"/petugas/laporan/{report.reference}").get_data(as_text=True))
    assert "Diselesaikan instansi" in page.find("span", class_="status").text
    assert {e.get("value") for e in page.find_all("input", name="action")} == {"note"}
    assert "Jadwal puskesmas kini dipatuhi." in open_tracking(app, receipt.tracking_code)
    assert events_of(report) == ["submit", "route", "respond", "resolve"]


def test_resolving_first_shows_what_the_reporter_will_read_and_asks_to_confirm(app, as_user):
    report, receipt = recent()
    act(as_user("national_admin"), report, "route", agency="dinkes-kota-padang", resolution_class="ringan")
    client = as_user("officer")
    summary = "Jadwal dipatuhi. Petugas Rina Wati 0812-3456-7890 sudah ditegur."
    response = act(client, report, "resolve", text=summary, confirm_resolution="")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    page = HTMLPage(html)
    assert "Periksa sebelum menyatakan selesai" in page.find("h1").text
    assert summary in html  # what the reporter reads, as typed
    assert "0812-3456-7890" in html and "[TELEPON]" in html  # and what the public reads, masked
    assert f"{sla.REPORTER_ANSWER_DAYS} hari kerja" in html
    assert {e.get("value") for e in page.find_all("input", name="text")} == {summary}
    assert reload(report).status == Status.ROUTED  # nothing done yet
    assert events_of(report) == ["submit", "route"]

    # "Ubah ringkasan": back to the form, the text kept, the resolve action open.
    edit = act(client, report, "resolve", text=summary, confirm_resolution="", edit="y")
    assert edit.status_code == 200
    edit_page = HTMLPage(edit.get_data(as_text=True))
    assert edit_page.by_id("resolve-text").text == summary
    assert events_of(report) == ["submit", "route"]

    # The confirmation's own form resolves.
    assert act(client, report, "resolve", text=summary).status_code == 303
    assert reload(report).status == Status.RESOLVED
    assert events_of(report) == ["submit", "route", "resolve"]


def test_the_resolution_check_refuses_as_resolving_would(as_user):
    report = recent_routed()
    client = as_user("officer")
    missing = act(client, report, "resolve", text="  ", confirm_resolution="")
    assert missing.status_code == 422
    assert field_error(missing.get_data(as_text=True), "resolve-text-error").endswith("Teks wajib diisi.")
    another_agency = as_user("lebak")  # outside its scope: as if the report did not exist
    assert act(another_agency, report, "resolve", text="Selesai.", confirm_resolution="").status_code == 404


def test_the_resolution_check_by_htmx_swaps_into_the_case(as_user):
    report = recent_routed()
    client = as_user("officer")
    response = act(client, report, "resolve", headers={"HX-Request": "true"}, text="Sudah beres.",
                   confirm_resolution="")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("{#") is False and 'id="case"' in html and "<html" not in html
    assert "data-takes-focus" in html


@pytest.mark.parametrize("who,action,fields,message", [
    ("officer", "resolve", dict(text="Lagi."), "Tindakan ini tidak dapat dilakukan pada status laporan saat ini."),
    ("officer", "hapus", dict(), "Tindakan tidak dikenal."),
    ("national_admin", "respond", dict(text="Tanggapan admin."), "Anda tidak berwenang melakukan tindakan ini."),
])
def test_an_action_that_is_not_allowed_now_is_refused_with_a_message(as_user, who, action, fields, message):
    report = recent_routed()
    officer = as_user("officer")
    act(officer, report, "resolve", text="Selesai.")
    response = act(as_user(who), report, action, **fields)
    assert response.status_code == 422
    page = HTMLPage(response.get_data(as_text=True))
    assert message in page.find(class_="error-summary").text
    assert events_of(report) == ["submit", "route", "resolve"]


# --- htmx and the no-JS path --------------------------------------------------------------------

def test_an_action_without_htmx_redirects_with_303_and_a_notice(as_user):
    report = recent_routed()
    client = as_user("officer")
    response = act(client, report, "note", text="Catatan.")
    assert response.status_code == 303
    assert urlsplit(response.location).path == f"/petugas/laporan/{report.reference}"
    followed = client.get(response.location)
    assert "Tindakan tersimpan." in followed.get_data(as_text=True)
    assert "<html" in followed.get_data(as_text=True)


def test_an_action_with_htmx_answers_204_and_where_to_go(as_user):
    report = recent_routed()
    client = as_user("officer")
    response = act(client, report, "respond", headers={"HX-Request": "true"}, text="Kami tindak lanjuti.")
    assert response.status_code == 204
    assert response.get_data() == b""
    location = json.loads(response.headers["HX-Location"])
    assert location == {"path": f"/petugas/laporan/{report.reference}", "target": "#case",
                        "swap": "outerHTML"}
    # What htmx then fetches: the case fragment, in its new state.
    fragment = client.get(location["path"], headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert html.lstrip().startswith('<div id="case">') and "<html" not in html
    assert "Kami tindak lanjuti." in html
    assert "HX-Request" in fragment.headers.get("Vary", "")
    assert reload(report).status == Status.IN_PROGRESS
    # The result is said in the fragment, in a status region that takes the focus, once.
    status = HTMLPage(html).find("div", class_="case-status")
    assert status is not None and status.get("role") == "status" and "data-takes-focus" in status.attrs
    assert "Tindakan tersimpan." in status.text
    assert "Tindakan tersimpan." not in client.get(location["path"]).get_data(as_text=True)


def test_an_htmx_action_with_an_error_returns_the_fragment_with_422(as_user):
    report = recent_routed()
    response = act(as_user("officer"), report, "respond", headers={"HX-Request": "true"}, text="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="case">') and "<html" not in html
    assert field_error(html, "respond-text-error").endswith("Teks wajib diisi.")


@pytest.mark.parametrize("token", [None, "", "bukan-token"], ids=["missing", "empty", "forged"])
def test_an_action_without_a_valid_csrf_token_is_refused(as_user, token):
    report = recent_routed()
    client = as_user("officer")
    data = {"action": "note", "text": "Catatan."}
    if token is not None:
        data["csrf_token"] = token
    response = client.post(f"/petugas/laporan/{report.reference}/tindakan", data=data)
    assert response.status_code == 400
    assert events_of(report) == ["submit", "route"]


@pytest.mark.parametrize("path", ["/petugas/kotak-masuk", "/petugas/verifikasi"])
def test_lists_return_only_the_rows_to_htmx(as_user, path):
    recent_routed()
    recent()
    client = as_user("national_admin")
    full = client.get(path)
    partial = client.get(path, headers={"HX-Request": "true"})
    boosted = client.get(path, headers={"HX-Request": "true", "HX-Boosted": "true"})
    for response in (full, partial, boosted):
        assert response.status_code == 200
        assert "HX-Request" in response.headers.get("Vary", "")
    assert "<html" in full.get_data(as_text=True)
    assert "<html" in boosted.get_data(as_text=True)
    html = partial.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="rows"') and "<html" not in html
    assert listed(html) == listed(full.get_data(as_text=True))
    assert len(listed(html)) == 1


def test_the_filter_form_works_without_javascript_and_with_htmx(as_user):
    page = HTMLPage(as_user("officer").get("/petugas/kotak-masuk").get_data(as_text=True))
    form = page.find("form", class_="filters")
    assert form.get("method") == "get" and form.get("action") == "/petugas/kotak-masuk"
    assert form.get("hx-get") == "/petugas/kotak-masuk" and form.get("hx-target") == "#rows"
    assert page.within(form, "button", type="submit")


def test_agency_search_for_route_and_transfer(as_user):
    client = as_user("officer")
    response = client.get("/petugas/instansi?agency_q=lebak", headers={"HX-Request": "true"})
    assert response.status_code == 200
    values = [o.get("value") for o in HTMLPage(response.get_data(as_text=True)).find_all("option")]
    assert "pemkab-lebak" in values and "dinkes-kota-padang" not in values
    # Without JavaScript the same search reloads the case page with the choices narrowed.
    report = recent_routed()
    page = HTMLPage(client.get(f"/petugas/laporan/{report.reference}?open=transfer&agency_q=lebak")
                    .get_data(as_text=True))
    assert "pemkab-lebak" in [o.get("value") for o in page.within(page.by_id("transfer-agency"), "option")]


# --- the inbox: filters, search, order, pages --------------------------------------------------

def at(day: date, hour: int = 3) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc)


@pytest.fixture
def inbox_reports(db_session, frozen_clock):
    """Five reports of dinkes-kota-padang in different states, one of pemkab-lebak, seen on
    INBOX_NOW (the filters below name their days)."""
    from app.services import workflow

    frozen_clock.move_to(INBOX_NOW)

    officer = factories.actor("officer")
    today = local_date(NOW())

    def routed(submitted: date, **overrides):
        overrides.setdefault("incident_date", submitted - timedelta(days=1))
        return factories.routed_report(now=at(submitted), **overrides)

    overdue = routed(today - timedelta(days=40), title="Antrean obat sangat panjang",
                     resolution_class="ringan", category_slug="kesehatan")
    repairing = routed(date(2026, 11, 10), title="Atap puskesmas bocor", category_slug="infrastruktur")
    workflow.apply(repairing, "respond", officer, at(date(2026, 11, 11)),
                   workflow.ActionInput(text="Tukang sudah kami kirim."))
    waiting = routed(date(2026, 11, 17), title="Jadwal imunisasi tidak jelas",
                     body="Posyandu di RW 04 tidak mengumumkan jadwal imunisasi bulan ini sama sekali.")
    workflow.apply(waiting, "request_info", officer, at(date(2026, 11, 18)),
                   workflow.ActionInput(text="Posyandu yang mana?"))
    fresh = routed(date(2026, 11, 20), title="Dokter jaga tidak hadir", resolution_class="berat")
    elsewhere = routed(date(2026, 11, 12), to="pemkab-lebak", title="Atap sekolah bocor")
    db.session.commit()
    return SimpleNamespace(overdue=overdue, repairing=repairing, waiting=waiting, fresh=fresh,
                           elsewhere=elsewhere, today=today)


INBOX_FILTERS = [
    ("", {"overdue", "repairing", "fresh"}),              # the work to do: not what waits on the reporter
    ("status=semua", {"overdue", "repairing", "waiting", "fresh"}),
    ("status=in_progress", {"repairing"}),
    ("status=on_hold", {"waiting"}),
    ("status=closed", set()),
    ("status=bukan-status", {"overdue", "repairing", "waiting", "fresh"}),
    ("category=infrastruktur", {"repairing"}),
    ("category=kesehatan&status=semua", {"overdue", "waiting", "fresh"}),
    ("overdue=y", {"overdue"}),
    ("from=2026-11-10&to=2026-11-17&status=semua", {"repairing", "waiting"}),
    ("from=2026-11-18", {"fresh"}),
    ("to=2026-11-10", {"overdue", "repairing"}),
    ("from=bukan-tanggal&status=semua", {"overdue", "repairing", "waiting", "fresh"}),
    ("q=bocor", {"repairing"}),
    ("q=BOCOR", {"repairing"}),
    ("q=posyandu&status=semua", {"waiting"}),             # the body is searched too
    ("q=jadwal+posyandu&status=semua", {"waiting"}),      # every word must match
    ("q=imunisasi+dokter", set()),
    ("q=%25", set()),                                     # LIKE wildcards are literal
    ("q=_", set()),
    ("status=in_progress&category=kesehatan", set()),
]


@pytest.mark.parametrize("query,expected", INBOX_FILTERS, ids=[q or "all" for q, _e in INBOX_FILTERS])
def test_inbox_filters(as_user, inbox_reports, query, expected):
    client = as_user("officer")
    response = client.get("/petugas/kotak-masuk?" + query)
    assert response.status_code == 200
    refs = {getattr(inbox_reports, name).reference for name in expected}
    assert set(listed(response.get_data(as_text=True))) == refs
    partial = client.get("/petugas/kotak-masuk?" + query, headers={"HX-Request": "true"})
    assert set(listed(partial.get_data(as_text=True))) == refs


def test_inbox_search_finds_a_reference(as_user, inbox_reports):
    client = as_user("officer")
    reference = inbox_reports.fresh.reference
    for typed in (reference, reference.lower(), reference[-7:]):
        assert listed(client.get(f"/petugas/kotak-masuk?q={typed}").get_data(as_text=True)) == [reference]
    # Another agency's report is not found by its reference either.
    assert listed(client.get(f"/petugas/kotak-masuk?q={inbox_reports.elsewhere.reference}")
                  .get_data(as_text=True)) == []


def test_the_filter_form_shows_the_filters_in_use(as_user, inbox_reports):
    html = as_user("officer").get("/petugas/kotak-masuk?q=bocor&status=in_progress&category=infrastruktur"
                                  "&overdue=y&from=2026-11-01&to=2026-11-30&sort=newest").get_data(as_text=True)
    page = HTMLPage(html)
    assert page.by_id("q").get("value") == "bocor"
    assert page.by_id("from").get("value") == "2026-11-01"
    assert page.by_id("to").get("value") == "2026-11-30"
    assert "checked" in page.by_id("overdue").attrs
    for select_id, value in (("status", "in_progress"), ("category", "infrastruktur"), ("sort", "newest")):
        chosen = [o.get("value") for o in page.within(page.by_id(select_id), "option") if "selected" in o.attrs]
        assert chosen == [value]


def test_the_inbox_is_sorted_by_deadline_with_paused_clocks_last(as_user, inbox_reports):
    refs = listed(as_user("officer").get("/petugas/kotak-masuk?sort=deadline&status=semua").get_data(as_text=True))
    due = {r.reference: r.due_on for r in (inbox_reports.overdue, inbox_reports.repairing,
                                           inbox_reports.waiting, inbox_reports.fresh)}
    assert refs[0] == inbox_reports.overdue.reference
    assert refs[-1] == inbox_reports.waiting.reference and due[refs[-1]] is None
    dated = [due[r] for r in refs[:-1]]
    assert None not in dated and dated == sorted(dated)
    # The default is the deadline order.
    assert listed(as_user("officer").get("/petugas/kotak-masuk?status=semua").get_data(as_text=True)) == refs


def test_the_inbox_sorts_by_submission(as_user, inbox_reports):
    client = as_user("officer")
    by_age = [inbox_reports.overdue, inbox_reports.repairing, inbox_reports.waiting, inbox_reports.fresh]
    oldest = listed(client.get("/petugas/kotak-masuk?sort=oldest&status=semua").get_data(as_text=True))
    newest = listed(client.get("/petugas/kotak-masuk?sort=newest&status=semua").get_data(as_text=True))
    assert oldest == [r.reference for r in by_age]
    assert newest == oldest[::-1]


def test_the_overdue_row_says_so(as_user, inbox_reports):
    page = HTMLPage(as_user("officer").get("/petugas/kotak-masuk?overdue=y").get_data(as_text=True))
    row = page.find("li", class_="case-row")
    assert page.within(row, "strong", class_="overdue")
    assert "terlambat" in row.text


@pytest.fixture
def many_reports(db_session):
    """27 reports routed to dinkes-kota-padang: more than one page."""
    start = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
    reports = [factories.routed_report(now=start + timedelta(hours=6 * n), incident_date=date(2026, 11, 1),
                                       title=f"Laporan berhalaman nomor {n:02d}")
               for n in range(inbox.PAGE_SIZE + 2)]
    return reports


def test_the_inbox_is_paginated(as_user, many_reports):
    client = as_user("officer")
    first = client.get("/petugas/kotak-masuk?q=berhalaman&sort=oldest")
    page = HTMLPage(first.get_data(as_text=True))
    first_refs = listed(first.get_data(as_text=True))
    assert len(first_refs) == inbox.PAGE_SIZE
    assert "27 laporan" in page.by_id("rows").text and "halaman 1 dari 2" in page.by_id("rows").text
    assert page.find("a", rel="prev") is None
    next_link = urlsplit(page.find("a", rel="next").get("href"))
    assert next_link.path == "/petugas/kotak-masuk"
    assert parse_qs(next_link.query) == {"q": ["berhalaman"], "sort": ["oldest"], "page": ["2"]}

    second = client.get(page.find("a", rel="next").get("href"))
    page2 = HTMLPage(second.get_data(as_text=True))
    second_refs = listed(second.get_data(as_text=True))
    assert len(second_refs) == 2
    assert page2.find("a", rel="next") is None
    assert parse_qs(urlsplit(page2.find("a", rel="prev").get("href")).query)["page"] == ["1"]
    assert first_refs + second_refs == [r.reference for r in many_reports]

    # htmx asks for the same pages and gets the same rows, navigation included.
    partial = client.get(page.find("a", rel="next").get("href"), headers={"HX-Request": "true"})
    assert listed(partial.get_data(as_text=True)) == second_refs
    assert 'rel="prev"' in partial.get_data(as_text=True)


def test_an_impossible_page_number_shows_the_nearest_page(as_user, many_reports):
    client = as_user("officer")
    for asked, shown in (("0", 1), ("-3", 1), ("abc", 1), ("2", 2), ("99", 2)):
        html = client.get(f"/petugas/kotak-masuk?q=berhalaman&page={asked}").get_data(as_text=True)
        assert f"halaman {shown} dari 2" in html, asked
        assert len(listed(html)) == (inbox.PAGE_SIZE if shown == 1 else 2), asked


def test_the_verification_queue_filters_and_pages_too(as_user, db_session):
    for n in range(inbox.PAGE_SIZE + 1):
        factories.file_report(now=datetime(2026, 11, 20, 1, n, tzinfo=timezone.utc),
                              title=f"Laporan antrean {n:02d}")
    other = factories.file_report(now=datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc),
                                  title="Laporan lain sama sekali", category_slug="infrastruktur")
    client = as_user("national_admin")
    html = client.get("/petugas/verifikasi?q=antrean").get_data(as_text=True)
    assert len(listed(html)) == inbox.PAGE_SIZE and "halaman 1 dari 2" in html
    assert listed(client.get("/petugas/verifikasi?category=infrastruktur").get_data(as_text=True)) == [other.reference]
    # The status filter does not apply to the queue (it is always "waiting for verification").
    assert len(listed(client.get("/petugas/verifikasi?status=closed&q=antrean").get_data(as_text=True))) == inbox.PAGE_SIZE
    assert 'id="status"' not in html


def test_every_count_on_the_page_matches_the_database(as_user, inbox_reports):
    html = as_user("officer").get("/petugas/kotak-masuk?status=semua").get_data(as_text=True)
    total = db.session.scalar(select(func.count()).select_from(Report).where(
        Report.agency_id == factories.agency("dinkes-kota-padang").id))
    assert f"{total} laporan" in HTMLPage(html).by_id("rows").text


def test_each_inbox_row_names_its_clock_and_the_reporters_window_is_never_late(as_user, inbox_reports):
    from app.services import workflow

    resolved = factories.routed_report(now=at(inbox_reports.today - timedelta(days=40)),
                                       incident_date=date(2026, 9, 1), title="Lampu taman mati")
    workflow.apply(resolved, "resolve", factories.actor("officer"),
                   at(inbox_reports.today - timedelta(days=30)), workflow.ActionInput(text="Sudah menyala."))
    db.session.commit()
    html = HTMLPage(as_user("officer").get("/petugas/kotak-masuk?status=semua").get_data(as_text=True))

    def row_of(report):
        link = next(a for a in html.find_all("a") if a.get("href") == f"/petugas/laporan/{report.reference}")
        return " ".join(link.parent.text.split())

    late = row_of(inbox_reports.overdue)
    assert "Tindak lanjut pertama oleh instansi" in late and "terlambat" in late
    waiting = row_of(resolved)
    assert "Jawaban pelapor atas penyelesaian (bukan tenggat instansi)" in waiting
    assert "terlambat" not in waiting
    assert [c.get("data-clock") for c in html.find_all("span", class_="clock")].count("reporter_answer") == 1
    overdue_only = as_user("officer").get("/petugas/kotak-masuk?overdue=y").get_data(as_text=True)
    assert listed(overdue_only) == [inbox_reports.overdue.reference]


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=9999-12-31"])
def test_inbox_dates_at_the_ends_of_the_calendar_filter_nothing_out(as_user, query):
    report = recent_routed()
    waiting, _receipt = recent()
    inbox_html = as_user("officer").get(f"/petugas/kotak-masuk?{query}").get_data(as_text=True)
    assert listed(inbox_html) == [report.reference]
    queue = as_user("national_admin").get(f"/petugas/verifikasi?{query}")
    assert queue.status_code == 200 and listed(queue.get_data(as_text=True)) == [waiting.reference]


NOT_STORABLE = "Teks berisi karakter yang tidak diizinkan."


@pytest.mark.parametrize("fields, error_id, message", [
    (dict(agency="dinkes-kota-padang", resolution_class="ringan", public_title="x" * 201),
     "route-public_title-error", "Paling banyak 200 karakter."),
    (dict(agency="dinkes-kota-padang", resolution_class="ringan", public_title="Judul\x00"),
     "route-public_title-error", NOT_STORABLE),
    (dict(agency="dinkes-kota-padang", resolution_class="ringan", public_body="Teks\x00publik"),
     "route-public_body-error", NOT_STORABLE),
    (dict(agency="dinkes\x00", resolution_class="ringan"), "route-agency-error", NOT_STORABLE),
    (dict(agency="dinkes-kota-padang", resolution_class="ringan", category="a\x00"),
     "route-category-error", NOT_STORABLE),
], ids=["long-title", "nul-title", "nul-body", "nul-agency", "nul-category"])
def test_route_text_that_cannot_be_stored_is_a_field_error(as_user, fields, error_id, message):
    report, _receipt = recent()
    response = act(as_user("national_admin"), report, "route", **fields)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), error_id).endswith(message)
    page = HTMLPage(response.get_data(as_text=True))
    if error_id == "route-public_title-error":
        assert page.by_id("route-public_title").get("aria-invalid") == "true"
    assert reload(report).status == Status.SUBMITTED and events_of(report) == ["submit"]


@pytest.mark.parametrize("action, fields, error_id", [
    ("note", dict(text="Catatan\x00internal"), "note-text-error"),
    ("respond", dict(text="Jawaban\x00"), "respond-text-error"),
    ("transfer", dict(agency="pemkab-lebak", reason="Bukan\x00wewenang"), "transfer-reason-error"),
    ("respond", dict(text="j" * 20_001), "respond-text-error"),
])
def test_officer_text_that_cannot_be_stored_is_a_field_error(as_user, action, fields, error_id):
    report = recent_routed()
    before = events_of(report)
    response = act(as_user("officer"), report, action, **fields)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), error_id)
    assert events_of(report) == before


# --- an anonymous reporter stays anonymous to every agency role ---------------------------------

ANON_BODY = ("Saya Siti Anonimah (NIK 3171015505900001), tinggal di Jl. Mawar No. 3. Petugas loket "
             "meminta uang. Hubungi saya di 0812-3456-7890 atau siti.anonimah@example.com. "
             "Petugasnya bernama Andi, nomornya 0813-9999-8888.")


@pytest.fixture
def anonymous_case(db_session):
    """An anonymous report routed to Dinkes Padang whose text and files name the reporter, and a
    later message in which the reporter names themself again."""
    report = recent_routed(
        title="Siti Anonimah: puskesmas tutup", body=ANON_BODY, is_anonymous=True,
        reporter_name="Siti Anonimah", reporter_email="siti.anonimah@example.com",
        reporter_phone="081234567890",
        staged_tokens=[factories.staged_pdf("KTP_Siti_Anonimah.pdf"),
                       factories.staged_pdf("foto rumah Siti.pdf")])
    from app.services import reporter as reporter_service
    reporter_service.add_information(report, "Ini Siti lagi, nomor saya 0812 3456 7890.", [],
                                     NOW(), 5)
    db.session.commit()
    return report


SECRETS = ("Siti", "Anonimah", "3171015505900001", "0812-3456-7890", "0812 3456 7890",
           "siti.anonimah@example.com", "KTP_")


@pytest.mark.parametrize("who", ["officer", "agency_admin"])
def test_an_agency_role_reads_an_anonymous_report_without_the_reporters_identity(
        as_user, anonymous_case, who):
    client = as_user(who)
    page = client.get(f"/petugas/laporan/{anonymous_case.reference}").get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in page, secret
    html = HTMLPage(page)
    assert html.by_id("content-title").text.strip() == "Isi laporan"
    body = page.split('class="report-body">')[1].split("</blockquote>")[0]
    # The agency text: the reviewed public version, fully redacted (address and third
    # parties' numbers too); never the raw text with a few strings masked.
    assert body.startswith("Saya [NAMA] (NIK [NIK]), tinggal di [ALAMAT].")
    assert "Hubungi saya di [TELEPON] atau [EMAIL]." in body
    assert "Jl. Mawar" not in page and "0813-9999-8888" not in page
    assert "Petugasnya bernama [NAMA]" in body
    assert "[NAMA]: puskesmas tutup" in page  # the title
    assert "Ini [NAMA] lagi, nomor saya [TELEPON]." in page  # the reporter's message
    # ... which the verifier never reviewed, and the page says so.
    assert "disamarkan penuh secara otomatis, belum diperiksa verifikator" in page
    # Attachments under generic names, on the page and as downloads.
    assert "lampiran-1.pdf" in page and "lampiran-2.pdf" in page
    first = min(anonymous_case.attachments, key=lambda a: a.id)
    response = client.get(f"/petugas/lampiran/{first.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="lampiran-1.pdf"'


@pytest.mark.parametrize("who", ["national_admin", "oversight"])
def test_the_verifier_and_oversight_read_the_original(app, staff, anonymous_case, who):
    if who == "oversight":
        staff.oversight = factories.make_user("oversight")
        db.session.commit()
    client = app.test_client()
    client.token = login(client, getattr(staff, who))
    page = client.get(f"/petugas/laporan/{anonymous_case.reference}").get_data(as_text=True)
    assert "Siti Anonimah: puskesmas tutup" in page
    assert "Saya Siti Anonimah (NIK 3171015505900001)" in page
    assert "KTP_Siti_Anonimah.pdf" in page and "foto rumah Siti.pdf" in page
    assert HTMLPage(page).by_id("content-title").text.strip() == "Isi laporan (asli)"
    # The contact itself stays hidden from everyone (access.can_see_contact).
    assert "081234567890" not in page


def test_a_named_report_is_read_as_written_by_the_agency(as_user, db_session):
    report = recent_routed(title="Budi Terbuka: puskesmas tutup", reporter_name="Budi Terbuka",
                           staged_tokens=[factories.staged_pdf("KTP_Budi.pdf")])
    page = as_user("officer").get(f"/petugas/laporan/{report.reference}").get_data(as_text=True)
    assert "Budi Terbuka: puskesmas tutup" in page and "KTP_Budi.pdf" in page


def test_the_inbox_neither_shows_nor_finds_an_anonymous_reporters_name(as_user, anonymous_case):
    client = as_user("officer")
    rows = client.get("/petugas/kotak-masuk").get_data(as_text=True)
    assert anonymous_case.reference in rows
    assert "[NAMA]: puskesmas tutup" in rows and "Anonimah" not in rows
    # A search for the name must not single the report out …
    found = client.get("/petugas/kotak-masuk?q=Anonimah").get_data(as_text=True)
    assert anonymous_case.reference not in found
    # … a search for what the public text says still finds it.
    assert anonymous_case.reference in client.get(
        f"/petugas/kotak-masuk?q={anonymous_case.reference}").get_data(as_text=True)


# --- the inbox opens on the work to do, with counters ------------------------------------------

def _counters(page: HTMLPage) -> dict[str, tuple[int, str]]:
    """{label words: (count, link)} of the counters above the inbox."""
    nav = page.find("nav", **{"aria-label": "Ringkasan pekerjaan"})
    found = {}
    for link in page.within(nav, "a"):
        number, _space, words = " ".join(link.text.split()).partition(" ")
        found[words.split(" (")[0]] = (int(number.replace(".", "")), link.get("href"))
    return found


def test_the_inbox_opens_on_the_work_to_do_and_each_counter_lists_what_it_counts(as_user, inbox_reports):
    inbox_reports.fresh.due_on = inbox_reports.today  # its agency clock ends today
    db.session.commit()
    client = as_user("officer")
    page = HTMLPage(client.get("/petugas/kotak-masuk").get_data(as_text=True))
    chosen = [o.get("value") for o in page.within(page.by_id("status"), "option") if "selected" in o.attrs]
    assert chosen == [] and page.within(page.by_id("status"), "option")[0].text.startswith("Perlu tindakan")

    counters = _counters(page)
    assert counters["perlu tindakan"][0] == 3  # routed or in progress; not the one on hold
    assert counters["terlambat"][0] == 1
    assert counters["jatuh tempo hari ini"][0] == 1
    week = counters["jatuh tempo minggu ini"][0]
    assert week >= 1
    for words, (count, link) in counters.items():
        assert len(listed(client.get(link).get_data(as_text=True))) == count, words

    today_rows = client.get(counters["jatuh tempo hari ini"][1]).get_data(as_text=True)
    assert listed(today_rows) == [inbox_reports.fresh.reference]
    row = HTMLPage(today_rows).find("strong", class_="due-today")
    assert row is not None and "jatuh tempo hari ini" in row.text
    assert "sisa 0 hari kerja" not in today_rows


def test_the_counters_count_only_the_officers_own_agency(as_user, inbox_reports):
    lebak = as_user("lebak")
    counters = _counters(HTMLPage(lebak.get("/petugas/kotak-masuk").get_data(as_text=True)))
    assert counters["perlu tindakan"][0] == 1  # pemkab-lebak's one report
    late = listed(lebak.get(counters["terlambat"][1]).get_data(as_text=True))
    assert len(late) == counters["terlambat"][0] and set(late) <= {inbox_reports.elsewhere.reference}


def test_the_filters_fold_on_a_phone_and_open_when_in_use(as_user, inbox_reports):
    client = as_user("officer")
    folded = HTMLPage(client.get("/petugas/kotak-masuk").get_data(as_text=True)).find("details", class_="filter-fold")
    assert folded is not None and "open" not in folded.attrs and "data-open-wide" in folded.attrs
    used = HTMLPage(client.get("/petugas/kotak-masuk?q=bocor").get_data(as_text=True)).find("details", class_="filter-fold")
    assert "open" in used.attrs


def test_an_anonymous_reporters_video_reaches_the_agency_as_lampiran_n_mp4_without_metadata(
        as_user, db_session):
    """A video filmed on the reporter's phone: the agency gets it under a generic name, with
    neither the place it was filmed nor the phone that filmed it (issue 14)."""
    report = recent_routed(title="Pungli di loket", is_anonymous=True,
                           reporter_name="Siti Anonimah", reporter_email="siti@example.com",
                           staged_tokens=[factories.staged_video("VID_Siti_Anonimah.mov", "mov")])
    db.session.commit()
    client = as_user("officer")
    page = client.get(f"/petugas/laporan/{report.reference}").get_data(as_text=True)
    assert "lampiran-1.mp4" in page and "Siti" not in page
    (video,) = report.attachments
    response = client.get(f"/petugas/lampiran/{video.id}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "video/mp4"
    assert response.headers["Content-Disposition"] == 'attachment; filename="lampiran-1.mp4"'
    for secret in (factories.VIDEO_GPS, "106.8456", factories.VIDEO_DEVICE, factories.VIDEO_MAKE):
        assert secret.encode() not in response.data, secret
    tags, _streams, types = factories.video_tags(response.data)
    assert set(tags) <= {"major_brand", "minor_version", "compatible_brands"}
    assert types == ["video", "audio"]
