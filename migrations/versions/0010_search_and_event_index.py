"""full-text search of the public text; indexes of events by target agency and of the board's list

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 02:00:00.000000

What a million reports need (docs/performance.md):

- ``ix_report_events_target_agency_id``: the rollups ask, per agency-month, for every report the
  agency received (``report_events.target_agency_id``); without the index each of them read
  every event.
- ``ix_reports_category_submitted``, ``ix_reports_region_submitted``: the board's list filtered
  by category or kab/kota reads its page in order from where the last one ended (keyset), with
  no sort of every report of the category.
- ``report_search``, the full-text index of the *public* title and text
  (``app/services/search.py``): on SQLite a contentless FTS5 table (its rowid is the report's
  id), on PostgreSQL a table of ``tsvector`` documents (``simple`` configuration, the title
  weighted above the text) with a GIN index. It holds a row for each public report only (the
  rule of ``board.is_public``) and is kept by triggers on ``reports``: whatever code publishes a
  report, changes its public text or makes it ``rahasia``, the index follows in the same
  transaction. Existing public reports are indexed here.

A later migration that rebuilds ``reports`` on SQLite (``batch_alter_table`` with
``recreate="always"``, or a change Alembic can only make by copying the table) drops its
triggers: it must run ``SQLITE_TRIGGERS`` again afterwards.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def _public(row: str, false: str) -> str:
    """SQL for "``row`` (``new`` or ``old``, or empty for the table) is on the board":
    ``board.is_public`` (verified, routed, not rahasia, with a public text)."""
    prefix = f"{row}." if row else ""
    return (f"({prefix}is_confidential = {false} AND {prefix}agency_id IS NOT NULL"
            f" AND {prefix}routed_at IS NOT NULL AND {prefix}public_body IS NOT NULL"
            f" AND {prefix}status <> 'submitted')")


# --- SQLite: a contentless FTS5 table; a row leaves it by the 'delete' command with the values
# it was indexed with, which the triggers have as old.public_title / old.public_body.
_SQLITE_INSERT = ("INSERT INTO report_search (rowid, title, body) "
                  "SELECT {r}.id, coalesce({r}.public_title, ''), {r}.public_body WHERE {public}")
_SQLITE_DELETE = ("INSERT INTO report_search (report_search, rowid, title, body) "
                  "SELECT 'delete', {r}.id, coalesce({r}.public_title, ''), {r}.public_body "
                  "WHERE {public}")
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER report_search_insert AFTER INSERT ON reports BEGIN
        {_SQLITE_INSERT.format(r='new', public=_public('new', '0'))};
    END""",
    f"""CREATE TRIGGER report_search_update AFTER UPDATE ON reports
    WHEN old.public_title IS NOT new.public_title OR old.public_body IS NOT new.public_body
         OR {_public('old', '0')} IS NOT {_public('new', '0')}
    BEGIN
        {_SQLITE_DELETE.format(r='old', public=_public('old', '0'))};
        {_SQLITE_INSERT.format(r='new', public=_public('new', '0'))};
    END""",
    f"""CREATE TRIGGER report_search_delete AFTER DELETE ON reports BEGIN
        {_SQLITE_DELETE.format(r='old', public=_public('old', '0'))};
    END""",
]
SQLITE_UP = [
    "CREATE VIRTUAL TABLE report_search USING fts5("
    "title, body, content='', tokenize='unicode61 remove_diacritics 0')",
    *SQLITE_TRIGGERS,
    "INSERT INTO report_search (rowid, title, body) "
    f"SELECT id, coalesce(public_title, ''), public_body FROM reports WHERE {_public('', '0')}",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS report_search_insert",
    "DROP TRIGGER IF EXISTS report_search_update",
    "DROP TRIGGER IF EXISTS report_search_delete",
    "DROP TABLE IF EXISTS report_search",
]

# --- PostgreSQL: one tsvector per public report, the title weighted A and the text B.
_PG_DOCUMENT = ("setweight(to_tsvector('simple', coalesce({r}public_title, '')), 'A') || "
                "setweight(to_tsvector('simple', {r}public_body), 'B')")
POSTGRESQL_UP = [
    "CREATE TABLE report_search (report_id INTEGER PRIMARY KEY, document TSVECTOR NOT NULL)",
    "CREATE INDEX ix_report_search_document ON report_search USING gin (document)",
    f"""CREATE FUNCTION report_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM report_search WHERE report_id = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' AND {_public('NEW', 'false')} THEN
            INSERT INTO report_search (report_id, document)
            VALUES (NEW.id, {_PG_DOCUMENT.format(r='NEW.')});
        END IF;
        RETURN NULL;
    END
    $$""",
    "CREATE TRIGGER report_search_insert_delete AFTER INSERT OR DELETE ON reports "
    "FOR EACH ROW EXECUTE FUNCTION report_search_sync()",
    f"""CREATE TRIGGER report_search_update AFTER UPDATE ON reports FOR EACH ROW
    WHEN (OLD.public_title IS DISTINCT FROM NEW.public_title
          OR OLD.public_body IS DISTINCT FROM NEW.public_body
          OR {_public('OLD', 'false')} IS DISTINCT FROM {_public('NEW', 'false')})
    EXECUTE FUNCTION report_search_sync()""",
    "INSERT INTO report_search (report_id, document) "
    f"SELECT id, {_PG_DOCUMENT.format(r='')} FROM reports WHERE {_public('', 'false')}",
]
POSTGRESQL_DOWN = [
    "DROP TRIGGER IF EXISTS report_search_update ON reports",
    "DROP TRIGGER IF EXISTS report_search_insert_delete ON reports",
    "DROP FUNCTION IF EXISTS report_search_sync()",
    "DROP TABLE IF EXISTS report_search",
]


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_events_target_agency_id'), ['target_agency_id'],
                              unique=False)
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_category_submitted', ['category_id', 'submitted_at'],
                              unique=False)
        batch_op.create_index('ix_reports_region_submitted', ['region_code', 'submitted_at'],
                              unique=False)
    for statement in (POSTGRESQL_UP if _on_postgresql() else SQLITE_UP):
        op.execute(statement)


def downgrade():
    for statement in (POSTGRESQL_DOWN if _on_postgresql() else SQLITE_DOWN):
        op.execute(statement)
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_region_submitted')
        batch_op.drop_index('ix_reports_category_submitted')
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_events_target_agency_id'))
