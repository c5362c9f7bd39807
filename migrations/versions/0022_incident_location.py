"""incident location: kecamatan, kelurahan/desa, a free-text address and an optional map pin

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 10:40:00

All five columns are nullable: reports filed before (and reports that give only the kab/kota)
have none. app/services/location.py checks the values (a pin is both coordinates or neither,
inside Indonesia's bounds); no CHECK constraint, which would make SQLite rebuild ``reports``. Plain ADD/DROP COLUMN
(SQLite 3.35 or later) leaves the table and its rows in place.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('reports', sa.Column('incident_district_code', sa.String(length=13), nullable=True))
    op.add_column('reports', sa.Column('incident_village_code', sa.String(length=13), nullable=True))
    op.add_column('reports', sa.Column('incident_address', sa.String(length=300), nullable=True))
    op.add_column('reports', sa.Column('incident_lat', sa.Float(), nullable=True))
    op.add_column('reports', sa.Column('incident_lng', sa.Float(), nullable=True))


def downgrade():
    op.drop_column('reports', 'incident_lng')
    op.drop_column('reports', 'incident_lat')
    op.drop_column('reports', 'incident_address')
    op.drop_column('reports', 'incident_village_code')
    op.drop_column('reports', 'incident_district_code')
