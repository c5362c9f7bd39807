"""report followers: anyone may follow a public report by e-mail (double opt-in)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 10:30:00

``report_followers`` keeps the address (to mail it), a keyed hash of it (lookups, limits) and
SHA-256 hashes of the confirmation and unsubscribe links (``services/following.py``).
``outbox_messages.unsubscribe_url`` carries a follower message's List-Unsubscribe address.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_followers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirm_token_hash', sa.String(length=64), nullable=True),
    sa.Column('confirm_expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('unsubscribe_token_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_followers_report_id_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_followers')),
    sa.UniqueConstraint('report_id', 'email_hash', name='uq_report_followers_report_email'),
    sa.UniqueConstraint('confirm_token_hash', name=op.f('uq_report_followers_confirm_token_hash')),
    sa.UniqueConstraint('unsubscribe_token_hash', name=op.f('uq_report_followers_unsubscribe_token_hash'))
    )
    with op.batch_alter_table('report_followers', schema=None) as batch_op:
        batch_op.create_index('ix_report_followers_email_requested', ['email_hash', 'requested_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_followers_report_id'), ['report_id'], unique=False)
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('unsubscribe_url')
    with op.batch_alter_table('report_followers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_followers_report_id'))
        batch_op.drop_index('ix_report_followers_email_requested')
    op.drop_table('report_followers')
