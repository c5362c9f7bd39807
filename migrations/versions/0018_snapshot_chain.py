"""snapshot chain: each snapshot names the one before it; the database refuses to change one

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 06:30:00

``snapshots.previous_sha256`` holds the sha256 of the snapshot published just before (the
existing ones are linked here, in publication order). Triggers on both databases refuse any
UPDATE or DELETE of a snapshot row, whatever writes to the database: the application's ORM
guard (app/models/statistics.py) is no longer the only one.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

MESSAGE = "snapshots are published and immutable"


def upgrade():
    with op.batch_alter_table('snapshots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_sha256', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, sha256 FROM snapshots ORDER BY id")).fetchall()
    for before, row in zip(rows, rows[1:]):
        connection.execute(sa.text("UPDATE snapshots SET previous_sha256 = :p WHERE id = :i"),
                           {"p": before.sha256, "i": row.id})
    if connection.dialect.name == "sqlite":
        for what in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER snapshots_immutable_{what.lower()} BEFORE {what} ON snapshots "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    else:
        op.execute(f"""CREATE FUNCTION snapshots_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$""")
        op.execute("CREATE TRIGGER snapshots_immutable BEFORE UPDATE OR DELETE ON snapshots "
                   "FOR EACH ROW EXECUTE FUNCTION snapshots_immutable()")


def downgrade():
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS snapshots_immutable_update")
        op.execute("DROP TRIGGER IF EXISTS snapshots_immutable_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS snapshots_immutable ON snapshots")
        op.execute("DROP FUNCTION IF EXISTS snapshots_immutable()")
    with op.batch_alter_table('snapshots', schema=None) as batch_op:
        batch_op.drop_column('previous_sha256')
