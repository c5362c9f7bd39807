"""The kinds of figure (count, rate, survival, mean): how each is computed and published.

A declaration in :mod:`.declarations` is one of the classes below. Its kind decides, once for
every figure of that kind: its value from the summed rollup counts (:meth:`value`), its plain
JSON dict (:meth:`as_dict`, the export, API and snapshot shape), its CSV cells
(:meth:`csv_cells`, read from that dict so that frozen snapshots give the same columns) and its
JSON Schema for the OpenAPI document (:meth:`schema`). The template macro
(``_macros/figures.html``) renders by ``kind``.

CSV cells never leave a figure ambiguous. Where the page writes words instead of a number, the
CSV has a fixed token: ``n_too_small`` (fewer than ``MIN_N`` reports), ``not_reached`` (a median
or 90th percentile not reached yet), ``>120`` (more than ``MAX_TRACKED_DAYS`` working days),
``not_frozen`` (a median's interval in a snapshot frozen before the intervals).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Callable

from .definitions import MAX_TRACKED_DAYS, MIN_N

COUNT, RATE, SURVIVAL, MEAN = "count", "rate", "survival", "mean"

N_TOO_SMALL = "n_too_small"
NOT_REACHED = "not_reached"
OVER_CAP = f">{MAX_TRACKED_DAYS}"
# A median's interval in a snapshot frozen before the intervals were published (its histogram
# was not frozen, so the interval cannot be computed afterwards).
NOT_FROZEN = "not_frozen"
# What a median or 90th percentile is, in JSON (``median_status``/``p90_status``).
QUANTILE_STATUSES = ["reached", "more_than_cap", "not_reached", "n_too_small"]


# --- the one rounding rule -------------------------------------------------------------------------
# A rate is rounded once, half-up, from its exact fraction: to RATE_PLACES decimals in the
# downloads (JSON, CSV, API, snapshots; beside the exact numerator and denominator) and to one
# decimal of a percentage on pages and PDFs. Never a rounded value rounded again: 32/39 is
# 0.8205 in a download and 82.1% on every page (0.8205 rounded again would be 82.0%).
RATE_PLACES = 4
PERCENT_DECIMALS = 1


def half_up_units(numerator: int, denominator: int, places: int) -> int:
    """numerator ÷ denominator rounded half-up to ``places`` (≥ 0) decimals, from the exact
    fraction, in units of the last place: floor(numerator · 10^places ÷ denominator + ½) in
    integers (0.821 for 32/39 at 3 places is 821)."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    elif denominator == 0:
        raise ZeroDivisionError(f"{numerator}/0")
    return (numerator * 10 ** places * 2 + denominator) // (denominator * 2)  # floor(x + ½)


def round_half_up(numerator: int, denominator: int, places: int) -> Decimal:
    """numerator ÷ denominator rounded half-up to ``places`` decimals, from the exact fraction."""
    return Decimal(half_up_units(numerator, denominator, places)).scaleb(-places)


def _round_decimal(value: Decimal, places: int) -> Decimal:
    """A high-precision value rounded once, half-up, to ``places`` decimals (the same rule)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def rate_value(numerator: int, denominator: int) -> float:
    """A rate as the downloads carry it: RATE_PLACES decimals, half-up from the exact fraction."""
    return float(round_half_up(numerator, denominator, RATE_PLACES))


def percent_value(numerator: int, denominator: int) -> Decimal:
    """The fraction a page shows as a percentage with PERCENT_DECIMALS decimals, rounded
    half-up from the exact fraction (0.821 for 32/39: "82,1%"); exact, so that formatting it
    rounds nothing again."""
    return round_half_up(numerator, denominator, PERCENT_DECIMALS + 2)


# --- uncertainty: Wilson 95% score intervals ---------------------------------------------------------
# z for a two-sided 95% interval: the 0.975 quantile of the standard normal distribution.
Z_95 = Decimal("1.959963984540054235524594430520551527955550")
# Working precision of the interval bounds: 40 significant digits, then rounded once (as a rate).
_CI_PRECISION = 40


def wilson_bounds(numerator: int, denominator: int) -> tuple[Decimal, Decimal] | None:
    """The Wilson 95% score interval of numerator ÷ denominator, unrounded (40 significant
    digits); None for an empty denominator.

    centre = (p + z²/2n) / (1 + z²/n), half-width = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²).
    Exact at the ends (0/n gives a lower bound of 0, n/n an upper bound of 1) and never outside
    [0, 1], unlike the normal ("Wald") interval.
    """
    if denominator <= 0:
        return None
    with localcontext() as ctx:
        ctx.prec = _CI_PRECISION
        n, x, z2 = Decimal(denominator), Decimal(numerator), Z_95 * Z_95
        p = x / n
        scale = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / scale
        half = Z_95 / scale * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
        low = Decimal(0) if numerator == 0 else max(Decimal(0), centre - half)
        high = Decimal(1) if numerator == denominator else min(Decimal(1), centre + half)
        return +low, +high


def wilson_interval(numerator: int, denominator: int, places: int = RATE_PLACES) -> tuple[Decimal, Decimal] | None:
    """The Wilson 95% interval rounded once, half-up, to ``places`` decimals (RATE_PLACES in the
    downloads; PERCENT_DECIMALS + 2 for a page's percentage); None under the small-number rule."""
    if denominator < MIN_N:
        return None
    units = _wilson_units(numerator, denominator, places)
    if units is not None:
        return Decimal(units[0]).scaleb(-places), Decimal(units[1]).scaleb(-places)
    low, high = wilson_bounds(numerator, denominator)
    return _round_decimal(low, places), _round_decimal(high, places)


_Z_FLOAT = float(Z_95)
# How near a bound (in units of the last place kept) may come to a half before the fast path
# leaves it to the 40-digit computation; the float's error is below 1e-10 of a unit there.
_HALF_MARGIN = 1e-6


def _wilson_units(numerator: int, denominator: int, places: int) -> tuple[int, int] | None:
    """:func:`wilson_bounds` rounded half-up to ``places`` decimals, in units of the last place,
    computed in floating point: the same two integers whenever neither bound lies within
    ``_HALF_MARGIN`` of a unit of a rounding half (a float's error on these formulas is some
    1e-15 of the bound, far inside the margin); None for those rare bounds, which the 40-digit
    computation then rounds. A page shows dozens of intervals; ``Decimal`` at 40 digits costs
    ten times this (issue 12)."""
    if not 0 <= numerator <= denominator or places < 0 or places > 8:
        return None
    n, z = float(denominator), _Z_FLOAT
    z2 = z * z
    p = numerator / n
    scale = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / scale
    half = z / scale * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    unit = 10 ** places
    result = []
    for exact, value in ((numerator == 0, centre - half), (numerator == denominator, centre + half)):
        if exact:  # 0/n has a lower bound of exactly 0, n/n an upper bound of exactly 1
            result.append(0 if not result else unit)
            continue
        scaled = min(max(value, 0.0), 1.0) * unit
        floor = math.floor(scaled)
        if abs(scaled - floor - 0.5) < _HALF_MARGIN:
            return None
        result.append(floor + (1 if scaled - floor > 0.5 else 0))
    return result[0], result[1]


def percent_interval(numerator: int, denominator: int) -> tuple[Decimal, Decimal] | None:
    """The interval as a page shows it (fractions to format as percentages with one decimal)."""
    return wilson_interval(numerator, denominator, PERCENT_DECIMALS + 2)


# --- values ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    """A ratio with its parts; ``value`` is None under the small-number rule."""

    definition: str
    numerator: int
    denominator: int

    @property
    def too_small(self) -> bool:
        return self.denominator < MIN_N

    @property
    def value(self) -> float | None:
        if self.too_small:
            return None
        return self.numerator / self.denominator

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        """The Wilson 95% interval (RATE_PLACES decimals); None under the small-number rule."""
        return wilson_interval(self.numerator, self.denominator)


@dataclass(frozen=True)
class Survival:
    """Kaplan–Meier median and 90th percentile in working days (None: not reached)."""

    definition: str
    n: int
    observed: int
    median: int | None
    p90: int | None
    # The median's 95% interval in working days (None: the bound is not reached).
    median_low: int | None = None
    median_high: int | None = None

    @property
    def too_small(self) -> bool:
        return self.n < MIN_N

    @property
    def median_over_cap(self) -> bool:
        return self.median is not None and self.median > MAX_TRACKED_DAYS

    @property
    def p90_over_cap(self) -> bool:
        return self.p90 is not None and self.p90 > MAX_TRACKED_DAYS


@dataclass(frozen=True)
class Mean:
    """A mean of scores with its n; ``value`` is None under the small-number rule."""

    definition: str
    total: int
    n: int

    @property
    def too_small(self) -> bool:
        return self.n < MIN_N

    @property
    def value(self) -> float | None:
        if self.too_small:
            return None
        return self.total / self.n


def kaplan_meier_quantiles(histogram: dict[int, tuple[int, int]], quantiles=(0.5, 0.9)) -> dict:
    """Quantiles of time-to-event from {days: (observed, censored)}.

    At each day the reports still at risk are those not yet observed or censored before it;
    a case censored on a day counts as at risk on that day. The q-quantile is the first day at
    which the survival S(t) falls to 1 − q or below; None when it never does.
    """
    at_risk = sum(o + c for o, c in histogram.values())
    survival = 1.0
    result = {q: None for q in quantiles}
    for day in sorted(histogram):
        observed, censored = histogram[day]
        if at_risk > 0 and observed:
            survival *= 1 - observed / at_risk
        for q in quantiles:
            if result[q] is None and survival <= 1 - q + 1e-12:
                result[q] = day
        at_risk -= observed + censored
    return result


def kaplan_meier_median_interval(histogram: dict[int, tuple[int, int]], z: float = float(Z_95)) -> tuple:
    """The 95% interval of the Kaplan–Meier median (Brookmeyer–Crowley, on the KM curve with
    Greenwood's variance, untransformed): every day t whose S(t) is not significantly different
    from 50%, |S(t) − ½| ≤ z·se(S(t)).

    Read off the curve as the median itself is: the lower bound is the first day at which the
    lower confidence limit S(t) − z·se falls to ½ or below; the upper bound the first day at
    which the upper limit S(t) + z·se does; None when that day is not reached yet (censored
    data: an upper bound may not exist yet while reports are still open).
    se(S(t))² = S(t)² · Σ d/(n(n−d)) over the days up to t (Greenwood). The resolution is the
    histogram's: whole working days, the days above MAX_TRACKED_DAYS in one bucket.
    """
    at_risk = sum(o + c for o, c in histogram.values())
    return _median_p90_interval(histogram, at_risk, z)[2:]


def survival_of(definition: str, histogram: dict[int, tuple[int, int]]) -> Survival:
    """Median and 90th percentile of a summed histogram, and the median's 95% interval; None
    for all under the small-number rule."""
    observed = censored = 0
    for o, c in histogram.values():
        observed += o
        censored += c
    n = observed + censored
    if n < MIN_N:
        return Survival(definition, n, observed, None, None)
    return Survival(definition, n, observed, *_median_p90_interval(histogram, n))


def _median_p90_interval(histogram: dict[int, tuple[int, int]], at_risk: int, z: float = float(Z_95)) -> tuple:
    """:func:`kaplan_meier_quantiles` (0.5, 0.9) and :func:`kaplan_meier_median_interval` in
    one walk of the days (``at_risk``: every report of the histogram), the same arithmetic in
    the same order, so the same numbers: (median, p90, median low, median high)."""
    survival, greenwood = 1.0, 0.0
    median = p90 = low = high = None
    for day in sorted(histogram):
        observed, censored = histogram[day]
        if at_risk > 0 and observed:
            survival *= 1 - observed / at_risk
            if at_risk > observed:
                greenwood += observed / (at_risk * (at_risk - observed))
        if median is None and survival <= 1 - 0.5 + 1e-12:
            median = day
        if p90 is None and survival <= 1 - 0.9 + 1e-12:
            p90 = day
        se = survival * greenwood ** 0.5 if survival > 0 else 0.0
        if low is None and survival - z * se <= 0.5 + 1e-12:
            low = day
        if high is None and survival + z * se <= 0.5 + 1e-12:
            high = day
            if p90 is not None:
                break  # all four found (high implies low and the median)
        at_risk -= observed + censored
    return median, p90, low, high


def quantile_status(value: int | None, too_small: bool) -> str:
    """What a median or 90th percentile is: ``reached`` (a number of working days),
    ``more_than_cap`` (above ``MAX_TRACKED_DAYS``), ``not_reached`` or ``n_too_small``."""
    if too_small:
        return "n_too_small"
    if value is None:
        return "not_reached"
    return "more_than_cap" if value > MAX_TRACKED_DAYS else "reached"


def rate_dict(rate: Rate) -> dict:
    interval = rate.interval
    return {"definition": rate.definition, "numerator": rate.numerator,
            "denominator": rate.denominator, "too_small": rate.too_small,
            "value": None if rate.value is None else rate_value(rate.numerator, rate.denominator),
            # The Wilson 95% interval, RATE_PLACES decimals; null under the small-number rule.
            "ci_low": None if interval is None else float(interval[0]),
            "ci_high": None if interval is None else float(interval[1])}


def survival_dict(survival: Survival) -> dict:
    return {"definition": survival.definition, "n": survival.n, "observed": survival.observed,
            "too_small": survival.too_small, "median_working_days": survival.median,
            "p90_working_days": survival.p90,
            "median_status": quantile_status(survival.median, survival.too_small),
            "p90_status": quantile_status(survival.p90, survival.too_small),
            # The median's 95% interval (Brookmeyer–Crowley): null when a bound is not reached.
            "median_ci_low_working_days": survival.median_low,
            "median_ci_high_working_days": survival.median_high,
            # A value above the cap means "more than cap working days".
            "cap_working_days": MAX_TRACKED_DAYS}


def rate_cell(item: dict) -> str:
    return N_TOO_SMALL if item["too_small"] else f"{item['value']:.4f}"


def interval_cells(key: str, item: dict) -> dict:
    """A rate's ``<key>_ci_low``/``<key>_ci_high`` cells. A snapshot frozen before the intervals
    has none in its dict: they are computed from its frozen numerator and denominator (the
    interval is a function of those two counts only)."""
    if item["too_small"]:
        return {f"{key}_ci_low": N_TOO_SMALL, f"{key}_ci_high": N_TOO_SMALL}
    if "ci_low" in item:
        low, high = item["ci_low"], item["ci_high"]
    else:
        low, high = wilson_interval(item["numerator"], item["denominator"])
    return {f"{key}_ci_low": f"{low:.4f}", f"{key}_ci_high": f"{high:.4f}"}


def days_cell(item: dict, key: str) -> str | int:
    value = item[key]
    if item["too_small"]:
        return N_TOO_SMALL
    if value is None:
        return NOT_REACHED
    if value > item.get("cap_working_days", MAX_TRACKED_DAYS):
        return OVER_CAP
    return value


# --- JSON Schema (the OpenAPI components) --------------------------------------------------------

def _closed(properties: dict, description: str | None = None) -> dict:
    """A closed object, as the API document writes them: every property required, no other."""
    schema = {"type": "object", "properties": properties, "required": list(properties),
              "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


def _optional(schema: dict, *names: str) -> dict:
    """``schema`` with ``names`` no longer required (fields older snapshots lack)."""
    schema["required"] = [r for r in schema["required"] if r not in names]
    return schema


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _string() -> dict:
    return {"type": "string"}


def _count() -> dict:
    return {"type": "integer", "minimum": 0}


def kind_components() -> dict:
    """The shared shapes, published once as components and referred to by each figure."""
    return {
        "Count": _closed({"definition": _string(), "value": _count()}),
        "SuppressedCount": {
            "type": "object", "additionalProperties": False, "required": ["definition", "value"],
            "properties": {"definition": _string(), "value": {"type": ["integer", "null"], "minimum": 0},
                           "too_small": {"type": "boolean"}},
            "description": "A count that is not published under the small-number rule: `value` is "
                           "null and `too_small` true when fewer than 10 (confidential reports, so "
                           "that a count of 1 does not single out a complaint against a small unit). "
                           "Snapshots frozen before the rule carry the number and no `too_small`."},
        "Rate": _optional(_closed({
            "definition": _string(), "numerator": _count(), "denominator": _count(),
            "too_small": {"type": "boolean"}, "value": {"type": ["number", "null"]},
            "ci_low": {"type": ["number", "null"]}, "ci_high": {"type": ["number", "null"]}},
            "A ratio with its parts; `value` is null when the denominator is under "
            "the small-number rule (n < 10). `ci_low`/`ci_high`: the Wilson 95% score interval "
            "from the exact numerator and denominator, 4 decimals rounded half-up once (null "
            "under the small-number rule; absent from snapshots frozen before the intervals)."),
            "ci_low", "ci_high"),
        "Survival": _optional(_closed({
            "definition": _string(), "n": _count(), "observed": _count(),
            "too_small": {"type": "boolean"},
            "median_working_days": {"type": ["integer", "null"]},
            "p90_working_days": {"type": ["integer", "null"]},
            "median_status": {"type": "string", "enum": list(QUANTILE_STATUSES)},
            "p90_status": {"type": "string", "enum": list(QUANTILE_STATUSES)},
            "median_ci_low_working_days": {"type": ["integer", "null"]},
            "median_ci_high_working_days": {"type": ["integer", "null"]},
            "cap_working_days": {"type": "integer"}},
            "Kaplan–Meier median and 90th percentile in working days (null: not reached, or n too "
            "small). A value above `cap_working_days` means \"more than the cap\". "
            "`median_status`/`p90_status` say which: `reached`, `more_than_cap`, `not_reached` or "
            "`n_too_small`. `median_ci_low_working_days`/`median_ci_high_working_days`: the "
            "median's 95% interval (Brookmeyer–Crowley on the Kaplan–Meier curve, Greenwood "
            "variance, whole working days); null when that bound is not reached yet or n is too "
            "small; absent from snapshots frozen before the intervals."),
            "median_ci_low_working_days", "median_ci_high_working_days"),
    }


# --- declarations ------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Stored:
    """A rollup column of ``agency_month_stats``: what one report adds to its agency's month.

    ``add`` reads a :class:`.measures.ReportFacts`. Counts are kept for the reports the agency
    received (``facts.measures`` set); ``every_related=True`` counts every report that touched
    the agency that month (routed to it, transferred away from it), received or not.
    """

    column: str
    add: Callable = field(compare=False, repr=False)
    every_related: bool = False


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One published figure. ``key`` is its JSON key (and CSV column stem), ``definition`` the
    versioned id of its methodology text (``follow_up_rate.v2``), ``label`` what the page calls
    it. On the page it has its own row in declaration order, unless ``page_after`` names the
    figure it follows or ``shown_in`` the figure whose row it joins (a count as a hint, a rate
    after a " · ")."""

    key: str
    definition: str
    label: object = None
    page_after: str | None = None
    shown_in: str | None = None

    kind = ""

    def stored(self) -> tuple[Stored, ...]:
        """The rollup columns this figure reads."""
        return ()

    def measures(self) -> tuple[str, ...]:
        """The duration measures (``duration_buckets.measure``) this figure reads."""
        return ()

    def value(self, counts: dict, histograms: dict):
        raise NotImplementedError

    def as_dict(self, value) -> dict:
        raise NotImplementedError

    def csv_cells(self, item: dict) -> dict:
        raise NotImplementedError

    def schema(self) -> dict:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class CountFigure(Figure):
    """A number of reports: the sum of one stored column. ``hint`` is the page's words for it
    when it is shown inside another figure's row (``"termasuk %(n)s rahasia"``)."""

    count: Stored | None = None
    hint: object = None
    kind = COUNT

    def stored(self):
        return (self.count,)

    def value(self, counts, histograms) -> int:
        return counts[self.count.column]

    def as_dict(self, value) -> dict:
        return {"definition": self.definition, "value": value}

    def csv_cells(self, item):
        return {self.key: item["value"]}

    def schema(self):
        return _ref("Count")


@dataclass(frozen=True, kw_only=True)
class SuppressedCountFigure(CountFigure):
    """A count published only from ``MIN_N`` up (``value`` null and ``too_small`` below it):
    a count of 1 confidential report against a small unit already tells that unit someone
    complained about it in confidence."""

    def as_dict(self, value) -> dict:
        too_small = value < MIN_N
        return {"definition": self.definition, "value": None if too_small else value,
                "too_small": too_small}

    def csv_cells(self, item):
        # Snapshots frozen before the rule covered this count carry no ``too_small``.
        hidden = item.get("too_small") or item["value"] is None
        return {self.key: N_TOO_SMALL if hidden else item["value"]}

    def schema(self):
        return _ref("SuppressedCount")


@dataclass(frozen=True, kw_only=True)
class RateFigure(Figure):
    """numerator ÷ denominator, two stored columns; "n too small" under ``MIN_N``."""

    numerator: Stored | None = None
    denominator: Stored | None = None
    kind = RATE

    def stored(self):
        return (self.numerator, self.denominator)

    def value(self, counts, histograms) -> Rate:
        return Rate(self.definition, counts[self.numerator.column], counts[self.denominator.column])

    def as_dict(self, value: Rate) -> dict:
        return rate_dict(value)

    def csv_cells(self, item):
        # The counts go along even where the rate itself is suppressed (n too small): a reader
        # can add them up across agencies or months and recompute every rate.
        return {self.key: rate_cell(item), **interval_cells(self.key, item),
                f"{self.key}_numerator": item["numerator"],
                f"{self.key}_denominator": item["denominator"]}

    def schema(self):
        return _ref("Rate")


@dataclass(frozen=True, kw_only=True)
class SurvivalFigure(Figure):
    """Working days to a step, Kaplan–Meier median and 90th percentile over the histogram of
    ``measure`` (still-open reports censored). ``observe(measures)`` gives one received
    report's (days, reached); ``p90_label`` names the page's second row."""

    measure: str = ""
    observe: Callable = field(default=None, compare=False, repr=False)
    p90_label: object = None
    kind = SURVIVAL

    def measures(self):
        return (self.measure,)

    def value(self, counts, histograms) -> Survival:
        return survival_of(self.definition, histograms.get(self.measure, {}))

    def as_dict(self, value: Survival) -> dict:
        return survival_dict(value)

    def csv_cells(self, item):
        cells = {f"median_days_to_{self.measure}": days_cell(item, "median_working_days")}
        # The median's interval (a snapshot frozen before the intervals: ``not_frozen``).
        for bound in ("low", "high"):
            key = f"median_ci_{bound}_working_days"
            cells[f"median_days_to_{self.measure}_ci_{bound}"] = (
                days_cell(item, key) if key in item else NOT_FROZEN)
        cells[f"p90_days_to_{self.measure}"] = days_cell(item, "p90_working_days")
        return cells

    def schema(self):
        return _ref("Survival")


@dataclass(frozen=True, kw_only=True)
class MeanFigure(Figure):
    """total ÷ n of two stored columns (a mean score), with ``decimals`` in JSON and CSV."""

    total: Stored | None = None
    n: Stored | None = None
    decimals: int = 2
    kind = MEAN

    def stored(self):
        return (self.total, self.n)

    def value(self, counts, histograms) -> Mean:
        return Mean(self.definition, counts[self.total.column], counts[self.n.column])

    def as_dict(self, value: Mean) -> dict:
        return {"definition": self.definition, "n": value.n, "too_small": value.too_small,
                "mean": None if value.value is None else round(value.value, self.decimals)}

    def csv_cells(self, item):
        mean = N_TOO_SMALL if item["too_small"] else f"{item['mean']:.{self.decimals}f}"
        return {f"{self.key}_mean": mean, f"{self.key}_n": item["n"]}

    def schema(self):
        return _closed({"definition": _string(), "n": _count(), "too_small": {"type": "boolean"},
                        "mean": {"type": ["number", "null"]}})
