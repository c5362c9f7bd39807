"""CSV and JSON downloads of the board's tables and figures (the same values the page shows).

CSV cells never leave a figure ambiguous. Where the page writes words instead of a number, the
CSV has a fixed token (documented on /transparansi/metodologi and in the README):

- ``n_too_small``: fewer than ``statistics.MIN_N`` reports (the small-number rule);
- ``not_reached``: a median or 90th percentile that no share of reports has reached yet;
- ``>120``: more than ``statistics.MAX_TRACKED_DAYS`` working days (the page: "lebih dari 120").

Rates are fractions with four decimals. The JSON carries the same information as
``too_small`` flags and ``*_status`` fields (``snapshots.survival_dict``).
"""
from __future__ import annotations

import csv
import io
import json
import re

from flask import Response

from . import snapshots, statistics

N_TOO_SMALL = "n_too_small"
NOT_REACHED = "not_reached"
OVER_CAP = f">{statistics.MAX_TRACKED_DAYS}"
# Spreadsheets run a cell beginning with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _rate_cell(item: dict) -> str:
    return N_TOO_SMALL if item["too_small"] else f"{item['value']:.4f}"


def _days_cell(item: dict, key: str) -> str | int:
    value = item[key]
    if item["too_small"]:
        return N_TOO_SMALL
    if value is None:
        return NOT_REACHED
    if value > item.get("cap_working_days", statistics.MAX_TRACKED_DAYS):
        return OVER_CAP
    return value


def _confidential_cell(item: dict) -> str | int:
    # Snapshots frozen before the small-number rule covered this count carry no ``too_small``.
    return N_TOO_SMALL if item.get("too_small") or item["value"] is None else item["value"]


def row_from_figures_dict(figs: dict) -> dict:
    """One flat row of figures (CSV columns) from ``snapshots.figures_dict`` output.

    Works on frozen snapshots too, so a snapshot CSV and a live CSV have the same columns.
    """
    first, resolution = figs["time_to_first_response"], figs["time_to_resolution"]
    satisfaction = figs["satisfaction"]
    return {
        "received": figs["received"]["value"],
        "confidential_received": _confidential_cell(figs["confidential_received"]),
        "followed_up": figs["followed_up"]["value"],
        "follow_up_rate": _rate_cell(figs["follow_up_rate"]), "resolved": figs["resolved"]["value"],
        "completion_rate": _rate_cell(figs["completion_rate"]),
        "on_time_rate": _rate_cell(figs["on_time_rate"]),
        "median_days_to_first_response": _days_cell(first, "median_working_days"),
        "p90_days_to_first_response": _days_cell(first, "p90_working_days"),
        "median_days_to_resolution": _days_cell(resolution, "median_working_days"),
        "p90_days_to_resolution": _days_cell(resolution, "p90_working_days"),
        "transfers_out": figs["transfers_out"]["value"],
        "transfer_rate": _rate_cell(figs["transfer_rate"]),
        "disputed": figs["disputed"]["value"], "dispute_rate": _rate_cell(figs["dispute_rate"]),
        "satisfaction_mean": N_TOO_SMALL if satisfaction["too_small"] else f"{satisfaction['mean']:.2f}",
        "satisfaction_n": satisfaction["n"],
        "methodology_version": figs["methodology_version"],
    }


def figures_row(fig: statistics.Figures) -> dict:
    """One flat row of figures (CSV columns): rates as fractions, words as fixed tokens."""
    return row_from_figures_dict(snapshots.figures_dict(fig))


def distribution_rows(histogram: dict) -> list[dict]:
    """The response-time distribution as rows, first response then resolution, by day.

    ``observed``: reports that reached the step after that many working days; ``censored``:
    reports still waiting (or closed without it) after that many. The last day bucket holds
    everything above the cap (``more_than_cap``).
    """
    rows = []
    for measure in (statistics.FIRST_RESPONSE, statistics.RESOLUTION):
        for days, (observed, censored) in sorted(histogram.get(measure, {}).items()):
            rows.append({"measure": measure, "working_days": days,
                         "more_than_cap": days > statistics.MAX_TRACKED_DAYS,
                         "observed": observed, "censored": censored})
    return rows


def distribution_csv_rows(histogram: dict) -> list[dict]:
    return [{"measure": r["measure"], "working_days": OVER_CAP if r["more_than_cap"] else r["working_days"],
             "observed": r["observed"], "censored": r["censored"]} for r in distribution_rows(histogram)]


def distribution_json(histogram: dict) -> dict:
    rows = distribution_rows(histogram)
    return {"cap_working_days": statistics.MAX_TRACKED_DAYS,
            **{measure: [{k: r[k] for k in ("working_days", "more_than_cap", "observed", "censored")}
                         for r in rows if r["measure"] == measure]
               for measure in (statistics.FIRST_RESPONSE, statistics.RESOLUTION)}}


def safe_cell(value):
    """A text cell a spreadsheet will not run: ``'`` before a leading ``= + - @``, tab or CR.

    Numbers, and text that is just a number, are left as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_response(rows: list[dict], filename: str) -> Response:
    """A CSV download (UTF-8 with BOM for spreadsheets); columns are the union of the rows' keys."""
    out = io.StringIO()
    if rows:
        fieldnames = list(dict.fromkeys(key for row in rows for key in row))
        # CRLF (RFC 4180): a CR or LF inside a cell then always gets the cell quoted.
        writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def json_response(payload, filename: str | None = None) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}
    return Response(json.dumps(payload, ensure_ascii=False, indent=2, default=str),
                    mimetype="application/json", headers=headers)
