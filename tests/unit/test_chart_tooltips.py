"""Charts on the page name each bar and point on hover; the PDFs' charts leave those titles out
(paper has no hover, the tables carry the numbers) and keep everything a reader sees."""
import re

from app.services.charts import Series, bar_chart, line_chart


def _charts(tooltips: bool) -> list[str]:
    labels = ["Januari 2026", "Februari 2026", "Maret 2026"]
    series = [Series("Diterima", [10, 12, None]), Series("Diselesaikan", [8, 9, 4], "hatched")]
    rates = [Series("Tindak lanjut", [0.9, None, 0.7]), Series("Penyelesaian", [0.5, 0.6, 0.4], "hatched")]
    return [str(bar_chart("Laporan", "Batang per bulan.", labels, series, x_title="Bulan",
                          y_title="Jumlah", tooltips=tooltips)),
            str(line_chart("Persentase", "Garis per bulan.", labels, rates, x_title="Bulan",
                           y_title="Persen", tooltips=tooltips))]


def test_the_print_charts_drop_only_the_hover_titles():
    for screen, paper in zip(_charts(True), _charts(False)):
        assert len(re.findall(r"<title", screen)) > 1
        # Only the chart's own title is left: it names the chart for a screen reader.
        assert len(re.findall(r"<title", paper)) == 1
        drawn = r"<(rect|circle|polyline|line|text)\b"
        assert len(re.findall(drawn, paper)) == len(re.findall(drawn, screen))
        # The same words on the axes, titles and legend.
        words = r"<text[^>]*>([^<]*)</text>"
        assert re.findall(words, paper) == re.findall(words, screen)
