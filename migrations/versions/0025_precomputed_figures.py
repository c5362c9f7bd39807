"""precomputed figures: the board's ranking (figure_windows) and packed histograms

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 18:00:00

``figure_windows`` holds what a board page used to add up over every agency at read time (the
best and worst agencies of the twelve months, with their figures), written by ``flask stats
refresh`` beside the national rollup rows. Empty after the upgrade: the pages compute the
figure themselves until the next refresh writes it.

``agency_month_histograms`` packs each ``agency_month_stats`` row's duration histograms (its
``duration_buckets``) as JSON, so that a page reads one row per agency-month, not one per
distinct day. Empty after the upgrade: the pages read ``duration_buckets`` until ``flask stats
refresh --everything`` (or the refresh of each month) writes them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
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
    op.create_table('agency_month_histograms',
    sa.Column('stats_id', sa.Integer(), nullable=False),
    sa.Column('histograms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['stats_id'], ['agency_month_stats.id'],
                            name=op.f('fk_agency_month_histograms_stats_id_agency_month_stats')),
    sa.PrimaryKeyConstraint('stats_id', name=op.f('pk_agency_month_histograms'))
    )


def downgrade():
    op.drop_table('agency_month_histograms')
    op.drop_table('figure_windows')
