"""Engine set-up and the write-transaction helper.

SQLite is set up for a multi-worker server: WAL so readers never block the writer, a busy
timeout so a second writer waits instead of failing, and foreign keys enforced. pysqlite's own
transaction handling is switched off so that SQLAlchemy emits ``BEGIN`` itself; a write
transaction starts with ``BEGIN IMMEDIATE``, taking the write lock before its first read, so it
can never fail half-way with "database is locked" when it later upgrades to a writer.
"""
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

WRITE_OPTION = "terang_write_transaction"
FLUSHED = "terang_flushed"


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
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write() -> None:
    """Start this request's write transaction.

    Call it before the first read of a unit of work that will write. A transaction that has
    only *read* so far is rolled back (objects reload on access) and begun again as a writer:
    ``BEGIN IMMEDIATE`` on SQLite; on PostgreSQL an ordinary transaction, where row locks
    (``SELECT … FOR UPDATE``) do the same job. A transaction that has already written is
    kept as it is — it holds the write lock already, and its work must not be lost.
    """
    session = db.session()  # the real Session behind the scoped proxy
    if session.info.get(WRITE_OPTION):
        return
    has_written = session.info.get(FLUSHED) or session.new or session.dirty or session.deleted
    if session.in_transaction() and not has_written:
        session.rollback()
    if not session.in_transaction():
        session.connection(execution_options={WRITE_OPTION: True})
    session.info[WRITE_OPTION] = True


def note_flush(session, _flush_context) -> None:
    """Remember that this transaction has written (see begin_write)."""
    session.info[FLUSHED] = True


def clear_write_flag(session, transaction) -> None:
    """Forget the write flag when the session's outermost transaction ends."""
    if transaction.parent is None:
        session.info.pop(WRITE_OPTION, None)
        session.info.pop(FLUSHED, None)
        session.info.pop("terang_stats_marked", None)
