"""The board in plain words (issue 14): month names, metric names before ids, readable charts,
and a national PDF that leads with the summary, buckets its distribution and stays short.

The figures are written straight into the rollup tables: twelve months, the test data's four agencies (best
and worst), and response times on every working day up to beyond the cap — the data that made
the national PDF ten pages long when it printed one row per working day.
"""
from __future__ import annotations

import csv
import io
import re
import subprocess
from datetime import datetime, timezone
from html.parser import HTMLParser

import flask_babel
import pytest

from app.extensions import db
from app.models import AgencyMonthStats, DurationBucket
from app.services import charts, exports, snapshots, statistics
from tests import factories

# 12:00 WIB on Friday 20 November 2026.
NOW = datetime(2026, 11, 20, 5, 0, tzinfo=timezone.utc)
CAP = statistics.MAX_TRACKED_DAYS
AGENCIES = ("kemenkes", "pemkot-padang", "dinkes-kota-padang", "pemkab-lebak")
# Machine ids a person should never have to read as the name of a figure.
MACHINE_ID = re.compile(r"\b[a-z_]+\.v\d+\b")


def put(slug, period, received, *, spread):
    agency_id = factories.agency(slug).id
    db.session.add(AgencyMonthStats(
        agency_id=agency_id, period=period, refreshed_at=NOW, routed_in=received, received=received,
        confidential=0, followed_up=received - 2, resolved=received - 5, on_time_answered=received - 4,
        on_time_eligible=received, transfers_out=1, disputed=1, rating_sum=4 * received,
        rating_count=received))
    for measure in (statistics.FIRST_RESPONSE, statistics.RESOLUTION):
        db.session.add_all(DurationBucket(agency_id=agency_id, period=period, measure=measure, days=d,
                                          observed=1 + d % 3, censored=d % 2) for d in spread)


@pytest.fixture
def wide_board(db_session, frozen_clock):
    frozen_clock.move_to(NOW)
    months = statistics.months_back(NOW.date(), 12)
    for i, slug in enumerate(AGENCIES):
        for j, period in enumerate(months):
            # Every working day from 0 to beyond the cap occurs somewhere in the year.
            spread = range((i * 12 + j) % 11, CAP + 2, 11)
            put(slug, period, 20 + 3 * i + j, spread=spread)
    for period in months:
        statistics.refresh_national(period, NOW)
    db.session.commit()
    return months


def pdf_pages(document: bytes, tmp_path) -> tuple[int, str]:
    """(page count by pdfinfo, text by pdftotext) of a PDF."""
    path = tmp_path / "board.pdf"
    path.write_bytes(document)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return pages, text


class _VisibleText(HTMLParser):
    """The text a person reads on a page, apart from the definition links ("definisi"), whose
    target is the machine id, and from scripts and styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style") or (tag == "a" and "definition" in (dict(attrs).get("class") or "")):
            self._hidden.append(tag)

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b[^>]*class=\"chart board-chart\".*?</svg>", html, re.S)


# --- pages -----------------------------------------------------------------------------------------

def test_months_are_named_in_the_readers_language(client, wide_board):
    page = client.get("/transparansi/").get_data(as_text=True)
    # The period, the table headers and rows, the chart's point titles and axis.
    assert "Angka Desember 2025 sampai November 2026" in visible_text(page)
    assert '<th scope="row">Januari 2026' in page and '<th scope="row">Agustus 2026' in page
    assert re.search(r'<th scope="col">(Juli|Agustus) 2026', page)  # the month compared
    assert "Maret 2026: " in page  # a chart point's title
    assert ">Des</text>" in page and ">2025</text>" in page  # the axis: short name, year below
    assert not re.search(r"\b20\d\d-\d\d\b", visible_text(page))  # no ISO month left for people
    for url in ("/transparansi/instansi/kemenkes", "/transparansi/instansi", "/transparansi/wilayah"):
        assert "Desember 2025–November 2026" in visible_text(client.get(url).get_data(as_text=True)), url

    client.get("/bahasa?lang=en&next=/transparansi/")
    flask_babel.refresh()  # the test's app context outlives a request: forget the locale it chose
    english = client.get("/transparansi/").get_data(as_text=True)
    assert "December 2025" in english and '<th scope="row">January 2026' in english
    assert '<th scope="row">August 2026' in english and ">Aug" in english
    assert "Januari" not in visible_text(english)
    # Downloads stay machine-readable: ISO months.
    rows = list(csv.DictReader(io.StringIO(
        client.get("/transparansi/ringkasan.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["period"] for r in rows if r["table"] == "monthly"} >= {"2026-01", "2026-08"}


def test_figures_are_named_in_words_and_ids_sit_behind_definisi(client, wide_board):
    snapshot = snapshots.publish("2026-10", NOW)
    db.session.commit()
    for url in ("/transparansi/", "/transparansi/instansi/pemkot-padang", "/transparansi/instansi",
                "/transparansi/wilayah", f"/transparansi/snapshot/{snapshot.public_id}"):
        page = client.get(url).get_data(as_text=True)
        assert not MACHINE_ID.findall(visible_text(page)), (url, MACHINE_ID.findall(visible_text(page))[:3])
    page = client.get("/transparansi/").get_data(as_text=True)
    # Each figure row: its plain name first, its definition a link reading "definisi".
    links = re.findall(r'<a class="definition" href="/transparansi/metodologi#([a-z_]+\.v\d+)">definisi'
                       r'<span class="visually-hidden"> ([^<]+)</span></a>', page)
    assert ("follow_up_rate.v3", "Persentase tindak lanjut") in links
    assert ("received.v1", "Laporan diterima") in links
    # The machine ids stay in the downloads.
    assert "follow_up_rate.v3" in client.get("/transparansi/ringkasan.json").get_data(as_text=True)


def test_charts_have_axis_titles_and_text_a_phone_can_read(client, wide_board):
    page = client.get("/transparansi/").get_data(as_text=True)
    drawn = svgs(page)
    assert len(drawn) == 3
    for svg in drawn:
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg)[1])
        sizes = {float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)}
        # Shown 328 px wide on a 360 px phone (the page's margins), the smallest text is >= 11 px.
        assert min(sizes) * 328 / width >= 11, (width, sizes)
        assert re.search(r'class="axis-title x-title"[^>]*>[^<]+</text>', svg)
        assert re.search(r'class="axis-title y-title"[^>]*>[^<]+</text>', svg)
        # Fewer tick labels than points where they would not fit: never more than 7 along 328 px.
        assert len(re.findall(r'<text class="tick"[^>]*>[A-Za-z>0-9*]+</text>', svg)) <= 14
    assert "Bulan pengiriman" in drawn[0] and "Jumlah laporan" in drawn[0]
    assert "Persen dari laporan diterima" in drawn[1]
    assert "Hari kerja sampai tindak lanjut pertama" in drawn[2]
    # Series told apart without colour: a hatched pattern, a dashed line.
    assert "url(#" in drawn[0] and 'stroke-dasharray="6 4"' in drawn[1]
    # The data table is on the page too.
    assert "Data grafik dalam tabel" in page


def test_a_year_of_months_thins_its_tick_labels():
    ticks = [charts.Tick(m, "2026") for m in ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu",
                                               "Sep", "Okt", "Nov", "Des*")]
    shown = charts._shown_ticks(ticks, (charts.WIDTH - 60) / 12)
    assert shown[-1] == 11 and len(shown) <= 7 and shown[0] == 0


def test_distribution_buckets_keep_every_report():
    histogram = {statistics.FIRST_RESPONSE: {0: (3, 1), 1: (2, 0), 7: (4, 2), 40: (1, 0), 41: (5, 5),
                                             CAP + 1: (6, 1)}}
    buckets = exports.distribution_buckets(histogram)
    assert buckets["measures"] == [statistics.FIRST_RESPONSE]
    spans = {(r["low"], r["high"]): r[statistics.FIRST_RESPONSE] for r in buckets["rows"]}
    assert spans[(0, 1)] == {"observed": 5, "censored": 1}
    assert spans[(6, 10)] == {"observed": 4, "censored": 2}
    assert spans[(21, 40)] == {"observed": 1, "censored": 0}
    assert spans[(41, None)] == {"observed": 11, "censored": 6}
    assert sum(s["observed"] for s in spans.values()) == 21
    assert exports.distribution_buckets({}) == {"measures": [], "rows": []}


# --- the PDFs ---------------------------------------------------------------------------------------

TARGET_PAGES = 4
HEADINGS = ("Ringkasnya", "Instansi terbaik dan terburuk", "Semua angka", "Tren bulanan",
            "Sebaran waktu tindak lanjut")


def assert_no_orphaned_heading(text: str) -> None:
    """No page ends with a heading: the last line above each page's footer is never one."""
    for number, page in enumerate(text.split("\f"), start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if "Halaman" not in line]
        if body:
            assert body[-1] not in HEADINGS, (number, body[-1])


def test_national_pdf_leads_with_the_summary_and_stays_short(client, wide_board, tmp_path):
    response = client.get("/transparansi/ringkasan.pdf")
    assert response.status_code == 200
    pages, text = pdf_pages(response.data, tmp_path)
    assert pages <= TARGET_PAGES, pages
    assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text
    flat = " ".join(text.split())
    # The summary and the rankings first, the full tables after.
    order = [flat.index(h) for h in ("Ringkasnya", "dari 100", "Tingkat penyelesaian tertinggi",
                                     "Semua angka", "Tren bulanan", "Sebaran waktu tindak lanjut")]
    assert order == sorted(order), order
    # The distribution: a chart, then a row per span of working days, not one per day.
    assert "Hari kerja sampai tindak lanjut pertama" in flat
    for span in ("0–1", "2–3", "4–5", "6–10", "11–20", "21–40", "lebih dari 40"):
        assert re.search(rf"^\s*{span}\s+\d", text, re.M), span
    assert not re.search(r"^\s*17\s+\d+\s+\d+", text, re.M)  # no single-day row
    # Months in words, plain names, no machine id to read; the definitions an absolute address.
    assert "Desember 2025–November 2026" in flat and "Januari 2026" in flat
    assert not MACHINE_ID.findall(flat), MACHINE_ID.findall(flat)[:3]
    assert "Persentase tindak lanjut" in flat and "/transparansi/metodologi" in flat
    assert_no_orphaned_heading(text)


def test_agency_pdf_is_as_short(client, wide_board, tmp_path):
    response = client.get("/transparansi/instansi/pemkot-padang.pdf")
    pages, text = pdf_pages(response.data, tmp_path)
    assert pages <= TARGET_PAGES, pages
    flat = " ".join(text.split())
    assert flat.index("Ringkasnya") < flat.index("Semua angka") < flat.index("Sebaran waktu tindak lanjut")
    assert "Termasuk 1 unit di bawahnya" in flat and "lebih dari 40" in flat
    assert "Instansi terbaik dan terburuk" not in flat
    assert not MACHINE_ID.findall(flat)
    assert_no_orphaned_heading(text)
