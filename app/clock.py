"""The one clock of Terang.

Every reading of the wall clock for domain time goes through this module: stored times
(``now``), "today" in Jakarta for dates typed by people and working-day arithmetic
(``today``), and epoch seconds for session and rate-limit bookkeeping (``timestamp``). Services
take ``now`` as an argument; views, the CLI, model defaults and templates ask here once and
pass it on. ``tests/unit/test_clock.py`` fails if any other module of ``app/`` reads the clock
itself, so a test that freezes time (the suite runs at a frozen instant, see
``tests/conftest.py``) freezes the whole application.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

# Working days, "today" and every date shown to people are Jakarta's (WIB).
JAKARTA = ZoneInfo("Asia/Jakarta")


def now() -> datetime:
    """The current instant, timezone-aware in UTC; every stored time is UTC."""
    return datetime.now(timezone.utc)


def today() -> date:
    """Today's calendar date in Jakarta."""
    return now().astimezone(JAKARTA).date()


def timestamp() -> float:
    """The current instant as POSIX seconds (session ages, rate-limit windows)."""
    return now().timestamp()
