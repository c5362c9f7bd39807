"""The transparency board shows only what may be public, and its downloads agree with its pages."""
import csv
import io
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from app import clock
from app.extensions import db
from app.models import Report
from app.services import board, snapshots, statistics, workflow
from tests import factories

ADMIN = workflow.Actor(kind="officer", role="national_admin")
SUBMITTED = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
ORIGINAL_SECRET = "ORIGINAL-ONLY-TEXT budi.santoso@example.com"


def officer_of(slug):
    return workflow.Actor(kind="officer", role="officer", agency_id=factories.agency(slug).id)


def make_report(route=True, public_title="Lampu jalan mati di Jl. Contoh", **overrides):
    overrides.setdefault("incident_date", date(2026, 10, 30))
    overrides.setdefault("body", f"Lampu jalan mati sejak sebulan. {ORIGINAL_SECRET}")
    receipt = factories.file_report(now=SUBMITTED, **overrides)
    report = db.session.get(Report, receipt.report_id)
    if route:
        workflow.apply(report, "route", ADMIN, SUBMITTED + timedelta(hours=2), workflow.ActionInput(
            agency=factories.agency("dinkes-kota-padang"), resolution_class="ringan",
            extra={"public_title": public_title, "public_body": "Lampu jalan mati sejak sebulan."}))
    db.session.commit()
    return report


def refresh_all(now=SUBMITTED + timedelta(days=3)):
    statistics.mark_all_dirty()
    statistics.refresh_dirty(now)


@pytest.fixture
def reports(db_session):
    public = make_report(public_title="Laporan publik yang boleh tampil")
    confidential = make_report(public_title="RAHASIA-TITLE", is_confidential=True)
    unverified = make_report(route=False, title="UNVERIFIED-TITLE tidak boleh tampil")
    anonymous = make_report(public_title="Laporan anonim", is_anonymous=True,
                            reporter_name="Siti Anonimah", reporter_email="siti@example.com")
    workflow.apply(public, "respond", officer_of("dinkes-kota-padang"), SUBMITTED + timedelta(days=1),
                   workflow.ActionInput(text="Petugas kami hubungi di 0812-3456-7890."))
    db.session.commit()
    refresh_all()
    return {"public": public, "confidential": confidential, "unverified": unverified,
            "anonymous": anonymous}


BOARD_PAGES = ["/transparansi/", "/transparansi/laporan", "/transparansi/laporan?q=laporan",
               "/transparansi/instansi?level=unit", "/transparansi/instansi/dinkes-kota-padang",
               "/transparansi/laporan.csv", "/transparansi/laporan.json",
               "/transparansi/instansi/dinkes-kota-padang.json"]


@pytest.mark.parametrize("url", BOARD_PAGES)
def test_board_never_shows_confidential_unverified_original_or_names(client, reports, url):
    page = client.get(url).get_data(as_text=True)
    assert "RAHASIA-TITLE" not in page
    assert "UNVERIFIED-TITLE" not in page
    assert "ORIGINAL-ONLY-TEXT" not in page
    assert "Siti Anonimah" not in page and "siti@example.com" not in page
    assert reports["confidential"].reference not in page
    assert reports["unverified"].reference not in page


def test_public_list_shows_public_reports(client, reports):
    page = client.get("/transparansi/laporan").get_data(as_text=True)
    assert "Laporan publik yang boleh tampil" in page
    assert reports["anonymous"].reference in page  # anonymous reports are public, their reporter is not


@pytest.mark.parametrize("kind", ["confidential", "unverified"])
def test_hidden_reports_have_no_public_page(client, reports, kind):
    assert client.get(f"/transparansi/laporan/{reports[kind].reference}").status_code == 404


def test_public_report_page_redacts_agency_responses_and_shows_days(client, reports):
    page = client.get(f"/transparansi/laporan/{reports['public'].reference}").get_data(as_text=True)
    assert "Laporan publik yang boleh tampil" in page
    assert "0812-3456-7890" not in page
    assert "[TELEPON]" in page
    assert "09:00" not in page and "10:00" not in page  # day precision only


def test_confidential_reports_are_counted(client, reports):
    fig = statistics.figures(None, ["2026-11"])
    assert fig.received == 3  # public, confidential, anonymous; the unverified one is not routed
    assert fig.confidential == 1


def test_htmx_partial_and_filters_in_url(client, reports):
    response = client.get("/transparansi/laporan?q=publik", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="report-rows"' in body
    assert "HX-Request" in response.headers.get("Vary", "")
    assert "Laporan publik yang boleh tampil" in body


def test_agency_csv_agrees_with_the_json_and_the_figures(client, reports):
    months = statistics.months_back(clock.today(), 12)
    agency = factories.agency("dinkes-kota-padang")
    expected = statistics.figures([agency.id], months)
    rows = list(csv.DictReader(io.StringIO(
        client.get("/transparansi/instansi/dinkes-kota-padang.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert sum(int(r["received"]) for r in rows if r["table"] == "monthly") == expected.received
    assert [int(r["received"]) for r in rows if r["table"] == "last_12_months"] == [expected.received]
    data = json.loads(client.get("/transparansi/instansi/dinkes-kota-padang.json").get_data(as_text=True))
    assert data["last_12_months"]["received"]["value"] == expected.received
    assert data["methodology_version"] == statistics.METHODOLOGY_VERSION
    page = client.get("/transparansi/instansi/dinkes-kota-padang").get_data(as_text=True)
    assert "received.v1" in page and statistics.METHODOLOGY_VERSION in page


def test_small_number_rule_on_the_page(client, reports):
    page = client.get("/transparansi/instansi/dinkes-kota-padang").get_data(as_text=True)
    assert "n terlalu kecil" in page
    assert "%" not in page.split('id="fig-own"')[1].split("</table>")[0].split("Persentase tindak lanjut")[1].split("</tr>")[0]


def test_pdf_reports_are_pdfs(client, reports):
    for url in ("/transparansi/ringkasan.pdf", "/transparansi/instansi/dinkes-kota-padang.pdf"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.data.startswith(b"%PDF")


def test_snapshot_page_cite_box_and_byte_identical_json(client, reports):
    import hashlib

    snapshot = snapshots.publish("2026-11", datetime(2026, 12, 1, 3, tzinfo=timezone.utc))
    db.session.commit()
    page = client.get(f"/transparansi/snapshot/{snapshot.public_id}").get_data(as_text=True)
    assert snapshot.sha256 in page
    assert f"/transparansi/snapshot/{snapshot.public_id}" in page
    raw = client.get(f"/transparansi/snapshot/{snapshot.public_id}.json").data
    assert hashlib.sha256(raw).hexdigest() == snapshot.sha256
    assert "RAHASIA-TITLE" not in raw.decode() and "Siti Anonimah" not in raw.decode()
    assert client.get(f"/transparansi/snapshot/{snapshot.public_id}.pdf").data.startswith(b"%PDF")
    listing = client.get("/transparansi/snapshot").get_data(as_text=True)
    assert snapshot.public_id in listing


def test_the_snapshot_pages_show_the_chain(client, reports):
    moment = datetime(2026, 12, 1, 3, tzinfo=timezone.utc)
    first = snapshots.publish("2026-10", moment)
    second = snapshots.publish("2026-11", moment)
    db.session.commit()
    assert "Rantai snapshot utuh" in client.get("/transparansi/snapshot").get_data(as_text=True)
    page = client.get(f"/transparansi/snapshot/{second.public_id}").get_data(as_text=True)
    assert f"<code class=\"hash\">{first.sha256}</code>" in page
    assert "snapshot pertama" in client.get(f"/transparansi/snapshot/{first.public_id}").get_data(as_text=True)


def test_methodology_names_every_definition(client, db_session):
    page = client.get("/transparansi/metodologi").get_data(as_text=True)
    for definition_id in statistics.DEFINITIONS:
        assert f'id="{definition_id}"' in page
    assert statistics.METHODOLOGY_VERSION in page
    assert "UU 25/2009" in page


def _deadline_items(page: str) -> list[str]:
    html = factories.HTMLPage(page)
    heading = next(h for h in html.find_all("h2") if h.text.strip() == "Tenggat")
    listing = html.elements[html.elements.index(heading) + 1]
    return [" ".join(li.text.split()) for li in html.within(listing, "li")]


def test_the_public_page_judges_deadlines_as_the_on_time_figure_does(client, db_session):
    """A Saturday answer to a Friday deadline: "terlewati" on the page, late in the figure."""
    friday = datetime(2026, 11, 6, 2, 0, tzinfo=timezone.utc)
    receipt = factories.file_report(now=friday, incident_date=date(2026, 11, 1))
    report = db.session.get(Report, receipt.report_id)
    workflow.apply(report, "route", ADMIN, friday + timedelta(hours=1), workflow.ActionInput(
        agency=factories.agency("dinkes-kota-padang"), resolution_class="ringan",
        extra={"public_title": "Jawaban hari Sabtu", "public_body": "Lampu jalan mati."}))
    workflow.apply(report, "respond", officer_of("dinkes-kota-padang"),
                   datetime(2026, 11, 14, 2, 0, tzinfo=timezone.utc),  # Saturday 14 November
                   workflow.ActionInput(text="Kami periksa."))
    db.session.commit()
    items = _deadline_items(client.get(f"/transparansi/laporan/{report.reference}").get_data(as_text=True))
    assert items[0].startswith("Tindak lanjut pertama oleh instansi")
    assert "13 November 2026" in items[0] and items[0].endswith("terlewati")
    measures = statistics.measure(report, report.events, datetime(2026, 11, 20, tzinfo=timezone.utc))
    assert measures.on_time_eligible and not measures.on_time_answered


def test_the_public_page_extends_deadlines_by_the_time_waiting_for_the_reporter(client, db_session):
    report = make_report(public_title="Menunggu pelapor")  # routed Monday 2 November
    workflow.apply(report, "request_info", ADMIN, SUBMITTED + timedelta(days=1),
                   workflow.ActionInput(text="Di mana lokasinya?"))
    workflow.apply(report, "reporter_reply", workflow.Actor.reporter(), SUBMITTED + timedelta(days=8),
                   workflow.ActionInput(text="Di depan pasar."))
    workflow.apply(report, "respond", officer_of("dinkes-kota-padang"), SUBMITTED + timedelta(days=9),
                   workflow.ActionInput(text="Kami periksa."))
    db.session.commit()
    items = _deadline_items(client.get(f"/transparansi/laporan/{report.reference}").get_data(as_text=True))
    # 5 working days + 5 on hold (4–10 November): Monday 16 November, answered on the 11th.
    assert "16 November 2026" in items[0] and items[0].endswith("terpenuhi")


def test_a_disputed_resolution_shows_its_fresh_deadline(client, db_session):
    report = make_report(public_title="Ditolak pelapor")
    workflow.apply(report, "resolve", officer_of("dinkes-kota-padang"), SUBMITTED + timedelta(days=1),
                   workflow.ActionInput(text="Sudah diganti."))
    workflow.apply(report, "dispute", workflow.Actor.reporter(), SUBMITTED + timedelta(days=11),
                   workflow.ActionInput(reason="Masih mati."))
    db.session.commit()
    found = board.public_report(report.reference)
    assert [(d.clock, d.met, d.reopened) for d in found.deadlines][1:] == [
        ("resolution", True, False), ("resolution", False, True)]  # the real clock reads today
    assert found.deadlines[2].due_on == date(2026, 11, 20)  # Friday 13th + 5 working days
    items = _deadline_items(client.get(f"/transparansi/laporan/{report.reference}").get_data(as_text=True))
    assert "dibuka kembali setelah penyelesaian ditolak" in items[2]


def test_methodology_states_the_rules_the_code_applies(client, db_session):
    page = " ".join(client.get("/transparansi/metodologi").get_data(as_text=True).split())
    for statement in (
        "dihitung mulai dari awal sejak laporan terakhir kali tiba",   # clocks restart at transfer
        "tercatat sebagai pengalihan keluar miliknya",                  # the sender's delay
        "lebih dari 120 hari kerja",                                    # the cap
        "turun ke 50% atau kurang",                                     # percentile convention
        "bernilai 0 hari kerja",                                        # same-day answer
        "Tingkat pengalihan nasional membagi jumlah pengalihan keluar semua instansi dengan jumlah penerusan",
        "laporan yang belum diverifikasi",
        "Bulan berjalan belum lengkap",
        "lalu menurut urutan pendaftaran instansi",                      # ranking ties
        "tidak pernah lebih dari 100%",                                  # dispute rule
        "dihitung sejak hari penolakan",
        "tanggapan, permintaan informasi kepada pelapor, atau penyelesaian",
        "admin instansi induk",
        "KepmenPANRB 680/2020", "PermenPANRB 62/2018", "Perpres 76/2013", "UU 25/2009",
    ):
        assert statement in page, statement
    assert f"{statistics.RANKING_SIZE} instansi dengan tingkat penyelesaian tertinggi" in page


def test_methodology_keeps_the_definitions_old_snapshots_cite(client, db_session):
    page = client.get("/transparansi/metodologi").get_data(as_text=True)
    for old_id, (_d, version, replaced_by) in statistics.SUPERSEDED_DEFINITIONS.items():
        assert f'id="{old_id}"' in page and f'id="{replaced_by}"' in page
    assert 'id="dispute_rate.v1"' in page and 'id="dispute_rate.v3"' in page


def test_the_figures_table_links_the_current_definitions(client, reports):
    page = client.get("/transparansi/instansi/dinkes-kota-padang").get_data(as_text=True)
    assert "#dispute_rate.v3" in page and "#followed_up.v3" in page and "#on_time_rate.v2" in page
    assert "dispute_rate.v1" not in page


@pytest.mark.parametrize("query", ["from=0001-01-01", "to=9999-12-31", "from=0001-01-01&to=9999-12-31"])
def test_dates_at_the_ends_of_the_calendar_filter_nothing_out(client, reports, query):
    response = client.get(f"/transparansi/laporan?{query}")
    assert response.status_code == 200
    assert "Laporan publik yang boleh tampil" in response.get_data(as_text=True)
    assert client.get(f"/transparansi/laporan.csv?{query}").status_code == 200


def test_an_agency_page_lists_its_newest_public_reports_without_counting_them(client, db_session):
    made = [make_report(public_title=f"Laporan publik nomor {n:02d}") for n in range(3)]
    hidden = make_report(public_title="Laporan rahasia", is_confidential=True)
    latest = board.latest_public_reports(made[0].agency_id, limit=2)
    assert latest.has_more and len(latest.items) == 2
    assert hidden not in latest.items
    assert not board.latest_public_reports(made[0].agency_id, limit=3).has_more
    html = client.get("/transparansi/instansi/dinkes-kota-padang").get_data(as_text=True)
    assert "Laporan publik nomor 02" in html and "Laporan rahasia" not in html


def test_the_public_timeline_says_who_did_what(client, db_session):
    report = make_report()
    workflow.apply(report, "transfer", officer_of("dinkes-kota-padang"), SUBMITTED + timedelta(days=1),
                   workflow.ActionInput(agency=factories.agency("pemkab-lebak"),
                                        reason="Bukan wewenang kami: lokasi di Lebak."))
    db.session.commit()
    page = factories.HTMLPage(client.get(f"/transparansi/laporan/{report.reference}").get_data(as_text=True))
    whens = [" ".join(p.text.split()) for p in page.find_all("p", class_="when")]
    assert any("Admin nasional meneruskan ke Dinas Kesehatan Kota Padang" in w for w in whens)
    assert any("Dinas Kesehatan Kota Padang mengalihkan ke Pemerintah Kabupaten Lebak" in w for w in whens)


def test_methodology_explains_the_intervals(client, db_session):
    page = client.get("/transparansi/metodologi").get_data(as_text=True)
    section = page.split('id="interval"')[1].split("</section>")[0]
    assert "Wilson" in section and "Brookmeyer–Crowley" in section and "Greenwood" in section
    assert "IK 95%: 67,3–91,0" in section and "%%" not in section  # the worked example, 32/39
    assert "n terlalu kecil" in section  # no interval under the small-number rule
    assert 'id="interval-peringkat"' in section  # how to read overlapping intervals
    national = client.get("/transparansi/").get_data(as_text=True)
    assert "#interval-peringkat" in national and "%%" not in national


def test_methodology_maps_every_figure_to_lapor(client, db_session):
    from app.services.statistics import lapor, registry

    mapped = {d for row in lapor.ROWS for d in row.definitions}
    assert {f.definition for f in registry.figures()} <= mapped
    page = client.get("/transparansi/metodologi").get_data(as_text=True)
    section = page.split('id="lapor"')[1].split("</section>")[0]
    assert 'id="lapor-table"' in section and "(selesai + proses)" in section
    for definition in mapped:
        assert f"#{definition}" in section  # each row links its definitions
    # The statuses, written down: selesai and proses in Terang's terms.
    assert "resolved, closed" in section and "routed, in_progress, on_hold" in section
    assert 'id="follow_up_rate_lapor.v1"' in page  # the definition itself


def test_lapor_follow_up_is_beside_terangs_on_the_pages(client, db_session, frozen_clock):
    from tests.web.test_board_exports import EARLIER, NOW, put

    frozen_clock.move_to(NOW)
    put("kemenkes", EARLIER, received=20, followed_up=15, lapor_followed_up=12, resolved=8,
        first={1: (15, 5)}, resolution={3: (8, 12)})
    statistics.refresh_national(EARLIER, NOW)
    db.session.commit()
    for url in ("/transparansi/", "/transparansi/instansi/kemenkes"):
        page = client.get(url).get_data(as_text=True)
        terang, lapor = page.index("Persentase tindak lanjut</th>"), page.index("Tindak lanjut (definisi LAPOR!)</th>")
        assert terang < lapor and "60,0% <span class=\"hint\">(12/20)" in page, url
        assert "follow_up_rate_lapor.v1" in page
    from tests.web.test_board_regions import THIS_MONTH, put_region

    put_region("13.71", THIS_MONTH, received=10, followed_up=9, lapor_followed_up=7)
    db.session.commit()
    regions = client.get("/transparansi/wilayah").get_data(as_text=True)
    assert "Definisi LAPOR!: 70,0% <span class=\"hint\">(7/10)" in regions


def test_provisional_months_are_marked_on_charts_and_tables(client, db_session, frozen_clock):
    from tests.web.test_board_exports import NOW

    frozen_clock.move_to(NOW)  # 1 December 2026 (WIB): September to December are provisional
    for url in ("/transparansi/", "/transparansi/instansi/kemenkes"):
        page = client.get(url).get_data(as_text=True)
        assert "Bulan sementara: September 2026, Oktober 2026, November 2026, Desember 2026." in page, url
        assert "Desember 2026*" in page and "Agustus 2026*" not in page  # the chart's point titles
        assert ">Des*</text>" in page and ">Agu*</text>" not in page  # and its axis
        assert "Desember 2026 <span class=\"provisional\">(sementara)</span>" in page
        assert "Agustus 2026 <span class=\"provisional\">" not in page
    page = client.get("/transparansi/metodologi").get_data(as_text=True)
    assert 'id="sementara"' in page and "63 hari kerja" in page


def test_the_board_opens_with_the_figures_in_plain_words(client, db_session, frozen_clock):
    from tests.web.test_board_exports import EARLIER, NOW, put

    frozen_clock.move_to(NOW)
    put("kemenkes", EARLIER, received=39, followed_up=32, resolved=20,
        first={2: (32, 7)}, resolution={9: (20, 19)})
    statistics.refresh_national(EARLIER, NOW)
    db.session.commit()
    for url in ("/transparansi/", "/transparansi/instansi/kemenkes"):
        page = factories.HTMLPage(client.get(url).get_data(as_text=True))
        cards = [" ".join(c.text.split()) for c in page.find_all("li", class_="card")]
        assert cards[0].startswith("39 laporan diterima"), url
        assert any(c.startswith("82 dari 100 laporan ditindaklanjuti instansi; separuhnya dalam 2 hari kerja")
                   for c in cards), (url, cards)  # 32/39 = 82.05…: rounded once
        assert any("#follow_up_rate.v3" in (a.get("href") or "") for a in page.find_all("a")), url


def test_a_snapshot_page_says_its_month_was_provisional(client, reports):
    snapshot = snapshots.publish("2026-11", datetime(2026, 12, 1, 3, tzinfo=timezone.utc))
    db.session.commit()
    page = factories.HTMLPage(client.get(f"/transparansi/snapshot/{snapshot.public_id}").get_data(as_text=True))
    note = page.find("p", class_="notice notice-warning provisional-note")
    assert note is not None and "masih sementara" in note.text and "jendela tetap" in note.text
