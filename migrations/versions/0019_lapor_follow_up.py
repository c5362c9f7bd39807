"""LAPOR! follow-up: the stored count of SP4N-LAPOR!'s "tindak lanjut" (selesai + proses)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 06:30:00

* ``agency_month_stats.lapor_followed_up`` and ``region_month_stats.lapor_followed_up``: received
  reports now resolved or closed, or still open at the agency after a step of its own (the
  numerator of ``follow_up_rate_lapor.v1``).
* Every agency-month and kab/kota-month with a rollup row is marked for a rebuild, so that the
  next ``flask stats refresh`` fills the new count.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

TABLES = ('agency_month_stats', 'region_month_stats')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('lapor_followed_up', sa.Integer(), server_default='0',
                                          nullable=False))
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
            batch_op.drop_column('lapor_followed_up')
