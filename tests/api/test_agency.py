"""Agency systems: bearer tokens act with the officer's role and agency, and nothing more."""
from __future__ import annotations


from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import AccessLog, ApiToken, Report, ReportEvent
from app.services import credentials
from app.services.sessions import SECURITY_EVENTS

NOT_SECURITY = AccessLog.what.not_in(SECURITY_EVENTS)  # token creation is audited too
from tests.api.conftest import (ANON_EMAIL, ANON_NAME, ANON_PHONE, NAMED_EMAIL, NAMED_NAME,
                                ORIGINAL_MARKER, conforms, error_of)

API = "/api/v1"
INBOX = f"{API}/inbox"
ONE = f"{INBOX}/{{reference}}"
ACTIONS = f"{INBOX}/{{reference}}/actions"


def act(client, seeded, who, name, **body):
    if body.get("action") == "route":  # the verifier confirms the public text (tested apart)
        body.setdefault("confirm_public_text", True)
    return client.post(f"{INBOX}/{seeded.ref(name)}/actions", json=body, headers=seeded.bearer(who))


def events_of(seeded, name) -> int:
    return len(db.session.scalars(select(ReportEvent).where(
        ReportEvent.report_id == seeded.reports[name].id)).all())


# --- authentication -------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwdw==",
                                    "Bearer trg_bukan-token-yang-ada", "Token trg_x"])
def test_without_a_valid_token_every_agency_endpoint_is_401(client, seeded, header):
    headers = {"Authorization": header} if header is not None else {}
    for response in (client.get(INBOX, headers=headers),
                     client.get(f"{INBOX}/{seeded.ref('public')}", headers=headers),
                     client.post(f"{INBOX}/{seeded.ref('public')}/actions", headers=headers,
                                 json={"action": "note", "text": "x"})):
        assert error_of(response, 401)["code"] == "unauthorized"
        # RFC 6750: the challenge names the scheme; a token that was sent but is not valid
        # is "invalid_token".
        challenge = response.headers["WWW-Authenticate"]
        assert challenge.startswith('Bearer realm="terang"')
        sent_a_token = (header or "").lower().startswith("bearer ") and header.strip() != "Bearer"
        assert ('error="invalid_token"' in challenge) == sent_a_token


def test_a_revoked_token_stops_working_at_once(client, seeded):
    assert client.get(INBOX, headers=seeded.bearer("officer")).status_code == 200
    prefix = seeded.tokens["officer"][:12]
    assert credentials.revoke(ApiToken, prefix, clock.now()) == 1
    db.session.commit()
    error_of(client.get(INBOX, headers=seeded.bearer("officer")), 401)
    error_of(act(client, seeded, "officer", "public", action="note", text="masih bisa?"), 401)


def test_a_token_stops_working_when_it_expires(client, seeded, frozen_clock):
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == seeded.users["officer"].id))
    assert token.expires_at == token.created_at + timedelta(days=90)
    frozen_clock.move_to(token.expires_at - timedelta(minutes=1))
    assert client.get(INBOX, headers=seeded.bearer("officer")).status_code == 200
    frozen_clock.move_to(token.expires_at)
    error_of(client.get(INBOX, headers=seeded.bearer("officer")), 401)


def test_a_password_reset_kills_the_accounts_tokens(client, seeded):
    from app.services import accounts

    accounts.reset_password(seeded.users["admin"], seeded.users["officer"].id, clock.now())
    db.session.commit()
    error_of(client.get(INBOX, headers=seeded.bearer("officer")), 401)


def test_a_deactivated_officers_token_stops_working(client, seeded):
    seeded.users["officer"].is_active_account = False
    db.session.commit()
    error_of(client.get(INBOX, headers=seeded.bearer("officer")), 401)


def test_a_token_records_its_last_use(client, seeded):
    client.get(INBOX, headers=seeded.bearer("officer"))
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == seeded.users["officer"].id))
    assert token.last_used_at is not None


# --- scope ----------------------------------------------------------------------------------------

def test_each_token_lists_its_own_agency(client, seeded):
    dinkes = conforms(client.get(INBOX, headers=seeded.bearer("officer")), INBOX)
    lebak = conforms(client.get(INBOX, headers=seeded.bearer("lebak")), INBOX)
    unit_admin = conforms(client.get(INBOX, headers=seeded.bearer("agency_admin")), INBOX)
    admin = conforms(client.get(INBOX, headers=seeded.bearer("admin")), INBOX)
    at_dinkes = {seeded.ref(n) for n in ("public", "confidential", "anonymous", "named")}
    assert {i["reference"] for i in dinkes["items"]} == at_dinkes
    assert {i["reference"] for i in lebak["items"]} == {seeded.ref("lebak")}
    assert {i["reference"] for i in unit_admin["items"]} == at_dinkes  # its unit's reports
    assert {i["reference"] for i in admin["items"]} == at_dinkes | {seeded.ref("lebak")}
    assert dinkes["queue"] == "routed" and dinkes["per_page"] == 25


@pytest.mark.parametrize("who, name", [("lebak", "public"), ("lebak", "named"),
                                       ("officer", "lebak"), ("officer", "unverified"),
                                       ("agency_admin", "lebak")])
def test_a_token_never_reads_or_acts_outside_its_agency(client, seeded, who, name):
    before = events_of(seeded, name)
    error_of(client.get(f"{INBOX}/{seeded.ref(name)}", headers=seeded.bearer(who)), 404)
    for body in ({"action": "respond", "text": "Bukan urusan kami"},
                 {"action": "note", "text": "Mengintip"},
                 {"action": "transfer", "agency": "kemenkes", "reason": "coba"}):
        response = act(client, seeded, who, name, **body)
        error_of(response, 404)
        conforms(response, ACTIONS, "post")
    assert events_of(seeded, name) == before
    # Outside the scope looks exactly like a reference that does not exist.
    missing = client.get(f"{INBOX}/LPR-2026-9999999", headers=seeded.bearer(who))
    assert error_of(missing, 404) == client.get(
        f"{INBOX}/{seeded.ref(name)}", headers=seeded.bearer(who)).get_json()["error"]


def test_the_verification_queue_is_the_national_admins_and_oversight_reads_it(client, seeded):
    """The same rule as the officer screens (access.can_read_verification_queue)."""
    queue = conforms(client.get(f"{INBOX}?queue=verification", headers=seeded.bearer("admin")), INBOX)
    assert [i["reference"] for i in queue["items"]] == [seeded.ref("unverified")]
    assert queue["queue"] == "verification"
    read = conforms(client.get(f"{INBOX}?queue=verification", headers=seeded.bearer("oversight")),
                    INBOX)
    assert [i["reference"] for i in read["items"]] == [seeded.ref("unverified")]
    logged = db.session.scalars(select(AccessLog).where(
        AccessLog.user_id == seeded.users["oversight"].id, NOT_SECURITY)).all()
    assert [(row.what, row.detail) for row in logged] == [("view_queue", "api?queue=verification")]
    for who in ("officer", "agency_admin"):
        error_of(client.get(f"{INBOX}?queue=verification", headers=seeded.bearer(who)), 403)
    # The admin's own reads are not logged.
    assert not db.session.scalars(select(AccessLog).where(
        AccessLog.user_id == seeded.users["admin"].id, NOT_SECURITY)).all()


def test_the_queue_rule_is_the_same_on_the_screens_and_in_the_api(app, client, seeded, fresh_g):
    """Each role gets the queue from both, or from neither."""
    from app.services import access
    from tests.factories import login

    for who in ("admin", "officer", "agency_admin", "lebak", "oversight"):
        user = seeded.users[who]
        api = client.get(f"{INBOX}?queue=verification", headers=seeded.bearer(who)).status_code
        screen_client = app.test_client()
        login(screen_client, user)
        screen = screen_client.get("/petugas/verifikasi").status_code
        allowed = access.can_read_verification_queue(user)
        assert (api, screen) == ((200, 200) if allowed else (403, 403)), who


@pytest.mark.parametrize("query, expected", [
    ("status=in_progress", {"public"}), ("q=bernama", set()), ("q=" + "LPR-2026-0000005", {"named"}),
    ("overdue=true", {"public", "confidential", "anonymous", "named"}), ("overdue=false", None),
    ("from=2026-11-03", set()), ("category=kesehatan", None), ("sort=newest", None),
])
def test_inbox_filters(client, seeded, query, expected):
    body = conforms(client.get(f"{INBOX}?{query}", headers=seeded.bearer("officer")), INBOX)
    if expected is not None:
        assert {i["reference"] for i in body["items"]} == {seeded.ref(n) for n in expected}


@pytest.mark.parametrize("query", ["status=open", "overdue=yes", "sort=random", "queue=all",
                                   "page=-1", "from=kemarin"])
def test_bad_inbox_parameters_are_400(client, seeded, query):
    response = client.get(f"{INBOX}?{query}", headers=seeded.bearer("officer"))
    error_of(response, 400)
    conforms(response, INBOX)


# --- the officer view and anonymity -----------------------------------------------------------------

def test_the_officer_view_has_the_original_and_internal_notes(client, seeded):
    assert act(client, seeded, "officer", "named", action="note",
               text="Catatan internal petugas").status_code == 201
    body = conforms(client.get(f"{INBOX}/{seeded.ref('named')}", headers=seeded.bearer("officer")), ONE)
    assert ORIGINAL_MARKER in body["body"] and body["public_title"] == "Laporan bernama"
    note = body["events"][-1]
    assert note["action"] == "note" and note["internal"] is True
    assert note["text"] == "Catatan internal petugas"
    assert body["available_actions"] == ["request_info", "respond", "note", "transfer", "resolve"]
    assert body["reporter"] == {"name": NAMED_NAME, "email": NAMED_EMAIL, "phone": None}


@pytest.mark.parametrize("who", ["admin", "officer", "agency_admin", "oversight"])
def test_an_anonymous_reporter_is_never_in_api_output(client, seeded, who):
    reference = seeded.ref("anonymous")
    outputs = [client.get(f"{INBOX}/{reference}", headers=seeded.bearer(who)),
               client.get(INBOX, headers=seeded.bearer(who)),
               client.get(f"{INBOX}?q={reference}", headers=seeded.bearer(who))]
    assert outputs[0].get_json()["reporter"] is None
    if who != "oversight":
        outputs.append(act(client, seeded, who, "anonymous", action="note", text="Dicatat."))
        assert outputs[-1].status_code == 201
    for response in outputs:
        text = response.get_data(as_text=True)
        for secret in (ANON_NAME, ANON_EMAIL, ANON_PHONE, "+6281234567890"):
            assert secret not in text


@pytest.fixture
def self_naming(seeded):
    """An anonymous report whose own title, text and file names name the reporter."""
    from tests import factories
    from tests.api.conftest import file

    file(seeded, "self_naming", public_title="Laporan anonim lain", is_anonymous=True,
         title="Siti Anonimah: lampu jalan mati",
         body=f"Saya {ANON_NAME}, hubungi {ANON_EMAIL} atau 0812-3456-7890. Petugas Andi "
              "(0813-9999-8888) tidak datang.",
         reporter_name=ANON_NAME, reporter_email=ANON_EMAIL, reporter_phone=ANON_PHONE,
         staged_tokens=[factories.staged_pdf("KTP_Siti.pdf")])
    return seeded


@pytest.mark.parametrize("who", ["officer", "agency_admin"])
def test_agency_tokens_read_an_anonymous_report_with_the_reporters_identity_masked(
        client, self_naming, who):
    reference = self_naming.ref("self_naming")
    act(client, self_naming, who, "self_naming", action="note", text="Sudah ditelepon Bu Siti.")
    body = conforms(client.get(f"{INBOX}/{reference}", headers=self_naming.bearer(who)), ONE)
    report = self_naming.reports["self_naming"]
    # The agency text: the verifier-reviewed public title and text, never the raw text.
    assert body["title"] == "Laporan anonim lain" == report.public_title
    assert body["body"] == report.public_body
    assert "0813-9999-8888" not in str(body)
    assert body["attachments"][0]["name"] == "lampiran-1.pdf"
    assert body["events"][-1]["text"] == "Sudah ditelepon Bu [NAMA]."
    # The day of filing, not the time (00:00 in Jakarta is 17:00 UTC the day before).
    assert body["submitted_at"].endswith("T17:00:00Z")
    submitted = [e for e in body["events"] if e["action"] == "submit"]
    assert submitted and submitted[0]["at"].endswith("T17:00:00Z")
    rows = client.get(f"{INBOX}?q={reference}", headers=self_naming.bearer(who)).get_json()
    assert [r["title"] for r in rows["items"]] == ["Laporan anonim lain"]
    assert rows["items"][0]["submitted_at"].endswith("T17:00:00Z")
    assert client.get(f"{INBOX}?q=Anonimah", headers=self_naming.bearer(who)).get_json()["total"] == 0
    assert "Siti" not in str(body) and "KTP" not in str(body)


@pytest.mark.parametrize("who", ["admin", "oversight"])
def test_the_verifier_and_oversight_tokens_read_the_original(client, self_naming, who):
    body = client.get(f"{INBOX}/{self_naming.ref('self_naming')}",
                      headers=self_naming.bearer(who)).get_json()
    assert body["title"] == "Siti Anonimah: lampu jalan mati"
    assert body["body"].startswith(f"Saya {ANON_NAME}, hubungi {ANON_EMAIL}")
    assert body["attachments"][0]["name"] == "KTP_Siti.pdf"
    assert body["reporter"] is None  # the contact itself: never, for anybody


def test_oversight_reads_are_logged_and_it_cannot_act(client, seeded):
    oversight = seeded.users["oversight"]
    conforms(client.get(f"{INBOX}?status=routed", headers=seeded.bearer("oversight")), INBOX)
    conforms(client.get(f"{INBOX}/{seeded.ref('named')}", headers=seeded.bearer("oversight")), ONE)
    logged = db.session.scalars(select(AccessLog).where(AccessLog.user_id == oversight.id, NOT_SECURITY)
                                .order_by(AccessLog.id)).all()
    assert [(row.what, row.report_id) for row in logged] == [
        ("view_inbox", None), ("view_report", seeded.reports["named"].id)]
    assert logged[0].detail == "api?status=routed"
    before = events_of(seeded, "named")
    response = act(client, seeded, "oversight", "named", action="note", text="Pengawas menulis")
    assert error_of(response, 403)["code"] == "forbidden"
    conforms(response, ACTIONS, "post")
    assert events_of(seeded, "named") == before


def test_other_roles_reads_are_not_logged(client, seeded):
    client.get(f"{INBOX}/{seeded.ref('named')}", headers=seeded.bearer("officer"))
    assert db.session.scalars(select(AccessLog).where(NOT_SECURITY)).all() == []


# --- actions ----------------------------------------------------------------------------------------

def test_routing_publishes_the_redacted_text_never_the_original(client, seeded):
    response = act(client, seeded, "admin", "unverified", action="route", agency="pemkab-lebak",
                   resolution_class="berat", category="infrastruktur")
    body = conforms(response, ACTIONS, "post")
    assert response.status_code == 201 and body["status"] == "routed"
    assert body["event"]["target_agency"]["slug"] == "pemkab-lebak"
    report = db.session.get(Report, seeded.reports["unverified"].id)
    assert report.category.slug == "infrastruktur" and report.resolution_class == "berat"
    assert "budi.santoso@example.com" not in report.public_body and "[EMAIL]" in report.public_body
    public = client.get(f"{API}/complaints/{report.reference}").get_json()
    assert public["body"] == report.public_body
    assert error_of(client.get(f"{INBOX}/{report.reference}", headers=seeded.bearer("officer")), 404)
    assert client.get(f"{INBOX}/{report.reference}", headers=seeded.bearer("lebak")).status_code == 200


def test_routing_with_a_reviewed_public_text_and_an_added_flag(client, seeded):
    response = act(client, seeded, "admin", "unverified", action="route", agency="kemenkes",
                   resolution_class="ringan", public_title="Judul publik", public_body="Teks publik.",
                   add_confidential=True)
    assert response.status_code == 201
    report = db.session.get(Report, seeded.reports["unverified"].id)
    assert (report.public_title, report.public_body, report.is_confidential) == (
        "Judul publik", "Teks publik.", True)
    error_of(client.get(f"{API}/complaints/{report.reference}"), 404)  # now rahasia


@pytest.mark.parametrize("action, status", [("respond", "in_progress"), ("note", "routed"),
                                            ("request_info", "on_hold"), ("resolve", "resolved")])
def test_text_actions(client, seeded, action, status):
    response = act(client, seeded, "officer", "named", action=action, text=f"Teks {action}.")
    body = conforms(response, ACTIONS, "post")
    assert response.status_code == 201
    assert body["status"] == status and body["event"]["action"] == action
    assert body["event"]["text"] == f"Teks {action}."
    assert body["event"]["internal"] is (action == "note")
    assert body["event"]["actor"]["name"] == seeded.users["officer"].name
    tracked = client.get("/api/v1/tracking", headers=seeded.tracking("named")).get_json()
    assert (f"Teks {action}." in [e["text"] for e in tracked["timeline"]]) is (action != "note")


def test_a_transfer_hands_the_report_to_the_other_agency(client, seeded):
    response = act(client, seeded, "officer", "named", action="transfer", agency="pemkab-lebak",
                   reason="Bukan wewenang dinas kesehatan.")
    assert conforms(response, ACTIONS, "post")["status"] == "routed"
    error_of(client.get(f"{INBOX}/{seeded.ref('named')}", headers=seeded.bearer("officer")), 404)
    moved = client.get(f"{INBOX}/{seeded.ref('named')}", headers=seeded.bearer("lebak"))
    assert moved.get_json()["agency"]["slug"] == "pemkab-lebak"


def test_archive_with_a_reason_code(client, seeded):
    response = act(client, seeded, "admin", "unverified", action="archive", reason="spam")
    assert conforms(response, ACTIONS, "post")["status"] == "archived"
    assert response.get_json()["event"]["reason"] == "spam"
    assert response.get_json()["event"]["duplicate_of"] is None


def test_a_duplicate_names_its_original(client, seeded):
    response = act(client, seeded, "admin", "unverified", action="archive", reason="duplicate")
    assert "duplicate_of" in error_of(response, 422)["fields"]
    response = act(client, seeded, "admin", "unverified", action="archive", reason="duplicate",
                   duplicate_of="LPR-1999-0000001")
    assert "duplicate_of" in error_of(response, 422)["fields"]
    response = act(client, seeded, "admin", "unverified", action="archive", reason="duplicate",
                   duplicate_of=seeded.ref("named"))
    assert conforms(response, ACTIONS, "post")["status"] == "archived"
    assert response.get_json()["event"]["duplicate_of"] == seeded.ref("named")


@pytest.mark.parametrize("who, name, body", [
    ("officer", "named", {"action": "route", "agency": "kemenkes", "resolution_class": "ringan"}),
    ("officer", "named", {"action": "archive", "reason": "spam"}),
    ("admin", "named", {"action": "respond", "text": "Admin nasional menanggapi"}),
    ("admin", "named", {"action": "resolve", "text": "Admin nasional menyelesaikan"}),
])
def test_an_action_the_role_may_never_take_is_403(client, seeded, who, name, body):
    before = events_of(seeded, name)
    response = act(client, seeded, who, name, **body)
    error_of(response, 403)
    conforms(response, ACTIONS, "post")
    assert events_of(seeded, name) == before


@pytest.mark.parametrize("who, name, body", [
    ("admin", "named", {"action": "route", "agency": "kemenkes", "resolution_class": "ringan"}),
    ("admin", "named", {"action": "archive", "reason": "spam"}),
    ("admin", "public", {"action": "archive", "reason": "duplicate"}),
])
def test_an_action_the_state_does_not_allow_is_409(client, seeded, who, name, body):
    response = act(client, seeded, who, name, **body)
    assert error_of(response, 409)["code"] == "conflict"
    conforms(response, ACTIONS, "post")


def test_no_second_answer_once_resolved(client, seeded):
    assert act(client, seeded, "officer", "named", action="resolve", text="Selesai.").status_code == 201
    error_of(act(client, seeded, "officer", "named", action="respond", text="Lagi"), 409)


@pytest.mark.parametrize("body, field", [
    ({}, "action"), ({"action": "hapus"}, "action"), ({"action": 5}, "action"),
    ({"action": "respond"}, "text"), ({"action": "respond", "text": ""}, "text"),
    ({"action": "respond", "text": "   "}, "text"),
    ({"action": "respond", "text": "ok", "agency": "kemenkes"}, "agency"),
    ({"action": "transfer", "agency": "kemenkes"}, "reason"),
    ({"action": "transfer", "agency": "tidak-ada", "reason": "x"}, "agency"),
    ({"action": "transfer", "agency": "dinkes-kota-padang", "reason": "x"}, "agency"),
    ({"action": "archive", "reason": "bosan"}, "reason"),
    ({"action": "route", "agency": "kemenkes"}, "resolution_class"),
    ({"action": "respond", "text": "x" * 20_001}, "text"),
])
def test_bad_action_bodies_are_422_naming_the_field(client, seeded, body, field):
    who = "admin" if body.get("action") in ("archive", "route") else "officer"
    name = "unverified" if who == "admin" else "named"
    response = act(client, seeded, who, name, **body)
    assert field in error_of(response, 422)["fields"], response.get_json()
    conforms(response, ACTIONS, "post")


def test_a_route_to_an_unknown_category_is_422(client, seeded):
    response = act(client, seeded, "admin", "unverified", action="route", agency="kemenkes",
                   resolution_class="ringan", category="tidak-ada")
    assert "category" in error_of(response, 422)["fields"]
    assert db.session.get(Report, seeded.reports["unverified"].id).status == "submitted"


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31",
                                   "from=0001-01-01&to=9999-12-31&queue=verification"])
def test_inbox_dates_at_the_ends_of_the_calendar_bound_nothing(client, seeded, query):
    body = conforms(client.get(f"{INBOX}?{query}", headers=seeded.bearer("admin")), INBOX)
    queue = "queue=verification" if "queue" in query else "queue=routed"
    every = client.get(f"{INBOX}?{queue}", headers=seeded.bearer("admin")).get_json()
    assert body["total"] == every["total"] > 0


def test_a_proposed_public_title_too_long_for_its_column_is_422_not_500(client, seeded):
    """Redaction masks can make the proposed title longer than the 200 characters it may have."""
    from tests.api.conftest import file

    title = ("Jalan rusak dekat rumah Ani. " * 7)[:200].strip()
    file(seeded, "long_title", route_to=None, title=title, reporter_name="Ani")
    body = {"action": "route", "agency": "dinkes-kota-padang", "resolution_class": "ringan"}
    response = act(client, seeded, "admin", "long_title", **body)
    error = error_of(response, 422)
    assert set(error["fields"]) == {"public_title"}
    conforms(response, ACTIONS, "post")
    assert events_of(seeded, "long_title") == 1
    done = act(client, seeded, "admin", "long_title", **body, public_title="Jalan rusak")
    assert done.status_code == 201
