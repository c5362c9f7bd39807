"""Charts on the page name each bar and point on hover; the PDFs' charts (``paper=True``) leave
those titles out (paper has no hover, the tables carry the numbers), draw each series's bars and
markers as one path, and keep everything a reader sees."""
import base64
import re

from app.services.charts import PrintedChart, Series, bar_chart, line_chart

LABELS = ["Januari 2026", "Februari 2026", "Maret 2026"]


def _bars(paper: bool) -> str:
    series = [Series("Diterima", [10, 12, None]), Series("Diselesaikan", [8, 0, 4], "hatched")]
    return str(bar_chart("Laporan", "Batang per bulan.", LABELS, series, x_title="Bulan",
                         y_title="Jumlah", paper=paper))


def _lines(paper: bool) -> str:
    rates = [Series("Tindak lanjut", [0.9, None, 0.7]), Series("Penyelesaian", [0.5, 0.6, 0.4], "hatched")]
    return str(line_chart("Persentase", "Garis per bulan.", LABELS, rates, x_title="Bulan",
                          y_title="Persen", paper=paper))


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def test_the_print_charts_drop_only_the_hover_titles():
    for screen, paper in ((_bars(False), _bars(True)), (_lines(False), _lines(True))):
        assert len(re.findall(r"<title", screen)) > 1
        # Only the chart's own title is left: it names the chart for a screen reader.
        assert len(re.findall(r"<title", paper)) == 1
        # The same words on the axes, titles and legend.
        words = r"<text[^>]*>([^<]*)</text>"
        assert re.findall(words, paper) == re.findall(words, screen)


def test_the_print_bars_are_the_same_rectangles_in_one_path_per_series():
    screen, paper = _bars(False), _bars(True)
    # On screen: a <rect> per bar with its title (the legend's swatches have none).
    bars = re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" '
                      r'fill="([^"]+)"[^>]*><title>', screen)
    paths = re.findall(r'<path d="([^"]+)" fill="([^"]+)" stroke="#0b5d8c"', paper)
    assert [fill for _d, fill in paths] == ["#0b5d8c", "url(#hatch)".replace("hatch", re.search(
        r'id="(c\w+-hatch)"', paper).group(1))]
    drawn = []
    for d, fill in paths:
        for x, y, w, h, w_back in re.findall(r"M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-([\d.]+)z", d):
            assert w == w_back
            drawn.append((x, y, w, h, fill))
    # The same bars, less the one of height 0 (a <rect> of height 0 draws nothing either).
    assert drawn == [(x, y, w, h, fill) for x, y, w, h, fill in bars if float(h) > 0]
    assert len(drawn) == 4
    # The gridlines: the axis as before, the four light ones as one path.
    assert len(re.findall(r'<line[^>]*class="grid"', screen)) == 5
    assert len(re.findall(r'<line[^>]*class="grid"', paper)) == 1
    assert len(re.findall(r"M[\d.]+ [\d.]+H", re.search(r'<path d="([^"]+)" class="grid"', paper).group(1))) == 4


def test_the_print_markers_are_the_same_points_in_one_path_per_series():
    screen, paper = _lines(False), _lines(True)
    # Not the legend's swatches (left of the plot).
    circles = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="4"', screen)
               if float(x) > 30]
    squares = [(float(x), float(y)) for x, y in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="8"', screen)
               if float(x) > 30]
    markers = re.findall(r'<path d="([^"]+)" (fill="[^"]+"[^/]*)/>', paper)
    round_ones = re.findall(r"M([\d.]+) ([\d.]+)a4 4 0 1 0 8 0a4 4 0 1 0 -8 0z", markers[0][0])
    square_ones = re.findall(r"M([\d.]+) ([\d.]+)h8v8h-8z", markers[1][0])
    assert markers[0][1] == 'fill="#0b5d8c"' and "stroke" in markers[1][1]
    assert len(round_ones) == len(circles)
    for (x, y), (cx, cy) in zip(round_ones, circles):  # from its left end, rounded apart
        assert abs(float(x) + 4 - cx) < 0.11 and float(y) == cy
    assert [(float(x), float(y)) for x, y in square_ones] == squares
    assert (len(circles), len(squares)) == (2, 3)
    assert screen.count("<polyline") == paper.count("<polyline")


def test_a_printed_chart_is_an_svg_document_with_its_text_alternative(app):
    from app.services.charts import board_charts

    with app.test_request_context():
        printed = board_charts([], None, paper=True)
    assert set(printed) == {"volume", "rates"}
    chart = printed["volume"]
    assert isinstance(chart, PrintedChart)
    assert chart.alt.startswith("Laporan diterima dan diselesaikan per bulan. Batang penuh:")
    assert chart.src.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(chart.src.split(",", 1)[1]).decode() == chart.svg
    assert chart.svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
