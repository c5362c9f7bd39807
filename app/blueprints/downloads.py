"""Downloads as HTTP responses: the services give the bytes or text, the views send them."""
from __future__ import annotations

from functools import wraps

from flask import current_app, request, stream_with_context
from flask_babel import gettext as _

from ..services import exports


def _attachment(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(rows: list[dict], filename: str, columns: list[str] | None = None):
    """A CSV download (UTF-8 with BOM for spreadsheets) of ``rows`` (header: ``columns``)."""
    return current_app.response_class(exports.csv_text(rows, columns), mimetype="text/csv; charset=utf-8",
                                      headers=_attachment(filename))


def json_response(payload, filename: str | None = None):
    """A JSON download of ``payload`` (shown inline when there is no file name)."""
    return current_app.response_class(exports.json_text(payload), mimetype="application/json",
                                      headers=_attachment(filename) if filename else {})


def stream_response(chunks, mimetype: str, filename: str, headers: dict | None = None):
    """A download sent piece by piece as ``chunks`` yields it (all the board's reports): the
    request's context, and so its database session, stays open until the last piece."""
    return current_app.response_class(stream_with_context(chunks), mimetype=mimetype,
                                      headers={**_attachment(filename), **(headers or {})})


def pdf_response(document: bytes, filename: str):
    """A PDF download."""
    return current_app.response_class(document, mimetype="application/pdf",
                                      headers=_attachment(filename))


def unknown_params(allowed) -> list[str]:
    """The query parameters of this request that are not in ``allowed``, sorted."""
    return sorted(set(request.args) - set(allowed))


def known_params(*allowed: str):
    """An open-data download reads only ``allowed`` query parameters: any other is a 400 that
    names it (a misspelt ``?regoin=13`` must not silently answer national figures)."""
    def decorate(view):
        @wraps(view)
        def checked(*args, **kwargs):
            unknown = unknown_params(allowed)
            if unknown:
                message = _("Parameter tidak dikenal: %(names)s. Yang dikenal: %(known)s.",
                            names=", ".join(unknown), known=", ".join(allowed) or "-")
                return current_app.response_class(message + "\n", status=400,
                                                  mimetype="text/plain; charset=utf-8")
            return view(*args, **kwargs)
        return checked
    return decorate
