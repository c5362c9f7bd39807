"""one definition of the clocks: reopened resolution clock, dispute-rate base, data brought in line

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00.000000

* ``reports.reopened_at``: a disputed resolution starts a fresh resolution clock there.
* ``agency_month_stats.ever_resolved``: reports the agency resolved at least once since they
  arrived (the dispute rate's denominator, methodology 2026.2).
* Existing data: ``first_response_at`` is now set by any public step of the agency (respond,
  request_info, resolve; see ``sla.FIRST_RESPONSE_ACTIONS``), not only by ``respond``;
  ``reopened_at`` is the last dispute at the current agency; and every agency-month is marked
  for a rebuild, so that the next ``flask stats refresh`` recomputes it under the new rules.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Existing data under the new rules (plain SQL, the same on SQLite and PostgreSQL).
DATA_STATEMENTS = (
    # The agency's first public step since the report reached it (routed_at: the last arrival).
    """
    UPDATE reports SET first_response_at = (
        SELECT MIN(e.created_at) FROM report_events e
        WHERE e.report_id = reports.id AND e.created_at >= reports.routed_at
          AND e.action IN ('respond', 'request_info', 'resolve')
          AND e.actor_kind = 'officer' AND e.actor_agency_id IS NOT NULL
          AND e.is_internal = false)
    WHERE first_response_at IS NULL AND routed_at IS NOT NULL
    """,
    # The last dispute at the current agency starts the reopened resolution clock.
    """
    UPDATE reports SET reopened_at = (
        SELECT MAX(e.created_at) FROM report_events e
        WHERE e.report_id = reports.id AND e.action = 'dispute'
          AND e.created_at >= reports.routed_at)
    WHERE routed_at IS NOT NULL
    """,
    # Every agency-month is rebuilt by the next `flask stats refresh` under methodology 2026.2.
    """
    INSERT INTO stats_dirty (agency_id, period)
    SELECT DISTINCT s.agency_id, s.period FROM agency_month_stats s
    WHERE s.agency_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM stats_dirty d WHERE d.agency_id = s.agency_id AND d.period = s.period)
    """,
)


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('agency_month_stats', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ever_resolved', sa.Integer(), server_default='0',
                                      nullable=False))

    for statement in DATA_STATEMENTS:
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('agency_month_stats', schema=None) as batch_op:
        batch_op.drop_column('ever_resolved')

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('reopened_at')
