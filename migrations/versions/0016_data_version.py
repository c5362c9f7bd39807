"""data version: one row whose counter goes up with every change of public content

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 05:40:00

The page cache (app/page_cache.py) keys public pages and open-data answers by this counter;
``services/data_version.py`` bumps it in the same transaction as a rollup refresh, a
publication, a redaction change, a snapshot or a change of the agency directory. ``epoch`` is
random per database, so a restored or re-created database never reuses another's entries.

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('data_version',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('epoch', sa.String(length=32), nullable=False),
    sa.Column('counter', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version'))
    )
    op.bulk_insert(table, [{"id": 1, "epoch": secrets.token_hex(8), "counter": 0}])


def downgrade():
    op.drop_table('data_version')
