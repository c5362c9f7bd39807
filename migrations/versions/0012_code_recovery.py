"""code recovery: one-time links that replace a lost tracking code

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 02:00:00.000000

A reporter who left an e-mail can ask for a link (valid an hour, used once) that issues a new
tracking code and voids the old one (``services/code_recovery.py``). Only hashes are stored.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('code_recoveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_code_recoveries_report_id_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_recoveries')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_code_recoveries_token_hash'))
    )
    with op.batch_alter_table('code_recoveries', schema=None) as batch_op:
        batch_op.create_index('ix_code_recoveries_email_created', ['email_hash', 'created_at'], unique=False)
        batch_op.create_index('ix_code_recoveries_report_created', ['report_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('code_recoveries', schema=None) as batch_op:
        batch_op.drop_index('ix_code_recoveries_report_created')
        batch_op.drop_index('ix_code_recoveries_email_created')

    op.drop_table('code_recoveries')
