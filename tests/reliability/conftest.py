"""One gunicorn server for the package's tests (tests/reliability/server.py), always torn down."""
from __future__ import annotations

import os

import pytest

from tests.reliability import server as serving

# Reports the prepare step files for the officers' races (half in progress, half submitted).
RACES = 40


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    if os.environ.get("TERANG_TEST_NOW"):
        # .ci/run's reruns at a moved instant move the suite's frozen clock only; the server
        # runs at the real time, so here they would repeat the first run exactly.
        pytest.skip("the server runs at the real time: a moved TERANG_TEST_NOW changes nothing here")
    running = serving.start(tmp_path_factory.mktemp("keandalan"), RACES)
    try:
        yield running
    finally:
        running.stop()
        running.database.drop()
