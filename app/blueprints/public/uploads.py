"""Glue between file fields and the attachments service, shared by /lapor and /lacak."""
from __future__ import annotations

from flask import current_app, request

from ...services import attachments
from ...services.errors import DomainError


def collect_uploads(field) -> tuple[list, list[str]]:
    """Stage this request's files and keep the ones staged before.

    Returns the staged uploads to show (kept + new) and the error messages of rejected files.
    The reporter removes a previously staged file by unticking it (field ``staged``).
    """
    config = current_app.config
    kept = attachments.find_staged(request.form.getlist("staged"))
    errors: list[str] = []
    new = []
    for upload in field.data or []:
        if not getattr(upload, "filename", None):
            continue
        if len(kept) + len(new) >= config["MAX_ATTACHMENTS"]:
            errors.append(f"Paling banyak {config['MAX_ATTACHMENTS']} lampiran; "
                          f"{attachments.clean_filename(upload.filename)} tidak disimpan.")
            continue
        try:
            clean = attachments.inspect_upload(upload.stream, upload.filename,
                                               config["MAX_ATTACHMENT_BYTES"])
        except DomainError as exc:
            errors.append(exc.message)
            continue
        new.append(attachments.stage(config["UPLOAD_FOLDER"], clean))
    return kept + new, errors
