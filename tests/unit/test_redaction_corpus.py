"""The redactor measured on a corpus of realistic complaint texts (tests/data/redaction_corpus.yaml).

Recall: the share of annotated personal items that end up wholly masked; false positives: the
share of ordinary phrases (dates, amounts, public places, schools, agencies) that a mask
touches. Run ``pytest -s tests/unit/test_redaction_corpus.py`` (or
``python -m tests.unit.test_redaction_corpus``) to print the figures per category; the docs
(docs/privacy.md, "Corpus figures") quote them.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from app.services.redaction import redact, uncertain_spans

CORPUS = Path(__file__).resolve().parent.parent / "data" / "redaction_corpus.yaml"
PERSONAL = ("name", "number", "contact", "address", "plate")
STRUCTURED = ("number", "contact", "plate")


def _occurrences(text: str, item: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(item)
    while at >= 0:
        spans.append((at, at + len(item)))
        at = text.find(item, at + 1)
    return spans


def measure(corpus: Path = CORPUS) -> dict:
    """Counts per category: items, masked, missed (with the texts of the misses)."""
    entries = yaml.safe_load(corpus.read_text(encoding="utf-8"))
    totals: Counter = Counter()
    masked: Counter = Counter()
    misses: list[tuple[str, str]] = []
    lost: list[str] = []
    flagged_officials = 0
    for entry in entries:
        text = entry["text"]
        result = redact(text, reporter_name=entry.get("reporter"))
        covered = set()
        for f in result.findings:
            covered.update(range(f.start, f.end))
        for category in PERSONAL:
            for item in entry.get(category) or []:
                spans = _occurrences(text, str(item))
                assert spans, f"{item!r} is not in its text"
                totals[category] += 1
                # Masked when every letter and digit of it is (a space between two masks
                # reveals nothing).
                if all(all(i in covered for i in range(a, b) if text[i].isalnum())
                       for a, b in spans):
                    masked[category] += 1
                else:
                    misses.append((category, str(item)))
        for phrase in entry.get("keep") or []:
            spans = _occurrences(text, str(phrase))
            assert spans, f"{phrase!r} is not in its text"
            totals["keep"] += 1
            if any(i in covered for a, b in spans for i in range(a, b)):
                lost.append(str(phrase))
        officials = entry.get("official") or []
        if officials:
            uncertain = uncertain_spans(text, entry.get("reporter"))
            for name in officials:
                totals["official"] += 1
                start = text.find(name)
                if any(u.start <= start < u.end for u in uncertain):
                    flagged_officials += 1
    return {"texts": len(entries), "totals": totals, "masked": masked, "misses": misses,
            "lost": lost, "flagged_officials": flagged_officials}


def report(figures: dict) -> str:
    totals, masked = figures["totals"], figures["masked"]
    lines = [f"{figures['texts']} texts"]
    for category in PERSONAL:
        if totals[category]:
            lines.append(f"{category:8s} {masked[category]:4d}/{totals[category]:<4d} "
                         f"recall {masked[category] / totals[category]:.1%}")
    items = sum(totals[c] for c in PERSONAL)
    hits = sum(masked[c] for c in PERSONAL)
    lines.append(f"{'all':8s} {hits:4d}/{items:<4d} recall {hits / items:.1%}")
    keep = totals["keep"]
    lines.append(f"ordinary phrases lost {len(figures['lost'])}/{keep} "
                 f"({len(figures['lost']) / keep:.1%})")
    if totals["official"]:
        lines.append(f"officials shown to the verifier {figures['flagged_officials']}/"
                     f"{totals['official']}")
    lines += [f"  missed {c}: {t!r}" for c, t in figures["misses"]]
    lines += [f"  lost: {t!r}" for t in figures["lost"]]
    return "\n".join(lines)


def test_the_corpus_is_big_enough():
    figures = measure()
    totals = figures["totals"]
    assert figures["texts"] >= 60
    assert sum(totals[c] for c in PERSONAL) >= 200
    assert totals["keep"] >= 100


def test_recall_and_false_positives_on_the_corpus():
    figures = measure()
    print("\n" + report(figures))
    totals, masked = figures["totals"], figures["masked"]
    items = sum(totals[c] for c in PERSONAL)
    assert sum(masked[c] for c in PERSONAL) / items >= 0.95
    for category in STRUCTURED:  # numbers, phones, e-mails and plates: every one
        assert masked[category] == totals[category], figures["misses"]
    assert len(figures["lost"]) / totals["keep"] <= 0.02, figures["lost"]
    assert figures["flagged_officials"] == totals["official"]


BATCH3 = {split: CORPUS.with_name(f"redaction_batch3_{split}.yaml") for split in ("dev", "test")}
# Floors for the third batch (docs/privacy.md, Corpus figures): names, all personal items, the
# structured kinds that must all go, and ordinary phrases touched at most.
# (After issue 10: test half names 89.0%, all 91.3%, 2.1% lost.)
BATCH3_FLOORS = {"dev": (0.95, 0.96, 0.015), "test": (0.88, 0.905, 0.03)}


@pytest.mark.parametrize("split", BATCH3)
def test_the_third_batch_holds_its_floors(split):
    figures = measure(BATCH3[split])
    print("\n" + report(figures))
    totals, masked = figures["totals"], figures["masked"]
    names, everything, lost = BATCH3_FLOORS[split]
    assert masked["name"] / totals["name"] >= names
    assert sum(masked[c] for c in PERSONAL) / sum(totals[c] for c in PERSONAL) >= everything
    for category in ("contact", "plate"):
        assert masked[category] == totals[category], figures["misses"]
    assert len(figures["lost"]) / totals["keep"] <= lost, figures["lost"]


BATCH4 = {split: CORPUS.with_name(f"redaction_batch4_{split}.yaml") for split in ("dev", "test")}
# Floors for the fourth batch (docs/privacy.md, Corpus figures), measured after the change
# (dev: names 93.1%, all 94.5%, 0.7% lost; test: names 89.2%, all 90.7%, 4.4% lost), and after
# issue 10 (dev: names 94.3%, all 95.2%, 0.4% lost; test: names 90.4%, all 91.4%, 4.0% lost).
BATCH4_FLOORS = {"dev": (0.93, 0.94, 0.01), "test": (0.89, 0.905, 0.045)}


@pytest.mark.parametrize("split", BATCH4)
def test_the_fourth_batch_holds_its_floors(split):
    figures = measure(BATCH4[split])
    print("\n" + report(figures))
    totals, masked = figures["totals"], figures["masked"]
    names, everything, lost = BATCH4_FLOORS[split]
    assert masked["name"] / totals["name"] >= names
    assert sum(masked[c] for c in PERSONAL) / sum(totals[c] for c in PERSONAL) >= everything
    assert masked["contact"] == totals["contact"], figures["misses"]
    assert len(figures["lost"]) / totals["keep"] <= lost, figures["lost"]


BATCH5 = {split: CORPUS.with_name(f"redaction_batch5_{split}.yaml") for split in ("dev", "test")}
# Floors for the fifth batch (docs/privacy.md, Corpus figures), measured after tuning on its dev
# half (dev: names 96.6%, all 97.5%, 2.2% lost; test: names 95.7%, all 97.0%, 3.3% lost).
BATCH5_FLOORS = {"dev": (0.955, 0.965, 0.025), "test": (0.945, 0.96, 0.04)}


@pytest.mark.parametrize("split", BATCH5)
def test_the_fifth_batch_holds_its_floors(split):
    figures = measure(BATCH5[split])
    print("\n" + report(figures))
    totals, masked = figures["totals"], figures["masked"]
    names, everything, lost = BATCH5_FLOORS[split]
    assert masked["name"] / totals["name"] >= names
    assert sum(masked[c] for c in PERSONAL) / sum(totals[c] for c in PERSONAL) >= everything
    assert masked["contact"] == totals["contact"], figures["misses"]
    assert len(figures["lost"]) / totals["keep"] <= lost, figures["lost"]


if __name__ == "__main__":  # python -m tests.unit.test_redaction_corpus [corpus.yaml …]
    import sys

    for path in sys.argv[1:] or [CORPUS]:
        print(report(measure(Path(path))))
