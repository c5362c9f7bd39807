"""SQLite is set up for a multi-worker server; write transactions take the lock up front."""
import sqlite3

import pytest
from sqlalchemy import create_engine

from app.database import WRITE_OPTION, configure_engine


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    configure_engine(engine)
    yield engine
    engine.dispose()


def test_sqlite_runs_in_wal_with_busy_timeout_and_foreign_keys(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(sqlite_engine):
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, "
                             "parent_id INTEGER REFERENCES parent(id))")
    with pytest.raises(Exception, match="FOREIGN KEY"):
        with sqlite_engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO child (parent_id) VALUES (42)")


def test_a_write_transaction_holds_the_write_lock_from_its_first_statement(sqlite_engine, tmp_path):
    """A second writer cannot start while a write transaction is open, even before it writes.

    That is what keeps a transaction from failing half-way with "database is locked" when it
    upgrades from reading to writing.
    """
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with sqlite_engine.connect().execution_options(**{WRITE_OPTION: True}) as writer:
        writer.begin()
        writer.exec_driver_sql("SELECT count(*) FROM t").scalar()  # only a read so far
        other = sqlite3.connect(str(tmp_path / "pragmas.db"), timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        # Readers are never blocked (WAL).
        assert other.execute("SELECT count(*) FROM t").fetchone() == (0,)
        other.close()
        writer.rollback()


def test_plain_transactions_do_not_take_the_write_lock(sqlite_engine, tmp_path):
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with sqlite_engine.connect() as reader:
        reader.begin()
        reader.exec_driver_sql("SELECT count(*) FROM t").scalar()
        other = sqlite3.connect(str(tmp_path / "pragmas.db"), timeout=0.1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
        reader.rollback()


def test_a_waiting_writer_takes_the_lock_as_soon_as_it_is_free(sqlite_engine, tmp_path, monkeypatch):
    """A second writer asks for the write lock again every fraction of a millisecond itself
    instead of sleeping in SQLite's busy handler (1, 2, 5, 10… ms between tries): it begins once
    the first one has committed, and the connection's busy timeout is what it was, for every
    other statement."""
    import threading
    import time

    from app import database

    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    holder = sqlite3.connect(tmp_path / "pragmas.db", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = {}
    real_sleep = time.sleep  # time.sleep itself is replaced below, to count the writer's waits

    def release_soon():
        deadline = time.monotonic() + 5
        while not waits and time.monotonic() < deadline:  # the writer has asked at least once
            real_sleep(0.001)
        holder.execute("INSERT INTO t VALUES (1)")
        released["at"] = time.monotonic()
        holder.execute("COMMIT")

    waits = []

    def sleep(seconds):
        waits.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(database.time, "sleep", sleep)
    releaser = threading.Thread(target=release_soon)
    releaser.start()
    with sqlite_engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
        with conn.begin():
            began = time.monotonic()
            conn.exec_driver_sql("INSERT INTO t VALUES (2)")
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == database.BUSY_TIMEOUT_MS
    releaser.join()
    holder.close()
    # It waited in its own short steps (SQLite's busy handler would have waited without any),
    # and began only after the first writer was done.
    assert waits and set(waits) == {database.WRITER_POLL_SECONDS}
    assert began >= released["at"]
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 2


def test_a_writer_that_waits_too_long_is_told_the_database_is_locked(sqlite_engine, tmp_path, monkeypatch):
    """Past its timeout the writer gets SQLite's own "database is locked", as before."""
    from sqlalchemy.exc import OperationalError

    from app import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 100)
    with sqlite_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    holder = sqlite3.connect(tmp_path / "pragmas.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"):
            with sqlite_engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
                with conn.begin():
                    conn.exec_driver_sql("INSERT INTO t VALUES (2)")
    finally:
        holder.close()
