"""The rule "a report is on the public board" has one home (``Report.is_public``,
``app/models/report.py``); the triggers of migration 0024 (the count of public reports) and the
partial index of the board's list wrote it down at their time. They must still agree with it."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, column, delete, func, select, update

from app.demo import bulk
from app.extensions import db
from app.models import PublicReportCount, Report, ReporterContact, ReportEvent, Status
from app.models.report import (PUBLIC_COLUMNS, PUBLIC_INDEX_WHERE, PUBLIC_RULE, is_public_report,
                               is_public_values)
from app.services import board, data_version
from tests import factories

ROUTED_AT = datetime(2026, 11, 23, 4, 0, tzinfo=timezone.utc)
# Every column of the rule, each with a value that keeps a report public and one that does not.
CHOICES = {
    "is_confidential": (False, True),
    "agency_id": ("agency", None),
    "routed_at": (ROUTED_AT, None),
    "public_body": ("Jalan rusak di depan pasar.", None),
    "status": (Status.ROUTED, Status.SUBMITTED),
}


def combinations() -> list[dict]:
    """All 32 combinations of the columns (the agency filled in later: it needs the database)."""
    assert set(CHOICES) == set(PUBLIC_COLUMNS)
    return [dict(zip(CHOICES, values)) for values in itertools.product(*CHOICES.values())]


def counted() -> int:
    return db.session.scalar(select(PublicReportCount.reports).where(PublicReportCount.id == 1))


def by_the_rule() -> int:
    return db.session.scalar(select(func.count()).select_from(Report).where(Report.is_public))


def test_the_rule_in_python_and_in_sql_is_one_rule():
    for values in combinations():
        public = (not values["is_confidential"] and values["agency_id"] is not None
                  and values["routed_at"] is not None and values["public_body"] is not None
                  and values["status"] != Status.SUBMITTED)
        assert is_public_values(values) is public
        assert is_public_report(type("R", (), values)) is public
    assert data_version.VISIBILITY == PUBLIC_COLUMNS
    # The partial index's condition and the bulk load's are the rule, compiled.
    assert PUBLIC_INDEX_WHERE["sqlite"] == (
        "is_confidential IS 0 AND agency_id IS NOT NULL AND routed_at IS NOT NULL"
        " AND public_body IS NOT NULL AND status != 'submitted'")
    assert bulk._PUBLIC == "reports." + PUBLIC_INDEX_WHERE["sqlite"].replace(" AND ", " AND reports.")


def test_the_triggers_count_what_the_rule_says_for_every_combination(db_session):
    """Migration 0024's triggers (insert, update, delete) against the model's rule, over
    every combination of confidential, no agency, not routed, no public text, submitted."""
    agency_id = factories.agency("dinkes-kota-padang").id
    start = counted()
    rows = []
    for n, values in enumerate(combinations()):
        receipt = factories.file_report(now=ROUTED_AT - timedelta(hours=1, minutes=n))
        rows.append((receipt.report_id, values))
    db.session.commit()
    assert counted() == by_the_rule()

    def set_all(pairs) -> None:
        for report_id, values in pairs:
            values = dict(values, agency_id=agency_id if values["agency_id"] else None)
            db.session.execute(update(Report).where(Report.id == report_id).values(**values))
        db.session.commit()

    set_all(rows)  # every combination, each by an UPDATE of a report filed as submitted
    reports = [db.session.get(Report, report_id) for report_id, _values in rows]
    for report in reports:
        db.session.refresh(report)
    publics = [r for r in reports if r.is_public]
    assert len(publics) == 1 and all(board.is_public(r) == r.is_public for r in reports)
    assert counted() - start == by_the_rule() - start == 1
    assert set(db.session.scalars(board.public_reports_query().with_only_columns(Report.id))) >= \
        {publics[0].id}

    # Every report moved to the next combination (each column changed, alone or together).
    set_all((report_id, rows[(i + 1) % len(rows)][1]) for i, (report_id, _v) in enumerate(rows))
    assert counted() == by_the_rule()
    set_all((report_id, rows[(i * 7 + 3) % len(rows)][1]) for i, (report_id, _v) in enumerate(rows))
    assert counted() == by_the_rule()
    # Deleting every other report (public ones and others among them).
    gone = [report_id for report_id, _values in rows[::2]]
    db.session.expunge_all()
    for model in (ReportEvent, ReporterContact):
        db.session.execute(delete(model).where(model.report_id.in_(gone)))
    db.session.execute(delete(Report).where(Report.id.in_(gone)))
    db.session.commit()
    assert counted() == by_the_rule()
    # The partial index's condition selects the same rows as the rule.
    where = and_(*(sql(column(name)) for name, sql, _test in PUBLIC_RULE))
    assert db.session.scalar(select(func.count()).select_from(Report).where(where)) == by_the_rule()
