"""Each domain constant has one owner; the labels only add words to its codes.

The service levels live in ``app/services/sla.py``; labels, pages, e-mails and the methodology
take the numbers from there, so no source file types them next to "hari kerja".
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import render_template
from flask_babel import force_locale

from app import labels
from app.models import Status
from app.models.agency import LEVELS
from app.models.report import REPORT_TYPES
from app.models.user import ROLES
from app.services import casework, escalations, sla, workflow

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("labelled, owner", [
    (labels.STATUS_LABELS, Status.ALL),
    (labels.ACTION_LABELS, tuple(workflow.TRANSITIONS)),
    (labels.OFFICER_ACTION_LABELS, casework.OFFICER_ACTIONS),
    (labels.ARCHIVE_REASON_LABELS, workflow.ARCHIVE_REASONS),
    (labels.RESOLUTION_CLASS_LABELS, sla.RESOLUTION_CLASSES),
    (labels.ROLE_LABELS, ROLES),
    (labels.LEVEL_LABELS, LEVELS),
    (labels.REPORT_TYPE_LABELS, REPORT_TYPES),
    (labels.ESCALATION_GROUNDS_LABELS, escalations.GROUNDS),
    (labels.CLOCK_LABELS, (sla.VERIFICATION, sla.FIRST_RESPONSE, sla.RESOLUTION, sla.REPORTER_ANSWER)),
    (labels.DEADLINE_OUTCOME_LABELS, (sla.MET, sla.MISSED, sla.RUNNING, sla.PAUSED, sla.STOPPED)),
], ids=["status", "action", "officer_action", "archive_reason", "resolution_class", "role",
        "level", "report_type", "escalation_grounds", "clock", "deadline_outcome"])
def test_every_code_of_its_owner_has_exactly_one_label(labelled, owner):
    assert set(labelled) == set(owner)


def test_the_resolution_classes_are_the_classes_of_the_clock():
    assert sla.RESOLUTION_CLASSES == tuple(sla.RESOLUTION_DAYS)
    assert sla.DEFAULT_RESOLUTION_CLASS in sla.RESOLUTION_CLASSES


@pytest.mark.parametrize("language", ["id", "en"])
def test_labels_state_the_days_of_the_clock(app, language):
    with app.test_request_context(), force_locale(language):
        for code, days in sla.RESOLUTION_DAYS.items():
            assert re.search(rf"\b{days}\b", str(labels.RESOLUTION_CLASS_LABELS[code]))
        assert re.search(rf"\b{sla.REPORTER_ANSWER_DAYS}\b", str(labels.ACTION_LABELS["auto_close"]))


def test_the_home_page_reads_the_service_levels_from_sla(app, monkeypatch):
    # Unusual values, so that only numbers taken from sla can appear.
    monkeypatch.setattr(sla, "VERIFICATION_DAYS", 7)
    monkeypatch.setattr(sla, "FIRST_RESPONSE_DAYS", 8)
    monkeypatch.setattr(sla, "RESOLUTION_DAYS", {"ringan": 11, "sedang": 22, "berat": 33})
    with app.test_request_context():
        page = render_template("public/home.html")
    assert "dalam 7 hari kerja dan meneruskannya" in page
    assert "menindaklanjuti dalam 8 hari kerja" in page
    assert "(11, 22, atau 33 hari kerja)" in page


@pytest.mark.parametrize("language, wording", [("id", "dalam 12 hari kerja"),
                                               ("en", "within 12 working days")])
def test_the_resolution_e_mail_reads_the_answer_window_from_sla(app, monkeypatch, language, wording):
    monkeypatch.setattr(sla, "REPORTER_ANSWER_DAYS", 12)
    with app.test_request_context():
        body = render_template(f"email/reporter/event.{language}.txt", action="resolve",
                               reference="LPR-2026-0000001", title="Judul", agency_name="Dinas",
                               reason=None, public_text=None, original_reference=None)
    assert wording in body


# "5 hari kerja", "10 working days", "14-working-day": a service level typed by hand.
TYPED_SERVICE_LEVEL = re.compile(r"\b(\d+)[ -](?:hari kerja|working[ -]days?)\b")


def sources() -> list[Path]:
    app_dir = ROOT / "app"
    found = [p for p in app_dir.rglob("*") if p.suffix in {".py", ".html", ".txt"}]
    # The demo's invented stories may say what they like; translations follow their sources.
    return [p for p in found if "demo" not in p.name and "demo" not in p.parts
            and "translations" not in p.parts]


def test_no_source_types_a_service_level():
    levels = {sla.VERIFICATION_DAYS, sla.FIRST_RESPONSE_DAYS, sla.REPORTER_ANSWER_DAYS,
              *sla.RESOLUTION_DAYS.values()}
    typed = []
    for path in sources():
        text = path.read_text(encoding="utf-8")
        if path.name == "definitions.py" and path.parent.name == "statistics":
            # The superseded definitions say what methodology 2026.1 said; they never change.
            head, _, rest = text.partition("SUPERSEDED_DEFINITIONS = ")
            text = head + rest.partition("\n)}\n")[2]
        for number, line in enumerate(text.splitlines(), start=1):
            for match in TYPED_SERVICE_LEVEL.finditer(line):
                if int(match.group(1)) in levels:
                    typed.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert not typed, "service levels typed by hand (take them from app/services/sla.py):\n" + \
        "\n".join(typed)
