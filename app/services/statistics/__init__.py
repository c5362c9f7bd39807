"""Every transparency figure, declared once, with its definition id and the methodology version.

One declaration per figure in :mod:`.declarations` (its key, definition id, kind, the stored
counts it reads, its label) drives everything a figure is: the rollup columns it needs, the
refresh that fills them, the read-side sums, the figures dict of the exports, API and snapshots
(:func:`figures_dict`), the CSV row (:func:`csv_row`), the OpenAPI ``Figures`` component
(:func:`openapi_components`), the "empty figures" (:func:`empty_figures`) and the board's
figures table (``_macros/figures.html`` iterates :func:`page_rows`).

The modules:

- :mod:`.definitions`: ``METHODOLOGY_VERSION``, the small-number rule, the versioned
  definitions shown on /transparansi/metodologi.
- :mod:`.kinds`: the four kinds of figure — count, rate (numerator ÷ denominator, "n too small"
  under ``MIN_N``), survival (Kaplan–Meier median and 90th percentile over a histogram of
  working days, open cases censored) and mean — and how each is computed, dumped to JSON, cut
  into CSV cells and described in JSON Schema.
- :mod:`.declarations`: the stored counts (what one report adds to its agency's month) and
  ``FIGURES``. **The one place to add a figure.**
- :mod:`.measures`: one report's facts (follow-up, resolution, deadlines, durations).
- :mod:`.rollups` (write side): ``mark_dirty`` is called by the workflow as events happen;
  ``refresh_dirty`` rebuilds the rollup rows (``agency_month_stats``, ``duration_buckets``) of
  the (agency, month) pairs that changed, from those reports only, then (``refresh_region``)
  the regional rows (``region_month_stats``, ``region_duration_buckets``) of the (incident
  kab/kota, month) pairs that changed (``stats_dirty_regions``, marked by ``mark_dirty``
  beside the agencies). Each agency-month's histograms are also packed in one row
  (``agency_month_histograms``, what the read side reads), and the refresh stores the board's
  ranking of its twelve months (:mod:`.windows`, ``figure_windows``) with the national rows.
  A daily
  ``mark_open_dirty`` (``flask stats refresh --all-open``) moves the censoring time of
  still-open cases forward.
- :mod:`.read` (read side): :func:`figures` sums rollup rows and runs Kaplan–Meier on the
  summed histograms; :func:`figures_by_agency` does it for many agencies at once;
  :func:`region_figures` and :func:`figures_by_region` read the regional rollups (the
  reports' incident kab/kota, summed per province in the query); :func:`combine` adds up
  figures of disjoint sets exactly; nothing here scans reports on a page view.
- :mod:`.windows`: figures of the board's twelve months precomputed at refresh — the best and
  worst agencies with their figures — read by the national page instead of summing every
  agency's months; computed from the rollups when none is stored for the months asked.
- :mod:`.published`: the JSON dict, the CSV row and the OpenAPI components.
- Uncertainty (in :mod:`.kinds`): every rate's Wilson 95% score interval (``wilson_bounds``,
  rounded once by the board's rule: ``wilson_interval`` for downloads, ``percent_interval`` for
  pages) and the Kaplan–Meier median's Brookmeyer–Crowley interval with Greenwood's variance
  (``kaplan_meier_median_interval``, whole working days); none under the small-number rule.
- :mod:`.lapor`: how each figure compares with SP4N-LAPOR!'s monev definitions (the
  methodology page's table); ``follow_up_rate_lapor`` is LAPOR!'s follow-up, declared here.
- :mod:`.provisional`: which months are still provisional (their reports' deadlines may still
  run) and the last complete month, for month-over-month comparisons.
- :mod:`.corrections`: the corrections log (``CORRECTIONS``, a ``Correction`` per changed rule)
  and, for each snapshot published before a correction, by how much its figures change.

Periods are months of *submission* in Jakarta time.

How to add a figure
-------------------
Say the board should show how often an agency asks the reporter for more information: a count
and a rate over the reports received. Three steps, no other file changes:

1. The definition, in :mod:`.definitions` (``DEFINITIONS``; the methodology page lists it)::

       Definition("information_request_rate.v1", _l("Meminta informasi"), _l(
           "Laporan diterima yang instansinya meminta informasi kepada pelapor sejak laporan "
           "terakhir kali tiba di instansi itu, dibagi laporan diterima.")),

2. The declaration, in :mod:`.declarations`: the stored count (what one report adds) and the
   figure (after ``completion_rate``, say; its place is its place in the JSON and the CSV)::

       ASKED_FOR_INFORMATION = Stored(column="asked_for_information", add=lambda r: any(
           e.action == "request_info" and e.actor_agency_id == r.agency_id for e in r.events))

       RateFigure(key="information_request_rate", definition="information_request_rate.v1",
                  label=_l("Meminta informasi kepada pelapor"),
                  numerator=ASKED_FOR_INFORMATION, denominator=RECEIVED),

   A count, a survival or a mean is declared the same way (``CountFigure(count=...)``,
   ``SurvivalFigure(measure=..., observe=...)``, ``MeanFigure(total=..., n=...)``); a new
   survival measure needs no column (its histogram lives in ``duration_buckets``).

3. The rollup column, on ``StoredCounts`` (``app/models/statistics.py``; the agency rollup
   ``AgencyMonthStats`` and the regional one ``RegionMonthStats`` share it) and in a migration
   (``flask db revision -m "asked for information"``; the tests check that the declared columns
   and the models' agree, and that the migrations build the models)::

       asked_for_information: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

       def upgrade():
           for table in ("agency_month_stats", "region_month_stats"):
               with op.batch_alter_table(table) as batch_op:
                   batch_op.add_column(sa.Column("asked_for_information", sa.Integer(),
                                                 server_default="0", nullable=False))
           # Existing months are rebuilt by the next `flask stats refresh` with the new count.
           op.execute("INSERT INTO stats_dirty (agency_id, period) SELECT DISTINCT s.agency_id, "
                      "s.period FROM agency_month_stats s WHERE s.agency_id IS NOT NULL AND NOT "
                      "EXISTS (SELECT 1 FROM stats_dirty d WHERE d.agency_id = s.agency_id "
                      "AND d.period = s.period)")

       def downgrade():
           for table in ("agency_month_stats", "region_month_stats"):
               with op.batch_alter_table(table) as batch_op:
                   batch_op.drop_column("asked_for_information")

Then the figure is in every JSON download and the API (``information_request_rate``), in every
CSV row (a column of that name), in the OpenAPI ``Figures`` schema and in the board's figures
table; ``make translations-update`` picks up its label. A figure whose *meaning* changes gets a
new definition id and ``METHODOLOGY_VERSION`` goes up (see :mod:`.definitions`); snapshots
already published keep what they froze (a figure they lack has no cells in their CSV).
"""
from __future__ import annotations

from .. import sla  # callers read statistics.sla, as before the package
from . import declarations, lapor, provisional, registry, windows
from .corrections import (CORRECTIONS, Correction, FigureChange, corrections_after,
                          corrections_log, snapshot_changes, snapshot_corrections)
from .declarations import FIRST_RESPONSE, RESOLUTION
from .definitions import (DEFINITIONS, MAX_TRACKED_DAYS, METHODOLOGY_VERSION, MIN_N,
                          SUPERSEDED_DEFINITIONS, Definition)
from .kinds import (COUNT, MEAN, N_TOO_SMALL, NOT_REACHED, OVER_CAP, QUANTILE_STATUSES, RATE,
                    PERCENT_DECIMALS, RATE_PLACES, SURVIVAL, Z_95, CountFigure, Figure, Mean, MeanFigure, Rate, RateFigure, Stored,
                    Survival, SurvivalFigure, kaplan_meier_median_interval, kaplan_meier_quantiles, percent_interval, percent_value, quantile_status,
                    rate_dict, rate_value, round_half_up, survival_dict, wilson_bounds,
                    wilson_interval)
from .measures import (FINISHED, ReportFacts, ReportMeasures, current_stay, measure, routed_to,
                       transferred_from)
from .published import csv_row, figures_dict, openapi_components, series_dicts
from .read import (RANKING_SIZE, Figures, agency_ranking, combine, duration_histogram, empty_figures,
                   figures, figures_by_agency, figures_by_region, figures_from_parts, monthly_series,
                   months_back, region_figures)
from .registry import page_rows
from .rollups import (dirty_pairs, dirty_regions, mark_all_dirty, mark_dirty, mark_open_dirty, period_of,
                      rebuild_everything,
                      province_of, refresh_dirty, refresh_national, refresh_pair, refresh_region,
                      touched_agencies)

# The current definition of each duration measure (figures, distribution downloads).
DURATION_DEFINITIONS = registry.duration_definitions()
# The stored rollup columns the figures read (summed on the read side).
SUMMED = registry.stored_columns()

__all__ = [
    "PERCENT_DECIMALS", "RATE_PLACES", "Z_95", "kaplan_meier_median_interval", "percent_interval",
    "wilson_bounds", "wilson_interval", "percent_value", "rate_value", "round_half_up",
    "CORRECTIONS", "Correction", "FigureChange", "corrections_after", "corrections_log",
    "snapshot_changes", "snapshot_corrections",
    "COUNT", "DEFINITIONS", "DURATION_DEFINITIONS", "FINISHED", "FIRST_RESPONSE", "MAX_TRACKED_DAYS",
    "MEAN", "METHODOLOGY_VERSION", "MIN_N", "NOT_REACHED", "N_TOO_SMALL", "OVER_CAP",
    "QUANTILE_STATUSES", "RANKING_SIZE", "RATE", "RESOLUTION", "SUMMED", "SUPERSEDED_DEFINITIONS",
    "SURVIVAL", "CountFigure", "Definition", "Figure", "Figures", "Mean", "MeanFigure", "Rate",
    "RateFigure", "ReportFacts", "ReportMeasures", "Stored", "Survival", "SurvivalFigure",
    "agency_ranking", "combine", "dirty_regions", "figures_by_region", "province_of", "refresh_region",
    "region_figures", "touched_agencies", "csv_row", "current_stay", "declarations", "dirty_pairs",
    "duration_histogram", "empty_figures", "figures", "figures_by_agency", "figures_dict",
    "figures_from_parts", "kaplan_meier_quantiles", "mark_all_dirty", "mark_dirty",
    "mark_open_dirty", "measure", "monthly_series", "months_back", "openapi_components",
    "lapor", "provisional", "page_rows", "period_of", "quantile_status", "rate_dict", "rebuild_everything", "refresh_dirty", "refresh_national",
    "refresh_pair", "registry", "routed_to", "series_dicts", "sla", "survival_dict",
    "transferred_from", "windows",
]
