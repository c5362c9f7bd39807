"""One gunicorn server for the package's tests (tests/reliability/server.py), always torn down."""
from __future__ import annotations

import pytest

from tests.reliability import server as serving

# Reports the prepare step files for the officers' races (half in progress, half submitted).
RACES = 40


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    running = serving.start(tmp_path_factory.mktemp("keandalan"), RACES)
    try:
        yield running
    finally:
        running.stop()
        running.database.drop()
