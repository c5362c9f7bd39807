"""The report form's lists are kept per data version in the process (data_version.kept): a
reference load shows on the next request."""
import pytest

from app.extensions import db
from app.services import data_version, reference
from tests.factories import TEST_DATA

pytestmark = pytest.mark.usefixtures("fresh_g")


@pytest.fixture
def keeping(app, monkeypatch):
    """The cache on, as in production (tests keep nothing: their data is rolled back)."""
    monkeypatch.setitem(app.config, "KEEP_PER_DATA_VERSION", True)
    monkeypatch.setattr(data_version, "_KEPT", {})


def test_a_reference_load_shows_on_the_next_request(client, keeping, tmp_path):
    categories = (TEST_DATA / "categories.csv").read_text(encoding="utf-8")
    agencies = (TEST_DATA / "agencies.csv").read_text(encoding="utf-8")
    assert "Kementerian Kesehatan" in client.get("/lapor").get_data(as_text=True)
    page = client.get("/lapor").get_data(as_text=True)  # from the kept lists
    assert "Kesehatan</option>" in page and "Kementerian Kesehatan</option>" in page

    (tmp_path / "categories.csv").write_text(
        categories.replace("kesehatan,Kesehatan,", "kesehatan,Kesehatan Masyarakat,"),
        encoding="utf-8")
    (tmp_path / "agencies.csv").write_text(
        agencies.replace("Kementerian Kesehatan,", "Kementerian Kesehatan RI,"), encoding="utf-8")
    before = data_version.current()
    reference.load_files(agencies=tmp_path / "agencies.csv",
                         categories=tmp_path / "categories.csv")
    db.session.commit()
    assert data_version.current() != before

    page = client.get("/lapor").get_data(as_text=True)
    assert "Kesehatan Masyarakat</option>" in page and ">Kesehatan</option>" not in page
    assert "Kementerian Kesehatan RI</option>" in page
    assert "Kementerian Kesehatan</option>" not in page


def test_the_board_filters_show_a_reference_load_on_the_next_request(client, keeping, tmp_path):
    """The report list's agency, province and category selects are kept the same way."""
    categories = (TEST_DATA / "categories.csv").read_text(encoding="utf-8")
    agencies = (TEST_DATA / "agencies.csv").read_text(encoding="utf-8")
    for _ in range(2):  # computed, then kept
        page = client.get("/transparansi/laporan").get_data(as_text=True)
        assert ">Kesehatan</option>" in page and ">Kementerian Kesehatan</option>" in page
        assert ">Sumatera Barat</option>" in page
    assert ">Kota Padang</option>" in client.get(
        "/transparansi/laporan?province=13").get_data(as_text=True)

    (tmp_path / "categories.csv").write_text(
        categories.replace("kesehatan,Kesehatan,", "kesehatan,Kesehatan Masyarakat,"),
        encoding="utf-8")
    (tmp_path / "agencies.csv").write_text(
        agencies.replace("Kementerian Kesehatan,", "Kementerian Kesehatan RI,"), encoding="utf-8")
    reference.load_files(agencies=tmp_path / "agencies.csv",
                         categories=tmp_path / "categories.csv")
    db.session.commit()

    page = client.get("/transparansi/laporan").get_data(as_text=True)
    assert ">Kesehatan Masyarakat</option>" in page and ">Kesehatan</option>" not in page
    assert ">Kementerian Kesehatan RI</option>" in page
    assert ">Kementerian Kesehatan</option>" not in page


def test_a_value_is_not_kept_across_a_change_in_the_same_transaction(app, db_session, keeping):
    """A transaction that changed public content reads its own change, not the kept value."""
    from app.models import Category

    with app.test_request_context():
        assert data_version.kept("test", lambda: 1) == 1
        assert data_version.kept("test", lambda: 2) == 1  # same version: kept
        category = db.session.query(Category).first()
        category.name_id = "Lain"
        db.session.flush()
        assert data_version.kept("test", lambda: 3) == 3
        db.session.commit()  # bumps the version
        assert data_version.kept("test", lambda: 4) == 4
