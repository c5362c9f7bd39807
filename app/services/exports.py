"""CSV and JSON downloads of the board's tables and figures (the same values the page shows).

CSV cells never leave a figure ambiguous. Where the page writes words instead of a number, the
CSV has a fixed token (documented on /transparansi/metodologi and in the README; the cells of
each kind of figure are cut in ``statistics.kinds``):

- ``n_too_small``: fewer than ``statistics.MIN_N`` reports (the small-number rule);
- ``not_reached``: a median or 90th percentile that no share of reports has reached yet;
- ``>120``: more than ``statistics.MAX_TRACKED_DAYS`` working days (the page: "lebih dari 120").

Rates are fractions with four decimals. The JSON carries the same information as
``too_small`` flags and ``*_status`` fields (``statistics.survival_dict``).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import csv
import io
import json
import re

from . import snapshots, statistics

N_TOO_SMALL = statistics.N_TOO_SMALL
NOT_REACHED = statistics.NOT_REACHED
OVER_CAP = statistics.OVER_CAP
# Spreadsheets run a cell beginning with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def row_from_figures_dict(figs: dict) -> dict:
    """One flat row of figures (CSV columns) from ``statistics.figures_dict`` output.

    Works on frozen snapshots too, so a snapshot CSV and a live CSV have the same columns.
    """
    return statistics.csv_row(figs)


def figures_row(fig: statistics.Figures) -> dict:
    """One flat row of figures (CSV columns): rates as fractions, words as fixed tokens."""
    return row_from_figures_dict(snapshots.figures_dict(fig))


def distribution_rows(histogram: dict) -> list[dict]:
    """The response-time distribution as rows, measure by measure (first response, then
    resolution: the declared survival figures' order), by day.

    ``observed``: reports that reached the step after that many working days; ``censored``:
    reports still waiting (or closed without it) after that many. The last day bucket holds
    everything above the cap (``more_than_cap``).
    """
    rows = []
    for measure in statistics.registry.measures():
        for days, (observed, censored) in sorted(histogram.get(measure, {}).items()):
            rows.append({"measure": measure, "working_days": days,
                         "more_than_cap": days > statistics.MAX_TRACKED_DAYS,
                         "observed": observed, "censored": censored})
    return rows


# The printed distribution's rows (the national and agency PDFs): spans of working days, the
# last one open. The downloads keep one row per working day.
DISTRIBUTION_BUCKETS = ((0, 1), (2, 3), (4, 5), (6, 10), (11, 20), (21, 40), (41, None))


def distribution_buckets(histogram: dict) -> dict:
    """The response-time distribution in :data:`DISTRIBUTION_BUCKETS`: ``{"measures": [the
    measures with reports, in the declared order], "rows": [{low, high (None: open-ended),
    measure: {observed, censored} for each measure}]}``, no rows when no measure has a report.
    The totals are those of :func:`distribution_rows` (every day falls in one bucket)."""
    measures = [m for m in statistics.registry.measures() if histogram.get(m)]
    rows = []
    for low, high in DISTRIBUTION_BUCKETS if measures else ():
        row = {"low": low, "high": high}
        for measure in measures:
            inside = [counts for day, counts in histogram[measure].items()
                      if day >= low and (high is None or day <= high)]
            row[measure] = {"observed": sum(o for o, _c in inside),
                            "censored": sum(c for _o, c in inside)}
        rows.append(row)
    return {"measures": measures, "rows": rows}


def distribution_csv_rows(histogram: dict) -> list[dict]:
    return [{"measure": r["measure"], "working_days": OVER_CAP if r["more_than_cap"] else r["working_days"],
             "observed": r["observed"], "censored": r["censored"]} for r in distribution_rows(histogram)]


def distribution_json(histogram: dict) -> dict:
    rows = distribution_rows(histogram)
    return {"cap_working_days": statistics.MAX_TRACKED_DAYS,
            **{measure: [{k: r[k] for k in ("working_days", "more_than_cap", "observed", "censored")}
                         for r in rows if r["measure"] == measure]
               for measure in statistics.registry.measures()}}


def safe_cell(value):
    """A text cell a spreadsheet will not run: ``'`` before a leading ``= + - @``, tab or CR.

    Numbers, and text that is just a number, are left as they are.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: list[dict], columns: list[str] | None = None) -> str:
    """The text of a CSV download (with a BOM for spreadsheets); columns are ``columns`` or
    else the union of the rows' keys (then no rows give an empty file). The view sends it
    (app/blueprints/downloads.py). The same text :func:`csv_chunks` streams, joined."""
    fieldnames = columns or list(dict.fromkeys(key for row in rows for key in row))
    if not fieldnames:
        return "\ufeff"
    return "".join(csv_chunks(rows, fieldnames))


def csv_chunks(rows: Iterable[dict], columns: list[str]) -> Iterator[str]:
    """The text of a CSV download, piece by piece (a BOM and the header, then about a hundred
    rows a piece), for downloads too long to hold in memory. Same cells as :func:`csv_text`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    yield "\ufeff" + out.getvalue()
    out.seek(0)
    out.truncate()
    for n, row in enumerate(rows, start=1):
        writer.writerow({key: safe_cell(value) for key, value in row.items()})
        if n % 100 == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    if out.getvalue():
        yield out.getvalue()


def json_chunks(head: dict, rows: Iterable[dict], key: str = "rows") -> Iterator[str]:
    """:func:`json_text` of ``{**head, key: list(rows)}``, byte for byte, piece by piece: the
    list is never held whole (every public report, streamed)."""
    def dumps(value, indent=2):
        return json.dumps(value, ensure_ascii=False, indent=indent, default=str)

    opening = dumps(head)[:-2] if head else "{"  # "{\n  ...\n}" without its closing brace
    yield opening + (",\n" if head else "\n") + "  " + dumps(key) + ": ["
    empty = True
    for row in rows:
        yield ("," if not empty else "") + "\n    " + dumps(row).replace("\n", "\n    ")
        empty = False
    yield "]\n}" if empty else "\n  ]\n}"


def json_text(payload) -> str:
    """The text of a JSON download: UTF-8 as it is, indented, dates as ISO strings."""
    return json.dumps(payload, ensure_ascii=False, indent=2, default=str)
