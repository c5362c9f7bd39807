"""Reporter attachments: checked by content, cleaned, stored privately.

* The real type is read from the file's bytes (``filetype``), never from its name: only JPEG,
  PNG and PDF are accepted, 10 MB each.
* Images are decoded and re-encoded from their pixels with Pillow, which drops EXIF (GPS
  included), XMP, ICC profiles, comments and anything appended after the image data. The
  orientation is applied first so that the photo still looks the right way up.
* PDFs are rewritten with pypdf from their page tree only: the document information
  (Author, Creator, Producer, Title…), XMP metadata streams (document, pages, images), page
  piece data and the authors of comments are dropped, and with them earlier revisions
  (incremental updates) and unreferenced objects. A PDF that cannot be read is refused.
* Files live under ``UPLOAD_FOLDER`` (outside ``static/``) with random names, and are never
  served publicly.
"""
from __future__ import annotations

import hashlib
import io
import os
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import filetype
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError
from sqlalchemy import delete, select

from ..extensions import db
from ..models import Attachment, StagedUpload
from ..unit_of_work import writes
from .errors import DomainError

ALLOWED_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is plenty; larger is a decompression bomb risk
STAGING_LIFETIME = timedelta(days=1)


class UploadRejected(DomainError):
    """The file cannot be accepted; ``message`` says why in the reporter's words."""


@dataclass(frozen=True)
class CleanFile:
    original_name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def clean_filename(name: str | None) -> str:
    """A display name: no path, no control characters, at most 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (base or "lampiran")[:200]


def sniff_type(data: bytes) -> str | None:
    """The MIME type read from the content, if it is one we accept."""
    if data[:5] == b"%PDF-":
        return "application/pdf"
    kind = filetype.guess(data[:8192])
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return kind.mime
    return None


def reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode the image and write its pixels again, with no metadata at all."""
    # WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported; a
    # truncated upload must still be refused, whichever PDF was rendered before.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        return _reencode(data, content_type)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _reencode(data: bytes, content_type: str) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > MAX_PIXELS:
                    raise UploadRejected(_l("Gambar terlalu besar (lebih dari %(n)s megapiksel).",
                                            n=MAX_PIXELS // 1_000_000))
                probe.load()
                image = ImageOps.exif_transpose(probe)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError,
                Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise UploadRejected(_l("Berkas gambar rusak atau tidak dapat dibaca.")) from exc

    out = io.BytesIO()
    if content_type == "image/jpeg":
        pixels = image.convert("RGB")
        pixels.info = {}
        pixels.save(out, "JPEG", quality=88, optimize=True)
    else:
        keep = {}
        if "transparency" in image.info and image.mode in ("P", "L", "RGB"):
            keep["transparency"] = image.info["transparency"]
        pixels = image.copy()
        pixels.info = {}
        pixels.save(out, "PNG", optimize=True, **keep)
    return out.getvalue()


# Keys of a PDF dictionary that describe the document or its authors, not its content.
_PDF_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")


def _strip_pdf_object(obj, seen: set[int]) -> None:
    """Drop metadata keys from every dictionary reachable from ``obj`` (in place)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams are dictionaries too
            for name in _PDF_METADATA_KEYS:
                item.pop(name, None)
            if item.get("/Type") == "/Page" and "/Annots" in item:
                _strip_comment_authors(item["/Annots"].get_object())
            stack.extend(value for name, value in item.items() if name != "/Parent")
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _strip_comment_authors(annotations) -> None:
    """A comment's /T is its author's name (a form field's /T is the field's name: kept)."""
    from pypdf.generic import DictionaryObject

    for annotation in annotations or ():
        annotation = annotation.get_object()
        if isinstance(annotation, DictionaryObject) and annotation.get("/Subtype") != "/Widget":
            annotation.pop("/T", None)


def strip_pdf_metadata(data: bytes) -> bytes:
    """The PDF rebuilt from its pages, without document information, XMP or comment authors.

    Raises :class:`UploadRejected` when the file cannot be read (damaged, or locked with a
    password): a PDF whose metadata cannot be removed is not kept.
    """
    from pypdf import PdfReader, PdfWriter

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about the many harmless flaws it repairs
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise ValueError("locked with a password")
            _strip_pdf_object(reader.trailer["/Root"], set())
            writer = PdfWriter()
            writer.append(reader)
            writer.metadata = None
            out = io.BytesIO()
            writer.write(out)
    except Exception as exc:  # noqa: BLE001 - whatever pypdf cannot rewrite is refused
        raise UploadRejected(
            _l("Berkas PDF rusak, dikunci kata sandi, atau tidak dapat dibaca.")) from exc
    return out.getvalue()


def inspect_upload(stream, filename: str | None, max_bytes: int) -> CleanFile:
    """Read an uploaded file, check size and real type, and return its cleaned content."""
    name = clean_filename(filename)
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(_l("%(name)s: ukuran berkas melebihi %(limit)s MB.",
                                name=name, limit=max_bytes // (1024 * 1024)))
    if not data:
        raise UploadRejected(_l("%(name)s: berkas kosong.", name=name))
    content_type = sniff_type(data)
    if content_type is None:
        raise UploadRejected(_l("%(name)s: jenis berkas tidak diterima. Kirim JPEG, PNG, atau PDF.",
                                name=name))
    try:
        if content_type == "application/pdf":
            data = strip_pdf_metadata(data)
        else:
            data = reencode_image(data, content_type)
    except UploadRejected as exc:
        raise UploadRejected(_l("%(name)s: %(reason)s", name=name, reason=exc.message)) from exc
    return CleanFile(name, content_type, data)


def _storage_path(upload_folder: str, storage_name: str) -> Path:
    return Path(upload_folder) / storage_name[:2] / storage_name


def write_file(upload_folder: str, clean: CleanFile) -> str:
    """Store the bytes under a random name (written atomically); return the name."""
    storage_name = secrets.token_hex(16) + ALLOWED_TYPES[clean.content_type]
    path = _storage_path(upload_folder, storage_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "wb") as handle:
        handle.write(clean.data)
    os.replace(tmp, path)
    return storage_name


def get(attachment_id: int) -> Attachment | None:
    """The attachment with this id, or None."""
    return db.session.get(Attachment, attachment_id)


def read_file(upload_folder: str, storage_name: str) -> bytes:
    return _storage_path(upload_folder, storage_name).read_bytes()


@writes
def stage(upload_folder: str, clean: CleanFile) -> StagedUpload:
    """Keep an accepted upload while the rest of the form is corrected."""
    staged = StagedUpload(
        token=secrets.token_urlsafe(24),
        storage_name=write_file(upload_folder, clean),
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=len(clean.data),
        sha256=clean.sha256,
    )
    db.session.add(staged)
    return staged


def find_staged(tokens: list[str]) -> list[StagedUpload]:
    """The staged uploads named by ``tokens`` (unknown or expired tokens are ignored)."""
    tokens = [t for t in dict.fromkeys(tokens) if t][:10]
    if not tokens:
        return []
    rows = db.session.scalars(select(StagedUpload).where(StagedUpload.token.in_(tokens)))
    by_token = {row.token: row for row in rows}
    return [by_token[t] for t in tokens if t in by_token]


def attach(report, staged: list[StagedUpload], event=None) -> list[Attachment]:
    """Turn staged uploads into the report's attachments, linked to ``event`` if given.

    The files stay where they are; only the database rows move.
    """
    if event is not None and event.id is None:
        db.session.flush()
    attachments = []
    for upload in staged:
        attachment = Attachment(
            report=report,
            event_id=event.id if event is not None else None,
            storage_name=upload.storage_name,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        db.session.add(attachment)
        db.session.delete(upload)
        attachments.append(attachment)
    return attachments


def purge_staged(upload_folder: str, now: datetime) -> int:
    """Delete staged uploads older than a day, files included; return how many."""
    old = list(db.session.scalars(
        select(StagedUpload).where(StagedUpload.created_at < now - STAGING_LIFETIME)))
    for upload in old:
        _storage_path(upload_folder, upload.storage_name).unlink(missing_ok=True)
    if old:
        db.session.execute(delete(StagedUpload).where(StagedUpload.id.in_([u.id for u in old])))
    return len(old)
