"""Builders for test data. Reports are made through the intake service, as a reporter would."""
from __future__ import annotations

import io
from datetime import date, datetime, timezone

from flask import current_app
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Agency, Category
from app.models.agency import NATIONAL, REGENCY, UNIT
from app.services import intake

PADANG = "13.71"


def reference_data() -> None:
    """A few agencies and categories shared by every test (committed once per run)."""
    if db.session.scalar(select(Agency).where(Agency.slug == "kemenkes")) is None:
        kemenkes = Agency(slug="kemenkes", name="Kementerian Kesehatan", short_name="Kemenkes",
                          level=NATIONAL)
        pemkot = Agency(slug="pemkot-padang", name="Pemerintah Kota Padang", level=REGENCY,
                        region_code=PADANG)
        dinkes = Agency(slug="dinkes-kota-padang", name="Dinas Kesehatan Kota Padang", level=UNIT,
                        region_code=PADANG, parent=pemkot)
        pemkab = Agency(slug="pemkab-lebak", name="Pemerintah Kabupaten Lebak", level=REGENCY,
                        region_code="36.02")
        db.session.add_all([kemenkes, pemkot, dinkes, pemkab])
    if db.session.scalar(select(Category).where(Category.slug == "kesehatan")) is None:
        db.session.add_all([
            Category(slug="kesehatan", name_id="Kesehatan", name_en="Health"),
            Category(slug="infrastruktur", name_id="Infrastruktur", name_en="Infrastructure"),
        ])
    db.session.flush()


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


def small_pdf() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>"
            b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
