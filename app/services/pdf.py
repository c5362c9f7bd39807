"""PDF documents with WeasyPrint.

The URL fetcher serves only the app's own static files: a template can never make the server
fetch a remote or local URL of someone else's choosing. Templates get plain values, never ORM
objects (Indico's rule), so nothing lazy-loads while rendering.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from flask import current_app, render_template
from flask_babel import force_locale

STATIC_PREFIX = "terang-static:"


class RefusedURL(ValueError):
    pass


def _static_only_fetcher():
    """A WeasyPrint fetcher that serves ``terang-static:<path>`` from app/static and nothing else."""
    import mimetypes

    from weasyprint.urls import URLFetcher, URLFetcherResponse

    static_root = Path(current_app.static_folder).resolve()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
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
    return HTML(string=html, url_fetcher=_static_only_fetcher(), base_url=STATIC_PREFIX).write_pdf(
        pdf_tags=True)


def qr_svg(data: str, title: str) -> str:
    """A QR code of ``data`` as inline SVG (segno, drawn here: nothing is fetched)."""
    import segno

    return segno.make(data, error="m").svg_inline(scale=3, border=2, title=title,
                                                   svgclass="qr", omitsize=False)


def render_receipt(report, tracking_code: str, locale: str, *, track_url: str, steps) -> bytes:
    """The reporter's one-page receipt: reference, code, where and how to come back (the
    tracking address, absolute, and its QR code: the code itself is in neither), the agency,
    and the date by which the report is verified (``steps``: ``tracking.NextSteps``)."""
    from flask_babel import gettext

    from .sla import local_date

    with force_locale(locale):
        qr_title = gettext("Kode QR alamat halaman Lacak laporan")
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
    }
    return render_pdf("receipt.html", locale, **context)
