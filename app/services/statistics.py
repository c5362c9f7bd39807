"""Every transparency figure, with its definition id and the methodology version.

Write side: ``mark_dirty`` is called by the workflow as events happen; ``refresh`` rebuilds the
rollup rows (``agency_month_stats``, ``duration_buckets``) of the (agency, month) pairs that
changed, from those reports only. A daily ``refresh(all_open=True)`` moves the censoring time
of still-open cases forward. Read side: ``figures`` sums rollup rows and runs Kaplan–Meier on
the summed histograms; nothing here scans reports on a page view.

Definitions (methodology version ``METHODOLOGY_VERSION``) are in ``DEFINITIONS`` and on
/transparansi/metodologi. Periods are months of *submission* in Jakarta time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (AgencyMonthStats, DurationBucket, Rating, Report, ReportEvent, Status,
                      StatsDirty)
from . import sla

METHODOLOGY_VERSION = "2026.2"
MIN_N = 10  # the small-number rule: no rate over fewer reports than this
# Durations are tracked day by day up to this many working days; longer ones share one bucket
# (MAX_TRACKED_DAYS + 1, shown as "more than 120"). Keeps the rollups the same size at any volume.
MAX_TRACKED_DAYS = 120
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
# The current definition of each duration measure (figures, distribution downloads).
DURATION_DEFINITIONS = {FIRST_RESPONSE: "time_to_first_response.v2",
                        RESOLUTION: "time_to_resolution.v2"}
FINISHED = (Status.CLOSED, Status.ARCHIVED)


@dataclass(frozen=True)
class Definition:
    id: str
    title: object
    text: object


# Methodology 2026.2 (see SUPERSEDED_DEFINITIONS for what 2026.1 said). A definition whose
# meaning changes gets a new id and METHODOLOGY_VERSION goes up; published snapshots keep
# naming the ids and the version they were computed with.
DEFINITIONS = {d.id: d for d in (
    Definition("received.v1", _l("Laporan diterima"), _l(
        "Laporan yang saat ini menjadi tanggung jawab instansi (instansi penanggung jawab terakhir), "
        "dikelompokkan menurut bulan pengiriman. Laporan yang diarsipkan sebelum diteruskan tidak dihitung. "
        "Laporan rahasia dihitung, tetapi isinya tidak pernah ditampilkan.")),
    Definition("followed_up.v2", _l("Ditindaklanjuti"), _l(
        "Laporan diterima yang sudah mendapat paling sedikit satu langkah publik dari instansi sejak "
        "laporan terakhir kali tiba di instansi itu (diteruskan atau dialihkan ke sana): tanggapan, "
        "permintaan informasi, atau penyelesaian, oleh pejabat penghubung atau admin instansi, termasuk "
        "admin instansi induk yang menangani laporan unit di bawahnya. Permintaan informasi oleh admin "
        "nasional bukan tindak lanjut instansi. Langkah yang sama menghentikan tenggat tindak lanjut "
        "pertama.")),
    Definition("follow_up_rate.v2", _l("Persentase tindak lanjut"), _l(
        "Ditindaklanjuti (followed_up.v2) dibagi laporan diterima.")),
    Definition("resolved.v1", _l("Diselesaikan"), _l(
        "Laporan diterima yang berstatus diselesaikan atau selesai pada saat penghitungan. Laporan yang "
        "penyelesaiannya ditolak pelapor dan dibuka kembali tidak dihitung sampai diselesaikan lagi.")),
    Definition("completion_rate.v1", _l("Tingkat penyelesaian"), _l(
        "Diselesaikan dibagi laporan diterima.")),
    Definition("time_to_first_response.v2", _l("Waktu sampai tindak lanjut pertama"), _l(
        "Hari kerja dari hari laporan terakhir kali tiba di instansi sampai hari tindak lanjut pertamanya "
        "(followed_up.v2), tidak termasuk hari kerja saat laporan menunggu pelapor. Yang dihitung adalah hari "
        "kerja sesudah hari tiba sampai dengan hari tindak lanjut, sehingga tindak lanjut pada hari yang sama "
        "bernilai 0 hari kerja. Median dan persentil ke-90 dihitung dengan metode Kaplan–Meier: laporan yang "
        "belum ditindaklanjuti ikut dihitung sebagai pengamatan tersensor pada lamanya sejauh ini (laporan yang "
        "sudah ditutup atau diarsipkan: sampai hari itu), sehingga instansi yang mengabaikan laporan tidak "
        "tampak cepat. Median adalah hari pertama saat perkiraan bagian laporan yang belum ditindaklanjuti turun "
        "ke 50% atau kurang; persentil ke-90, ke 10% atau kurang. \"Belum tercapai\" berarti hari itu belum "
        "ada. Lama lebih dari 120 hari kerja dicatat sebagai \"lebih dari 120 hari kerja\".")),
    Definition("time_to_resolution.v2", _l("Waktu sampai penyelesaian"), _l(
        "Hari kerja dari hari laporan terakhir kali tiba di instansi sampai penyelesaian pertama oleh instansi "
        "itu sesudahnya (termasuk oleh admin instansi induk), dihitung seperti waktu tindak lanjut "
        "(Kaplan–Meier, laporan terbuka tersensor, batas 120 hari kerja). Bila pelapor menolak penyelesaian, "
        "ukuran ini tetap berhenti pada penyelesaian pertama; pekerjaan yang dibuka kembali mendapat tenggat "
        "penyelesaiannya sendiri (lihat dispute_rate.v2) yang tidak mengubah angka ini.")),
    Definition("on_time_rate.v2", _l("Tepat waktu"), _l(
        "Tenggat tindak lanjut pertama: akhir hari kerja ke-%(n)s sesudah hari laporan terakhir kali tiba di "
        "instansi (waktu Jakarta). Waktu menunggu jawaban pelapor memperpanjangnya hanya bila mulai menunggu "
        "paling lambat pada hari tenggat (sebagaimana sudah diperpanjang) dan sebelum tindak lanjut; menunggu "
        "yang dimulai sesudah tenggat lewat tidak memperpanjangnya. Tepat waktu = di antara laporan yang sudah "
        "ditindaklanjuti atau yang tenggatnya sudah lewat tanpa tindak lanjut, bagian yang ditindaklanjuti pada "
        "atau sebelum tanggal tenggat. Yang menentukan adalah tanggal tindak lanjut: jawaban pada hari Sabtu "
        "untuk tenggat hari Jumat terlambat. Laporan yang diarsipkan sebelum tenggatnya tanpa tindak lanjut "
        "tidak dihitung. Tenggat yang sama ditampilkan di halaman publik setiap laporan dan di dosier "
        "eskalasi.", n=sla.FIRST_RESPONSE_DAYS)),
    Definition("transfers_out.v1", _l("Dialihkan keluar"), _l(
        "Laporan yang dialihkan instansi ke instansi lain karena bukan wewenangnya. Dihitung pada instansi "
        "pengirim. Tingkat pengalihan = dialihkan keluar dibagi laporan yang pernah diteruskan ke instansi.")),
    Definition("dispute_rate.v2", _l("Penyelesaian ditolak"), _l(
        "Pembilang: laporan diterima yang penyelesaiannya ditolak pelapor sesudah laporan terakhir kali tiba "
        "di instansi. Penyebut: laporan diterima yang diselesaikan instansi itu paling sedikit satu kali sejak "
        "tiba, termasuk yang kemudian ditolak dan dibuka kembali. Setiap laporan dalam pembilang ada dalam "
        "penyebut, sehingga angka ini tidak pernah lebih dari 100%%. Penolakan atas penyelesaian instansi "
        "sebelumnya (sebelum pengalihan) tidak dihitung. Laporan yang penyelesaiannya ditolak dibuka kembali "
        "dan mendapat tenggat penyelesaian baru sesuai klasifikasinya (ringan %(light)s, sedang %(medium)s, "
        "berat %(heavy)s hari kerja), dihitung sejak hari penolakan.", light=sla.RESOLUTION_DAYS["ringan"],
        medium=sla.RESOLUTION_DAYS["sedang"], heavy=sla.RESOLUTION_DAYS["berat"])),
    Definition("satisfaction.v1", _l("Kepuasan pelapor"), _l(
        "Rata-rata nilai 1–5 yang diberikan pelapor, dengan jumlah penilaian (n).")),
)}

# Definitions of earlier methodology versions, kept so that the ids a published snapshot names
# stay readable on /transparansi/metodologi: id -> (definition, last version, replaced by).
SUPERSEDED_DEFINITIONS = {d.id: (d, version, replaced_by) for d, version, replaced_by in (
    (Definition("followed_up.v1", _l("Ditindaklanjuti"), _l(
        "Laporan diterima yang sudah mendapat paling sedikit satu langkah publik dari instansi: tanggapan, "
        "permintaan informasi, atau penyelesaian.")), "2026.1", "followed_up.v2"),
    (Definition("follow_up_rate.v1", _l("Persentase tindak lanjut"), _l(
        "Ditindaklanjuti dibagi laporan diterima.")), "2026.1", "follow_up_rate.v2"),
    (Definition("time_to_first_response.v1", _l("Waktu sampai tindak lanjut pertama"), _l(
        "Hari kerja dari saat laporan diteruskan ke instansi sampai langkah publik pertamanya, tidak termasuk "
        "hari saat laporan menunggu pelapor. Median dan persentil ke-90 dihitung dengan metode Kaplan–Meier: "
        "laporan yang belum ditindaklanjuti ikut dihitung sebagai pengamatan tersensor pada lamanya sejauh ini, "
        "sehingga instansi yang mengabaikan laporan tidak tampak cepat. \"Belum tercapai\" berarti kurang dari "
        "separuh (atau 90%) laporan sudah ditindaklanjuti.")), "2026.1", "time_to_first_response.v2"),
    (Definition("time_to_resolution.v1", _l("Waktu sampai penyelesaian"), _l(
        "Hari kerja dari saat laporan diteruskan ke instansi sampai penyelesaian pertama oleh instansi itu, "
        "dihitung seperti waktu tindak lanjut (Kaplan–Meier, laporan terbuka tersensor).")),
     "2026.1", "time_to_resolution.v2"),
    (Definition("on_time_rate.v1", _l("Tepat waktu"), _l(
        "Di antara laporan yang sudah ditindaklanjuti atau yang tenggat tindak lanjutnya (5 hari kerja sejak "
        "diteruskan, diperpanjang selama menunggu pelapor) sudah lewat, bagian yang ditindaklanjuti sebelum "
        "atau pada hari tenggat.")), "2026.1", "on_time_rate.v2"),
    (Definition("dispute_rate.v1", _l("Penyelesaian ditolak"), _l(
        "Laporan diterima yang penyelesaiannya pernah ditolak pelapor, dibagi laporan diselesaikan.")),
     "2026.1", "dispute_rate.v2"),
)}


# --- write side -------------------------------------------------------------------------------

def period_of(moment: datetime) -> str:
    return sla.local_date(moment).strftime("%Y-%m")


def _insert_ignore(model, **values):
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).values(**values).on_conflict_do_nothing()


def mark_dirty(report: Report, *agency_ids: int | None) -> None:
    """Note that the figures of ``report``'s month for these agencies (and its own) must be rebuilt."""
    period = period_of(report.submitted_at)
    # One INSERT per pair and transaction, not per event (bulk work marks the same pairs often).
    marked = db.session().info.setdefault("terang_stats_marked", set())
    for agency_id in {report.agency_id, *agency_ids} - {None}:
        if (agency_id, period) not in marked:
            db.session.execute(_insert_ignore(StatsDirty, agency_id=agency_id, period=period))
            marked.add((agency_id, period))


def _duration(start: datetime, end: datetime, holds: list[sla.Hold]) -> int:
    """Working days from ``start`` to ``end``, not counting days on hold in between."""
    total = sla.working_days_between(sla.local_date(start), sla.local_date(end))
    for hold in holds:
        if hold.started < start or hold.started >= end:
            continue
        hold_end = min(hold.ended or end, end)
        total -= sla.working_days_between(sla.local_date(hold.started), sla.local_date(hold_end))
    return max(total, 0)


@dataclass
class ReportMeasures:
    """One report's contribution to its responsible agency's month."""

    followed_up: bool
    resolved: bool
    first_response_days: int
    first_response_observed: bool
    resolution_days: int
    resolution_observed: bool
    on_time_eligible: bool
    on_time_answered: bool
    disputed: bool
    ever_resolved: bool = False


def current_stay(report: Report, events: list[ReportEvent], now: datetime) -> sla.AgencyStay | None:
    """The clocks of ``report`` at its current agency (since it last arrived there), judged at
    ``now`` by ``sla.agency_stays``; None when it was never routed. The board shows these, and
    the figures are computed from them, so the two always agree."""
    if report.agency_id is None:
        return None
    stays = [s for s in sla.agency_stays(events, report.resolution_class, now)
             if s.agency_id == report.agency_id]
    return stays[-1] if stays else None


def measure(report: Report, events: list[ReportEvent], now: datetime) -> ReportMeasures | None:
    """The report's measures for its current agency; None when it was never routed.

    Everything counts from the report's last arrival at the agency (routing or transfer): the
    agency's public steps since then — by its officers, its admin, or the admin of a parent
    agency acting on it — are its follow-up and resolution.
    """
    stay = current_stay(report, events, now)
    if stay is None:
        return None
    start = stay.arrived_at
    holds = sla.holds_from_events(events)
    first = stay.first_response
    resolution = stay.resolutions[0]  # time to resolution: to the first resolution
    # An unanswered case is censored at its end (closed/archived) or now.
    end_of_watch = report.closed_at if report.status in FINISHED and report.closed_at else now
    first_end = first.ended_at if first.completed else end_of_watch
    resolution_end = resolution.ended_at if resolution.completed else end_of_watch
    ever_resolved = resolution.completed
    after_arrival = [e for e in events if e.created_at >= start]
    return ReportMeasures(
        followed_up=first.completed,
        resolved=report.status in (Status.RESOLVED, Status.CLOSED),
        first_response_days=_duration(start, first_end, holds),
        first_response_observed=first.completed,
        resolution_days=_duration(start, resolution_end, holds),
        resolution_observed=resolution.completed,
        # On time: the first follow-up clock, judged as the board and the dossier judge it.
        on_time_eligible=first.met is not None,
        on_time_answered=first.met is True,
        disputed=ever_resolved and any(e.action == "dispute" for e in after_arrival),
        ever_resolved=ever_resolved,
    )


def transferred_from(events: list[ReportEvent]) -> set[int | None]:
    """The agencies the report was transferred away from: the agency it was at when the
    transfer happened (whoever clicked, e.g. the admin of a parent agency)."""
    senders, current = set(), None
    for event in events:
        if event.action == "transfer":
            senders.add(current)
        if event.action in sla.ARRIVAL_ACTIONS:
            current = event.target_agency_id
    return senders


def _period_bounds(period: str) -> tuple[datetime, datetime]:
    year, month = (int(x) for x in period.split("-"))
    start = datetime(year, month, 1, tzinfo=sla.JAKARTA)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=sla.JAKARTA)
    return start, end


def refresh_pair(agency_id: int, period: str, now: datetime) -> None:
    """Rebuild the rollup rows of one agency and month from that month's reports."""
    start, end = _period_bounds(period)
    related = select(ReportEvent.report_id).where(or_(
        ReportEvent.target_agency_id == agency_id,
        (ReportEvent.action == "transfer") & (ReportEvent.actor_agency_id == agency_id)))
    reports = db.session.scalars(
        select(Report).where(Report.submitted_at >= start, Report.submitted_at < end,
                             or_(Report.agency_id == agency_id, Report.id.in_(related)))
        .options(selectinload(Report.events))).all()
    ratings = dict(db.session.execute(
        select(Rating.report_id, Rating.score).where(Rating.report_id.in_([r.id for r in reports]))).all()) \
        if reports else {}

    row = AgencyMonthStats(agency_id=agency_id, period=period, refreshed_at=now)
    for name in ("routed_in", "received", "confidential", "followed_up", "resolved", "on_time_answered",
                 "on_time_eligible", "transfers_out", "disputed", "ever_resolved", "rating_sum",
                 "rating_count"):
        setattr(row, name, 0)
    buckets: dict[tuple[str, int], list[int]] = {}

    def bucket(measure_name: str, days: int, observed: bool) -> None:
        counts = buckets.setdefault((measure_name, min(days, MAX_TRACKED_DAYS + 1)), [0, 0])
        counts[0 if observed else 1] += 1

    for report in reports:
        events = report.events
        if any(e.action in ("route", "transfer") and e.target_agency_id == agency_id for e in events):
            row.routed_in += 1
        if agency_id in transferred_from(events):
            row.transfers_out += 1
        if report.agency_id != agency_id:
            continue
        measures = measure(report, events, now)
        if measures is None:
            continue
        row.received += 1
        row.confidential += int(report.is_confidential)
        row.followed_up += int(measures.followed_up)
        row.resolved += int(measures.resolved)
        row.on_time_eligible += int(measures.on_time_eligible)
        row.on_time_answered += int(measures.on_time_answered)
        row.disputed += int(measures.disputed)
        row.ever_resolved += int(measures.ever_resolved)
        if report.id in ratings:
            row.rating_sum += ratings[report.id]
            row.rating_count += 1
        bucket(FIRST_RESPONSE, measures.first_response_days, measures.first_response_observed)
        bucket(RESOLUTION, measures.resolution_days, measures.resolution_observed)

    db.session.execute(delete(AgencyMonthStats).where(AgencyMonthStats.agency_id == agency_id,
                                                      AgencyMonthStats.period == period))
    db.session.execute(delete(DurationBucket).where(DurationBucket.agency_id == agency_id,
                                                    DurationBucket.period == period))
    if row.routed_in or row.received or row.transfers_out:
        db.session.add(row)
        db.session.add_all(DurationBucket(agency_id=agency_id, period=period, measure=m, days=d,
                                          observed=c[0], censored=c[1])
                           for (m, d), c in buckets.items())
    db.session.execute(delete(StatsDirty).where(StatsDirty.agency_id == agency_id,
                                                StatsDirty.period == period))


def refresh_national(period: str, now: datetime) -> None:
    """Rebuild the national rows of ``period`` (agency_id NULL) by summing the agencies' rows."""
    db.session.execute(delete(AgencyMonthStats).where(AgencyMonthStats.agency_id.is_(None),
                                                      AgencyMonthStats.period == period))
    db.session.execute(delete(DurationBucket).where(DurationBucket.agency_id.is_(None),
                                                    DurationBucket.period == period))
    sums = db.session.execute(
        select(*(func.coalesce(func.sum(getattr(AgencyMonthStats, n)), 0) for n in SUMMED))
        .where(AgencyMonthStats.agency_id.is_not(None), AgencyMonthStats.period == period)).one()
    values = dict(zip(SUMMED, (int(v) for v in sums)))
    # routed_in stays the sum of routings: the national transfer rate is bounced routings ÷ routings.
    db.session.add(AgencyMonthStats(agency_id=None, period=period, refreshed_at=now, **values))
    rows = db.session.execute(
        select(DurationBucket.measure, DurationBucket.days, func.sum(DurationBucket.observed),
               func.sum(DurationBucket.censored))
        .where(DurationBucket.agency_id.is_not(None), DurationBucket.period == period)
        .group_by(DurationBucket.measure, DurationBucket.days)).all()
    db.session.add_all(DurationBucket(agency_id=None, period=period, measure=m, days=d,
                                      observed=int(o), censored=int(c)) for m, d, o, c in rows)


def refresh_dirty(now: datetime, progress=None, only_period: str | None = None) -> int:
    """Rebuild every dirty agency-month, then the national rows of the months touched.

    Commits after each agency-month so that a long run makes steady progress.
    """
    pairs = [p for p in dirty_pairs() if only_period is None or p[1] == only_period]
    for agency_id, period in (progress(pairs) if progress else pairs):
        refresh_pair(agency_id, period, now)
        db.session.commit()
    for period in sorted({p for _a, p in pairs}):
        refresh_national(period, now)
    db.session.commit()
    return len(pairs)


def mark_open_dirty() -> int:
    """Mark every pair with a still-open report (their censoring time moves each day)."""
    pairs = db.session.execute(
        select(Report.agency_id, Report.submitted_at)
        .where(Report.agency_id.is_not(None), Report.status.not_in(FINISHED))).all()
    seen = {(agency_id, period_of(submitted)) for agency_id, submitted in pairs}
    for agency_id, period in seen:
        db.session.execute(_insert_ignore(StatsDirty, agency_id=agency_id, period=period))
    return len(seen)


def mark_all_dirty() -> int:
    """Mark every agency-month that any report touches (responsible, routed to, transferred from)."""
    touched = db.session.execute(
        select(Report.agency_id, Report.submitted_at).where(Report.agency_id.is_not(None))).all()
    touched += db.session.execute(
        select(ReportEvent.target_agency_id, Report.submitted_at)
        .join(Report, Report.id == ReportEvent.report_id)
        .where(ReportEvent.target_agency_id.is_not(None))).all()
    touched += db.session.execute(
        select(ReportEvent.actor_agency_id, Report.submitted_at)
        .join(Report, Report.id == ReportEvent.report_id)
        .where(ReportEvent.action == "transfer", ReportEvent.actor_agency_id.is_not(None))).all()
    seen = {(agency_id, period_of(submitted)) for agency_id, submitted in touched}
    for agency_id, period in seen:
        db.session.execute(_insert_ignore(StatsDirty, agency_id=agency_id, period=period))
    return len(seen)


def dirty_pairs(limit: int | None = None) -> list[tuple[int, str]]:
    query = select(StatsDirty.agency_id, StatsDirty.period).order_by(StatsDirty.period, StatsDirty.agency_id)
    if limit:
        query = query.limit(limit)
    return [tuple(r) for r in db.session.execute(query).all()]


# --- read side --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rate:
    """A ratio with its parts; ``value`` is None under the small-number rule."""

    definition: str
    numerator: int
    denominator: int

    @property
    def too_small(self) -> bool:
        return self.denominator < MIN_N

    @property
    def value(self) -> float | None:
        if self.too_small:
            return None
        return self.numerator / self.denominator


@dataclass(frozen=True)
class Survival:
    """Kaplan–Meier median and 90th percentile in working days (None: not reached)."""

    definition: str
    n: int
    observed: int
    median: int | None
    p90: int | None

    @property
    def too_small(self) -> bool:
        return self.n < MIN_N

    @property
    def median_over_cap(self) -> bool:
        return self.median is not None and self.median > MAX_TRACKED_DAYS

    @property
    def p90_over_cap(self) -> bool:
        return self.p90 is not None and self.p90 > MAX_TRACKED_DAYS


def kaplan_meier_quantiles(histogram: dict[int, tuple[int, int]], quantiles=(0.5, 0.9)) -> dict:
    """Quantiles of time-to-event from {days: (observed, censored)}.

    At each day the reports still at risk are those not yet observed or censored before it;
    a case censored on a day counts as at risk on that day. The q-quantile is the first day at
    which the survival S(t) falls to 1 − q or below; None when it never does.
    """
    at_risk = sum(o + c for o, c in histogram.values())
    survival = 1.0
    result = {q: None for q in quantiles}
    for day in sorted(histogram):
        observed, censored = histogram[day]
        if at_risk > 0 and observed:
            survival *= 1 - observed / at_risk
        for q in quantiles:
            if result[q] is None and survival <= 1 - q + 1e-12:
                result[q] = day
        at_risk -= observed + censored
    return result


@dataclass(frozen=True)
class Figures:
    """The figures of a set of agencies over a set of months."""

    methodology_version: str
    received: int
    followed_up: int
    resolved: int
    confidential: int
    routed_in: int
    transfers_out: int
    disputed: int
    ever_resolved: int
    rating_sum: int
    rating_count: int
    on_time: Rate
    first_response: Survival
    resolution: Survival
    definitions: dict = field(default_factory=lambda: {
        "received": "received.v1", "followed_up": "followed_up.v2", "resolved": "resolved.v1",
        "transfers_out": "transfers_out.v1", "disputed": "dispute_rate.v2",
        "satisfaction": "satisfaction.v1"})

    @property
    def follow_up_rate(self) -> Rate:
        return Rate("follow_up_rate.v2", self.followed_up, self.received)

    @property
    def completion_rate(self) -> Rate:
        return Rate("completion_rate.v1", self.resolved, self.received)

    @property
    def transfer_rate(self) -> Rate:
        return Rate("transfers_out.v1", self.transfers_out, self.routed_in)

    @property
    def dispute_rate(self) -> Rate:
        # Over the reports the agency resolved at least once: never above 100%.
        return Rate("dispute_rate.v2", self.disputed, self.ever_resolved)

    @property
    def satisfaction(self) -> float | None:
        if self.rating_count < MIN_N:
            return None
        return self.rating_sum / self.rating_count


SUMMED = ("received", "followed_up", "resolved", "confidential", "routed_in", "transfers_out",
          "disputed", "ever_resolved", "rating_sum", "rating_count", "on_time_answered",
          "on_time_eligible")


def _scope(query, model, agency_ids, periods):
    """Rows of these agencies (None: the national rows) and months (None: all)."""
    if agency_ids is None:
        query = query.where(model.agency_id.is_(None))
    else:
        query = query.where(model.agency_id.in_(agency_ids or [-1]))
    if periods is not None:
        query = query.where(model.period.in_(periods or ["-"]))
    return query


def figures(agency_ids: list[int] | None = None, periods: list[str] | None = None) -> Figures:
    """Figures summed over ``agency_ids`` (None: national) and ``periods`` (None: all months)."""
    sums = db.session.execute(_scope(
        select(*(func.coalesce(func.sum(getattr(AgencyMonthStats, n)), 0) for n in SUMMED)),
        AgencyMonthStats, agency_ids, periods)).one()
    values = dict(zip(SUMMED, (int(v) for v in sums)))
    return figures_from_parts(values, duration_histogram(agency_ids, periods))


def figures_from_parts(values: dict, histograms: dict) -> Figures:
    """Figures from summed rollup counts and {measure: {days: (observed, censored)}}."""
    values = dict(values)
    return Figures(
        methodology_version=METHODOLOGY_VERSION,
        on_time=Rate("on_time_rate.v2", values.pop("on_time_answered"), values.pop("on_time_eligible")),
        first_response=_survival(DURATION_DEFINITIONS[FIRST_RESPONSE],
                                 histograms.get(FIRST_RESPONSE, {})),
        resolution=_survival(DURATION_DEFINITIONS[RESOLUTION], histograms.get(RESOLUTION, {})),
        **values,
    )


def duration_histogram(agency_ids: list[int] | None, periods: list[str]) -> dict:
    """{measure: {days: (observed, censored)}} summed over agencies and months."""
    histograms = {FIRST_RESPONSE: {}, RESOLUTION: {}}
    rows = db.session.execute(_scope(
        select(DurationBucket.measure, DurationBucket.days, func.sum(DurationBucket.observed),
               func.sum(DurationBucket.censored)).group_by(DurationBucket.measure, DurationBucket.days),
        DurationBucket, agency_ids, periods)).all()
    for measure_name, days, observed, censored in rows:
        histograms[measure_name][days] = (int(observed), int(censored))
    return histograms


def _survival(definition: str, histogram: dict[int, tuple[int, int]]) -> Survival:
    n = sum(o + c for o, c in histogram.values())
    observed = sum(o for o, _ in histogram.values())
    q = kaplan_meier_quantiles(histogram)
    too_small = n < MIN_N
    return Survival(definition, n, observed, None if too_small else q[0.5], None if too_small else q[0.9])


def monthly_series(agency_ids: list[int] | None, periods: list[str]) -> list[tuple[str, Figures]]:
    """Figures month by month (for trend charts)."""
    return [(p, figures(agency_ids, [p])) for p in periods]


def months_back(today: date, count: int) -> list[str]:
    """The ``count`` months up to and including ``today``'s, oldest first."""
    year, month = today.year, today.month
    result = []
    for _ in range(count):
        result.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(result))


RANKING_SIZE = 5


def agency_ranking(periods: list[str], limit: int = RANKING_SIZE) -> tuple[list, list]:
    """Best and worst agencies by completion rate, among those with at least MIN_N reports
    received over ``periods``. Ties: more reports received first, then the agency's id (its
    order of registration). Every level is ranked together (methodology page, "Peringkat")."""
    rows = db.session.execute(
        select(AgencyMonthStats.agency_id, func.sum(AgencyMonthStats.received),
               func.sum(AgencyMonthStats.resolved))
        .where(AgencyMonthStats.period.in_(periods), AgencyMonthStats.agency_id.is_not(None))
        .group_by(AgencyMonthStats.agency_id)
        .having(func.sum(AgencyMonthStats.received) >= MIN_N)).all()
    ranked = sorted(((a, int(res) / int(rec), int(rec)) for a, rec, res in rows),
                    key=lambda r: (-r[1], -r[2], r[0]))
    worst = sorted(ranked, key=lambda r: (r[1], -r[2], r[0]))
    return ranked[:limit], worst[:limit]
