"""Downloads and PDFs say what the board's pages say, table by table, for the same data.

The figures are written straight into the rollup tables (what every page, export and PDF reads),
so each case is exact: a median above the 120-day cap, a percentile not reached, a rate under
the small-number rule, an agency with a sub-unit, best and worst agencies.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timezone
from html.parser import HTMLParser

import pypdf
import pytest

from app.extensions import db
from app.models import AgencyMonthStats, DurationBucket
from app.services import pdf, snapshots, statistics
from tests import factories

# 00:05 WIB on 1 December 2026 is still 30 November in UTC: the day boundary the board must get right.
NOW = datetime(2026, 11, 30, 17, 5, tzinfo=timezone.utc)
THIS_MONTH, EARLIER = "2026-12", "2026-10"
CAP = statistics.MAX_TRACKED_DAYS


# --- reading the page ----------------------------------------------------------------------------

class _Tables(HTMLParser):
    """Every <table id=…> of a page as rows of whitespace-normalised cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.captions = {}, {}
        self._table = self._row = self._cell = self._caption = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._table = dict(attrs).get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "caption" and self._table:
            self._caption = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "caption" and self._caption is not None:
            self.captions[self._table] = " ".join("".join(self._caption).split())
            self._caption = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def tables_of(html: str) -> tuple[dict, dict]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables, parser.captions


def figure_rows(table: list[list[str]]) -> dict[str, str]:
    """{label: value text} of a figures table (header row dropped)."""
    return {row[0]: row[1] for row in table[1:]}


# Page label → CSV column(s) of exports.figures_row.
COLUMNS = {
    "Laporan diterima": ("received",),
    "Ditindaklanjuti": ("followed_up",),
    "Persentase tindak lanjut": ("follow_up_rate",),
    "Tindak lanjut (definisi LAPOR!)": ("follow_up_rate_lapor",),
    "Diselesaikan": ("resolved",),
    "Tingkat penyelesaian": ("completion_rate",),
    "Median waktu sampai tindak lanjut pertama": ("median_days_to_first_response",),
    "Persentil ke-90 waktu sampai tindak lanjut": ("p90_days_to_first_response",),
    "Median waktu sampai penyelesaian": ("median_days_to_resolution",),
    "Persentil ke-90 waktu sampai penyelesaian": ("p90_days_to_resolution",),
    "Tepat waktu": ("on_time_rate",),
    "Diselesaikan dalam 14 hari kerja": ("resolved_within_window_rate",),
    "Dialihkan keluar": ("transfers_out", "transfer_rate"),
    "Penyelesaian ditolak pelapor": ("disputed", "dispute_rate"),
    "Kepuasan pelapor (1–5)": ("satisfaction_mean",),
}


def as_csv_cell(text: str) -> str:
    """What the CSV must hold for a value the page shows (Indonesian number format)."""
    text = re.sub(r"\s*\((termasuk .*|n = \d+|\d+/\d+)\)", "", text).strip()
    if text.startswith("n terlalu kecil"):
        return "n_too_small"
    if text == "belum tercapai":
        return "not_reached"
    if text == f"lebih dari {CAP} hari kerja":
        return f">{CAP}"
    if match := re.fullmatch(r"(\d+) hari kerja", text):
        return match[1]
    if match := re.fullmatch(r"([\d.]+),(\d)%", text):
        return f"{int(match[1].replace('.', ''))}.{match[2]}%"
    if match := re.fullmatch(r"(\d),(\d)", text):  # satisfaction, one decimal
        return f"{match[1]}.{match[2]}~"
    return text.replace(".", "")


def assert_percent(fraction: str, shown: str, label: str = "") -> None:
    """The CSV's fraction (4 decimals) rounds to the page's percentage (1 decimal)."""
    assert abs(float(fraction) * 100 - float(shown.rstrip("%"))) <= 0.05 + 0.005, (label, fraction, shown)


# A figure's 95% interval as the page shows it: "IK 95%: 77,9–96,2" to the eye, then the same for
# a screen reader ("interval 95%: 77,9 sampai 96,2 persen").
INTERVAL = re.compile(r"\s*IK 95%: (?P<low>[^–]+)–(?P<high>.+?)(?: hari kerja)?"
                      r"interval 95%: (?P=low) sampai (?P=high) (?:persen|hari kerja)")


def split_interval(text: str) -> tuple[str, tuple[str, str] | None]:
    """(the value's text, its interval's bounds or None)."""
    match = INTERVAL.search(text)
    if not match:
        return text, None
    return (text[:match.start()] + text[match.end():]).strip(), (match["low"], match["high"])


def assert_row_agrees(page_table: list[list[str]], csv_row: dict) -> None:
    """Every figure of a page table equals the CSV row's value, rounded as the page rounds; so
    does each interval shown (a rate's, a median's)."""
    shown = figure_rows(page_table)
    assert set(shown) == set(COLUMNS), shown.keys()
    for label, columns in COLUMNS.items():
        texts = [split_interval(p) for p in shown[label].split(" · ")]
        parts = [as_csv_cell(text) for text, _ in texts]
        assert len(parts) == len(columns), (label, shown[label])
        for (_, interval), expected, column in zip(texts, parts, columns):
            if interval is not None:
                for bound, cell in zip(interval, (csv_row[f"{column}_ci_low"], csv_row[f"{column}_ci_high"])):
                    if expected.endswith("%"):
                        assert_percent(cell, as_csv_cell(bound + "%"), label)
                    else:
                        words = bound if bound == "belum tercapai" else f"{bound} hari kerja"
                        assert cell == as_csv_cell(words), (label, column, cell, bound)
            elif expected.endswith("%"):
                assert csv_row.get(f"{column}_ci_low") in (None, "n_too_small"), (label, "no interval shown")
            actual = csv_row[column]
            if expected.endswith("%"):
                assert_percent(actual, expected, label)
            elif expected.endswith("~"):
                assert round(float(actual), 1) == pytest.approx(float(expected[:-1])), (label, actual)
            else:
                assert actual == expected, (label, column, actual, shown[label])


def read_csv(response) -> list[dict]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def pdf_text(document: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# --- the data ------------------------------------------------------------------------------------

def put(slug, period, *, first, resolution, **counts):
    agency_id = factories.agency(slug).id
    values = {n: 0 for n in ("routed_in", "received", "confidential", "followed_up", "resolved",
                             "on_time_answered", "on_time_eligible", "transfers_out", "disputed",
                             "rating_sum", "rating_count")}
    values.update(counts)
    values.setdefault("routed_in", values["received"])
    db.session.add(AgencyMonthStats(agency_id=agency_id, period=period, refreshed_at=NOW, **values))
    for measure, histogram in ((statistics.FIRST_RESPONSE, first), (statistics.RESOLUTION, resolution)):
        db.session.add_all(DurationBucket(agency_id=agency_id, period=period, measure=measure, days=d,
                                          observed=o, censored=c) for d, (o, c) in histogram.items())


@pytest.fixture
def board_data(db_session, frozen_clock):
    """Three agencies over two months; the clock at 00:05 WIB on 1 December 2026."""
    frozen_clock.move_to(NOW)
    # Pemkot Padang: a median first response of 2 days, its 90th percentile not reached, and
    # every resolution above the cap.
    put("pemkot-padang", THIS_MONTH, received=12, confidential=2, followed_up=9, resolved=7,
        on_time_answered=8, on_time_eligible=10, transfers_out=1, routed_in=13, disputed=1,
        rating_sum=44, rating_count=11,
        first={1: (5, 0), 2: (4, 0), 3: (0, 3)}, resolution={CAP + 1: (7, 5)})
    # Its unit, Dinkes Kota Padang, in an earlier month.
    put("dinkes-kota-padang", EARLIER, received=10, followed_up=10, resolved=3, on_time_answered=9,
        on_time_eligible=10, first={0: (6, 0), 4: (4, 0)}, resolution={5: (3, 0), 9: (0, 7)})
    # Kemenkes: the best completion rate; too few ratings for a mean.
    put("kemenkes", EARLIER, received=20, followed_up=19, resolved=18, on_time_answered=15,
        on_time_eligible=19, rating_sum=12, rating_count=3,
        first={1: (19, 0), 6: (0, 1)}, resolution={3: (10, 0), 7: (8, 0), 8: (0, 2)})
    for period in (THIS_MONTH, EARLIER):
        statistics.refresh_national(period, NOW)
    db.session.commit()


@pytest.fixture
def captured_pdf_html(monkeypatch):
    """The HTML each PDF was rendered from, keyed by template (what WeasyPrint laid out)."""
    seen = {}
    original = pdf.render_template

    def spy(template, **context):
        seen[template] = html = original(template, **context)
        return html
    monkeypatch.setattr(pdf, "render_template", spy)
    return seen


# --- national -----------------------------------------------------------------------------------

def test_national_csv_has_every_table_of_the_page(client, board_data):
    tables, _ = tables_of(client.get("/transparansi/").get_data(as_text=True))
    rows = read_csv(client.get("/transparansi/ringkasan.csv"))
    by_table = {}
    for row in rows:
        by_table.setdefault(row["table"], []).append(row)
    assert set(by_table) == {"last_12_months", "this_month", "earlier_months", "monthly", "best", "worst"}
    assert {r["scope"] for t in ("best", "worst") for r in by_table[t]} == {"agency"}
    assert {r["scope"] for r in rows if r["table"] not in ("best", "worst")} == {"national_total"}
    assert by_table["last_12_months"][0]["period"] == "2026-01/2026-12"
    assert_row_agrees(tables["fig-year"], by_table["last_12_months"][0])
    # What the page writes in words is a token in the CSV, never a blank.
    year = by_table["last_12_months"][0]
    assert (year["median_days_to_resolution"], year["p90_days_to_resolution"]) == ("7", "not_reached")
    assert figure_rows(tables["fig-year"])["Persentil ke-90 waktu sampai penyelesaian"] == "belum tercapai"
    assert year["p90_days_to_first_response"] == "4"

    # The last complete month against the earlier months: on 1 December 2026 (WIB) the months
    # from September on are still provisional (63 working days after their last day), so
    # August is compared with January–July.
    compare = {row[0]: row[1:] for row in tables["fig-compare"][1:]}
    this_month, earlier = by_table["this_month"][0], by_table["earlier_months"][0]
    assert this_month["period"] == "2026-08" and this_month["provisional"] == "false"
    assert tables["fig-compare"][0][1:] == ["Agustus 2026", "Januari 2026–Juli 2026"]  # ISO in the CSV, words on the page
    assert earlier["period"] == "2026-01/2026-07" and earlier["provisional"] == "false"
    for label, column in (("Laporan diterima", "received"), ("Persentase tindak lanjut", "follow_up_rate"),
                          ("Tingkat penyelesaian", "completion_rate"), ("Tepat waktu", "on_time_rate")):
        for shown, row in zip(compare[label], (this_month, earlier)):
            expected = as_csv_cell(split_interval(shown)[0])
            if expected.endswith("%"):
                assert_percent(row[column], expected, label)
            else:
                assert row[column] == expected

    # Best and worst: the same agencies in the same order, with the same rate and count.
    for table in ("best", "worst"):
        # The completion rate with its 95% interval, as the CSV has both (each rounded once from
        # the unrounded value: the page's 32,0 is the CSV's 0.3195 rounded from 0.31950…).
        shown = [(r[0], *split_interval(r[1]), r[2]) for r in tables[f"fig-{table}"][1:]]
        exported = [(r["agency_name"], f"{float(r['completion_rate']) * 100:.1f}".replace(".", ",") + "%",
                     r["received"]) for r in by_table[table]]
        assert [(name, value, n) for name, value, _ci, n in shown] == exported
        for (*_, interval, _n), r in zip(shown, by_table[table]):
            assert_percent(r["completion_rate_ci_low"], interval[0].replace(",", ".") + "%")
            assert_percent(r["completion_rate_ci_high"], interval[1].replace(",", ".") + "%")
        assert [r["rank"] for r in by_table[table]] == ["1", "2", "3"]
    assert by_table["best"][0]["agency"] == "kemenkes" and by_table["worst"][0]["agency"] == "dinkes-kota-padang"
    monthly = {r["period"]: r for r in by_table["monthly"]}
    assert len(monthly) == 12 and monthly[THIS_MONTH]["received"] == "12" and monthly[EARLIER]["received"] == "30"
    # Provisional months, in a boolean column of every row.
    assert [p for p, r in monthly.items() if r["provisional"] == "true"] == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert by_table["last_12_months"][0]["provisional"] == "true"  # it contains provisional months
    assert all(r["provisional"] == "false" for r in monthly.values() if r["period"] <= "2026-08")


def test_national_json_has_the_same_tables(client, board_data):
    data = json.loads(client.get("/transparansi/ringkasan.json").get_data(as_text=True))
    csv_rows = read_csv(client.get("/transparansi/ringkasan.csv"))
    year = data["last_12_months"]
    assert year["received"]["value"] == 42
    assert year["time_to_resolution"]["median_status"] == "reached"
    assert year["time_to_resolution"]["p90_status"] == "not_reached"
    assert year["time_to_resolution"]["p90_working_days"] is None
    # Month over month: the last complete month (August), not the provisional current one.
    assert data["this_month"]["period"] == "2026-08" and data["this_month"]["provisional"] is False
    assert data["this_month"]["figures"]["received"]["value"] == 0
    assert (data["earlier_months"]["from"], data["earlier_months"]["to"]) == ("2026-01", "2026-07")
    assert data["provisional_months"] == ["2026-09", "2026-10", "2026-11", "2026-12"]
    monthly = {m["period"]: m["provisional"] for m in data["monthly"]}
    assert monthly[THIS_MONTH] is True and monthly["2026-08"] is False
    assert [a["slug"] for a in data["best"]] == [r["agency"] for r in csv_rows if r["table"] == "best"]
    assert [a["slug"] for a in data["worst"]] == ["dinkes-kota-padang", "pemkot-padang", "kemenkes"]
    assert data["best"][0] == {**data["best"][0], "rank": 1, "completion_rate": 0.9, "received": 20}


def test_national_distribution_downloads_agree_with_the_page(client, board_data):
    page = client.get("/transparansi/").get_data(as_text=True)
    assert "/transparansi/ringkasan/sebaran.csv" in page and "/transparansi/ringkasan/sebaran.json" in page
    tables, _ = tables_of(page)
    shown = [(r[0], r[1], r[2], r[3]) for r in tables["fig-distribution"][1:]]
    rows = read_csv(client.get("/transparansi/ringkasan/sebaran.csv"))
    label = {"first_response": "Tindak lanjut pertama", "resolution": "Penyelesaian"}
    exported = [(label[r["measure"]], r["working_days"].replace(">120", "lebih dari 120"), r["observed"],
                 r["censored"]) for r in rows]
    assert shown == exported
    assert ("Penyelesaian", "lebih dari 120", "7", "5") in shown
    data = json.loads(client.get("/transparansi/ringkasan/sebaran.json").get_data(as_text=True))
    assert sum(r["observed"] + r["censored"] for r in data["first_response"]) == 42
    assert data["resolution"][-1] == {"working_days": CAP + 1, "more_than_cap": True, "observed": 7, "censored": 5}


def test_national_pdf_has_the_tables_of_the_page_and_the_time_in_wib(client, board_data, captured_pdf_html):
    page_tables, _ = tables_of(client.get("/transparansi/").get_data(as_text=True))
    response = client.get("/transparansi/ringkasan.pdf")
    assert response.data.startswith(b"%PDF")
    pdf_tables, _ = tables_of(captured_pdf_html["pdf/board_report.html"])
    for page_id, pdf_id in (("fig-year", "pdf-year"), ("fig-compare", "fig-compare")):
        assert pdf_tables[pdf_id] == page_tables[page_id], page_id
    assert_buckets_add_up(pdf_tables["fig-distribution-buckets"], page_tables["fig-distribution"])
    # The PDF names the agencies without links; the rows are the page's.
    assert pdf_tables["pdf-best"] == page_tables["fig-best"]
    assert pdf_tables["pdf-worst"] == page_tables["fig-worst"]
    text = pdf_text(response.data)
    assert "Dibuat 1 Desember 2026 00.05 WIB" in text  # the Jakarta day and time, not 30 November
    assert "Persentil ke-90 waktu sampai penyelesaian" in text
    assert "Bulan lengkap terakhir dibanding bulan-bulan sebelumnya" in text
    assert "Bulan sementara: September 2026, Oktober 2026, November 2026, Desember 2026." in text


def assert_buckets_add_up(buckets: list[list[str]], days: list[list[str]]) -> None:
    """The PDF's spans of working days hold, step by step, what the page's rows (one per working
    day) hold: the same totals, each day counted in the span that contains it."""
    spans = {"0–1": (0, 1), "2–3": (2, 3), "4–5": (4, 5), "6–10": (6, 10), "11–20": (11, 20),
             "21–40": (21, 40), "lebih dari 40": (41, 10**6)}
    assert [row[0] for row in buckets[2:]] == list(spans)
    steps = [name for name in ("Tindak lanjut pertama", "Penyelesaian") if name in buckets[0]]
    for s, step in enumerate(steps):
        for row in buckets[2:]:
            low, high = spans[row[0]]
            inside = [d for d in days[1:] if d[0] == step and low <= (
                CAP + 1 if d[1].startswith("lebih dari") else int(d[1])) <= high]
            assert int(row[1 + 2 * s]) == sum(int(d[2]) for d in inside), (step, row)
            assert int(row[2 + 2 * s]) == sum(int(d[3]) for d in inside), (step, row)


# --- one agency ---------------------------------------------------------------------------------

def test_agency_csv_json_and_pdf_include_the_figures_with_sub_units(client, board_data, captured_pdf_html):
    page = client.get("/transparansi/instansi/pemkot-padang").get_data(as_text=True)
    tables, captions = tables_of(page)
    assert captions["fig-units"] == "Termasuk 1 unit di bawahnya"
    rows = read_csv(client.get("/transparansi/instansi/pemkot-padang.csv"))
    by_table = {}
    for row in rows:
        by_table.setdefault(row["table"], []).append(row)
    assert_row_agrees(tables["fig-own"], by_table["last_12_months"][0])
    assert_row_agrees(tables["fig-units"], by_table["last_12_months_with_units"][0])
    own = by_table["last_12_months"][0]
    # 2 confidential reports: under the small-number rule, not published per agency.
    assert own["received"] == "12" and own["confidential_received"] == "n_too_small"
    assert "2 rahasia" not in page
    # 7 of 12 resolutions took more than 120 working days; the rest are still open.
    assert (own["median_days_to_resolution"], own["p90_days_to_resolution"]) == (">120", "not_reached")
    # Its interval: from beyond the cap to a day not reached yet (the open reports).
    assert split_interval(figure_rows(tables["fig-own"])["Median waktu sampai penyelesaian"]) == (
        "lebih dari 120 hari kerja", ("lebih dari 120", "belum tercapai"))
    assert (own["median_days_to_resolution_ci_low"], own["median_days_to_resolution_ci_high"]) == (
        ">120", "not_reached")
    assert own["p90_days_to_first_response"] == "not_reached"
    assert by_table["last_12_months_with_units"][0]["received"] == "22"
    assert len(by_table["monthly"]) == 12

    data = json.loads(client.get("/transparansi/instansi/pemkot-padang.json").get_data(as_text=True))
    assert data["last_12_months_with_units"]["received"]["value"] == 22
    assert data["units"] == ["dinkes-kota-padang"]
    resolution = data["last_12_months"]["time_to_resolution"]
    assert resolution["median_status"] == "more_than_cap"
    assert resolution["median_working_days"] > resolution["cap_working_days"] == CAP

    response = client.get("/transparansi/instansi/pemkot-padang.pdf")
    pdf_tables, pdf_captions = tables_of(captured_pdf_html["pdf/board_report.html"])
    assert pdf_tables["pdf-year"] == tables["fig-own"]
    assert pdf_tables["pdf-units"] == tables["fig-units"]
    assert_buckets_add_up(pdf_tables["fig-distribution-buckets"], tables["fig-distribution"])
    text = pdf_text(response.data)
    assert "Termasuk 1 unit di bawahnya" in text
    assert "Dibuat 1 Desember 2026 00.05 WIB" in text


def test_agency_distribution_downloads(client, board_data):
    page = client.get("/transparansi/instansi/kemenkes").get_data(as_text=True)
    assert "/transparansi/instansi/kemenkes/sebaran.csv" in page
    rows = read_csv(client.get("/transparansi/instansi/kemenkes/sebaran.csv"))
    assert [(r["measure"], r["working_days"], r["observed"], r["censored"]) for r in rows] == [
        ("first_response", "1", "19", "0"), ("first_response", "6", "0", "1"),
        ("resolution", "3", "10", "0"), ("resolution", "7", "8", "0"), ("resolution", "8", "0", "2")]
    data = json.loads(client.get("/transparansi/instansi/kemenkes/sebaran.json").get_data(as_text=True))
    assert data["agency"]["slug"] == "kemenkes" and data["definitions"]["resolution"] == "time_to_resolution.v3"
    assert client.get("/transparansi/instansi/kemenkes/sebaran.xml").status_code == 404


def test_small_numbers_say_so_in_every_format(client, board_data):
    tables, _ = tables_of(client.get("/transparansi/instansi/kemenkes").get_data(as_text=True))
    assert figure_rows(tables["fig-own"])["Kepuasan pelapor (1–5)"].startswith("n terlalu kecil")
    row = next(r for r in read_csv(client.get("/transparansi/instansi/kemenkes.csv"))
               if r["table"] == "last_12_months")
    assert row["satisfaction_mean"] == "n_too_small" and row["satisfaction_n"] == "3"
    assert_row_agrees(tables["fig-own"], row)


# --- snapshots ----------------------------------------------------------------------------------

@pytest.fixture
def snapshot(board_data):
    put("pemkot-padang", "2026-11", received=10, followed_up=10, resolved=10, on_time_answered=10,
        on_time_eligible=10, first={2: (10, 0)}, resolution={4: (8, 0), CAP + 1: (2, 0)})
    statistics.refresh_national("2026-11", NOW)
    # Published by the monthly job just after midnight WIB on 1 December.
    published = snapshots.publish("2026-11", NOW)
    db.session.commit()
    return published


def test_snapshot_page_dates_are_jakarta_days(client, snapshot):
    page = client.get(f"/transparansi/snapshot/{snapshot.public_id}").get_data(as_text=True)
    cite = page.split('class="cite"')[1].split("</aside>")[0]
    assert "01 Desember 2026" in cite
    assert "30 November 2026" not in cite
    assert "Snapshot statistik pengaduan pelayanan publik November 2026" in cite  # its month, named
    listing = client.get("/transparansi/snapshot").get_data(as_text=True)
    assert "1 Des 2026" in listing


def test_snapshot_page_and_pdf_label_figures_as_the_pages_do(client, snapshot, captured_pdf_html):
    page = client.get(f"/transparansi/snapshot/{snapshot.public_id}").get_data(as_text=True)
    tables, _ = tables_of(page)
    shown = figure_rows(tables["fig-snapshot"])
    assert list(shown) == list(COLUMNS)  # human labels, in the order of the national page
    assert "completion_rate" not in [row[0] for row in tables["fig-snapshot"]]
    # The definitions are links that say "definisi" (with the figure's name for a screen reader);
    # the ids are where they lead, never the text read.
    assert [row[2] for row in tables["fig-snapshot"][1:]][:2] == ["definisi Laporan diterima",
                                                                  "definisi Ditindaklanjuti"]
    for definition in ("received.v1", "followed_up.v3", "follow_up_rate.v3"):
        assert f'/transparansi/metodologi#{definition}"' in page
    assert shown["Persentil ke-90 waktu sampai penyelesaian"] == "lebih dari 120 hari kerja"
    # 8 of 10 reports resolved on day 4, 2 after the cap: the median's interval is that day.
    assert split_interval(shown["Median waktu sampai penyelesaian"]) == ("4 hari kerja", ("4", "4"))

    csv_rows = read_csv(client.get(f"/transparansi/snapshot/{snapshot.public_id}.csv"))
    assert_row_agrees(tables["fig-snapshot"], csv_rows[0])

    response = client.get(f"/transparansi/snapshot/{snapshot.public_id}.pdf")
    pdf_tables, _ = tables_of(captured_pdf_html["pdf/snapshot.html"])
    assert pdf_tables["pdf-snapshot"] == tables["fig-snapshot"]
    text = pdf_text(response.data)
    assert "Laporan diterima" in text and "completion_rate" not in text
    assert "Selasa, 01 Desember 2026" in text  # published on the Jakarta day
    assert "PDF dibuat 1 Desember 2026 00.05 WIB" in text


def test_snapshot_csv_tells_the_national_total_from_the_agencies(client, snapshot):
    rows = read_csv(client.get(f"/transparansi/snapshot/{snapshot.public_id}.csv"))
    assert [(r["scope"], r["level"], r["slug"]) for r in rows] == [
        ("national_total", "", ""), ("agency", "regency", "pemkot-padang")]
    assert rows[0]["p90_days_to_resolution"] == ">120"
    assert rows[1]["received"] == "10"



def test_board_pdfs_number_their_pages_and_link_to_the_site(app, client, db_session):
    """Every page says "Halaman n dari m", and a link in the PDF opens the site's page (the
    public address), not a path on the reader's disk."""
    import io

    import pikepdf

    for path in ("/transparansi/ringkasan.pdf", "/transparansi/wilayah.pdf"):
        document = client.get(path).data
        text = " ".join(pdf_text(document).split())
        pages = len(pikepdf.open(io.BytesIO(document)).pages)
        assert f"Halaman 1 dari {pages}" in text and f"Halaman {pages} dari {pages}" in text, path
        with pikepdf.open(io.BytesIO(document)) as pdf:
            uris = [str(annot.A.URI) for page in pdf.pages for annot in page.get("/Annots", [])
                    if "/A" in annot and "/URI" in annot.A]
        base = app.config["PUBLIC_BASE_URL"].rstrip("/")
        assert all(uri.startswith(base + "/") for uri in uris), (path, uris[:3])
        if path.endswith("ringkasan.pdf"):
            assert any("/transparansi/metodologi#" in uri for uri in uris)  # the definitions
