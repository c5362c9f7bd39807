"""public reports: their count kept by triggers; indexes of the board's list by submission time

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 18:10:00

``public_report_count`` is one row: the number of public reports (``board.is_public``, the rule
of migration 0010's search index), so that the board's unfiltered list and the API say exactly
how many there are without counting them (``board.public_report_total``). Triggers on ``reports``
keep it in the same transaction as whatever publishes a report or takes it off the board, as
migration 0010's keep the search index: row by row on SQLite (a ``WHEN`` clause: a filing, which
is not public, does not touch the row), once per statement on PostgreSQL (transition tables: a
bulk insert adds its public reports in one update).

``ix_reports_public_submitted`` (partial: the public reports only) serves the unfiltered list's
pages newest first without stepping over the newest reports still waiting for verification;
``ix_reports_status_submitted`` and ``ix_reports_report_type_submitted`` replace the indexes of
those columns alone, so that the list filtered by status or type reads its page in order (as
0010's by category and kab/kota) instead of sorting every report of that status (at a million:
655,000 closed reports, 2.2 s; now 0.2 ms).

As with migration 0010, a later migration that rebuilds ``reports`` on SQLite drops these
triggers and must create them again (``SQLITE_TRIGGERS``); the demo's bulk load sets them aside
and, when it is done, adds the public reports it wrote to the count (``app/demo/bulk.py``).
"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def _search_migration():
    """Migration 0010, for its one SQL spelling of the public rule (``_public``)."""
    spec = importlib.util.spec_from_file_location(
        "migration_0010", Path(__file__).with_name("0010_search_and_event_index.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_public = _search_migration()._public
# The index's condition as the ORM writes board.public_reports_query's (a copy of the model's
# PUBLIC_INDEX_WHERE as it is at this revision: a migration does not follow later models).
PUBLIC_INDEX_WHERE = {
    database: (f"is_confidential IS {false} AND agency_id IS NOT NULL AND routed_at IS NOT NULL"
               f" AND public_body IS NOT NULL AND status != 'submitted'")
    for database, false in (("sqlite", "0"), ("postgresql", "false"))}
_ADD = "UPDATE public_report_count SET reports = reports + ({delta}) WHERE id = 1"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER public_report_count_insert AFTER INSERT ON reports
    WHEN {_public('new', '0')}
    BEGIN {_ADD.format(delta='1')}; END""",
    f"""CREATE TRIGGER public_report_count_update AFTER UPDATE ON reports
    WHEN {_public('old', '0')} IS NOT {_public('new', '0')}
    BEGIN {_ADD.format(delta=f"CASE WHEN {_public('new', '0')} THEN 1 ELSE -1 END")}; END""",
    f"""CREATE TRIGGER public_report_count_delete AFTER DELETE ON reports
    WHEN {_public('old', '0')}
    BEGIN {_ADD.format(delta='-1')}; END""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS public_report_count_insert",
               "DROP TRIGGER IF EXISTS public_report_count_update",
               "DROP TRIGGER IF EXISTS public_report_count_delete"]

POSTGRESQL_UP = [
    f"""CREATE FUNCTION public_report_count_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        delta bigint := 0;
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            SELECT count(*) INTO delta FROM new_rows AS n WHERE {_public('n', 'false')};
        END IF;
        IF TG_OP <> 'INSERT' THEN
            delta := delta - (SELECT count(*) FROM old_rows AS o WHERE {_public('o', 'false')});
        END IF;
        IF delta <> 0 THEN
            {_ADD.format(delta='delta')};
        END IF;
        RETURN NULL;
    END
    $$""",
    # One trigger per event: PostgreSQL allows transition tables only on a single-event trigger.
    "CREATE TRIGGER public_report_count_insert AFTER INSERT ON reports "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public_report_count_sync()",
    "CREATE TRIGGER public_report_count_update AFTER UPDATE ON reports "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION public_report_count_sync()",
    "CREATE TRIGGER public_report_count_delete AFTER DELETE ON reports "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public_report_count_sync()",
]
POSTGRESQL_DOWN = ["DROP TRIGGER IF EXISTS public_report_count_insert ON reports",
                   "DROP TRIGGER IF EXISTS public_report_count_update ON reports",
                   "DROP TRIGGER IF EXISTS public_report_count_delete ON reports",
                   "DROP FUNCTION IF EXISTS public_report_count_sync()"]


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    where = sa.text(PUBLIC_INDEX_WHERE["postgresql" if _on_postgresql() else "sqlite"])
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_public_submitted', ['submitted_at', 'id'], unique=False,
                              sqlite_where=where, postgresql_where=where)
        for column in ('status', 'report_type'):
            batch_op.drop_index(f'ix_reports_{column}')
            batch_op.create_index(f'ix_reports_{column}_submitted', [column, 'submitted_at'],
                                  unique=False)
    op.create_table('public_report_count',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('reports', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_report_count'))
    )
    false = 'false' if _on_postgresql() else '0'
    op.execute("INSERT INTO public_report_count (id, reports) "
               f"SELECT 1, count(*) FROM reports WHERE {_public('', false)}")
    for statement in (POSTGRESQL_UP if _on_postgresql() else SQLITE_TRIGGERS):
        op.execute(statement)


def downgrade():
    for statement in (POSTGRESQL_DOWN if _on_postgresql() else SQLITE_DOWN):
        op.execute(statement)
    op.drop_table('public_report_count')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        for column in ('report_type', 'status'):
            batch_op.drop_index(f'ix_reports_{column}_submitted')
            batch_op.create_index(f'ix_reports_{column}', [column], unique=False)
        batch_op.drop_index('ix_reports_public_submitted')
