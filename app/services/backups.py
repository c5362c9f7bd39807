"""Backups of a whole deployment, and restoring one: ``flask backup PATH``, ``flask restore PATH``.

A backup is the database and the uploads (``UPLOAD_FOLDER``: an attachment row without its file
is a broken report) with a manifest, in a directory or in one ``.tar`` (``.tar.gz``) file::

    manifest.json        format, created at, the application's commit, the Alembic revision,
                         row counts of the main tables, size and SHA-256 of every file
    database.sqlite3     SQLite: the online backup API (a consistent copy while the server runs)
    database.pgdump      PostgreSQL: pg_dump's custom format, taken in the snapshot the counts
                         were read in (pg_dump --snapshot)
    uploads/…            the upload folder, file by file

The database is copied first and the uploads after it, so every file a copied row names is
there (files are only ever added, except abandoned staged uploads, which no report names).

Restoring checks every checksum before it touches anything, refuses a target database or upload
folder that holds data unless ``force`` is given, restores, and leaves migrating to the current
head and checking the result to the caller (the CLI command, which has the app).

Services take no request and read no config: the caller passes the database URL, folders and
``now``. ``echo`` receives progress lines; ``progress(items, label)`` wraps long loops (a
progress bar in the CLI).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy.engine import URL, make_url

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
UPLOADS = "uploads"
# Tables whose row counts the manifest records and a restore compares (those that exist).
COUNTED_TABLES = ("reports", "attachments", "report_events", "reporter_contacts", "users",
                  "agencies", "categories", "regions", "snapshots", "outbox_messages")
ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz")


class BackupError(Exception):
    """A backup or restore that cannot go on; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _quiet(_line: str) -> None:
    pass


def _plain(items, _label):
    return items


Echo = Callable[[str], None]
Progress = Callable[[list, str], Iterable]


@dataclass
class Restored:
    engine: str
    manifest: dict
    uploads: int = 0
    replaced: list[str] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------

def is_archive(path: Path) -> bool:
    return str(path).endswith(ARCHIVE_SUFFIXES)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def engine_of(url: str | URL) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def sqlite_path(url: str | URL) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("The database is in memory (sqlite://): there is no file to back up "
                          "or restore into. Set DATABASE_URL to a file, e.g. "
                          "sqlite:///instance/terang.db.")
    return Path(database)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _upload_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def _application_commit() -> str | None:
    root = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


# --- PostgreSQL client tools -------------------------------------------------------------------

def _libpq_environment(url: str | URL) -> dict:
    """pg_dump/pg_restore/psycopg read the connection from PG* variables: the password never
    appears on a command line (visible to every user in ``ps``)."""
    url = make_url(url)
    env = dict(os.environ)
    for key, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            env[key] = str(value)
    if url.query.get("sslmode"):
        env["PGSSLMODE"] = str(url.query["sslmode"])
    return env


def _connect_postgres(url: str | URL):
    import psycopg

    url = make_url(url)
    return psycopg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                           dbname=url.database, **{k: v for k, v in url.query.items()
                                                   if isinstance(v, str)})


def _tool_major(tool: str) -> int:
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        raise BackupError(
            f"{tool} was not found. Backups of PostgreSQL need the PostgreSQL client tools of the "
            f"server's version: apt-get install postgresql-client (or set PG_DUMP/PG_RESTORE to "
            f"their full paths).") from None
    found = re.search(r"(\d+)(?:\.\d+)?", done.stdout)
    if done.returncode != 0 or not found:
        raise BackupError(f"{tool} --version did not answer as expected: {done.stdout or done.stderr}")
    return int(found.group(1))


def check_pg_dump_version(pg_dump: str, server_version_num: int) -> int:
    """pg_dump refuses a server newer than itself: say so before starting, with the fix."""
    client = _tool_major(pg_dump)
    server = server_version_num // 10000
    if client < server:
        raise BackupError(
            f"pg_dump is version {client} but the PostgreSQL server is version {server}: pg_dump "
            f"cannot dump a newer server. Install the client tools of version {server} (Debian: "
            f"apt-get install postgresql-client-{server}) and set PG_DUMP=/usr/lib/postgresql/"
            f"{server}/bin/pg_dump, or put them first on PATH.")
    return client


def _run_tool(command: list[str], env: dict, echo: Echo, what: str) -> None:
    """Run pg_dump/pg_restore with --verbose, passing its progress lines on as they come."""
    tail: list[str] = []
    with subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as process:
        for line in process.stderr:
            line = line.rstrip()
            tail = (tail + [line])[-20:]
            shown = line.split(": ", 1)[-1]
            if shown.startswith(("dumping contents of table", "processing data for table",
                                 "creating TABLE ", "creating INDEX ")):
                echo(f"  {shown}")
    if process.wait() != 0:
        details = "\n".join(tail)
        hint = ""
        if "unsupported version" in details or "server version mismatch" in details:
            hint = ("\nThe PostgreSQL client tools and the server (or the tool that wrote the "
                    "backup) differ in version: use pg_restore of the same or a newer version "
                    "than the pg_dump that made the backup (PG_RESTORE=/usr/lib/postgresql/N/bin/"
                    "pg_restore).")
        raise BackupError(f"{what} failed (exit {process.returncode}):\n{details}{hint}")


# --- what a database holds ---------------------------------------------------------------------

def _counts_and_revision(execute: Callable[[str], list], tables: set[str]) -> tuple[dict, str | None]:
    counts = {name: execute(f'SELECT count(*) FROM "{name}"')[0][0]
              for name in COUNTED_TABLES if name in tables}
    revision = None
    if "alembic_version" in tables:
        rows = execute("SELECT version_num FROM alembic_version")
        revision = rows[0][0] if rows else None
    return counts, revision


def _sqlite_tables(connection: sqlite3.Connection) -> set[str]:
    return {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}


def _postgres_tables(connection) -> set[str]:
    return {row[0] for row in connection.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()}


def _application_tables() -> set[str]:
    """The tables of Terang's models (a search index's shadow tables, alembic_version and the
    like are no one's data)."""
    from .. import models  # noqa: F401  (registers every table)
    from ..extensions import db

    return set(db.metadata.tables)


# Rows a freshly migrated database already has, or that only record the machine's own doings:
# no one's data (the data version's one row, the scheduled jobs' last runs, the count of public
# reports that migration 0024 starts at zero and its triggers keep).
BOOKKEEPING_TABLES = frozenset({"data_version", "job_runs", "public_report_count"})


def database_rows(url: str | URL) -> dict[str, int]:
    """Terang's tables in the target database that hold rows, with a count of each (capped at
    1000: only whether it is empty matters)."""
    engine = engine_of(url)
    ours = _application_tables() - BOOKKEEPING_TABLES
    found: dict[str, int] = {}
    if engine == "sqlite":
        path = sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return {}
        with sqlite3.connect(path) as connection:
            for name in sorted(_sqlite_tables(connection) & ours):
                count = connection.execute(
                    f'SELECT count(*) FROM (SELECT 1 FROM "{name}" LIMIT 1000)').fetchone()[0]
                if count:
                    found[name] = count
        connection.close()
        return found
    with _connect_postgres(url) as connection:
        for name in sorted(_postgres_tables(connection) & ours):
            count = connection.execute(
                f'SELECT count(*) FROM (SELECT 1 FROM "{name}" LIMIT 1000) AS t').fetchone()[0]
            if count:
                found[name] = count
    return found


# --- backup -----------------------------------------------------------------------------------

def create(target: Path, *, database_url: str | URL, upload_folder: Path, now: datetime,
           pg_dump: str = "pg_dump", echo: Echo = _quiet, progress: Progress = _plain) -> dict:
    """Write a backup to ``target`` (a new directory, or a ``.tar``/``.tar.gz`` file); return
    its manifest. Safe while the server runs."""
    target = Path(target)
    if target.exists() and (target.is_file() or any(target.iterdir())):
        raise BackupError(f"{target} already exists. Choose a new name (e.g. with the date: "
                          f"terang-$(date +%F).tar); a backup never overwrites another.")
    engine = engine_of(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".terang-backup-", dir=target.parent))
    try:
        if engine == "sqlite":
            database = _backup_sqlite(database_url, staging / SQLITE_FILE, echo)
        else:
            database = _backup_postgres(database_url, staging / POSTGRES_FILE, pg_dump, echo)
        uploads = _copy_uploads(Path(upload_folder), staging / UPLOADS, echo, progress)
        manifest = {"format": FORMAT, "application": "terang",
                    "application_commit": _application_commit(),
                    "created_at": now.isoformat(timespec="seconds"),
                    "database": database, "uploads": uploads}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        if is_archive(target):
            _write_archive(staging, target, echo)
        else:
            if target.exists():
                target.rmdir()  # empty (checked above)
            staging.rename(target)
        return manifest
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _backup_sqlite(url, destination: Path, echo: Echo) -> dict:
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise BackupError(f"The database file {source_path} does not exist.")
    echo(f"Copying the SQLite database {source_path} ({_megabytes(source_path.stat().st_size)}) "
         f"with the online backup API…")
    source = sqlite3.connect(source_path, timeout=30)
    copy = sqlite3.connect(destination)
    try:
        # One step: the copy is read in a single read transaction, a consistent snapshot; in
        # WAL mode writers go on meanwhile (a step-wise copy would restart on every write).
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        checked = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if checked != "ok":
            raise BackupError(f"The copy of the database failed its integrity check: {checked}")
        counts, revision = _counts_and_revision(lambda sql: copy.execute(sql).fetchall(),
                                                _sqlite_tables(copy))
    finally:
        copy.close()
        source.close()
    echo(f"  database copied, integrity check ok ({_summary(counts)}).")
    return {"engine": "sqlite", "file": SQLITE_FILE, "bytes": destination.stat().st_size,
            "sha256": sha256_of(destination), "alembic_revision": revision, "counts": counts}


def _backup_postgres(url, destination: Path, pg_dump: str, echo: Echo) -> dict:
    from psycopg import IsolationLevel

    with _connect_postgres(url) as connection:
        server = connection.info.server_version
        client = check_pg_dump_version(pg_dump, server)
        # The counts and the dump read the same snapshot: the manifest describes the dump.
        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts, revision = _counts_and_revision(
            lambda sql: connection.execute(sql).fetchall(), _postgres_tables(connection))
        echo(f"Dumping the PostgreSQL database {make_url(url).database} (server {server // 10000}, "
             f"pg_dump {client}, {_summary(counts)})…")
        _run_tool([pg_dump, "--format=custom", "--no-owner", "--no-privileges", "--verbose",
                   f"--snapshot={snapshot}", f"--file={destination}"],
                  _libpq_environment(url), echo, "pg_dump")
        connection.rollback()
    echo(f"  database dumped ({_megabytes(destination.stat().st_size)}).")
    return {"engine": "postgresql", "file": POSTGRES_FILE, "bytes": destination.stat().st_size,
            "sha256": sha256_of(destination), "alembic_revision": revision, "counts": counts,
            "server_version": server // 10000, "pg_dump_version": client}


def _copy_uploads(folder: Path, destination: Path, echo: Echo, progress: Progress) -> dict:
    files = _upload_files(folder)
    destination.mkdir()
    checksums, total = {}, 0
    if not files:
        echo(f"No uploads in {folder}.")
    for path in progress(files, f"Copying {len(files)} uploads") if files else ():
        relative = path.relative_to(folder).as_posix()
        copied = destination / relative
        copied.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy2(path, copied)
        except FileNotFoundError:
            continue  # an abandoned staged upload purged meanwhile: no report names it
        checksums[relative] = sha256_of(copied)
        total += copied.stat().st_size
    return {"count": len(checksums), "bytes": total, "files": checksums}


def _write_archive(staging: Path, target: Path, echo: Echo) -> None:
    echo(f"Writing {target}…")
    partial = target.with_name(target.name + ".part")
    mode = "w:gz" if str(target).endswith((".tar.gz", ".tgz")) else "w"
    with tarfile.open(partial, mode) as archive:
        for path in sorted(staging.rglob("*")):
            archive.add(path, arcname=path.relative_to(staging).as_posix(), recursive=False)
    partial.rename(target)


def _summary(counts: dict) -> str:
    return ", ".join(f"{name}: {counts[name]}" for name in ("reports", "attachments", "users")
                     if name in counts) or "no tables"


# --- restore ----------------------------------------------------------------------------------

def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.exists():
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a Terang backup.")
    manifest = json.loads(path.read_text())
    if manifest.get("application") != "terang" or not isinstance(manifest.get("format"), int):
        raise BackupError(f"{path} is not the manifest of a Terang backup.")
    if manifest["format"] > FORMAT:
        raise BackupError(f"This backup has format {manifest['format']}; this version of Terang "
                          f"reads format {FORMAT} and older. Restore it with a newer Terang.")
    return manifest


def verify(folder: Path, manifest: dict, progress: Progress = _plain) -> None:
    """Every file is there with the size and checksum the manifest gives, or BackupError."""
    database = manifest["database"]
    problems = []
    path = folder / database["file"]
    if not path.exists():
        problems.append(f"{database['file']} is missing")
    elif sha256_of(path) != database["sha256"]:
        problems.append(f"{database['file']} does not match its checksum")
    files = sorted(manifest["uploads"]["files"].items())
    for relative, checksum in progress(files, f"Checking {len(files)} uploads") if files else ():
        copied = folder / UPLOADS / relative
        if not copied.is_file():
            problems.append(f"uploads/{relative} is missing")
        elif sha256_of(copied) != checksum:
            problems.append(f"uploads/{relative} does not match its checksum")
    if problems:
        shown = "; ".join(problems[:10]) + (f" and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise BackupError(f"The backup is damaged, nothing was restored: {shown}.")


def open_backup(path: Path, scratch: Path, echo: Echo = _quiet) -> Path:
    """The folder holding the backup's files: ``path`` itself, or the archive unpacked in
    ``scratch``."""
    path = Path(path)
    if path.is_dir():
        return path
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    if not tarfile.is_tarfile(path):
        raise BackupError(f"{path} is neither a backup directory nor a .tar archive.")
    echo(f"Unpacking {path}…")
    with tarfile.open(path) as archive:
        archive.extractall(scratch, filter="data")
    return scratch


def restore(path: Path, *, database_url: str | URL, upload_folder: Path, force: bool = False,
            pg_restore: str = "pg_restore", echo: Echo = _quiet,
            progress: Progress = _plain) -> Restored:
    """Restore the backup at ``path`` into ``database_url`` and ``upload_folder``.

    Checks the backup first; refuses a target holding data unless ``force``. The caller disposes
    of its own connections to the target before, and migrates to head after.
    """
    engine = engine_of(database_url)
    upload_folder = Path(upload_folder)
    with tempfile.TemporaryDirectory(prefix=".terang-restore-",
                                     dir=Path(path).resolve().parent) as scratch:
        folder = open_backup(Path(path), Path(scratch), echo)
        manifest = read_manifest(folder)
        echo(f"Backup made {manifest['created_at']} of a {manifest['database']['engine']} database "
             f"at revision {manifest['database'].get('alembic_revision')} "
             f"({_summary(manifest['database']['counts'])}, {manifest['uploads']['count']} uploads).")
        if manifest["database"]["engine"] != engine:
            raise BackupError(
                f"This is a backup of a {manifest['database']['engine']} database; the configured "
                f"DATABASE_URL is {engine}. Restore it into a {manifest['database']['engine']} "
                f"database (set DATABASE_URL).")
        verify(folder, manifest, progress)
        echo("Checksums ok.")
        held = database_rows(database_url)
        files = _upload_files(upload_folder)
        if (held or files) and not force:
            what = []
            if held:
                what.append("the database holds " + ", ".join(
                    f"{name} ({'1000+' if n >= 1000 else n})" for name, n in list(held.items())[:6])
                    + (" …" if len(held) > 6 else ""))
            if files:
                what.append(f"{upload_folder} holds {len(files)} files")
            raise BackupError(
                "Refusing to restore over data: " + "; ".join(what) + ". Restoring replaces all "
                "of it. Back it up first (flask backup PATH), then run again with --force.")
        result = Restored(engine=engine, manifest=manifest)
        if held:
            result.replaced.append("database")
        if files:
            result.replaced.append("uploads")
        database_file = folder / manifest["database"]["file"]
        if engine == "sqlite":
            _restore_sqlite(database_file, database_url, echo)
        else:
            _restore_postgres(database_file, database_url, pg_restore, echo)
        result.uploads = _restore_uploads(folder / UPLOADS, upload_folder, files, manifest,
                                          echo, progress)
    return result


def _restore_sqlite(copy_path: Path, url, echo: Echo) -> None:
    target = sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    echo(f"Restoring the database into {target}…")
    source = sqlite3.connect(copy_path)
    destination = sqlite3.connect(target, timeout=30)
    try:
        # The backup API replaces the target's pages in one transaction (WAL or not).
        source.backup(destination)
    finally:
        destination.close()
        source.close()


def _restore_postgres(dump: Path, url, pg_restore: str, echo: Echo) -> None:
    env = _libpq_environment(url)
    with _connect_postgres(url) as connection:
        connection.autocommit = True
        if _postgres_tables(connection):
            # Everything in the public schema goes (checked empty above, or --force given).
            echo(f"Emptying the public schema of {make_url(url).database}…")
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    echo(f"Restoring the database into {make_url(url).database} with pg_restore…")
    _run_tool([pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--verbose",
               f"--dbname={env.get('PGDATABASE', '')}", str(dump)], env, echo, "pg_restore")


def _restore_uploads(source: Path, folder: Path, existing: list[Path], manifest: dict,
                     echo: Echo, progress: Progress) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    if existing:
        echo(f"Removing the {len(existing)} files in {folder}…")
        for child in folder.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    names = sorted(manifest["uploads"]["files"])
    for relative in progress(names, f"Restoring {len(names)} uploads") if names else ():
        copied = folder / relative
        copied.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, copied)
    return len(names)
