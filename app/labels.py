"""Human labels for domain codes, and date formatting, for templates (all translatable)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from flask import Flask, g
from flask.globals import _cv_app
from markupsafe import Markup, escape
from flask_babel import (format_date, format_decimal, format_number, format_percent, get_locale,
                         get_translations)
from flask_babel import lazy_gettext as _l

from .models import Status
from .models import agency as agency_levels
from .models import user as roles
from .services import escalations, sla, statistics

# Each code below has one owner elsewhere (Status, workflow.TRANSITIONS and ARCHIVE_REASONS,
# sla, the roles in models.user, …) and only its words here; numbers in the words come from
# their owner as placeholders. tests/unit/test_labels.py checks that every code has a label.

STATUS_LABELS = {
    Status.SUBMITTED: _l("Menunggu verifikasi"),
    Status.ROUTED: _l("Diteruskan ke instansi"),
    Status.IN_PROGRESS: _l("Sedang ditindaklanjuti"),
    Status.ON_HOLD: _l("Menunggu informasi dari pelapor"),
    Status.RESOLVED: _l("Diselesaikan instansi"),
    Status.CLOSED: _l("Selesai"),
    Status.ARCHIVED: _l("Diarsipkan"),
}
CLOCK_LABELS = {
    sla.VERIFICATION: _l("Verifikasi oleh admin nasional"),
    sla.FIRST_RESPONSE: _l("Tindak lanjut pertama oleh instansi"),
    sla.RESOLUTION: _l("Penyelesaian oleh instansi"),
    sla.REPORTER_ANSWER: _l("Tanggapan Anda atas penyelesaian"),
}
# The same clocks named for officers: the reporter's answer window is not the agency's deadline.
OFFICER_CLOCK_LABELS = {
    **CLOCK_LABELS,
    sla.REPORTER_ANSWER: _l("Jawaban pelapor atas penyelesaian (bukan tenggat instansi)"),
}
ACTION_LABELS = {
    "submit": _l("Laporan dikirim"),
    "route": _l("Laporan diverifikasi dan diteruskan"),
    "archive": _l("Laporan diarsipkan"),
    "request_info": _l("Instansi meminta informasi tambahan"),
    "reporter_reply": _l("Pelapor mengirim informasi tambahan"),
    "reporter_message": _l("Pelapor mengirim informasi tambahan"),
    "respond": _l("Tanggapan instansi"),
    "note": _l("Catatan internal"),
    "transfer": _l("Dialihkan ke instansi lain"),
    "resolve": _l("Dinyatakan selesai oleh instansi"),
    "confirm": _l("Pelapor menerima penyelesaian"),
    "dispute": _l("Pelapor menolak penyelesaian; laporan dibuka kembali"),
    "auto_close": _l("Ditutup otomatis setelah %(n)s hari kerja tanpa tanggapan",
                     n=sla.REPORTER_ANSWER_DAYS),
    "deadline_missed": _l("Tenggat terlewati"),
}
ARCHIVE_REASON_LABELS = {
    "too_general": _l("Terlalu umum"),
    "not_government_service": _l("Bukan tentang layanan pemerintah"),
    "duplicate": _l("Duplikat laporan lain"),
    "spam": _l("Spam"),
    "incomplete": _l("Tidak lengkap setelah diminta informasi"),
    "outside_remit": _l("Di luar kewenangan SP4N (perkara hukum/pidana)"),
}
OFFICER_ACTION_LABELS = {
    "route": _l("Verifikasi dan teruskan ke instansi"),
    "archive": _l("Arsipkan dengan alasan"),
    "request_info": _l("Minta informasi kepada pelapor"),
    "respond": _l("Tulis tanggapan publik"),
    "note": _l("Tulis catatan internal"),
    "transfer": _l("Alihkan ke instansi lain (bukan wewenang)"),
    "resolve": _l("Nyatakan selesai"),
}
RESOLUTION_CLASS_LABELS = {
    "ringan": _l("Ringan (%(n)s hari kerja)", n=sla.RESOLUTION_DAYS["ringan"]),
    "sedang": _l("Sedang (%(n)s hari kerja)", n=sla.RESOLUTION_DAYS["sedang"]),
    "berat": _l("Berat, perlu pemeriksaan lapangan (%(n)s hari kerja)", n=sla.RESOLUTION_DAYS["berat"]),
}
# What an access-log entry records: an oversight user's reads (the trail on the case page) and
# the changes made to officer accounts (the history on an account's page).
ACCESS_LABELS = {
    "view_report": _l("membuka laporan"),
    "view_inbox": _l("membuka kotak masuk"),
    "view_queue": _l("membuka antrean verifikasi"),
    "view_escalations": _l("membuka daftar eskalasi"),
    "download": _l("mengunduh lampiran"),
    "download_dossier": _l("mengunduh berkas eskalasi"),
    "unmask_public_text": _l("memulihkan data yang disamarkan otomatis di teks publik"),
    "view_accounts": _l("membuka daftar akun petugas"),
    "view_account": _l("membuka akun petugas"),
    "account_create": _l("membuat akun"),
    "account_deactivate": _l("menonaktifkan akun"),
    "account_reactivate": _l("mengaktifkan kembali akun"),
    "account_reset_password": _l("mengatur ulang kata sandi"),
    "account_change_own_password": _l("mengganti kata sandinya sendiri"),
    "account_reset_second_factor": _l("mengatur ulang verifikasi dua langkah"),
    "second_factor_enrol": _l("memasang verifikasi dua langkah"),
    "second_factor_failed": _l("kode verifikasi salah"),
    "second_factor_throttled": _l("percobaan kode verifikasi ditahan sementara"),
    "recovery_code_used": _l("memakai kode pemulihan"),
    "second_factor_remove": _l("menghapus verifikasi dua langkah"),
    "sign_in": _l("masuk"),
    "sign_in_failed": _l("gagal masuk"),
    "sign_in_throttled": _l("percobaan masuk ditahan sementara"),
    "session_end": _l("sesi diakhiri"),
    "token_create": _l("membuat token API"),
    "token_revoke": _l("mencabut token API"),
    "token_use": _l("memakai token API"),
    "token_refused": _l("token API ditolak (dicabut, kedaluwarsa, atau akun nonaktif)"),
    "view_audit": _l("membuka jejak audit"),
}
ROLE_LABELS = {
    roles.NATIONAL_ADMIN: _l("Admin nasional"),
    roles.AGENCY_ADMIN: _l("Admin instansi"),
    roles.OFFICER: _l("Petugas (pejabat penghubung)"),
    roles.OVERSIGHT: _l("Pengawas (Ombudsman/inspektorat)"),
}
LEVEL_LABELS = {
    agency_levels.NATIONAL: _l("Kementerian/lembaga"),
    agency_levels.PROVINCIAL: _l("Pemerintah provinsi"),
    agency_levels.REGENCY: _l("Pemerintah kabupaten/kota"),
    agency_levels.UNIT: _l("Perangkat daerah (OPD)"),
}
REPORT_TYPE_LABELS = {
    "pengaduan": _l("Pengaduan"),
    "aspirasi": _l("Aspirasi"),
    "informasi": _l("Permintaan informasi"),
}
ESCALATION_GROUNDS_LABELS = {
    escalations.DEADLINE_MISSED: _l("Tenggat instansi terlewati"),
    escalations.DISPUTED: _l("Penyelesaian ditolak pelapor"),
}
# Every score has words, so that its meaning never rests on colour or stars alone.
RATING_LABELS = {
    1: _l("Sangat tidak puas"),
    2: _l("Tidak puas"),
    3: _l("Cukup"),
    4: _l("Puas"),
    5: _l("Sangat puas"),
}
DEADLINE_OUTCOME_LABELS = {
    sla.MET: _l("Terpenuhi"),
    sla.MISSED: _l("Terlewati"),
    sla.RUNNING: _l("Masih berjalan"),
    sla.PAUSED: _l("Berhenti sementara (menunggu pelapor)"),
    sla.STOPPED: _l("Berakhir sebelum tenggat (dialihkan atau diarsipkan)"),
}


def actor_label(event) -> str:
    """Who acted, as the reporter may see it: never an officer's own name."""
    if event.actor_kind == "reporter":
        return str(_l("Pelapor"))
    if event.actor_kind == "system":
        return str(_l("Sistem"))
    if event.actor_agency is not None:
        return event.actor_agency.name
    return str(_l("Admin nasional"))


def format_day(moment: datetime | date) -> str:
    """Day precision, in Jakarta time: public times never show the hour."""
    day = sla.local_date(moment) if isinstance(moment, datetime) else moment
    return format_date(day, "medium")


def _parts(rate, denominator: int | None) -> tuple[int, int]:
    """A rate's numerator and denominator: a Rate, a figures dict, a Fraction, or a numerator
    given with its denominator."""
    if denominator is not None:
        return rate, denominator
    if isinstance(rate, dict):
        return rate["numerator"], rate["denominator"]
    return rate.numerator, rate.denominator


def format_rate(rate, denominator: int | None = None) -> str:
    """A rate as a percentage with one decimal, rounded once, half-up, from its exact fraction
    (the rule of ``statistics.percent_value``): a Rate, a figures dict, a Fraction, or a
    numerator with its denominator. Pages, tables and PDFs all say 32/39 as "82,1%"."""
    numerator, denominator = _parts(rate, denominator)
    symbols = _number_symbols()
    if symbols is None:
        return format_percent(statistics.percent_value(numerator, denominator), "#,##0.0%")
    # percent_value's thousandths are the percentage's tenths: 0.821 is 82.1%.
    tenths = statistics.kinds.half_up_units(numerator, denominator, statistics.PERCENT_DECIMALS + 2)
    return symbols.percent_prefix + symbols.tenths(tenths) + symbols.percent_suffix


def per_hundred(rate) -> int:
    """A rate as "so many out of 100" (the board's headline cards), rounded once, half-up, from
    its exact fraction: 32/39 is 82 out of 100."""
    from decimal import ROUND_HALF_UP, Decimal

    value = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_interval(rate, denominator: int | None = None) -> tuple[str, str] | None:
    """A rate's Wilson 95% interval as a page shows it: two percentages with one decimal and no
    sign (``("67,3", "91,0")`` for 32/39), each rounded once, half-up, from the unrounded bound
    (the rule of ``statistics.percent_interval``); None under the small-number rule. Computed
    from the exact counts, so a snapshot frozen before the intervals shows them too."""
    numerator, denominator = _parts(rate, denominator)
    interval = statistics.percent_interval(numerator, denominator)
    if interval is None:
        return None
    symbols = _number_symbols()
    if symbols is None:
        return tuple(format_decimal(bound * 100, "#,##0.0") for bound in interval)
    # Each bound has three decimals (a fraction): its thousandths are the percentage's tenths.
    return tuple(symbols.tenths(int(bound.scaleb(3))) for bound in interval)


def format_period(period: str, short: bool = False) -> str:
    """A month of the board (``2026-01``) as people read it, in the current locale: "Januari
    2026" ("January 2026"), or with ``short`` "Jan 2026". Anything that is not a month (a
    snapshot's odd period) is shown as it is. Downloads keep the ISO form: machines read those."""
    try:
        year, month = (int(part) for part in str(period).split("-"))
        day = date(year, month, 1)
    except ValueError:
        return str(period)
    return _month_text(day, "MMM y" if short else "MMMM y")


def format_month(period: str) -> str:
    """A month's short name alone (``Jan``), for a chart's axis where the year is shown apart."""
    year, month = (int(part) for part in str(period).split("-"))
    return _month_text(date(year, month, 1), "LLL")


def _month_text(day: date, pattern: str) -> str:
    """``format_date(day, pattern)`` for the first of a month: the same words for the same
    month and language, kept (a figure page names its twelve months some forty times)."""
    locale = get_locale()
    if locale is None:
        return format_date(day, pattern)
    return _month_words(day, pattern, locale)


@lru_cache(maxsize=512)
def _month_words(day: date, pattern: str, locale) -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, pattern, locale=locale)


def format_date_long(day: date | datetime) -> str:
    """A long date; a moment is first turned into its Jakarta day (never the UTC day)."""
    return format_date(sla.local_date(day) if isinstance(day, datetime) else day, "full")


def format_moment_wib(moment: datetime) -> str:
    """Day, hour and minute in Jakarta time: ``1 Desember 2026 00.05 WIB`` (for generated documents)."""
    from flask_babel import gettext, get_locale
    from babel.dates import format_time as babel_format_time

    local = moment.astimezone(sla.JAKARTA)
    return gettext("%(day)s %(time)s WIB", day=format_date(local.date(), "long"),
                   time=babel_format_time(local.timetz(), "short", locale=get_locale()))


def filesize(size: int) -> str:
    """``834 B``, ``12 KB``, ``3.4 MB`` in the user's number format."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def holiday_label(day: date, name: str) -> str:
    from flask_babel import get_locale

    return sla.holiday_name(day, str(get_locale())) or name


def figure_values(fig) -> dict:
    """Figures as the plain dict the exports and snapshots use, so one macro shows them all."""
    from .services.snapshots import figures_dict

    return fig if isinstance(fig, dict) else figures_dict(fig)


def _figure_page_rows() -> list:
    """The rows of the figures table, from the figures' declarations (read at each render)."""
    from .services.statistics import page_rows

    return page_rows()


def figure_label(key: str) -> str:
    """A figure's name in words (its declaration's label) from its key (``followed_up``); the
    key itself for a figure no longer declared."""
    from .services.statistics import registry

    figure = registry.by_key().get(key)
    return str(figure.label) if figure is not None else key


def figure_definition(key: str) -> str | None:
    """A figure's current definition id (``followed_up.v3``), the anchor of its "definisi" link."""
    from .services.statistics import registry

    figure = registry.by_key().get(key)
    return figure.definition if figure is not None else None


def breakable(code: str) -> Markup:
    """A code like ``time_to_first_response.v1`` that may wrap after each ``_`` on a phone."""
    return Markup(escape(code).replace("_", Markup("_<wbr>")))


def sla_cap() -> int:
    from .services.statistics import MAX_TRACKED_DAYS

    return MAX_TRACKED_DAYS


def _is_public_report(report) -> bool:
    from .services.board import is_public

    return is_public(report)


def _location_for(report, viewer):
    from .services.location import view_for

    return view_for(report, viewer)


def translations():
    """The request's translations, kept next to the locale Flask-Babel keeps for the request
    (``g._flask_babel.babel_locale``), so that each string does not look up the app, the
    domain, the context and the locale anew: ``refresh()`` and ``force_locale()`` replace or
    remove that object, so a new locale is looked up again. Outside a request, or before the
    locale is chosen, Flask-Babel's own lookup.

    Flask-Babel's public ``get_locale()`` and ``get_domain()`` would say the same, but each goes
    through ``flask.g``'s proxy three times: asking them for every string made ``GET /lapor``
    12% dearer (9.44 → 10.58 CPU ms). So the two attributes are read directly (flask-babel is
    pinned); without them (another Flask-Babel) every string asks ``get_translations()``, right
    but slower. tests/unit/test_template_gettext.py checks a language switch with
    ``refresh()``, ``force_locale()``, and that the fast path is still taken."""
    ctx = g.get("_flask_babel") if g else None
    locale = getattr(ctx, "babel_locale", None)
    if locale is None:
        return get_translations()  # the locale not chosen yet: Flask-Babel chooses it
    kept = getattr(ctx, "terang_translations", None)
    domain = getattr(ctx, "babel_domain", None)
    if kept is not None and kept[0] is locale and kept[1] is domain:
        return kept[2]
    found = get_translations()
    ctx.terang_translations = (locale, domain, found)
    return found


def _markup_text(msgid: str, **variables) -> Markup:
    """``_(msgid, **variables)`` as an autoescaping template says it (Jinja's "newstyle"
    gettext: the translation as Markup, always formatted, the values escaped). The values are
    escaped here and the text formatted as a plain string: what ``Markup % values`` makes."""
    return Markup(translations().ugettext(msgid) % {k: escape(v) for k, v in variables.items()})


def _field(value, name: str):
    """``value.name`` as a template reads it from a figures dict or an object."""
    return value[name] if isinstance(value, dict) else getattr(value, name)


def N_(msgid: str) -> str:
    """A message marked for extraction (one of pybabel's default keywords) and translated
    where it is shown (:func:`_markup_text`)."""
    return msgid


_CI_SHOWN = N_("IK 95%%: %(low)s–%(high)s")
_CI_READ = N_("interval 95%%: %(low)s sampai %(high)s persen")
_N_TOO_SMALL = N_("n terlalu kecil")
_INTERVAL = Markup(' <span class="ci"><span aria-hidden="true">%s</span>'
                   '<span class="visually-hidden">%s</span></span>')
_RATE = Markup('%s <span class="hint">(%s/%s)</span>%s')
_RATE_TOO_SMALL = Markup('<span class="too-small">%s</span> <span class="hint">(%s/%s)</span>')


def figure_interval(rate, denominator: int | None = None) -> Markup:
    """A rate's Wilson 95% interval after its percentage (the ``interval`` of
    ``_macros/figures.html``): "IK 95%: 74,3–88,0" to the eye, "interval 95%: 74,3 sampai 88,0
    persen" to a screen reader; nothing under the small-number rule. Written here, not by a
    macro: a figure page shows up to a hundred rates, and a macro with its two strings cost
    about as much as the rest of the row (issue 12)."""
    ci = format_interval(rate, denominator)
    if not ci:
        return Markup("")
    low, high = ci
    return _INTERVAL % (_markup_text(_CI_SHOWN, low=low, high=high),
                        _markup_text(_CI_READ, low=low, high=high))


def figure_rate(rate) -> Markup:
    """A rate as the figure tables show it (the ``rate`` of ``_macros/figures.html``): its
    percentage, its numerator and denominator, its interval; "n terlalu kecil" instead of the
    percentage under the small-number rule. A Rate or a figures dict."""
    numerator, denominator = _field(rate, "numerator"), _field(rate, "denominator")
    if _field(rate, "too_small"):
        return _RATE_TOO_SMALL % (_markup_text(_N_TOO_SMALL), numerator, denominator)
    return _RATE % (format_rate(rate), numerator, denominator, figure_interval(rate))


_DISTRIBUTION_ROW = ('\n    <tr><th scope="row">%s</th>\n      <td>%s</td>\n'
                     '      <td>%s</td><td>%s</td></tr>\n  ')


def distribution_rows_html(rows, labels: dict, more_than_cap) -> Markup:
    """The rows of a figure page's response-time distribution (``distribution_table`` of
    ``_macros/figures.html``; ``rows`` from exports.distribution_rows): the step's label
    (``labels``: "first_response" and "other"), the working days (``more_than_cap`` for the
    last bucket), how many reached the step and how many are still waiting. Written here, not
    by a template loop: a page has up to 2 × 121 rows (issue 12)."""
    first, other = escape(labels["first_response"]), escape(labels["other"])
    over = escape(more_than_cap)
    return Markup("".join([
        _DISTRIBUTION_ROW % (first if row["measure"] == "first_response" else other,
                             over if row["more_than_cap"] else escape(row["working_days"]),
                             escape(format_count(row["observed"])), escape(format_count(row["censored"])))
        for row in rows]))


class NumberSymbols(NamedTuple):
    """How a locale writes numbers, as Babel writes them (read off Babel's own output once
    per locale): the grouping and decimal symbols and what comes around a percentage."""

    group: str
    decimal: str
    percent_prefix: str
    percent_suffix: str

    def count(self, number: int) -> str:
        """An int as Babel's decimal pattern ``#,##0`` writes it (groups of three)."""
        return f"{number:,}".replace(",", self.group) if number >= 1000 or number <= -1000 else str(number)

    def tenths(self, tenths: int) -> str:
        """``tenths`` ÷ 10 with one decimal, as Babel's ``#,##0.0`` writes it (non-negative)."""
        if tenths < 0:
            raise ValueError("a negative number is not written here")
        whole, tenth = divmod(tenths, 10)
        return self.count(whole) + self.decimal + "0123456789"[tenth]


@lru_cache(maxsize=32)
def _symbols_of(locale_name: str) -> NumberSymbols | None:
    """Read off Babel's own output; None for a locale whose numbers do not fit the shape
    written here (then Babel formats each number itself)."""
    from babel.numbers import format_decimal as babel_decimal, format_percent as babel_percent

    written = babel_decimal(Decimal("1234567.5"), "#,##0.0", locale=locale_name)  # "1.234.567,5"
    at = written.find("234")
    group = written[1:at] if at > 1 else ""
    decimal = written[at + 3 + len(group) + 3:-1]
    percent = babel_percent(Decimal("0.125"), "#,##0.0%", locale=locale_name)  # "12,5%"
    before, found, after = percent.partition(f"12{decimal}5")
    symbols = NumberSymbols(group, decimal, before, after)
    if (not group or not decimal or not found
            or written != f"1{group}234{group}567{decimal}5"
            or babel_decimal(1234, "#,##0", locale=locale_name) != symbols.count(1234)
            or babel_decimal(-1234, "#,##0", locale=locale_name) != symbols.count(-1234)):
        return None
    return symbols


def _number_symbols() -> NumberSymbols | None:
    """The request's locale's number symbols, or None outside a request (then Babel's own
    functions format, as before). Read from the locale Flask-Babel keeps for the request
    (``g._flask_babel.babel_locale``) with the symbols kept beside it, as the templates'
    translations are (app/__init__.py): a figure page writes hundreds of numbers, and
    Flask-Babel's ``get_locale()`` and Babel's pattern machinery each time were about a sixth
    of rendering it (issue 12). ``force_locale`` replaces that locale, so it is looked up again."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    ctx = getattr(app_context.g, "_flask_babel", None)
    locale = getattr(ctx, "babel_locale", None)
    if locale is None:
        locale = get_locale()  # Flask-Babel chooses it (and keeps it on g._flask_babel)
        if locale is None:
            return None
        ctx = app_context.g._flask_babel
    kept = getattr(ctx, "terang_numbers", None)
    if kept is not None and kept[0] is locale:
        return kept[1]
    symbols = _symbols_of(str(locale))
    ctx.terang_numbers = (locale, symbols)
    return symbols  # None: a locale Babel formats itself


def format_count(number):
    """``format_number`` for an int without going through Babel's pattern machinery each time
    (a figure page formats hundreds of counts): the locale's grouping symbol every three digits,
    as Babel's decimal pattern for the app's languages writes it. Anything else: Babel's."""
    if type(number) is int:
        symbols = _number_symbols()
        if symbols is not None:
            return symbols.count(number)
    return format_number(number)


def register(app: Flask) -> None:
    app.jinja_env.filters["period"] = format_period
    app.jinja_env.globals.update(
        # A report's location as a reader may see it (services/location.py): the board passes
        # None (the public), the tracking page "reporter", the officer pages the signed-in user.
        location_for=_location_for,
        status_label=lambda code: STATUS_LABELS.get(code, code),
        clock_label=lambda code: CLOCK_LABELS.get(code, code),
        officer_clock_label=lambda code: OFFICER_CLOCK_LABELS.get(code, code),
        action_label=lambda code: ACTION_LABELS.get(code, code),
        archive_reason_label=lambda code: ARCHIVE_REASON_LABELS.get(code, code),
        resolution_class_label=lambda code: RESOLUTION_CLASS_LABELS.get(code, code),
        access_label=lambda code: ACCESS_LABELS.get(code, code),
        role_label=lambda code: ROLE_LABELS.get(code, code),
        is_public_report=_is_public_report,
        report_type_label=lambda code: REPORT_TYPE_LABELS.get(code, code),
        actor_label=actor_label,
        format_day=format_day,
        format_date_long=format_date_long,
        format_period=format_period,
        format_moment_wib=format_moment_wib,
        figure_values=figure_values,
        # The service levels (sla.VERIFICATION_DAYS, RESOLUTION_DAYS …) for pages and e-mails
        # that state them: the numbers are never typed into a template.
        sla=sla,
        figure_page_rows=_figure_page_rows,
        breakable=breakable,
        figure_label=figure_label,
        figure_definition=figure_definition,
        holiday_label=holiday_label,
        filesize=filesize,
        max_tracked_days=sla_cap(),
        level_label=lambda code: LEVEL_LABELS.get(code, code),
        format_percent=lambda value: format_percent(value, "#,##0.0%"),
        format_rate=format_rate,
        per_hundred=per_hundred,
        format_interval=format_interval,
        figure_rate=figure_rate,
        distribution_rows_html=distribution_rows_html,
        figure_interval=figure_interval,
        format_number=format_count,
        format_decimal=format_decimal,
        officer_action_label=lambda code: OFFICER_ACTION_LABELS.get(code, code),
        working_days_left=sla.working_days_between,
        escalation_grounds_label=lambda code: ESCALATION_GROUNDS_LABELS.get(code, code),
        rating_label=lambda score: RATING_LABELS.get(score, score),
        deadline_outcome_label=lambda code: DEADLINE_OUTCOME_LABELS.get(code, code),
    )
