"""access.py: which agencies' reports a user may see, and the object checks built on it."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.models import AccessLog, Agency, Report
from app.models.agency import UNIT
from app.services import access
from app.services.errors import NotFound
from tests import factories


def ids(*slugs: str) -> set[int]:
    return {factories.agency(slug).id for slug in slugs}


@pytest.fixture
def puskesmas(db_session):
    """A unit below the sub-unit: pemkot-padang → dinkes-kota-padang → puskesmas-andalas."""
    unit = Agency(slug="puskesmas-andalas", name="Puskesmas Andalas", level=UNIT,
                  region_code=factories.PADANG, parent=factories.agency("dinkes-kota-padang"))
    db.session.add(unit)
    db.session.flush()
    return unit


# --- descendants_and_self ----------------------------------------------------------------------

def test_a_leaf_agency_is_only_itself(db_session):
    assert access.descendants_and_self(factories.agency("pemkab-lebak").id) == ids("pemkab-lebak")
    assert access.descendants_and_self(factories.agency("dinkes-kota-padang").id) == ids("dinkes-kota-padang")


def test_a_parent_includes_its_units(db_session):
    assert access.descendants_and_self(factories.agency("pemkot-padang").id) == ids(
        "pemkot-padang", "dinkes-kota-padang")


def test_every_level_below_is_included(db_session, puskesmas):
    assert access.descendants_and_self(factories.agency("pemkot-padang").id) == ids(
        "pemkot-padang", "dinkes-kota-padang") | {puskesmas.id}
    assert access.descendants_and_self(factories.agency("dinkes-kota-padang").id) == ids(
        "dinkes-kota-padang") | {puskesmas.id}
    assert access.descendants_and_self(puskesmas.id) == {puskesmas.id}


def test_a_cycle_in_the_tree_does_not_loop_forever(db_session, puskesmas):
    """Bad data (a unit made the parent of its own parent) must not hang a request."""
    dinkes = factories.agency("dinkes-kota-padang")
    db.session.execute(update(Agency).where(Agency.id == dinkes.id).values(parent_id=puskesmas.id))
    assert access.descendants_and_self(dinkes.id) == {dinkes.id, puskesmas.id}


def test_an_unknown_agency_id_gives_only_itself(db_session):
    assert access.descendants_and_self(987654) == {987654}


# --- agency_scope ------------------------------------------------------------------------------

@pytest.mark.parametrize("role,agency,expected", [
    ("national_admin", None, None),
    ("oversight", None, None),
    ("officer", "dinkes-kota-padang", {"dinkes-kota-padang"}),
    ("officer", "pemkot-padang", {"pemkot-padang"}),          # an officer never sees the units below
    ("agency_admin", "pemkot-padang", {"pemkot-padang", "dinkes-kota-padang"}),
    ("agency_admin", "dinkes-kota-padang", {"dinkes-kota-padang"}),  # never the parent
    ("agency_admin", "pemkab-lebak", {"pemkab-lebak"}),
    ("officer", None, set()),                                  # misconfigured: nothing, not everything
    ("agency_admin", None, set()),
])
def test_agency_scope(db_session, role, agency, expected):
    user = factories.make_user(role, agency)
    scope = access.agency_scope(user)
    assert scope == (None if expected is None else ids(*expected))


def test_an_unknown_role_sees_nothing(db_session):
    user = factories.make_user("officer", "dinkes-kota-padang")
    user.role = "reporter"
    assert access.agency_scope(user) == set()
    assert not access.can_act(user)


def test_the_agency_admin_scope_follows_the_tree(db_session, puskesmas):
    admin = factories.make_user("agency_admin", "pemkot-padang")
    assert puskesmas.id in access.agency_scope(admin)
    officer = factories.make_user("officer", "dinkes-kota-padang")
    assert puskesmas.id not in access.agency_scope(officer)


# --- object checks -----------------------------------------------------------------------------

@pytest.fixture
def reports(db_session):
    return {
        "dinkes": factories.routed_report("dinkes-kota-padang"),
        "pemkot": factories.routed_report("pemkot-padang"),
        "lebak": factories.routed_report("pemkab-lebak"),
        "new": db.session.get(Report, factories.file_report().report_id),
    }


VISIBLE = {
    ("national_admin", None): {"dinkes", "pemkot", "lebak", "new"},
    ("oversight", None): {"dinkes", "pemkot", "lebak", "new"},
    ("agency_admin", "pemkot-padang"): {"dinkes", "pemkot"},
    ("officer", "dinkes-kota-padang"): {"dinkes"},
    ("officer", "pemkot-padang"): {"pemkot"},
    ("officer", "pemkab-lebak"): {"lebak"},
}


@pytest.mark.parametrize("role,agency", list(VISIBLE))
def test_can_view_report_for_and_the_scoped_query_agree(reports, role, agency):
    user = factories.make_user(role, agency)
    expected = VISIBLE[(role, agency)]
    for key, report in reports.items():
        assert access.can_view(user, report) is (key in expected), key
        if key in expected:
            assert access.report_for(user, report.reference) is report
        else:
            with pytest.raises(NotFound):
                access.report_for(user, report.reference)
    found = set(db.session.scalars(access.scoped_reports_query(user)))
    assert {k for k, r in reports.items() if r in found} == expected


def test_report_for_a_missing_reference_is_the_same_not_found(reports):
    officer = factories.make_user("officer", "dinkes-kota-padang")
    with pytest.raises(NotFound) as missing:
        access.report_for(officer, "LPR-2026-9999999")
    with pytest.raises(NotFound) as hidden:
        access.report_for(officer, reports["lebak"].reference)
    assert str(missing.value.message) == str(hidden.value.message)


def test_report_for_update_returns_the_same_report(reports):
    officer = factories.make_user("officer", "dinkes-kota-padang")
    assert access.report_for(officer, reports["dinkes"].reference, for_update=True) is reports["dinkes"]


@pytest.mark.parametrize("role,can", [("national_admin", True), ("agency_admin", True),
                                      ("officer", True), ("oversight", False)])
def test_only_oversight_is_read_only(db_session, role, can):
    agency = "dinkes-kota-padang" if role in ("agency_admin", "officer") else None
    assert access.can_act(factories.make_user(role, agency)) is can


def test_an_anonymous_reporters_contact_is_for_nobody(db_session):
    named = factories.routed_report(reporter_name="Budi", reporter_email="budi@contoh.id")
    anonymous = factories.routed_report(is_anonymous=True, reporter_name="Budi",
                                        reporter_email="budi@contoh.id")
    users = [factories.make_user("national_admin"), factories.make_user("oversight"),
             factories.make_user("agency_admin", "pemkot-padang"),
             factories.make_user("officer", "dinkes-kota-padang")]
    for user in users:
        assert access.can_see_contact(user, named)
        assert not access.can_see_contact(user, anonymous)
    outsider = factories.make_user("officer", "pemkab-lebak")
    assert not access.can_see_contact(outsider, named)


def test_transfers_may_go_to_any_active_agency(db_session):
    officer = factories.make_user("officer", "dinkes-kota-padang")
    lebak = factories.agency("pemkab-lebak")
    assert access.may_route_within(officer, lebak)
    lebak.is_active = False
    assert not access.may_route_within(officer, lebak)
    assert not access.may_route_within(factories.make_user("oversight"), factories.agency("kemenkes"))


def test_log_access_records_who_what_and_a_bounded_detail(reports):
    user = factories.make_user("oversight")
    access.log_access(user, "view_report", reports["lebak"], detail="x" * 500)
    access.log_access(user, "view_inbox", detail="")
    db.session.flush()
    rows = db.session.scalars(select(AccessLog).where(AccessLog.user_id == user.id)
                              .order_by(AccessLog.id)).all()
    assert [(r.what, r.report_id) for r in rows] == [("view_report", reports["lebak"].id),
                                                     ("view_inbox", None)]
    assert len(rows[0].detail) == 200
    assert rows[1].detail is None


@pytest.mark.parametrize("role, may_read, logged", [
    ("national_admin", True, False), ("oversight", True, True),
    ("agency_admin", False, False), ("officer", False, False)])
def test_who_reads_the_verification_queue_and_whose_reads_are_logged(db_session, role, may_read,
                                                                     logged):
    user = factories.make_user(role, "dinkes-kota-padang" if role in ("agency_admin", "officer")
                               else None)
    assert access.can_read_verification_queue(user) is may_read
    assert access.log_read(user, "view_queue", detail="page=2") is logged
    db.session.flush()
    rows = db.session.scalars(select(AccessLog).where(AccessLog.user_id == user.id)).all()
    assert [(r.what, r.detail) for r in rows] == ([("view_queue", "page=2")] if logged else [])


def test_a_logged_detail_never_carries_a_nul_character(db_session):
    user = factories.make_user("oversight")
    access.log_access(user, "view_inbox", detail="q=a\x00b")
    db.session.flush()
    assert db.session.scalar(select(AccessLog.detail).where(AccessLog.user_id == user.id)) == "q=ab"


# --- an anonymous reporter's identity ------------------------------------------------------------

@pytest.mark.parametrize("role, agency, anonymous, hidden", [
    ("officer", "dinkes-kota-padang", True, True),
    ("agency_admin", "pemkot-padang", True, True),
    ("national_admin", None, True, False),
    ("oversight", None, True, False),
    ("officer", "dinkes-kota-padang", False, False),
    ("agency_admin", "pemkot-padang", False, False),
])
def test_an_anonymous_reporters_identity_is_hidden_from_agency_roles_only(
        db_session, role, agency, anonymous, hidden):
    user = factories.make_user(role, agency)
    report = factories.routed_report(is_anonymous=anonymous, reporter_name="Siti Anonimah")
    assert access.hides_reporter_identity(user, report) is hidden
