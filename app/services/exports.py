"""CSV and JSON downloads of the board's tables and figures (the same values the page shows)."""
from __future__ import annotations

import csv
import io
import json

from flask import Response

from . import statistics


def figures_row(fig: statistics.Figures) -> dict:
    """One flat row of figures (CSV columns), rates as fractions, blanks under the small-number rule."""
    def rate(r):
        return "" if r.value is None else f"{r.value:.4f}"

    return {
        "received": fig.received, "followed_up": fig.followed_up,
        "follow_up_rate": rate(fig.follow_up_rate), "resolved": fig.resolved,
        "completion_rate": rate(fig.completion_rate), "on_time_rate": rate(fig.on_time),
        "median_days_to_first_response": "" if fig.first_response.median is None else fig.first_response.median,
        "p90_days_to_first_response": "" if fig.first_response.p90 is None else fig.first_response.p90,
        "median_days_to_resolution": "" if fig.resolution.median is None else fig.resolution.median,
        "p90_days_to_resolution": "" if fig.resolution.p90 is None else fig.resolution.p90,
        "transfers_out": fig.transfers_out, "transfer_rate": rate(fig.transfer_rate),
        "disputed": fig.disputed, "dispute_rate": rate(fig.dispute_rate),
        "satisfaction_mean": "" if fig.satisfaction is None else f"{fig.satisfaction:.2f}",
        "satisfaction_n": fig.rating_count,
        "methodology_version": fig.methodology_version,
    }


def csv_response(rows: list[dict], filename: str) -> Response:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def json_response(payload, filename: str | None = None) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else {}
    return Response(json.dumps(payload, ensure_ascii=False, indent=2, default=str),
                    mimetype="application/json", headers=headers)
