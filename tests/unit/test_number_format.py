"""The pages' own number writing (labels.format_count, format_rate, format_interval) says
exactly what Babel's patterns would, in every language of the app: it only skips Babel's
pattern machinery per number (a figure page writes hundreds, issue 12)."""
from __future__ import annotations

import random

import pytest
from babel.numbers import format_decimal, format_percent
from flask_babel import force_locale

from app import labels
from app.services import statistics


def _pairs():
    rng = random.Random(12)
    pairs = [(0, 1), (1, 1), (32, 39), (1, 3), (2, 3), (999, 1000), (1, 2000), (1999, 2000),
             (0, 30), (30, 30), (1, 8), (5, 8)]
    pairs += [(rng.randint(0, d), d) for d in (rng.randint(1, 2_000_000) for _ in range(2000))]
    return pairs


@pytest.mark.parametrize("language", ["id", "en"])
def test_rates_intervals_and_counts_read_as_babel_writes_them(app, language):
    with app.test_request_context("/"), force_locale(language):
        for numerator, denominator in _pairs():
            assert labels.format_rate(numerator, denominator) == format_percent(
                statistics.percent_value(numerator, denominator), "#,##0.0%", locale=language)
            interval = statistics.percent_interval(numerator, denominator)
            expected = None if interval is None else tuple(
                format_decimal(bound * 100, "#,##0.0", locale=language) for bound in interval)
            assert labels.format_interval(numerator, denominator) == expected
        for number in (0, 7, 999, 1000, 12_345, 1_000_000, 987_654_321, -5, -1234):
            assert labels.format_count(number) == format_decimal(number, locale=language)


def test_outside_a_request_flask_babel_writes_them(app):
    from flask_babel import format_number as flask_babel_number, format_percent as flask_babel_percent

    with app.app_context():
        assert labels.format_count(1234) == flask_babel_number(1234)
        assert labels.format_rate(32, 39) == flask_babel_percent(statistics.percent_value(32, 39), "#,##0.0%")
