"""What the verifier's eye needs on the verification screen: the automatic proposal cut into
segments (plain text, masked spans, spans the machine is unsure of), and what the verifier
restored of what the machine had masked (logged, never the text itself).

Pure (no Flask, no database). :func:`uncertain_spans` is a small stand-in until the redaction
module has its own (``redaction.uncertain_spans``): then it is used instead, and this one goes.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from . import redaction

NAME_CUE, LONG_NUMBER = "name_cue", "long_number"
UNCERTAIN_KINDS = (NAME_CUE, LONG_NUMBER)


class Uncertain(NamedTuple):
    """A span of a text the machine left unmasked but may be personal data."""

    start: int
    end: int
    kind: str  # NAME_CUE or LONG_NUMBER (the redaction module may add its own kinds)
    text: str


# Words after which a person's name usually follows in Indonesian complaints.
_CUES = (r"saya|nama\s+saya|nama|bapak|ibu|pak|bu|bpk\.?|sdr\.?|sdri\.?|a\.n\.?|atas\s+nama|"
         r"bin|binti|anak\s+saya|suami\s+saya|istri\s+saya|ayah\s+saya|ibu\s+saya|tetangga\s+saya|"
         r"bernama")
# A capitalised word; a dot only after an initial ("M. Yusuf"), not at the end of a sentence.
_WORD = r"(?:[A-Z]\.|[A-Z][\w'’\-]*)"
# The cue in any case, the name capitalised (up to four words); no nested quantifiers.
_AFTER_CUE = re.compile(
    rf"(?<!\w)(?i:{_CUES})(?:[ \t]*:[ \t]*|[ \t]+)({_WORD}(?:[ \t]+{_WORD}){{0,3}})")
_CAPITALISED = re.compile(_WORD)
_LONG_DIGITS = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){5,}(?!\d)")
_MASK = re.compile(r"\[[A-Z]+\]")


def _fallback_uncertain_spans(text: str) -> list[Uncertain]:
    """Capitalised words after a name cue and runs of six digits or more, left unmasked."""
    text = text or ""
    masks = [m.span() for m in _MASK.finditer(text)]

    def masked(start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in masks)

    found: list[Uncertain] = []
    for match in _AFTER_CUE.finditer(text):
        start, end = match.span(1)
        words = match.group(1)
        # The cue itself is matched without regard to case; the name must start with a capital.
        if not _CAPITALISED.match(words) or masked(start, end):
            continue
        found.append(Uncertain(start, end, NAME_CUE, text[start:end]))
    for match in _LONG_DIGITS.finditer(text):
        if not masked(*match.span()):
            found.append(Uncertain(match.start(), match.end(), LONG_NUMBER, match.group()))
    found.sort()
    kept: list[Uncertain] = []
    for span in found:  # no overlaps: the first one wins
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept


def uncertain_spans(text: str) -> list[Uncertain]:
    """Spans of ``text`` (a redacted proposal) the machine did not mask but may be personal
    data, as ``(start, end, kind, text)``: the redaction module's own finder when it has one."""
    finder = getattr(redaction, "uncertain_spans", None)
    if finder is None:
        return _fallback_uncertain_spans(text)
    return [Uncertain(*tuple(span)[:4]) for span in finder(text)]


@dataclass(frozen=True)
class Segment:
    """A piece of the proposal as the verification screen shows it: ``kind`` is None (plain
    text), ``"masked"`` (a mask such as ``[NIK]``) or ``"uncertain"`` (with ``label``, the
    uncertain span's kind)."""

    text: str
    kind: str | None = None
    label: str | None = None


def segments(text: str) -> list[Segment]:
    """``text`` (a redacted proposal) cut into plain, masked and uncertain segments, in order."""
    text = text or ""
    marks = [(m.start(), m.end(), "masked", None) for m in _MASK.finditer(text)]
    marks += [(u.start, u.end, "uncertain", u.kind) for u in uncertain_spans(text)
              if not any(s < u.end and u.start < e for s, e, _, _ in marks)]
    marks.sort()
    out: list[Segment] = []
    at = 0
    for start, end, kind, label in marks:
        if start < at:
            continue
        if start > at:
            out.append(Segment(text[at:start]))
        out.append(Segment(text[start:end], kind, label))
        at = end
    if at < len(text):
        out.append(Segment(text[at:]))
    return out


def unmasked_kinds(report, public_title: str | None, public_body: str | None) -> Counter:
    """What the verifier restored: the findings of the automatic proposal of ``report``'s
    title and text whose written form is back in the confirmed public title or text, counted
    by kind (``{"NAMA": 1}``). Never the restored text itself: only kinds and counts are
    logged."""
    restored: Counter = Counter()
    for original, public in ((report.title, public_title), (report.body, public_body)):
        if not original or not public:
            continue
        for finding in redaction.proposal(report, original).findings:
            written = finding.text.strip()
            if len(written) >= 3 and written in public:
                restored[finding.kind] += 1
    return restored


def describe_counts(counts: Counter) -> str:
    """``NAMA=1;TELEPON=2``: kinds and counts for the audit trail, in a stable order."""
    return ";".join(f"{kind}={counts[kind]}" for kind in sorted(counts))
