"""``flask reference load``: regions, categories and agencies from CSV files, all or nothing.

Each test runs in the rolled-back ``db_session``, on top of the suite's own small reference data
(tests/data/*.csv); most load a small operator directory written to ``tmp_path``.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Category, Region, Report, User
from app.models.region import PROVINCE
from app.models.region import REGENCY as REGION_REGENCY
from app.services import reference
from tests import factories

HEADER = "slug,level,parent,region_code,name,short_name\n"
DIRECTORY = HEADER + (
    "pemprov-sumbar,provincial,,13,Pemerintah Provinsi Sumatera Barat,Pemprov Sumbar\n"
    "dinkes-sumbar,unit,pemprov-sumbar,13,Dinas Kesehatan Provinsi Sumatera Barat,Dinkes\n"
    "rsud-padang,unit,pemkot-padang,13.71,RSUD dr. Rasidin Padang,RSUD Rasidin\n"
    "kemenag,national,,,Kementerian Agama,Kemenag\n"
)
CATEGORIES = "slug,name_id,name_en\nkesehatan,Kesehatan,Health\nsosial,Sosial,Social welfare\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def files(tmp_path: Path, agencies: str = DIRECTORY, categories: str = CATEGORIES) -> dict:
    return dict(agencies=write(tmp_path, "agencies.csv", agencies),
                categories=write(tmp_path, "categories.csv", categories))


def get(slug: str) -> Agency | None:
    return db.session.scalar(select(Agency).where(Agency.slug == slug))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def snapshot() -> list:
    rows = db.session.execute(select(Agency.id, Agency.slug, Agency.name, Agency.short_name,
                                     Agency.level, Agency.parent_id, Agency.region_code,
                                     Agency.is_active).order_by(Agency.id)).all()
    categories = db.session.execute(select(Category.id, Category.slug, Category.name_id,
                                           Category.name_en).order_by(Category.id)).all()
    return [tuple(r) for r in rows] + [tuple(c) for c in categories]


def problems_of(tmp_path, agencies=DIRECTORY, categories=CATEGORIES) -> list[str]:
    return [str(p) for p in reference.read(**files(tmp_path, agencies, categories)).problems]


# --------------------------------------------------------------------------- loading

def test_an_operator_directory_is_loaded_with_its_tree_and_no_accounts(db_session, tmp_path):
    users = count(User)
    summary = reference.load_files(**files(tmp_path))
    assert (summary.agencies_added, summary.categories_added) == (4, 1)
    padang = get("pemkot-padang")  # already there (the suite's data): a parent from the database
    assert get("rsud-padang").parent_id == padang.id
    dinkes = get("dinkes-sumbar")
    assert (dinkes.parent_id, dinkes.region_code, dinkes.level, dinkes.short_name) == (
        get("pemprov-sumbar").id, "13", "unit", "Dinkes")
    assert get("kemenag").parent_id is None and get("kemenag").is_active
    assert db.session.scalar(select(Category.name_en).where(Category.slug == "sosial")) == \
        "Social welfare"
    assert count(User) == users
    levels = dict(db.session.execute(select(Region.level, func.count()).group_by(Region.level)).all())
    assert levels == {PROVINCE: 38, REGION_REGENCY: 514}


def test_loading_twice_changes_nothing(db_session, tmp_path):
    paths = files(tmp_path)
    assert reference.load_files(**paths).changed
    before = snapshot()
    again = reference.load_files(**paths)
    assert not again.changed
    assert str(again).startswith("0 regions added; categories: 0 added, 0 updated; "
                                 "agencies: 0 added, 0 updated.")
    assert snapshot() == before


def test_an_updated_file_renames_and_moves_and_never_deletes(db_session, tmp_path):
    reference.load_files(**files(tmp_path))
    receipt = factories.file_report(agency_slug="rsud-padang", category_slug="kesehatan")
    report = db.session.scalar(select(Report).where(Report.reference == receipt.reference))
    rsud_id = get("rsud-padang").id
    updated = HEADER + (
        "pemprov-sumbar,provincial,,13,Pemerintah Provinsi Sumatera Barat,Pemprov Sumbar\n"
        # renamed, moved under the province, its short name dropped
        "rsud-padang,unit,pemprov-sumbar,13,RSUD Provinsi di Padang,\n"
        "kemenag,national,,,Kementerian Agama Republik Indonesia,Kemenag\n"
        # dinkes-sumbar is no longer listed
    )
    summary = reference.load_files(**files(tmp_path, updated,
                                           "slug,name_id,name_en\nsosial,Sosial,Social affairs\n"))
    assert (summary.agencies_added, summary.agencies_updated) == (0, 2)
    assert summary.categories_updated == 1
    assert summary.agencies_not_in_file >= 1 and "(kept)" in str(summary)
    db.session.expire_all()
    rsud = get("rsud-padang")
    assert (rsud.id, rsud.name, rsud.short_name, rsud.region_code) == (
        rsud_id, "RSUD Provinsi di Padang", None, "13")
    assert rsud.parent_id == get("pemprov-sumbar").id
    assert get("kemenag").name == "Kementerian Agama Republik Indonesia"
    assert get("dinkes-sumbar") is not None  # not deleted
    assert db.session.get(Report, report.id).requested_agency_id == rsud_id
    assert get("kemenkes") is not None  # the database's own agencies stay too


def test_an_active_column_retires_an_agency(db_session, tmp_path):
    reference.load_files(**files(tmp_path))
    retired = ("slug,level,parent,region_code,name,short_name,active\n"
               "kemenag,national,,,Kementerian Agama,Kemenag,0\n"
               "rsud-padang,unit,pemkot-padang,13.71,RSUD dr. Rasidin Padang,RSUD Rasidin,\n")
    summary = reference.load_files(**files(tmp_path, retired))
    assert summary.agencies_updated == 1
    db.session.expire_all()
    assert not get("kemenag").is_active and get("rsud-padang").is_active


def test_a_child_may_come_before_its_parent_in_the_file(db_session, tmp_path):
    children_first = HEADER + (
        "unit-b,unit,gov-a,13.71,Unit B,\n"
        "gov-a,regency,,13.71,Government A,\n"
        "unit-c,unit,unit-b,13.71,Unit C under B,\n"
    )
    reference.load_files(**files(tmp_path, children_first))
    assert get("unit-b").parent_id == get("gov-a").id
    assert get("unit-c").parent_id == get("unit-b").id


def test_the_repository_files_are_valid_and_complete(db_session):
    directory = reference.read()
    assert directory.problems == []
    assert len(directory.agencies) > 6000 and len(directory.categories) >= 20
    governments = {row.region_code for row in directory.agencies
                   if row.level in ("provincial", "regency")}
    assert governments == set(db.session.scalars(select(Region.code)))  # one per region
    assert not [row for row in directory.agencies if "ombudsman" in row.name.lower()]


def test_the_repository_files_load_in_one_go_and_only_once(db_session):
    users = count(User)
    first = reference.load_files()
    assert first.agencies_added > 6000
    assert get("dinkes-kota-padang").parent_id == get("pemkot-padang").id
    assert get("disdik-provinsi-jawa-barat").parent_id == get("pemprov-jawa-barat").id
    assert not reference.load_files().changed
    assert count(User) == users


# --------------------------------------------------------------------------- validation

def test_every_problem_is_reported_with_its_line_and_nothing_is_written(db_session, tmp_path):
    broken = HEADER + (
        "gov-a,regency,,13.71,Government A,\n"              # 2: fine
        "gov-a,regency,,13.72,Government A again,\n"        # 3: duplicate slug
        "unit-x,unit,nowhere,13.71,Unit X,\n"               # 4: unknown parent
        "gov-b,regency,,99.99,Government B,\n"              # 5: region not found
        "gov-c,ministry,,,Government C,\n"                  # 6: unknown level
        "unit-y,unit,,13.71,Unit Y,\n"                      # 7: a unit without parent
        "gov-d,regency,,13.71,,\n"                          # 8: empty name
        "Gov E,regency,,13.71,Government E,\n"              # 9: bad slug
        "loop-1,unit,loop-2,13.71,Loop 1,\n"                # 10: cycle
        "loop-2,unit,loop-1,13.71,Loop 2,\n"                # 11: cycle
        "gov-f,regency,,13.71,Government F\n"               # 12: a field short
        "self,unit,self,13.71,Itself,\n"                    # 13: its own parent
        "long," + "regency,,13.71," + "x" * 201 + ",\n"     # 14: name too long
        "under,unit,loop-1,13.71,Under the loop,\n"         # 15: under a cycle, not in it
    )
    before = snapshot()
    problems = problems_of(tmp_path, broken)
    assert problems == [
        "agencies.csv:3: duplicate slug 'gov-a' (first on line 2)",
        "agencies.csv:4: unknown parent 'nowhere' (not in the file, not in the database)",
        "agencies.csv:5: region code '99.99' not found (Kemendagri codes such as 13 or 13.71)",
        "agencies.csv:6: unknown level 'ministry' (one of national, provincial, regency, unit)",
        "agencies.csv:7: a unit needs a parent agency",
        "agencies.csv:8: 'name' is empty",
        "agencies.csv:9: slug 'Gov E' must be lower-case letters, digits and single dashes",
        "agencies.csv:10: 'loop-1' is in a parent cycle",
        "agencies.csv:11: 'loop-2' is in a parent cycle",
        "agencies.csv:12: has 5 fields, the header 6",
        "agencies.csv:13: 'self' is its own parent",
        "agencies.csv:14: 'name' is longer than 200 characters",
    ]
    with pytest.raises(reference.InvalidReferenceData) as refused:
        reference.load_files(**files(tmp_path, broken))
    assert len(refused.value.problems) == len(problems)
    assert snapshot() == before


def test_a_missing_or_unknown_column_is_reported_on_the_header(tmp_path, db_session):
    assert problems_of(tmp_path, "slug,level,parent,region_code\nx,national,,\n") == [
        "agencies.csv:1: missing required column 'name'"]
    assert problems_of(tmp_path, HEADER.strip() + ",parent_slug\n") == [
        "agencies.csv:1: unknown column 'parent_slug' (expected: slug, level, parent, "
        "region_code, name, short_name, active)"]
    assert problems_of(tmp_path, categories="slug,name_id\nsosial,Sosial\n") == [
        "categories.csv:1: missing required column 'name_en'"]


def test_category_problems_have_lines_too(tmp_path, db_session):
    problems = problems_of(tmp_path, categories=(
        "slug,name_id,name_en\nsosial,Sosial,Social\n\nsosial,Sosial lagi,Social again\n"
        "air,,Water\n"))
    # Blank lines are skipped but still counted.
    assert problems == ["categories.csv:4: duplicate slug 'sosial' (first on line 2)",
                        "categories.csv:5: 'name_id' is empty"]


def test_a_multiline_record_is_reported_on_its_first_line(tmp_path, db_session):
    text = HEADER + 'gov-a,regency,,13.71,"Government\nA",\ngov-b,regency,,77,Government B,\n'
    assert problems_of(tmp_path, text) == [
        "agencies.csv:4: region code '77' not found (Kemendagri codes such as 13 or 13.71)"]


def test_a_spreadsheet_bom_is_accepted_and_a_missing_file_is_a_problem(tmp_path, db_session):
    path = tmp_path / "agencies.csv"
    path.write_bytes("\ufeff".encode() + DIRECTORY.encode())
    directory = reference.read(agencies=path, categories=write(tmp_path, "c.csv", CATEGORIES))
    assert directory.problems == [] and len(directory.agencies) == 4
    missing = reference.read(agencies=tmp_path / "nope.csv")
    assert [p.line for p in missing.problems] == [0]
    assert str(missing.problems[0]).startswith("nope.csv:0: cannot be read")


# --------------------------------------------------------------------------- the command

def test_the_command_loads_with_a_progress_bar_and_commits(app, db_session, tmp_path):
    paths = files(tmp_path)
    result = app.test_cli_runner().invoke(args=[
        "reference", "load", "--agencies", str(paths["agencies"]),
        "--categories", str(paths["categories"])])
    assert result.exit_code == 0, result.output
    assert "4 agencies" in result.output and "No problems found." in result.output
    assert "Loading 4 agencies" in result.output  # the progress bar's label
    assert "agencies: 4 added, 0 updated." in result.output
    assert get("rsud-padang") is not None
    again = app.test_cli_runner().invoke(args=[
        "reference", "load", "--agencies", str(paths["agencies"]),
        "--categories", str(paths["categories"])])
    assert again.exit_code == 0 and "agencies: 0 added, 0 updated." in again.output


def test_the_command_refuses_a_file_with_problems(app, db_session, tmp_path):
    paths = files(tmp_path, DIRECTORY + "orphan,unit,nowhere,13.71,Orphan,\n")
    before = snapshot()
    result = app.test_cli_runner().invoke(args=[
        "reference", "load", "--agencies", str(paths["agencies"]),
        "--categories", str(paths["categories"])])
    assert result.exit_code == 1
    assert "agencies.csv:6: unknown parent 'nowhere'" in result.stderr
    assert "1 problems found; nothing was loaded" in result.stderr
    assert "Loading" not in result.output
    assert snapshot() == before


def test_the_command_can_only_check(app, db_session, tmp_path):
    paths = files(tmp_path)
    before = snapshot()
    result = app.test_cli_runner().invoke(args=[
        "reference", "load", "--check", "--agencies", str(paths["agencies"]),
        "--categories", str(paths["categories"])])
    assert result.exit_code == 0 and "No problems found." in result.output
    assert snapshot() == before
