"""The redaction policy (redaction.publishable / for_viewer): reader × privacy flags × which text.

Pure: the reports here are plain objects with the attributes the policy reads, so the whole
matrix runs without a database.
"""
from __future__ import annotations

import ast
import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.services import redaction
from app.services.redaction import BODY, TITLE, for_viewer, publishable

NAME, EMAIL, PHONE = "Budi Santoso", "budi.santoso@example.com", "081234567890"
TITLE_TEXT = "Budi Santoso melapor jalan rusak"
BODY_TEXT = ("Saya Budi Santoso, NIK 3171015505900001, HP 0812 3456 7890, surel "
             "budi.santoso@example.com. Kepala puskesmas (0813-9999-8888) menolak.")
PUBLIC_TITLE, PUBLIC_BODY = "Jalan rusak dekat rumah [NAMA]", "Jalan rusak sejak sebulan."
REPLY = "Pak Budi Santoso, petugas kami menghubungi 0812-3456-7890 besok."

STAFF = (redaction.NATIONAL_ADMIN, redaction.OVERSIGHT, redaction.AGENCY_ADMIN, redaction.OFFICER)
READERS = (redaction.PUBLIC, redaction.REPORTER, *STAFF)
WHICH = {"title": TITLE, "body": BODY, "reply": REPLY}


def _report(anonymous: bool, confidential: bool, contact: bool = True, routed: bool = True):
    return SimpleNamespace(
        is_anonymous=anonymous, is_confidential=confidential,
        title=TITLE_TEXT, body=BODY_TEXT,
        public_title=PUBLIC_TITLE if routed else None, public_body=PUBLIC_BODY if routed else None,
        contact=SimpleNamespace(name=NAME, email=EMAIL, phone=PHONE) if contact else None)


def _original(which: str) -> str:
    return {"title": TITLE_TEXT, "body": BODY_TEXT, "reply": REPLY}[which]


def _expected(reader: str, anonymous: bool, confidential: bool, which: str) -> str | None:
    """The policy as the privacy rules state it, written out independently of the module."""
    if reader == redaction.PUBLIC:
        if confidential:
            return None
        return {"title": PUBLIC_TITLE, "body": PUBLIC_BODY,
                "reply": redaction.redact(REPLY, reporter_name=NAME).text}[which]
    if anonymous and reader in (redaction.AGENCY_ADMIN, redaction.OFFICER):
        return redaction.redact_identity(_original(which), NAME, EMAIL, PHONE).text
    return _original(which)


@pytest.mark.parametrize("reader, anonymous, confidential, which", list(itertools.product(
    READERS, (False, True), (False, True), WHICH)))
def test_the_policy_matrix(reader, anonymous, confidential, which):
    report = _report(anonymous, confidential)
    viewer = SimpleNamespace(role=reader) if reader in STAFF else reader
    assert for_viewer(report, WHICH[which], viewer) == _expected(reader, anonymous, confidential, which)
    if reader == redaction.PUBLIC:
        assert publishable(report, WHICH[which]) == for_viewer(report, WHICH[which], None)


def test_what_the_readings_look_like():
    anonymous = _report(anonymous=True, confidential=False)
    officer = SimpleNamespace(role="officer")
    assert for_viewer(anonymous, TITLE, officer) == "[NAMA] melapor jalan rusak"
    assert for_viewer(anonymous, BODY, officer) == (
        "Saya [NAMA], NIK [NIK], HP [TELEPON], surel [EMAIL]. Kepala puskesmas (0813-9999-8888) "
        "menolak.")
    assert for_viewer(anonymous, REPLY, None) == "Pak [NAMA], petugas kami menghubungi [TELEPON] besok."
    assert for_viewer(anonymous, BODY, SimpleNamespace(role="national_admin")) == BODY_TEXT


def test_a_message_that_says_title_is_not_the_reports_title():
    report = _report(anonymous=False, confidential=False)
    assert for_viewer(report, "title", None) == "title"
    assert for_viewer(report, "body", SimpleNamespace(role="officer")) == "body"


@pytest.mark.parametrize("reader", READERS)
def test_empty_texts(reader):
    report = _report(anonymous=True, confidential=False)
    for empty in (None, ""):
        expected = None if reader == redaction.PUBLIC else empty
        assert for_viewer(report, empty, reader) == expected


def test_the_public_reads_nothing_of_an_unverified_report_s_own_texts():
    report = _report(anonymous=False, confidential=False, routed=False)
    assert publishable(report, TITLE) is None and publishable(report, BODY) is None


def test_without_a_contact_identity_numbers_are_still_masked_for_agency_roles():
    report = _report(anonymous=True, confidential=False, contact=False)
    assert for_viewer(report, BODY, "officer") == (
        "Saya [NAMA], NIK [NIK], HP 0812 3456 7890, surel budi.santoso@example.com. "
        "Kepala puskesmas (0813-9999-8888) menolak.")
    assert publishable(report, REPLY) == redaction.redact(REPLY).text


def test_viewers_are_users_reader_names_or_none():
    report = _report(anonymous=True, confidential=False)
    assert redaction.reader_of(None) == redaction.PUBLIC
    assert redaction.reader_of("reporter") == redaction.REPORTER
    assert redaction.reader_of(SimpleNamespace(role="oversight")) == redaction.OVERSIGHT
    # Nobody unknown reads more than the public.
    assert for_viewer(report, BODY, SimpleNamespace(role="tamu")) == PUBLIC_BODY
    assert redaction.reading(report, "tamu") == redaction.PUBLISHED


@pytest.mark.parametrize("reader, anonymous, hidden", [
    ("officer", True, True), ("agency_admin", True, True), ("officer", False, False),
    ("national_admin", True, False), ("oversight", True, False), ("reporter", True, False),
    ("public", False, True)])
def test_hides_identity(reader, anonymous, hidden):
    assert redaction.hides_identity(_report(anonymous, False), reader) is hidden


def test_who_searches_anonymous_originals():
    assert {r for r in READERS if redaction.reads_anonymous_originals(r)} == {
        "reporter", "national_admin", "oversight"}


def test_showing_agency_roles_the_reviewed_text_is_one_edit(monkeypatch):
    """The follow-up rule (agency roles read an anonymous report's verifier-reviewed text, fully
    redacted) is a change of the anonymous readings table and nothing else."""
    for role in ("agency_admin", "officer"):
        monkeypatch.setitem(redaction.ANONYMOUS_READINGS, role, redaction.REVIEWED)
    officer = SimpleNamespace(role="officer")
    anonymous = _report(anonymous=True, confidential=True)
    assert for_viewer(anonymous, TITLE, officer) == PUBLIC_TITLE
    assert for_viewer(anonymous, BODY, officer) == PUBLIC_BODY
    assert for_viewer(anonymous, REPLY, officer) == redaction.redact(REPLY, reporter_name=NAME).text
    unrouted = _report(anonymous=True, confidential=False, routed=False)
    assert for_viewer(unrouted, TITLE, officer) == redaction.redact(TITLE_TEXT, reporter_name=NAME).text
    assert for_viewer(_report(False, False), BODY, officer) == BODY_TEXT  # named: unchanged
    assert redaction.hides_identity(anonymous, officer)


def test_public_version_is_stripped_redacted_and_cut_at_a_word():
    report = _report(anonymous=False, confidential=False)
    assert redaction.public_version(report, "  Budi Santoso melapor  ") == "[NAMA] melapor"
    cut = redaction.public_version(report, "Budi Santoso " + "kata " * 20, limit=30)
    assert len(cut) <= 30 and cut.endswith("…") and " kat…" not in cut


def test_proposal_keeps_its_findings():
    found = redaction.proposal(_report(False, False), BODY_TEXT)
    assert {f.kind for f in found.findings} >= {"NAMA", "NIK", "TELEPON", "EMAIL"}


def test_notice_title():
    assert redaction.notice_title(_report(False, True)) is None
    assert redaction.notice_title(_report(False, False)) == PUBLIC_TITLE
    assert redaction.notice_title(_report(False, False, routed=False)) == TITLE_TEXT


def test_reader_names_are_the_user_model_s_roles():
    from app.models.user import ROLES

    assert set(STAFF) == set(ROLES)
    assert set(redaction.ANONYMOUS_READINGS) == set(redaction.NAMED_READINGS) == set(READERS)


def test_redaction_is_free_of_flask_and_the_database():
    source = Path(redaction.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add("." * node.level + (node.module or "").split(".")[0])
    assert not imported & {"flask", "flask_babel", "sqlalchemy", "flask_sqlalchemy"}
    assert not any(name.startswith(".") for name in imported)


def test_no_other_service_or_view_redacts_by_itself():
    """Only redaction.py calls the redactor: every other module asks the policy."""
    root = Path(redaction.__file__).resolve().parents[1]
    callers = sorted(str(path.relative_to(root)) for path in root.rglob("*.py")
                     if path.name != "redaction.py"
                     and any(f"{call}(" in path.read_text(encoding="utf-8")
                             for call in ("redact", "redact_identity"))
                     and "demo" not in path.parts and path.name != "demo.py")
    assert callers == []
