"""Board views: parse the query, ask the services, render or export. No figures computed here."""
from __future__ import annotations

from datetime import date

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy import select

from ...extensions import db
from ...htmx import is_partial_request, mark_varies
from ...models import Agency, Category, Report, Status
from ...models.agency import LEVELS
from ...models.base import utcnow
from ...models.report import REPORT_TYPES
from ...services import board, exports, pdf, regions, sla, snapshots, statistics
from ...services.charts import board_charts as charts_for
from ..args import date_arg, page_arg, text_arg
from . import bp

TREND_MONTHS = 12
AGENCY_PAGE = 50


def _today() -> date:
    return sla.local_date(utcnow())


# --- national ----------------------------------------------------------------------------------

def _national_context():
    months = statistics.months_back(_today(), TREND_MONTHS)
    year = statistics.figures(None, months)
    this_month = statistics.figures(None, months[-1:])
    earlier = statistics.figures(None, months[:-1])
    series = statistics.monthly_series(None, months)
    best, worst = statistics.agency_ranking(months)
    names = {a.id: a for a in db.session.scalars(
        select(Agency).where(Agency.id.in_([r[0] for r in best + worst] or [-1])))}
    return dict(months=months, year=year, this_month=this_month, earlier=earlier, series=series,
                best=[(names[a], rate, n) for a, rate, n in best],
                worst=[(names[a], rate, n) for a, rate, n in worst],
                charts=charts_for(series), generated_at=utcnow(),
                methodology_version=statistics.METHODOLOGY_VERSION, min_n=statistics.MIN_N)


@bp.get("/")
def national():
    return render_template("board/national.html", **_national_context())


@bp.get("/ringkasan.<fmt>")
def national_export(fmt):
    context = _national_context()
    rows = [{"period": p, **exports.figures_row(f)} for p, f in context["series"]]
    if fmt == "csv":
        return exports.csv_response(rows, "terang-nasional.csv")
    if fmt == "json":
        return exports.json_response({
            "scope": "national", "methodology_version": statistics.METHODOLOGY_VERSION,
            "months": context["months"],
            "last_12_months": snapshots.figures_dict(context["year"]),
            "monthly": [{"period": p, "figures": snapshots.figures_dict(f)} for p, f in context["series"]],
        }, "terang-nasional.json")
    if fmt == "pdf":
        document = pdf.render_pdf("board_report.html", str(get_locale()), scope_name=None,
                                  **_pdf_values(context))
        return pdf.pdf_response(document, "terang-nasional.pdf")
    abort(404)


def _pdf_values(context) -> dict:
    """Plain values for the PDF template (no ORM objects)."""
    return dict(
        months=context["months"], year=context["year"], series=context["series"],
        charts=context["charts"], generated_at=context["generated_at"],
        methodology_version=statistics.METHODOLOGY_VERSION, min_n=statistics.MIN_N,
        best=[(a.name, rate, n) for a, rate, n in context.get("best", [])],
        worst=[(a.name, rate, n) for a, rate, n in context.get("worst", [])],
    )


# --- public reports ----------------------------------------------------------------------------

def _report_filter() -> board.ReportFilter:
    args = request.args
    return board.ReportFilter(
        agency=args.get("agency") or None, region=args.get("region") or None,
        category=args.get("category") or None,
        report_type=args.get("type") if args.get("type") in REPORT_TYPES else None,
        status=args.get("status") if args.get("status") in Status.ALL else None,
        date_from=date_arg("from"), date_to=date_arg("to"), q=text_arg("q"), page=page_arg())


@bp.get("/laporan")
def reports():
    mark_varies()
    flt = _report_filter()
    page = board.search_public_reports(flt)
    context = dict(page=page, flt=flt, statuses=[s for s in Status.ALL if s != Status.SUBMITTED],
                   report_types=REPORT_TYPES, provinces=regions.provinces(),
                   categories=db.session.scalars(select(Category).order_by(Category.name_id)).all(),
                   chosen_agency=db.session.scalar(select(Agency).where(Agency.slug == flt.agency))
                   if flt.agency else None)
    if is_partial_request():
        return render_template("board/_report_rows.html", **context)
    return render_template("board/reports.html", **context)


@bp.get("/laporan.<fmt>")
def reports_export(fmt):
    flt = _report_filter()
    rows = []
    flt.page = 1
    page = board.search_public_reports(flt)
    for p in range(1, min(page.pages, 50) + 1):  # at most 1,000 rows per download
        flt.page = p
        for r in board.search_public_reports(flt).items:
            rows.append({"reference": r.reference, "submitted_on": sla.local_date(r.submitted_at).isoformat(),
                         "type": r.report_type, "status": r.status, "agency": r.agency.slug,
                         "region": r.region_code, "category": r.category.slug if r.category else "",
                         "title": r.public_title, "text": r.public_body})
    if fmt == "csv":
        return exports.csv_response(rows, "terang-laporan.csv")
    if fmt == "json":
        return exports.json_response({"total": page.total, "rows": rows}, "terang-laporan.json")
    abort(404)


@bp.get("/laporan/<reference>")
def report(reference):
    found = board.public_report(reference)
    if found is None:
        abort(404)
    return render_template("board/report.html", report=found)


# --- agencies ----------------------------------------------------------------------------------

SORT_KEYS = {
    "name": lambda row: row[0].name.lower(),
    "received": lambda row: -row[1].received,
    "follow_up": lambda row: -(row[1].follow_up_rate.value if row[1].follow_up_rate.value is not None else -1),
    "completion": lambda row: -(row[1].completion_rate.value if row[1].completion_rate.value is not None else -1),
    "on_time": lambda row: -(row[1].on_time.value if row[1].on_time.value is not None else -1),
}


def _agency_table(level: str, q: str | None, sort: str, page: int, months: list[str]):
    query = select(Agency).where(Agency.level == level, Agency.is_active.is_(True))
    if q:
        query = query.where(Agency.name.ilike(f"%{q.replace('%', '')}%"))
    agencies = db.session.scalars(query.order_by(Agency.name)).all()
    figs = board.figures_by_agency(months, [a.id for a in agencies], durations=False)
    empty = statistics.figures_from_parts({n: 0 for n in statistics.SUMMED}, {})
    rows = [(a, figs.get(a.id, empty)) for a in agencies]
    rows.sort(key=SORT_KEYS.get(sort, SORT_KEYS["received"]))
    total = len(rows)
    pages = max(1, -(-total // AGENCY_PAGE))
    page = min(max(1, page), pages)
    return rows[(page - 1) * AGENCY_PAGE: page * AGENCY_PAGE], total, page, pages


@bp.get("/instansi")
def agencies():
    mark_varies()
    months = statistics.months_back(_today(), TREND_MONTHS)
    level = request.args.get("level") if request.args.get("level") in LEVELS else "national"
    sort = request.args.get("sort") if request.args.get("sort") in SORT_KEYS else "received"
    q = text_arg("q", 80)
    rows, total, page, pages = _agency_table(level, q, sort, page_arg(), months)
    context = dict(rows=rows, total=total, page=page, pages=pages, level=level, sort=sort, q=q,
                   levels=LEVELS, months=months, min_n=statistics.MIN_N)
    if is_partial_request():
        return render_template("board/_agency_rows.html", **context)
    return render_template("board/agencies.html", **context)


@bp.get("/instansi.<fmt>")
def agencies_export(fmt):
    months = statistics.months_back(_today(), TREND_MONTHS)
    level = request.args.get("level") if request.args.get("level") in LEVELS else None
    query = select(Agency).where(Agency.is_active.is_(True))
    if level:
        query = query.where(Agency.level == level)
    agencies_ = db.session.scalars(query.order_by(Agency.level, Agency.name)).all()
    figs = board.figures_by_agency(months)
    empty = statistics.figures_from_parts({n: 0 for n in statistics.SUMMED}, {})
    if fmt == "csv":
        rows = [{"slug": a.slug, "name": a.name, "level": a.level, "from": months[0], "to": months[-1],
                 **exports.figures_row(figs.get(a.id, empty))} for a in agencies_]
        return exports.csv_response(rows, "terang-instansi.csv")
    if fmt == "json":
        return exports.json_response({
            "methodology_version": statistics.METHODOLOGY_VERSION, "from": months[0], "to": months[-1],
            "agencies": [{"slug": a.slug, "name": a.name, "level": a.level,
                          "figures": snapshots.figures_dict(figs.get(a.id, empty))} for a in agencies_]},
            "terang-instansi.json")
    abort(404)


def _agency_or_404(slug: str) -> Agency:
    agency = db.session.scalar(select(Agency).where(Agency.slug == slug))
    if agency is None:
        abort(404)
    return agency


def _agency_context(agency: Agency):
    from ...services import access

    months = statistics.months_back(_today(), TREND_MONTHS)
    family = sorted(access.descendants_and_self(agency.id))
    own = statistics.figures([agency.id], months)
    with_units = statistics.figures(family, months) if len(family) > 1 else None
    series = statistics.monthly_series([agency.id], months)
    histogram = statistics.duration_histogram([agency.id], months)
    flt = board.ReportFilter(agency=agency.slug)
    return dict(agency=agency, months=months, year=own, with_units=with_units, series=series,
                charts=charts_for(series, histogram), histogram=histogram,
                reports=board.search_public_reports(flt), generated_at=utcnow(),
                methodology_version=statistics.METHODOLOGY_VERSION, min_n=statistics.MIN_N,
                units=agency.children)


@bp.get("/instansi/<slug>")
def agency(slug):
    return render_template("board/agency.html", **_agency_context(_agency_or_404(slug)))


@bp.get("/instansi/<slug>.<fmt>")
def agency_export(slug, fmt):
    context = _agency_context(_agency_or_404(slug))
    agency_ = context["agency"]
    if fmt == "csv":
        rows = [{"agency": agency_.slug, "period": p, **exports.figures_row(f)} for p, f in context["series"]]
        return exports.csv_response(rows, f"terang-{agency_.slug}.csv")
    if fmt == "json":
        return exports.json_response({
            "agency": {"slug": agency_.slug, "name": agency_.name, "level": agency_.level},
            "methodology_version": statistics.METHODOLOGY_VERSION, "months": context["months"],
            "last_12_months": snapshots.figures_dict(context["year"]),
            "last_12_months_with_units": snapshots.figures_dict(context["with_units"])
            if context["with_units"] else None,
            "monthly": [{"period": p, "figures": snapshots.figures_dict(f)} for p, f in context["series"]],
        }, f"terang-{agency_.slug}.json")
    if fmt == "pdf":
        document = pdf.render_pdf("board_report.html", str(get_locale()), scope_name=agency_.name,
                                  **_pdf_values(context))
        return pdf.pdf_response(document, f"terang-{agency_.slug}.pdf")
    abort(404)


# --- methodology and snapshots -----------------------------------------------------------------

@bp.get("/metodologi")
def methodology():
    return render_template("board/methodology.html", definitions=statistics.DEFINITIONS.values(),
                           methodology_version=statistics.METHODOLOGY_VERSION, min_n=statistics.MIN_N)


@bp.get("/snapshot")
def snapshot_list():
    return render_template("board/snapshots.html", snapshots=snapshots.listing())


@bp.get("/snapshot/<public_id>")
def snapshot(public_id):
    found = snapshots.get(public_id)
    if found is None:
        abort(404)
    import json

    payload = json.loads(found.canonical_json)
    permanent_url = url_for("board.snapshot", public_id=found.public_id, _external=True)
    return render_template("board/snapshot.html", snapshot=found, payload=payload,
                           permanent_url=permanent_url)


@bp.get("/snapshot/<public_id>.<fmt>")
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
        rows = [{"scope": "national", "slug": "", "name": "", **_flat(payload["national"])}]
        rows += [{"scope": a["level"], "slug": a["slug"], "name": a["name"], **_flat(a["figures"])}
                 for a in payload["agencies"]]
        return exports.csv_response(rows, f"terang-snapshot-{found.public_id}.csv")
    if fmt == "pdf":
        document = pdf.render_pdf("snapshot.html", str(get_locale()), snapshot_id=found.public_id,
                                  period=found.period, sha256=found.sha256,
                                  published_at=found.published_at,
                                  methodology_version=found.methodology_version, payload=payload,
                                  permanent_url=url_for("board.snapshot", public_id=found.public_id,
                                                        _external=True))
        return pdf.pdf_response(document, f"terang-snapshot-{found.public_id}.pdf")
    abort(404)


def _flat(figs: dict) -> dict:
    """A snapshot's figures as flat CSV columns."""
    row = {}
    for name, value in figs.items():
        if isinstance(value, dict):
            for key, inner in value.items():
                if key != "definition":
                    row[f"{name}.{key}"] = "" if inner is None else inner
        else:
            row[name] = value
    return row
