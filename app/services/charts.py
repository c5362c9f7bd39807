"""Charts drawn on the server as SVG: readable in the browser, in the PDF, and without colour.

Each chart carries a <title> and <desc>, axis titles on both axes, and is paired by the
templates with a data table, its text alternative. Series are told apart by pattern, marker and
label, not by colour alone.

Readable on a phone: the drawing is sized for a 360 px screen (:data:`WIDTH` user units wide, text
:data:`FONT` units high), so where the chart is shown at a phone's width (about 328 px inside
the page's margins) its text is still about 12 px high; on a wide screen the stylesheet caps the
chart's width. Tick labels are thinned to what fits (every other month on a year of months),
and months go by their short names with the year below, once per year shown.

On paper (``paper=True``, the PDFs) the same drawing is made of fewer elements: no title per bar
and point (tooltips, which paper has none of), one path per series for its bars or markers and
one for the light gridlines, and :func:`board_charts` gives each chart as a
:class:`PrintedChart`, an SVG document the PDF shows as an image.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
import hashlib
import math
from html import escape

from markupsafe import Markup

WIDTH = 360
FONT = 13  # text height in user units: 13 × 328/360 ≈ 11.8 px on a 360 px phone
CHAR = 7.6  # a rough average character width at FONT (DejaVu Sans), to fit labels
PLOT_HEIGHT = 170
MARGIN_TOP = 30  # room for the y axis's title, written above the axis
MARGIN_RIGHT = 10
TICK_AREA = 36  # one or two lines of tick labels under the plot
X_TITLE_AREA = 22
LEGEND_ROW = 22
# The response-time chart draws a bar per working day up to this many, then one for the rest.
HISTOGRAM_DAYS = 30


@dataclass(frozen=True)
class Series:
    label: str
    values: list  # numbers or None (no value: drawn as a gap)
    style: str = "solid"  # solid | hatched


@dataclass(frozen=True)
class Tick:
    """A label on the x axis: ``text``, and a ``group`` (a month's year) written below it on the
    first tick shown and wherever it changes."""
    text: str
    group: str | None = None


def _nice_max(value: float) -> float:
    """The smallest 4 × (1, 2 or 5 × 10^k) at or above ``value``: four round gridline steps."""
    if value <= 0:
        return 4
    magnitude = 10 ** math.floor(math.log10(value / 4)) if value >= 4 else 1
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude * 4 >= value:
            return multiple * magnitude * 4
    return 40 * magnitude


@dataclass(frozen=True)
class _Layout:
    left: float
    n: int

    @property
    def plot_w(self) -> float:
        return WIDTH - self.left - MARGIN_RIGHT

    @property
    def bottom(self) -> float:
        return MARGIN_TOP + PLOT_HEIGHT

    def x(self, i: float) -> float:
        return self.left + self.plot_w * (i + 0.5) / max(1, self.n)


def _shown_ticks(ticks: list[Tick], slot: float) -> list[int]:
    """Which ticks to write: every ``step``-th, the step as small as lets labels not touch; the
    last one always (a histogram's ">30"), dropping the one before it when they would touch."""
    widest = max((len(t.text) for t in ticks), default=1)
    step = max(1, math.ceil((widest * CHAR + 8) / slot))
    shown = list(range(0, len(ticks), step))
    if ticks and shown[-1] != len(ticks) - 1:
        if len(ticks) - 1 - shown[-1] < step:
            shown.pop()
        shown.append(len(ticks) - 1)
    return shown


def _axes(layout: _Layout, y_max: float, ticks: list[Tick], y_format, x_title: str,
          y_title: str, paper: bool = False) -> list[str]:
    parts, gridlines = [], []
    for i in range(5):
        value = y_max * i / 4
        y = layout.bottom - PLOT_HEIGHT * i / 4
        if paper and i:
            gridlines.append(f"M{layout.left} {y:.1f}H{WIDTH - MARGIN_RIGHT}")
        else:
            parts.append(f'<line x1="{layout.left}" y1="{y:.1f}" x2="{WIDTH - MARGIN_RIGHT}" y2="{y:.1f}" '
                         f'class="grid" stroke="{"#555" if i == 0 else "#ccc"}" stroke-width="1"/>')
        parts.append(f'<text x="{layout.left - 5}" y="{y + 4.5:.1f}" text-anchor="end" '
                     f'font-size="{FONT}">{escape(y_format(value))}</text>')
    if gridlines:
        parts.append(f'<path d="{"".join(gridlines)}" class="grid" fill="none" stroke="#ccc" stroke-width="1"/>')
    slot = layout.plot_w / max(1, len(ticks))
    last_group = None
    for i in _shown_ticks(ticks, slot):
        tick = ticks[i]
        x = layout.x(i)
        parts.append(f'<text class="tick" x="{x:.1f}" y="{layout.bottom + FONT + 3}" text-anchor="middle" '
                     f'font-size="{FONT}">{escape(tick.text)}</text>')
        if tick.group is not None and tick.group != last_group:
            parts.append(f'<text class="tick" x="{x:.1f}" y="{layout.bottom + 2 * FONT + 6}" '
                         f'text-anchor="middle" font-size="{FONT}">{escape(tick.group)}</text>')
            last_group = tick.group
    # Axis titles: the x axis's under its labels, the y axis's above the axis (read without
    # turning the head on a phone).
    parts.append(f'<text class="axis-title x-title" x="{layout.left + layout.plot_w / 2:.1f}" '
                 f'y="{layout.bottom + TICK_AREA + X_TITLE_AREA - 6}" text-anchor="middle" '
                 f'font-size="{FONT}" font-weight="bold">{escape(x_title)}</text>')
    parts.append(f'<text class="axis-title y-title" x="2" y="{FONT + 2}" font-size="{FONT}" '
                 f'font-weight="bold">{escape(y_title)}</text>')
    return parts


def _layout(y_max: float, n: int, y_format) -> _Layout:
    widest = max(len(y_format(y_max * i / 4)) for i in range(5))
    return _Layout(left=max(30, widest * CHAR + 10), n=n)


def _chart_id(title: str) -> str:
    """Ids unique per chart (several charts share a page), stable for the same title."""
    return "c" + hashlib.sha1(title.encode()).hexdigest()[:8]


def _frame(title: str, description: str, body: list[str], legend: list[str]) -> Markup:
    cid = _chart_id(title)
    height = MARGIN_TOP + PLOT_HEIGHT + TICK_AREA + X_TITLE_AREA + LEGEND_ROW * len(legend) // 2 + 4
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'class="chart board-chart" font-family="DejaVu Sans, sans-serif" '
           f'aria-labelledby="{cid}-t {cid}-d">',
           f'<title id="{cid}-t">{escape(title)}</title><desc id="{cid}-d">{escape(description)}</desc>',
           f'<defs><pattern id="{cid}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#0b5d8c" stroke-width="3"/></pattern></defs>']
    svg += [part.replace("url(#hatch)", f"url(#{cid}-hatch)") for part in body + legend] + ["</svg>"]
    return Markup("".join(svg))


def _legend(series: list[Series], lines: bool = False) -> list[str]:
    """One row per series (two parts each: its swatch and its label): a filled or hatched box
    for bars; for lines, the line's own dash and marker."""
    parts = []
    top = MARGIN_TOP + PLOT_HEIGHT + TICK_AREA + X_TITLE_AREA
    for si, s in enumerate(series):
        y = top + LEGEND_ROW * si
        if lines:
            dash = ' stroke-dasharray="6 4"' if s.style == "hatched" else ""
            marker = (f'<circle cx="14" cy="{y + 7}" r="4" fill="#0b5d8c"/>' if si % 2 == 0 else
                      f'<rect x="10" y="{y + 3}" width="8" height="8" fill="#fff" stroke="#0b5d8c"/>')
            parts.append(f'<g><line x1="2" y1="{y + 7}" x2="26" y2="{y + 7}" stroke="#0b5d8c" '
                         f'stroke-width="2"{dash}/>{marker}</g>')
        else:
            fill = "url(#hatch)" if s.style == "hatched" else "#0b5d8c"
            parts.append(f'<rect x="6" y="{y}" width="14" height="14" fill="{fill}" stroke="#0b5d8c"/>')
        parts.append(f'<text x="34" y="{y + 12}" font-size="{FONT}">{escape(s.label)}</text>')
    return parts


def _ticks(labels: list[str], ticks: list[Tick] | None) -> list[Tick]:
    return ticks if ticks is not None else [Tick(label) for label in labels]


def bar_chart(title: str, description: str, labels: list[str], series: list[Series],
              y_format=lambda v: f"{v:,.0f}".replace(",", "."), *, x_title: str, y_title: str,
              ticks: list[Tick] | None = None, paper: bool = False) -> Markup:
    """Grouped bars, one group per label; values of None leave a gap. ``labels`` name each
    group in full (each bar's title, shown on hover); ``ticks``, when given, are the axis's
    shorter labels. ``paper``: no titles, each series's bars one path (the same rectangles;
    one of height 0 is not drawn, as a ``<rect>`` of height 0 is not)."""
    values = [v for s in series for v in s.values if v is not None]
    y_max = _nice_max(max(values, default=0))
    layout = _layout(y_max, len(labels), y_format)
    group_w = layout.plot_w / max(1, len(labels))
    bar_w = group_w * 0.8 / max(1, len(series))
    body = _axes(layout, y_max, _ticks(labels, ticks), y_format, x_title, y_title, paper)
    for si, s in enumerate(series):
        fill = "url(#hatch)" if s.style == "hatched" else "#0b5d8c"
        outline = 'stroke="#0b5d8c" stroke-width="0.5"'
        bars = []
        for i, value in enumerate(s.values):
            if value is None:
                continue
            h = PLOT_HEIGHT * value / y_max
            x = layout.left + group_w * i + group_w * 0.1 + bar_w * si
            y = layout.bottom - h
            if paper:
                if float(f"{h:.1f}") > 0:
                    bars.append(f"M{x:.1f} {y:.1f}h{bar_w:.1f}v{h:.1f}h-{bar_w:.1f}z")
                continue
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                        f'fill="{fill}" {outline}><title>{escape(labels[i])}: '
                        f'{escape(y_format(value))} ({escape(s.label)})</title></rect>')
        if bars:
            body.append(f'<path d="{"".join(bars)}" fill="{fill}" {outline}/>')
    return _frame(title, description, body, _legend(series))


def line_chart(title: str, description: str, labels: list[str], series: list[Series],
               y_max: float = 1.0, y_format=lambda v: f"{v * 100:.0f}%", *, x_title: str,
               y_title: str, ticks: list[Tick] | None = None, paper: bool = False) -> Markup:
    """Lines with markers (solid line with circles, dashed with squares); None breaks the line.
    Each marker's title (its month and value, shown on hover); ``paper``: no titles, each
    series's markers one path (the same circles and squares), drawn over its lines."""
    layout = _layout(y_max, len(labels), y_format)
    body = _axes(layout, y_max, _ticks(labels, ticks), y_format, x_title, y_title, paper)
    for si, s in enumerate(series):
        dash = ' stroke-dasharray="6 4"' if s.style == "hatched" else ""
        points, segments = [], []
        for i, value in enumerate(s.values):
            if value is None:
                if points:
                    segments.append(points)
                points = []
                continue
            y = layout.bottom - PLOT_HEIGHT * min(value, y_max) / y_max
            points.append((layout.x(i), y, value, labels[i]))
        if points:
            segments.append(points)
        circles = si % 2 == 0
        markers = []
        for seg in segments:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in seg)
            body.append(f'<polyline points="{path}" fill="none" stroke="#0b5d8c" stroke-width="2"{dash}/>')
            for x, y, value, label in seg:
                if paper:  # a circle of radius 4 as two arcs; a square 8 wide
                    markers.append(f"M{x - 4:.1f} {y:.1f}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0z" if circles else
                                   f"M{x - 4:.1f} {y - 4:.1f}h8v8h-8z")
                    continue
                marker = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#0b5d8c">' if circles else
                          f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="#fff" stroke="#0b5d8c">')
                closing = "</circle>" if circles else "</rect>"
                body.append(f"{marker}<title>{escape(label)}: {escape(y_format(value))} "
                            f"({escape(s.label)})</title>{closing}")
        if markers:
            paint = 'fill="#0b5d8c"' if circles else 'fill="#fff" stroke="#0b5d8c"'
            body.append(f'<path d="{"".join(markers)}" {paint}/>')
    return _frame(title, description, body, _legend(series, lines=True))


@dataclass(frozen=True)
class PrintedChart:
    """A chart for a PDF: its SVG as a document of its own and its text alternative (``alt``:
    the chart's title and description, which the tagged PDF gives its figure).

    The PDF shows it as an image (``<img src="{{ chart.src }}" alt="{{ chart.alt }}">``,
    services/pdf.py reads the data: URL): WeasyPrint parses it as XML, whereas an ``<svg>``
    written into the page went through its pure-Python HTML parser and its CSS cascade element
    by element, about a third of the cost of the agency PDF's HTML and styles. The same figure
    in the same structure: an inline ``<svg>`` was a tagged figure with its title only."""
    svg: str
    alt: str

    @property
    def src(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode("ascii")


def board_charts(series, histogram=None, provisional=frozenset(), *, paper: bool = False) -> dict:
    """The board's charts from monthly figures [(period, Figures)] and an optional
    {measure: {days: (observed, censored)}} histogram. Texts are translatable, months named in
    the current locale ("Januari 2026"; "Jan" on the axis, the year below). A month in
    ``provisional`` (statistics.provisional) is labelled with a "*" on the axis and in each
    point's title, and the charts' descriptions say which months those are. ``paper=True``
    (the PDFs) gives :class:`PrintedChart`s drawn with fewer elements (no title per bar and
    point: paper shows no tooltip, the tables beside the charts carry the numbers, and a
    chart's every element costs WeasyPrint time)."""
    from flask_babel import gettext as _
    from flask_babel import ngettext

    from ..labels import format_month, format_period
    from .statistics import MIN_N

    def star(period):
        return "*" if period in provisional else ""

    labels = [f"{format_period(p)}{star(p)}" for p, _f in series]
    ticks = [Tick(f"{format_month(p)}{star(p)}", p[:4]) for p, _f in series]
    marked = [format_period(p) for p in sorted(p for p, _f in series if p in provisional)]
    note = (" " + _("Bulan bertanda * masih sementara (%(months)s): angkanya masih dapat berubah "
                    "karena tenggat laporannya belum semua lewat.", months=", ".join(marked))
            if marked else "")
    month_axis = _("Bulan pengiriman")

    def drawn(chart, title, description, *args, **kwargs):
        svg = chart(title, description, *args, paper=paper, **kwargs)
        return PrintedChart(str(svg), f"{title}. {description}") if paper else svg

    charts = {
        "volume": drawn(
            bar_chart, _("Laporan diterima dan diselesaikan per bulan"),
            _("Batang penuh: laporan diterima; batang bergaris: diselesaikan; per bulan pengiriman.") + note,
            labels, [Series(_("Diterima"), [f.received for _p, f in series]),
                     Series(_("Diselesaikan"), [f.resolved for _p, f in series], "hatched")],
            x_title=month_axis, y_title=_("Jumlah laporan"), ticks=ticks),
        "rates": drawn(
            line_chart, _("Persentase tindak lanjut dan tingkat penyelesaian per bulan"),
            _("Garis penuh dengan titik: persentase tindak lanjut; garis putus-putus dengan kotak: "
              "tingkat penyelesaian. Bulan dengan kurang dari %(n)s laporan tidak digambar.",
              n=MIN_N) + note,
            labels, [Series(_("Tindak lanjut"), [f.follow_up_rate.value for _p, f in series]),
                     Series(_("Penyelesaian"), [f.completion_rate.value for _p, f in series], "hatched")],
            x_title=month_axis, y_title=_("Persen dari laporan diterima"), ticks=ticks),
    }
    if histogram:
        first = histogram.get("first_response", {})
        top = max(first, default=0)
        buckets = list(range(0, min(top, HISTOGRAM_DAYS) + 1))
        ticks_h = [Tick(str(d)) for d in buckets]
        labels_h = [ngettext("%(num)s hari kerja", "%(num)s hari kerja", d) for d in buckets]
        if top > HISTOGRAM_DAYS:
            ticks_h.append(Tick(f">{HISTOGRAM_DAYS}"))
            labels_h.append(_("lebih dari %(n)s hari kerja", n=HISTOGRAM_DAYS))
        observed = [first.get(d, (0, 0))[0] for d in buckets]
        censored = [first.get(d, (0, 0))[1] for d in buckets]
        if top > HISTOGRAM_DAYS:
            observed.append(sum(o for d, (o, _c) in first.items() if d > HISTOGRAM_DAYS))
            censored.append(sum(c for d, (_o, c) in first.items() if d > HISTOGRAM_DAYS))
        charts["response_times"] = drawn(
            bar_chart, _("Sebaran waktu sampai tindak lanjut pertama (hari kerja)"),
            _("Batang penuh: laporan yang ditindaklanjuti setelah sekian hari kerja; batang bergaris: "
              "laporan yang belum ditindaklanjuti dan sudah menunggu sekian hari kerja."),
            labels_h, [Series(_("Ditindaklanjuti"), observed),
                       Series(_("Belum ditindaklanjuti"), censored, "hatched")],
            x_title=_("Hari kerja sampai tindak lanjut pertama"), y_title=_("Jumlah laporan"),
            ticks=ticks_h)
    return charts
