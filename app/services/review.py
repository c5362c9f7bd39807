"""What the verifier's eye needs on the verification screen: the automatic proposal cut into
segments (plain text, masked spans, spans the machine is unsure of), and what the verifier
restored of what the machine had masked (logged, never the text itself).

Pure (no Flask, no database). The spans come from :func:`redaction.uncertain_spans`, the
detectors' own account of where they are unsure.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from . import redaction

NAME_CUE, LONG_NUMBER, OFFICIAL = "name_cue", "long_number", "official"
UNCERTAIN_KINDS = (NAME_CUE, LONG_NUMBER, OFFICIAL)



class Uncertain(NamedTuple):
    """A span of a text the machine left unmasked but may be personal data."""

    start: int
    end: int
    kind: str  # NAME_CUE, LONG_NUMBER or OFFICIAL
    text: str


def uncertain_spans(text: str) -> list[Uncertain]:
    """Spans of ``text`` (a redacted proposal) the machine did not mask but may be personal
    data, as ``(start, end, kind, text)``: :func:`redaction.uncertain_spans` (officials named in
    their role, names after weak cues, unmasked long numbers)."""
    return [Uncertain(*tuple(span)[:4]) for span in redaction.uncertain_spans(text or "")]


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
    marks = [(m.start(), m.end(), "masked", None) for m in redaction.MASK_RE.finditer(text)]
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
