"""What the receipt announces: dates from the service levels, in working days."""
from datetime import date, datetime, timezone
from types import SimpleNamespace

from app.services import sla, tracking


def report(submitted_at, routed_at=None, agency=None, requested=None):
    return SimpleNamespace(submitted_at=submitted_at, routed_at=routed_at, agency=agency,
                           requested_agency=requested)


def test_verification_skips_the_weekend_and_the_follow_up_counts_from_its_last_day():
    # Friday 27 November 2026, 10:00 in Jakarta.
    friday = datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc)
    steps = tracking.next_steps(report(friday), friday)
    assert steps.verification_due == date(2026, 12, 2)  # Mon, Tue, Wed
    assert steps.verification_days == sla.VERIFICATION_DAYS
    assert steps.first_response_due == sla.add_working_days(date(2026, 12, 2), sla.FIRST_RESPONSE_DAYS)
    assert steps.resolution_days == sla.RESOLUTION_DAYS
    assert steps.agency_name is None and steps.agency_confirmed is False


def test_a_holiday_moves_the_verification_date():
    # Wednesday 23 December 2026: Christmas (and any cuti bersama) does not count.
    wednesday = datetime(2026, 12, 23, 3, 0, tzinfo=timezone.utc)
    due = tracking.next_steps(report(wednesday), wednesday).verification_due
    assert not sla.is_working_day(date(2026, 12, 25))
    assert due > date(2026, 12, 28)  # Thu 24, (Fri 25 skipped), Mon 28 would be only two
    assert sla.is_working_day(due)
    assert sla.working_days_between(date(2026, 12, 23), due) == sla.VERIFICATION_DAYS


def test_a_routed_report_counts_the_follow_up_from_routing_and_names_its_agency():
    filed = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
    routed = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
    agency = SimpleNamespace(name="Dinas Kesehatan Kota Padang")
    steps = tracking.next_steps(report(filed, routed, agency=agency), routed)
    assert steps.first_response_due == sla.add_working_days(date(2026, 11, 24), sla.FIRST_RESPONSE_DAYS)
    assert steps.agency_name == "Dinas Kesehatan Kota Padang" and steps.agency_confirmed


def test_the_agency_the_reporter_chose_is_named_as_a_choice():
    filed = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)
    chosen = SimpleNamespace(name="Pemerintah Kota Padang")
    steps = tracking.next_steps(report(filed, requested=chosen), filed)
    assert steps.agency_name == "Pemerintah Kota Padang" and not steps.agency_confirmed
