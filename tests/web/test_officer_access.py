"""Who may open and do what on the officer screens: every route × every role × whose report.

The agencies (tests/factories.py): ``pemkot-padang`` with its sub-unit ``dinkes-kota-padang``,
and ``pemkab-lebak``, another regency. The people: a national admin, the agency admin of
pemkot-padang (so also of its sub-unit), an officer of dinkes-kota-padang, an oversight user,
and somebody not signed in. The reports: one routed to each of the three agencies and one
still waiting for verification (routed nowhere).

A report outside a user's scope answers 404, exactly like a report that does not exist, so an
officer who guesses another agency's reference learns nothing.

The account pages (/petugas/pengguna) follow the same rules with an account in each agency and
one without an agency (an oversight user): an agency admin gets 404 for an account outside its
agency and units; an officer gets 403; oversight reads (list and account page) but changes
nothing (403).
"""
from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AccessLog, Report, ReportEvent, User
from app import clock
from app.services import accounts, attachments, casework
from app.services.errors import TransitionRefused
from app.services.sla import local_date
from tests import factories
from tests.factories import HTMLPage, csrf_from, login

ROLES = ("anonymous", "national_admin", "agency_admin", "officer", "oversight")
REPORTS = ("dinkes-kota-padang", "pemkot-padang", "pemkab-lebak", "unrouted")
ACCOUNTS = ("dinkes-kota-padang", "pemkot-padang", "pemkab-lebak", "no-agency")
ACCOUNT_CHANGES = ("account_deactivate", "account_reactivate", "account_reset_password",
                   "account_reset_second_factor")

# The whole table, written out. Columns follow ROLES:
#                                        anonymous  national  agency   officer  oversight
#                                                   admin     admin
EXPECTED: dict[tuple[str, str | None], tuple[int, int, int, int, int]] = {
    ("dashboard", None):                  (302,      302,      302,     302,     302),
    ("verification_queue", None):         (302,      200,      403,     403,     200),
    ("agency_inbox", None):               (302,      200,      200,     200,     200),
    ("agency_options", None):             (302,      200,      200,     200,     403),
    # the case page
    ("case", "dinkes-kota-padang"):       (302,      200,      200,     200,     200),
    ("case", "pemkot-padang"):            (302,      200,      200,     404,     200),
    ("case", "pemkab-lebak"):             (302,      200,      404,     404,     200),
    ("case", "unrouted"):                 (302,      200,      404,     404,     200),
    # an action (an internal note, which every acting role may write on an open report)
    ("act", "dinkes-kota-padang"):        (302,      303,      303,     303,     403),
    ("act", "pemkot-padang"):             (302,      303,      303,     404,     403),
    ("act", "pemkab-lebak"):              (302,      303,      404,     404,     403),
    ("act", "unrouted"):                  (302,      303,      404,     404,     403),
    # the report's attachment
    ("attachment", "dinkes-kota-padang"): (302,      200,      200,     200,     200),
    ("attachment", "pemkot-padang"):      (302,      200,      200,     404,     200),
    ("attachment", "pemkab-lebak"):       (302,      200,      404,     404,     200),
    ("attachment", "unrouted"):           (302,      200,      404,     404,     200),
    # officer accounts: the list, the form, creating (an officer of dinkes-kota-padang)
    ("account_list", None):               (302,      200,      200,     403,     200),
    ("account_new", None):                (302,      200,      200,     403,     403),
    ("account_create", None):             (302,      303,      303,     403,     403),
    # an account's page, and each change to it (never the user's own account: see the tests below)
    ("account_detail", "dinkes-kota-padang"):         (302, 200, 200, 403, 200),
    ("account_detail", "pemkot-padang"):              (302, 200, 200, 403, 200),
    ("account_detail", "pemkab-lebak"):               (302, 200, 404, 403, 200),
    ("account_detail", "no-agency"):                  (302, 200, 404, 403, 200),
    ("account_deactivate", "dinkes-kota-padang"):     (302, 303, 303, 403, 403),
    ("account_deactivate", "pemkot-padang"):          (302, 303, 303, 403, 403),
    ("account_deactivate", "pemkab-lebak"):           (302, 303, 404, 403, 403),
    ("account_deactivate", "no-agency"):              (302, 303, 404, 403, 403),
    ("account_reactivate", "dinkes-kota-padang"):     (302, 303, 303, 403, 403),
    ("account_reactivate", "pemkot-padang"):          (302, 303, 303, 403, 403),
    ("account_reactivate", "pemkab-lebak"):           (302, 303, 404, 403, 403),
    ("account_reactivate", "no-agency"):              (302, 303, 404, 403, 403),
    ("account_reset_password", "dinkes-kota-padang"): (302, 303, 303, 403, 403),
    ("account_reset_password", "pemkot-padang"):      (302, 303, 303, 403, 403),
    ("account_reset_password", "pemkab-lebak"):       (302, 303, 404, 403, 403),
    ("account_reset_password", "no-agency"):          (302, 303, 404, 403, 403),
    ("account_reset_second_factor", "dinkes-kota-padang"): (302, 303, 303, 403, 403),
    ("account_reset_second_factor", "pemkot-padang"):      (302, 303, 303, 403, 403),
    ("account_reset_second_factor", "pemkab-lebak"):       (302, 303, 404, 403, 403),
    ("account_reset_second_factor", "no-agency"):          (302, 303, 404, 403, 403),
    # the audit trail (an agency admin reads only its own accounts' rows: tests/web/test_audit_trail.py)
    ("audit_trail_page", None):           (302,      200,      200,     403,     200),
    ("audit_trail_export", None):         (302,      200,      200,     403,     200),
}

CELLS = [pytest.param(route, report, role, codes[i], id=f"{route}-{report or 'page'}-{role}")
         for (route, report), codes in EXPECTED.items() for i, role in enumerate(ROLES)]

DASHBOARD_TARGET = {
    "national_admin": "/petugas/verifikasi",
    "agency_admin": "/petugas/kotak-masuk",
    "officer": "/petugas/kotak-masuk",
    "oversight": "/petugas/kotak-masuk",
}


def test_the_table_covers_every_route_role_and_report():
    routes = {"case", "act", "attachment"}
    account_routes = {"account_detail", *ACCOUNT_CHANGES}
    assert {(r, k) for r in routes for k in REPORTS} | {
        (r, k) for r in account_routes for k in ACCOUNTS} | {
        (p, None) for p in ("dashboard", "verification_queue", "agency_inbox", "agency_options",
                            "account_list", "account_new", "account_create",
                            "audit_trail_page", "audit_trail_export")
    } == set(EXPECTED)
    assert len(CELLS) == len(EXPECTED) * len(ROLES) == 205


def test_every_officer_route_is_in_the_table(app):
    """A new officer page cannot be added without deciding who may open it."""
    endpoints = {rule.endpoint.removeprefix("officer.") for rule in app.url_map.iter_rules()
                 if rule.endpoint.startswith("officer.")}
    assert endpoints == {route for route, _key in EXPECTED} - {"account_create"} | {
        "escalation_list", "escalation_dossier"}  # tested in tests/web/test_reporter_actions.py


# --- the world every test works in -----------------------------------------------------------

# Several clients per test: none may inherit another's signed-in user (or CSRF token, or
# Vary flag) through ``g``, which the test's app context would otherwise share between requests.
pytestmark = pytest.mark.usefixtures("fresh_g")


@pytest.fixture
def world(db_session):
    """Four reports (each with a PDF attachment), four officer accounts, the receipts."""
    now = clock.now() - timedelta(hours=2)
    incident = local_date(now) - timedelta(days=2)
    reports, receipts = {}, {}
    for key in REPORTS:
        overrides = dict(incident_date=incident, staged_tokens=[factories.staged_pdf(f"{key}.pdf")],
                         title=f"Laporan untuk {key}", agency_slug=None if key == "unrouted" else key)
        if key == "unrouted":
            receipt = factories.file_report(now=now, **overrides)
            reports[key] = db.session.get(Report, receipt.report_id)
        else:
            reports[key] = factories.routed_report(key, now=now, **overrides)
        receipts[key] = reports[key].reference
    users = {
        "national_admin": factories.make_user("national_admin"),
        "agency_admin": factories.make_user("agency_admin", "pemkot-padang"),
        "officer": factories.make_user("officer", "dinkes-kota-padang"),
        "oversight": factories.make_user("oversight"),
    }
    # The accounts the account pages are tried on: one per agency, one without an agency.
    targets = {key: (factories.make_user("oversight") if key == "no-agency"
                    else factories.make_user("officer", key)) for key in ACCOUNTS}
    db.session.commit()
    return SimpleNamespace(reports=reports, users=users, accounts=targets,
                           attachments={k: r.attachments[0].id for k, r in reports.items()})


def signed_in(app, world, role):
    """A test client signed in as ``role`` (or not at all) and a CSRF token for its session."""
    client = app.test_client()
    if role == "anonymous":
        return client, csrf_from(client.get("/petugas/masuk").get_data(as_text=True))
    return client, login(client, world.users[role])


def request_for(route, key, world, token):
    reference = world.reports[key].reference if key in world.reports else None
    if route == "dashboard":
        return "GET", "/petugas/", None
    if route == "verification_queue":
        return "GET", "/petugas/verifikasi", None
    if route == "agency_inbox":
        return "GET", "/petugas/kotak-masuk", None
    if route == "agency_options":
        return "GET", "/petugas/instansi?agency_q=padang", None
    if route == "case":
        return "GET", f"/petugas/laporan/{reference}", None
    if route == "attachment":
        return "GET", f"/petugas/lampiran/{world.attachments[key]}", None
    if route == "act":
        return "POST", f"/petugas/laporan/{reference}/tindakan", {
            "csrf_token": token, "action": "note", "text": "Catatan uji matriks akses."}
    if route == "account_list":
        return "GET", "/petugas/pengguna", None
    if route == "audit_trail_page":
        return "GET", "/petugas/jejak-audit?what=security", None
    if route == "audit_trail_export":
        return "GET", "/petugas/jejak-audit.csv?what=security", None
    if route == "account_new":
        return "GET", "/petugas/pengguna/baru", None
    if route == "account_create":
        return "POST", "/petugas/pengguna/baru", {
            "csrf_token": token, "name": "Akun Uji Matriks", "email": "matriks@uji.terang.test",
            "role": "officer", "agency": "dinkes-kota-padang", "password": ""}
    return account_request_for(route, world.accounts[key], token)


ACCOUNT_PATHS = {"account_deactivate": "nonaktifkan", "account_reactivate": "aktifkan",
                 "account_reset_password": "atur-ulang-sandi",
                 "account_reset_second_factor": "atur-ulang-verifikasi"}


def account_request_for(route, account, token):
    if route == "account_detail":
        return "GET", f"/petugas/pengguna/{account.id}", None
    if route in ACCOUNT_PATHS:
        return "POST", f"/petugas/pengguna/{account.id}/{ACCOUNT_PATHS[route]}", {"csrf_token": token}
    raise AssertionError(route)


def account_state(account) -> tuple[bool, str]:
    db.session.expire_all()
    found = db.session.get(User, account.id)
    return found.is_active_account, found.password_hash


def account_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def event_count(report_id) -> int:
    return db.session.scalar(select(func.count()).select_from(ReportEvent)
                             .where(ReportEvent.report_id == report_id))


def access_log_count(**where) -> int:
    """Rows of reads and account changes (the sign-ins and session ends are audited too)."""
    from app.services.sessions import SECURITY_EVENTS

    query = select(func.count()).select_from(AccessLog).where(AccessLog.what.not_in(SECURITY_EVENTS))
    for name, value in where.items():
        query = query.where(getattr(AccessLog, name) == value)
    return db.session.scalar(query)


# --- the matrix -------------------------------------------------------------------------------

@pytest.mark.parametrize("route,key,role,expected", CELLS)
def test_access_matrix(app, world, route, key, role, expected):
    client, token = signed_in(app, world, role)
    method, url, data = request_for(route, key, world, token)
    report = world.reports[key] if key in REPORTS and not route.startswith("account") else None
    account = world.accounts[key] if route.startswith("account") and key else None
    events_before = event_count(report.id) if report else None
    if route == "account_reactivate":
        account.is_active_account = False  # something to reactivate
        db.session.commit()
    accounts_before, state_before = account_count(), account and account_state(account)

    response = client.open(url, method=method, data=data)

    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    if role == "anonymous":
        # Not signed in: off to the sign-in page, which brings the officer back afterwards.
        location = urlsplit(response.location)
        assert location.path == "/petugas/masuk"
        assert parse_qs(location.query)["next"] == [url]
    elif route == "dashboard":
        assert urlsplit(response.location).path == DASHBOARD_TARGET[role]
    elif route == "act" and expected == 303:
        assert urlsplit(response.location).path == f"/petugas/laporan/{report.reference}"
    elif route == "attachment" and expected == 200:
        assert response.data == attachments.clean_pdf(factories.small_pdf())
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["Content-Type"] == "application/pdf"
    if expected in (403, 404):
        assert response.headers.get("Cache-Control") != "public"
    elif route == "account_create" and expected == 303:
        created = db.session.scalar(select(User).where(User.email == "matriks@uji.terang.test"))
        assert urlsplit(response.location).path == f"/petugas/pengguna/{created.id}"
    elif route in ACCOUNT_PATHS and expected == 303:
        assert urlsplit(response.location).path == f"/petugas/pengguna/{account.id}"
    if report is not None:
        db.session.expire_all()
        written = 1 if (route == "act" and expected == 303) else 0
        assert event_count(report.id) == events_before + written
    # An account changes only when the answer says so; a refused request changes nothing.
    assert account_count() == accounts_before + (route == "account_create" and expected == 303)
    if account is not None:
        active, password_hash = account_state(account)
        changed = expected == 303
        assert active == {"account_deactivate": not changed,
                          "account_reactivate": changed}.get(route, state_before[0])
        assert (password_hash != state_before[1]) == (route == "account_reset_password" and changed)
    # Each change is in the audit trail; nothing else is.
    account_changes = db.session.scalar(select(func.count()).select_from(AccessLog).where(
        AccessLog.what.in_(accounts.ACCOUNT_CHANGES)))
    assert account_changes == (1 if expected == 303 and route.startswith("account") else 0)


@pytest.mark.parametrize("role", ["national_admin", "agency_admin", "officer", "oversight"])
def test_an_unknown_reference_or_attachment_is_404_for_everybody(app, world, role):
    client, token = signed_in(app, world, role)
    assert client.get("/petugas/laporan/LPR-2026-9999999").status_code == 404
    assert client.get("/petugas/lampiran/99999999").status_code == 404
    if role != "oversight":
        assert client.post("/petugas/laporan/LPR-2026-9999999/tindakan",
                           data={"csrf_token": token, "action": "note", "text": "x"}).status_code == 404


def _without_tokens(html: str) -> str:
    html = re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)


def test_a_guessed_reference_of_another_agency_looks_exactly_like_a_missing_one(app, world):
    client, token = signed_in(app, world, "officer")
    other = world.reports["pemkab-lebak"]
    guessed = client.get(f"/petugas/laporan/{other.reference}")
    missing = client.get("/petugas/laporan/LPR-2026-9999999")
    assert guessed.status_code == missing.status_code == 404
    # Byte for byte the same page, but for the CSRF tokens and the address typed (which the
    # language switch sends back to).
    assert (_without_tokens(guessed.get_data(as_text=True)).replace(other.reference, "LPR-2026-9999999")
            == _without_tokens(missing.get_data(as_text=True)))
    assert other.title not in guessed.get_data(as_text=True)
    # The same for the attachment and for an action on it.
    assert client.get(f"/petugas/lampiran/{world.attachments['pemkab-lebak']}").status_code == 404
    posted = client.post(f"/petugas/laporan/{other.reference}/tindakan",
                         data={"csrf_token": token, "action": "note", "text": "Coba-coba."})
    assert posted.status_code == 404
    assert other.title not in posted.get_data(as_text=True)


# --- lists ------------------------------------------------------------------------------------

def listed_references(html: str) -> set[str]:
    page = HTMLPage(html)
    return {a.get("href").rsplit("/", 1)[-1] for a in page.find_all("a")
            if (a.get("href") or "").startswith("/petugas/laporan/")}


INBOX = {
    "national_admin": {"dinkes-kota-padang", "pemkot-padang", "pemkab-lebak"},
    "agency_admin": {"dinkes-kota-padang", "pemkot-padang"},
    "officer": {"dinkes-kota-padang"},
    "oversight": {"dinkes-kota-padang", "pemkot-padang", "pemkab-lebak"},
}


@pytest.mark.parametrize("role", sorted(INBOX))
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_the_inbox_lists_only_reports_in_scope(app, world, role, htmx):
    client, _token = signed_in(app, world, role)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get("/petugas/kotak-masuk", headers=headers)
    assert response.status_code == 200
    expected = {world.reports[k].reference for k in INBOX[role]}
    assert listed_references(response.get_data(as_text=True)) == expected


def test_the_verification_queue_lists_the_unrouted_report_only(app, world):
    client, _token = signed_in(app, world, "national_admin")
    html = client.get("/petugas/verifikasi").get_data(as_text=True)
    assert listed_references(html) == {world.reports["unrouted"].reference}


def test_an_agency_role_without_an_agency_sees_nothing(app, world):
    """A misconfigured account (agency role, no agency) must not fall back to "everything"."""
    lost = factories.make_user("officer")
    db.session.commit()
    client = app.test_client()
    login(client, lost)
    assert listed_references(client.get("/petugas/kotak-masuk").get_data(as_text=True)) == set()
    for key in REPORTS:
        assert client.get(f"/petugas/laporan/{world.reports[key].reference}").status_code == 404


def test_a_deactivated_account_cannot_use_an_open_session(app, world):
    client, _token = signed_in(app, world, "officer")
    assert client.get("/petugas/kotak-masuk").status_code == 200
    world.users["officer"].is_active_account = False
    db.session.commit()
    response = client.get("/petugas/kotak-masuk")
    assert response.status_code == 302
    assert urlsplit(response.location).path == "/petugas/masuk"


# --- oversight: reads everything, writes nothing, leaves a trace --------------------------------

ACTION_FORMS = {
    "route": {"agency": "pemkab-lebak", "resolution_class": "ringan", "confirm_public_text": "y"},
    "archive": {"reason": "spam"},
    "request_info": {"text": "Mohon foto lokasi."},
    "respond": {"text": "Tanggapan."},
    "note": {"text": "Catatan."},
    "transfer": {"agency": "pemkab-lebak", "reason": "Bukan wewenang kami."},
    "resolve": {"text": "Selesai."},
}


def test_every_officer_action_has_a_form_here():
    assert set(ACTION_FORMS) == set(casework.OFFICER_ACTIONS)


@pytest.mark.parametrize("action", casework.OFFICER_ACTIONS)
@pytest.mark.parametrize("key", ["dinkes-kota-padang", "unrouted"])
def test_oversight_cannot_take_any_action(app, world, action, key):
    client, token = signed_in(app, world, "oversight")
    report = world.reports[key]
    status, events = report.status, event_count(report.id)
    response = client.post(f"/petugas/laporan/{report.reference}/tindakan",
                           data={"csrf_token": token, "action": action, **ACTION_FORMS[action]})
    assert response.status_code == 403
    db.session.expire_all()
    assert report.status == status
    assert event_count(report.id) == events
    # The service says no as well, whatever the view does.
    with pytest.raises(TransitionRefused):
        casework.take_action(world.users["oversight"], report.reference,
                             casework.ActionRequest(action=action, **{
                                 {"agency": "agency_slug"}.get(k, k): v
                                 for k, v in ACTION_FORMS[action].items()}), clock.now())
    db.session.rollback()


def test_oversight_sees_no_action_buttons(app, world):
    client, _token = signed_in(app, world, "oversight")
    for key in REPORTS:
        page = HTMLPage(client.get(f"/petugas/laporan/{world.reports[key].reference}")
                        .get_data(as_text=True))
        assert page.find("section", class_="actions-panel") is None
        assert not [f for f in page.find_all("form") if (f.get("action") or "").endswith("/tindakan")]


def test_each_oversight_view_writes_an_access_log_row(app, world):
    client, _token = signed_in(app, world, "oversight")
    user = world.users["oversight"]
    assert access_log_count(user_id=user.id) == 0

    assert client.get("/petugas/kotak-masuk?q=puskesmas").status_code == 200
    assert access_log_count(user_id=user.id, what="view_inbox") == 1
    assert client.get("/petugas/kotak-masuk", headers={"HX-Request": "true"}).status_code == 200
    assert access_log_count(user_id=user.id, what="view_inbox") == 2

    for n, key in enumerate(REPORTS, start=1):
        report = world.reports[key]
        assert client.get(f"/petugas/laporan/{report.reference}").status_code == 200
        assert access_log_count(user_id=user.id, what="view_report", report_id=report.id) == 1
        assert client.get(f"/petugas/lampiran/{world.attachments[key]}").status_code == 200
        assert access_log_count(user_id=user.id, what="download", report_id=report.id) == 1
    assert access_log_count(user_id=user.id) == 2 + 2 * len(REPORTS)

    # A refused request leaves no "view" behind (nothing was shown).
    assert client.get("/petugas/laporan/LPR-2026-9999999").status_code == 404
    assert access_log_count(user_id=user.id) == 2 + 2 * len(REPORTS)


def test_oversight_sees_the_access_trail_on_the_case_page(app, world):
    client, _token = signed_in(app, world, "oversight")
    reference = world.reports["pemkab-lebak"].reference
    client.get(f"/petugas/laporan/{reference}")
    page = HTMLPage(client.get(f"/petugas/laporan/{reference}").get_data(as_text=True))
    trail = page.by_id("audit-title")
    assert trail is not None
    assert page.within(trail.parent, "li")  # this view and the one before


@pytest.mark.parametrize("role", ["national_admin", "agency_admin", "officer"])
def test_other_roles_leave_no_access_log_and_see_no_trail(app, world, role):
    client, _token = signed_in(app, world, role)
    client.get("/petugas/kotak-masuk")
    html = client.get(f"/petugas/laporan/{world.reports['dinkes-kota-padang'].reference}").get_data(as_text=True)
    assert access_log_count() == 0
    assert 'id="audit-title"' not in html


# --- the reporter's contact ---------------------------------------------------------------------

CONTACT = dict(reporter_name="Siti Rahmawati", reporter_email="siti.rahma@contoh.id",
               reporter_phone="0812-3456-7890")
CONTACT_SHOWN = ("Siti Rahmawati", "siti.rahma@contoh.id", "+6281234567890")


@pytest.fixture
def with_contact(world):
    """Two reports routed to dinkes-kota-padang, both with a contact; one of them anonymous."""
    now = clock.now() - timedelta(hours=1)
    incident = local_date(now) - timedelta(days=1)
    open_report = factories.routed_report(now=now, incident_date=incident, title="Laporan terbuka",
                                          **CONTACT)
    anonymous = factories.routed_report(now=now, incident_date=incident, title="Laporan anonim",
                                        is_anonymous=True, **CONTACT)
    assert anonymous.contact is not None  # kept, for notifications only
    return SimpleNamespace(open=open_report, anonymous=anonymous)


@pytest.mark.parametrize("role", ["national_admin", "agency_admin", "officer", "oversight"])
def test_a_named_reporters_contact_is_shown_to_officers(app, world, with_contact, role):
    client, _token = signed_in(app, world, role)
    html = client.get(f"/petugas/laporan/{with_contact.open.reference}").get_data(as_text=True)
    page = HTMLPage(html)
    section = page.by_id("contact-title").parent
    for value in CONTACT_SHOWN:
        assert value in section.text


@pytest.mark.parametrize("role", ["national_admin", "agency_admin", "officer", "oversight"])
def test_an_anonymous_reporters_contact_is_shown_to_nobody(app, world, with_contact, role):
    client, _token = signed_in(app, world, role)
    reference = with_contact.anonymous.reference
    pages = [
        client.get(f"/petugas/laporan/{reference}"),
        client.get(f"/petugas/laporan/{reference}", headers={"HX-Request": "true"}),
        client.get("/petugas/kotak-masuk"),
        client.get(f"/petugas/kotak-masuk?q={reference}", headers={"HX-Request": "true"}),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        for value in CONTACT_SHOWN + ("Siti", "Rahmawati", "siti.rahma", "81234567890", "0812-3456"):
            assert value not in html, (response.request.path, value)
    page = HTMLPage(pages[0].get_data(as_text=True))
    assert "ANONIM" in page.by_id("main").text
    assert "tidak ditampilkan" in page.by_id("contact-title").parent.text


def test_the_contact_flag_rule_in_the_service(world, with_contact):
    from app.services import access

    for user in world.users.values():
        assert not access.can_see_contact(user, with_contact.anonymous)
    assert access.can_see_contact(world.users["officer"], with_contact.open)
    assert access.can_see_contact(world.users["national_admin"], with_contact.open)
    # Out of scope: not even a named reporter's contact.
    lebak = factories.make_user("officer", "pemkab-lebak")
    assert not access.can_see_contact(lebak, with_contact.open)


# --- internal notes -----------------------------------------------------------------------------

NOTE = "Catatan internal: cek langsung ke kepala puskesmas sebelum menjawab."


@pytest.fixture
def noted(app, world):
    """The officer writes an internal note on the dinkes report (through the form)."""
    client, token = signed_in(app, world, "officer")
    report = world.reports["dinkes-kota-padang"]
    response = client.post(f"/petugas/laporan/{report.reference}/tindakan",
                           data={"csrf_token": token, "action": "note", "text": NOTE})
    assert response.status_code == 303
    return report


@pytest.mark.parametrize("role", ["national_admin", "agency_admin", "officer", "oversight"])
def test_internal_notes_are_visible_to_officers_and_oversight_and_marked(app, world, noted, role):
    client, _token = signed_in(app, world, role)
    page = HTMLPage(client.get(f"/petugas/laporan/{noted.reference}").get_data(as_text=True))
    entries = [li for li in page.find_all("li") if NOTE in li.text]
    assert len(entries) == 1
    entry = entries[0]
    assert "internal" in entry.get("class", "").split()
    flags = page.within(entry, "span", class_="flag")
    assert flags and "INTERNAL" in flags[0].text
    assert "tidak terlihat oleh pelapor" in flags[0].text


def test_internal_notes_never_reach_the_reporter_or_the_public(app, world, db_session):
    now = clock.now() - timedelta(hours=1)
    receipt = factories.file_report(now=now, incident_date=local_date(now) - timedelta(days=1),
                                    agency_slug="dinkes-kota-padang")
    report = db.session.get(Report, receipt.report_id)
    officer_client, token = signed_in(app, world, "national_admin")
    officer_client.post(f"/petugas/laporan/{report.reference}/tindakan", data={
        "csrf_token": token, "action": "route", "agency": "dinkes-kota-padang", "confirm_public_text": "y",
        "resolution_class": "ringan", "public_title": "Puskesmas tutup", "public_body": "Puskesmas tutup."})
    officer_client, token = signed_in(app, world, "officer")
    for action, text in (("note", NOTE), ("respond", "Kami sedang memeriksa.")):
        assert officer_client.post(f"/petugas/laporan/{report.reference}/tindakan", data={
            "csrf_token": token, "action": action, "text": text}).status_code == 303

    reporter = app.test_client()
    token = csrf_from(reporter.get("/lacak").get_data(as_text=True))
    assert reporter.post("/lacak", data={"csrf_token": token,
                                         "tracking_code": receipt.tracking_code}).status_code == 303
    tracked = reporter.get("/lacak").get_data(as_text=True)
    assert "Kami sedang memeriksa." in tracked       # the public response is there
    assert NOTE not in tracked
    assert "Catatan internal" not in tracked

    public = app.test_client().get(f"/transparansi/laporan/{report.reference}")
    assert public.status_code == 200
    assert "Kami sedang memeriksa." in public.get_data(as_text=True)
    assert NOTE not in public.get_data(as_text=True)
