"""Board views of the regions: provinces ranked, the kab/kota of a province ranked, downloads.

The figures come from ``services.regional`` (the statistics package's rollups); these views
read the query, call it and render or export.
"""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import get_locale

from ... import clock
from ...services import exports, pdf, regional, service_status, snapshots, statistics
from .. import downloads
from . import bp

# The query parameters the regional pages and downloads read.
RANKING_PARAMS = ("geography", "sort", "order")


def _months() -> list[str]:
    """The board's months (statistics.windows: what the refresh precomputes)."""
    return statistics.windows.window(clock.now())


def _ranking(province=None) -> regional.Ranking:
    args = request.args
    if province is None:
        return regional.province_ranking(args.get("geography"), args.get("sort", ""),
                                         args.get("order", ""), _months())
    return regional.regency_ranking(province, args.get("geography"), args.get("sort", ""),
                                    args.get("order", ""), _months())


def _province_or_404(code: str):
    province = regional.get_province(code)
    if province is None:
        abort(404)
    return province


def _context(ranking: regional.Ranking) -> dict:
    province_ = ranking.province
    scope_args = {"code": province_.code} if province_ else {}
    return dict(ranking=ranking, province=province_, scope_args=scope_args,
                endpoint="board.province" if province_ else "board.regions",
                export_endpoint="board.province_export" if province_ else "board.regions_export",
                sort_args={"geography": ranking.geography, **scope_args}, rows=ranking.rows, months=_months(), min_n=statistics.MIN_N,
                geographies=regional.GEOGRAPHIES, default_order=regional.default_order,
                tiles=regional.tile_map(ranking.rows) if ranking.province is None else None,
                map_classes=regional.MAP_CLASSES, tile_size=regional.TILE_SIZE,
                map_width=regional.MAP_COLUMNS * regional.TILE_SIZE,
                map_height=regional.MAP_ROWS * regional.TILE_SIZE,
                generated_at=clock.now(), methodology_version=statistics.METHODOLOGY_VERSION)


@bp.get("/wilayah")
def regions():
    return render_template("board/regions.html", **_context(_ranking()))


@bp.get("/wilayah/<code>")
def province(code):
    return render_template("board/regions.html", **_context(_ranking(_province_or_404(code))))


def _rows_csv(ranking: regional.Ranking, months: list[str]) -> list[dict]:
    names = regional.RegionNames()
    as_of = service_status.stats_as_of_iso()
    return [{"rank": i, **names.columns(row.code), "geography": ranking.geography,
             "from": months[0], "to": months[-1], **exports.figures_row(row.figures),
             "data_as_of": as_of}
            for i, row in enumerate(ranking.rows, start=1)]


def _export(ranking: regional.Ranking, fmt: str, name: str):
    months = _months()
    if fmt == "csv":
        return downloads.csv_response(_rows_csv(ranking, months), f"{name}.csv")
    if fmt == "json":
        key = "provinces" if ranking.province is None else "regencies"
        payload = {"geography": ranking.geography,
                   "methodology_version": statistics.METHODOLOGY_VERSION, "data_as_of": service_status.stats_as_of_iso(),
                   "small_number_rule": statistics.MIN_N, "from": months[0], "to": months[-1],
                   "months": months, "sort": ranking.sort, "order": ranking.order}
        if ranking.province is not None:
            payload["province"] = {"code": ranking.province.code, "name": ranking.province.name}
        payload[key] = [{"code": row.code, "name": row.name,
                         "figures": snapshots.figures_dict(row.figures)} for row in ranking.rows]
        return downloads.json_response(payload, f"{name}.json")
    if fmt == "pdf":
        context = _context(ranking)
        document = pdf.render_pdf("regions.html", str(get_locale()), **context)
        return downloads.pdf_response(document, f"{name}.pdf")
    abort(404)


@bp.get("/wilayah.<fmt>")
@downloads.known_params(*RANKING_PARAMS)
def regions_export(fmt):
    return _export(_ranking(), fmt, "terang-wilayah")


@bp.get("/wilayah/<code>.<fmt>")
@downloads.known_params(*RANKING_PARAMS)
def province_export(code, fmt):
    province_ = _province_or_404(code)
    return _export(_ranking(province_), fmt, f"terang-wilayah-{province_.code}")
