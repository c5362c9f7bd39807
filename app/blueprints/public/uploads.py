"""Glue between file fields and the attachments service, shared by /lapor and /lacak."""
from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext as _

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
    limits = attachments.Limits.from_config(config)
    # One time budget for all of this request's videos: each one cleaned spends from it, so
    # five videos cannot keep the worker past GUNICORN_TIMEOUT (the form would be lost).
    deadline = attachments.video_deadline(limits)
    for upload in field.data or []:
        if not getattr(upload, "filename", None):
            continue
        if len(kept) + len(new) >= config["MAX_ATTACHMENTS"]:
            errors.append(_("Paling banyak %(n)s lampiran; %(name)s tidak disimpan.",
                            n=config["MAX_ATTACHMENTS"],
                            name=attachments.clean_filename(upload.filename)))
            continue
        try:
            clean = attachments.inspect_upload(upload.stream, upload.filename, limits, deadline)
        except DomainError as exc:
            # A lazy message is translated when read; str() also keeps it escaped in templates
            # (a LazyString counts as safe markup, and this one holds the reporter's file name).
            errors.append(str(exc.message))
            continue
        new.append(attachments.stage(config["UPLOAD_FOLDER"], clean))
    return kept + new, errors


def upload_limits() -> dict:
    """The limits the forms, their file check (terang.js) and the 413 page state, from config,
    and the types the file fields accept, from the attachments service."""
    config = current_app.config
    mb = 1024 * 1024
    return {"accepted_types": attachments.ACCEPTED_TYPES,
            "max_attachments": config["MAX_ATTACHMENTS"],
            "max_attachment_bytes": config["MAX_ATTACHMENT_BYTES"],
            "max_attachment_mb": config["MAX_ATTACHMENT_BYTES"] // mb,
            "max_video_bytes": config["MAX_VIDEO_BYTES"],
            "max_video_mb": config["MAX_VIDEO_BYTES"] // mb,
            "max_video_minutes": config["MAX_VIDEO_SECONDS"] // 60,
            "max_request_mb": config["MAX_CONTENT_LENGTH"] // mb}
