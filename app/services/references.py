"""Public reference numbers, sequential per year: ``LPR-2026-0001234``.

The counter row for the year is created if missing and then incremented with a single
``UPDATE … RETURNING``, which takes the row lock: two concurrent submissions can never get the
same number, on PostgreSQL or on SQLite (where the write transaction is already exclusive).
"""
from sqlalchemy import bindparam, update

from ..database import insert_ignore, ignoring_insert
from ..extensions import db
from ..models import ReferenceCounter

# Built once (a filing runs it); on the table, not the model: a plain SQL update, no need to
# scan the session's objects for counters to refresh.
_COUNTERS = ReferenceCounter.__table__
_NEXT = (update(_COUNTERS)
         .where(_COUNTERS.c.year == bindparam("counter_year"))
         .values(last_value=_COUNTERS.c.last_value + 1)
         .returning(_COUNTERS.c.last_value))


def _insert_ignore(year: int):
    return insert_ignore(ReferenceCounter, year=year, last_value=0)


def next_sequence(year: int) -> int:
    """Reserve and return the next sequence number of ``year`` in the current transaction."""
    db.session.execute(ignoring_insert(ReferenceCounter), {"year": year, "last_value": 0})
    return db.session.execute(_NEXT, {"counter_year": year}).scalar_one()


def format_reference(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:07d}"
