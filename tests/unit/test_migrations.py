"""The migrations build, on an empty database, exactly the schema the models describe.

Each test makes a brand-new database: a fresh SQLite file, and on PostgreSQL (when the suite runs
there, ``TEST_DATABASE_URL=postgresql://…``) a temporary database created and dropped here.
"""
from __future__ import annotations

import logging
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

import config
from app import create_app
from app.extensions import db
from app.models.report import SEARCH_INDEX_TABLES

SERVER_URL = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
ON_POSTGRES = SERVER_URL.startswith(("postgres://", "postgresql"))

# Every table the models define (the ones Alembic keeps for itself excluded).
EXPECTED_TABLES = {t.name for t in db.metadata.sorted_tables}


@pytest.fixture
def keep_logging():
    """migrations/env.py calls logging.config.fileConfig, which disables existing loggers."""
    saved = {name: (logger.disabled, logger.level, list(logger.handlers), logger.propagate)
             for name, logger in logging.root.manager.loggerDict.items()
             if isinstance(logger, logging.Logger)}
    root = (logging.root.level, list(logging.root.handlers))
    yield
    for name, (disabled, level, handlers, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.disabled, logger.level, logger.handlers, logger.propagate = (
            disabled, level, handlers, propagate)
    logging.root.level, logging.root.handlers = root[0], root[1]


def _sqlite_database(tmp_path):
    yield f"sqlite:///{tmp_path / 'fresh.db'}"


def _postgres_database():
    import psycopg

    server = make_url(config.normalise_database_url(SERVER_URL))
    name = f"terang_mig_{uuid.uuid4().hex[:10]}"
    admin_dsn = server.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not ON_POSTGRES, reason="the suite is not running on PostgreSQL (set TEST_DATABASE_URL)"))]


@pytest.fixture(params=BACKENDS)
def fresh_app(request, tmp_path, keep_logging):
    """An app on a brand-new, empty database of the given backend."""
    source = (_sqlite_database(tmp_path) if request.param == "sqlite" else _postgres_database())
    url = next(source)
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": config.normalise_database_url(url),
                                 "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    try:
        with app.app_context():
            assert inspect(db.engine).get_table_names() == []
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        source.close()  # drops the temporary PostgreSQL database


def _not_the_search_index(name, type_, parent_names) -> bool:
    # The full-text index is raw DDL per database (migration 0010), described by no model.
    return not (type_ == "table" and name in SEARCH_INDEX_TABLES)


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_name": _not_the_search_index})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"} - SEARCH_INDEX_TABLES


def test_upgrade_on_an_empty_database_gives_the_models_schema(fresh_app):
    upgrade()
    assert table_names() == EXPECTED_TABLES
    assert schema_differences() == []


def test_downgrade_to_base_then_upgrade_again(fresh_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) - {"alembic_version"} == set()
    upgrade()
    assert table_names() == EXPECTED_TABLES
    assert schema_differences() == []


def test_the_upgraded_database_works(fresh_app):
    """Not only the right tables: a report can be filed in it."""
    from datetime import datetime, timezone

    from tests import factories

    upgrade()
    factories.reference_data()  # regions too
    receipt = factories.file_report(now=datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc))
    assert receipt.reference == "LPR-2026-0000001"


def _migration(name: str):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_0007_brings_existing_reports_and_figures_under_the_new_clock_rules(fresh_app):
    """Reports from before 0007: a request for information by the agency is their first
    follow-up, a dispute at the current agency reopens the resolution clock, and every figure
    is marked for a rebuild."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import text

    from app.models import Report
    from app.services import statistics, workflow
    from tests import factories

    upgrade()
    factories.reference_data()  # regions too
    start = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)
    asked = factories.report_in_status("routed", now=start)
    officer, reporter = factories.actor("officer"), factories.actor("reporter")
    workflow.apply(asked, "request_info", officer, start + timedelta(days=1),
                   workflow.ActionInput(text="Foto?"))
    workflow.apply(asked, "reporter_reply", reporter, start + timedelta(days=2),
                   workflow.ActionInput(text="Ini."))
    workflow.apply(asked, "resolve", officer, start + timedelta(days=3), workflow.ActionInput(text="Beres."))
    workflow.apply(asked, "dispute", reporter, start + timedelta(days=4), workflow.ActionInput(reason="Belum."))
    by_admin = factories.report_in_status("routed", now=start)
    workflow.apply(by_admin, "request_info", factories.actor("national_admin"), start + timedelta(days=1),
                   workflow.ActionInput(text="Lokasi?"))
    db.session.commit()
    statistics.refresh_dirty(start + timedelta(days=5))
    ids = (asked.id, by_admin.id)
    # As the data stood before 0007, then 0007's data statements.
    db.session.execute(text("UPDATE reports SET first_response_at = NULL, reopened_at = NULL"))
    db.session.execute(text("DELETE FROM stats_dirty"))
    for statement in _migration("0007_one_clock_definition").DATA_STATEMENTS:
        db.session.execute(text(statement))
    db.session.commit()
    db.session.expire_all()

    def column(report_id, name):
        return db.session.get(Report, report_id).__getattribute__(name)

    assert column(ids[0], "first_response_at") == start + timedelta(days=1)
    assert column(ids[0], "reopened_at") == start + timedelta(days=4)
    assert column(ids[1], "first_response_at") is None and column(ids[1], "reopened_at") is None
    dinkes = factories.agency("dinkes-kota-padang").id
    assert (dinkes, "2026-11") in statistics.dirty_pairs()


class _TablesOfLaterMigrations:
    """While a test stands at an old revision and writes with today's code, the tables that
    later migrations add and that code writes to (a dirty mark of a region, say) exist; they are
    dropped again before the test upgrades, so the migrations create them as they would."""

    def __enter__(self):
        from sqlalchemy import text

        inspector = inspect(db.engine)
        present = set(inspector.get_table_names())
        self.tables = [t for t in db.metadata.sorted_tables
                       if t.name not in present and t.name not in SEARCH_INDEX_TABLES]
        db.metadata.create_all(db.engine, tables=self.tables)
        # Columns later migrations add to tables that exist (all nullable): added plainly now,
        # dropped again on the way out, so that those migrations add them as they would.
        self.columns = []
        for table in db.metadata.sorted_tables:
            if table.name not in present:
                continue
            have = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in have:
                    kind = column.type.compile(dialect=db.engine.dialect)
                    self.columns.append((table.name, column.name))
                    with db.engine.begin() as connection:
                        connection.execute(text(
                            f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))
        return self

    def __exit__(self, *exc):
        from sqlalchemy import text

        db.session.remove()
        for table, column in self.columns:
            with db.engine.begin() as connection:
                connection.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        db.metadata.drop_all(db.engine, tables=self.tables)


def test_0010_indexes_the_public_reports_already_there(fresh_app):
    """Reports published before 0010 are found by the search it adds; the others are not."""
    from datetime import datetime, timezone

    from app.services import board, workflow
    from tests import factories

    upgrade(revision="0009")
    with _TablesOfLaterMigrations():
        factories.reference_data()
        start = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)
        public = factories.report_in_status("routed", now=start)
        workflow.apply(public, "respond", factories.actor("officer"), start.replace(hour=5),
                       workflow.ActionInput(text="Kami periksa."))
        public.public_title, public.public_body = "Puskesmas tutup", "Puskesmas tutup pagi hari."
        hidden = factories.report_in_status("routed", now=start, is_confidential=True)
        hidden.public_title, hidden.public_body = "Puskesmas tutup", "Puskesmas tutup pagi hari."
        factories.file_report(now=start, incident_date=start.date())  # not verified: not public
        db.session.commit()
        public_id = public.id
    upgrade()
    listed = board.public_report_list(board.ReportFilter(q="puskesmas"))
    assert [r.id for r in listed.items] == [public_id]
    db.session.remove()
    downgrade(revision="0009")
    assert not SEARCH_INDEX_TABLES & set(inspect(db.engine).get_table_names())


def test_0028_puts_the_filters_of_the_public_reports_already_there_in_the_index(fresh_app):
    """Reports published before 0028 are found by their filters combined (the index's facet
    words); down again, the index is 0010's and still finds their text, kept by its triggers."""
    from datetime import datetime, timezone

    from app.models import Report
    from app.services import board, search
    from tests import factories

    upgrade(revision="0025")
    with _TablesOfLaterMigrations():
        factories.reference_data()
        start = datetime(2026, 11, 2, 3, 0, tzinfo=timezone.utc)
        public = factories.report_in_status("routed", now=start)
        public.public_title, public.public_body = "Puskesmas tutup", "Puskesmas tutup pagi hari."
        hidden = factories.report_in_status("routed", now=start, is_confidential=True)
        hidden.public_title, hidden.public_body = "Puskesmas tutup", "Puskesmas tutup pagi hari."
        db.session.commit()
        public_id, agency = public.id, public.agency.slug
    upgrade()
    combined = board.ReportFilter(agency=agency, status="routed", region="13")
    assert [r.id for r in board.public_report_list(combined).items] == [public_id]
    assert [r.id for r in board.public_report_list(
        board.ReportFilter(agency=agency, status="closed")).items] == []
    found = search.facet_matches([search.facet_word(search.STATUS, "routed")])
    assert list(db.session.scalars(db.select(found.c.report_id))) == [public_id]
    db.session.remove()
    downgrade(revision="0025")
    with _TablesOfLaterMigrations():
        listed = board.public_report_list(board.ReportFilter(q="puskesmas"))
        assert [r.id for r in listed.items] == [public_id]
        report = db.session.get(Report, public_id)
        report.public_title, report.public_body = "Lampu taman mati", "Lampu taman mati."  # 0010's triggers
        db.session.commit()
        assert [r.id for r in board.public_report_list(board.ReportFilter(q="taman")).items] == [public_id]
        assert board.public_report_list(board.ReportFilter(q="puskesmas")).items == []
        db.session.remove()
    upgrade()
    assert [r.id for r in board.public_report_list(board.ReportFilter(q="taman")).items] == [public_id]
