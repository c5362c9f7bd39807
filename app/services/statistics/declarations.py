"""Every figure of the board, declared once: THE place to add one (see the package docstring).

The ``Stored`` values are the rollup columns of ``agency_month_stats`` with what one report adds
to each; ``FIGURES`` are the published figures built on them, in the order of the JSON, the CSV
columns and the OpenAPI schema (and of the page, but for ``page_after``/``shown_in``). The
stored columns are those the figures read (a test checks them against the model). Everything else
— the refresh, the read-side sums, the figures dict, the CSV row, the OpenAPI ``Figures``
component, the "empty figures" and the page's figures table — is read from ``FIGURES``.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .kinds import CountFigure, MeanFigure, RateFigure, Stored, SuppressedCountFigure, SurvivalFigure
from .measures import RESOLUTION_WINDOW_DAYS, routed_to, transferred_from

# Duration measures (``duration_buckets.measure``, at most 20 characters).
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"

# --- stored counts: what one report adds to its agency's month --------------------------------

# Every report routed or transferred to the agency (the transfer rate's base).
ROUTED_IN = Stored(column="routed_in", every_related=True,
                   add=lambda r: routed_to(r.events, r.agency_id))
# Every report the agency transferred away (counted at the sender).
TRANSFERS_OUT = Stored(column="transfers_out", every_related=True,
                       add=lambda r: r.agency_id in transferred_from(r.events))
# The rest count the reports the agency received (its latest responsible agency).
RECEIVED = Stored(column="received", add=lambda r: True)
CONFIDENTIAL = Stored(column="confidential", add=lambda r: r.report.is_confidential)
FOLLOWED_UP = Stored(column="followed_up", add=lambda r: r.measures.followed_up)
RESOLVED = Stored(column="resolved", add=lambda r: r.measures.resolved)
ON_TIME_ANSWERED = Stored(column="on_time_answered", add=lambda r: r.measures.on_time_answered)
ON_TIME_ELIGIBLE = Stored(column="on_time_eligible", add=lambda r: r.measures.on_time_eligible)
DISPUTED = Stored(column="disputed", add=lambda r: r.measures.disputed)
# SP4N-LAPOR!'s "tindak lanjut": selesai + proses (see measures.LAPOR_SELESAI, LAPOR_OPEN).
LAPOR_FOLLOWED_UP = Stored(column="lapor_followed_up", add=lambda r: r.measures.lapor_followed_up)
# Fixed window (resolved_within_window.v1): eligible once the window passed or resolved within it.
WINDOW_ELIGIBLE = Stored(column="window_eligible", add=lambda r: r.measures.window_eligible)
WINDOW_RESOLVED = Stored(column="window_resolved", add=lambda r: r.measures.window_resolved)
# Received reports the agency resolved at least once since they arrived (dispute rate base).
EVER_RESOLVED = Stored(column="ever_resolved", add=lambda r: r.measures.ever_resolved)
RATING_SUM = Stored(column="rating_sum", add=lambda r: r.rating or 0)
RATING_COUNT = Stored(column="rating_count", add=lambda r: r.rating is not None)

# --- the figures ----------------------------------------------------------------------------------

FIGURES = (
    CountFigure(key="received", definition="received.v1", label=_l("Laporan diterima"),
                count=RECEIVED),
    SuppressedCountFigure(key="confidential_received", definition="received.v1", count=CONFIDENTIAL,
                shown_in="received", hint=_l("termasuk %(n)s rahasia")),
    CountFigure(key="followed_up", definition="followed_up.v3", label=_l("Ditindaklanjuti"),
                count=FOLLOWED_UP),
    RateFigure(key="follow_up_rate", definition="follow_up_rate.v3",
               label=_l("Persentase tindak lanjut"), numerator=FOLLOWED_UP, denominator=RECEIVED),
    # Beside Terang's follow-up rate: the same ratio as SP4N-LAPOR!'s monitoring counts it.
    RateFigure(key="follow_up_rate_lapor", definition="follow_up_rate_lapor.v1",
               label=_l("Tindak lanjut (definisi LAPOR!)"), numerator=LAPOR_FOLLOWED_UP,
               denominator=RECEIVED),
    CountFigure(key="resolved", definition="resolved.v1", label=_l("Diselesaikan"), count=RESOLVED),
    RateFigure(key="completion_rate", definition="completion_rate.v1",
               label=_l("Tingkat penyelesaian"), numerator=RESOLVED, denominator=RECEIVED),
    RateFigure(key="on_time_rate", definition="on_time_rate.v2", label=_l("Tepat waktu"),
               numerator=ON_TIME_ANSWERED, denominator=ON_TIME_ELIGIBLE,
               page_after="time_to_resolution"),
    SurvivalFigure(key="time_to_first_response", definition="time_to_first_response.v3",
                   label=_l("Median waktu sampai tindak lanjut pertama"),
                   p90_label=_l("Persentil ke-90 waktu sampai tindak lanjut"),
                   measure=FIRST_RESPONSE,
                   observe=lambda m: (m.first_response_days, m.first_response_observed)),
    SurvivalFigure(key="time_to_resolution", definition="time_to_resolution.v3",
                   label=_l("Median waktu sampai penyelesaian"),
                   p90_label=_l("Persentil ke-90 waktu sampai penyelesaian"),
                   measure=RESOLUTION,
                   observe=lambda m: (m.resolution_days, m.resolution_observed)),
    # A fixed-window rate: each report's part is settled once its window has passed, so a
    # frozen month does not drift as its open reports age.
    RateFigure(key="resolved_within_window_rate", definition="resolved_within_window.v1",
               label=_l("Diselesaikan dalam %(n)s hari kerja", n=RESOLUTION_WINDOW_DAYS),
               numerator=WINDOW_RESOLVED, denominator=WINDOW_ELIGIBLE, page_after="on_time_rate"),
    CountFigure(key="transfers_out", definition="transfers_out.v1", label=_l("Dialihkan keluar"),
                count=TRANSFERS_OUT),
    RateFigure(key="transfer_rate", definition="transfers_out.v1", numerator=TRANSFERS_OUT,
               denominator=ROUTED_IN, shown_in="transfers_out"),
    CountFigure(key="disputed", definition="dispute_rate.v3",
                label=_l("Penyelesaian ditolak pelapor"), count=DISPUTED),
    # Over the reports the agency resolved at least once: never above 100%.
    RateFigure(key="dispute_rate", definition="dispute_rate.v3", numerator=DISPUTED,
               denominator=EVER_RESOLVED, shown_in="disputed"),
    MeanFigure(key="satisfaction", definition="satisfaction.v1", label=_l("Kepuasan pelapor (1–5)"),
               total=RATING_SUM, n=RATING_COUNT, decimals=2),
)
