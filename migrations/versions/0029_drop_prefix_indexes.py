"""drop the indexes of reports.agency_id, category_id and region_code alone

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 17:30:00

Each was the first column of a (column, submitted_at) index made later (migrations 0008 and
0010), which serves a look-up by the column alone just as well, on SQLite and PostgreSQL: three
indexes that every filed report updated and no query needed. At a million reports each cost the
demo seed about 1.7 s to build again after its bulk load (see docs/performance.md,
"The seed's serial tail, session 9").
"""
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

DROPPED = (("ix_reports_agency_id", "agency_id"), ("ix_reports_category_id", "category_id"),
           ("ix_reports_region_code", "region_code"))


def upgrade():
    for name, _column in DROPPED:
        op.drop_index(name, table_name="reports")


def downgrade():
    for name, column in DROPPED:
        op.create_index(name, "reports", [column], unique=False)
