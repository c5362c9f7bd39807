"""The page cache (app/page_cache.py): the board and open data are kept by data version and
language, answer 304 to a matching ETag, show a refresh, a publication or a redaction change on
the very next request, and are never shared with an officer or a reporter."""
import json
from types import SimpleNamespace
from datetime import timedelta

import pytest

from app import create_app
from app.extensions import db
from app.models import Report
from tests import factories
from tests.web.test_board import make_report

pytestmark = pytest.mark.usefixtures("fresh_g")


# The stores a page may come from: a worker's SimpleCache; and the worker's own copy in front of
# Redis (PAGE_CACHE_LOCAL_ITEMS), here with a Redis that cannot be reached, so that every hit
# is the local copy's and every rule below holds for it too.
STORES = {
    "simple": {"PAGE_CACHE_TYPE": "simple"},
    "local-before-redis": {"PAGE_CACHE_TYPE": "redis", "PAGE_CACHE_REDIS_URL": "redis://127.0.0.1:1/0",
                           "PAGE_CACHE_LOCAL_ITEMS": 50},
}


@pytest.fixture(params=sorted(STORES))
def cached_app(request, app, db_session):
    """A second app on the suite's database with a server-side cache of its own (the suite's
    app keeps nothing: every test rolls its data, and so its data version, back)."""
    made = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], **STORES[request.param]})
    yield made
    with made.app_context():
        db.engine.dispose()


@pytest.fixture
def reader(cached_app):
    return cached_app.test_client()


def _public(response):
    return response.headers.get("Cache-Control", "").startswith("public")


# --- HTTP caching ---------------------------------------------------------------------------------

def test_an_anonymous_reader_gets_a_public_answer_with_an_etag(client):
    response = client.get("/transparansi/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["ETag"]
    assert "Cookie" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers


def test_a_matching_etag_is_answered_304_without_a_body(client):
    etag = client.get("/transparansi/").headers["ETag"]
    again = client.get("/transparansi/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert _public(again)
    assert client.get("/transparansi/", headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_shared_page_carries_no_csrf_token_and_switches_language_with_get(client):
    html = client.get("/transparansi/").get_data(as_text=True)
    assert "csrf_token" not in html and "X-CSRFToken" not in html
    assert 'method="get" action="/bahasa"' in html


@pytest.mark.parametrize("path", [
    "/transparansi/instansi", "/transparansi/instansi/dinkes-kota-padang",
    "/transparansi/wilayah", "/transparansi/laporan", "/transparansi/laporan?q=lampu",
    "/transparansi/ringkasan.csv", "/transparansi/ringkasan.json", "/transparansi/instansi.json",
    "/transparansi/metodologi", "/transparansi/snapshot", "/transparansi/wilayah.csv",
    "/transparansi/ringkasan.pdf",
    "/api/v1/statistics", "/api/v1/complaints", "/api/v1/agencies", "/open311/v2/requests.json",
])
def test_every_board_page_download_and_open_data_answer_is_shared(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert _public(response) and response.headers["ETag"], path
    assert b"csrf_token" not in response.get_data() and "Set-Cookie" not in response.headers
    etag = response.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    # A proxy that compresses the answer weakens its ETag; revalidating with it still works.
    assert client.get(path, headers={"If-None-Match": f"W/{etag}"}).status_code == 304


def test_query_strings_in_another_order_are_the_same_answer_other_values_are_not(client):
    one = client.get("/transparansi/instansi?level=provincial&sort=name").headers["ETag"]
    same = client.get("/transparansi/instansi?sort=name&level=provincial").headers["ETag"]
    other = client.get("/transparansi/instansi?level=national&sort=name").headers["ETag"]
    assert one == same != other


def test_an_error_is_never_shared(client):
    response = client.get("/transparansi/laporan/TRG-0000-0000")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_an_api_client_with_a_token_is_not_shared(client):
    response = client.get("/api/v1/statistics", headers={"Authorization": "Bearer x"})
    assert response.headers["Cache-Control"] == "private, no-store"


def test_private_pages_stay_no_store(client):
    assert client.get("/lacak").headers["Cache-Control"] == "no-store"


# --- the server-side cache ------------------------------------------------------------------------

def test_the_second_reader_gets_the_stored_page(reader):
    first = reader.get("/transparansi/")
    second = reader.get("/transparansi/")
    assert first.headers["X-Page-Cache"] == "miss" and second.headers["X-Page-Cache"] == "hit"
    assert first.get_data() == second.get_data()
    assert first.headers["ETag"] == second.headers["ETag"] and _public(second)


def test_a_rollup_refresh_shows_on_the_next_request(reader, frozen_clock):
    from tests.web.test_board import SUBMITTED

    # The report's month must lie in the page's last 12 months, whatever instant .ci/run
    # moves the suite's clock to.
    frozen_clock.move_to(SUBMITTED + timedelta(days=3))
    make_report()
    before = reader.get("/transparansi/ringkasan.json")
    assert reader.get("/transparansi/ringkasan.json").headers["X-Page-Cache"] == "hit"
    result = reader.application.test_cli_runner().invoke(args=["stats", "refresh"])
    assert result.exit_code == 0, result.output
    after = reader.get("/transparansi/ringkasan.json")
    assert after.headers["X-Page-Cache"] == "miss"
    assert after.headers["ETag"] != before.headers["ETag"]
    received = lambda r: json.loads(r.get_data())["last_12_months"]["received"]  # noqa: E731
    assert received(after) != received(before)


def test_a_publication_shows_on_the_next_request(reader):
    title = "Jembatan gantung putus di Nagari Contoh"
    assert title not in reader.get("/transparansi/laporan").get_data(as_text=True)
    assert reader.get("/transparansi/laporan").headers["X-Page-Cache"] == "hit"
    make_report(public_title=title)
    listed = reader.get("/transparansi/laporan")
    assert title in listed.get_data(as_text=True)
    assert listed.headers["X-Page-Cache"] == "miss"


def test_a_redaction_change_shows_on_the_next_request(reader):
    report = make_report(public_title="Pungutan liar di loket")
    page, report_id = f"/transparansi/laporan/{report.reference}", report.id
    assert "Lampu jalan mati sejak sebulan." in reader.get(page).get_data(as_text=True)
    assert reader.get(page).headers["X-Page-Cache"] == "hit"
    report = db.session.get(Report, report_id)  # each request ends the test's session
    report.public_body = "Lampu jalan mati di depan sekolah."  # the verifier masks more
    db.session.commit()
    changed = reader.get(page).get_data(as_text=True)
    assert "di depan sekolah" in changed and "sejak sebulan" not in changed
    db.session.get(Report, report_id).is_confidential = True  # a privacy flag: off the board
    db.session.commit()
    assert reader.get(page).status_code == 404
    assert "Pungutan liar" not in reader.get("/transparansi/laporan").get_data(as_text=True)


def test_languages_are_kept_apart(reader):
    indonesian = reader.get("/transparansi/")
    switched = reader.get("/bahasa?lang=en&next=/transparansi/")
    assert switched.status_code == 303 and switched.headers["Location"] == "/transparansi/"
    english = reader.get("/transparansi/")
    assert english.headers["X-Page-Cache"] == "miss"
    assert english.headers["ETag"] != indonesian.headers["ETag"]
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert reader.get("/transparansi/").headers["X-Page-Cache"] == "hit"
    other = reader.application.test_client()  # a new reader: Indonesian, from the cache
    again = other.get("/transparansi/")
    assert again.headers["X-Page-Cache"] == "hit" and '<html lang="id">' in again.get_data(as_text=True)


def test_an_officer_never_gets_nor_makes_a_shared_page(cached_app, reader):
    user = factories.make_user("officer", "dinkes-kota-padang")
    name, email = user.name, user.email
    db.session.commit()
    officer = cached_app.test_client()
    factories.login(officer, SimpleNamespace(email=email))
    seen = officer.get("/transparansi/")
    assert seen.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in seen.headers and "X-Page-Cache" not in seen.headers
    assert name in seen.get_data(as_text=True)  # "Masuk sebagai …": the officer's own page
    first = reader.get("/transparansi/")
    assert first.headers["X-Page-Cache"] == "miss"  # the officer's visit stored nothing
    assert name not in first.get_data(as_text=True)
    assert "X-Page-Cache" not in officer.get("/transparansi/").headers  # nor reads the stored one


def test_a_reporter_with_a_tracking_session_is_not_shared(reader):
    from tests.web.test_tracking import file_now

    code = file_now().tracking_code
    db.session.commit()
    reader.get("/transparansi/")  # stored for anonymous readers
    token = factories.csrf_from(reader.get("/lacak").get_data(as_text=True))
    assert reader.post("/lacak", data={"csrf_token": token, "tracking_code": code}).status_code == 303
    response = reader.get("/transparansi/")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "X-Page-Cache" not in response.headers and "ETag" not in response.headers
    assert reader.get("/transparansi/ringkasan.json").headers["Cache-Control"] == "private, no-store"


def test_a_page_with_a_flashed_message_is_not_shared(reader):
    with reader.session_transaction() as session:
        session["_flashes"] = [("success", "Tersimpan.")]
    response = reader.get("/transparansi/")
    assert "Tersimpan." in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert reader.get("/transparansi/").headers["X-Page-Cache"] == "miss"


def test_htmx_rows_and_the_full_page_are_kept_apart(reader):
    full = reader.get("/transparansi/laporan")
    rows = reader.get("/transparansi/laporan", headers={"HX-Request": "true"})
    assert rows.headers["X-Page-Cache"] == "miss" and rows.headers["ETag"] != full.headers["ETag"]
    assert "<html" not in rows.get_data(as_text=True)
    assert "HX-Request" in rows.headers["Vary"]


def test_the_cache_can_be_turned_off(app, db_session):
    off = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                 "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                                 "PAGE_CACHE_TYPE": "simple", "PAGE_CACHE_ENABLED": False})
    client = off.test_client()
    for _ in range(2):
        response = client.get("/transparansi/")
        assert "ETag" not in response.headers and "X-Page-Cache" not in response.headers
        assert not _public(response)
    with off.app_context():
        db.engine.dispose()


def test_stored_pages_outlive_nothing_but_their_version(reader, frozen_clock):
    """A new day is a new key too: the twelve months the board shows may have moved."""
    first = reader.get("/transparansi/").headers["ETag"]
    frozen_clock.shift(timedelta(days=1))
    assert reader.get("/transparansi/").headers["ETag"] != first


def test_the_get_language_switch_goes_back_only_to_this_site(client):
    for target in ("//evil.example/", "/\\evil.example", "https://evil.example/"):
        response = client.get("/bahasa", query_string={"lang": "en", "next": target})
        assert response.status_code == 303 and response.headers["Location"] == "/", target
        assert response.headers["Cache-Control"] == "no-store"
    kept = client.get("/bahasa", query_string={"lang": "en", "next": "/transparansi/laporan?q=air"})
    assert kept.headers["Location"] == "/transparansi/laporan?q=air"
    assert '<html lang="en">' in client.get("/transparansi/").get_data(as_text=True)


def test_a_page_that_is_not_shared_keeps_its_csrf_token(client):
    html = client.get("/lacak").get_data(as_text=True)
    assert 'name="csrf_token"' in html and 'method="post" action="/bahasa"' in html


def test_a_new_release_makes_new_etags(app, client, db_session):
    etag = client.get("/transparansi/").headers["ETag"]
    deployed = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                      "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                                      "PAGE_CACHE_RELEASE": "v2"})
    new = deployed.test_client().get("/transparansi/", headers={"If-None-Match": etag})
    assert new.status_code == 200 and new.headers["ETag"] != etag
    with deployed.app_context():
        db.engine.dispose()


def test_an_unreachable_redis_renders_the_page(app, db_session):
    broken = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                    "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                                    "PAGE_CACHE_TYPE": "redis",
                                    "PAGE_CACHE_REDIS_URL": "redis://127.0.0.1:1/0"})
    client = broken.test_client()
    for _ in range(2):
        response = client.get("/transparansi/")
        assert response.status_code == 200 and _public(response)
    with broken.app_context():
        db.engine.dispose()


def test_without_the_local_copy_an_unreachable_redis_stores_nothing(app, db_session):
    bare = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                  "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], **STORES["local-before-redis"],
                                  "PAGE_CACHE_LOCAL_ITEMS": 0})
    client = bare.test_client()
    assert [client.get("/transparansi/").headers["X-Page-Cache"] for _ in range(2)] == ["miss", "miss"]
    with bare.app_context():
        db.engine.dispose()


def test_a_stored_page_costs_one_query(cached_app, reader):
    from sqlalchemy import event

    # In production the status line's answer is kept a minute per worker (the suite reads it
    # afresh each time); kept, a stored page costs the data version's one read.
    cached_app.config["SERVICE_STATUS_CACHE_SECONDS"] = 60
    reader.get("/transparansi/")
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert reader.get("/transparansi/").headers["X-Page-Cache"] == "hit"
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "data_version" in statements[0]


# --- the gate: a hit answered before Flask -----------------------------------------------------------

def test_a_hit_is_answered_before_flask_runs_a_hook(cached_app, reader):
    from flask import request_started

    assert reader.get("/transparansi/").headers["X-Page-Cache"] == "miss"
    started = []

    def note(_sender, **_extra):
        started.append(True)

    request_started.connect(note, cached_app)
    try:
        hit = reader.get("/transparansi/")
        head = reader.head("/transparansi/")
    finally:
        request_started.disconnect(note, cached_app)
    assert hit.headers["X-Page-Cache"] == "hit" and not started
    assert hit.headers["Content-Security-Policy"] and hit.headers["X-Frame-Options"] == "DENY"
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["Content-Length"] == hit.headers["Content-Length"] == str(len(hit.get_data()))


def test_a_304_carries_what_the_page_would(reader):
    etag = reader.get("/transparansi/laporan").headers["ETag"]
    again = reader.get("/transparansi/laporan", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and _public(again)
    assert again.headers["Vary"] == "Cookie"
    assert again.headers["Content-Security-Policy"] and again.headers["X-Content-Type-Options"]
    rows = reader.get("/transparansi/laporan", headers={"HX-Request": "true"})
    again = reader.get("/transparansi/laporan", headers={"HX-Request": "true",
                                                          "If-None-Match": rows.headers["ETag"]})
    assert again.status_code == 304 and "HX-Request" in again.headers["Vary"]


def test_a_boosted_hit_says_it_varies_on_htmx(reader):
    reader.get("/transparansi/")
    boosted = reader.get("/transparansi/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert boosted.headers["X-Page-Cache"] == "hit"
    assert "HX-Request" in boosted.headers["Vary"] and "Cookie" in boosted.headers["Vary"]


def test_a_reader_who_chose_english_gets_the_english_page_from_the_store(reader):
    reader.get("/bahasa?lang=en&next=/transparansi/")
    assert reader.get("/transparansi/").headers["X-Page-Cache"] == "miss"
    again = reader.get("/transparansi/")
    assert again.headers["X-Page-Cache"] == "hit" and '<html lang="en">' in again.get_data(as_text=True)


def test_behind_a_proxy_the_key_holds_the_forwarded_host(app, db_session):
    proxied = create_app("testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                     "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
                                     "PAGE_CACHE_TYPE": "simple", "TRUST_PROXY_HOPS": 1})
    client = proxied.test_client()
    one = client.get("/transparansi/", headers={"X-Forwarded-Host": "terang.example.id"})
    other = client.get("/transparansi/", headers={"X-Forwarded-Host": "cermin.example.id"})
    assert one.headers["X-Page-Cache"] == other.headers["X-Page-Cache"] == "miss"
    assert one.headers["ETag"] != other.headers["ETag"]
    assert client.get("/transparansi/", headers={"X-Forwarded-Host": "terang.example.id"}
                      ).headers["X-Page-Cache"] == "hit"
    with proxied.app_context():
        db.engine.dispose()
