"""API fixtures: seeded reports of every visibility, officers of two agencies, and their tokens."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models import Report
from app.services import credentials, statistics, workflow
from tests import factories

FILED = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
# The seeded data's own "now": three weeks after filing, so that the default twelve months, the
# deadlines and the filters the tests name hold whatever day the suite runs.
SEEDED_NOW = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
ORIGINAL_MARKER = "ORIGINAL-ONLY-TEXT"
ANON_NAME, ANON_EMAIL, ANON_PHONE = "Siti Anonimah", "siti.anonimah@example.com", "081234567890"
NAMED_NAME, NAMED_EMAIL = "Budi Terbuka", "budi.terbuka@example.com"


@dataclass
class Seeded:
    reports: dict = field(default_factory=dict)   # name -> Report
    codes: dict = field(default_factory=dict)     # name -> tracking code
    users: dict = field(default_factory=dict)     # name -> User
    tokens: dict = field(default_factory=dict)    # name -> bearer secret

    def ref(self, name: str) -> str:
        return self.reports[name].reference

    def bearer(self, name: str) -> dict:
        return {"Authorization": f"Bearer {self.tokens[name]}"}

    def tracking(self, name: str) -> dict:
        return {"X-Tracking-Code": self.codes[name]}


def file(seeded: Seeded, name: str, *, route_to: str | None = "dinkes-kota-padang",
         public_title: str | None = None, **overrides) -> Report:
    """File a report as a reporter would; optionally verify and route it with a public text."""
    overrides.setdefault("body", f"Lampu jalan mati sejak sebulan. {ORIGINAL_MARKER} "
                                 "hubungi budi.santoso@example.com")
    overrides.setdefault("incident_date", FILED.date() - timedelta(days=3))
    receipt = factories.file_report(now=FILED, **overrides)
    report = db.session.get(Report, receipt.report_id)
    if route_to:
        workflow.apply(report, "route", factories.actor("national_admin"), FILED + timedelta(hours=2),
                       workflow.ActionInput(
                           agency=factories.agency(route_to), resolution_class="ringan",
                           extra={"public_title": public_title or f"Laporan publik {name}",
                                  "public_body": "Lampu jalan mati sejak sebulan."}))
    db.session.commit()
    seeded.reports[name] = report
    seeded.codes[name] = receipt.tracking_code
    return report


def seed(seeded: Seeded) -> Seeded:
    file(seeded, "public", public_title="Laporan publik yang boleh tampil")
    file(seeded, "confidential", public_title="RAHASIA-TITLE", is_confidential=True)
    file(seeded, "unverified", route_to=None, title="UNVERIFIED-TITLE tidak boleh tampil")
    file(seeded, "anonymous", public_title="Laporan anonim", is_anonymous=True,
         reporter_name=ANON_NAME, reporter_email=ANON_EMAIL, reporter_phone=ANON_PHONE)
    file(seeded, "named", public_title="Laporan bernama", reporter_name=NAMED_NAME,
         reporter_email=NAMED_EMAIL)
    file(seeded, "lebak", route_to="pemkab-lebak", agency_slug="pemkab-lebak",
         public_title="Laporan di Lebak")
    workflow.apply(seeded.reports["public"], "respond", factories.actor("officer"),
                   FILED + timedelta(days=1),
                   workflow.ActionInput(text="Petugas kami hubungi di 0812-3456-7890."))
    db.session.commit()
    for name, role, agency in (("admin", "national_admin", None),
                               ("officer", "officer", "dinkes-kota-padang"),
                               ("agency_admin", "agency_admin", "pemkot-padang"),
                               ("lebak", "officer", "pemkab-lebak"),
                               ("oversight", "oversight", None)):
        user = factories.make_user(role, agency)
        seeded.users[name] = user
        seeded.tokens[name] = credentials.create_token(user.email, f"uji {name}")[1]
    db.session.commit()
    statistics.mark_all_dirty()
    statistics.refresh_dirty(FILED + timedelta(days=3))
    db.session.commit()
    return seeded


@pytest.fixture
def seeded(db_session, frozen_clock) -> Seeded:
    frozen_clock.move_to(SEEDED_NOW)
    return seed(Seeded())


def conforms(response, path: str, method: str = "get") -> dict:
    """Assert the status is documented for the operation and the JSON body matches its schema."""
    from jsonschema import Draft202012Validator, FormatChecker

    from app.blueprints.api import openapi, validation

    operation = openapi.document()["paths"][path][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented, f"{response.status_code} is not documented for {method.upper()} {path}"
    assert response.mimetype == "application/json"
    schema = documented["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = {"$ref": validation._DOCUMENT_URI + schema["$ref"]}
    body = response.get_json()
    Draft202012Validator(schema, registry=validation._registry(),
                         format_checker=FormatChecker()).validate(body)
    return body


def error_of(response, status: int) -> dict:
    """The ``error`` object of a JSON error answer with ``status``."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]
