"""Reporter attachments: checked by content, cleaned, stored privately.

* The real type is read from the file's bytes (``filetype``), never from its name: only JPEG,
  PNG and PDF are accepted, 10 MB each.
* Images are decoded and re-encoded from their pixels with Pillow, which drops EXIF (GPS
  included), XMP, ICC profiles, comments and anything appended after the image data. The
  orientation is applied first so that the photo still looks the right way up.
* PDFs are rebuilt with pikepdf (qpdf) and only their pages, text and pictures remain: the
  document information and every XMP stream, JavaScript and actions (open actions, page and
  field ``/AA``, ``/Names`` JavaScript, links other than jumps inside the document), embedded
  and associated files, file-attachment and media annotations, forms (fields are printed into
  the page, then AcroForm and XFA go), page piece data, thumbnails and comment authors are
  dropped, with earlier revisions (incremental updates) and unreferenced objects. Every image
  inside is re-encoded from its pixels, without EXIF, XMP, ICC or comments. A PDF that is
  locked with a password, damaged, or holds an image that cannot be decoded is refused with a
  message that says which: a file that cannot be cleaned is never kept.
* Videos (MP4 and a phone's MOV with H.264/H.265 and AAC, WebM with VP8/VP9/AV1 and
  Opus/Vorbis; 50 MB each by default, ``MAX_VIDEO_BYTES``) are copied with PyAV into a fresh
  file that keeps only their pictures and sound: every tag (GPS, make and model, time filmed),
  every other track and the encoders' notes go (see :mod:`.videos`). A MOV is stored as MP4.
  A video that cannot be read, is too large or too long, or whose copy runs past the request's
  time budget (``VIDEO_CLEAN_SECONDS`` for all its videos together) is refused, saying which.
* Office documents, archives and every other type are refused: they cannot be cleaned.
* Files live under ``UPLOAD_FOLDER`` (outside ``static/``) with random names, and are never
  served publicly.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import filetype
import pikepdf
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError
from sqlalchemy import delete, select

from ..extensions import db
from ..models import Attachment, StagedUpload
from ..unit_of_work import writes
from . import videos
from .errors import DomainError

# The types stored, with the extension of their stored (and downloaded) name.
ALLOWED_TYPES = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf",
                 "video/mp4": ".mp4", "video/webm": ".webm"}
# The types read from an upload's bytes: a MOV from a phone is stored as MP4. The file fields
# offer the same list to choose from (their ``accept``, which terang.js also checks).
ACCEPTED_TYPES = ("image/jpeg", "image/png", "application/pdf", *videos.CONTAINERS)
SNIFFED_TYPES = frozenset(ACCEPTED_TYPES)
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
    if kind is not None and kind.mime in SNIFFED_TYPES:
        return kind.mime
    return None


@dataclass(frozen=True)
class Limits:
    """How large an upload may be, by kind, and how long a video may run (from the config)."""

    max_bytes: int
    max_video_bytes: int | None = None  # None: as max_bytes
    max_video_seconds: int = 20 * 60
    video_time_limit: float = 20.0

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(config["MAX_ATTACHMENT_BYTES"], config["MAX_VIDEO_BYTES"],
                   config["MAX_VIDEO_SECONDS"], config["VIDEO_CLEAN_SECONDS"])

    @property
    def largest(self) -> int:
        return max(self.max_bytes, self.max_video_bytes or 0)


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


# --- PDFs ---------------------------------------------------------------------------------------
# A PDF is rebuilt with pikepdf (qpdf): what cannot be made safe is refused, never passed on.

# The catalog keys a rebuilt document keeps: its pages and how they are shown. Everything else
# (/Names trees with JavaScript and embedded files, /OpenAction, /AA, /AcroForm with its XFA,
# /Metadata, /URI, /Perms, /Legal…) is dropped by not being copied.
_PDF_CATALOG_KEEP = frozenset((
    "/Type", "/Pages", "/PageLabels", "/PageLayout", "/PageMode", "/ViewerPreferences", "/Lang",
    "/Outlines", "/Dests", "/Names", "/MarkInfo", "/StructTreeRoot", "/OCProperties", "/Version",
))
# The keys a page and a node of the page tree keep: how the page is drawn and its annotations.
# Private data of the software that wrote it, article threads (whose info names the author),
# web-capture ids and the like are dropped by not being kept.
_PDF_PAGE_KEEP = frozenset((
    "/Type", "/Parent", "/Kids", "/Count", "/Resources", "/MediaBox", "/CropBox", "/BleedBox",
    "/TrimBox", "/ArtBox", "/BoxColorInfo", "/Contents", "/Rotate", "/Group", "/Annots",
    "/StructParents", "/Tabs", "/UserUnit", "/Dur", "/Trans",
))
# Keys dropped wherever they appear: metadata, scripts and actions, embedded and associated
# files, rich media, thumbnails (small copies of the page) and optional-content usage (which can
# name the author), OPI links (the path of the original high-resolution image).
_PDF_DROP_KEYS = (
    "/Metadata", "/PieceInfo", "/LastModified", "/AA", "/JS", "/JavaScript", "/OpenAction",
    "/EmbeddedFiles", "/EF", "/AF", "/FS", "/XFA", "/RichMediaContent", "/3DD", "/Sound",
    "/Movie", "/Thumb", "/Usage", "/OPI",
)
# Annotations that carry files, media or form fields (forms are flattened first).
_PDF_DROP_ANNOTATIONS = frozenset((
    "/FileAttachment", "/Widget", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D",
    "/Projection",
))
# Filters whose decoded output is bare samples: nothing but pixels can hide in them.
_PDF_SAMPLE_FILTERS = frozenset((
    "/FlateDecode", "/LZWDecode", "/RunLengthDecode", "/ASCIIHexDecode", "/ASCII85Decode",
))
_PDF_FAX_FILTERS = frozenset(("/CCITTFaxDecode",))  # a fax bit stream has no room for metadata

_PDF_DAMAGED = _l("Berkas PDF rusak atau tidak dapat dibaca.")
_PDF_LOCKED = _l("Berkas PDF dikunci dengan kata sandi. Buka kuncinya (misalnya cetak ulang ke "
                 "PDF tanpa kata sandi), lalu kirim lagi.")
_PDF_TOO_LARGE = _l("Isi berkas PDF terlalu besar setelah dibuka. Kirim PDF yang lebih kecil.")
_PDF_IMAGE_UNREADABLE = _l("Gambar di dalam berkas PDF tidak dapat dibaca, sehingga datanya tidak "
                           "dapat dibersihkan. Kirim gambarnya sebagai JPEG atau PNG, atau cetak "
                           "ulang PDF-nya.")


# How much a PDF's streams may decode to, all together: a 10 MB upload of compressed zeros
# must not make the server allocate gigabytes (the PDF form of a decompression bomb).
PDF_MAX_DECODED_BYTES = 256 * 1024 * 1024


class _DecodeBudget:
    """Decoded bytes left for this PDF; every stream Terang decodes is paid from it."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def read(self, stream) -> bytes:
        """The stream's decoded bytes, refusing the file before a bomb is decoded."""
        filters = _filters(stream)
        if filters and filters[0] == "/FlateDecode":
            try:  # decompress up to the budget only: qpdf would decode it all
                first = zlib.decompressobj().decompress(stream.read_raw_bytes(), self.left + 1)
            except zlib.error:
                first = b""  # qpdf is more tolerant of damaged streams; it decides below
            if len(first) > self.left:
                raise UploadRejected(_PDF_TOO_LARGE)
        data = stream.read_bytes()
        self.left -= len(data)
        if self.left < 0:
            raise UploadRejected(_PDF_TOO_LARGE)
        return data


def _drop(holder, key: str) -> None:
    if key in holder:
        del holder[key]


def _filters(stream) -> list[str]:
    found = stream.get("/Filter")
    if found is None:
        return []
    if isinstance(found, pikepdf.Array):
        return [str(name) for name in found]
    return [str(found)]


def _clean_pdf_image(image, budget: _DecodeBudget) -> None:
    """Re-encode one image XObject so that only its pixels remain.

    Bare samples (Flate, LZW…) are decoded and compressed again; a JPEG is decoded with Pillow
    and encoded again with its own quantisation tables, without EXIF, XMP, ICC or comments;
    JPEG 2000 and JBIG2 go through ``pikepdf.PdfImage`` to plain samples. What cannot be
    decoded raises :class:`UploadRejected`.
    """
    for key in ("/Metadata", "/OPI", "/Alternates", "/ID", "/PieceInfo"):
        _drop(image, key)
    width, height = int(image.get("/Width", 0)), int(image.get("/Height", 0))
    if width <= 0 or height <= 0:
        raise UploadRejected(_PDF_IMAGE_UNREADABLE)
    if width * height > MAX_PIXELS:
        raise UploadRejected(_l("Gambar di dalam berkas PDF terlalu besar (lebih dari "
                                "%(n)s megapiksel).", n=MAX_PIXELS // 1_000_000))
    filters = _filters(image)
    if all(name in _PDF_SAMPLE_FILTERS for name in filters):
        samples = budget.read(image)
        image.write(zlib.compress(samples), filter=pikepdf.Name.FlateDecode)
        return
    if filters[-1] in _PDF_FAX_FILTERS and all(f in _PDF_SAMPLE_FILTERS for f in filters[:-1]):
        return
    if filters == ["/DCTDecode"]:
        jpeg = image.read_raw_bytes()
        with Image.open(io.BytesIO(jpeg)) as picture:
            if picture.format != "JPEG" or picture.size != (width, height):
                raise UploadRejected(_PDF_IMAGE_UNREADABLE)
            budget.left -= width * height * len(picture.getbands())
            if budget.left < 0:
                raise UploadRejected(_PDF_TOO_LARGE)
            picture.load()
            picture.info = {}  # Pillow would otherwise write the comment (and more) again
            out = io.BytesIO()
            # "keep" reuses the photo's quantisation tables and subsampling: no visible loss.
            picture.save(out, "JPEG", quality="keep", optimize=True)
        image.write(out.getvalue(), filter=pikepdf.Name.DCTDecode)
        return
    # JPEG 2000, JBIG2 or a chain of filters: through PdfImage to plain samples.
    picture = pikepdf.PdfImage(image).as_pil_image()
    picture.load()
    budget.left -= len(picture.tobytes())
    if budget.left < 0:
        raise UploadRejected(_PDF_TOO_LARGE)
    if image.get("/ImageMask", False):
        samples, colour_space, bits = picture.convert("1").tobytes(), None, 1
    elif picture.mode in ("1", "L", "LA"):
        samples, colour_space, bits = picture.convert("L").tobytes(), "/DeviceGray", 8
    elif picture.mode == "CMYK":
        samples, colour_space, bits = picture.tobytes(), "/DeviceCMYK", 8
    else:
        samples, colour_space, bits = picture.convert("RGB").tobytes(), "/DeviceRGB", 8
    if picture.size != (width, height):
        raise UploadRejected(_PDF_IMAGE_UNREADABLE)
    image.write(zlib.compress(samples), filter=pikepdf.Name.FlateDecode)
    _drop(image, "/SMaskInData")
    if colour_space is not None:  # an image mask has no colours, and keeps its /Decode
        _drop(image, "/Decode")
        image["/ColorSpace"] = pikepdf.Name(colour_space)
    image["/BitsPerComponent"] = bits


def _check_inline_images(stream, budget: _DecodeBudget) -> None:
    """Refuse a content stream that draws an inline JPEG: it could carry EXIF, and rewriting
    content streams risks the page itself. Inline samples (no JPEG) cannot hold metadata."""
    try:
        content = budget.read(stream)
    except pikepdf.PdfError:
        return  # not a stream we can decode: it is no content stream either
    if b"DCT" not in content or b"ID" not in content:
        return  # no inline JPEG possible: spare the parse of every page
    try:
        instructions = pikepdf.parse_content_stream(stream)
    except pikepdf.PdfError:
        return  # a font or other data stream, not page content
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage) and any(
                name in ("/DCTDecode", "/DCT") for name in instruction.iimage.filters):
            raise UploadRejected(_PDF_IMAGE_UNREADABLE)


def _clean_pdf_action(holder) -> None:
    """Keep a jump inside the document; drop every other action (JavaScript, launch, URI…)."""
    action = holder.get("/A")
    if isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
        _drop(action, "/Next")  # a chained action could be anything
    else:
        del holder["/A"]


def _clean_pdf_tree(pdf) -> None:
    """Walk every object reachable from the trailer and clean it in place."""
    budget = _DecodeBudget(PDF_MAX_DECODED_BYTES)
    stack = [pdf.trailer]
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if item.is_indirect:
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Array):
            stack.extend(value for value in item
                         if isinstance(value, (pikepdf.Array, pikepdf.Dictionary, pikepdf.Stream)))
            continue
        if not isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
            continue
        for key in _PDF_DROP_KEYS:
            _drop(item, key)
        if "/A" in item:
            _clean_pdf_action(item)
        if "/Rect" in item and "/Subtype" in item:
            _drop(item, "/T")  # an annotation's /T is its author
        if isinstance(item, pikepdf.Stream) and item.get("/Subtype") == "/Image":
            try:
                _clean_pdf_image(item, budget)
            except UploadRejected:
                raise
            except Exception as exc:  # noqa: BLE001 - an image we cannot decode is not passed on
                raise UploadRejected(_PDF_IMAGE_UNREADABLE) from exc
        elif isinstance(item, pikepdf.Stream):
            _check_inline_images(item, budget)
        stack.extend(value for key, value in item.items()
                     if key not in ("/Parent", "/P")
                     and isinstance(value, (pikepdf.Array, pikepdf.Dictionary, pikepdf.Stream)))


def _flatten_pdf_forms(pdf) -> None:
    """Print filled-in form fields into their pages; other annotations are left alone."""
    if "/AcroForm" not in pdf.Root:
        return
    others = {}
    for number, page in enumerate(pdf.pages):
        annotations = page.obj.get("/Annots")
        if isinstance(annotations, pikepdf.Array):
            annotations = [a for a in annotations if isinstance(a, pikepdf.Dictionary)]
            others[number] = [a for a in annotations if a.get("/Subtype") != "/Widget"]
            page.obj["/Annots"] = pikepdf.Array(
                [a for a in annotations if a.get("/Subtype") == "/Widget"])
    try:
        pdf.generate_appearance_streams()
        pdf.flatten_annotations("all")
    except pikepdf.PdfError:
        pass  # the fields are dropped below with their values
    for number, kept in others.items():
        page = pdf.pages[number].obj
        remaining = page.get("/Annots")
        page["/Annots"] = pikepdf.Array(
            list(remaining if isinstance(remaining, pikepdf.Array) else []) + kept)


def _keep_only_destinations(root) -> None:
    """Of the catalog's /Names trees keep only named destinations (targets of links)."""
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary) and "/Dests" in names:
        root["/Names"] = pikepdf.Dictionary({"/Dests": names["/Dests"]})
    elif "/Names" in root:
        del root["/Names"]


def _keep_page_tree_keys(node, seen: set[tuple[int, int]]) -> None:
    """Keep only drawing keys on every page and node of the page tree."""
    stack = [node]
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary) or (item.is_indirect and item.objgen in seen):
            continue
        if item.is_indirect:
            seen.add(item.objgen)
        for key in list(item.keys()):
            if key not in _PDF_PAGE_KEEP:
                del item[key]
        kids = item.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            stack.extend(kids)


def _clean_pdf_pages(pdf) -> None:
    """Drop the annotations that carry files, media or form fields from every page."""
    for page in pdf.pages:
        annotations = page.obj.get("/Annots")
        if annotations is None:
            continue
        if not isinstance(annotations, pikepdf.Array):
            del page.obj["/Annots"]
            continue
        kept = [a for a in annotations if isinstance(a, pikepdf.Dictionary)
                and a.get("/Subtype") not in _PDF_DROP_ANNOTATIONS]
        if kept:
            page.obj["/Annots"] = pikepdf.Array(kept)
        else:
            del page.obj["/Annots"]


def clean_pdf(data: bytes) -> bytes:
    """The PDF rebuilt so that only its pages, text and pictures remain (see :func:`_clean_pdf`).

    Raises :class:`UploadRejected` when it cannot be made safe.
    """
    # As for photos: a truncated image inside the PDF is refused, whatever WeasyPrint set.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _clean_pdf(data)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def _clean_pdf(data: bytes) -> bytes:
    """The PDF rebuilt so that only its pages, text and pictures remain.

    Removed: the document information and every XMP stream; JavaScript and actions (document
    open actions, page and field ``/AA``, ``/Names`` JavaScript, link actions other than a jump
    inside the document); embedded and associated files and file-attachment annotations; media
    annotations; forms (fields are printed into the page, then /AcroForm and its XFA go); page
    piece data, thumbnails, article threads and any key of the catalog, the trailer or the page
    tree that does not draw the page; comment authors. Every image is re-encoded so that only
    its pixels remain. Outlines, page labels, named destinations and the structure tree stay.

    Raises :class:`UploadRejected` when the file is locked with a password, damaged, or holds
    an image that cannot be decoded: a PDF that cannot be cleaned is not kept.
    """
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise UploadRejected(_PDF_DAMAGED)
            _flatten_pdf_forms(pdf)
            root = pdf.Root
            for key in list(root.keys()):
                if key not in _PDF_CATALOG_KEEP:
                    del root[key]
            _keep_only_destinations(root)
            for key in list(pdf.trailer.keys()):
                if key not in ("/Root", "/Size"):  # /Info and any private key; qpdf writes /ID
                    del pdf.trailer[key]
            _keep_page_tree_keys(root["/Pages"], set())
            _clean_pdf_pages(pdf)
            _clean_pdf_tree(pdf)
            pdf.remove_unreferenced_resources()
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True,
                     compress_streams=True)
    except pikepdf.PasswordError as exc:
        raise UploadRejected(_PDF_LOCKED) from exc
    except UploadRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever qpdf cannot rewrite is refused
        raise UploadRejected(_PDF_DAMAGED) from exc
    return out.getvalue()


def video_deadline(limits: Limits) -> "videos.Deadline":
    """One time budget for every video of a request (``VIDEO_CLEAN_SECONDS`` in all)."""
    return videos.Deadline(limits.video_time_limit)


def _megabytes(size: int) -> int:
    return size // (1024 * 1024)


def inspect_upload(stream, filename: str | None, limits: "Limits | int",
                   deadline: "videos.Deadline | None" = None) -> CleanFile:
    """Read an uploaded file, check size and real type, and return its cleaned content.

    ``limits`` is a :class:`Limits` (or only the bytes a photo or PDF may have, then videos get
    the same). A video may be larger than a photo: the type is read from the bytes first, then
    the size is checked against that type's limit. ``deadline`` is the request's time budget
    for its videos (:func:`video_deadline`), shared by all of them; without one a video gets
    ``limits.video_time_limit`` to itself (the API takes one file per request).
    """
    if isinstance(limits, int):
        limits = Limits(limits)
    name = clean_filename(filename)
    data = stream.read(limits.largest + 1)
    if not data:
        raise UploadRejected(_l("%(name)s: berkas kosong.", name=name))
    content_type = sniff_type(data)
    if content_type is None:
        if len(data) > limits.max_bytes:
            raise UploadRejected(_l("%(name)s: ukuran berkas melebihi %(limit)s MB.",
                                    name=name, limit=_megabytes(limits.max_bytes)))
        raise UploadRejected(_l("%(name)s: jenis berkas tidak diterima. Kirim JPEG, PNG, PDF, "
                                "atau video MP4 atau WebM.", name=name))
    if content_type in videos.CONTAINERS:
        limit = limits.max_video_bytes or limits.max_bytes
        if len(data) > limit:
            raise UploadRejected(_l("%(name)s: ukuran video melebihi %(limit)s MB. Potong bagian "
                                    "yang penting saja, atau rekam dengan resolusi lebih rendah.",
                                    name=name, limit=_megabytes(limit)))
    elif len(data) > limits.max_bytes:
        raise UploadRejected(_l("%(name)s: ukuran berkas melebihi %(limit)s MB.",
                                name=name, limit=_megabytes(limits.max_bytes)))
    try:
        if content_type == "application/pdf":
            data = clean_pdf(data)
        elif content_type in videos.CONTAINERS:
            data = videos.clean_video(data, content_type, limits.max_video_seconds,
                                      deadline or limits.video_time_limit)
            content_type = videos.stored_type(content_type)
        else:
            data = reencode_image(data, content_type)
    except (UploadRejected, videos.VideoRejected) as exc:
        raise UploadRejected(_l("%(name)s: %(reason)s", name=name, reason=exc.message)) from exc
    return CleanFile(name, content_type, data)


def _storage_path(upload_folder: str, storage_name: str) -> Path:
    return Path(upload_folder) / storage_name[:2] / storage_name


def write_file(upload_folder: str, clean: CleanFile) -> str:
    """Store the bytes under a random name (written atomically); return the name."""
    storage_name = secrets.token_hex(16) + ALLOWED_TYPES[clean.content_type]
    _write_atomically(_storage_path(upload_folder, storage_name), clean.data)
    return storage_name


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


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


_STORED_NAME = re.compile(r"^[0-9a-f]{32}(\.jpg|\.png|\.pdf|\.mp4|\.webm)(\.part)?$")


def purge_orphan_files(upload_folder: str, now: datetime) -> int:
    """Delete stored files that no attachment or staged upload names, older than a day.

    A file is written before its row is committed (:func:`stage`): when that transaction never
    commits (the worker was killed, the request failed), the file stays with no row, so
    :func:`purge_staged` never sees it. The same holds for a ``.part`` file cut short. Only names
    this module makes are touched, and only files older than ``STAGING_LIFETIME`` (by their
    modification time), so that the file of a request still running is never taken.
    """
    folder = Path(upload_folder)
    if not folder.is_dir():
        return 0
    cutoff = (now - STAGING_LIFETIME).timestamp()
    candidates: dict[str, Path] = {}
    for path in folder.glob("??/*"):
        found = _STORED_NAME.match(path.name)
        if found and path.parent.name == path.name[:2] and path.is_file() \
                and path.stat().st_mtime < cutoff:
            candidates[path.name] = path
    removed = 0
    names = sorted(candidates)
    for start in range(0, len(names), 500):
        batch = [name.removesuffix(".part") for name in names[start:start + 500]]
        known = set(db.session.scalars(select(Attachment.storage_name)
                                       .where(Attachment.storage_name.in_(batch))))
        known |= set(db.session.scalars(select(StagedUpload.storage_name)
                                        .where(StagedUpload.storage_name.in_(batch))))
        for name in names[start:start + 500]:
            if name.endswith(".part") or name not in known:
                candidates[name].unlink(missing_ok=True)
                removed += 1
    return removed


def clean_stored_pdfs(upload_folder: str) -> tuple[int, list[str]]:
    """Rebuild the PDFs already stored (attachments and staged uploads) with today's rules.

    Every file is cleaned once, when it is uploaded; a PDF stored by an earlier version of
    Terang was cleaned of its document information only. Run once after upgrading (``flask
    attachments clean-stored``); running it again is harmless. Returns how many files were
    rewritten and the storage names of those that cannot be cleaned (locked, damaged, or with
    an image that cannot be decoded): they are left as they are for the operator to decide.
    """
    rows = [*db.session.scalars(select(Attachment).where(
                Attachment.content_type == "application/pdf").order_by(Attachment.id)),
            *db.session.scalars(select(StagedUpload).where(
                StagedUpload.content_type == "application/pdf").order_by(StagedUpload.id))]
    rewritten, failed = 0, []
    for row in rows:
        path = _storage_path(upload_folder, row.storage_name)
        try:
            data = path.read_bytes()
            clean = clean_pdf(data)
        except (OSError, UploadRejected):
            failed.append(row.storage_name)
            continue
        if clean != data:
            _write_atomically(path, clean)
            row.size, row.sha256 = len(clean), hashlib.sha256(clean).hexdigest()
            rewritten += 1
    return rewritten, failed
