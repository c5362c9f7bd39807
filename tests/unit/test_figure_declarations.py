"""A figure is declared once (``statistics.declarations``) and appears everywhere from there."""
from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect

from app.blueprints.api import openapi
from app.models import AgencyMonthStats, DurationBucket
from app.services import exports, snapshots, statistics
from app.services.statistics import declarations, registry

# Columns of agency_month_stats that are keys and bookkeeping, not counts.
NOT_COUNTS = {"id", "agency_id", "period", "refreshed_at"}


def test_every_declared_stored_column_is_on_the_model_and_every_count_column_is_declared():
    model_counts = {c.key for c in inspect(AgencyMonthStats).columns} - NOT_COUNTS
    assert set(registry.stored_columns()) == model_counts


def test_every_declared_measure_fits_the_duration_buckets():
    width = DurationBucket.__table__.c.measure.type.length
    assert registry.measures() and all(len(m) <= width for m in registry.measures())
    assert len(set(registry.measures())) == len(registry.measures())


def test_every_figure_names_a_current_versioned_definition_and_has_its_own_key_and_columns():
    figures = registry.figures()
    assert len({f.key for f in figures}) == len(figures)
    for figure in figures:
        assert figure.definition in statistics.DEFINITIONS, figure.key
        assert figure.definition.rsplit(".", 1)[1].startswith("v")
        assert figure.label is not None or figure.shown_in in registry.by_key(), figure.key
    row = exports.figures_row(statistics.empty_figures())
    columns = [c for f in figures for c in f.csv_cells(f.as_dict(statistics.empty_figures().values[f.key]))]
    assert len(set(columns)) == len(columns)
    assert list(row) == [*columns, "methodology_version"]


def test_the_page_rows_keep_the_page_s_order():
    rows = [(row.figure.key, row.part, tuple(f.key for f in row.along)) for row in registry.page_rows()]
    assert rows == [
        ("received", None, ("confidential_received",)), ("followed_up", None, ()),
        ("follow_up_rate", None, ()), ("follow_up_rate_lapor", None, ()), ("resolved", None, ()), ("completion_rate", None, ()),
        ("time_to_first_response", "median", ()), ("time_to_first_response", "p90", ()),
        ("time_to_resolution", "median", ()), ("time_to_resolution", "p90", ()),
        ("on_time_rate", None, ()), ("resolved_within_window_rate", None, ()), ("transfers_out", None, ("transfer_rate",)),
        ("disputed", None, ("dispute_rate",)), ("satisfaction", None, ())]


def test_empty_figures_have_every_figure_at_zero():
    empty = statistics.empty_figures()
    data = snapshots.figures_dict(empty)
    assert list(data) == ["methodology_version", *(f.key for f in registry.figures())]
    assert data["received"] == {"definition": "received.v1", "value": 0}
    assert data["follow_up_rate"]["too_small"] and data["satisfaction"]["mean"] is None
    assert empty.time_to_first_response.n == 0 and empty.on_time is empty.on_time_rate


# --- a figure declared in a test ----------------------------------------------------------------

CONFIDENTIAL_SHARE = statistics.RateFigure(
    key="confidential_share", definition="received.v1", label=_l("Laporan diterima"),
    numerator=declarations.CONFIDENTIAL, denominator=declarations.RECEIVED,
    page_after="follow_up_rate")


@pytest.fixture
def declared(monkeypatch):
    """One more figure in the registry (reading stored columns the model already has)."""
    monkeypatch.setattr(declarations, "FIGURES", (*declarations.FIGURES, CONFIDENTIAL_SHARE))
    openapi.document.cache_clear()
    yield CONFIDENTIAL_SHARE
    openapi.document.cache_clear()


def test_a_declared_figure_is_in_the_dict_the_csv_row_and_the_openapi_schema(app, declared):
    fig = statistics.figures_from_parts({"received": 40, "confidential": 10}, {})
    assert fig.confidential_share == statistics.Rate("received.v1", 10, 40)

    data = snapshots.figures_dict(fig)
    assert list(data)[-1] == "confidential_share"
    assert data["confidential_share"] == {"definition": "received.v1", "numerator": 10,
                                          "denominator": 40, "too_small": False, "value": 0.25,
                                          "ci_low": 0.1419, "ci_high": 0.4019}

    row = exports.figures_row(fig)
    assert row["confidential_share"] == "0.2500"
    assert (row["confidential_share_ci_low"], row["confidential_share_ci_high"]) == ("0.1419", "0.4019")
    assert (row["confidential_share_numerator"], row["confidential_share_denominator"]) == (10, 40)
    assert list(row)[-6:] == ["confidential_share", "confidential_share_ci_low",
                              "confidential_share_ci_high", "confidential_share_numerator",
                              "confidential_share_denominator", "methodology_version"]

    with app.app_context():
        schemas = openapi.document()["components"]["schemas"]
    assert schemas["Figures"]["properties"]["confidential_share"] == {"$ref": "#/components/schemas/Rate"}
    assert "confidential_share" in schemas["Figures"]["required"]

    keys = [row.figure.key for row in registry.page_rows()]
    assert keys[keys.index("follow_up_rate") + 1] == "confidential_share"


def test_a_declared_figure_is_on_the_page_and_absent_from_a_snapshot_frozen_before_it(app, declared):
    fig = statistics.figures_from_parts({"received": 40, "confidential": 10}, {})
    with app.test_request_context("/transparansi/"):
        macros = app.jinja_env.get_template("_macros/figures.html").module
        html = str(macros.figures_table(fig, "caption"))
        assert "(10/40)" in html
        frozen = snapshots.figures_dict(fig)
        del frozen["confidential_share"]
        assert "(10/40)" not in str(macros.figures_table(frozen, "caption"))
    assert "confidential_share" not in exports.row_from_figures_dict(frozen)


def test_a_declared_figure_is_refreshed_and_summed(db_session, declared):
    from datetime import date, datetime, timezone

    from app.extensions import db
    from app.models import Report
    from app.services import workflow
    from tests import factories

    now = datetime(2026, 11, 20, 3, tzinfo=timezone.utc)
    for confidential in (True, False):
        receipt = factories.file_report(now=datetime(2026, 11, 2, 2, tzinfo=timezone.utc),
                                        incident_date=date(2026, 10, 30), is_confidential=confidential)
        report = db.session.get(Report, receipt.report_id)
        workflow.apply(report, "route", workflow.Actor(kind="officer", role="national_admin"),
                       datetime(2026, 11, 3, 2, tzinfo=timezone.utc),
                       workflow.ActionInput(agency=factories.agency("kemenkes"), resolution_class="sedang"))
    statistics.refresh_dirty(now)
    share = statistics.figures([factories.agency("kemenkes").id], ["2026-11"]).confidential_share
    assert (share.numerator, share.denominator) == (1, 2)
    assert statistics.figures(None, ["2026-11"]).confidential_share.denominator == 2
