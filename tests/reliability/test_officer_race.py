"""Two officers acting on one report at the same moment, through the real multi-worker server.

tests/unit/test_concurrency.py races the same actions inside one process (two threads, two
sessions against casework). Here the two requests go over HTTP to gunicorn, usually to two
different worker processes, with the officers' bearer tokens (``POST
/api/v1/inbox/<reference>/actions``): the locks must hold across processes, and the loser must get
a clear answer, a 409 with the API's ``conflict`` error, never a 500. Two officers of the agency
resolve a report in progress; two national admins route a new report to two different agencies.
Each report's event log must then hold exactly one such event, by the winner.
"""
from __future__ import annotations

import threading
import time
from collections import defaultdict

import pytest
from sqlalchemy import text

pytestmark = pytest.mark.slow

RACE_SECONDS = 20  # a budget, not a count: the races stop when it is spent
MIN_RACES = 10
THREAD_TIMEOUT = 90


def act(server, token: str, reference: str, action: dict) -> tuple[int, dict]:
    status, answer, _headers = server.request(
        "POST", f"/api/v1/inbox/{reference}/actions", action,
        {"Authorization": f"Bearer {token}"}, timeout=THREAD_TIMEOUT - 10)
    return status, answer


def race(server, reference: str, attempts: list[tuple[str, dict]]) -> list:
    """Send every (token, action) at once, each from its own thread."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list = [None] * len(attempts)

    def officer(index, token, action):
        try:
            barrier.wait(timeout=THREAD_TIMEOUT)
            outcomes[index] = act(server, token, reference, action)
        except BaseException as exc:  # noqa: BLE001 — asserted by the caller
            outcomes[index] = exc

    threads = [threading.Thread(target=officer, args=(i, token, action), daemon=True)
               for i, (token, action) in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    assert not any(t.is_alive() for t in threads), f"a request on {reference} hung"
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


def events_of(server, references: list[str]) -> dict[str, list]:
    engine = server.database.engine()
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT r.reference, r.status, e.action, e.actor_user_id, e.target_agency_id, "
                "a.slug FROM report_events e JOIN reports r ON r.id = e.report_id "
                "LEFT JOIN agencies a ON a.id = e.target_agency_id ORDER BY e.id")).all()
    finally:
        engine.dispose()
    found = defaultdict(list)
    for row in rows:
        if row.reference in references:
            found[row.reference].append(row)
    return found


def test_two_officers_acting_at_once_give_one_transition_and_a_clear_conflict(server):
    people = server.data["people"]
    resolve = {"action": "resolve", "text": "Sudah diperbaiki oleh petugas."}
    plans = []  # (reference, action name, [(person, action), (person, action)])
    for reference in server.data["in_progress"]:
        plans.append((reference, "resolve", [("officer_a", resolve), ("officer_b", resolve)]))
    for reference in server.data["submitted"]:
        plans.append((reference, "route", [
            (name, {"action": "route", "agency": agency, "resolution_class": "sedang",
                    "confirm_public_text": True})
            for name, agency in (("admin_a", "dinkes-kota-padang"), ("admin_b", "pemkab-lebak"))]))
    plans.sort(key=lambda plan: plan[0])  # resolves and routes interleaved

    ends = time.monotonic() + RACE_SECONDS
    winners = {}
    for reference, name, attempts in plans:
        if time.monotonic() > ends:
            break
        outcomes = race(server, reference, [(people[who]["token"], action) for who, action in attempts])
        statuses = [status for status, _answer in outcomes]
        assert sorted(statuses) == [201, 409], (reference, outcomes)
        won = statuses.index(201)
        lost = outcomes[1 - won][1]["error"]
        assert lost["code"] == "conflict" and lost["message"].strip(), lost
        winner, action = attempts[won]
        winners[reference] = (name, people[winner]["id"], action.get("agency"))
    assert len(winners) >= MIN_RACES, f"only {len(winners)} races within {RACE_SECONDS} s"

    logged = events_of(server, list(winners))
    for reference, (name, winner_id, agency) in winners.items():
        taken = [row for row in logged[reference] if row.action == name]
        assert len(taken) == 1, (reference, taken)
        assert taken[0].actor_user_id == winner_id
        if name == "resolve":
            assert taken[0].status == "resolved"
            assert [row.action for row in logged[reference]] == ["submit", "route", "respond", "resolve"]
        else:
            assert taken[0].status == "routed" and taken[0].slug == agency
            assert [row.action for row in logged[reference]] == ["submit", "route"]
    log = server.log()
    assert "Exception on" not in log and "Traceback" not in log, log[-5000:]
