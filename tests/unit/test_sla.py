"""Working days and deadlines, always with an explicit ``now`` (Jakarta time, holidays skipped)."""
from datetime import date, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from app.extensions import db
from app.services import reporter, sla, workflow
from app.services.sla import (Hold, add_working_days, current_deadline, deadline, holidays_between,
                              is_working_day, local_date, working_days_between)
from tests import factories


def wib(y, m, d, hour=10, minute=0):
    """A moment given in Jakarta wall-clock time (UTC+7), as an aware UTC datetime."""
    return datetime(y, m, d, hour, minute, tzinfo=timezone.utc) - timedelta(hours=7)


MON = wib(2026, 11, 2)  # Monday 2 November 2026, 10:00 WIB; no holiday for weeks


class TestCalendar:
    @pytest.mark.parametrize("day, working", [
        (date(2026, 11, 2), True),    # Monday
        (date(2026, 11, 6), True),    # Friday
        (date(2026, 11, 7), False),   # Saturday
        (date(2026, 11, 8), False),   # Sunday
        (date(2026, 3, 18), False),   # cuti bersama Nyepi
        (date(2026, 3, 20), False),   # cuti bersama Idul Fitri
        (date(2026, 3, 23), False),   # cuti bersama Idul Fitri (Monday)
        (date(2026, 3, 24), False),   # cuti bersama Idul Fitri (Tuesday)
        (date(2026, 3, 25), True),
        (date(2026, 8, 17), False),   # Independence Day
        (date(2026, 12, 24), False),  # cuti bersama Natal
        (date(2026, 12, 25), False),  # Christmas
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),    # New Year
    ])
    def test_is_working_day(self, day, working):
        assert is_working_day(day) is working

    @pytest.mark.parametrize("day, words", [
        (date(2026, 3, 20), "Idul Fitri"),
        (date(2026, 3, 23), "Cuti Bersama"),
        (date(2026, 12, 24), "Natal"),
        (date(2027, 1, 1), "Tahun Baru"),
    ])
    def test_holidays_have_indonesian_names(self, day, words):
        assert words in sla.holiday_name(day)

    def test_english_names_too(self):
        assert "Eid al-Fitr" in sla.holiday_name(date(2026, 3, 20), "en")
        assert sla.holiday_name(date(2026, 11, 2)) is None

    @pytest.mark.parametrize("moment, day", [
        (datetime(2026, 11, 6, 16, 59, tzinfo=timezone.utc), date(2026, 11, 6)),
        (datetime(2026, 11, 6, 17, 0, tzinfo=timezone.utc), date(2026, 11, 7)),
        (datetime(2026, 12, 31, 18, 0, tzinfo=timezone.utc), date(2027, 1, 1)),
    ])
    def test_local_date_is_jakarta(self, moment, day):
        assert local_date(moment) == day


class TestAddWorkingDays:
    @pytest.mark.parametrize("start, days, due", [
        (date(2026, 11, 2), 0, date(2026, 11, 2)),
        (date(2026, 11, 2), 1, date(2026, 11, 3)),
        (date(2026, 11, 2), 3, date(2026, 11, 5)),
        (date(2026, 11, 2), 5, date(2026, 11, 9)),     # over one weekend
        (date(2026, 11, 6), 1, date(2026, 11, 9)),     # Friday + 1 = Monday
        (date(2026, 11, 7), 1, date(2026, 11, 9)),     # started on a Saturday
        (date(2026, 11, 8), 5, date(2026, 11, 13)),    # started on a Sunday
        (date(2026, 11, 2), 10, date(2026, 11, 16)),   # over two weekends
        (date(2026, 11, 2), 14, date(2026, 11, 20)),
    ])
    def test_weekends_are_skipped(self, start, days, due):
        assert add_working_days(start, days) == due

    @pytest.mark.parametrize("start, days, due", [
        (date(2026, 3, 17), 1, date(2026, 3, 25)),     # 18–24 March: Nyepi, Idul Fitri, cuti bersama
        (date(2026, 3, 16), 3, date(2026, 3, 26)),
        (date(2026, 3, 13), 5, date(2026, 3, 27)),
        (date(2026, 3, 17), 5, date(2026, 3, 31)),
    ])
    def test_idul_fitri_2026_and_its_cuti_bersama_are_skipped(self, start, days, due):
        assert add_working_days(start, days) == due

    @pytest.mark.parametrize("start, days, due", [
        (date(2026, 12, 23), 1, date(2026, 12, 28)),   # 24 cuti bersama, 25 Christmas, weekend
        (date(2026, 12, 23), 3, date(2026, 12, 30)),
        (date(2026, 12, 23), 4, date(2026, 12, 31)),
        (date(2026, 12, 23), 5, date(2027, 1, 4)),     # 1 January and the weekend skipped
        (date(2026, 12, 31), 1, date(2027, 1, 4)),
        (date(2026, 12, 31), 2, date(2027, 1, 6)),     # 5 January 2027: Isra Mi'raj
    ])
    def test_across_the_year_end(self, start, days, due):
        assert add_working_days(start, days) == due

    def test_sixty_working_days(self):
        # 2 Nov 2026 → 29 Jan 2027, skipping 24–25 Dec, 1 Jan and 5 Jan 2027.
        assert add_working_days(date(2026, 11, 2), 60) == date(2027, 1, 29)


class TestWorkingDaysBetween:
    @pytest.mark.parametrize("start, end, days", [
        (date(2026, 11, 2), date(2026, 11, 2), 0),
        (date(2026, 11, 2), date(2026, 11, 3), 1),
        (date(2026, 11, 6), date(2026, 11, 9), 1),     # Friday → Monday
        (date(2026, 11, 7), date(2026, 11, 8), 0),     # Saturday → Sunday
        (date(2026, 11, 2), date(2026, 11, 16), 10),
        (date(2026, 3, 17), date(2026, 3, 25), 1),
        (date(2026, 12, 23), date(2027, 1, 4), 5),
    ])
    def test_positive(self, start, end, days):
        assert working_days_between(start, end) == days

    @pytest.mark.parametrize("start, end, days", [
        (date(2026, 11, 3), date(2026, 11, 2), -1),
        (date(2026, 11, 9), date(2026, 11, 6), -1),
        (date(2026, 11, 16), date(2026, 11, 2), -10),
        (date(2027, 1, 4), date(2026, 12, 23), -5),
    ])
    def test_negative_when_the_end_is_before_the_start(self, start, end, days):
        assert working_days_between(start, end) == days

    @pytest.mark.parametrize("start, days", [(date(2026, 11, 2), 7), (date(2026, 3, 16), 3),
                                             (date(2026, 12, 22), 9)])
    def test_inverse_of_add_working_days(self, start, days):
        assert working_days_between(start, add_working_days(start, days)) == days


class TestHolidaysSkipped:
    def test_idul_fitri_deadline_lists_the_days_it_skipped(self):
        due = deadline(sla.VERIFICATION, wib(2026, 3, 16), 3, [], now=wib(2026, 3, 16, 11))
        assert due.due_on == date(2026, 3, 26)
        assert [d for d, _name in due.holidays_skipped] == [
            date(2026, 3, 18), date(2026, 3, 19), date(2026, 3, 20), date(2026, 3, 23),
            date(2026, 3, 24)]
        names = " ".join(name for _d, name in due.holidays_skipped)
        assert "Idul Fitri" in names and "Nyepi" in names

    def test_year_end_deadline_lists_christmas_and_new_year(self):
        due = deadline(sla.FIRST_RESPONSE, wib(2026, 12, 23), 5, [], now=wib(2026, 12, 23, 11))
        assert due.due_on == date(2027, 1, 4)
        assert [d for d, _n in due.holidays_skipped] == [date(2026, 12, 24), date(2026, 12, 25),
                                                         date(2027, 1, 1)]

    def test_holidays_on_a_weekend_are_not_listed(self):
        # 21–22 March 2026 (Idul Fitri) fall on Saturday and Sunday: nothing extra was skipped.
        assert holidays_between(date(2026, 3, 20), date(2026, 3, 23)) == [
            (date(2026, 3, 23), sla.holiday_name(date(2026, 3, 23)))]

    def test_an_ordinary_fortnight_skips_no_holiday(self):
        due = deadline(sla.RESOLUTION, MON, 10, [], now=MON)
        assert due.holidays_skipped == ()


class TestDeadline:
    def test_counts_from_the_jakarta_day_of_the_start(self):
        # Friday 6 November, 01:00 on Saturday in Jakarta: the clock starts on Saturday.
        started = datetime(2026, 11, 6, 18, 0, tzinfo=timezone.utc)
        due = deadline(sla.VERIFICATION, started, 3, [], now=started)
        assert due.starts_on == date(2026, 11, 7)
        assert due.due_on == date(2026, 11, 11)

    @pytest.mark.parametrize("now, left, overdue", [
        (wib(2026, 11, 2), 3, False),
        (wib(2026, 11, 4), 1, False),
        (wib(2026, 11, 5, 23, 59), 0, False),   # the whole due day still counts
        (wib(2026, 11, 6), -1, True),
        (wib(2026, 11, 9), -2, True),
    ])
    def test_working_days_left_and_overdue(self, now, left, overdue):
        due = deadline(sla.VERIFICATION, MON, 3, [], now)
        assert due.due_on == date(2026, 11, 5)
        assert due.working_days_left == left
        assert due.is_overdue is overdue
        assert due.working_days == 3

    def test_a_finished_hold_extends_by_the_working_days_on_hold(self):
        # On hold from Wednesday to Friday: Thursday and Friday did not count.
        hold = Hold(started=wib(2026, 11, 4), ended=wib(2026, 11, 6))
        plain = deadline(sla.FIRST_RESPONSE, MON, 5, [], now=wib(2026, 11, 9))
        held = deadline(sla.FIRST_RESPONSE, MON, 5, [hold], now=wib(2026, 11, 9))
        assert plain.due_on == date(2026, 11, 9)
        assert held.due_on == date(2026, 11, 11)
        assert held.paused is False
        assert held.working_days == 5

    def test_a_hold_over_a_weekend_extends_only_by_working_days(self):
        hold = Hold(started=wib(2026, 11, 6), ended=wib(2026, 11, 9))  # Friday → Monday
        held = deadline(sla.FIRST_RESPONSE, MON, 5, [hold], now=wib(2026, 11, 10))
        assert held.due_on == date(2026, 11, 10)

    def test_several_holds_add_up(self):
        holds = [Hold(wib(2026, 11, 3), wib(2026, 11, 4)), Hold(wib(2026, 11, 10), wib(2026, 11, 12))]
        held = deadline(sla.RESOLUTION, MON, 14, holds, now=wib(2026, 11, 13))
        assert held.due_on == add_working_days(date(2026, 11, 2), 14 + 1 + 2)

    def test_an_ongoing_hold_pauses_and_keeps_extending(self):
        hold = Hold(started=wib(2026, 11, 4))
        on_friday = deadline(sla.FIRST_RESPONSE, MON, 5, [hold], now=wib(2026, 11, 6))
        on_monday = deadline(sla.FIRST_RESPONSE, MON, 5, [hold], now=wib(2026, 11, 9))
        assert on_friday.paused and on_monday.paused
        assert on_friday.due_on == date(2026, 11, 11)   # 2 working days on hold so far
        assert on_monday.due_on == date(2026, 11, 12)   # 3 working days on hold so far

    def test_a_hold_before_the_clock_started_does_not_count(self):
        earlier = Hold(started=MON - timedelta(days=3), ended=MON - timedelta(days=1))
        due = deadline(sla.FIRST_RESPONSE, MON, 5, [earlier], now=wib(2026, 11, 3))
        assert due.due_on == date(2026, 11, 9)
        assert due.paused is False


def report_like(status, **fields):
    values = dict(status=status, submitted_at=MON, routed_at=None, first_response_at=None,
                  resolved_at=None, reopened_at=None, resolution_class=None, status_before_hold=None)
    values.update(fields)
    return SimpleNamespace(**values)


ROUTED = MON + timedelta(days=1)          # Tuesday 3 November
RESPONDED = MON + timedelta(days=2)
RESOLVED = MON + timedelta(days=7)        # Monday 9 November


class TestCurrentDeadline:
    @pytest.mark.parametrize("report, clock, days, due", [
        (report_like("submitted"), sla.VERIFICATION, 3, date(2026, 11, 5)),
        (report_like("routed", routed_at=ROUTED), sla.FIRST_RESPONSE, 5, date(2026, 11, 10)),
        (report_like("in_progress", routed_at=ROUTED, first_response_at=RESPONDED,
                     resolution_class="ringan"), sla.RESOLUTION, 5, date(2026, 11, 10)),
        (report_like("in_progress", routed_at=ROUTED, first_response_at=RESPONDED,
                     resolution_class="sedang"), sla.RESOLUTION, 14, date(2026, 11, 23)),
        (report_like("in_progress", routed_at=ROUTED, first_response_at=RESPONDED,
                     resolution_class="berat"), sla.RESOLUTION, 60,
         add_working_days(date(2026, 11, 3), 60)),
        (report_like("in_progress", routed_at=ROUTED, first_response_at=RESPONDED),
         sla.RESOLUTION, 14, date(2026, 11, 23)),   # no class yet: sedang
        (report_like("routed", routed_at=ROUTED, first_response_at=RESPONDED,
                     resolution_class="ringan"), sla.RESOLUTION, 5, date(2026, 11, 10)),
        (report_like("resolved", routed_at=ROUTED, first_response_at=RESPONDED, resolved_at=RESOLVED,
                     resolution_class="ringan"), sla.REPORTER_ANSWER, 10, date(2026, 11, 23)),
    ], ids=["submitted", "routed", "ringan", "sedang", "berat", "no-class", "routed-answered",
            "resolved"])
    def test_the_clock_follows_the_status(self, report, clock, days, due):
        current = current_deadline(report, [], now=MON + timedelta(days=1))
        assert (current.clock, current.working_days, current.due_on) == (clock, days, due)
        assert current.paused is False

    def test_berat_is_sixty_working_days(self):
        report = report_like("in_progress", routed_at=MON, first_response_at=RESPONDED,
                             resolution_class="berat")
        assert current_deadline(report, [], now=MON).due_on == date(2027, 1, 29)

    @pytest.mark.parametrize("status", ["closed", "archived"])
    def test_no_deadline_once_finished(self, status):
        report = report_like(status, routed_at=ROUTED, resolved_at=RESOLVED)
        assert current_deadline(report, [], now=RESOLVED) is None

    @pytest.mark.parametrize("before, clock", [
        ("submitted", sla.VERIFICATION),
        ("routed", sla.FIRST_RESPONSE),
        ("in_progress", sla.RESOLUTION),
    ])
    def test_on_hold_keeps_the_clock_it_paused(self, before, clock):
        hold = Hold(started=wib(2026, 11, 4))
        report = report_like("on_hold", status_before_hold=before, routed_at=ROUTED,
                             first_response_at=RESPONDED if before == "in_progress" else None,
                             resolution_class="ringan")
        current = current_deadline(report, [hold], now=wib(2026, 11, 6))
        assert current.clock == clock
        assert current.paused is True

    def test_reporter_answer_clock_ignores_earlier_holds(self):
        hold = Hold(started=wib(2026, 11, 4), ended=wib(2026, 11, 6))
        report = report_like("resolved", routed_at=ROUTED, resolved_at=RESOLVED)
        assert current_deadline(report, [hold], now=RESOLVED).due_on == date(2026, 11, 23)


class TestDeadlinesOfRealReports:
    """The same clocks, read from a report's own timeline."""

    def test_submitted(self, db_session):
        report = factories.report_in_status("submitted", now=MON)
        current = reporter.current_deadline(report, now=MON)
        assert (current.clock, current.due_on) == (sla.VERIFICATION, date(2026, 11, 5))
        assert report.due_on == date(2026, 11, 5) and report.due_clock == sla.VERIFICATION

    def test_a_request_for_information_is_the_first_follow_up(self, db_session):
        # docs/domain.md: the first follow-up is any public step of the agency. Asking the
        # reporter for information on day 2 meets the first follow-up clock; after the reporter's
        # answer the resolution clock applies (extended by the two working days on hold).
        report = factories.report_in_status("routed", now=MON)   # routed at 11:00 WIB on Monday
        assert reporter.current_deadline(report, MON).due_on == date(2026, 11, 9)
        workflow.apply(report, "request_info", factories.actor("officer"), wib(2026, 11, 4),
                       workflow.ActionInput(text="Mohon foto lokasi."))
        assert report.first_response_at == wib(2026, 11, 4)
        paused = reporter.current_deadline(report, wib(2026, 11, 5))
        assert paused.paused and paused.clock == sla.RESOLUTION
        assert report.due_on is None  # nothing to sort on while paused
        workflow.apply(report, "reporter_reply", workflow.Actor.reporter(), wib(2026, 11, 6),
                       workflow.ActionInput(text="Foto terlampir."))
        db.session.flush()
        resumed = reporter.current_deadline(report, wib(2026, 11, 6))
        assert resumed.paused is False
        assert resumed.clock == sla.RESOLUTION  # "sedang": 14 working days + 2 on hold
        assert resumed.due_on == add_working_days(date(2026, 11, 2), 16) == date(2026, 11, 24)
        assert (report.due_on, report.due_clock) == (date(2026, 11, 24), sla.RESOLUTION)
        assert report.status == "routed"

    def test_the_national_admins_request_is_not_the_agencys_follow_up(self, db_session):
        report = factories.report_in_status("routed", now=MON)
        workflow.apply(report, "request_info", factories.actor("national_admin"), wib(2026, 11, 4),
                       workflow.ActionInput(text="Mohon foto lokasi."))
        workflow.apply(report, "reporter_reply", workflow.Actor.reporter(), wib(2026, 11, 6),
                       workflow.ActionInput(text="Foto terlampir."))
        db.session.flush()
        assert report.first_response_at is None
        resumed = reporter.current_deadline(report, wib(2026, 11, 6))
        assert (resumed.clock, resumed.due_on) == (sla.FIRST_RESPONSE, date(2026, 11, 11))

    @pytest.mark.parametrize("role", ["officer", "agency_admin"])
    @pytest.mark.parametrize("action", ["respond", "request_info", "resolve"])
    def test_every_public_step_of_the_agency_sets_the_first_response(self, db_session, role, action):
        report = factories.report_in_status("routed", now=MON)
        workflow.apply(report, action, factories.actor(role), wib(2026, 11, 3),
                       workflow.ActionInput(text="Langkah instansi."))
        assert report.first_response_at == wib(2026, 11, 3)
        assert sla.FIRST_RESPONSE_ACTIONS == {"respond", "request_info", "resolve"}

    def test_a_note_is_not_a_follow_up(self, db_session):
        report = factories.report_in_status("routed", now=MON)
        workflow.apply(report, "note", factories.actor("officer"), wib(2026, 11, 3),
                       workflow.ActionInput(text="Catatan internal."))
        assert report.first_response_at is None
        assert reporter.current_deadline(report, wib(2026, 11, 3)).clock == sla.FIRST_RESPONSE


class TestHoldsOnlyBeforeTheDueDate:
    """A hold extends a clock only when it began on or before the (extended) due date."""

    def test_a_hold_after_the_due_date_does_not_push_it_back(self):
        # First follow-up due Monday 9 November; on hold from Wednesday 11th to Friday 13th.
        late_hold = Hold(started=wib(2026, 11, 11), ended=wib(2026, 11, 13))
        due = deadline(sla.FIRST_RESPONSE, MON, 5, [late_hold], now=wib(2026, 11, 16))
        assert due.due_on == date(2026, 11, 9)
        assert due.held_days == 0
        assert due.working_days_left == -5  # "5 working days late" does not shrink to 3

    def test_an_ongoing_hold_after_the_due_date_leaves_the_clock_overdue_not_paused(self):
        late_hold = Hold(started=wib(2026, 11, 11))
        due = deadline(sla.FIRST_RESPONSE, MON, 5, [late_hold], now=wib(2026, 11, 16))
        assert due.due_on == date(2026, 11, 9)
        assert due.paused is False and due.is_overdue

    def test_a_hold_that_begins_on_the_due_day_still_extends(self):
        on_the_day = Hold(started=wib(2026, 11, 9, 15), ended=wib(2026, 11, 11))
        due = deadline(sla.FIRST_RESPONSE, MON, 5, [on_the_day], now=wib(2026, 11, 12))
        assert (due.due_on, due.held_days) == (date(2026, 11, 11), 2)

    def test_a_second_hold_within_the_extended_deadline_counts_too(self):
        # Due 9 Nov; a first hold (3rd → 5th) moves it to the 11th; a second one that begins on
        # the 10th (after the original due date, before the extended one) counts as well.
        holds = [Hold(wib(2026, 11, 3), wib(2026, 11, 5)), Hold(wib(2026, 11, 10), wib(2026, 11, 12))]
        due = deadline(sla.FIRST_RESPONSE, MON, 5, holds, now=wib(2026, 11, 20))
        assert (due.due_on, due.held_days) == (date(2026, 11, 13), 4)

    def test_holds_after_the_end_of_a_clock_do_not_count(self):
        # Measured at its end (the answer on the 10th), a hold that begins at the answer or later
        # is not part of the clock.
        holds = [Hold(wib(2026, 11, 10), wib(2026, 11, 17))]
        run = sla.judge(sla.FIRST_RESPONSE, MON, 5, holds, now=wib(2026, 11, 20),
                        met_at=wib(2026, 11, 10))
        assert (run.deadline.due_on, run.outcome, run.met) == (date(2026, 11, 9), sla.MISSED, False)


class TestJudge:
    @pytest.mark.parametrize("step, outcome", [
        (wib(2026, 11, 9, 23, 59), sla.MET),     # the whole due day counts
        (wib(2026, 11, 10, 0, 1), sla.MISSED),
    ])
    def test_the_calendar_day_of_the_step_decides(self, step, outcome):
        run = sla.judge(sla.FIRST_RESPONSE, MON, 5, [], now=wib(2026, 11, 20), met_at=step)
        assert run.outcome == outcome

    def test_a_saturday_answer_to_a_friday_deadline_is_late(self):
        friday_due = wib(2026, 11, 13) - timedelta(days=7)  # started Friday 6th: due Friday 13th
        run = sla.judge(sla.FIRST_RESPONSE, friday_due, 5, [], now=wib(2026, 11, 20),
                        met_at=wib(2026, 11, 14))
        assert run.deadline.due_on == date(2026, 11, 13)
        assert run.outcome == sla.MISSED

    @pytest.mark.parametrize("now, outcome, met", [
        (wib(2026, 11, 9), sla.RUNNING, None),
        (wib(2026, 11, 10), sla.MISSED, False),
    ])
    def test_an_open_clock_is_running_until_its_due_date_passes(self, now, outcome, met):
        run = sla.judge(sla.FIRST_RESPONSE, MON, 5, [], now=now)
        assert (run.outcome, run.met, run.completed) == (outcome, met, False)

    def test_stopped_before_the_due_date(self):
        run = sla.judge(sla.FIRST_RESPONSE, MON, 5, [], now=wib(2026, 11, 20),
                        stopped_at=wib(2026, 11, 4))
        assert (run.outcome, run.met, run.completed) == (sla.STOPPED, None, False)


    @pytest.mark.parametrize("met_at", [None, wib(2026, 11, 4)])
    def test_a_stop_after_the_due_date_is_missed_but_not_a_step(self, met_at):
        # Archived (or transferred away) on Wednesday 11th, due Monday 9th: late when nothing
        # was done, and still not the agency's step; with a step before it, the step decides.
        stop = wib(2026, 11, 11)
        run = sla.judge(sla.FIRST_RESPONSE, MON, 5, [], now=wib(2026, 11, 20),
                        met_at=met_at, stopped_at=None if met_at else stop)
        if met_at is None:
            assert (run.outcome, run.met, run.completed) == (sla.MISSED, False, False)
            assert (run.step_at, run.stopped_at, run.ended_at) == (None, stop, stop)
        else:
            assert (run.outcome, run.met, run.completed) == (sla.MET, True, True)
            assert (run.step_at, run.stopped_at, run.ended_at) == (met_at, None, met_at)

    def test_a_step_wins_over_a_later_stop(self):
        run = sla.judge(sla.FIRST_RESPONSE, MON, 5, [], now=wib(2026, 11, 20),
                        met_at=wib(2026, 11, 10), stopped_at=wib(2026, 11, 11))
        assert (run.outcome, run.completed, run.stopped_at) == (sla.MISSED, True, None)

    def test_a_hold_after_the_due_date_neither_stops_nor_steps(self):
        holds = [Hold(wib(2026, 11, 11))]
        run = sla.judge(sla.FIRST_RESPONSE, MON, 5, holds, now=wib(2026, 11, 20))
        assert (run.outcome, run.completed, run.ended_at) == (sla.MISSED, False, None)


class TestReopenedResolutionClock:
    def test_a_dispute_starts_a_fresh_resolution_clock(self):
        report = report_like("in_progress", routed_at=MON, first_response_at=MON,
                             reopened_at=wib(2026, 11, 16), resolution_class="ringan")
        current = current_deadline(report, [], now=wib(2026, 11, 16, 11))
        assert (current.clock, current.starts_on, current.due_on) == (
            sla.RESOLUTION, date(2026, 11, 16), date(2026, 11, 23))
        assert not current.is_overdue  # the old clock (due 9 November) is not held against it

    def test_holds_before_the_dispute_do_not_extend_the_fresh_clock(self):
        report = report_like("in_progress", routed_at=MON, first_response_at=MON,
                             reopened_at=wib(2026, 11, 16), resolution_class="ringan")
        earlier = Hold(wib(2026, 11, 3), wib(2026, 11, 5))
        assert current_deadline(report, [earlier], now=wib(2026, 11, 16)).due_on == date(2026, 11, 23)
