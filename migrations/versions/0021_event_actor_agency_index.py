"""event actor agency index: the rollups find the reports an agency transferred away by index

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 07:05:00

Rebuilding one agency-month asks for the reports an agency received (``target_agency_id``,
indexed by 0010) and those it transferred away (``actor_agency_id`` of a transfer). Without
this index the second question read every event, once per agency-month.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_events_actor_agency_id'), ['actor_agency_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_events_actor_agency_id'))
