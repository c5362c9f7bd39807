"""An oversight user's views are logged even when many arrive at once (an audit requirement).

Each view writes an access-log row from a GET request. The requests run in real threads against
the suite's real database (see tests/parallel.py): none may fail with "database is locked",
and none may be answered without its log row.
"""
from __future__ import annotations

import pytest

from tests.factories import login
from tests.parallel import access_log_count, accounts, run_parallel  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow

def test_parallel_oversight_views_are_all_answered_and_all_logged(app, accounts):
    oversight = accounts("oversight")
    signed_in = app.test_client()
    login(signed_in, oversight)
    session_cookie = signed_in.get_cookie("session")

    def view(url):
        def call():
            client = app.test_client()  # one browser tab per request, all of one signed-in user
            client.set_cookie(session_cookie.key, session_cookie.value)
            return client.get(url).status_code
        return call

    calls = [view(f"/petugas/kotak-masuk?page={n}") for n in range(1, 41)]
    calls += [view(f"/petugas/verifikasi?page={n}") for n in range(1, 41)]
    statuses = run_parallel(calls)
    assert statuses == [200] * len(calls)
    assert access_log_count(app, oversight.id, "view_inbox") == 40
    assert access_log_count(app, oversight.id, "view_queue") == 40
