"""Full-text search of the public reports' public text: the one place that turns what a reader
typed into matches.

What is searched is exactly what the public reads: the redacted public title and text
(``Report.public_title``/``public_body``, :func:`redaction.publishable`) of the reports on the
board (:func:`board.is_public`), never the original, never a ``rahasia`` report. The index
(``report_search``, migration 0010) is an FTS5 table on SQLite and a table of ``tsvector``
documents with a GIN index on PostgreSQL; triggers on ``reports`` keep it in the same
transaction as any change of the public text or of whether the report is public.

The query syntax (``/transparansi/laporan?q=``, ``/api/v1/complaints?q=``):

- words separated by spaces must all appear (AND), in the title or the text, in any order;
  case does not matter (accents do, alike on both databases); a word matches a whole word
  (``jalan`` finds "Jalan" but not "jalanan");
- ``"lampu jalan"`` in double quotes: the words next to each other, in that order;
- ``perbai*``: a word ending in ``*`` matches every word that starts so;
- a report's reference alone (``LPR-2026-0001234``) finds that report;
- anything else (punctuation, operators) is read as a separator, never as syntax; at most
  :data:`MAX_TERMS` words or phrases count.

Matches are ranked by relevance: BM25 on SQLite (``bm25()``, the title weighing twice the
text), ``ts_rank`` on PostgreSQL (the title weighted ``A``, the text ``B``). Ranking needs every
match scored, so the board's list ranks a search alone only when it has at most
``board.RANK_AT_MOST`` matches; a commoner word's matches come newest first (report id, the
order both indexes hand them in), page by page by keyset (:func:`board.public_report_list`).

The list's filters are in the index too (migration 0028), as words of their own: a ``facets``
column of the FTS5 table, a second ``tsvector`` (``facets``, its own GIN index) on PostgreSQL,
holding for each public report ``a<agency id> c<category id> r<kab/kota> p<province>
t<type> s<status>`` (:func:`facets_sql`, :func:`facet_word`; a value's ``x``, ``.`` and ``_``
written ``xx``, ``xd``, ``xu``, so that each word is letters and digits only, one word for both
tokenizers, and no two values share one: ``r31xd71 p31 sinxuprogress``). Two filters together,
or a filter and words, are then one intersection of the index's lists
(:func:`facet_matches`, :func:`public_matches`'s ``facets``), which both indexes skip through,
instead of a walk of one filter's reports testing the other (a rare combination read the first
filter's reports to the end: docs/performance.md). The words typed are looked for in the title
and the text only (``{title body} :`` on SQLite; PostgreSQL's ``document`` holds no facet), so
that ``sclosed`` typed finds no closed report. The facets weigh nothing in BM25 (weight 0), but
their five or six words count in each row's length, which BM25 compares with the average: on
SQLite a ranked search's order could differ from before 0028 between two matches of nearly
equal score (at a million reports the whole orders of five searches, 2,230 to 40,161 matches,
came out identical; docs/performance.md).
The province word is the kab/kota's ``regions.parent_code`` when the report is indexed:
regions are reference data, their parents do not change (a change would need the index
rebuilt: the triggers remove a row with the words it was indexed with).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Float, Integer, cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION, TSVECTOR
from sqlalchemy.sql import column, table

from ..extensions import db
from ..models import Report
from ..models.report import SEARCH_INDEX

MAX_TERMS = 6
# bm25() column weights on SQLite: the title, the text, the facets (which do not score).
TITLE_WEIGHT, BODY_WEIGHT, FACETS_WEIGHT = 2.0, 1.0, 0.0
# The text columns of the FTS5 table, where the words typed are looked for.
TEXT_COLUMNS = "{title body}"

# A phrase in double quotes, or a run of anything but spaces and quotes. Neither part can
# backtrack: each is a single character class repeated.
_TERM = re.compile(r'"([^"]*)"?|([^\s"]+)')
# A word as both engines cut words: letters and digits (of any script).
_WORD = re.compile(r"[^\W_]+")
_REFERENCE = re.compile(r"[A-Z]{1,10}-\d{4}-\d{7}")


@dataclass(frozen=True)
class Term:
    """A word or a phrase to find: its text as typed, and whether it is a prefix (``kata*``)."""

    text: str
    prefix: bool = False


def parse(text: str | None) -> list[Term]:
    """The terms of ``text`` (at most :data:`MAX_TERMS`): quoted phrases and single words; a
    term without a letter or a digit is left out."""
    terms: list[Term] = []
    for match in _TERM.finditer((text or "").replace("\x00", " ")):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            if _WORD.search(phrase):
                terms.append(Term(phrase.strip()))
        elif word.endswith("*") and _WORD.fullmatch(word.rstrip("*")):
            terms.append(Term(word.rstrip("*").lower(), prefix=True))
        elif _WORD.search(word):
            terms.append(Term(word))
        if len(terms) == MAX_TERMS:
            break
    return terms


def _fts5_expression(terms: list[Term]) -> str:
    """An FTS5 query: each term a string (FTS5 cuts it into words as it cut the text: a
    phrase), a prefix term followed by ``*``; terms side by side mean AND; in the title and the
    text only (not the facets)."""
    parts = []
    for term in terms:
        quoted = '"' + term.text.replace('"', '""') + '"'
        parts.append(quoted + " *" if term.prefix else quoted)
    return f"{TEXT_COLUMNS} : ({' '.join(parts)})"


def _tsquery(terms: list[Term]):
    """A PostgreSQL tsquery: each term through ``phraseto_tsquery`` (PostgreSQL's parser cuts it
    as it cut the text), a prefix term as ``'word':*``; joined with ``&&`` (AND)."""
    query = None
    for term in terms:
        if term.prefix:
            # The word is letters and digits only (parse checked it): nothing to escape.
            part = func.to_tsquery(literal_column("'simple'"), literal(f"'{term.text}':*"))
        else:
            part = func.phraseto_tsquery(literal_column("'simple'"), literal(term.text))
        query = part if query is None else query.op("&&")(part)
    return query


def public_matches(text: str | None, facets: list[str] | None = None):
    """The public reports that ``text`` finds, as a subquery of ``(report_id, score)`` — a lower
    score is a better match — or None when ``text`` holds nothing to search for (no word).
    With ``facets`` (words of :func:`facet_word`), only the reports that have them all: one
    intersection inside the index (the score is the text's alone).

    Join it to :class:`Report` on ``report_id`` and keep :func:`board.public_reports_query`'s
    conditions: the index holds public reports only, and the join says so once more.
    """
    reference = (text or "").strip().upper()
    if _REFERENCE.fullmatch(reference):
        query = select(Report.id.label("report_id"), literal(0.0, Float).label("score")).where(
            Report.reference == reference)
        if facets:
            found = facet_matches(facets)
            query = query.where(Report.id.in_(select(found.c.report_id)))
        return query.subquery("matches")
    terms = parse(text)
    if not terms:
        return None
    if _on_postgresql():
        index = table(SEARCH_INDEX, column("report_id", Integer), column("document", TSVECTOR),
                      column(FACETS_COLUMN, TSVECTOR))
        query = _tsquery(terms)
        # As a double: the score goes into the next page's cursor and must come back exact.
        score = cast(-func.ts_rank(index.c.document, query), DOUBLE_PRECISION)
        matches = select(index.c.report_id, score.label("score")).where(
            index.c.document.op("@@")(query))
        if facets:
            matches = matches.where(index.c[FACETS_COLUMN].op("@@")(_facets_tsquery(facets)))
        return matches.subquery("matches")
    index = table(SEARCH_INDEX, column("rowid", Integer))
    fts = literal_column(SEARCH_INDEX)
    expression = _fts5_expression(terms)
    if facets:
        expression += " AND " + _fts5_facets(facets)
    return (select(index.c.rowid.label("report_id"),
                   func.bm25(fts, TITLE_WEIGHT, BODY_WEIGHT, FACETS_WEIGHT).label("score"))
            .where(fts.op("MATCH")(expression)).subquery("matches"))


# --- the filters as words (migration 0028) ----------------------------------------------------

FACETS_COLUMN = "facets"
# The letter before each filter's value in its word.
AGENCY, CATEGORY, REGION, PROVINCE, TYPE, STATUS = "a", "c", "r", "p", "t", "s"
_FACET_WORD = re.compile(r"[a-z0-9]+")


def facet_word(kind: str, value) -> str | None:
    """The index's word for a filter's value (``kind`` one of :data:`AGENCY` … :data:`STATUS`),
    the same as :func:`facets_sql` writes: ``x``, ``.`` and ``_`` spelled ``xx``, ``xd``,
    ``xu`` (two values never share a word). None when the word would not be one word of lower
    case letters and digits: no report's value makes such a word (region codes are digits and
    dots, types and statuses lower case words), so the filter matches nothing."""
    word = kind + str(value).replace("x", "xx").replace(".", "xd").replace("_", "xu")
    return word if _FACET_WORD.fullmatch(word) else None


def _escaped_sql(expression: str) -> str:
    return f"replace(replace(replace({expression}, 'x', 'xx'), '.', 'xd'), '_', 'xu')"


def facets_sql(row: str) -> str:
    """SQL (the same on SQLite and PostgreSQL) for the facet words of a ``reports`` row:
    ``row`` is the prefix of its columns (``new.``, ``OLD.``, ``reports.``). A report without
    a category has no ``c`` word; the province is the kab/kota's parent in ``regions``."""
    province = f"(SELECT parent_code FROM regions WHERE code = {row}region_code)"
    return " || ' ' || ".join([
        f"'{AGENCY}' || {row}agency_id",
        f"coalesce('{CATEGORY}' || {row}category_id, '')",
        f"coalesce('{REGION}' || {_escaped_sql(row + 'region_code')}, '')",
        f"coalesce('{PROVINCE}' || {_escaped_sql(province)}, '')",
        f"'{TYPE}' || {_escaped_sql(row + 'report_type')}",
        f"'{STATUS}' || {_escaped_sql(row + 'status')}",
    ])


def _fts5_facets(words: list[str]) -> str:
    return f"{FACETS_COLUMN} : ({' '.join(chr(34) + word + chr(34) for word in words)})"


def _facets_tsquery(words: list[str]):
    # The words are letters and digits only (facet_word): nothing to escape.
    return func.to_tsquery(literal_column("'simple'"), literal(" & ".join(words)))


def facet_matches(words: list[str]):
    """The public reports that have every facet word of ``words`` (at least one), as a
    subquery of ``(report_id)``: read from the index in id order, which a ``LIMIT`` and a bound
    on the id (``report_id < ?``) cut short (FTS5 hands its rowids in order; PostgreSQL reads
    the GIN index's intersection)."""
    if _on_postgresql():
        index = table(SEARCH_INDEX, column("report_id", Integer), column(FACETS_COLUMN, TSVECTOR))
        return (select(index.c.report_id)
                .where(index.c[FACETS_COLUMN].op("@@")(_facets_tsquery(words))).subquery("facets"))
    index = table(SEARCH_INDEX, column("rowid", Integer))
    return (select(index.c.rowid.label("report_id"))
            .where(literal_column(SEARCH_INDEX).op("MATCH")(_fts5_facets(words)))
            .subquery("facets"))


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"
