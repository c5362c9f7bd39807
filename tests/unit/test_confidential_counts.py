"""The small-number rule covers the count of confidential reports per agency: under 10 it is not
published (null / ``n_too_small``), on every surface built from the figure's declaration."""
from __future__ import annotations

import pytest

from app.services import statistics
from app.services.statistics import registry


def _confidential():
    return next(f for f in registry.figures() if f.key == "confidential_received")


@pytest.mark.parametrize("n, value, cell", [
    (0, None, "n_too_small"), (1, None, "n_too_small"), (9, None, "n_too_small"),
    (10, 10, 10), (37, 37, 37)])
def test_confidential_count_under_the_threshold_is_not_published(n, value, cell):
    figure = _confidential()
    count = figure.as_dict(n)
    assert count == {"definition": "received.v1", "value": value,
                     "too_small": n < statistics.MIN_N}
    assert figure.csv_cells(count) == {"confidential_received": cell}


def test_snapshots_frozen_before_the_rule_keep_their_number():
    assert _confidential().csv_cells({"definition": "received.v1", "value": 3}) == {
        "confidential_received": 3}


def test_the_published_schema_allows_the_hidden_count():
    components = statistics.openapi_components()
    assert components["Figures"]["properties"]["confidential_received"] == {
        "$ref": "#/components/schemas/SuppressedCount"}
    assert components["SuppressedCount"]["properties"]["value"]["type"] == ["integer", "null"]
