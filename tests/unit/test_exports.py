"""CSV/JSON export cells: explicit tokens instead of blanks, and no formula injection."""
import csv
import io

import pytest

from app.services import exports, snapshots, statistics


def figures(first=None, resolution=None, **values):
    counts = {n: 0 for n in statistics.SUMMED}
    counts.update(values)
    return statistics.figures_from_parts(counts, {statistics.FIRST_RESPONSE: first or {},
                                                  statistics.RESOLUTION: resolution or {}})


def test_the_words_of_the_page_become_fixed_tokens():
    fig = figures(received=12, followed_up=9, resolved=7,
                  first={1: (5, 0), 2: (4, 0), 3: (0, 3)},  # median 2, p90 never reached
                  resolution={statistics.MAX_TRACKED_DAYS + 1: (12, 0)})  # both above the cap
    row = exports.figures_row(fig)
    assert row["median_days_to_first_response"] == 2
    assert row["p90_days_to_first_response"] == "not_reached"
    assert row["median_days_to_resolution"] == ">120"
    assert row["p90_days_to_resolution"] == ">120"
    assert row["follow_up_rate"] == "0.7500"
    assert row["on_time_rate"] == "n_too_small"  # 0 eligible reports
    assert row["satisfaction_mean"] == "n_too_small"
    assert "" not in row.values()  # a blank never stands for a figure

    data = snapshots.figures_dict(fig)
    assert data["time_to_resolution"]["median_working_days"] == statistics.MAX_TRACKED_DAYS + 1
    assert data["time_to_resolution"]["median_status"] == "more_than_cap"
    assert data["time_to_first_response"]["median_status"] == "reached"
    assert data["time_to_first_response"]["p90_status"] == "not_reached"


def test_too_few_reports_is_not_the_same_as_not_reached():
    row = exports.figures_row(figures(received=3, first={1: (1, 0), 4: (0, 2)}))
    assert row["median_days_to_first_response"] == "n_too_small"
    assert row["follow_up_rate"] == "n_too_small"
    assert snapshots.figures_dict(figures(received=3, first={1: (1, 0)}))[
        "time_to_first_response"]["median_status"] == "n_too_small"


def test_a_frozen_snapshot_row_has_the_same_columns_as_a_live_row():
    fig = figures(received=10, resolved=5, first={2: (10, 0)})
    assert exports.row_from_figures_dict(snapshots.figures_dict(fig)) == exports.figures_row(fig)


def test_distribution_rows_name_the_bucket_above_the_cap():
    histogram = {statistics.FIRST_RESPONSE: {0: (2, 0), 3: (1, 4)},
                 statistics.RESOLUTION: {statistics.MAX_TRACKED_DAYS + 1: (0, 5)}}
    assert exports.distribution_csv_rows(histogram) == [
        {"measure": "first_response", "working_days": 0, "observed": 2, "censored": 0},
        {"measure": "first_response", "working_days": 3, "observed": 1, "censored": 4},
        {"measure": "resolution", "working_days": ">120", "observed": 0, "censored": 5},
    ]
    data = exports.distribution_json(histogram)
    assert data["cap_working_days"] == statistics.MAX_TRACKED_DAYS
    assert data["resolution"] == [{"working_days": 121, "more_than_cap": True, "observed": 0, "censored": 5}]


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x.example\",\"klik\")", "@SUM(A1:A9)", "+62 812",
                                  "-1+1", "\tcmd", "\r=1"])
def test_text_that_a_spreadsheet_would_run_gets_a_quote(app, text):
    body = exports.csv_text([{"title": text, "received": 3}])
    row = next(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert row["title"] == "'" + text
    assert row["received"] == "3"


@pytest.mark.parametrize("value", [3, -2, "-0.5000", "0.7500", ">120", "n_too_small", "Jalan rusak - parah"])
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert exports.safe_cell(value) == value


def test_streamed_downloads_are_byte_for_byte_the_whole_ones():
    """csv_chunks and json_chunks (every public report, streamed) give exactly what csv_text
    and json_text give for the same rows."""
    import datetime

    rows = [{"a": 1, "b": "=cmd|x", "c": "baris\nkedua"}, {"a": 2, "b": "teks", "c": datetime.date(2026, 1, 2)}]
    rows += [{"a": n, "b": f"r{n}", "c": ""} for n in range(3, 250)]
    assert "".join(exports.csv_chunks(iter(rows), ["a", "b", "c"])) == exports.csv_text(rows)
    assert "".join(exports.csv_chunks(iter([]), ["a", "b"])) == exports.csv_text([], ["a", "b"])
    for head, some in (({"total": len(rows)}, rows), ({"total": 0}, []), ({}, rows[:1])):
        assert "".join(exports.json_chunks(head, iter(some))) == exports.json_text({**head, "rows": some})
