"""95% intervals (issue 11): Wilson score intervals of every rate, the Kaplan–Meier median's
interval (Brookmeyer–Crowley, Greenwood variance), each rounded once by the board's rule."""
from __future__ import annotations

import math
from decimal import Decimal

import pytest

from app.services import snapshots, statistics
from app.services.exports import figures_row
from app.services.statistics import (Rate, kaplan_meier_median_interval, kaplan_meier_quantiles,
                                     percent_interval, wilson_bounds, wilson_interval)


def wilson_float(x: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """The textbook formula in floating point, to check the exact computation against."""
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize("x, n, low, high", [
    (32, 39, "0.6733", "0.9102"),   # published Wilson interval of 32/39
    (10, 40, "0.1419", "0.4019"),
    (0, 10, "0.0000", "0.2775"),    # the "rule of three"-like upper bound for 0 of 10
    (10, 10, "0.7225", "1.0000"),
    (371, 463, "0.7625", "0.8351"),
])
def test_wilson_interval_in_downloads(x, n, low, high):
    assert wilson_interval(x, n) == (Decimal(low), Decimal(high))
    f_low, f_high = wilson_float(x, n)
    assert float(low) == pytest.approx(max(f_low, 0), abs=5e-5)
    assert float(high) == pytest.approx(min(f_high, 1), abs=5e-5)


def test_interval_brackets_the_rate_and_stays_in_0_1():
    for n in range(10, 80):
        for x in range(n + 1):
            low, high = wilson_bounds(x, n)
            assert 0 <= low <= Decimal(x) / n <= high <= 1


@pytest.mark.parametrize("x, n, page", [
    # Rounded once from the unrounded bound: 0.72246… is 72,2% (the download's 0.7225 rounded
    # again would say 72,3%).
    (10, 10, ("0.722", "1.000")),
    (3, 11, ("0.097", "0.566")),    # 0.09746… (download 0.0975)
    (5, 12, ("0.193", "0.680")),    # 0.68048… (download 0.6805)
])
def test_the_page_rounds_the_interval_once(x, n, page):
    assert percent_interval(x, n) == tuple(Decimal(p) for p in page)


def test_no_interval_under_the_small_number_rule():
    assert wilson_interval(3, 9) is None and percent_interval(3, 9) is None
    rate = Rate("follow_up_rate.v3", 3, 9)
    data = statistics.rate_dict(rate)
    assert (data["ci_low"], data["ci_high"]) == (None, None)


def test_every_rate_has_its_interval_in_json_and_csv():
    fig = statistics.figures_from_parts(
        {"received": 39, "followed_up": 32, "resolved": 20, "on_time_answered": 3,
         "on_time_eligible": 8, "routed_in": 40, "transfers_out": 1, "ever_resolved": 20,
         "disputed": 2}, {})
    data = snapshots.figures_dict(fig)
    row = figures_row(fig)
    rates = [f.key for f in statistics.registry.figures() if f.kind == statistics.RATE]
    assert {"follow_up_rate", "completion_rate", "on_time_rate", "transfer_rate", "dispute_rate"} <= set(rates)
    for key in rates:
        item = data[key]
        if item["too_small"]:
            assert item["ci_low"] is None and row[f"{key}_ci_low"] == "n_too_small"
        else:
            assert item["ci_low"] <= item["value"] <= item["ci_high"]
            assert row[f"{key}_ci_low"] == f"{item['ci_low']:.4f}"
    assert (data["follow_up_rate"]["ci_low"], data["follow_up_rate"]["ci_high"]) == (0.6733, 0.9102)
    assert row["on_time_rate_ci_low"] == "n_too_small"  # 8 eligible: n too small


def test_a_snapshot_frozen_before_the_intervals_gets_them_from_its_counts():
    frozen = {"definition": "follow_up_rate.v3", "numerator": 32, "denominator": 39,
              "too_small": False, "value": 0.8205}
    cells = statistics.registry.by_key()["follow_up_rate"].csv_cells(frozen)
    assert (cells["follow_up_rate_ci_low"], cells["follow_up_rate_ci_high"]) == ("0.6733", "0.9102")


class TestMedianInterval:
    def test_ten_uncensored_by_hand(self):
        # One event a day for 10 days: S(t) = 1 − t/10 and Greenwood's variance is S(1−S)/10.
        # Lower: first day with S − 1.96·se ≤ ½: day 3 (0.7 − 0.284); day 2 gives 0.8 − 0.248.
        # Upper: first day with S + 1.96·se ≤ ½: day 8 (0.2 + 0.248); day 7 gives 0.3 + 0.284.
        histogram = {d: (1, 0) for d in range(1, 11)}
        assert kaplan_meier_quantiles(histogram)[0.5] == 5
        assert kaplan_meier_median_interval(histogram) == (3, 8)

    def test_an_upper_bound_not_reached_while_reports_are_open(self):
        # 20 reports: 10 resolved on day 2 (S = .5, the median), 2 on day 5 (S = .4, se ≈ .110),
        # 8 still open at day 40. S + 1.96·se stays above ½: the upper bound is not reached.
        histogram = {2: (10, 0), 5: (2, 0), 40: (0, 8)}
        assert kaplan_meier_quantiles(histogram)[0.5] == 2
        assert kaplan_meier_median_interval(histogram) == (2, None)

    def test_in_the_figures_dict_and_csv(self):
        fig = statistics.figures_from_parts({"received": 10}, {
            "resolution": {d: (1, 0) for d in range(1, 11)},
            "first_response": {2: (10, 0), 5: (2, 0), 40: (0, 8)}})
        data = snapshots.figures_dict(fig)
        assert (data["time_to_resolution"]["median_ci_low_working_days"],
                data["time_to_resolution"]["median_ci_high_working_days"]) == (3, 8)
        row = figures_row(fig)
        assert (row["median_days_to_resolution_ci_low"], row["median_days_to_resolution_ci_high"]) == (3, 8)
        assert (row["median_days_to_first_response_ci_low"],
                row["median_days_to_first_response_ci_high"]) == (2, "not_reached")

    def test_none_under_the_small_number_rule(self):
        fig = statistics.figures_from_parts({}, {"resolution": {d: (1, 0) for d in range(1, 10)}})
        item = snapshots.figures_dict(fig)["time_to_resolution"]
        assert item["median_ci_low_working_days"] is None and item["too_small"]
        assert figures_row(fig)["median_days_to_resolution_ci_low"] == "n_too_small"
