"""resolved within a fixed window: the stored counts of resolved_within_window.v1

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 06:30:00

* ``window_eligible`` and ``window_resolved`` on ``agency_month_stats`` and
  ``region_month_stats``: received reports whose 14-working-day window has passed or that were
  resolved within it, and those resolved within it.
* Every agency-month and kab/kota-month with a rollup row is marked for a rebuild, so that the
  next ``flask stats refresh`` fills the new count.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

TABLES = ('agency_month_stats', 'region_month_stats')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in ('window_eligible', 'window_resolved'):
                batch_op.add_column(sa.Column(column, sa.Integer(), server_default='0', nullable=False))
    op.execute(
        "INSERT INTO stats_dirty (agency_id, period) SELECT DISTINCT s.agency_id, s.period "
        "FROM agency_month_stats s WHERE s.agency_id IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM stats_dirty d WHERE d.agency_id = s.agency_id AND d.period = s.period)")
    op.execute(
        "INSERT INTO stats_dirty_regions (region_code, period) SELECT DISTINCT s.region_code, s.period "
        "FROM region_month_stats s WHERE NOT EXISTS ("
        "SELECT 1 FROM stats_dirty_regions d WHERE d.region_code = s.region_code AND d.period = s.period)")


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('window_resolved')
            batch_op.drop_column('window_eligible')
