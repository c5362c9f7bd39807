"""Downloads as HTTP responses: the services give the bytes or text, the views send them."""
from __future__ import annotations

from flask import current_app

from ..services import exports


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(rows: list[dict], filename: str):
    """A CSV download (UTF-8 with BOM for spreadsheets) of ``rows``."""
    return current_app.response_class(exports.csv_text(rows), mimetype="text/csv; charset=utf-8",
                                      headers=_attachment(filename))


def json_response(payload, filename: str | None = None):
    """A JSON download of ``payload`` (shown inline when there is no file name)."""
    return current_app.response_class(exports.json_text(payload), mimetype="application/json",
                                      headers=_attachment(filename) if filename else {})


def pdf_response(document: bytes, filename: str):
    """A PDF download."""
    return current_app.response_class(document, mimetype="application/pdf",
                                      headers=_attachment(filename))
