"""a stop is not the agency's step (methodology 2026.3): every month is rebuilt

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:00:00.000000

No schema change. Under methodology 2026.3 an archive or a transfer away without the agency's
step is no longer its follow-up or resolution (``sla.ClockRun.step_at``/``stopped_at``), so
every agency-month is marked for a rebuild: the next ``flask stats refresh`` recomputes it.
Published snapshots are not touched (see ``statistics.corrections``).

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    # Every agency-month with a rollup row (plain SQL, the same on SQLite and PostgreSQL).
    op.execute("""
        INSERT INTO stats_dirty (agency_id, period)
        SELECT DISTINCT s.agency_id, s.period FROM agency_month_stats s
        WHERE s.agency_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM stats_dirty d WHERE d.agency_id = s.agency_id AND d.period = s.period)
    """)


def downgrade():
    # Nothing to undo: the marks are consumed by the next refresh under whatever rules run then.
    pass
