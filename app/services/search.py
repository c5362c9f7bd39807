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
TITLE_WEIGHT, BODY_WEIGHT = 2.0, 1.0  # bm25() column weights on SQLite

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
    phrase), a prefix term followed by ``*``; terms side by side mean AND."""
    parts = []
    for term in terms:
        quoted = '"' + term.text.replace('"', '""') + '"'
        parts.append(quoted + " *" if term.prefix else quoted)
    return " ".join(parts)


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


def public_matches(text: str | None):
    """The public reports that ``text`` finds, as a subquery of ``(report_id, score)`` — a lower
    score is a better match — or None when ``text`` holds nothing to search for (no word).

    Join it to :class:`Report` on ``report_id`` and keep :func:`board.public_reports_query`'s
    conditions: the index holds public reports only, and the join says so once more.
    """
    reference = (text or "").strip().upper()
    if _REFERENCE.fullmatch(reference):
        return (select(Report.id.label("report_id"), literal(0.0, Float).label("score"))
                .where(Report.reference == reference).subquery("matches"))
    terms = parse(text)
    if not terms:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        index = table(SEARCH_INDEX, column("report_id", Integer), column("document", TSVECTOR))
        query = _tsquery(terms)
        # As a double: the score goes into the next page's cursor and must come back exact.
        score = cast(-func.ts_rank(index.c.document, query), DOUBLE_PRECISION)
        return (select(index.c.report_id, score.label("score"))
                .where(index.c.document.op("@@")(query)).subquery("matches"))
    index = table(SEARCH_INDEX, column("rowid", Integer))
    fts = literal_column(SEARCH_INDEX)
    return (select(index.c.rowid.label("report_id"),
                   func.bm25(fts, TITLE_WEIGHT, BODY_WEIGHT).label("score"))
            .where(fts.op("MATCH")(_fts5_expression(terms))).subquery("matches"))
