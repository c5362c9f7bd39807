"""Each statistics definition checked on hand-built cases."""
from datetime import date, datetime, timedelta, timezone

import pytest

from app.extensions import db
from app.models import Report
from app.services import statistics, workflow
from app.services.statistics import Rate, kaplan_meier_quantiles
from tests import factories

ADMIN = workflow.Actor(kind="officer", role="national_admin")
# Monday 2 November 2026, 09:00 WIB; no holidays in the following weeks.
MONDAY = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
PERIOD = "2026-11"


def officer_of(slug):
    return workflow.Actor(kind="officer", role="officer", agency_id=factories.agency(slug).id)


def day(n, hour=2):
    """``n`` calendar days after MONDAY."""
    return MONDAY + timedelta(days=n, hours=hour - 2)


def routed_report(slug="dinkes-kota-padang", submitted=MONDAY, routed_after=0, **overrides):
    overrides.setdefault("incident_date", date(2026, 10, 30))
    receipt = factories.file_report(now=submitted, **overrides)
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", ADMIN, submitted + timedelta(days=routed_after, hours=1),
                   workflow.ActionInput(agency=factories.agency(slug), resolution_class="ringan"))
    return report


def rebuild(now, *slugs):
    for slug in slugs:
        statistics.refresh_pair(factories.agency(slug).id, PERIOD, now)
    statistics.refresh_national(PERIOD, now)
    db.session.flush()


def figures_of(slug):
    return statistics.figures([factories.agency(slug).id], [PERIOD])


class TestKaplanMeier:
    def test_all_observed(self):
        q = kaplan_meier_quantiles({1: (1, 0), 2: (1, 0), 3: (1, 0), 4: (1, 0)})
        assert q == {0.5: 2, 0.9: 4}

    def test_open_cases_keep_an_agency_from_looking_fast(self):
        # Two answered on day 1, eight still open after 10 working days: the naive median of
        # answered cases would be 1 day; with censoring fewer than half are answered at all.
        q = kaplan_meier_quantiles({1: (2, 0), 10: (0, 8)})
        assert q[0.5] is None

    def test_censoring_reduces_the_risk_set(self):
        # 4 at risk; day 1: 1 event (S=.75); day 2: 1 censored; day 3: 2 at risk, 1 event (S=.375)
        q = kaplan_meier_quantiles({1: (1, 0), 2: (0, 1), 3: (1, 0), 4: (0, 1)})
        assert q[0.5] == 3
        assert q[0.9] is None

    def test_empty(self):
        assert kaplan_meier_quantiles({}) == {0.5: None, 0.9: None}


class TestRates:
    @pytest.mark.parametrize("n, shown", [(9, False), (10, True)])
    def test_small_number_rule(self, n, shown):
        rate = Rate("follow_up_rate.v1", n - 1, n)
        assert (rate.value is not None) is shown
        assert rate.too_small is (not shown)


def test_received_counts_the_responsible_agency_and_confidential_reports(db_session):
    routed_report()
    routed_report(is_confidential=True)
    rebuild(day(1), "dinkes-kota-padang")
    fig = figures_of("dinkes-kota-padang")
    assert fig.received == 2
    assert fig.confidential == 1


def test_archived_before_routing_is_not_received(db_session):
    receipt = factories.file_report(now=MONDAY, incident_date=date(2026, 10, 30))
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "archive", ADMIN, day(1), workflow.ActionInput(reason="spam"))
    routed_report()
    rebuild(day(2), "dinkes-kota-padang")
    assert figures_of("dinkes-kota-padang").received == 1
    assert statistics.figures(None, [PERIOD]).received == 1


def test_transfer_counts_against_the_sender_and_the_report_goes_to_the_receiver(db_session):
    report = routed_report("dinkes-kota-padang")
    workflow.apply(report, "transfer", officer_of("dinkes-kota-padang"), day(1),
                   workflow.ActionInput(agency=factories.agency("kemenkes"), reason="Bukan wewenang"))
    rebuild(day(2), "dinkes-kota-padang", "kemenkes")
    sender, receiver = figures_of("dinkes-kota-padang"), figures_of("kemenkes")
    assert (sender.received, sender.transfers_out, sender.routed_in) == (0, 1, 1)
    assert (receiver.received, receiver.transfers_out, receiver.routed_in) == (1, 0, 1)


def test_follow_up_time_on_time_and_censoring(db_session):
    answered = routed_report()
    workflow.apply(answered, "respond", officer_of("dinkes-kota-padang"), day(2),
                   workflow.ActionInput(text="Sedang kami periksa."))
    late = routed_report()
    workflow.apply(late, "respond", officer_of("dinkes-kota-padang"), day(9),  # Wed next week: 7 wd
                   workflow.ActionInput(text="Maaf terlambat."))
    routed_report()  # never answered, still open
    now = day(14)  # Monday two weeks later: the open one is 10 working days old
    rebuild(now, "dinkes-kota-padang")
    fig = figures_of("dinkes-kota-padang")
    assert fig.followed_up == 2
    assert fig.follow_up_rate.numerator == 2 and fig.follow_up_rate.denominator == 3
    assert fig.follow_up_rate.value is None  # n = 3 < 10
    # On time: the answered-in-2-days one only; the open one's deadline has passed, so it counts.
    assert (fig.on_time.numerator, fig.on_time.denominator) == (1, 3)
    assert fig.first_response.n == 3 and fig.first_response.observed == 2


def test_time_on_hold_is_not_counted(db_session):
    report = routed_report()
    agency = officer_of("dinkes-kota-padang")
    workflow.apply(report, "request_info", agency, day(1), workflow.ActionInput(text="Alamat lengkap?"))
    workflow.apply(report, "reporter_reply", workflow.Actor.reporter(), day(8),
                   workflow.ActionInput(text="Jl. Contoh"))
    # request_info is itself a public follow-up on day 1 (1 working day)
    measures = statistics.measure(report, report.events, day(10))
    assert measures.followed_up and measures.first_response_days == 1
    workflow.apply(report, "resolve", agency, day(9), workflow.ActionInput(text="Selesai."))
    measures = statistics.measure(report, report.events, day(10))
    # Routed Mon 2 Nov, resolved Wed 11 Nov: 7 working days (3–6, 9–11 Nov), of which the five
    # from 4 to 10 Nov were on hold (asked Tue 3, answered Tue 10) → 2 working days count.
    assert measures.resolution_observed
    assert measures.resolution_days == 2


def test_disputes_and_resolution(db_session):
    report = routed_report()
    agency = officer_of("dinkes-kota-padang")
    workflow.apply(report, "resolve", agency, day(1), workflow.ActionInput(text="Sudah diperbaiki."))
    workflow.apply(report, "dispute", workflow.Actor.reporter(), day(2),
                   workflow.ActionInput(reason="Belum diperbaiki."))
    other = routed_report()
    workflow.apply(other, "resolve", agency, day(1), workflow.ActionInput(text="Beres."))
    rebuild(day(3), "dinkes-kota-padang")
    fig = figures_of("dinkes-kota-padang")
    assert fig.resolved == 1  # the disputed one is in progress again
    assert fig.disputed == 1
    # Over the reports the agency resolved at least once, the reopened one included.
    assert (fig.dispute_rate.numerator, fig.dispute_rate.denominator) == (1, 2)
    assert fig.dispute_rate.definition == "dispute_rate.v3"


def test_rollups_are_maintained_from_dirty_marks(db_session):
    routed_report()
    assert (factories.agency("dinkes-kota-padang").id, PERIOD) in statistics.dirty_pairs()
    statistics.refresh_dirty(day(1))
    assert statistics.dirty_pairs() == []
    assert figures_of("dinkes-kota-padang").received == 1
    assert statistics.figures(None, [PERIOD]).received == 1  # the national row was rebuilt too


def test_months_back():
    assert statistics.months_back(date(2026, 2, 10), 3) == ["2025-12", "2026-01", "2026-02"]


def admin_of(slug):
    return workflow.Actor(kind="officer", role="agency_admin", agency_id=factories.agency(slug).id)


REPORTER = workflow.Actor.reporter()


# --- whose step counts -------------------------------------------------------------------------

@pytest.mark.parametrize("action", ["respond", "request_info", "resolve"])
def test_the_parent_agencys_admin_follows_up_for_the_unit(db_session, action):
    """Pemkot Padang's admin may act on Dinkes Padang's reports: that is Dinkes' follow-up."""
    report = routed_report("dinkes-kota-padang")
    workflow.apply(report, action, admin_of("pemkot-padang"), day(1),
                   workflow.ActionInput(text="Ditangani oleh admin Pemkot."))
    measures = statistics.measure(report, report.events, day(3))
    assert measures.followed_up and measures.first_response_observed
    assert measures.first_response_days == 1 and measures.on_time_answered
    assert measures.resolution_observed is (action == "resolve")
    rebuild(day(3), "dinkes-kota-padang", "pemkot-padang")
    assert figures_of("dinkes-kota-padang").followed_up == 1
    assert figures_of("pemkot-padang").received == 0


def test_the_parent_admins_resolution_counts_for_the_unit(db_session):
    report = routed_report("dinkes-kota-padang")
    workflow.apply(report, "respond", officer_of("dinkes-kota-padang"), day(1),
                   workflow.ActionInput(text="Kami periksa."))
    workflow.apply(report, "resolve", admin_of("pemkot-padang"), day(2),
                   workflow.ActionInput(text="Selesai."))
    measures = statistics.measure(report, report.events, day(3))
    assert measures.resolution_observed and measures.resolution_days == 2
    assert measures.ever_resolved


def test_a_national_admins_request_is_not_the_agencys_follow_up(db_session):
    report = routed_report("dinkes-kota-padang")
    workflow.apply(report, "request_info", ADMIN, day(1), workflow.ActionInput(text="Lokasi?"))
    workflow.apply(report, "reporter_reply", REPORTER, day(2), workflow.ActionInput(text="Di sini."))
    measures = statistics.measure(report, report.events, day(3))
    assert not measures.followed_up and not measures.first_response_observed


def test_a_transfer_by_the_parent_admin_counts_against_the_unit_it_left(db_session):
    report = routed_report("dinkes-kota-padang")
    workflow.apply(report, "transfer", admin_of("pemkot-padang"), day(1),
                   workflow.ActionInput(agency=factories.agency("kemenkes"), reason="Wewenang pusat"))
    rebuild(day(2), "dinkes-kota-padang", "pemkot-padang", "kemenkes")
    assert figures_of("dinkes-kota-padang").transfers_out == 1
    assert figures_of("pemkot-padang").transfers_out == 0


def test_steps_before_the_last_arrival_do_not_count_for_the_receiver(db_session):
    report = routed_report("dinkes-kota-padang")
    dinkes = officer_of("dinkes-kota-padang")
    workflow.apply(report, "respond", dinkes, day(1), workflow.ActionInput(text="Kami periksa."))
    workflow.apply(report, "transfer", dinkes, day(2),
                   workflow.ActionInput(agency=factories.agency("kemenkes"), reason="Bukan wewenang"))
    measures = statistics.measure(report, report.events, day(4))  # Friday: 2 wd at Kemenkes
    assert not measures.followed_up
    assert measures.first_response_days == 2 and not measures.on_time_eligible


# --- on time -----------------------------------------------------------------------------------

def test_a_late_answer_stays_late_whatever_happens_after_it(db_session):
    """Answered after 7 working days, then the officer asks for information and the reporter
    takes a week: the answer was late, and the figure says so."""
    report = routed_report()  # Monday 2 November; due Monday 9
    agency = officer_of("dinkes-kota-padang")
    workflow.apply(report, "respond", agency, day(9), workflow.ActionInput(text="Maaf terlambat."))
    workflow.apply(report, "request_info", agency, day(10), workflow.ActionInput(text="Foto?"))
    workflow.apply(report, "reporter_reply", REPORTER, day(17), workflow.ActionInput(text="Ini."))
    measures = statistics.measure(report, report.events, day(21))
    assert measures.on_time_eligible and not measures.on_time_answered
    assert measures.first_response_days == 7


def test_time_waiting_for_the_reporter_before_the_answer_extends_the_deadline(db_session):
    report = routed_report()  # Monday 2 November; due Monday 9 without the hold
    workflow.apply(report, "request_info", ADMIN, day(1), workflow.ActionInput(text="Lokasi?"))
    workflow.apply(report, "reporter_reply", REPORTER, day(8), workflow.ActionInput(text="Di sini."))
    # Five working days on hold (4–10 November): due Monday 16; answered Wednesday 11.
    workflow.apply(report, "respond", officer_of("dinkes-kota-padang"), day(9),
                   workflow.ActionInput(text="Kami periksa."))
    measures = statistics.measure(report, report.events, day(21))
    assert measures.on_time_eligible and measures.on_time_answered
    assert measures.first_response_days == 2


def test_a_saturday_answer_to_a_friday_deadline_is_late_on_the_board_and_in_the_figure(db_session):
    from app.services import board

    report = routed_report(submitted=MONDAY + timedelta(days=4))  # Friday 6 Nov; due Friday 13
    workflow.apply(report, "respond", officer_of("dinkes-kota-padang"), day(12),  # Saturday 14
                   workflow.ActionInput(text="Kami periksa."))
    measures = statistics.measure(report, report.events, day(21))
    first = board.deadlines_met(report, day(21))[0]
    assert (first.clock, first.due_on) == ("first_response", date(2026, 11, 13))
    assert first.met is False
    assert measures.on_time_eligible and not measures.on_time_answered


@pytest.mark.parametrize("steps, now", [
    ([], 3), ([], 8),
    ([("respond", 2)], 20), ([("respond", 9)], 20),
    ([("request_info", 1), ("reporter_reply", 8)], 20),
    ([("admin_request_info", 1), ("reporter_reply", 8), ("respond", 9)], 20),
    ([("admin_request_info", 1)], 20),
    ([("resolve", 1), ("dispute", 11)], 12), ([("resolve", 1), ("dispute", 11)], 25),
    ([("respond", 12), ("request_info", 13)], 30),
])
def test_the_board_and_the_on_time_figure_always_agree(db_session, steps, now):
    from app.services import board

    report = routed_report()
    agency = officer_of("dinkes-kota-padang")
    for action, n in steps:
        actor = {"reporter_reply": REPORTER, "dispute": REPORTER, "admin_request_info": ADMIN}.get(action, agency)
        workflow.apply(report, action.removeprefix("admin_"), actor, day(n),
                       workflow.ActionInput(text="Teks.", reason="Alasan."))
    measures = statistics.measure(report, report.events, day(now))
    first = board.deadlines_met(report, day(now))[0]
    assert measures.on_time_eligible is (first.met is not None)
    assert measures.on_time_answered is (first.met is True)


# --- disputes ----------------------------------------------------------------------------------

def test_the_dispute_rate_never_exceeds_one_hundred_percent(db_session):
    agency = officer_of("dinkes-kota-padang")
    for n in range(12):
        report = routed_report()
        workflow.apply(report, "resolve", agency, day(1), workflow.ActionInput(text="Beres."))
        if n < 10:  # ten of them disputed and reopened: in progress again, not "resolved" now
            workflow.apply(report, "dispute", REPORTER, day(2), workflow.ActionInput(reason="Belum."))
    rebuild(day(3), "dinkes-kota-padang")
    fig = figures_of("dinkes-kota-padang")
    assert fig.resolved == 2 and fig.ever_resolved == 12
    assert (fig.dispute_rate.numerator, fig.dispute_rate.denominator) == (10, 12)
    assert fig.dispute_rate.value == pytest.approx(10 / 12)
    national = statistics.figures(None, [PERIOD]).dispute_rate
    assert national.numerator <= national.denominator


def test_a_dispute_at_the_previous_agency_is_not_the_receivers(db_session):
    report = routed_report("dinkes-kota-padang")
    dinkes = officer_of("dinkes-kota-padang")
    workflow.apply(report, "resolve", dinkes, day(1), workflow.ActionInput(text="Beres."))
    workflow.apply(report, "dispute", REPORTER, day(2), workflow.ActionInput(reason="Belum."))
    workflow.apply(report, "transfer", dinkes, day(3),
                   workflow.ActionInput(agency=factories.agency("kemenkes"), reason="Wewenang pusat"))
    workflow.apply(report, "resolve", officer_of("kemenkes"), day(4), workflow.ActionInput(text="Beres."))
    rebuild(day(5), "dinkes-kota-padang", "kemenkes")
    receiver = figures_of("kemenkes")
    assert (receiver.disputed, receiver.ever_resolved, receiver.resolved) == (0, 1, 1)
    assert receiver.dispute_rate.numerator == 0


def test_time_to_resolution_is_measured_to_the_first_resolution(db_session):
    report = routed_report()
    agency = officer_of("dinkes-kota-padang")
    workflow.apply(report, "resolve", agency, day(1), workflow.ActionInput(text="Beres."))
    workflow.apply(report, "dispute", REPORTER, day(2), workflow.ActionInput(reason="Belum."))
    workflow.apply(report, "resolve", agency, day(9), workflow.ActionInput(text="Kini beres."))
    measures = statistics.measure(report, report.events, day(10))
    assert measures.resolution_observed and measures.resolution_days == 1
    assert measures.disputed and measures.ever_resolved


# --- methodology versions ------------------------------------------------------------------------

def test_every_figure_names_a_current_definition(db_session):
    fig = statistics.figures(None, [PERIOD])
    named = set(fig.definitions.values()) | {
        fig.follow_up_rate.definition, fig.completion_rate.definition, fig.transfer_rate.definition,
        fig.dispute_rate.definition, fig.on_time.definition, fig.first_response.definition,
        fig.resolution.definition}
    assert named <= set(statistics.DEFINITIONS)
    assert not set(statistics.DEFINITIONS) & set(statistics.SUPERSEDED_DEFINITIONS)
    for _old, version, replaced_by in statistics.SUPERSEDED_DEFINITIONS.values():
        assert version < statistics.METHODOLOGY_VERSION
        # Each superseded id leads, through its successors, to a current definition.
        while replaced_by not in statistics.DEFINITIONS:
            successor, successor_version, replaced_by = statistics.SUPERSEDED_DEFINITIONS[replaced_by]
            assert successor_version > version
            version = successor_version


# --- a stop is not a step (methodology 2026.3) ----------------------------------------------------
# Routed Monday 2 November (ringan): both clocks are due Monday 9. Each case stops after that
# (archive, hold, transfer on Wednesday 11 = day 9), with or without an agency step before it.
# (followed_up, first observed, first days, on time eligible, answered,
#  ever_resolved, resolution observed, resolution days) at the agency that had the report.

def _archive_after_deadline(report, step):
    if step:
        workflow.apply(report, step, officer_of("dinkes-kota-padang"), day(1),
                       workflow.ActionInput(text="Kami periksa."))
    if step == "resolve":
        workflow.apply(report, "dispute", REPORTER, day(2), workflow.ActionInput(reason="Belum."))
    workflow.apply(report, "request_info", ADMIN, day(9), workflow.ActionInput(text="Lokasi?"))
    workflow.apply(report, "archive", ADMIN, day(10), workflow.ActionInput(reason="incomplete"))


def _hold_after_deadline(report, step):
    if step:  # the agency's own request, late: a late follow-up
        workflow.apply(report, "request_info", officer_of("dinkes-kota-padang"), day(9),
                       workflow.ActionInput(text="Foto?"))
    else:
        workflow.apply(report, "request_info", ADMIN, day(9), workflow.ActionInput(text="Lokasi?"))


@pytest.mark.parametrize("case, step, expected", [
    # The case: the national admin asks, then archives an overdue report nobody at the
    # agency touched. Censored at the archive (Thu 12: 8 working days less 1 on hold), late.
    ("archive", None, (False, False, 7, True, False, False, False, 7)),
    # Answered on day 1 (observed at 1, on time); never resolved: censored at the archive.
    ("archive", "respond", (True, True, 1, True, True, False, False, 7)),
    # Resolved on day 1, disputed, then archived: the first resolution is the agency's step.
    ("archive", "resolve", (True, True, 1, True, True, True, True, 1)),
    # A hold after the due date: not a step, no extension; still open, censored now (Mon 16:
    # 10 working days less 3 on hold), late.
    ("hold", None, (False, False, 7, True, False, False, False, 7)),
    # The agency's own late request is its (late) follow-up, observed at 7.
    ("hold", "request_info", (True, True, 7, True, False, False, False, 7)),
])
def test_a_stop_after_the_deadline_is_not_the_agencys_step(db_session, case, step, expected):
    report = routed_report()
    (_archive_after_deadline if case == "archive" else _hold_after_deadline)(report, step)
    now = day(14)
    m = statistics.measure(report, report.events, now)
    assert (m.followed_up, m.first_response_observed, m.first_response_days, m.on_time_eligible,
            m.on_time_answered, m.ever_resolved, m.resolution_observed,
            m.resolution_days) == expected
    assert not m.resolved  # archived, on hold or in progress: never "resolved" now
    # The rollups, the board and the figures say the same.
    rebuild(now, "dinkes-kota-padang")
    fig = figures_of("dinkes-kota-padang")
    assert (fig.received, fig.followed_up, fig.resolved) == (1, int(expected[0]), 0)
    assert (fig.on_time.numerator, fig.on_time.denominator) == (int(expected[4]), 1)
    assert (fig.dispute_rate.denominator, fig.first_response.observed,
            fig.resolution.observed) == (int(expected[5]), int(expected[1]), int(expected[6]))
    histograms = statistics.duration_histogram([factories.agency("dinkes-kota-padang").id], [PERIOD])
    assert histograms[statistics.FIRST_RESPONSE] == {
        expected[2]: (1, 0) if expected[1] else (0, 1)}
    assert histograms[statistics.RESOLUTION] == {expected[7]: (1, 0) if expected[6] else (0, 1)}
    from app.services import board
    first = board.deadlines_met(report, now)[0]
    assert first.met is (True if expected[4] else False)


@pytest.mark.parametrize("step", [None, "respond"])
def test_a_transfer_after_the_deadline_is_not_the_senders_step(db_session, step):
    report = routed_report()
    dinkes = officer_of("dinkes-kota-padang")
    if step:
        workflow.apply(report, step, dinkes, day(1), workflow.ActionInput(text="Kami periksa."))
    workflow.apply(report, "transfer", dinkes, day(9),
                   workflow.ActionInput(agency=factories.agency("kemenkes"), reason="Bukan wewenang"))
    now = day(14)
    sender = statistics.sla.agency_stays(report.events, report.resolution_class, now)[0]
    first, resolution = sender.first_response, sender.resolutions[0]
    assert first.completed is bool(step) and first.met is bool(step)
    assert first.outcome == (statistics.sla.MET if step else statistics.sla.MISSED)
    assert (first.step_at is not None, first.stopped_at is not None) == (bool(step), not step)
    assert not resolution.completed and resolution.met is False
    assert resolution.stopped_at == sender.left_at == day(9)
    # The receiver's clocks start afresh at the transfer: 3 working days, censored, not yet due.
    m = statistics.measure(report, report.events, now)
    assert (m.followed_up, m.first_response_observed, m.first_response_days) == (False, False, 3)
    assert (m.on_time_eligible, m.ever_resolved, m.resolution_observed) == (False, False, False)
    rebuild(now, "dinkes-kota-padang", "kemenkes")
    assert (figures_of("dinkes-kota-padang").received, figures_of("dinkes-kota-padang").transfers_out,
            figures_of("kemenkes").followed_up) == (0, 1, 0)


# --- SP4N-LAPOR!'s "tindak lanjut" (follow_up_rate_lapor.v1) ---------------------------------------

def test_the_lapor_follow_up_rate_on_a_hand_computed_example(db_session):
    """Ten reports at Dinkes Kota Padang, one per case, counted by hand:

    ====  =============================================  ==========  ==================
    case  what happened                                   status      LAPOR! / Terang
    ====  =============================================  ==========  ==================
    1-2   routed, nothing since                           routed      — / —
    3     answered                                        in_progress proses / followed
    4     the agency asked the reporter                   on_hold     proses / followed
    5     the national admin asked the reporter           on_hold     — / —
    6     resolved                                        resolved    selesai / followed
    7     resolved, the reporter confirmed                closed      selesai / followed
    8     resolved, disputed (reopened)                   in_progress proses / followed
    9     answered, then archived by the national admin   archived    — / followed
    10    routed, nothing, archived by the national admin archived    — / —
    ====  =============================================  ==========  ==================

    LAPOR!: selesai 2 (6, 7) + proses 3 (3, 4, 8) = 5 of 10 received. Terang: 6 of 10 (3, 4, 6, 7,
    8, 9): the report followed up and then archived counts for Terang, not for LAPOR!.
    """
    agency = officer_of("dinkes-kota-padang")
    reports = [routed_report() for _ in range(10)]
    text = workflow.ActionInput(text="Kami periksa.")
    workflow.apply(reports[2], "respond", agency, day(1), text)
    workflow.apply(reports[3], "request_info", agency, day(1), workflow.ActionInput(text="Foto?"))
    workflow.apply(reports[4], "request_info", ADMIN, day(1), workflow.ActionInput(text="Lokasi?"))
    workflow.apply(reports[5], "resolve", agency, day(1), workflow.ActionInput(text="Selesai."))
    workflow.apply(reports[6], "resolve", agency, day(1), workflow.ActionInput(text="Selesai."))
    workflow.apply(reports[6], "confirm", REPORTER, day(2), workflow.ActionInput())
    workflow.apply(reports[7], "resolve", agency, day(1), workflow.ActionInput(text="Selesai."))
    workflow.apply(reports[7], "dispute", REPORTER, day(2), workflow.ActionInput(reason="Belum."))
    for report in reports[8:]:
        if report is reports[8]:
            workflow.apply(report, "respond", agency, day(1), text)
        workflow.apply(report, "request_info", ADMIN, day(2), workflow.ActionInput(text="Lokasi?"))
        workflow.apply(report, "archive", ADMIN, day(3), workflow.ActionInput(reason="incomplete"))
    assert [r.status for r in reports] == ["routed", "routed", "in_progress", "on_hold", "on_hold",
                                           "resolved", "closed", "in_progress", "archived", "archived"]
    rebuild(day(4), "dinkes-kota-padang")

    fig = figures_of("dinkes-kota-padang")
    lapor = fig.follow_up_rate_lapor
    assert (lapor.numerator, lapor.denominator) == (5, 10)
    assert lapor.definition == "follow_up_rate_lapor.v1"
    assert (fig.follow_up_rate.numerator, fig.follow_up_rate.denominator) == (6, 10)
    national = statistics.figures(None, [PERIOD]).follow_up_rate_lapor
    assert (national.numerator, national.denominator) == (5, 10)
    data = statistics.figures_dict(fig)["follow_up_rate_lapor"]
    assert data["value"] == 0.5 and (data["ci_low"], data["ci_high"]) == (0.2366, 0.7634)


def test_resolved_within_the_fixed_window_is_settled_once_the_window_passes(db_session):
    """resolved_within_window.v1 (14 working days, whatever the class). Routed Monday 2 November:
    (a) resolved on day 1: eligible and within; (b) resolved Monday 23 November, 15 working days:
    eligible, not within; (c) still open on Friday 27 November, 19 working days: eligible, not
    within; (d) routed Sunday 22 November, 5 working days by the 27th: not eligible yet."""
    agency = officer_of("dinkes-kota-padang")
    a, b, c = routed_report(), routed_report(), routed_report()
    d = routed_report(routed_after=20)
    workflow.apply(a, "resolve", agency, day(1), workflow.ActionInput(text="Selesai."))
    workflow.apply(b, "resolve", agency, day(21), workflow.ActionInput(text="Selesai."))
    rebuild(day(25), "dinkes-kota-padang")
    rate = figures_of("dinkes-kota-padang").resolved_within_window_rate
    assert (rate.numerator, rate.denominator) == (1, 3)
    assert rate.definition == "resolved_within_window.v1"
    # A month later nothing moves: (d) is now past its window too, unresolved.
    rebuild(day(60), "dinkes-kota-padang")
    later = figures_of("dinkes-kota-padang").resolved_within_window_rate
    assert (later.numerator, later.denominator) == (1, 4)
    assert c.status == "routed" and d.status == "routed"


def test_rebuilding_everything_in_one_pass_gives_the_same_rows_as_refreshing_each_month(db_session):
    """``stats refresh --everything`` reads each report once (rebuild_everything); what it
    writes must be exactly what rebuilding each agency-month and kab/kota-month gives."""
    from datetime import datetime, timezone

    from sqlalchemy import select

    from app.extensions import db
    from app.models import AgencyMonthStats, DurationBucket, RegionDurationBucket, RegionMonthStats
    from app.services import statistics, workflow

    start = datetime(2026, 9, 2, 3, tzinfo=timezone.utc)
    officer = factories.actor("officer")
    for n, status in enumerate(("submitted", "routed", "in_progress", "resolved", "closed", "archived",
                                "on_hold", "routed", "resolved")):
        report = factories.report_in_status(status, now=start.replace(day=2 + n * 3))
        if n == 7:  # a transfer: the sending agency's month is touched too
            workflow.apply(report, "transfer", officer, start.replace(month=10),
                           workflow.ActionInput(agency=factories.agency("pemkab-lebak"), reason="Bukan wewenang."))
    db.session.commit()
    now = datetime(2026, 11, 20, 3, tzinfo=timezone.utc)

    def rows():
        def read(model, *keys):
            columns = [c.name for c in model.__table__.columns if c.name not in ("id", "refreshed_at")]
            return sorted((tuple(getattr(r, c) for c in columns) for r in db.session.scalars(select(model))),
                          key=repr)
        return [read(m) for m in (AgencyMonthStats, DurationBucket, RegionMonthStats, RegionDurationBucket)]

    statistics.mark_all_dirty()
    statistics.mark_open_dirty()
    statistics.refresh_dirty(now)
    db.session.commit()
    month_by_month = rows()
    assert month_by_month[0], "the rollups hold rows"
    built = statistics.rebuild_everything(now)
    assert rows() == month_by_month
    assert built == len([r for r in month_by_month[0] if r[0] is not None])


@pytest.mark.skipif((__import__("os").environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"),
                    reason="the workers read a committed SQLite file of their own here")
def test_rebuilding_everything_in_worker_processes_gives_the_same_rows(tmp_path):
    """``rebuild_everything(processes=2)``: forked workers add up their own id ranges on their
    own connection; the parent adds their sums in range order, so the rows (and their order)
    are exactly those of one process. The data is committed (the workers read what is), in a
    database of this test's own."""
    from datetime import datetime, timezone

    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from app.models import AgencyMonthStats, DurationBucket, RegionDurationBucket, RegionMonthStats

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'rebuild.db'}",
                                 "UPLOAD_FOLDER": str(tmp_path)})
    with app.app_context():
        try:
            upgrade()
            factories.reference_data()
            start = datetime(2026, 9, 2, 3, tzinfo=timezone.utc)
            officer = factories.actor("officer")
            statuses = ("submitted", "routed", "in_progress", "resolved", "closed", "archived",
                        "on_hold", "routed", "resolved", "closed", "in_progress")
            for n, status in enumerate(statuses):
                report = factories.report_in_status(status, now=start.replace(day=2 + n * 2))
                if n in (7, 10):  # transfers: the sending agency's month is touched too
                    workflow.apply(report, "transfer", officer, start.replace(month=10),
                                   workflow.ActionInput(agency=factories.agency("pemkab-lebak"),
                                                        reason="Bukan wewenang."))
            db.session.commit()
            now = datetime(2026, 11, 20, 3, tzinfo=timezone.utc)

            def rows():
                read = []
                for model in (AgencyMonthStats, DurationBucket, RegionMonthStats, RegionDurationBucket):
                    columns = [c for c in model.__table__.columns if c.name != "refreshed_at"]
                    read.append(db.session.execute(select(*columns).order_by(model.__table__.c.id)).all())
                return read

            one = statistics.rebuild_everything(now, processes=1, batch=3)
            in_one = rows()
            assert in_one[0] and in_one[2], "the rollups hold agency and kab/kota rows"
            told = []
            two = statistics.rebuild_everything(now, processes=2, batch=3, progress=told.append)
            assert two == one
            assert sum(told) == len(statuses) and len(told) > 2
            assert rows() == in_one
        finally:
            db.session.remove()
            db.engine.dispose()
