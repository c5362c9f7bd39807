"""Public reference numbers, sequential per year: ``LPR-2026-0001234``.

The counter row for the year is created if missing and then incremented with a single
``UPDATE … RETURNING``, which takes the row lock: two concurrent submissions can never get the
same number, on PostgreSQL or on SQLite (where the write transaction is already exclusive).
"""
from sqlalchemy import update

from ..database import insert_ignore
from ..extensions import db
from ..models import ReferenceCounter


def _insert_ignore(year: int):
    return insert_ignore(ReferenceCounter, year=year, last_value=0)


def next_sequence(year: int) -> int:
    """Reserve and return the next sequence number of ``year`` in the current transaction."""
    db.session.execute(_insert_ignore(year))
    return db.session.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last_value=ReferenceCounter.last_value + 1)
        .returning(ReferenceCounter.last_value)
        # A plain SQL update: no need to scan the session's objects for counters to refresh.
        .execution_options(synchronize_session=False)
    ).scalar_one()


def format_reference(prefix: str, year: int, sequence: int) -> str:
    return f"{prefix}-{year}-{sequence:07d}"
