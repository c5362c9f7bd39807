"""The figures as they are published: the JSON dict, the CSV row and the OpenAPI schema.

All three walk the declarations in order, so a declared figure appears in each.
"""
from __future__ import annotations

from . import registry
from .kinds import kind_components


def figures_dict(fig) -> dict:
    """Plain values of every figure, each naming its definition (the export, API and snapshot
    shape): ``methodology_version`` then each figure by its key, in declaration order."""
    return {"methodology_version": fig.methodology_version,
            **{f.key: f.as_dict(fig.values[f.key]) for f in registry.figures()}}


def series_dicts(series: list, provisional=None) -> list[dict]:
    """Monthly figures [(period, Figures)] as the JSON downloads list them; with ``provisional``
    (the set of provisional months, :mod:`.provisional`) each says whether it is one."""
    if provisional is None:
        return [{"period": period, "figures": figures_dict(fig)} for period, fig in series]
    return [{"period": period, "provisional": period in provisional, "figures": figures_dict(fig)}
            for period, fig in series]


def csv_row(figs: dict) -> dict:
    """One flat row of figures (CSV columns) from a :func:`figures_dict`.

    Works on frozen snapshots too, so a snapshot CSV and a live CSV have the same columns. A
    figure declared after a snapshot was frozen is not in its dict and has no cells in its row.
    """
    row = {}
    for figure in registry.figures():
        if figure.key in figs:
            row.update(figure.csv_cells(figs[figure.key]))
    row["methodology_version"] = figs["methodology_version"]
    return row


def openapi_components() -> dict:
    """The OpenAPI components of the figures: the shared kinds and ``Figures`` itself."""
    properties = {"methodology_version": {"type": "string"},
                  **{f.key: f.schema() for f in registry.figures()}}
    return {**kind_components(),
            "Figures": {"type": "object", "properties": properties, "required": list(properties),
                        "additionalProperties": False,
                        "description": "Every figure names its definition id (see /transparansi/metodologi)."}}
