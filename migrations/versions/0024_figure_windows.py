"""figure windows: figures of the board's months precomputed by stats refresh

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 18:00:00

``figure_windows`` holds what a board page used to add up over every agency at read time (the
best and worst agencies of the twelve months, with their figures), written by ``flask stats
refresh`` beside the national rollup rows. Empty after the upgrade: the pages compute the
figure themselves until the next refresh writes it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('figure_windows',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('periods', sa.Text(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_figure_windows'))
    )


def downgrade():
    op.drop_table('figure_windows')
