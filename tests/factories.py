"""Builders for test data. Reports are made through the intake service, as a reporter would."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone
from pathlib import Path

from flask import current_app
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Agency
from app.services import intake, reference

PADANG = "13.71"
TEST_DATA = Path(__file__).resolve().parent / "data"


def reference_data() -> None:
    """A few agencies and categories shared by every test (committed once per run), loaded by
    the reference service from ``tests/data/*.csv``, as ``flask reference load`` would."""
    reference.load_files(agencies=TEST_DATA / "agencies.csv",
                         categories=TEST_DATA / "categories.csv")


def agency(slug: str) -> Agency:
    return db.session.scalar(select(Agency).where(Agency.slug == slug))


def submission(**overrides) -> intake.Submission:
    values = dict(
        report_type="pengaduan",
        title="Puskesmas tutup pada jam layanan",
        body="Pada hari Senin pagi puskesmas di kelurahan kami tutup padahal jadwal buka pukul 08.00.",
        incident_date=date(2026, 11, 16),
        region_code=PADANG,
        agency_slug="dinkes-kota-padang",
        category_slug="kesehatan",
    )
    values.update(overrides)
    return intake.Submission(**values)


def file_report(now: datetime | None = None, **overrides) -> intake.Receipt:
    """File a report through the intake service and return its receipt."""
    now = now or datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
    receipt = intake.submit_report(
        submission(**overrides), now=now, secret_key=current_app.config["SECRET_KEY"],
        reference_prefix=current_app.config["REFERENCE_PREFIX"])
    db.session.commit()
    return receipt


def form_data(**overrides) -> dict:
    """Valid /lapor form fields (without csrf_token)."""
    data = {
        "report_type": "pengaduan",
        "title": "Jalan berlubang di depan SDN 3 Padang",
        "body": "Sejak dua minggu lalu ada lubang besar di jalan depan sekolah. Sudah dua anak jatuh.",
        "incident_date": "2026-11-10",
        "region": PADANG,
        "agency": "pemkot-padang",
        "category": "infrastruktur",
    }
    data.update(overrides)
    return data


def jpeg_with_gps(size=(64, 48), comment=b"secret comment") -> bytes:
    """A small JPEG that carries EXIF GPS data, a camera model and a comment."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "Camera Model X"  # Model
    gps = {1: "S", 2: (0.0, 57.0, 0.0), 3: "E", 4: (100.0, 21.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=comment)
    return out.getvalue()


def png_with_text() -> bytes:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Budi Santoso")
    image = Image.new("RGBA", (20, 20), (0, 128, 0, 128))
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def small_pdf(metadata: dict | None = None, xmp: bytes | None = None,
              comment_author: str | None = None, padding: int = 0) -> bytes:
    """A one-page PDF; optionally with document information (``{"/Author": …}``), an XMP
    stream on the document and on the page, a comment by ``comment_author``, and ``padding``
    bytes of page content (to make a file of a given size)."""
    from pypdf import PdfWriter
    from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, NameObject,
                               StreamObject, TextStringObject)

    writer = PdfWriter()
    page = writer.add_blank_page(72, 72)
    if padding:
        content = StreamObject()
        content.set_data(b"%" + b"0" * (padding - 2) + b"\n")
        page[NameObject("/Contents")] = writer._add_object(content)
    if metadata:
        writer.add_metadata(metadata)
    if xmp:
        for holder in (writer._root_object, page):
            stream = StreamObject()
            stream.set_data(xmp)
            stream[NameObject("/Type")] = NameObject("/Metadata")
            stream[NameObject("/Subtype")] = NameObject("/XML")
            holder[NameObject("/Metadata")] = writer._add_object(stream)
    if comment_author:
        note = DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 30, 30)]),
            NameObject("/T"): TextStringObject(comment_author),
            NameObject("/Contents"): TextStringObject("Lampu mati sejak sebulan."),
        })
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(note)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- helpers added for the intake / tracking / workflow tests ---------------------------------

from datetime import timedelta  # noqa: E402

def jpeg_with_orientation(size=(20, 10), orientation=6) -> bytes:
    """A JPEG whose EXIF says "rotate me" (orientation 6 = turn 90° clockwise to view)."""
    image = Image.new("RGB", size, (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_with_transparency() -> bytes:
    """A palette PNG whose colour 0 is transparent, plus a fully transparent RGBA corner."""
    image = Image.new("RGBA", (16, 16), (0, 0, 255, 255))
    for x in range(8):
        for y in range(8):
            image.putpixel((x, y), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def upload(data: bytes, filename: str, content_type: str = "application/octet-stream"):
    """A file for the Werkzeug test client's ``data=`` (multipart)."""
    return (io.BytesIO(data), filename, content_type)


ROLES = ("reporter", "system", "national_admin", "agency_admin", "officer", "oversight")


def actor(role: str, agency_slug: str = "dinkes-kota-padang"):
    """A workflow Actor for ``role`` (officer roles belong to ``agency_slug``)."""
    from app.services import workflow

    if role == "reporter":
        return workflow.Actor.reporter()
    if role == "system":
        return workflow.Actor.system()
    agency_id = agency(agency_slug).id if role in ("agency_admin", "officer") else None
    return workflow.Actor(kind="officer", role=role, agency_id=agency_id)


# Which real steps lead a freshly filed report to each status.
PATH_TO_STATUS = {
    "submitted": (),
    "routed": ("route",),
    "in_progress": ("route", "respond"),
    "on_hold": ("route", "request_info"),
    "resolved": ("route", "resolve"),
    "closed": ("route", "resolve", "confirm"),
    "archived": ("archive",),
}
_STEP = {
    "route": ("national_admin", dict(resolution_class="sedang")),
    "respond": ("officer", dict(text="Kami sedang memeriksa laporan ini.")),
    "request_info": ("officer", dict(text="Mohon kirim foto lokasi.")),
    "resolve": ("officer", dict(text="Sudah diperbaiki.")),
    "confirm": ("reporter", {}),
    "archive": ("national_admin", dict(reason="spam")),
}


def report_in_status(status: str, now: datetime | None = None, **overrides):
    """File a report and walk it through the workflow until it has ``status``; return it.

    Each step happens one hour after the previous one, starting at ``now``.
    """
    from app.models import Report

    now = now or datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
    overrides.setdefault("incident_date", min(date(2026, 11, 16), now.date() - timedelta(days=1)))
    receipt = file_report(now=now, **overrides)
    return advance(db.session.get(Report, receipt.report_id), status, now)


def advance(report, status: str, now: datetime, step: timedelta = timedelta(hours=1)):
    """Walk a freshly filed report through real workflow steps until it has ``status``."""
    from app.services import workflow

    for n, action in enumerate(PATH_TO_STATUS[status], start=1):
        role, fields = _STEP[action]
        data = workflow.ActionInput(**fields)
        if action == "route":
            data.agency = agency("dinkes-kota-padang")
        workflow.apply(report, action, actor(role), now + n * step, data)
    db.session.flush()
    assert report.status == status
    return report


class _Element:
    """One parsed HTML element: tag, attributes and the text inside it."""

    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.parent = parent
        self.text = ""

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class HTMLPage:
    """A tiny HTML reader for tests (standard library only): find elements by tag/attributes."""

    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
             "track", "wbr"}

    def __init__(self, html: str):
        from html.parser import HTMLParser

        page = self
        self.elements: list[_Element] = []
        stack: list[_Element] = []

        class _Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                element = _Element(tag, attrs, stack[-1] if stack else None)
                page.elements.append(element)
                if tag not in HTMLPage._VOID:
                    stack.append(element)

            def handle_startendtag(self, tag, attrs):
                page.elements.append(_Element(tag, attrs, stack[-1] if stack else None))

            def handle_endtag(self, tag):
                for i in range(len(stack) - 1, -1, -1):
                    if stack[i].tag == tag:
                        del stack[i:]
                        break

            def handle_data(self, data):
                for element in stack:
                    element.text += data

        parser = _Parser(convert_charrefs=True)
        parser.feed(html)
        parser.close()

    def find_all(self, tag: str | None = None, **attrs) -> list[_Element]:
        """Elements with ``tag`` whose attributes equal ``attrs`` (use ``class_`` for class)."""
        wanted = {k.rstrip("_").replace("_", "-") if k != "class_" else "class": v
                  for k, v in attrs.items()}
        return [e for e in self.elements
                if (tag is None or e.tag == tag)
                and all(e.attrs.get(k) == v for k, v in wanted.items())]

    def find(self, tag: str | None = None, **attrs) -> _Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, element_id: str) -> _Element | None:
        return next((e for e in self.elements if e.attrs.get("id") == element_id), None)

    def within(self, ancestor: _Element | None, tag: str | None = None, **attrs) -> list[_Element]:
        """Elements inside ``ancestor`` (at any depth) matching ``tag`` and ``attrs``."""
        def inside(element):
            node = element.parent
            while node is not None:
                if node is ancestor:
                    return True
                node = node.parent
            return False

        return [e for e in self.find_all(tag, **attrs) if inside(e)]

    def controls(self, name: str) -> list[_Element]:
        """The form controls (input, select, textarea) named ``name``."""
        return [e for e in self.elements
                if e.tag in ("input", "select", "textarea") and e.attrs.get("name") == name]


def cells_containing(*needles: str) -> list[tuple[str, str, str]]:
    """Every (table, column, value) in the whole database whose text contains one of ``needles``.

    Reads every table of the app's metadata in the current session (uncommitted rows included).
    """
    found = []
    lowered = [n.lower() for n in needles]
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            for column, value in row.items():
                if value is None:
                    continue
                text_value = (value.decode("latin-1") if isinstance(value, (bytes, memoryview))
                              else str(value)).lower()
                if any(n in text_value for n in lowered):
                    found.append((table.name, column, str(value)[:80]))
    return found


def post_multipart(client, url: str, data: dict, **kwargs):
    """POST ``data`` as multipart/form-data, encoded in memory.

    Werkzeug's test client spools bodies over 500 KB to a temporary file that it never closes
    (a ResourceWarning, an error under ``filterwarnings = error``); encoding here avoids it.
    File values are ``upload(...)`` tuples; lists give repeated fields.
    """
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    fields = MultiDict()
    for name, value in data.items():
        for item in (value if isinstance(value, list) else [value]):
            if isinstance(item, tuple):
                stream, filename, content_type = item
                item = FileStorage(stream=stream, filename=filename, content_type=content_type)
            fields.add(name, item)
    boundary, body = encode_multipart(fields)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}",
                       **kwargs)


# --- helpers added for the officer-screen tests (access matrix, casework, inbox, concurrency) ---

OFFICER_PASSWORD = "kata-sandi-uji-2026"
_CHEAP_HASHES: dict[str, str] = {}
_user_numbers = iter(range(1, 1_000_000))


def _cheap_hash(password: str) -> str:
    """An argon2 hash with tiny parameters: verification reads them from the hash, so test
    sign-ins go through the real code path without paying for production-strength hashing."""
    if password not in _CHEAP_HASHES:
        from argon2 import PasswordHasher

        _CHEAP_HASHES[password] = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(password)
    return _CHEAP_HASHES[password]


def make_user(role: str, agency_slug: str | None = None, *, email: str | None = None,
              name: str | None = None, password: str = OFFICER_PASSWORD, active: bool = True,
              second_factor: bool | None = None):
    """An officer account (added and flushed, not committed); agency roles need ``agency_slug``.

    Roles that must have a second factor (national admin, agency admin, oversight) get a
    confirmed TOTP authenticator, as they would after their first sign-in, unless
    ``second_factor=False`` (an account still to enrol); ``second_factor=True`` gives an
    officer one. :func:`login` then gives a current code, as the owner's phone would.
    """
    from app.models import User
    from app.services import second_factor as factors

    number = next(_user_numbers)
    user = User(email=email or f"{role.replace('_', '-')}-{number}@uji.terang.test",
                name=name or f"Petugas Uji {number}", role=role,
                agency=agency(agency_slug) if agency_slug else None,
                password_hash=_cheap_hash(password), is_active_account=active)
    db.session.add(user)
    db.session.flush()
    if second_factor if second_factor is not None else factors.is_required(user):
        enrol_second_factor(user)
    return user


# The TOTP secret of each account the factories enrolled (the tests' "phone").
TOTP_SECRETS: dict[int, str] = {}


def enrol_second_factor(user, now: datetime | None = None) -> str:
    """Give ``user`` a confirmed TOTP authenticator (flushed); return its secret."""
    import pyotp

    from app import clock
    from app.models import SecondFactor
    from app.services import second_factor as factors

    now = now or clock.now()
    secret = pyotp.random_base32()
    db.session.add(SecondFactor(user_id=user.id, kind="totp", secret=factors.seal(secret),
                                created_at=now, confirmed_at=now))
    db.session.flush()
    TOTP_SECRETS[user.id] = secret
    return secret


def totp_code(user, now: datetime | None = None) -> str:
    """A code ``user``'s authenticator shows that the server has not seen yet.

    The suite's clock stands still, so a test that signs the same account in more than three
    times would run out of fresh time steps (the current one and one either side); then the
    factor forgets its last step, as it would not need to after 30 real seconds.
    """
    import pyotp

    from app import clock
    from app.services import second_factor as factors

    now = now or clock.now()
    totp = pyotp.TOTP(TOTP_SECRETS[user.id])
    factor = factors.factor_of(user)
    current = totp.timecode(now)
    for step in range(current - factors.VALID_WINDOW, current + factors.VALID_WINDOW + 1):
        if factor is None or factor.last_used_step is None or step > factor.last_used_step:
            return totp.generate_otp(step)
    factor.last_used_step = None
    db.session.flush()
    return totp.generate_otp(current)


def pass_second_factor(client, user, response):
    """When the sign-in ``response`` leads to the code step, give a fresh code; return the
    answer that completes the sign-in (or ``response`` when there was no code step)."""
    from urllib.parse import urlsplit

    if response.status_code != 303 or urlsplit(response.location).path != "/petugas/masuk/kode":
        return response
    from flask import has_app_context

    token = csrf_from(client.get("/petugas/masuk/kode").get_data(as_text=True))
    if has_app_context():
        code = totp_code(user)
    else:  # a test of committed data, outside the suite's rolled-back session (tests/parallel.py)
        with client.application.app_context():
            code = totp_code(user)
            db.session.commit()
            db.session.remove()
    return client.post("/petugas/masuk/kode", data={"csrf_token": token, "code": code})


_CSRF_FIELD = __import__("re").compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF_FIELD.search(html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client, user, password: str = OFFICER_PASSWORD) -> str:
    """Sign ``user`` in through /petugas/masuk; return a CSRF token valid for the session."""
    token = csrf_from(client.get("/petugas/masuk").get_data(as_text=True))
    response = client.post("/petugas/masuk", data={"csrf_token": token, "email": user.email,
                                                   "password": password})
    response = pass_second_factor(client, user, response)
    assert response.status_code == 303, f"sign-in failed ({response.status_code})"
    return token


def staged_pdf(name: str = "bukti.pdf") -> str:
    """Stage a small PDF as the form would; return its token (for ``staged_tokens``)."""
    from app.services import attachments

    clean = attachments.inspect_upload(io.BytesIO(small_pdf()), name, 1024 * 1024)
    return attachments.stage(current_app.config["UPLOAD_FOLDER"], clean).token


def routed_report(to: str = "dinkes-kota-padang", now: datetime | None = None,
                  resolution_class: str = "sedang", **overrides):
    """File a report and let the national admin route it to the agency ``to``; return the Report.

    ``overrides`` go to the submission (``agency_slug`` there is the agency the reporter chose)."""
    from datetime import timedelta

    from app.models import Report
    from app.services import workflow

    now = now or datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
    receipt = file_report(now=now, **overrides)
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", actor("national_admin"), now + timedelta(minutes=30),
                   workflow.ActionInput(agency=agency(to), resolution_class=resolution_class))
    db.session.commit()
    return report


# --- a PDF that hides things: for the attachment cleaning tests ----------------------------------

HIDDEN = {
    "artist": "Rudi Hartono Fotografer",
    "make": "MerekPonselRahasia",
    "jpeg_comment": "KOMENTAR-JPEG-RUDI",
    "xmp": "XMP-PENULIS-RUDI",
    "author": "Rudi Hartono Penulis",
    "open_js": "OPEN-ACTION-JS-RUDI",
    "page_js": "PAGE-AA-JS-RUDI",
    "names_js": "NAMES-JS-RUDI",
    "field_js": "FIELD-JS-RUDI",
    "link_js": "LINK-JS-RUDI",
    "uri": "https://pelacak.example/rudi",
    "embedded": "ISI-BERKAS-TERSEMAT KTP Rudi",
    "attached": "ISI-LAMPIRAN-ANOTASI Rudi",
    "xfa": "XFA-RAHASIA-RUDI",
    "comment_author": "Rudi Komentator",
    "piece": "PIECE-INFO-RUDI",
    "private": "PRIVATE-PAGE-KEY-RUDI",
    "thread": "THREAD-AUTHOR-RUDI",
    "trailer": "TRAILER-KEY-RUDI",
}
GPS_IFD_TAG = b"\x88\x25\x00\x04"  # EXIF tag 0x8825 (GPSInfo), type LONG, as Pillow writes it (MM)


def xmp_packet(creator: str) -> bytes:
    return ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
            '22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/'
            f'elements/1.1/"><dc:creator>{creator}</dc:creator></rdf:Description></rdf:RDF>'
            '</x:xmpmeta>').encode()


def gps_jpeg_for_pdf(size=(60, 40)) -> bytes:
    """A JPEG with GPS, Artist, Make, a comment and XMP: what a phone puts in a photo."""
    image = Image.new("RGB", size, (30, 160, 40))
    exif = Image.Exif()
    exif[0x013B] = HIDDEN["artist"]    # Artist
    exif[0x010F] = HIDDEN["make"]      # Make
    exif[0x8825] = {1: "S", 2: (0.0, 57.0, 12.0), 3: "E", 4: (100.0, 21.0, 33.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=HIDDEN["jpeg_comment"].encode(),
               xmp=xmp_packet(HIDDEN["xmp"]),
               quality=95)
    return out.getvalue()


def pdf_with_hidden_content() -> bytes:
    """A one-page PDF with a GPS-tagged photo and everything a PDF can hide besides.

    Page JavaScript (/AA) and a document open action, a /Names JavaScript entry, an embedded
    file, a file-attachment annotation, a form with XFA and a scripted field, a JavaScript link
    and a URI link, document information, XMP, page piece data, a comment with its author, an
    article thread whose info names its author, and private keys on the page and the trailer.
    Streams are left uncompressed so that the test can see the secrets in the original bytes.
    """
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 150))
    page = pdf.pages[0].obj

    def js(source):
        return Dictionary(S=Name.JavaScript, JS=String(source))

    def filespec(name, content):
        stream = pikepdf.Stream(pdf, content.encode())
        stream.Type = Name.EmbeddedFile
        return pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String(name), UF=String(name),
                                            EF=Dictionary(F=stream)))

    def xmp(text):
        stream = pikepdf.Stream(pdf, xmp_packet(text))
        stream.Type, stream.Subtype = Name.Metadata, Name.XML
        return stream

    photo = pikepdf.Stream(pdf, gps_jpeg_for_pdf())
    photo.Type, photo.Subtype = Name.XObject, Name.Image
    photo.Width, photo.Height, photo.BitsPerComponent = 60, 40, 8
    photo.ColorSpace, photo.Filter = Name.DeviceRGB, Name.DCTDecode
    photo.Metadata = xmp(HIDDEN["xmp"])
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.Resources = Dictionary(XObject=Dictionary(Im0=photo), Font=Dictionary(F1=font))
    page.Contents = pikepdf.Stream(
        pdf, b"q 120 0 0 80 20 20 cm /Im0 Do Q BT /F1 10 Tf 20 130 Td (Lampu jalan mati) Tj ET")
    page.AA = Dictionary(O=js(HIDDEN["page_js"]))
    page.PieceInfo = Dictionary(Word=Dictionary(Private=String(HIDDEN["piece"])))
    page.Metadata = xmp(HIDDEN["xmp"])
    page["/TerangUjiPrivate"] = String(HIDDEN["private"])  # software's own data on the page
    thread = pdf.make_indirect(Dictionary(Type=Name.Thread, I=Dictionary(Author=String(
        HIDDEN["thread"]))))
    bead = pdf.make_indirect(Dictionary(Type=Name.Bead, T=thread, P=page,
                                        R=Array([0, 0, 100, 100])))
    bead.N, bead.V, thread.F = bead, bead, bead
    page.B = Array([bead])
    pdf.Root.Threads = Array([thread])

    appearance = pikepdf.Stream(pdf, b"BT /F1 8 Tf 2 4 Td (Isian formulir) Tj ET")
    appearance.Type, appearance.Subtype = Name.XObject, Name.Form
    appearance.BBox = Array([0, 0, 80, 14])
    appearance.Resources = Dictionary(Font=Dictionary(F1=font))
    field = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String("nama_pelapor"),
        V=String("Isian formulir"), Rect=Array([100, 5, 180, 19]), F=4, P=page,
        AP=Dictionary(N=appearance), AA=Dictionary(K=js(HIDDEN["field_js"]))))
    attachment = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([5, 5, 15, 15]),
        FS=filespec("bukti.txt", HIDDEN["attached"]), T=String(HIDDEN["comment_author"]),
        Contents=String("bukti")))
    script_link = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([20, 125, 60, 140]),
        A=js(HIDDEN["link_js"])))
    uri_link = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([60, 125, 100, 140]),
        A=Dictionary(S=Name.URI, URI=String(HIDDEN["uri"]))))
    jump = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=Array([100, 125, 140, 140]),
        A=Dictionary(S=Name.GoTo, D=Array([page, Name.Fit]),
                     Next=js(HIDDEN["link_js"]))))
    note = pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Text, Rect=Array([150, 100, 170, 120]),
        T=String(HIDDEN["comment_author"]), Contents=String("Lampu mati sejak sebulan.")))
    page.Annots = Array([field, attachment, script_link, uri_link, jump, note])

    xfa = pikepdf.Stream(pdf, f"<xdp:xdp><template>{HIDDEN['xfa']}</template></xdp:xdp>".encode())
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]), XFA=Array([String("template"), xfa]))
    pdf.Root.OpenAction = js(HIDDEN["open_js"])
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("awal"), js(HIDDEN["names_js"])])),
        EmbeddedFiles=Dictionary(Names=Array([String("ktp.txt"),
                                              filespec("ktp.txt", HIDDEN["embedded"])])))
    outline = pdf.make_indirect(Dictionary(Title=String("Halaman 1"), Dest=Array([page, Name.Fit])))
    pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=outline,
                                                     Last=outline, Count=1))
    outline.Parent = pdf.Root.Outlines
    pdf.Root.Metadata = xmp(HIDDEN["xmp"])
    pdf.docinfo["/Author"] = HIDDEN["author"]
    pdf.trailer["/TerangUjiTrailer"] = String(HIDDEN["trailer"])
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, fix_metadata_version=False)
    return out.getvalue()


def pdf_content(data: bytes) -> bytes:
    """A PDF's bytes and the decoded content of every stream in it (compressed or not)."""
    import pikepdf

    parts = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                parts.append(obj.read_raw_bytes())
                try:
                    parts.append(obj.read_bytes())
                except pikepdf.PdfError:
                    pass  # a JPEG: its raw bytes are the image file itself
    return b"\n".join(parts)


def locked_pdf(password: str = "rahasia") -> bytes:
    """A PDF that cannot be opened without ``password``."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(small_pdf()))
    writer.encrypt(user_password=password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_broken_image() -> bytes:
    """A PDF whose one image says it is a JPEG and is not: it cannot be decoded, nor cleaned."""
    import pikepdf
    from pikepdf import Dictionary, Name

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    image = pikepdf.Stream(pdf, b"\xff\xd8\xff\xe0 not really a jpeg " * 20)
    image.Type, image.Subtype, image.Filter = Name.XObject, Name.Image, Name.DCTDecode
    image.Width, image.Height, image.BitsPerComponent = 20, 20, 8
    image.ColorSpace = Name.DeviceRGB
    page = pdf.pages[0].obj
    page.Resources = Dictionary(XObject=Dictionary(Im0=image))
    page.Contents = pikepdf.Stream(pdf, b"q 50 0 0 50 10 10 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# --- videos, built with PyAV (FFmpeg) ----------------------------------------------------------
VIDEO_GPS = "-6.2088+106.8456/"
VIDEO_DEVICE = "SM-A546E"
VIDEO_MAKE = "Samsung"


def video_with_metadata(kind: str = "mp4", frames: int = 10, vcodec: str | None = None) -> bytes:
    """A tiny video (64x48, 10 fps, with sound) that carries what a phone writes: where it was
    filmed (``location``, ``com.apple.quicktime.location.ISO6709``), make and model, when, and
    handler names naming the device. ``kind``: "mp4" (H.264 + AAC), "mov" (the same in a
    QuickTime file) or "webm" (VP9 + Opus)."""
    import av

    muxer, default_vcodec, acodec = {"mp4": ("mp4", "libx264", "aac"),
                                     "mov": ("mov", "libx264", "aac"),
                                     "webm": ("webm", "libvpx-vp9", "libopus")}[kind]
    vcodec = vcodec or default_vcodec
    out = io.BytesIO()
    options = {"movflags": "use_metadata_tags"} if muxer in ("mp4", "mov") else {}
    with av.open(out, "w", format=muxer, container_options=options) as container:
        container.metadata.update({
            "location": VIDEO_GPS, "com.apple.quicktime.location.ISO6709": VIDEO_GPS,
            "make": VIDEO_MAKE, "model": VIDEO_DEVICE, "com.apple.quicktime.model": VIDEO_DEVICE,
            "creation_time": "2026-11-01T10:00:00Z", "title": "Rekaman loket pungli"})
        video = container.add_stream(vcodec, rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        audio = container.add_stream(acodec, rate=48000, layout="mono")
        for stream in (video, audio):
            stream.metadata.update({"handler_name": f"Core Media {VIDEO_DEVICE}",
                                    "creation_time": "2026-11-01T10:00:00Z"})
        for i in range(frames):
            frame = av.VideoFrame(64, 48, "yuv420p")
            for plane in frame.planes:
                plane.update(bytes([(i * 20) % 256]) * plane.buffer_size)
            frame.pts = i
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        samples = audio.codec_context.frame_size or 960
        for i in range(frames):
            sound = av.AudioFrame(format=audio.codec_context.format.name, layout="mono",
                                  samples=samples)
            for plane in sound.planes:
                plane.update(bytes(plane.buffer_size))
            sound.sample_rate, sound.pts = 48000, i * samples
            for packet in audio.encode(sound):
                container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
    return out.getvalue()


def encrypted_video() -> bytes:
    """The MP4 above with its tracks encrypted ('cenc', as DRM-protected downloads are)."""
    import av

    out = io.BytesIO()
    with av.open(io.BytesIO(video_with_metadata("mp4")), format="mov") as source, \
            av.open(out, "w", format="mp4", container_options={
                "encryption_scheme": "cenc-aes-ctr",
                "encryption_key": "76a6c65c5ea762046bd749a2e632ccbb",
                "encryption_kid": "a7e61c373e219033c21091fa607bf3b8"}) as target:
        copies = {s.index: target.add_stream_from_template(s) for s in source.streams}
        for packet in source.demux():
            if packet.dts is not None:
                packet.stream = copies[packet.stream.index]
                target.mux(packet)
    return out.getvalue()


def video_tags(data: bytes) -> tuple[dict, list[dict], list[str]]:
    """(container tags, each stream's tags, each stream's type) read back with PyAV."""
    import av

    with av.open(io.BytesIO(data)) as container:
        return (dict(container.metadata), [dict(s.metadata) for s in container.streams],
                [s.type for s in container.streams])


def staged_video(name: str = "rekaman.mp4", kind: str = "mp4") -> str:
    """Stage a small video (with GPS and device tags) as the form would; return its token."""
    from app.services import attachments

    clean = attachments.inspect_upload(io.BytesIO(video_with_metadata(kind)), name,
                                       attachments.Limits.from_config(current_app.config))
    return attachments.stage(current_app.config["UPLOAD_FOLDER"], clean).token


# A Redis database of the tests' own (db 15), with keys under each test's prefix.
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def redis_test_client():
    """A client of :data:`REDIS_TEST_URL`, or the test skipped when no Redis answers there
    (Redis is optional: never required to run the suite)."""
    import pytest

    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    return client
