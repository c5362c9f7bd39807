"""Provisional months (issue 11): a month stays provisional for VERIFICATION_DAYS + the longest
resolution window working days after its last day; comparisons use the last complete month."""
from datetime import date

from app.services import sla
from app.services.statistics import provisional


def test_the_window_is_verification_plus_the_longest_resolution():
    assert provisional.window_working_days() == sla.VERIFICATION_DAYS + max(sla.RESOLUTION_DAYS.values()) == 63


def test_a_month_is_provisional_through_the_windows_last_working_day():
    through = provisional.provisional_through("2026-08")
    assert through == sla.add_working_days(date(2026, 8, 31), 63)
    assert provisional.is_provisional("2026-08", through)
    after = through.fromordinal(through.toordinal() + 1)
    assert not provisional.is_provisional("2026-08", after)


def test_the_last_complete_month():
    months = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    today = date(2026, 11, 20)
    assert provisional.provisional_months(months, today) == {"2026-08", "2026-09", "2026-10", "2026-11"}
    assert provisional.last_complete(months, today) == "2026-07"
    assert provisional.last_complete(["2026-11"], today) is None
