"""English is complete: the language switch, every reporter page and error message in English,
and translation catalogs that are fully translated and up to date with the sources."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.extensions import db
from app.models import Report
from app import clock
from app.services import workflow
from tests import factories
from tests.factories import HTMLPage, upload

# Each request gets its own flask.g (see conftest.fresh_g): Flask-Babel keeps the locale it
# chose on g, so without this a request would still see the previous request's language.
pytestmark = pytest.mark.usefixtures("fresh_g")

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
POT = TRANSLATIONS / "messages.pot"
PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

# Indonesian words and phrases from our own templates and messages. None of them occurs in the
# data these pages show (agency, region and category names, the test reports' titles and
# texts, holiday names), so finding one on an English page means an untranslated string.
INDONESIAN = [r"laporan", r"\bwajib\b", r"\bKirim\b", r"\bLacak\b", r"hari kerja", r"\bAnda\b",
              r"\bBeranda\b", r"kode pelacakan", r"tanda terima", r"\bTenggat\b", r"instansi",
              r"\bSimpan\b", r"\bPilih\b", r"\btidak\b", r"\bMasuk\b", r"\bRiwayat\b",
              r"\bLampiran\b", r"\bJudul\b", r"\bUnduh\b", r"\bpetugas\b", r"\bKembali\b",
              r"\bdan\b", r"\byang\b", r"\bdengan\b", r"\batau\b"]
INDONESIAN_RE = re.compile("|".join(INDONESIAN), re.IGNORECASE)


# --- helpers --------------------------------------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def compiled_catalog(app):
    """Compile messages.mo when it is missing or older than messages.po (``make translations``
    does the same), so that running pytest directly tests the catalog as it is now."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        with PO.open("rb") as source:
            catalog = read_po(source, locale="en")
        partial = MO.with_name(f"messages.{os.getpid()}.mo")
        with partial.open("wb") as target:
            write_mo(target, catalog)
        os.replace(partial, MO)
        with app.app_context():  # forget translations loaded before the compilation
            from flask_babel import get_babel
            get_babel().instance.domain_instance.cache.clear()


class _VisibleText(HTMLParser):
    """The text a visitor reads: text nodes (not scripts or styles) and the attributes that are
    shown or read out (placeholder, title, aria-label, alt)."""

    SHOWN = ("placeholder", "title", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in self.SHOWN and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def assert_english(html: str, where: str) -> None:
    assert '<html lang="en">' in html, f"{where} is not marked as English"
    text = visible_text(html)
    found = sorted({m.group(0) for m in INDONESIAN_RE.finditer(text)})
    context = [text[max(0, m.start() - 60):m.end() + 60] for m in INDONESIAN_RE.finditer(text)][:5]
    assert not found, f"Indonesian on the English {where}: {found}\n" + "\n".join(context)


def switch_language(client, lang: str, next_url: str = "/lapor", token: str | None = None):
    token = token or factories.csrf_from(client.get("/").get_data(as_text=True))
    return client.post("/bahasa", data={"csrf_token": token, "lang": lang, "next": next_url})


@pytest.fixture
def english(client):
    """This client has chosen English with the language switch."""
    response = switch_language(client, "en", "/")
    assert response.status_code == 303
    return client


def file_through_the_form(client, **fields) -> tuple[str, str]:
    """File a valid report through /lapor; return (reference, tracking code) from the receipt."""
    token = factories.csrf_from(client.get("/lapor").get_data(as_text=True))
    data = factories.form_data(incident_date=clock.today().isoformat(), **fields)
    response = factories.post_multipart(client, "/lapor", {**data, "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    page = HTMLPage(client.get("/lapor/terkirim").get_data(as_text=True))
    return page.by_id("reference").text.strip(), page.by_id("tracking-code").text.strip()


def open_tracking(client, code: str):
    token = factories.csrf_from(client.get("/lacak").get_data(as_text=True))
    return client.post("/lacak", data={"csrf_token": token, "tracking_code": code})


# --- the language switch ------------------------------------------------------------------------

def test_switch_to_english_and_back(client):
    assert '<html lang="id">' in client.get("/lapor").get_data(as_text=True)

    response = switch_language(client, "en", "/lapor")
    assert response.status_code == 303
    assert response.headers["Location"] == "/lapor"
    html = client.get("/lapor").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Submit report" in html and "Kirim laporan" not in html
    # the switch now offers Bahasa Indonesia
    assert 'name="lang" value="id"' in client.get("/lacak").get_data(as_text=True)

    response = switch_language(client, "id", "/lapor")
    assert response.status_code == 303
    assert response.headers["Location"] == "/lapor"
    html = client.get("/lapor").get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Kirim laporan" in html and "Submit report" not in html


def test_the_switch_needs_the_csrf_token(client):
    response = client.post("/bahasa", data={"csrf_token": "forged", "lang": "en", "next": "/"})
    assert response.status_code in (303, 400)
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client):
    response = switch_language(client, "fr", "/lacak")
    assert response.status_code == 303
    assert '<html lang="id">' in client.get("/").get_data(as_text=True)


# Browsers read "/\\host" as "//host", and URL parsing drops tabs and newlines ("/\t/host").
@pytest.mark.parametrize("unsafe", ["https://evil.example", "//evil.example", "http:/evil.example",
                                    "\\\\evil.example", "/\\evil.example", "/\t/evil.example",
                                    "/\n/evil.example", " //evil.example", "javascript:alert(1)",
                                    ""])
def test_an_unsafe_next_goes_home(client, unsafe):
    response = switch_language(client, "en", unsafe)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_every_page_offers_the_switch_back_to_where_it_was(client):
    page = HTMLPage(client.get("/lacak").get_data(as_text=True))
    form = page.find("form", action="/bahasa")
    assert form is not None and form.get("method") == "post"
    assert [c.get("value") for c in page.within(form, "input", name="next")] == ["/lacak"]


def test_the_switch_keeps_a_boards_filters(client, db_session):
    page = HTMLPage(client.get("/transparansi/laporan?q=jalan&report_type=aspirasi").get_data(as_text=True))
    form = page.find("form", action="/bahasa")
    assert [c.get("value") for c in page.within(form, "input", name="next")] == [
        "/transparansi/laporan?q=jalan&report_type=aspirasi"]


def test_switching_language_on_the_report_form_keeps_what_was_typed(client, csrf, db_session):
    """On /lapor the switch submits the half-filled form itself: it comes back in English with
    every field and the attached file still there, and without error messages."""
    page = HTMLPage(client.get("/lapor").get_data(as_text=True))
    switch = page.find("button", name="switch_lang")
    assert switch is not None and switch.get("value") == "en"
    assert switch.get("form") == "report-form" and switch.get("formaction") == "/lapor"
    assert page.by_id("report-form") is not None

    data = {"csrf_token": csrf(), "switch_lang": "en", "report_type": "aspirasi",
            "title": "Lampu jalan mati", "body": "Sudah dua minggu lampu di depan pasar padam.",
            "region": "13.71", "is_anonymous": "y", "reporter_email": "warga@example.com",
            "attachments": [upload(factories.small_pdf(), "foto.pdf", "application/pdf")]}
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert_english(html, "report form after the switch")
    page = HTMLPage(html)
    assert page.find("input", name="title").get("value") == "Lampu jalan mati"
    assert "Sudah dua minggu lampu di depan pasar padam." in page.find("textarea", name="body").text
    assert page.find("input", name="reporter_email").get("value") == "warga@example.com"
    assert page.find("input", name="is_anonymous").get("checked") is not None
    assert "foto.pdf" in html  # the staged attachment is offered again
    assert 'aria-invalid="true"' not in html  # a language switch is not a failed submission
    back = page.find("button", name="switch_lang")
    assert back.get("value") == "id"
    assert db_session.query(Report).count() == 0


# --- every reporter page in English -------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/lapor", "/lacak", "/lacak/kode-hilang", "/petugas/masuk",
                                  "/transparansi/", "/transparansi/metodologi"])
def test_pages_are_english(english, path):
    response = english.get(path)
    assert response.status_code == 200
    assert_english(response.get_data(as_text=True), path)


def test_error_pages_are_english(english):
    response = english.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert_english(html, "404 page")


def test_expired_form_page_is_english(english):
    response = english.post("/lacak", data={"tracking_code": "ABCD-EFGH-JKLM-NPQR"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Form expired" in html
    assert_english(html, "expired-form page")


def test_receipt_and_tracking_pages_are_english(english, db_session):
    reference, code = file_through_the_form(english)
    html = english.get("/lapor/terkirim").get_data(as_text=True)
    assert "We have received your report" in html and code in html
    assert_english(html, "receipt page")

    assert open_tracking(english, code).status_code == 303
    html = english.get("/lacak").get_data(as_text=True)
    assert reference in html and "Awaiting verification" in html
    assert_english(html, "tracking page (submitted)")

    # Routed, answered and resolved by the agency: timeline, deadlines and the reporter's options.
    report = db.session.scalar(db.select(Report).where(Report.reference == reference))
    now = clock.now()
    admin = factories.actor("national_admin")
    officer = factories.actor("officer", "pemkot-padang")
    workflow.apply(report, "route", admin, now, workflow.ActionInput(
        agency=factories.agency("pemkot-padang"), resolution_class="sedang"))
    workflow.apply(report, "respond", officer, now + timedelta(seconds=1),
                   workflow.ActionInput(text="A team will inspect the road on Monday."))
    workflow.apply(report, "resolve", officer, now + timedelta(seconds=2),
                   workflow.ActionInput(text="The road was repaired on 20 November."))
    db.session.commit()
    html = english.get("/lacak").get_data(as_text=True)
    assert "Resolved by the agency" in html and "Has your problem been solved?" in html
    assert_english(html, "tracking page (resolved)")


def test_the_session_ended_message_is_english(english):
    token = factories.csrf_from(english.get("/lacak").get_data(as_text=True))
    response = english.post("/lacak/tambah", data={"csrf_token": token, "message": "More."})
    assert response.status_code == 303
    html = english.get("/lacak").get_data(as_text=True)
    assert "Your tracking session has ended" in html
    assert_english(html, "tracking form with a notice")


# --- validation errors in English ---------------------------------------------------------------

@pytest.fixture
def post_report(english):
    def _post(files=None, **fields):
        token = factories.csrf_from(english.get("/lapor").get_data(as_text=True))
        data = {**factories.form_data(**fields), "csrf_token": token}
        if files is not None:
            data["attachments"] = files
        return factories.post_multipart(english, "/lapor", data)
    return _post


def test_form_errors_are_english(post_report, db_session):
    response = post_report(title="", body="short")
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "A title is required." in text
    assert "Write at least 30 characters (at most 20,000)." in text
    assert "wajib diisi" not in text and "Ceritakan minimal" not in text


def test_a_date_in_the_future_is_refused_in_english(post_report, db_session):
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    response = post_report(incident_date=tomorrow)
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "The date of the incident cannot be in the future." in text
    assert "masa depan" not in text


def test_an_unknown_agency_is_refused_in_english(post_report, db_session):
    response = post_report(agency="tidak-ada")
    assert response.status_code == 422
    assert "Unknown agency." in visible_text(response.get_data(as_text=True))


def test_a_mistyped_upload_is_refused_in_english(post_report, db_session):
    response = post_report(files=[upload(b"just some text, not a photo", "foto.jpg", "image/jpeg")])
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "foto.jpg: this type of file is not accepted. Send a JPEG, PNG or PDF, or an MP4 or WebM video." in text
    assert "jenis berkas" not in text


def test_an_oversized_upload_is_refused_in_english(post_report, db_session, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    response = post_report(files=[upload(b"%PDF-1.4\n" + b"0" * (1024 * 1024), "besar.pdf",
                                         "application/pdf")])
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "besar.pdf: the file is larger than 1 MB." in text
    assert "ukuran berkas" not in text


def test_a_broken_image_is_refused_in_english(post_report, db_session):
    broken = factories.jpeg_with_gps()[:200]  # a JPEG header with the image data cut off
    response = post_report(files=[upload(broken, "rusak.jpg", "image/jpeg")])
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "rusak.jpg: " in text
    assert "rusak atau tidak dapat dibaca" not in text and "jenis berkas" not in text


def test_too_many_attachments_are_refused_in_english(post_report, db_session, app):
    limit = app.config["MAX_ATTACHMENTS"]
    files = [upload(factories.small_pdf(), f"doc{n}.pdf", "application/pdf")
             for n in range(limit + 1)]
    response = post_report(files=files, title="")  # the title error keeps the form on screen
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert f"doc{limit}.pdf was not saved: you can attach at most {limit} files." in text


def test_a_file_name_in_a_translated_error_is_escaped(post_report, db_session):
    response = post_report(files=[upload(b"not an image", "<em>x<em>.jpg", "image/jpeg")])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<em>x" not in html
    assert "&lt;em&gt;x&lt;em&gt;.jpg: this type of file is not accepted" in html


def test_an_unknown_tracking_code_is_refused_in_english(english, db_session):
    response = open_tracking(english, "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Code not found." in visible_text(html)
    assert_english(html, "tracking form with an error")


def test_a_form_with_errors_is_titled_error_in_english(english, db_session):
    response = open_tracking(english, "")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Error: Track a report")


def test_the_lost_code_answer_is_english(english, db_session):
    token = factories.csrf_from(english.get("/lacak/kode-hilang").get_data(as_text=True))
    response = english.post("/lacak/kode-hilang", data={
        "csrf_token": token, "reference": "LPR-2026-9999999", "email": "a@example.com"})
    assert response.status_code == 200
    assert_english(response.get_data(as_text=True), "lost-code answer")


def test_a_refused_reporter_action_is_english(english, db_session):
    _reference, code = file_through_the_form(english)
    open_tracking(english, code)
    token = factories.csrf_from(english.get("/lacak").get_data(as_text=True))
    response = english.post("/lacak/nilai", data={"csrf_token": token, "score": "5"})
    assert response.status_code == 422
    text = visible_text(response.get_data(as_text=True))
    assert "You can rate the handling once the agency has resolved the report." in text


def test_indonesian_stays_the_default(client, db_session):
    response = client.post("/lacak", data={"csrf_token": factories.csrf_from(
        client.get("/lacak").get_data(as_text=True)), "tracking_code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert '<html lang="id">' in html and "Kode tidak ditemukan." in html


# --- the catalogs ---------------------------------------------------------------------------------

def _keys(catalog) -> set:
    return {(m.context, m.id) for m in catalog if m.id}


def test_english_catalog_is_complete():
    with PO.open("rb") as source:
        catalog = read_po(source, locale="en")
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    untranslated = [m.id for m in catalog if m.id and (
        not all(m.string) if isinstance(m.string, (tuple, list)) else not m.string)]
    assert fuzzy == [], f"fuzzy entries in {PO.name}: {fuzzy}"
    assert untranslated == [], f"untranslated entries in {PO.name}: {untranslated}"
    problems = [(m.id, errors) for m, errors in catalog.check()]
    assert problems == [], f"placeholders that do not match: {problems}"
    plural = [m for m in catalog if m.id and m.pluralizable]
    assert plural and all(len(m.string) == catalog.num_plurals for m in plural)


def _extract_command(output: Path) -> list[str]:
    """The Makefile's ``pybabel extract`` line, writing to ``output``."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    line = next(line for line in makefile.splitlines()
                if "pybabel extract" in line and not line.lstrip().startswith("#"))
    args = shlex.split(line.strip())
    args[0] = str(Path(sys.executable).parent / "pybabel")
    args[args.index("-o") + 1] = str(output)
    return args


def test_template_and_catalog_match_the_sources(tmp_path):
    fresh = tmp_path / "messages.pot"
    result = subprocess.run(_extract_command(fresh), cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    with fresh.open("rb") as source:
        extracted = _keys(read_po(source))
    with POT.open("rb") as source:
        committed = _keys(read_po(source))
    with PO.open("rb") as source:
        english = _keys(read_po(source, locale="en"))
    new, gone = sorted(extracted - committed, key=str), sorted(committed - extracted, key=str)
    assert not new and not gone, (
        f"messages.pot is out of date (run `make translations-update`, translate, "
        f"`make translations`).\nnew in the sources: {new}\nno longer in the sources: {gone}")
    assert english == extracted, (
        f"messages.po does not match the sources: missing {sorted(extracted - english, key=str)}, "
        f"extra {sorted(english - extracted, key=str)}")
