"""Engine set-up and the write transaction (the unit of work itself is app/unit_of_work.py).

SQLite is set up for a multi-worker server: WAL so readers never block the writer, a busy
timeout so a second writer waits instead of failing, and foreign keys enforced. pysqlite's own
transaction handling is switched off so that SQLAlchemy emits ``BEGIN`` itself; a write
transaction starts with ``BEGIN IMMEDIATE``, taking the write lock before its first read, so it
can never fail half-way with "database is locked" when it later upgrades to a writer.
"""
import sqlite3
import time

from sqlalchemy import event, insert
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine

from .extensions import db

WRITE_OPTION = "terang_write_transaction"
FLUSHED = "terang_flushed"
# Set while a request's unit of work runs (app/unit_of_work.py): begin_write is strict then.
STRICT = "terang_unit_of_work"
# How deep the @writes service calls are nested (the outermost one holds the savepoint).
WRITES_DEPTH = "terang_writes_depth"
# A write transaction declared but not begun yet: begun at the session's first statement.
PENDING = "terang_write_pending"


def configure_engine(engine: Engine) -> None:
    """Install the SQLite pragmas and BEGIN handling on ``engine`` (no-op elsewhere)."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get(WRITE_OPTION):
            begin_immediate(connection)
        else:
            connection.exec_driver_sql("BEGIN")


BUSY_TIMEOUT_MS = 10_000  # how long a statement waits for a lock before "database is locked"
WRITER_POLL_SECONDS = 0.0002  # how often a writer waiting for the write lock asks again


def begin_immediate(connection) -> None:
    """``BEGIN IMMEDIATE`` on the SQLite ``connection`` (SQLAlchemy's): the write lock, waited for by
    asking again every :data:`WRITER_POLL_SECONDS` until :data:`BUSY_TIMEOUT_MS` has passed.

    SQLite's own busy handler (``busy_timeout``) sleeps 1, 2, 5, 10, 15… ms between its tries,
    while a filing holds the write lock about 3 ms: the lock often sat free while the other
    worker slept, and both workers filed less than one could (``make bench``, ``POST /lapor``).
    So this one statement is sent with the busy timeout off and asked again at once; after
    that it is sent with SQLite's own wait, which raises "database is locked" as before.
    """
    raw = connection.connection.driver_connection
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    raw.execute("PRAGMA busy_timeout=0")
    try:
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
            time.sleep(WRITER_POLL_SECONDS)
    finally:
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def insert_ignore(table, **values):
    """``INSERT`` one row into ``table`` (a model or a Table) unless its unique key is taken
    (``ON CONFLICT DO NOTHING``), on SQLite and PostgreSQL alike.

    On SQLite it is ``INSERT OR IGNORE``, the same for these rows (every column given, none
    null; a foreign key is still enforced), as a plain Core insert: SQLAlchemy caches its
    compiled SQL, whereas the dialects' ``on_conflict_do_nothing`` statements are compiled
    again on every execution (they are not cacheable).
    """
    return ignoring_insert(table).values(**values)


_IGNORING: dict[tuple[str, str], object] = {}


def ignoring_insert(table):
    """:func:`insert_ignore` without its values: one statement per table and database, built
    once and executed with the row as its parameters (``db.session.execute(stmt, row)``), so
    that a filing neither builds nor keys it again (its compiled SQL is cached on SQLite)."""
    table = getattr(table, "__table__", table)
    dialect = db.session.get_bind().dialect.name
    statement = _IGNORING.get((table.name, dialect))
    if statement is None:
        statement = (postgresql.insert(table).on_conflict_do_nothing() if dialect == "postgresql"
                     else insert(table).prefix_with("OR IGNORE", dialect="sqlite"))
        _IGNORING[(table.name, dialect)] = statement
    return statement


class ReadBeforeWrite(RuntimeError):
    """A unit of work that was begun as a reader tried to write after it had read.

    On SQLite a transaction that has read cannot safely become a writer (its snapshot may be
    stale by then), and ending it would expire what the caller holds. A request that writes is
    begun as a writer instead: every POST, and the GET views marked with
    ``unit_of_work.view_writes`` (see app/unit_of_work.py).
    """


def begin_write(*, at_first_statement: bool = False) -> None:
    """Make this session's transaction a write transaction; call it before the first read.

    ``BEGIN IMMEDIATE`` on SQLite (the database's write lock, taken before the first read);
    on PostgreSQL an ordinary transaction, where row locks (``SELECT … FOR UPDATE``) do the
    same job. A transaction that is a writer already, or has written already (it holds the
    write lock), is kept as it is.

    A transaction that has only *read* so far is never ended behind its caller's back inside
    a unit of work (a request, a CLI command): that raises :class:`ReadBeforeWrite`, because
    the unit of work should have begun as a writer. Outside one (a service called from a
    test or a shell), such a transaction is ended and begun again as a writer, so that what
    was read is read again under the lock.

    ``at_first_statement=True`` (the request of a view marked
    ``unit_of_work.lock_at_first_statement``) declares the writer without beginning it yet:
    ``BEGIN IMMEDIATE`` is sent just before the session's first statement, whatever it is (a
    read, a flush), so nothing is read before the lock, but the work the request does before it
    needs the database (parsing the form, CSRF, the form's own checks) does not hold every
    other writer up. On SQLite writers
    take turns, so the time a writer holds the lock bounds how many filings a second all the
    workers together can make.
    """
    session = db.session()  # the real Session behind the scoped proxy
    if session.info.get(WRITE_OPTION):
        return
    has_written = session.info.get(FLUSHED) or session.new or session.dirty or session.deleted
    if session.in_transaction() and not has_written:
        if session.info.get(STRICT):
            raise ReadBeforeWrite("this unit of work read before it declared that it writes")
        session.rollback()
    if not session.in_transaction():
        if at_first_statement:
            session.info[PENDING] = True
        else:
            session.connection(execution_options={WRITE_OPTION: True})
    session.info[WRITE_OPTION] = True


def begin_pending_writer(session, *_flush_args) -> None:
    """Before a session's flush (``before_flush``), and through :func:`begin_pending_writer_at`
    before its statements: begin the write transaction that :func:`begin_write` declared with
    ``at_first_statement``."""
    if session.info.pop(PENDING, False):
        session.connection(execution_options={WRITE_OPTION: True})


def begin_pending_writer_at(orm_execute_state) -> None:
    """``do_orm_execute``: :func:`begin_pending_writer` before the session's statement."""
    begin_pending_writer(orm_execute_state.session)


def forget_pending_writer(session, _transaction, _connection) -> None:
    """``after_begin``: the session has its connection; nothing is pending any more (a
    connection got some other way than a statement or a flush is not made a writer later)."""
    session.info.pop(PENDING, None)


def write_connection():
    """The connection of this session's write transaction (begun now if it was declared with
    ``at_first_statement``), for Core statements that need none of the ORM's execute events:
    the filing's own rows (``workflow.file_new``)."""
    session = db.session()
    begin_pending_writer(session)
    return session.connection()


def is_writing() -> bool:
    """Whether this session's transaction is a write transaction (see begin_write)."""
    return bool(db.session().info.get(WRITE_OPTION))


def note_flush(session, _flush_context) -> None:
    """Remember that this transaction has written (see begin_write)."""
    session.info[FLUSHED] = True


def clear_write_flag(session, transaction) -> None:
    """Forget the write flag when the session's outermost transaction ends."""
    if transaction.parent is None:
        session.info.pop(WRITE_OPTION, None)
        session.info.pop(PENDING, None)
        session.info.pop(FLUSHED, None)
        session.info.pop("terang_stats_marked", None)
        session.info.pop(WRITES_DEPTH, None)
