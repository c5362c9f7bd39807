"""Charts drawn on the server as SVG: readable in the browser, in the PDF, and without colour.

Each chart carries a <title> and <desc> and is paired by the templates with a data table, its
text alternative. Series are told apart by pattern and label, not by colour alone.
"""
from __future__ import annotations

from dataclasses import dataclass
import hashlib
import math
from html import escape

from markupsafe import Markup

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 48
MARGIN_BOTTOM = 40
MARGIN_TOP = 16
MARGIN_RIGHT = 12


@dataclass(frozen=True)
class Series:
    label: str
    values: list  # numbers or None (no value: drawn as a gap)
    style: str = "solid"  # solid | hatched


def _nice_max(value: float) -> float:
    """The smallest 4 × (1, 2 or 5 × 10^k) at or above ``value``: four round gridline steps."""
    if value <= 0:
        return 4
    magnitude = 10 ** math.floor(math.log10(value / 4)) if value >= 4 else 1
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude * 4 >= value:
            return multiple * magnitude * 4
    return 40 * magnitude


def _axes(y_max: float, labels: list[str], y_format) -> list[str]:
    parts = []
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    for i in range(5):
        value = y_max * i / 4
        y = HEIGHT - MARGIN_BOTTOM - plot_h * i / 4
        parts.append(f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y:.1f}" '
                     f'class="grid" stroke="#ccc" stroke-width="1"/>')
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
                     f'{escape(y_format(value))}</text>')
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    step = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % step:
            continue
        x = MARGIN_LEFT + plot_w * (i + 0.5) / max(1, len(labels))
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" text-anchor="middle" '
                     f'font-size="11">{escape(label)}</text>')
    return parts


def _chart_id(title: str) -> str:
    """Ids unique per chart (several charts share a page), stable for the same title."""
    return "c" + hashlib.sha1(title.encode()).hexdigest()[:8]


def _frame(title: str, description: str, body: list[str], legend: list[str]) -> Markup:
    cid = _chart_id(title)
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 24}" role="img" '
           f'class="chart" font-family="DejaVu Sans, sans-serif" aria-labelledby="{cid}-t {cid}-d">',
           f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(description)}</desc>',
           f'<defs><pattern id="{cid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#0b5d8c" stroke-width="3"/></pattern></defs>']
    svg += [part.replace("url(#hatch)", f"url(#{cid}-hatch)") for part in body + legend] + ["</svg>"]
    return Markup("".join(svg))


def _legend(series: list[Series]) -> list[str]:
    parts, x = [], MARGIN_LEFT
    for s in series:
        fill = "url(#hatch)" if s.style == "hatched" else "#0b5d8c"
        parts.append(f'<rect x="{x}" y="{HEIGHT + 6}" width="14" height="14" fill="{fill}" stroke="#0b5d8c"/>')
        parts.append(f'<text x="{x + 20}" y="{HEIGHT + 18}" font-size="12">{escape(s.label)}</text>')
        x += 30 + 7 * len(s.label)
    return parts


def bar_chart(title: str, description: str, labels: list[str], series: list[Series],
              y_format=lambda v: f"{v:,.0f}".replace(",", ".")) -> Markup:
    """Grouped bars, one group per label; values of None leave a gap."""
    values = [v for s in series for v in s.values if v is not None]
    y_max = _nice_max(max(values, default=0))
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    group_w = plot_w / max(1, len(labels))
    bar_w = group_w * 0.8 / max(1, len(series))
    body = _axes(y_max, labels, y_format)
    for si, s in enumerate(series):
        fill = "url(#hatch)" if s.style == "hatched" else "#0b5d8c"
        for i, value in enumerate(s.values):
            if value is None:
                continue
            h = plot_h * value / y_max
            x = MARGIN_LEFT + group_w * i + group_w * 0.1 + bar_w * si
            y = HEIGHT - MARGIN_BOTTOM - h
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                        f'fill="{fill}" stroke="#0b5d8c"><title>{escape(labels[i])}: '
                        f'{escape(y_format(value))} ({escape(s.label)})</title></rect>')
    return _frame(title, description, body, _legend(series))


def line_chart(title: str, description: str, labels: list[str], series: list[Series],
               y_max: float = 1.0, y_format=lambda v: f"{v * 100:.0f}%") -> Markup:
    """Lines with markers (solid line with circles, dashed with squares); None breaks the line."""
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    body = _axes(y_max, labels, y_format)
    for si, s in enumerate(series):
        dash = ' stroke-dasharray="6 4"' if s.style == "hatched" else ""
        points, segments = [], []
        for i, value in enumerate(s.values):
            if value is None:
                if points:
                    segments.append(points)
                points = []
                continue
            x = MARGIN_LEFT + plot_w * (i + 0.5) / max(1, len(labels))
            y = HEIGHT - MARGIN_BOTTOM - plot_h * min(value, y_max) / y_max
            points.append((x, y, value, labels[i]))
        if points:
            segments.append(points)
        for seg in segments:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in seg)
            body.append(f'<polyline points="{path}" fill="none" stroke="#0b5d8c" stroke-width="2"{dash}/>')
            for x, y, value, label in seg:
                marker = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0b5d8c">' if si % 2 == 0 else
                          f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#fff" stroke="#0b5d8c">')
                closing = "</circle>" if si % 2 == 0 else "</rect>"
                body.append(f"{marker}<title>{escape(label)}: {escape(y_format(value))} "
                            f"({escape(s.label)})</title>{closing}")
    return _frame(title, description, body, _legend(series))


def board_charts(series, histogram=None, provisional=frozenset()) -> dict:
    """The board's charts from monthly figures [(period, Figures)] and an optional
    {measure: {days: (observed, censored)}} histogram. Texts are translatable. A month in
    ``provisional`` (statistics.provisional) is labelled with a "*" on the axis and in each
    point's title, and the charts' descriptions say which months those are."""
    from flask_babel import gettext as _

    labels = [f"{p}*" if p in provisional else p for p, _f in series]
    marked = sorted(p for p, _f in series if p in provisional)
    note = (" " + _("Bulan bertanda * masih sementara (%(months)s): angkanya masih dapat berubah "
                    "karena tenggat laporannya belum semua lewat.", months=", ".join(marked))
            if marked else "")
    charts = {
        "volume": bar_chart(
            _("Laporan diterima dan diselesaikan per bulan"),
            _("Batang penuh: laporan diterima; batang bergaris: diselesaikan; per bulan pengiriman.") + note,
            labels, [Series(_("Diterima"), [f.received for _p, f in series]),
                     Series(_("Diselesaikan"), [f.resolved for _p, f in series], "hatched")]),
        "rates": line_chart(
            _("Persentase tindak lanjut dan tingkat penyelesaian per bulan"),
            _("Garis penuh dengan titik: persentase tindak lanjut; garis putus-putus dengan kotak: "
              "tingkat penyelesaian. Bulan dengan kurang dari 10 laporan tidak digambar.") + note,
            labels, [Series(_("Tindak lanjut"), [f.follow_up_rate.value for _p, f in series]),
                     Series(_("Penyelesaian"), [f.completion_rate.value for _p, f in series], "hatched")]),
    }
    if histogram:
        first = histogram.get("first_response", {})
        top = max(first, default=0)
        buckets = list(range(0, min(top, 30) + 1))
        labels_h = [str(d) for d in buckets]
        if top > 30:
            labels_h.append(">30")
        observed = [first.get(d, (0, 0))[0] for d in buckets]
        censored = [first.get(d, (0, 0))[1] for d in buckets]
        if top > 30:
            observed.append(sum(o for d, (o, _c) in first.items() if d > 30))
            censored.append(sum(c for d, (_o, c) in first.items() if d > 30))
        charts["response_times"] = bar_chart(
            _("Sebaran waktu sampai tindak lanjut pertama (hari kerja)"),
            _("Batang penuh: laporan yang ditindaklanjuti setelah sekian hari kerja; batang bergaris: "
              "laporan yang belum ditindaklanjuti dan sudah menunggu sekian hari kerja."),
            labels_h, [Series(_("Ditindaklanjuti"), observed),
                       Series(_("Belum ditindaklanjuti"), censored, "hatched")])
    return charts
