"""`flask backup` and `flask restore` (issue 13): the database and the uploads, with a manifest,
restored into an empty database (or over one with --force), migrated to head and checked.

On SQLite by default; on PostgreSQL (pg_dump/pg_restore) when TEST_DATABASE_URL is PostgreSQL:
each test's source and target databases are scratch databases of that server. The suite's own
database is never touched; these tests use their own apps (no ``db_session``).
"""
from __future__ import annotations

import json
import os
import sqlite3
import tarfile
import threading
import uuid
from datetime import timezone
from pathlib import Path

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app import clock, create_app
from app.extensions import db
from app.models import Attachment, Report
from app.services import attachments, backups
from config import normalise_database_url
from tests import factories

SUITE_URL = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
ON_POSTGRES = SUITE_URL.startswith(("postgres://", "postgresql"))
HEAD = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "migrations" / "versions")
              .glob("0*.py"))[-1].split("_", 1)[0]


class Scratch:
    """Scratch databases for one test: SQLite files under tmp_path, or PostgreSQL databases
    on the suite's server (dropped afterwards)."""

    def __init__(self, tmp_path: Path):
        self.tmp_path, self.made, self.apps = tmp_path, [], []

    def url(self, name: str) -> str:
        if not ON_POSTGRES:
            return f"sqlite:///{self.tmp_path / (name + '.db')}"
        database = f"terang_backup_{name}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self._admin(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        self.made.append(database)
        return make_url(normalise_database_url(SUITE_URL)).set(database=database) \
            .render_as_string(hide_password=False)

    def app(self, url: str, uploads: Path):
        uploads.mkdir(parents=True, exist_ok=True)
        made = create_app("testing", {"SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                                      "UPLOAD_FOLDER": str(uploads)})
        self.apps.append(made)
        return made

    def _admin(self) -> str:
        return make_url(normalise_database_url(SUITE_URL)).set(
            drivername="postgresql", database="postgres").render_as_string(hide_password=False)

    def close(self):
        for made in self.apps:
            with made.app_context():
                db.session.remove()
                db.engine.dispose()
        for database in self.made:
            with psycopg.connect(self._admin(), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


@pytest.fixture
def scratch(tmp_path):
    made = Scratch(tmp_path)
    yield made
    made.close()


@pytest.fixture
def source(scratch, tmp_path):
    """A migrated database with the reference data and two reports, one with an attachment."""
    made = scratch.app(scratch.url("source"), tmp_path / "source-uploads")
    with made.app_context():
        upgrade()
        factories.reference_data()
        db.session.commit()
        factories.file_report(staged_tokens=[factories.staged_pdf()])
        factories.file_report(title="Jalan berlubang di depan sekolah")
        db.session.remove()
    return made


@pytest.fixture
def target(scratch, tmp_path):
    """An empty database (never migrated) and an empty upload folder."""
    return scratch.app(scratch.url("target"), tmp_path / "target-uploads")


def run(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
        db.session.remove()
    return result


def facts(app) -> dict:
    with app.app_context():
        found = {"reports": db.session.scalar(select(func.count()).select_from(Report)),
                 "titles": sorted(db.session.scalars(select(Report.title))),
                 "files": {a.storage_name: attachments.read_file(app.config["UPLOAD_FOLDER"],
                                                                  a.storage_name)
                           for a in db.session.scalars(select(Attachment))}}
        db.session.remove()
    return found


@pytest.mark.parametrize("name", ["backup-dir", "terang.tar", "terang.tar.gz"])
def test_a_backup_restores_into_an_empty_database_with_its_uploads(source, target, tmp_path, name):
    path = tmp_path / name
    made = run(source, "backup", str(path))
    assert made.exit_code == 0, made.output
    assert "Backup written to" in made.output and "flask restore" in made.output

    restored = run(target, "restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert "Checksums ok." in restored.output
    assert f"Restore checked: revision {HEAD}" in restored.output and "2 reports" in restored.output
    before, after = facts(source), facts(target)
    assert after == before and after["reports"] == 2 and len(after["files"]) == 1


def test_the_manifest_describes_the_backup(source, tmp_path):
    path = tmp_path / "backup"
    assert run(source, "backup", str(path)).exit_code == 0
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["format"] == 1 and manifest["application"] == "terang"
    # The suite's frozen instant (which .ci/run moves to other years).
    assert manifest["created_at"].startswith(
        clock.now().astimezone(timezone.utc).strftime("%Y-%m-%dT"))
    database = manifest["database"]
    assert database["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    assert database["alembic_revision"] == HEAD
    assert database["counts"]["reports"] == 2 and database["counts"]["attachments"] == 1
    assert database["counts"]["agencies"] > 0
    assert database["sha256"] == backups.sha256_of(path / database["file"])
    uploads = manifest["uploads"]
    assert uploads["count"] == len(uploads["files"]) >= 1
    for relative, checksum in uploads["files"].items():
        assert backups.sha256_of(path / "uploads" / relative) == checksum
    if ON_POSTGRES:
        assert database["server_version"] >= 10 and database["pg_dump_version"] >= database["server_version"]


def test_restore_refuses_a_database_with_data_unless_forced(source, target, tmp_path):
    path = tmp_path / "terang.tar"
    assert run(source, "backup", str(path)).exit_code == 0
    assert run(target, "restore", str(path)).exit_code == 0
    again = run(target, "restore", str(path))
    assert again.exit_code == 1
    assert "Refusing to restore over data" in again.output and "--force" in again.output
    assert "flask backup" in again.output
    forced = run(target, "restore", "--force", str(path))
    assert forced.exit_code == 0, forced.output
    assert facts(target) == facts(source)


def test_a_migrated_empty_database_is_a_fine_target(source, target, tmp_path):
    """`flask db upgrade` first, then restore: tables but no rows is not 'data'."""
    path = tmp_path / "backup"
    assert run(source, "backup", str(path)).exit_code == 0
    with target.app_context():
        upgrade()
        db.session.remove()
    restored = run(target, "restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert facts(target)["reports"] == 2


def test_a_damaged_backup_is_refused_before_anything_is_touched(source, target, tmp_path):
    path = tmp_path / "backup"
    assert run(source, "backup", str(path)).exit_code == 0
    upload = next((path / "uploads").rglob("*.*"))
    upload.write_bytes(b"not what was backed up")
    refused = run(target, "restore", str(path))
    assert refused.exit_code == 1
    assert "The backup is damaged, nothing was restored" in refused.output
    assert "does not match its checksum" in refused.output
    assert backups.database_rows(target.config["SQLALCHEMY_DATABASE_URI"]) == {}


def test_a_backup_never_overwrites_another(source, tmp_path):
    path = tmp_path / "terang.tar"
    path.write_bytes(b"an older backup")
    refused = run(source, "backup", str(path))
    assert refused.exit_code == 1 and "already exists" in refused.output
    assert path.read_bytes() == b"an older backup"


def test_restore_says_what_is_not_a_backup(target, tmp_path):
    (tmp_path / "empty").mkdir()
    refused = run(target, "restore", str(tmp_path / "empty"))
    assert refused.exit_code == 1 and "is not a Terang backup" in refused.output


def test_an_old_pg_dump_is_named_with_the_fix(tmp_path):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 13.16'\n")
    fake.chmod(0o755)
    with pytest.raises(backups.BackupError) as refused:
        backups.check_pg_dump_version(str(fake), 160004)
    message = refused.value.message
    assert "pg_dump is version 13 but the PostgreSQL server is version 16" in message
    assert "postgresql-client-16" in message and "PG_DUMP=" in message
    assert backups.check_pg_dump_version(str(fake), 130004) == 13


@pytest.mark.skipif(ON_POSTGRES, reason="the SQLite online backup; PostgreSQL dumps a snapshot")
def test_a_backup_taken_while_writes_go_on_is_consistent(source, tmp_path):
    """A writer commits batches of 50 rows as fast as it can while three backups are taken:
    each copy passes the integrity check and holds only whole batches."""
    database = Path(make_url(source.config["SQLALCHEMY_DATABASE_URI"]).database)
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE churn (batch INTEGER, n INTEGER, filler TEXT)")
    setup.close()
    stop, batches = threading.Event(), []

    def write():
        writer = sqlite3.connect(database, timeout=30, isolation_level=None)
        writer.execute("PRAGMA busy_timeout=30000")
        batch = 0
        while not stop.is_set():
            writer.execute("BEGIN IMMEDIATE")
            writer.executemany("INSERT INTO churn VALUES (?, ?, ?)",
                               [(batch, n, "x" * 200) for n in range(50)])
            writer.execute("COMMIT")
            batch += 1
            batches.append(batch)
        writer.close()

    thread = threading.Thread(target=write)
    thread.start()
    copies = []
    try:
        waited = 0
        while len(batches) < 20:  # the writer is under way
            assert thread.is_alive() and waited < 3000, "the writer did not get going"
            threading.Event().wait(0.01)
            waited += 1
        for number in range(3):
            path = tmp_path / f"during-{number}"
            backups.create(path, database_url=source.config["SQLALCHEMY_DATABASE_URI"],
                           upload_folder=Path(source.config["UPLOAD_FOLDER"]),
                           now=__import__("app").clock.now())
            copies.append(path / backups.SQLITE_FILE)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert len(batches) > 20
    for copy in copies:
        with sqlite3.connect(copy) as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            sizes = check.execute("SELECT batch, count(*) FROM churn GROUP BY batch").fetchall()
            assert sizes and all(size == 50 for _batch, size in sizes)
            assert check.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
        check.close()
