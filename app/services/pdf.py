"""PDF documents with WeasyPrint.

The URL fetcher serves only the app's own static files, and SVG images the template carries in
full (``data:image/svg+xml`` URLs: the charts, :class:`charts.PrintedChart`): a template can
never make the server fetch a remote or local URL of someone else's choosing. Templates get
plain values, never ORM objects (Indico's rule), so nothing lazy-loads while rendering.
"""
from __future__ import annotations

import base64
import gc
import os
import pickle
import select
import signal
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

from flask import current_app, render_template
from flask_babel import force_locale

from .. import collector

STATIC_PREFIX = "terang-static:"
SVG_DATA_PREFIX = "data:image/svg+xml;base64,"


class RefusedURL(ValueError):
    pass


def _static_only_fetcher():
    """A WeasyPrint fetcher that serves ``terang-static:<path>`` from app/static, reads an SVG
    image given in full in its ``data:image/svg+xml;base64,`` URL (it fetches nothing), and
    refuses everything else."""
    import mimetypes

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_root = Path(current_app.static_folder).resolve()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(SVG_DATA_PREFIX):
                return URLFetcherResponse(url, body=base64.b64decode(url[len(SVG_DATA_PREFIX):], validate=True),
                                          headers={"Content-Type": "image/svg+xml"})
            if not url.startswith(STATIC_PREFIX):
                raise RefusedURL(f"refused to fetch a {urlparse(url).scheme or 'relative'} URL in a PDF")
            target = (static_root / url[len(STATIC_PREFIX):]).resolve()
            if static_root not in target.parents or not target.is_file():
                raise RefusedURL("refused to fetch a file outside app/static")
            mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=target.read_bytes(), headers={"Content-Type": mime})

    return StaticOnlyFetcher(allowed_protocols=())


def render_pdf(template: str, locale: str, **context) -> bytes:
    """Render ``templates/pdf/<template>`` in ``locale`` to PDF bytes.

    Every PDF is tagged (``pdf_tags``: headings, paragraphs, tables and lists in a structure
    tree a screen reader follows) and carries its language (``<html lang>``) and its title
    (``<title>``, shown instead of the file name).
    """
    from weasyprint import HTML

    with force_locale(locale):
        # Links in a PDF are read far from the site: they resolve against its public address
        # (<base href> in pdf/_page_numbers.html), not against the file.
        html = render_template(f"pdf/{template}", static_prefix=STATIC_PREFIX,
                               public_base_url=current_app.config.get("PUBLIC_BASE_URL", ""),
                               **context)
    fetcher = _static_only_fetcher()
    # Taken here, in the worker: a child forked below inherits it with the fonts it has loaded.
    fonts = font_configuration()

    def write() -> bytes:
        return HTML(string=html, url_fetcher=fetcher, base_url=STATIC_PREFIX).write_pdf(
            pdf_tags=True, font_config=fonts)

    # Only from a single-threaded process (gunicorn's sync workers): a fork copies no other
    # thread, and one that held a lock (fontconfig's, the allocator's) would leave it held.
    if (current_app.config.get("PDF_RENDER_IN_CHILD") and hasattr(os, "fork")
            and threading.active_count() == 1):
        return _in_child(write, float(current_app.config.get("PDF_RENDER_SECONDS", 25)))
    # The collector paused for the layout (the child of _in_child runs with it off throughout):
    # a layout makes about a million short-lived objects, and a full collection in the middle of
    # one walked every object of the worker (~250,000 in a board request): 0.25–0.35 s per board
    # PDF, which cProfile counted against the CSS cascade (``StyleFor.__init__``).
    with collector.paused():
        return write()


_fonts = threading.local()


def font_configuration():
    """This thread's WeasyPrint font configuration, made once and kept for every PDF it lays out.

    Without one WeasyPrint makes a new configuration per document: fontconfig reads its
    configuration and font cache again and Pango's caches (faces, glyphs, metrics) start empty.
    Kept per thread: a Pango font map must not be used by two threads at once (the development
    server serves each request in a thread). The PDFs' stylesheet has no ``@font-face`` (the
    system's DejaVu Sans), so nothing a document adds to the configuration is seen by the next.
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


# What warm_up lays out: the PDFs' stylesheet, their fonts in regular and bold, a table, and an
# SVG chart's text, as the board's PDFs have them.
_WARM_UP_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 40"><text x="4" y="14" '
                'font-size="11">Terang 0123456789</text><text x="4" y="32" font-size="11" '
                'font-weight="bold">Laporan selesai</text></svg>')
_WARM_UP_HTML = ('<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Terang</title>'
                 f'<link rel="stylesheet" href="{STATIC_PREFIX}css/pdf.css"></head><body>'
                 '<h1>Terang</h1><p>Laporan <strong>publik</strong> 0123456789 %.,:;()</p>'
                 '<table><thead><tr><th>Instansi</th><th>Laporan</th></tr></thead>'
                 '<tbody><tr><td>Dinas</td><td>1.234</td></tr></tbody></table>'
                 f'<img alt="Grafik" src="{SVG_DATA_PREFIX}'
                 f'{base64.b64encode(_WARM_UP_SVG.encode()).decode("ascii")}"></body></html>')


def warm_up() -> int:
    """Import WeasyPrint and lay out one small document here, with the PDFs' stylesheet and fonts.

    Called by the gunicorn master before it forks (app/warmup.py). Every worker, first or
    replacing one after ``max_requests``, and every child a worker lays a PDF out in, then
    inherits the import (about 0.65 s: the Pango, HarfBuzz and fontconfig bindings, the
    user-agent stylesheets) and this thread's font configuration with its fonts loaded,
    instead of paying for them on its first PDF. Needs an application context; runs no SQL and
    leaves no thread behind. Returns the size of the document, in bytes."""
    from weasyprint import HTML

    document = HTML(string=_WARM_UP_HTML, url_fetcher=_static_only_fetcher(),
                    base_url=STATIC_PREFIX).write_pdf(pdf_tags=True, font_config=font_configuration())
    return len(document)


class RenderTimeout(RuntimeError):
    """The child took longer than ``PDF_RENDER_SECONDS``; it was killed."""


# Signals a gunicorn worker handles itself; the child takes the defaults back, so that a
# SIGTERM meant for it ends it instead of running the worker's handler in a copy of the worker.
_CHILD_DEFAULT_SIGNALS = tuple(getattr(signal, name) for name in
                               ("SIGTERM", "SIGINT", "SIGQUIT", "SIGABRT", "SIGHUP", "SIGUSR1",
                                "SIGUSR2", "SIGWINCH", "SIGCHLD", "SIGTTIN", "SIGTTOU")
                               if hasattr(signal, name))


def _in_child(work, timeout: float) -> bytes:
    """``work()`` in a forked child process, its bytes sent back through a pipe.

    Laying out a document leaves WeasyPrint's and Pango's caches and tens of megabytes of freed
    heap in the process that did it (a worker grew from about 150 to 220 MB after one board PDF);
    a child takes them with it when it exits, so a web worker stays small however many PDFs it
    serves. The child only lays out the HTML already rendered here (no database, no request):
    it shares the worker's memory copy-on-write and leaves with ``os._exit`` (no atexit
    handler, no flushing of the parent's buffers or connections). Its garbage collector is off,
    so no finalizer of an object it inherited (a database connection) runs in it. An exception
    in the child is raised again here. A child that has not answered within ``timeout``
    seconds (kept under gunicorn's worker timeout) is killed and :class:`RenderTimeout` raised;
    the child is always reaped, whatever happens here.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 0
        try:
            gc.disable()
            for signum in _CHILD_DEFAULT_SIGNALS:
                signal.signal(signum, signal.SIG_DFL)
            os.close(read_end)
            try:
                payload = b"\x00" + work()
            except BaseException as exc:  # sent back, raised by the parent
                try:
                    payload = b"\x01" + pickle.dumps(exc)
                except Exception:
                    payload = b"\x01" + pickle.dumps(RuntimeError(repr(exc)))
            with os.fdopen(write_end, "wb") as out:
                out.write(payload)
        except BaseException:
            status = 1
        finally:
            os._exit(status)
    os.close(write_end)
    finished = False
    try:
        payload = _read_until(read_end, time.monotonic() + timeout)
        finished = payload is not None
    finally:
        os.close(read_end)
        if not finished:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(pid, 0)
    if payload is None:
        raise RenderTimeout(f"the PDF took longer than {timeout:g} s to lay out")
    if not payload:
        raise RuntimeError("the PDF renderer process ended without an answer")
    if payload[:1] == b"\x01":
        raise pickle.loads(payload[1:])
    return payload[1:]


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything written to ``fd`` until its writer closes it, or None at ``deadline``."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def qr_svg(data: str, title: str) -> str:
    """A QR code of ``data`` as inline SVG (segno, drawn here: nothing is fetched)."""
    import segno

    return segno.make(data, error="m").svg_inline(scale=3, border=2, title=title,
                                                   svgclass="qr", omitsize=False)


def render_receipt(report, tracking_code: str, locale: str, *, track_url: str, steps) -> bytes:
    """The reporter's one-page receipt: reference, code, where and how to come back (the
    tracking address, absolute, and its QR code: the code itself is in neither), the agency,
    the date by which the report is verified (``steps``: ``tracking.NextSteps``), and where it
    happened as the reporter gave it (kelurahan/desa, kecamatan, kab/kota, address, pin): the
    receipt is the reporter's own, so it reads the location as the tracking page does."""
    from flask_babel import gettext

    from . import location, redaction
    from .sla import local_date

    with force_locale(locale):
        qr_title = gettext("Kode QR alamat halaman Lacak laporan")
    place = location.view_for(report, redaction.REPORTER)
    context = {
        "reference": report.reference,
        "tracking_code": tracking_code,
        "submitted_on": local_date(report.submitted_at),
        "title": report.title,
        "report_type": report.report_type,
        "is_anonymous": report.is_anonymous,
        "is_confidential": report.is_confidential,
        "track_url": track_url,
        "track_qr": qr_svg(track_url, qr_title),
        "agency_name": steps.agency_name,
        "agency_confirmed": steps.agency_confirmed,
        "verification_due": steps.verification_due,
        "first_response_due": steps.first_response_due,
        "first_response_days": steps.first_response_days,
        # Plain values: the named places smallest first, the address, the pin (as stored).
        "places": place.places,
        "incident_address": place.address,
        "incident_pin": (place.latitude, place.longitude) if place.has_pin else None,
    }
    return render_pdf("receipt.html", locale, **context)
