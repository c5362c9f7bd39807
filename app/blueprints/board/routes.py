"""Board views: parse the query, ask the services, render or export. No figures computed here."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale

from ...htmx import is_partial_request, mark_varies
from ...models import Agency, Report, Status
from ...models.agency import LEVELS
from ... import clock
from ...models.report import REPORT_TYPES
from ...services import (board, exports, form_choices, following, pdf, regional, regions,
                         service_status, sla, snapshots, statistics)
from ...services import agencies as agency_search
from ...services import agency_table
from ...services.charts import board_charts as charts_for
from .. import downloads
from ..args import date_arg, page_arg, region_args, text_arg
from . import bp

# The query parameters of the public reports' page, which its downloads keep (any other
# parameter of a download is refused, naming it: downloads.known_params).
REPORT_FILTER_PARAMS = ("q", "agency_q", "agency", "province", "region", "category", "type",
                        "status", "from", "to", "page")


# --- national ----------------------------------------------------------------------------------

def _ranking(rows: list, names: dict, figs: dict) -> list[dict]:
    """Best or worst agencies as plain values, each with its full figures for the downloads
    (the CSV adds each one's province and kab/kota: _national_rows)."""
    return [dict(rank=i, slug=names[a].slug, name=names[a].name, completion_rate=rate, received=n,
                 resolved=int(rate * n), figures=figs[a])
            for i, (a, rate, n) in enumerate(rows, start=1)]


def _provisional(months: list[str]) -> set[str]:
    """The months of the window still provisional today (statistics.provisional)."""
    return statistics.provisional.provisional_months(months, clock.today())


def _flag(value: bool) -> str:
    """A boolean CSV cell."""
    return "true" if value else "false"


def _national_context():
    months = statistics.windows.window(clock.now())
    provisional = _provisional(months)
    # The national rows month by month (two queries); the twelve months, the month compared and
    # the months before it are sums of those (statistics.combine), not queries of their own.
    series = statistics.monthly_series(None, months)
    by_month = dict(series)
    year = statistics.combine(by_month.values())
    # Month over month: the last complete month against the months of the window before it
    # (the newest month while none is complete yet).
    compared = statistics.provisional.last_complete(months, clock.today()) or months[-1]
    compare_months = months[:months.index(compared) + 1]
    this_month = by_month[compared]
    earlier = statistics.combine(by_month[m] for m in compare_months[:-1])
    histogram = year.histograms
    # Precomputed by the last stats refresh (statistics.windows), not summed over every agency.
    best, worst, figs = statistics.windows.ranking(months)
    names = agency_search.by_ids([r[0] for r in best + worst])
    return dict(months=months, year=year, this_month=this_month, earlier=earlier, series=series,
                compare_months=compare_months, provisional=provisional,
                best=_ranking(best, names, figs), worst=_ranking(worst, names, figs),
                histogram=histogram, generated_at=clock.now(),
                methodology_version=statistics.METHODOLOGY_VERSION, min_n=statistics.MIN_N)


def _page_values(context) -> dict:
    """What a figure page shows beyond its downloads' figures: the charts and the distribution
    table (drawn for the page only: the downloads never draw them, the PDF draws its own)."""
    return dict(charts=charts_for(context["series"], context["histogram"], context["provisional"]),
                distribution=exports.distribution_rows(context["histogram"]))


@bp.get("/")
def national():
    context = _national_context()
    return render_template("board/national.html", **context, **_page_values(context))


def _span(months: list[str]) -> str:
    """A run of months as an ISO 8601 interval (``2025-12/2026-11``), or the month itself."""
    return months[0] if len(months) == 1 else f"{months[0]}/{months[-1]}"


def _national_rows(context) -> list[dict]:
    """Every table of the national page as CSV rows; ``table`` says which."""
    months, compared, provisional = context["months"], context["compare_months"], context["provisional"]
    as_of = service_status.stats_as_of_iso()
    ranked = context["best"] + context["worst"]
    places = regional.RegionNames().agency_columns_by_slug(a["slug"] for a in ranked) if ranked else {}

    def row(table, period, fig, span, agency=None):
        # provisional: the row covers a month that is still provisional.
        return {"table": table, "period": period, "provisional": _flag(bool(provisional & set(span))),
                "scope": "agency" if agency else "national_total",
                "rank": agency["rank"] if agency else "", "agency": agency["slug"] if agency else "",
                "agency_name": agency["name"] if agency else "",
                **(places[agency["slug"]] if agency else dict.fromkeys(regional.REGION_COLUMNS, "")),
                **exports.figures_row(fig), "data_as_of": as_of}

    rows = [row("last_12_months", _span(months), context["year"], months),
            row("this_month", compared[-1], context["this_month"], compared[-1:])]
    if len(compared) > 1:
        rows.append(row("earlier_months", _span(compared[:-1]), context["earlier"], compared[:-1]))
    rows += [row("monthly", p, f, [p]) for p, f in context["series"]]
    for table in ("best", "worst"):
        rows += [row(table, _span(months), a["figures"], months, a) for a in context[table]]
    return rows


def _ranking_json(rows: list[dict]) -> list[dict]:
    return [{"rank": a["rank"], "slug": a["slug"], "name": a["name"],
             "completion_rate": statistics.rate_value(a["completion_rate"].numerator,
                                                      a["completion_rate"].denominator),
             **dict(zip(("completion_rate_ci_low", "completion_rate_ci_high"),
                        (float(b) for b in statistics.wilson_interval(a["resolved"], a["received"])))),
             "received": a["received"],
             "figures": snapshots.figures_dict(a["figures"])} for a in rows]


@bp.get("/ringkasan.<fmt>")
@downloads.known_params()
def national_export(fmt):
    context = _national_context()
    months, compared, provisional = context["months"], context["compare_months"], context["provisional"]
    if fmt == "csv":
        return downloads.csv_response(_national_rows(context), "terang-nasional.csv")
    if fmt == "json":
        return downloads.json_response({
            "scope": "national", "methodology_version": statistics.METHODOLOGY_VERSION,
            "data_as_of": service_status.stats_as_of_iso(),
            "small_number_rule": statistics.MIN_N, "months": months,
            "provisional_months": sorted(provisional),
            "last_12_months": snapshots.figures_dict(context["year"]),
            # The last complete month (month-over-month comparisons leave provisional ones out).
            "this_month": {"period": compared[-1], "provisional": compared[-1] in provisional,
                           "figures": snapshots.figures_dict(context["this_month"])},
            "earlier_months": {"from": compared[0], "to": compared[-2],
                               "figures": snapshots.figures_dict(context["earlier"])}
            if len(compared) > 1 else None,
            "monthly": statistics.series_dicts(context["series"], provisional),
            "best": _ranking_json(context["best"]), "worst": _ranking_json(context["worst"]),
        }, "terang-nasional.json")
    if fmt == "pdf":
        document = pdf.render_pdf("board_report.html", str(get_locale()), scope_name=None,
                                  **_pdf_values(context))
        return downloads.pdf_response(document, "terang-nasional.pdf")
    abort(404)


def _distribution_export(context, fmt: str, name: str, scope: dict):
    if fmt == "csv":
        as_of = service_status.stats_as_of_iso()
        return downloads.csv_response([{**r, "data_as_of": as_of} for r in
                                       exports.distribution_csv_rows(context["histogram"])], f"{name}.csv")
    if fmt == "json":
        return downloads.json_response({
            **scope, "methodology_version": statistics.METHODOLOGY_VERSION,
            "data_as_of": service_status.stats_as_of_iso(),
            "from": context["months"][0], "to": context["months"][-1],
            "definitions": statistics.registry.duration_definitions(),
            **exports.distribution_json(context["histogram"])}, f"{name}.json")
    abort(404)


@bp.get("/ringkasan/sebaran.<fmt>")
@downloads.known_params()
def national_distribution_export(fmt):
    """The national response-time distribution (the histogram's numbers)."""
    return _distribution_export(_national_context(), fmt, "terang-nasional-sebaran", {"scope": "national"})


def _plain_ranking(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in a.items() if k != "figures"} for a in rows]


def _pdf_values(context) -> dict:
    """Plain values for the PDF template (no ORM objects)."""
    return dict(
        months=context["months"], year=context["year"], series=context["series"],
        provisional=context.get("provisional", set()), compare_months=context.get("compare_months"),
        this_month=context.get("this_month"), earlier=context.get("earlier"),
        with_units=context.get("with_units"), units_count=len(context.get("units") or ()),
        distribution_buckets=exports.distribution_buckets(context["histogram"]),
        # The charts for paper: SVG images with fewer elements, no title per bar and point (no
        # tooltip on paper), each with its text alternative (services/charts.py, PrintedChart).
        charts=charts_for(context["series"], context["histogram"], context.get("provisional", set()),
                          paper=True),
        generated_at=context["generated_at"],
        methodology_version=statistics.METHODOLOGY_VERSION, min_n=statistics.MIN_N,
        best=_plain_ranking(context.get("best", [])), worst=_plain_ranking(context.get("worst", [])),
    )


# --- public reports ----------------------------------------------------------------------------

def _report_filter() -> board.ReportFilter:
    args = request.args
    _province, region = region_args()
    return board.ReportFilter(
        agency=args.get("agency") or None, region=region,
        category=args.get("category") or None,
        report_type=args.get("type") if args.get("type") in REPORT_TYPES else None,
        status=args.get("status") if args.get("status") in Status.ALL else None,
        date_from=date_arg("from"), date_to=date_arg("to"), q=text_arg("q"))


def _agency_choices(flt: board.ReportFilter, agency_q: str | None) -> dict:
    """The agency filter: a name search narrowing a select; the chosen agency always stays in it.
    The list of a first visit (no name typed, no kab/kota) is kept per data version."""
    found = form_choices.agencies(agency_q, flt.region, local_only=False)
    chosen = agency_search.get_by_slug(flt.agency, active_only=False) if flt.agency else None
    if chosen is not None and all(a.id != chosen.id for a in found):
        found = (form_choices.AgencyChoice.of(chosen), *found)
    return dict(agency_q=agency_q, agency_options=found, chosen_agency=chosen)


def _region_choices(province: str | None, region: str | None) -> dict:
    """The province and kab/kota selects, as ``(code, name)`` kept per data version."""
    return dict(province=province, region=region, provinces=regions.province_choices(),
                regencies=regions.regency_choices(province) if province else ())


def _canonical_filter_args(flt: board.ReportFilter, province: str | None, agency_q: str | None,
                           cursor: str | None = None) -> dict:
    """The filters in force, as query parameters (what the address bar should say)."""
    values = {"q": flt.q, "agency_q": agency_q, "agency": flt.agency, "province": province,
              "region": flt.region if flt.region and flt.region != province else None,
              "category": flt.category, "type": flt.report_type, "status": flt.status,
              "from": flt.date_from.isoformat() if flt.date_from else None,
              "to": flt.date_to.isoformat() if flt.date_to else None, "cursor": cursor}
    return {k: v for k, v in values.items() if v}


@bp.get("/laporan")
def reports():
    mark_varies()
    flt = _report_filter()
    province, region = region_args()
    agency_q = text_arg("agency_q", 80)
    cursor = text_arg("cursor", 200)
    page = board.public_report_list(flt, cursor)
    context = dict(page=page, flt=flt, filter_args=_canonical_filter_args(flt, province, agency_q), statuses=[s for s in Status.ALL if s != Status.SUBMITTED],
                   report_types=REPORT_TYPES,
                   categories=form_choices.categories(str(get_locale())),
                   **_agency_choices(flt, agency_q), **_region_choices(province, region))
    if is_partial_request():
        response = make_response(render_template("board/_report_rows.html", **context))
        # The address bar shows the filters in force, not a stale kab/kota left by the form.
        response.headers["HX-Push-Url"] = url_for("board.reports", **_canonical_filter_args(
            flt, province, agency_q, cursor if page.items and page.page > 1 else None))
        return response
    return render_template("board/reports.html", **context)


@bp.get("/laporan/instansi")
def report_agency_options():
    """htmx: the agency select of the report filters, narrowed by the name typed."""
    mark_varies()
    if not is_partial_request():
        return redirect(url_for("board.reports", **request.args.to_dict()))
    return render_template("board/_agency_filter.html",
                           **_agency_choices(_report_filter(), text_arg("agency_q", 80)))


@bp.get("/laporan/wilayah")
def report_region_options():
    """htmx: the kab/kota select of the report filters, for the chosen province."""
    mark_varies()
    if not is_partial_request():
        return redirect(url_for("board.reports", **request.args.to_dict()))
    return render_template("board/_region_filter.html", **_region_choices(*region_args()))


REPORT_COLUMNS = ["reference", "submitted_on", "type", "status", "agency", "region",
                  *regional.REGION_COLUMNS, "category", "title", "text"]


@bp.get("/laporan.<fmt>")
@downloads.known_params(*REPORT_FILTER_PARAMS)
def reports_export(fmt):
    """Every public report the filters match (no cap), streamed: CSV with a header, or JSON
    with the count first ("total") and every row."""
    if fmt not in ("csv", "json"):
        abort(404)
    flt = _report_filter()
    places = regional.RegionNames()

    def rows():
        for r in board.iter_public_reports(flt):
            yield {"reference": r.reference, "submitted_on": sla.local_date(r.submitted_at).isoformat(),
                   "type": r.report_type, "status": r.status, "agency": r.agency.slug,
                   "region": r.region_code, **places.columns(r.region_code),
                   "category": r.category.slug if r.category else "",
                   "title": r.public_title, "text": r.public_body}

    total = board.count_public_reports(flt)
    if fmt == "csv":
        return downloads.stream_response(exports.csv_chunks(rows(), REPORT_COLUMNS),
                                         "text/csv; charset=utf-8", "terang-laporan.csv",
                                         {"X-Total-Count": str(total)})
    return downloads.stream_response(exports.json_chunks({"total": total}, rows()),
                                     "application/json", "terang-laporan.json",
                                     {"X-Total-Count": str(total)})


@bp.get("/laporan/<reference>")
def report(reference):
    found = board.public_report(reference)
    if found is None:
        abort(404)
    return render_template("board/report.html", report=found,
                           followable=following.can_be_followed(found.status))


# --- agencies ----------------------------------------------------------------------------------

@bp.get("/instansi")
def agencies():
    mark_varies()
    months = statistics.windows.window(clock.now())
    level = request.args.get("level") if request.args.get("level") in LEVELS else "national"
    q = text_arg("q", 80)
    table = agency_table.agency_table(level, q, request.args.get("sort", ""),
                                      request.args.get("order", ""), page_arg(), months)
    context = dict(rows=table.rows, total=table.total, page=table.page, pages=table.pages,
                   sort=table.sort, order=table.order, level=level, q=q, levels=LEVELS,
                   months=months, min_n=statistics.MIN_N, default_order=agency_table.default_order)
    if is_partial_request():
        return render_template("board/_agency_rows.html", **context)
    return render_template("board/agencies.html", **context)


@bp.get("/instansi.<fmt>")
@downloads.known_params("level")
def agencies_export(fmt):
    months = statistics.windows.window(clock.now())
    level = request.args.get("level") if request.args.get("level") in LEVELS else None
    agencies_ = agency_search.active_by_level(level)
    figs = statistics.figures_by_agency(months)
    empty = statistics.empty_figures()
    if fmt == "csv":
        places = regional.RegionNames()
        as_of = service_status.stats_as_of_iso()
        units = agency_table.with_units_figures(agencies_, months)
        rows = [{"slug": a.slug, "name": a.name, "level": a.level, **places.agency_columns(a),
                 "from": months[0], "to": months[-1],
                 **exports.figures_row(figs.get(a.id, empty)),
                 **agency_table.with_units_cells(units[a.id]), "data_as_of": as_of} for a in agencies_]
        return downloads.csv_response(rows, "terang-instansi.csv")
    if fmt == "json":
        return downloads.json_response({
            "methodology_version": statistics.METHODOLOGY_VERSION, "from": months[0], "to": months[-1],
            "data_as_of": service_status.stats_as_of_iso(),
            "agencies": [{"slug": a.slug, "name": a.name, "level": a.level,
                          "figures": snapshots.figures_dict(figs.get(a.id, empty))} for a in agencies_]},
            "terang-instansi.json")
    abort(404)


def _agency_or_404(slug: str) -> Agency:
    agency = agency_search.get_by_slug(slug, active_only=False)
    if agency is None:
        abort(404)
    return agency


def _agency_context(agency: Agency):
    from ...services import access

    months = statistics.windows.window(clock.now())
    family = sorted(access.descendants_and_self(agency.id))
    series = statistics.monthly_series([agency.id], months)
    own = statistics.combine(f for _p, f in series)  # the twelve months: the months' sums
    with_units = statistics.figures(family, months) if len(family) > 1 else None
    histogram = own.histograms
    provisional = _provisional(months)
    return dict(agency=agency, months=months, year=own, with_units=with_units, series=series,
                provisional=provisional, histogram=histogram, generated_at=clock.now(),
                methodology_version=statistics.METHODOLOGY_VERSION, min_n=statistics.MIN_N,
                units=agency.children)


@bp.get("/instansi/<slug>")
def agency(slug):
    context = _agency_context(_agency_or_404(slug))
    return render_template("board/agency.html", **context, **_page_values(context),
                           reports=board.latest_public_reports(context["agency"].id))


def _agency_rows(context) -> list[dict]:
    """The agency page's tables as CSV rows: the 12 months alone and with sub-units, then by month."""
    agency_, months = context["agency"], context["months"]
    place = regional.RegionNames().agency_columns(agency_)
    as_of = service_status.stats_as_of_iso()

    provisional = context["provisional"]

    def row(table, period, fig, span):
        return {"table": table, "period": period, "provisional": _flag(bool(provisional & set(span))),
                "agency": agency_.slug, "agency_name": agency_.name, **place, **exports.figures_row(fig),
                "data_as_of": as_of}

    rows = [row("last_12_months", _span(months), context["year"], months)]
    if context["with_units"]:
        rows.append(row("last_12_months_with_units", _span(months), context["with_units"], months))
    rows += [row("monthly", p, f, [p]) for p, f in context["series"]]
    return rows


@bp.get("/instansi/<slug>.<fmt>")
@downloads.known_params()
def agency_export(slug, fmt):
    context = _agency_context(_agency_or_404(slug))
    agency_ = context["agency"]
    if fmt == "csv":
        return downloads.csv_response(_agency_rows(context), f"terang-{agency_.slug}.csv")
    if fmt == "json":
        return downloads.json_response({
            "agency": {"slug": agency_.slug, "name": agency_.name, "level": agency_.level},
            "methodology_version": statistics.METHODOLOGY_VERSION,
            "data_as_of": service_status.stats_as_of_iso(),
            "small_number_rule": statistics.MIN_N, "months": context["months"],
            "provisional_months": sorted(context["provisional"]),
            "last_12_months": snapshots.figures_dict(context["year"]),
            "last_12_months_with_units": snapshots.figures_dict(context["with_units"])
            if context["with_units"] else None,
            "units": [u.slug for u in sorted(context["units"], key=lambda u: u.slug)],
            "monthly": statistics.series_dicts(context["series"], context["provisional"]),
        }, f"terang-{agency_.slug}.json")
    if fmt == "pdf":
        document = pdf.render_pdf("board_report.html", str(get_locale()), scope_name=agency_.name,
                                  **_pdf_values(context))
        return downloads.pdf_response(document, f"terang-{agency_.slug}.pdf")
    abort(404)


@bp.get("/instansi/<slug>/sebaran.<fmt>")
@downloads.known_params()
def agency_distribution_export(slug, fmt):
    """One agency's response-time distribution (the histogram's numbers)."""
    context = _agency_context(_agency_or_404(slug))
    return _distribution_export(context, fmt, f"terang-{slug}-sebaran",
                                {"scope": "agency", "agency": {"slug": slug, "name": context["agency"].name}})


# --- methodology and snapshots -----------------------------------------------------------------

@bp.get("/metodologi")
def methodology():
    return render_template("board/methodology.html", definitions=statistics.DEFINITIONS.values(),
                           superseded=statistics.SUPERSEDED_DEFINITIONS.values(),
                           methodology_version=statistics.METHODOLOGY_VERSION, min_n=statistics.MIN_N,
                           ranking_size=statistics.RANKING_SIZE, sla=sla,
                           rate_places=statistics.RATE_PLACES, lapor_rows=statistics.lapor.ROWS,
                           provisional_days=statistics.provisional.window_working_days(),
                           longest_resolution=max(sla.RESOLUTION_DAYS.values()),
                           corrections=statistics.corrections_log(snapshots.listing()))


@bp.get("/snapshot")
def snapshot_list():
    return render_template("board/snapshots.html", snapshots=snapshots.listing(),
                           chain_problems=snapshots.chain_problems())


@bp.get("/snapshot/<public_id>")
def snapshot(public_id):
    found = snapshots.get(public_id)
    if found is None:
        abort(404)
    import json

    payload = json.loads(found.canonical_json)
    permanent_url = url_for("board.snapshot", public_id=found.public_id, _external=True)
    through = payload.get("provisional_through")  # snapshots frozen before this key have none
    return render_template("board/snapshot.html", snapshot=found, payload=payload,
                           permanent_url=permanent_url,
                           provisional_through=date.fromisoformat(through) if through else None,
                           window_days=statistics.measures.RESOLUTION_WINDOW_DAYS,
                           corrections=statistics.snapshot_corrections(found))


@bp.get("/snapshot/<public_id>/koreksi.json")
@downloads.known_params()
def snapshot_corrections(public_id):
    """The corrections made after a snapshot was published, beside it: the snapshot's own JSON
    stays the canonical bytes its SHA-256 covers."""
    found = snapshots.get(public_id)
    if found is None:
        abort(404)
    return downloads.json_response({
        "snapshot": found.public_id, "sha256": found.sha256,
        "methodology_version": found.methodology_version,
        "current_methodology_version": statistics.METHODOLOGY_VERSION,
        "corrections": statistics.snapshot_corrections(found)})


@bp.get("/snapshot/<public_id>.<fmt>")
@downloads.known_params()
def snapshot_export(public_id, fmt):
    found = snapshots.get(public_id)
    if found is None:
        abort(404)
    if fmt == "json":
        # Exactly the canonical bytes, so that anyone can check the SHA-256.
        return current_app.response_class(
            found.canonical_json.encode("utf-8"), mimetype="application/json",
            headers={"Content-Disposition": f'attachment; filename="terang-snapshot-{found.public_id}.json"'})
    import json

    payload = json.loads(found.canonical_json)
    if fmt == "csv":
        # One national-total row, then one row per agency; ``scope`` tells them apart and
        # ``level`` is the agency's level (empty on the national total).
        # The region columns are the agency's province and kab/kota in today's directory (the
        # frozen JSON does not carry them).
        places = regional.RegionNames()
        agency_places = places.agency_columns_by_slug(a["slug"] for a in payload["agencies"])
        nowhere = places.columns(None)
        rows = [{"snapshot": found.public_id, "period": found.period, "scope": "national_total",
                 "level": "", "slug": "", "name": "", **nowhere,
                 **exports.row_from_figures_dict(payload["national"])}]
        rows += [{"snapshot": found.public_id, "period": found.period, "scope": "agency",
                  "level": a["level"], "slug": a["slug"], "name": a["name"],
                  **agency_places.get(a["slug"], nowhere),
                  **exports.row_from_figures_dict(a["figures"])} for a in payload["agencies"]]
        return downloads.csv_response(rows, f"terang-snapshot-{found.public_id}.csv")
    if fmt == "pdf":
        document = pdf.render_pdf("snapshot.html", str(get_locale()), snapshot_id=found.public_id,
                                  period=found.period, sha256=found.sha256,
                                  published_at=found.published_at, generated_at=clock.now(),
                                  methodology_version=found.methodology_version, payload=payload,
                                  permanent_url=url_for("board.snapshot", public_id=found.public_id,
                                                        _external=True))
        return downloads.pdf_response(document, f"terang-snapshot-{found.public_id}.pdf")
    abort(404)
