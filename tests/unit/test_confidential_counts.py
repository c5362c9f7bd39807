"""The small-number rule covers the count of confidential reports per agency: under 10 it is not
published (null / ``n_too_small``), on every surface built from ``snapshots.figures_dict``."""
from __future__ import annotations

import pytest

from app.services import exports, snapshots, statistics


@pytest.mark.parametrize("n, value, cell", [
    (0, None, "n_too_small"), (1, None, "n_too_small"), (9, None, "n_too_small"),
    (10, 10, 10), (37, 37, 37)])
def test_confidential_count_under_the_threshold_is_not_published(n, value, cell):
    count = snapshots.confidential_count("received.v1", n)
    assert count == {"definition": "received.v1", "value": value,
                     "too_small": n < statistics.MIN_N}
    assert exports._confidential_cell(count) == cell


def test_snapshots_frozen_before_the_rule_keep_their_number():
    assert exports._confidential_cell({"definition": "received.v1", "value": 3}) == 3
