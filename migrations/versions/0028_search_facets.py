"""the board's filters as words of the search index (facets), for filters combined

Revision ID: 0028
Revises: 0025
Create Date: 2026-12-03 08:20:00

The board's list filtered by two things (a category and a province, an agency and a status)
walked one filter's index and tested the other on each row: a rare combination read all of the
first filter's reports (docs/performance.md, "The list and search at a million (issue 12)"). Each public
report's filter values are now words of the search index (``app/services/search.py``:
``facets_sql``, ``facet_word``), ``a<agency> c<category> r<kab/kota> p<province> t<type>
s<status>``, so that any set of filters (with or without words typed) is one intersection of
the index's lists, which FTS5 and GIN skip through.

- SQLite: FTS5 cannot add a column: a new ``report_search`` (title, body, facets) is made and
  filled from ``reports``, then takes the old one's place; its triggers also follow a change of
  agency, category, kab/kota, type or status of a public report.
- PostgreSQL: ``report_search.facets``, a ``tsvector`` (``simple``) with its own GIN index,
  filled from ``reports``; the trigger function writes it, the update trigger follows the same
  columns.

Down: the index as migration 0010 made it (SQLite: rebuilt without the column), its triggers.
As with 0010 and 0024, a later migration that rebuilds ``reports`` on SQLite must create the
triggers again (``SQLITE_TRIGGERS``).
"""
import importlib.util
from pathlib import Path

from alembic import op


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0025'
branch_labels = None
depends_on = None


def _migration(name: str):
    spec = importlib.util.spec_from_file_location(f"migration_{name[:4]}", Path(__file__).with_name(name))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_0010 = _migration("0010_search_and_event_index.py")
_public = _0010._public


# A copy of search.facets_sql as this revision wrote the index (a migration does not follow a
# later module; tests/unit/test_search.py checks that the two still agree).
def _escaped(expression: str) -> str:
    return f"replace(replace(replace({expression}, 'x', 'xx'), '.', 'xd'), '_', 'xu')"


def _facets(row: str) -> str:
    province = f"(SELECT parent_code FROM regions WHERE code = {row}region_code)"
    return " || ' ' || ".join([
        f"'a' || {row}agency_id",
        f"coalesce('c' || {row}category_id, '')",
        f"coalesce('r' || {_escaped(row + 'region_code')}, '')",
        f"coalesce('p' || {_escaped(province)}, '')",
        f"'t' || {_escaped(row + 'report_type')}",
        f"'s' || {_escaped(row + 'status')}",
    ])


_FACET_COLUMNS = ("agency_id", "category_id", "region_code", "report_type", "status")


def _facets_changed(old: str, new: str, distinct: str) -> str:
    return " OR ".join(f"{old}.{c} {distinct} {new}.{c}" for c in _FACET_COLUMNS)


# --- SQLite: a contentless FTS5 table of three columns; a row leaves it by the 'delete' command
# with the values it was indexed with.
_FTS5 = ("CREATE VIRTUAL TABLE {name} USING fts5({columns}, content='', "
         "tokenize='unicode61 remove_diacritics 0')")
_SQLITE_INSERT = ("INSERT INTO report_search (rowid, title, body, facets) "
                  "SELECT {r}.id, coalesce({r}.public_title, ''), {r}.public_body, {facets} "
                  "WHERE {public}")
_SQLITE_DELETE = ("INSERT INTO report_search (report_search, rowid, title, body, facets) "
                  "SELECT 'delete', {r}.id, coalesce({r}.public_title, ''), {r}.public_body, "
                  "{facets} WHERE {public}")


def _sqlite_row(template: str, r: str) -> str:
    return template.format(r=r, facets=_facets(f"{r}."), public=_public(r, '0'))


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER report_search_insert AFTER INSERT ON reports BEGIN
        {_sqlite_row(_SQLITE_INSERT, 'new')};
    END""",
    f"""CREATE TRIGGER report_search_update AFTER UPDATE ON reports
    WHEN old.public_title IS NOT new.public_title OR old.public_body IS NOT new.public_body
         OR {_public('old', '0')} IS NOT {_public('new', '0')}
         OR ({_public('new', '0')} AND ({_facets_changed('old', 'new', 'IS NOT')}))
    BEGIN
        {_sqlite_row(_SQLITE_DELETE, 'old')};
        {_sqlite_row(_SQLITE_INSERT, 'new')};
    END""",
    f"""CREATE TRIGGER report_search_delete AFTER DELETE ON reports BEGIN
        {_sqlite_row(_SQLITE_DELETE, 'old')};
    END""",
]
_DROP_SQLITE_TRIGGERS = [f"DROP TRIGGER IF EXISTS report_search_{name}"
                         for name in ("insert", "update", "delete")]


def _rebuilt(columns: str, values: str) -> list[str]:
    """Statements that put in ``report_search``'s place an FTS5 table of ``columns``, filled
    with ``values`` of each public report (FTS5 cannot add or drop a column)."""
    return [
        *_DROP_SQLITE_TRIGGERS,
        _FTS5.format(name="report_search_new", columns=columns),
        f"INSERT INTO report_search_new (rowid, {columns}) SELECT id, {values} FROM reports "
        f"WHERE {_public('reports', '0')} ORDER BY id",
        "DROP TABLE report_search",
        "ALTER TABLE report_search_new RENAME TO report_search",
    ]


SQLITE_UP = [*_rebuilt("title, body, facets",
                       f"coalesce(public_title, ''), public_body, {_facets('reports.')}"),
             *SQLITE_TRIGGERS]
SQLITE_DOWN = [*_rebuilt("title, body", "coalesce(public_title, ''), public_body"),
               *_0010.SQLITE_TRIGGERS]

# --- PostgreSQL: a second tsvector, its GIN index; the trigger function writes both.
_PG_DOCUMENT = _0010._PG_DOCUMENT
POSTGRESQL_UP = [
    "ALTER TABLE report_search ADD COLUMN facets TSVECTOR",
    f"UPDATE report_search SET facets = to_tsvector('simple', {_facets('r.')}) "
    "FROM reports AS r WHERE r.id = report_search.report_id",
    "ALTER TABLE report_search ALTER COLUMN facets SET NOT NULL",
    "CREATE INDEX ix_report_search_facets ON report_search USING gin (facets)",
    f"""CREATE OR REPLACE FUNCTION report_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            DELETE FROM report_search WHERE report_id = OLD.id;
        END IF;
        IF TG_OP <> 'DELETE' AND {_public('NEW', 'false')} THEN
            INSERT INTO report_search (report_id, document, facets)
            VALUES (NEW.id, {_PG_DOCUMENT.format(r='NEW.')},
                    to_tsvector('simple', {_facets('NEW.')}));
        END IF;
        RETURN NULL;
    END
    $$""",
    "DROP TRIGGER report_search_update ON reports",
    f"""CREATE TRIGGER report_search_update AFTER UPDATE ON reports FOR EACH ROW
    WHEN (OLD.public_title IS DISTINCT FROM NEW.public_title
          OR OLD.public_body IS DISTINCT FROM NEW.public_body
          OR {_public('OLD', 'false')} IS DISTINCT FROM {_public('NEW', 'false')}
          OR ({_public('NEW', 'false')} AND ({_facets_changed('OLD', 'NEW', 'IS DISTINCT FROM')})))
    EXECUTE FUNCTION report_search_sync()""",
]
# 0010's function and update trigger, as they were (the function is replaced in place).
_PG_0010_FUNCTION = next(s for s in _0010.POSTGRESQL_UP if s.startswith("CREATE FUNCTION"))
_PG_0010_UPDATE = next(s for s in _0010.POSTGRESQL_UP
                       if s.startswith("CREATE TRIGGER report_search_update"))
POSTGRESQL_DOWN = [
    "DROP TRIGGER report_search_update ON reports",
    _PG_0010_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1),
    _PG_0010_UPDATE,
    "DROP INDEX ix_report_search_facets",
    "ALTER TABLE report_search DROP COLUMN facets",
]


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    for statement in (POSTGRESQL_UP if _on_postgresql() else SQLITE_UP):
        op.execute(statement)


def downgrade():
    for statement in (POSTGRESQL_DOWN if _on_postgresql() else SQLITE_DOWN):
        op.execute(statement)
