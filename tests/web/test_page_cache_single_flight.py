"""Single flight (app/page_cache.py): after a new data version, concurrent misses of one page
render it once; the others wait for the stored answer, but never longer than
PAGE_CACHE_RENDER_WAIT, even when the lock's holder never lets go."""
import threading
import time
import uuid

import pytest
from werkzeug.test import EnvironBuilder

from app import caching, create_app, page_cache
from app.extensions import db
from app.services import data_version
from tests.factories import REDIS_TEST_URL, redis_test_client

RENDER_SECONDS = 0.3


@pytest.fixture(params=["simple", "redis"])
def slow_app(request, app, db_session):
    """An app with a shared page that takes RENDER_SECONDS and counts its renders."""
    store = {"PAGE_CACHE_TYPE": "simple"}
    redis_client = prefix = None
    if request.param == "redis":
        redis_client = redis_test_client()
        prefix = f"terang-test-{uuid.uuid4().hex[:12]}:"
        # No copy in the worker: every waiter reads Redis, as another worker would.
        store = {"PAGE_CACHE_TYPE": "redis", "PAGE_CACHE_REDIS_URL": REDIS_TEST_URL,
                 "PAGE_CACHE_KEY_PREFIX": prefix, "PAGE_CACHE_LOCAL_ITEMS": 0}
    made = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], **store,
        # The threads below must not read the database (the suite's session is one
        # connection): the version and the status line are read once, first.
        "PAGE_CACHE_VERSION_TTL": 60, "SERVICE_STATUS_CACHE_SECONDS": 60,
        "PAGE_CACHE_RENDER_WAIT": 2})
    made.renders = []

    @caching.shared_page
    def slow():
        made.renders.append(threading.get_ident())
        time.sleep(RENDER_SECONDS)
        return f"rendered {len(made.renders)}"

    made.add_url_rule("/uji/lambat", "uji_lambat", slow)
    assert made.test_client().get("/uji/lambat?warm=1").status_code == 200
    made.renders.clear()
    yield made
    with made.app_context():
        db.engine.dispose()
    data_version._RECENT.pop(made.extensions[page_cache._BIND], None)
    if redis_client is not None:
        for key in redis_client.scan_iter(f"{prefix}*"):
            redis_client.delete(key)
        redis_client.close()


def _all_at_once(app, path: str, n: int) -> list:
    barrier, answers = threading.Barrier(n), [None] * n

    def one(i):
        client = app.test_client()
        barrier.wait()
        answers[i] = client.get(path)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_concurrent_misses_of_one_page_render_it_once(slow_app):
    answers = _all_at_once(slow_app, "/uji/lambat?x=1", 6)
    assert len(slow_app.renders) == 1
    assert all(a.status_code == 200 for a in answers)
    assert {a.get_data() for a in answers} == {b"rendered 1"}
    assert sorted(a.headers["X-Page-Cache"] for a in answers) == ["hit"] * 5 + ["miss"]
    assert len({a.headers["ETag"] for a in answers}) == 1


def test_other_pages_do_not_wait_for_each_other(slow_app):
    started = time.monotonic()
    answers = _all_at_once(slow_app, "/uji/lambat?x=2", 1) + _all_at_once(slow_app, "/uji/lambat?x=3", 1)
    assert [a.headers["X-Page-Cache"] for a in answers] == ["miss", "miss"]
    assert len(slow_app.renders) == 2 and time.monotonic() - started < 2 * RENDER_SECONDS + 1


def _shared(app, path):
    return page_cache.shared_request(app, EnvironBuilder(path=path, method="GET").get_environ())


def test_a_lock_never_released_holds_a_request_no_longer_than_the_wait(slow_app):
    slow_app.config["PAGE_CACHE_RENDER_WAIT"] = 0.4
    path = "/uji/lambat?x=4"
    flights = slow_app.extensions[page_cache._FLIGHTS]
    assert flights.acquire(_shared(slow_app, path).stored_as, 600) is not None  # never released
    started = time.monotonic()
    answer = slow_app.test_client().get(path)
    took = time.monotonic() - started
    assert answer.status_code == 200 and answer.headers["X-Page-Cache"] == "miss"
    assert len(slow_app.renders) == 1
    assert 0.4 <= took < 0.4 + RENDER_SECONDS + 1.0
    # The page is stored now: the next reader gets it at once, lock or no lock.
    started = time.monotonic()
    assert slow_app.test_client().get(path).headers["X-Page-Cache"] == "hit"
    assert time.monotonic() - started < 0.3


def test_a_holder_that_stores_nothing_does_not_keep_the_others_waiting(slow_app):
    """A page that is not stored (an error, a cookie): the others render as soon as it is done."""
    calls = []
    view = slow_app.view_functions["uji_lambat"]

    def failing():
        calls.append(1)
        view()
        return "gone", 404

    failing.terang_shared_page = True
    slow_app.view_functions["uji_lambat"] = failing
    slow_app.config["PAGE_CACHE_RENDER_WAIT"] = 5
    started = time.monotonic()
    answers = _all_at_once(slow_app, "/uji/lambat?x=5", 3)
    assert all(a.status_code == 404 for a in answers)
    assert all(a.headers["Cache-Control"] == "private, no-store" for a in answers)
    assert time.monotonic() - started < 3 * RENDER_SECONDS + 1.5


def test_a_new_data_version_is_not_held_up_by_the_old_version_s_render(slow_app):
    """A render under way for the previous version's key holds no request of the new version,
    and its answer never reaches one."""
    slow_app.config["PAGE_CACHE_VERSION_TTL"] = 0  # read the version on every request
    path = "/uji/lambat?x=6"
    old = _shared(slow_app, path)
    flights = slow_app.extensions[page_cache._FLIGHTS]
    assert flights.acquire(old.stored_as, 600) is not None  # the old version's render, stuck
    page_cache._write(slow_app, old.stored_as, ("200 OK", (("Content-Type", "text/plain"),), b"old"))
    data_version.bump()
    db.session.commit()
    started = time.monotonic()
    answer = slow_app.test_client().get(path)
    assert time.monotonic() - started < RENDER_SECONDS + 1.0
    assert answer.headers["X-Page-Cache"] == "miss" and answer.get_data() == b"rendered 1"
    assert answer.headers["ETag"] != f'"{old.etag}"'
