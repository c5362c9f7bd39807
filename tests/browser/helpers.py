"""What a reporter does in the browser, shared by the browser tests."""
from __future__ import annotations

import io
import re
from datetime import timedelta

from PIL import Image

from app import clock

TITLE = "Puskesmas Andalas tutup pada jam layanan"
BODY = ("Pada hari Senin pukul 09.00 puskesmas di Kelurahan Andalas tutup, padahal jadwalnya buka "
        "pukul 08.00. Banyak warga lansia menunggu di luar tanpa kepastian.")
REFERENCE_RE = re.compile(r"^[A-Z]+-\d{4}-\d{7}$")
CODE_RE = re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$")

# Every visible form control must be named by a <label> or aria-label(ledby).
UNLABELLED_CONTROLS_JS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && el.getClientRects().length > 0)
  .filter(el => !(el.labels && el.labels.length > 0)
                && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 120))"""


# While any of these classes is on the page htmx is still working; swapped-in content gets its
# own hx-* behaviour only once it has settled (htmx's settle delay is 20 ms).
PHONE_WIDTH = 360

# How wide the page is, and the first elements that reach past a phone's edge.
OVERFLOW_JS = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    wide: [...document.querySelectorAll('body *')]
        .filter(el => el.getClientRects().length && el.getBoundingClientRect().right > 360.5)
        .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                   + (el.className && typeof el.className === 'string' ? '.' + el.className : ''))
        .slice(0, 10),
})"""


def assert_fits_phone(page, where: str) -> None:
    """The page does not scroll sideways at phone width.

    Waits for the page's load event first: after a click that submits a form, the new document's
    elements exist before its stylesheet is applied, and an unstyled <select> is as wide as its
    longest option. Measuring then would test the browser's race, not our layout.
    """
    page.wait_for_load_state("load")
    found = page.evaluate(OVERFLOW_JS)
    assert found["scrollWidth"] <= PHONE_WIDTH, f"{where} scrolls sideways: {found}"


HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def htmx_settled(page) -> None:
    """Wait until htmx has no request in flight and has finished swapping and settling."""
    page.wait_for_function(f"() => !document.querySelector('{HTMX_BUSY}')")


def past_day(days: int = 3) -> str:
    return (clock.today() - timedelta(days=days)).isoformat()


def future_day(days: int = 10) -> str:
    return (clock.today() + timedelta(days=days)).isoformat()


def png_file(name: str = "foto-puskesmas.png") -> dict:
    """A small PNG for ``set_input_files``."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 140, 90)).save(out, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": out.getvalue()}


def record_urls(page) -> list[str]:
    """Every URL the tab requests from now on (redirect hops and htmx requests included)."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("framenavigated", lambda frame: urls.append(frame.url))
    return urls


def assert_code_never_in(urls: list[str], code: str) -> None:
    forms = {code.lower(), code.replace("-", "").lower()}
    leaked = [u for u in urls if any(f in u.lower() for f in forms)]
    assert urls, "no request was recorded"
    assert not leaked, f"tracking code appears in URLs: {leaked}"


def fill_story(page, incident_date: str) -> None:
    """Type, title, body and date, the way a user fills them."""
    page.get_by_role("radio", name=re.compile(r"^Pengaduan")).check()
    page.get_by_label("Judul laporan").fill(TITLE)
    page.get_by_label("Isi laporan").fill(BODY)
    page.get_by_label("Tanggal kejadian").fill(incident_date)


def option_labels(page, select: str) -> list[str]:
    return page.locator(f"{select} option").evaluate_all("os => os.map(o => o.textContent.trim())")


def option_values(page, select: str) -> list[str]:
    return page.locator(f"{select} option").evaluate_all("os => os.map(o => o.value)")


def read_receipt(page) -> tuple[str, str]:
    reference = page.locator("#reference").inner_text().strip()
    code = page.locator("#tracking-code").inner_text().strip()
    assert REFERENCE_RE.match(reference), reference
    assert CODE_RE.match(code), code
    return reference, code


def file_quick_report(page, live_server, keep_files: bool = False) -> tuple[str, str]:
    """File a valid report with the fewest steps (JavaScript on); return (reference, code).
    ``keep_files``: the form is already open with files chosen; fill in the rest only."""
    if not keep_files:
        page.goto(live_server("/lapor"))
    fill_story(page, past_day())
    page.locator("#region").select_option("13.71")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/lapor/terkirim")
    return read_receipt(page)


def open_tracking(page, live_server, code: str) -> None:
    """Open /lacak and type the code in lower case, as someone copying it by hand might."""
    page.goto(live_server("/lacak"))
    page.get_by_label("Kode pelacakan").fill(code.lower())
    page.get_by_role("button", name="Buka laporan").click()
    page.locator("#deadline-title").wait_for()


# --- both languages ------------------------------------------------------------------------------

def translator(live_server, lang: str):
    """``t(msgid, **values)``: the text a page shows in ``lang`` for the Indonesian ``msgid``."""
    from flask_babel import force_locale, gettext

    def t(text: str, **values) -> str:
        with live_server.app.test_request_context(), force_locale(lang):
            return gettext(text, **values)
    return t


def use_language(page, live_server, lang: str) -> None:
    """Switch the tab to ``lang`` with the header's language switch (kept in its session)."""
    page.goto(live_server("/"))
    if lang == "en":
        page.get_by_role("button", name="English").click()
    page.locator(f"html[lang={lang}]").wait_for(state="attached")


def fill_story_by_id(page, incident_date: str) -> None:
    """``fill_story`` in any language: the controls found by their ids."""
    page.locator("#report_type input[value=pengaduan]").check()
    page.locator("#title").fill(TITLE)
    page.locator("#body").fill(BODY)
    page.locator("#incident_date").fill(incident_date)
