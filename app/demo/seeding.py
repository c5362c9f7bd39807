"""The demo generator: demo officers and a few thousand reports on top of the reference data.

``flask --app wsgi demo seed`` calls :func:`seed`; ``flask --app wsgi demo logins`` calls
:func:`describe_logins`. The reference data (regions, categories, agencies) is loaded by
:mod:`app.services.reference` from the repository's files, exactly as ``flask reference load``
does, so the command can be re-run; every run adds ``complaints`` new reports.

Every report is planned here (where, about what, which steps after how long) and its history
is replayed by the workflow's own rules (:func:`workflow.advance`, the function
:func:`workflow.apply` moves a report with) in :mod:`app.demo.bulk`, at plausible past times
(officers act on working days in office hours, reporters whenever), so the timelines, deadlines
and statistics of the demo are the ones real use would produce; the rows are then written in
bulk (a million reports are a national dataset for ``make bench``). The workflow decides where
each step leads (a report forced into a status stops once the workflow has put it there), and
a missed deadline is recorded by the lifecycle tick's rule at the moment the tick would have
run. Nothing is ever dated in the future. One showcase report has the fixed tracking code
:data:`DEMO_TRACKING_CODE`, for the README tour of ``/lacak``.

The randomness comes from ``random.Random(seed)`` instances: the same seed on the same day gives
the same demo.
"""
from __future__ import annotations

import bisect
import random
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate

from flask import current_app
from sqlalchemy import func, inspect, select

from ..extensions import db
from ..models import Agency, Category, Region, Report, Status, User
from ..models.agency import NATIONAL, PROVINCIAL, REGENCY, UNIT
from .. import clock, collector
from ..models.event import OFFICER
from ..models.region import PROVINCE
from ..models.region import REGENCY as REGION_REGENCY
from ..models.user import AGENCY_ADMIN, NATIONAL_ADMIN, ROLES_WITH_AGENCY
from ..models.user import OFFICER as OFFICER_ROLE
from ..services import accounts, reference, sla, tracking_codes, workflow
from . import bulk
from . import catalogue as cat

DEMO_TRACKING_CODE = cat.DEMO_TRACKING_CODE
HISTORY_DAYS = 425  # about fourteen months of reports
# A demo larger than this draws where and what its reports are about from this many scenes.
SCENES = 3000
# From this many reports on, the demo is written as a bulk load (committed batch by batch).
BULK_FROM = 20_000
# From this many reports on, a bulk load on SQLite replays them in forked workers (--processes).
PARALLEL_FROM = 20_000
ROLE_LABELS = {
    NATIONAL_ADMIN: "admin nasional",
    AGENCY_ADMIN: "admin instansi",
    OFFICER_ROLE: "pejabat penghubung",
    "oversight": "pengawas/Ombudsman",
}
# When reports are filed: hours of the day (Jakarta) and their weights, accumulated once
# (``random.choices`` with ``cum_weights`` draws exactly as with the weights themselves).
_HOURS = range(6, 24)
_HOUR_CUM_WEIGHTS = list(accumulate((2, 4, 6, 7, 7, 6, 6, 6, 6, 6, 5, 5, 5, 6, 6, 5, 4, 2)))
# The statuses the demo always contains, each forced on one report.
FORCED_STATUSES = (Status.SUBMITTED, Status.ROUTED, Status.IN_PROGRESS, Status.ON_HOLD,
                   Status.RESOLVED, Status.CLOSED, Status.ARCHIVED)
# In DKI Jakarta the kota/kabupaten are administrative ("Kota Administrasi Jakarta Pusat").
DKI_PROVINCE = "31"


# =============================================================================== names and slugs

def slugify(text: str) -> str:
    """``Kota Bau-Bau (Baubau)`` → ``kota-bau-bau-baubau``: lower-case ASCII words and dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def regency_short_name(region_name: str) -> str:
    """``Kota Padang`` → ``Padang``; ``Kabupaten Pasangkayu (Mamuju Utara)`` → ``Pasangkayu``."""
    name = re.sub(r"\s*\(.*?\)", "", region_name)
    for prefix in ("Kabupaten ", "Kota "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _is_city(region_name: str) -> bool:
    """Whether a kab/kota is a kota (``Kota Padang``) rather than a kabupaten."""
    return region_name.startswith("Kota ")


def province_government_slug(province_name: str) -> str:
    """``Sumatera Barat`` → ``pemprov-sumatera-barat``."""
    return "pemprov-" + slugify(province_name)


def regency_government_slug(region_name: str) -> str:
    """``Kota Padang`` → ``pemkot-padang``; ``Kabupaten Lebak`` → ``pemkab-lebak``."""
    return ("pemkot-" if _is_city(region_name) else "pemkab-") + slugify(region_name.split(" ", 1)[1])


def regency_unit_slug(key: str, region_name: str) -> str:
    """``dinkes`` + ``Kota Padang`` → ``dinkes-kota-padang``."""
    return f"{key}-{slugify(region_name)}"


def province_unit_slug(key: str, province_name: str) -> str:
    """``disdik`` + ``Jawa Barat`` → ``disdik-provinsi-jawa-barat``."""
    return f"{key}-provinsi-{slugify(province_name)}"


def _official_regency_name(region: Region) -> str:
    """The name a government uses: DKI Jakarta's kota and kabupaten are "administrasi"."""
    if region.parent_code == DKI_PROVINCE:
        kind, rest = region.name.split(" ", 1)
        return f"{kind} Administrasi {rest}"
    return region.name


# =============================================================================== accounts

def has_reports() -> bool:
    """Whether any report exists (``demo seed --if-empty`` then does nothing)."""
    return db.session.scalar(select(Report.id).limit(1)) is not None


def _load_users(password: str) -> int:
    """Create the demo officer accounts that are missing; return how many were created."""
    existing = {e.lower() for e in db.session.scalars(select(User.email))}
    added = 0
    for email, name, role, agency_slug in cat.DEMO_USERS:
        if email.lower() in existing:
            continue
        if role in ROLES_WITH_AGENCY and not db.session.scalar(
                select(Agency.id).where(Agency.slug == agency_slug)):
            continue  # the agency is not there (an operator's own directory without it)
        accounts.create_user(email=email, name=name, role=role, password=password,
                             agency_slug=agency_slug if role in ROLES_WITH_AGENCY else None)
        added += 1
    return added


# =============================================================================== time helpers

class _Calendar:
    """Working days around today, precomputed from :mod:`sla` (so each lookup is a bisect)."""

    def __init__(self, today: date, back: int = 700, ahead: int = 700):
        """Working days from ``back`` days before ``today`` to ``ahead`` days after."""
        start = today - timedelta(days=back)
        self.days = [start + timedelta(days=i) for i in range(back + ahead)
                     if sla.is_working_day(start + timedelta(days=i))]

    def add(self, day: date, n: int) -> date:
        """The ``n``-th working day after ``day``; ``n == 0``: ``day`` itself or the next one."""
        if n <= 0:
            i = bisect.bisect_left(self.days, day)
        else:
            i = bisect.bisect_right(self.days, day) + n - 1
        return self.days[min(i, len(self.days) - 1)]

    def sub(self, day: date, n: int) -> date:
        """The ``n``-th working day before ``day`` (``n >= 1``)."""
        i = bisect.bisect_left(self.days, day) - n
        return self.days[max(i, 0)]


# Jakarta has kept UTC+7 since 1964 (see sla.local_date): its wall-clock time minus seven hours.
_WIB = timedelta(hours=7)


def _at(day: date, hour: int, minute: int) -> datetime:
    """A Jakarta wall-clock time on ``day``, as an aware UTC datetime."""
    if day.year >= 1970:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.utc) - _WIB
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=sla.JAKARTA)
    return local.astimezone(timezone.utc)


def _local_hour(moment: datetime) -> int:
    """The hour of ``moment`` on Jakarta's clock."""
    if moment.tzinfo is timezone.utc and moment.year >= 1970:
        return (moment + _WIB).hour
    return moment.astimezone(sla.JAKARTA).hour


def _rupiah(amount: int) -> str:
    """``150000`` → ``Rp150.000``."""
    return "Rp" + f"{amount:,}".replace(",", ".")


def _bulan(day: date) -> str:
    """``Maret 2025``."""
    return f"{cat.MONTHS_ID[day.month - 1]} {day.year}"


def _tanggal(day: date) -> str:
    """``12 Maret 2025``."""
    return f"{day.day} {cat.MONTHS_ID[day.month - 1]} {day.year}"


# =============================================================================== report plans

@dataclass
class Step:
    """One planned action: who, after how long (``wd`` working days, ``cal`` calendar days, or
    ``auto`` = the morning after the reporter's answer deadline), and what it carries."""

    action: str
    who: str  # admin | agency | reporter | system
    delay_kind: str
    delay: int
    text: str | None = None
    reason: str | None = None
    agency: Agency | None = None
    resolution_class: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Plan:
    """Everything about one demo report before it is written."""

    submitted_at: datetime
    region: Region
    report_type: str
    title: str
    body: str
    incident_date: date
    category: Category | None
    requested: Agency | None
    anonymous: bool
    confidential: bool
    contact: dict | None
    values: dict
    steps: list[Step]
    rating: tuple[int, str | None] | None = None
    escalate: bool = False
    until: str | None = None  # stop once the workflow has put the report in this status
    texts: tuple[str, str] | None = None  # the title and body before their values


@dataclass
class Scene:
    """Where a report happens and what it is about (see :meth:`_Demo.scene`)."""

    region: Region
    category_slug: str
    template: dict
    target_key: str
    values: dict


class DemoRandom(random.Random):
    """``random.Random`` with ``randint`` and ``choice`` in one Python call each instead of
    three (``randint`` → ``randrange`` → ``_randbelow``): the same draws from the same
    generator, so the same demo (the seed makes about 90 of them per report)."""

    def randint(self, a: int, b: int) -> int:
        n = b - a + 1
        if n <= 0:
            raise ValueError(f"empty range in randint({a}, {b})")
        getrandbits = self.getrandbits
        k = n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return a + r

    def choice(self, seq):
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        getrandbits = self.getrandbits
        k = n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return seq[r]


class _Demo:
    """The state of one seeding run: random sources, clocks and the loaded reference data."""

    def __init__(self, seed: int, now: datetime):
        """Load the reference data and set up the random sources for ``seed``."""
        self.seed = seed
        self.rng = DemoRandom(seed)
        self.code_rng = DemoRandom(seed)
        self.now = now
        self.today = sla.local_date(now)
        self.calendar = _Calendar(self.today)
        # Agencies and regions are only read here; they are detached from the session (unless
        # the caller already had them) so that the identity map stays small while seeding.
        present = set(db.session.identity_map.keys())
        loaded: list = []
        self.agencies = {a.slug: a for a in db.session.scalars(select(Agency))}
        loaded += self.agencies.values()
        self.agencies_by_id = {a.id: a for a in self.agencies.values()}
        self.categories = {c.slug: c for c in db.session.scalars(select(Category))}
        self.provinces = {r.code: r for r in db.session.scalars(
            select(Region).where(Region.level == PROVINCE))}
        self.regencies_of: dict[str, list[Region]] = {}
        for r in db.session.scalars(select(Region).where(Region.level == REGION_REGENCY)
                                    .order_by(Region.code)):
            self.regencies_of.setdefault(r.parent_code, []).append(r)
            loaded.append(r)
        loaded += self.provinces.values()
        for obj in loaded:
            if inspect(obj).key not in present:
                db.session.expunge(obj)
        self.province_codes = sorted(self.regencies_of)
        self.province_weights = [cat.PROVINCE_POPULATION.get(c, 1.0) for c in self.province_codes]
        # The weights accumulated once (random.choices draws the same with cum_weights).
        self.province_cum_weights = list(accumulate(self.province_weights))
        self.regency_cum_weights = {
            code: list(accumulate(1.6 if _is_city(r.name) else 1.0 for r in options))
            for code, options in self.regencies_of.items()}
        self.templates_by_category: dict[str, list[dict]] = {}
        for template in cat.TEMPLATES:
            self.templates_by_category.setdefault(template["category"], []).append(template)
        self.province_templates = [t for t in cat.TEMPLATES
                                   if any(k.startswith("prov:") for k in t["targets"])]
        self.padang = next((r for r in self.regencies_of.get("13", ()) if r.code == "13.71"), None)
        self.jabar = "32"
        self.category_slugs = [c for c in cat.CATEGORY_WEIGHTS if c in self.templates_by_category]
        self.category_weights = [cat.CATEGORY_WEIGHTS[c] for c in self.category_slugs]
        self.category_cum_weights = list(accumulate(self.category_weights))
        users = {u.email: u for u in db.session.scalars(select(User))}
        self.admin = users.get("admin@terang.test") or db.session.scalar(
            select(User).where(User.role == NATIONAL_ADMIN, User.is_active_account.is_(True)))
        self.admin_actor = (workflow.Actor.officer(self.admin) if self.admin is not None else
                            workflow.Actor(kind=OFFICER, role=NATIONAL_ADMIN))
        # Demo officers act for their agency; an agency admin also for the agency's units.
        self.officers: dict[int, list[User]] = {}
        for email, _name, role, _slug in cat.DEMO_USERS:
            user = users.get(email)
            if user is not None and role in ROLES_WITH_AGENCY and user.agency_id:
                self.officers.setdefault(user.agency_id, []).append(user)
        self.actors: dict[int, tuple[workflow.Actor, ...]] = {}  # by agency id
        self.resolved: dict[tuple[str, str], Agency | None] = {}

    # ------------------------------------------------------------------ picking things
    def pick_region(self, province: str | None = None) -> Region:
        """A kab/kota, weighted by province population (cities a little more often)."""
        province = province or self.rng.choices(self.province_codes,
                                                 cum_weights=self.province_cum_weights)[0]
        return self.rng.choices(self.regencies_of[province],
                                cum_weights=self.regency_cum_weights[province])[0]

    def resolve(self, key: str, region: Region) -> Agency | None:
        """The agency a target key (see :mod:`app.demo.catalogue`) means for ``region``
        (worked out once per key and kab/kota)."""
        found = self.resolved.get((key, region.code), False)
        if found is False:
            found = self.resolved[(key, region.code)] = self._resolve(key, region)
        return found

    def _resolve(self, key: str, region: Region) -> Agency | None:
        province = self.provinces.get(region.parent_code)
        if key.startswith("n:"):
            slug = key[2:]
        elif key == "pemda":
            slug = regency_government_slug(region.name)
        elif key == "pemprov":
            slug = province_government_slug(province.name)
        elif key.startswith("prov:"):
            slug = province_unit_slug(key[5:], province.name)
        else:
            slug = regency_unit_slug(key, region.name)
        agency = self.agencies.get(slug)
        if agency is None or not agency.is_active:
            agency = self.agencies.get(regency_government_slug(region.name))
        return agency

    def values_for(self, region: Region, incident: date) -> dict:
        """The placeholder values of one report's texts."""
        rng = self.rng
        province = self.provinces.get(region.parent_code)
        return {
            "wilayah": _official_regency_name(region),
            "kota": regency_short_name(region.name),
            "provinsi": province.name if province else "",
            "kelurahan": rng.choice(cat.KELURAHAN),
            "kecamatan": rng.choice(cat.KECAMATAN),
            "jalan": rng.choice(cat.STREETS),
            "tanggal": _tanggal(incident),
            "hari": cat.WEEKDAYS_ID[incident.weekday()],
            # An earlier month, for what came before the incident ("diukur pada April 2026").
            "bulan": _bulan(incident - timedelta(days=rng.randint(30, 200))),
            "jam": f"{rng.randint(7, 10):02d}.{rng.choice((0, 15, 30, 45)):02d}",
            "biaya_kecil": _rupiah(rng.choice((25_000, 50_000, 75_000, 100_000, 150_000, 200_000,
                                               250_000, 300_000, 350_000, 500_000))),
            "biaya_besar": _rupiah(rng.choice((1_500_000, 2_000_000, 2_500_000, 3_000_000,
                                               5_000_000, 7_500_000, 10_000_000, 15_000_000))),
            "lama": rng.choice(cat.DURATIONS),
            "warga": rng.randint(15, 120),
            "nomor": rng.randint(1, 12),
        }

    def contact(self, anonymous: bool) -> dict | None:
        """A realistic Indonesian contact for ~40% of reports (no name on most anonymous ones)."""
        rng = self.rng
        if rng.random() >= 0.40:
            return None
        if rng.random() < 0.12:
            first, last = rng.choice(cat.MONONYMS), ""
        else:
            first, last = rng.choice(cat.FIRST_NAMES), rng.choice(cat.LAST_NAMES)
        full = f"{first} {last}".strip()
        show_name = rng.random() < (0.2 if anonymous else 0.9)
        email = phone = None
        if rng.random() < 0.55:
            local = ".".join(p for p in (first, last) if p).lower()
            email = f"{local}{rng.choice(('', str(rng.randint(1, 99)), str(rng.randint(70, 99))))}" \
                    f"@{rng.choice(cat.EMAIL_DOMAINS)}"
        if email is None or rng.random() < 0.6:
            digits = rng.randint(7, 8)
            phone = "+62" + rng.choice(cat.MOBILE_PREFIXES) + "".join(
                str(rng.randint(0, 9)) for _ in range(digits))
        return {"name": full if show_name else None, "email": email, "phone": phone}

    def submission_time(self) -> datetime:
        """When a report was filed: the last ~14 months, more of them recently."""
        rng = self.rng
        u = rng.random()
        # Three in five spread evenly, the rest with a density falling linearly with age.
        age = HISTORY_DAYS * (u if rng.random() < 0.6 else 1 - (1 - u) ** 0.5)
        day = self.today - timedelta(days=int(age))
        hour = rng.choices(_HOURS, cum_weights=_HOUR_CUM_WEIGHTS)[0]
        moment = _at(day, hour, rng.randint(0, 59))
        if moment > self.now:
            moment = self.now - timedelta(minutes=rng.randint(5, 600))
        return moment

    # ------------------------------------------------------------------ plans
    def scene(self) -> "Scene":
        """Where a report happens and what it is about: kab/kota, category, template, target,
        and the placeholder values of its texts (the incident day left to the report)."""
        rng = self.rng
        # Some reports go where the demo officers work: Kota Padang and the Jawa Barat province.
        focus = rng.random()
        if focus < 0.05 and self.padang is not None:
            region = self.padang
            category_slug = ("kesehatan" if rng.random() < 0.5 else
                             rng.choices(self.category_slugs, cum_weights=self.category_cum_weights)[0])
            template = rng.choice(self.templates_by_category[category_slug])
            target_key = rng.choice(template["targets"])
        elif focus < 0.08 and self.jabar in self.regencies_of:
            region = self.pick_region(self.jabar)
            template = rng.choice(self.province_templates)
            target_key = next(k for k in template["targets"] if k.startswith("prov:"))
            category_slug = template["category"]
        else:
            region = self.pick_region()
            category_slug = rng.choices(self.category_slugs, cum_weights=self.category_cum_weights)[0]
            template = rng.choice(self.templates_by_category[category_slug])
            target_key = rng.choice(template["targets"])
        return Scene(region=region, category_slug=category_slug, template=template,
                     target_key=target_key, values=self.values_for(region, self.today))

    def plan(self, forced: str | None = None, submitted_at: datetime | None = None,
             scenes: list["Scene"] | None = None) -> Plan:
        """One report and its lifecycle; ``forced`` makes it end in that status, recently.

        ``submitted_at``: when it was filed (drawn otherwise); ``scenes``: a pool to draw where
        and what from (a million-report demo reuses a few thousand; otherwise each is new).
        """
        rng = self.rng
        archive_reason = None
        scenario = "main"
        roll = rng.random()
        if forced == Status.ARCHIVED or (forced is None and roll < 0.09):
            scenario = "archive"
            archive_reason = rng.choices(
                ("too_general", "not_government_service", "duplicate", "spam", "outside_remit"),
                (30, 20, 20, 10, 20))[0]
        elif forced is None and roll < 0.12:
            scenario = "hold_archive"
        elif forced == Status.SUBMITTED:
            scenario = "none"

        scene = rng.choice(scenes) if scenes else self.scene()
        region, category_slug, template, target_key = (scene.region, scene.category_slug,
                                                       scene.template, scene.target_key)
        right = self.resolve(target_key, region)
        wrong = self.resolve(rng.choice(cat.WRONG_TARGETS), region)
        if wrong is not None and wrong.id == right.id:
            wrong = None
        roll = rng.random()
        if roll < 0.25:
            requested = None
        elif roll < 0.85 or wrong is None:
            requested = right
        else:
            requested = wrong
        if requested is None:
            route_to = wrong if (wrong is not None and rng.random() < 0.08) else right
        elif requested is wrong:
            route_to = right if rng.random() < 0.5 else wrong
        else:
            route_to = requested

        anonymous = rng.random() < (0.6 if template.get("anonymous_bias") else 0.25)
        confidential = rng.random() < (0.55 if template.get("confidential_bias") else
                                       0.4 if template.get("anonymous_bias") else 0.09)
        category = self.categories.get(category_slug)
        reporter_category = category if (rng.random() < 0.85 or scenario == "archive") else None
        cls = template.get("cls", "sedang")
        if rng.random() < 0.15:
            cls = rng.choice(("ringan", "sedang", "berat"))

        rating, escalate = None, False
        if scenario == "archive":
            steps = self._archive_steps(archive_reason)
        elif scenario == "hold_archive":
            steps = [
                Step("request_info", "admin", "wd", rng.randint(1, 2),
                     text=rng.choice(cat.ADMIN_REQUEST_INFO_TEXTS)),
                Step("archive", "admin", "wd", rng.randint(10, 13), reason="incomplete",
                     text=cat.ARCHIVE_TEXTS["incomplete"][0]),
            ]
        elif scenario == "main":
            extra = {"publish": not confidential}
            if reporter_category is None and category is not None:
                extra["category"] = category
            steps, rating, escalate = self._main_steps(template, route_to, right, cls, extra,
                                                       forced)
        else:
            steps = []
        if forced:
            steps = _through_first(steps, forced)

        if submitted_at is not None:
            pass
        elif forced == Status.SUBMITTED:
            submitted_at = self.now - timedelta(hours=rng.randint(2, 40))
        elif forced:
            # Early enough for every step to have happened, late enough to still be in ``forced``.
            start_day = self.calendar.sub(self.today, _budget(steps) + 2)
            submitted_at = _at(start_day, rng.randint(7, 21), rng.randint(0, 59))
        else:
            submitted_at = self.submission_time()
        submitted_day = sla.local_date(submitted_at)
        incident = submitted_day - timedelta(days=rng.choice((0, 1, 1, 2, 3, 5, 7, 10, 14, 21, 30)))
        # The incident day is the report's own; the rest of the values come with the scene.
        values = dict(scene.values, tanggal=_tanggal(incident),
                      hari=cat.WEEKDAYS_ID[incident.weekday()],
                      bulan=_bulan(incident - timedelta(days=rng.randint(30, 200))))
        title, body, report_type = rng.choice(template["titles"]), template["body"], template["type"]
        if archive_reason in cat.ARCHIVE_REPORTS:
            title, body = rng.choice(cat.ARCHIVE_REPORTS[archive_reason])
            report_type = "pengaduan"
        return Plan(
            submitted_at=submitted_at, region=region, report_type=report_type,
            title=title.format_map(values), body=body.format_map(values), incident_date=incident,
            category=reporter_category, requested=requested, anonymous=anonymous,
            confidential=confidential, contact=self.contact(anonymous), values=values,
            steps=steps, rating=rating, escalate=escalate, until=forced,
            texts=(title, body))

    def _archive_steps(self, reason: str) -> list[Step]:
        """Archived at verification, with ``reason`` (sometimes after an admin's note)."""
        rng = self.rng
        steps = []
        if rng.random() < 0.15:
            steps.append(Step("note", "admin", "wd", rng.randint(0, 1),
                              text="Dicek dengan laporan lain di wilayah yang sama."))
        steps.append(Step("archive", "admin", "wd", rng.choice((0, 1, 1, 2, 2, 3, 5)),
                          reason=reason, text=rng.choice(cat.ARCHIVE_TEXTS[reason])))
        return steps

    def _main_steps(self, template: dict, route_to: Agency, right: Agency, cls: str,
                    route_extra: dict, forced: str | None):
        """The usual path: verify and route, (transfer), respond, (hold), resolve, (dispute),
        confirm or auto-close; some reports stall. Returns the steps, a rating, and whether
        the reporter escalates a dispute."""
        rng = self.rng
        rating, escalate = None, False
        steps: list[Step] = []

        def chance(p: float, force: bool = False, forbid: bool = False) -> bool:
            """True with probability ``p``; always when forced, never when forbidden."""
            return force or (not forbid and rng.random() < p)

        closing = forced in (None, Status.CLOSED)
        if chance(0.04):
            steps.append(Step("request_info", "admin", "wd", rng.randint(1, 2),
                              text=rng.choice(cat.ADMIN_REQUEST_INFO_TEXTS)))
            steps.append(Step("reporter_reply", "reporter", "cal", rng.randint(0, 4),
                              text=rng.choice(cat.REPORTER_REPLY_TEXTS)))
        steps.append(Step("route", "admin", "wd",
                          rng.randint(0, 2) if rng.random() < 0.88 else rng.randint(3, 8),
                          text=rng.choice(cat.ROUTE_TEXTS), agency=route_to,
                          resolution_class=cls, extra=route_extra))
        if route_to.id != right.id:
            steps.append(Step("transfer", "agency", "wd", rng.randint(1, 6),
                              reason=rng.choice(cat.TRANSFER_REASONS), agency=right))
        if chance(0.06, forbid=forced is not None):
            return steps, rating, escalate  # never answered: the agency ignores it
        quick = (1, 2) if cls == "ringan" else (1, 4)
        steps.append(Step("respond", "agency", "wd",
                          rng.randint(*quick) if rng.random() < 0.82 else rng.randint(5, 15),
                          text=rng.choice(template.get("responses") or cat.RESPOND_TEXTS)))
        if chance(0.35):
            steps.append(Step("note", "agency", "wd", rng.randint(0, 2),
                              text=rng.choice(cat.NOTE_TEXTS)))
        if chance(0.10, force=forced == Status.ON_HOLD):
            steps.append(Step("request_info", "agency", "wd", rng.randint(1, 4),
                              text=rng.choice(cat.AGENCY_REQUEST_INFO_TEXTS)))
            if forced is None and rng.random() < 0.2:
                steps.append(Step("archive", "admin", "wd", rng.randint(10, 14),
                                  reason="incomplete", text=cat.ARCHIVE_TEXTS["incomplete"][0]))
                return steps, rating, escalate
            steps.append(Step("reporter_reply", "reporter", "cal", rng.randint(0, 5),
                              text=rng.choice(cat.REPORTER_REPLY_TEXTS)))
        if chance(0.10):
            steps.append(Step("reporter_message", "reporter", "cal", rng.randint(1, 7),
                              text=rng.choice(cat.REPORTER_MESSAGE_TEXTS)))
        if chance(0.15 if cls == "ringan" else 0.40):
            steps.append(Step("respond", "agency", "wd", rng.randint(2, 8),
                              text=rng.choice(cat.FOLLOW_UP_TEXTS)))
        if chance(0.08, forbid=forced is not None):
            return steps, rating, escalate  # stuck in progress
        steps.append(Step("resolve", "agency", "wd", _resolution_delay(rng, cls),
                          text=self._resolution_text(template)))
        if chance(0.12, forbid=not closing):
            steps.append(Step("dispute", "reporter", "cal", rng.randint(1, 8),
                              reason=rng.choice(cat.DISPUTE_REASONS)))
            escalate = rng.random() < 0.3
            steps.append(Step("respond", "agency", "wd", rng.randint(1, 4),
                              text=rng.choice(cat.FOLLOW_UP_TEXTS)))
            steps.append(Step("resolve", "agency", "wd", rng.randint(2, 10),
                              text=self._resolution_text(template)))
            disputed = True
        else:
            disputed = False
        if chance(0.40, force=forced == Status.CLOSED):
            steps.append(Step("confirm", "reporter", "cal", rng.randint(0, 8),
                              text=rng.choice(cat.CONFIRM_TEXTS)))
            if rng.random() < 0.8:
                score = rng.choice((1, 2, 3) if disputed else (3, 4, 4, 5, 5, 5))
                rating = (score, rng.choice(cat.RATING_COMMENTS[score]))
        else:
            steps.append(Step("auto_close", "system", "auto", 0))
            if rng.random() < 0.15:
                score = rng.choice((2, 3, 4))
                rating = (score, rng.choice(cat.RATING_COMMENTS[score]))
        return steps, rating, escalate

    def _resolution_text(self, template: dict) -> str:
        """The agency's closing text: the template's own, or a generic one for its type."""
        if template["type"] == "informasi":
            pool = template.get("resolutions") or cat.INFO_RESOLVE_TEXTS
        elif template["type"] == "aspirasi":
            pool = template.get("resolutions") or cat.ASPIRATION_RESOLVE_TEXTS
        else:
            pool = template.get("resolutions") or cat.RESOLVE_TEXTS
        return self.rng.choice(pool)

    # ------------------------------------------------------------------ writing
    def next_time(self, previous: datetime, step: Step) -> datetime:
        """When ``step`` happens, after ``previous``."""
        rng = self.rng
        prev_day = sla.local_date(previous)
        if step.delay_kind == "auto":
            due = self.calendar.add(prev_day, 10)
            moment = _at(due + timedelta(days=1), 1, rng.randint(0, 30))
        elif step.delay_kind == "cal":
            day = prev_day + timedelta(days=step.delay)
            moment = _at(day, rng.randint(6, 22), rng.randint(0, 59))
        else:
            day = self.calendar.add(prev_day, step.delay)
            minutes = rng.randint(8 * 60, 16 * 60 + 30)
            moment = _at(day, minutes // 60, minutes % 60)
            if moment <= previous and _local_hour(previous) >= 16:
                # Too late that day: the officer acts the next working day.
                moment = _at(self.calendar.add(day, 1), minutes // 60, minutes % 60)
        if moment <= previous:
            moment = previous + timedelta(minutes=rng.randint(10, 180))
        return moment

    def actor_for(self, step: Step, report: Report) -> workflow.Actor:
        """The admin, the agency holding the report (a demo officer where there is one), the
        reporter or the system."""
        who = step.who
        if who == "admin":
            return self.admin_actor
        if who == "reporter":
            return bulk.REPORTER
        if who == "system":
            return bulk.SYSTEM
        agency_id = report.agency_id
        actors = self.actors.get(agency_id)
        if actors is None:
            actors = self.actors[agency_id] = self._agency_actors(agency_id)
        # Of two demo officers, the first acts seven times in ten.
        return actors[0] if len(actors) == 1 or self.rng.random() < 0.7 else actors[1]

    def _agency_actors(self, agency_id: int) -> tuple[workflow.Actor, ...]:
        """Who may act for an agency: its demo officers, else its parent's agency admins, else
        an officer of the agency without an account."""
        users = self.officers.get(agency_id)
        if not users:
            parent_id = self.agencies_by_id[agency_id].parent_id
            users = [u for u in self.officers.get(parent_id, ()) if u.role == AGENCY_ADMIN]
        if users:
            return tuple(workflow.Actor.officer(u) for u in users)
        return (workflow.Actor(kind=OFFICER, role=OFFICER_ROLE, agency_id=agency_id),)


def _resolution_delay(rng: random.Random, cls: str) -> int:
    """Working days from the last step to the resolution, by class; some agencies are late."""
    low, high = {"ringan": (0, 3), "sedang": (2, 9), "berat": (8, 45)}[cls]
    days = rng.randint(low, high)
    if rng.random() < 0.12:  # late
        days = int(days * rng.uniform(1.4, 2.2)) + 2
    return days


def _through_first(steps: list[Step], target: str) -> list[Step]:
    """The steps up to the first whose transition leads to ``target`` (all if none does).

    Only for planning (how far back the report must start); while writing, the workflow
    itself says when the report is in ``target`` (:attr:`Plan.until`).
    """
    for index, step in enumerate(steps):
        if workflow.TRANSITIONS[step.action].target == target:
            return steps[: index + 1]
    return steps


def _budget(steps: list[Step]) -> int:
    """Working days a plan needs at most (calendar days counted as working days)."""
    return sum(11 if s.delay_kind == "auto" else s.delay for s in steps)


# =============================================================================== seeding

def showcase_hash(secret: str) -> str:
    """The stored hash of :data:`DEMO_TRACKING_CODE` under ``secret``."""
    return tracking_codes.hash_code(tracking_codes.normalise_code(DEMO_TRACKING_CODE), secret)


def _showcase_time(demo: _Demo) -> datetime:
    """When the showcase report was filed: an evening 13 working days ago."""
    return _at(demo.calendar.sub(demo.today, 13), 19, 42)


def _write_showcase(demo: _Demo, writer: bulk.Writer, secret: str,
                    existing: set[str]) -> bulk.Story | None:
    """The report of the README tour: fixed code, in progress, with a public response."""
    spec = cat.SHOWCASE
    tracking_hash = showcase_hash(secret)
    if tracking_hash in existing:
        return None
    existing.add(tracking_hash)
    region = next((r for r in demo.regencies_of.get(spec["region_code"].split(".")[0], ())
                   if r.code == spec["region_code"]), None)
    agency = demo.agencies.get(spec["requested_agency"])
    if region is None or agency is None:
        return None
    submitted_at = _showcase_time(demo)
    submitted_day = sla.local_date(submitted_at)
    steps = [
        Step("route", "admin", "wd", 1, text=cat.ROUTE_TEXTS[0], agency=agency,
             resolution_class=spec["resolution_class"],
             extra={"publish": True}),
        Step("note", "agency", "wd", 1, text=spec["note"]),
        Step("respond", "agency", "wd", 0, text=spec["responses"][0]),
        Step("reporter_message", "reporter", "cal", 7, text=spec["reporter_message"]),
        Step("respond", "agency", "wd", 2, text=spec["responses"][1]),
    ]
    plan = Plan(submitted_at=submitted_at, region=region, report_type=spec["type"],
                title=spec["title"], body=spec["body"],
                # "Pada hari Senin pagi": the Monday of the week it was filed (in the evening).
                incident_date=submitted_day - timedelta(days=submitted_day.weekday()),
                category=demo.categories.get(spec["category"]), requested=agency,
                anonymous=False, confidential=False,
                contact={"name": spec["reporter_name"], "email": None, "phone": None},
                values=demo.values_for(region, submitted_day), steps=steps)
    return writer.write(plan, tracking_hash)


def seed(complaints: int = 3000, seed: int = 2026, password: str = "terang-demo-2026",
         echo=None, progress=None, bulk_load: bool = False, processes: int = 1) -> str:
    """Load the demo: reference data (idempotent), demo officers, and ``complaints`` reports.

    The reference data is loaded by :func:`reference.load_files` (the repository's files, as
    ``flask reference load`` does); the demo officers are added where missing. Then ``complaints``
    reports are filed at random times over the last ~14 months and their histories replayed by
    the workflow's rules (:mod:`app.demo.bulk`), so that every status occurs (one report is
    forced into each, plus the showcase report with the code :data:`DEMO_TRACKING_CODE`).
    ``progress(n)`` is told each batch of ``n`` reports written. The caller commits; with
    ``bulk_load`` (a large demo on its own database) each batch is committed as it is written,
    and on SQLite ``processes`` forked workers replay the histories while this one writes.
    Returns a summary for the console.
    """
    echo = echo or (lambda *_a, **_k: None)
    started = time.perf_counter()
    loaded = reference.load_files()
    added_users = _load_users(password)
    db.session.flush()
    echo(f"Data acuan: {loaded.regions_added} wilayah, {loaded.agencies_added} instansi, "
         f"{loaded.categories_added} kategori, {added_users} akun demo ditambahkan "
         f"({time.perf_counter() - started:.1f} dtk).")

    now = clock.now()
    demo = _Demo(seed, now)
    secret = current_app.config["SECRET_KEY"]
    prefix = current_app.config["REFERENCE_PREFIX"]
    existing = set(db.session.scalars(select(Report.tracking_hash)))
    writer = bulk.Writer(demo, secret, prefix, bulk=bulk_load, progress=progress)
    if complaints > 0:
        planning = time.perf_counter()
        # The showcase counts as one of ``complaints`` unless an earlier run made it.
        others = complaints if showcase_hash(secret) in existing else complaints - 1
        forced = sorted((demo.plan(forced=status) for status in FORCED_STATUSES[:others]),
                        key=lambda p: p.submitted_at, reverse=True)
        times = sorted(demo.submission_time() for _ in range(others - len(forced)))
        # A large demo draws its places and subjects from a pool (each is redacted once).
        scenes = ([demo.scene() for _ in range(SCENES)] if len(times) > SCENES else None)
        # The showcase takes its place in time order, so that references follow submission.
        showcase_at = _showcase_time(demo)
        showcase_done = False

        def next_plans(at: datetime):
            nonlocal showcase_done
            while forced and forced[-1].submitted_at <= at:
                yield forced.pop()
            if not showcase_done and showcase_at <= at:
                showcase_done = True
                yield None

        # In time order: a time (a report planned when written), a forced plan, the showcase (None).
        items: list = []
        for at in times:
            items.extend(next_plans(at))
            items.append(at)
        items.extend(next_plans(now + timedelta(days=1)))

        def write(item) -> None:
            if item is None:
                _write_showcase(demo, writer, secret, existing)
                return
            plan = item if isinstance(item, Plan) else demo.plan(submitted_at=item, scenes=scenes)
            writer.write(plan, writer.new_hash(existing))

        def year_of(item) -> int:
            moment = showcase_at if item is None else getattr(item, "submitted_at", item)
            return sla.local_date(moment).year

        writer.begin()
        replaying = time.perf_counter()
        try:
            if processes > 1 and bulk_load and writer.dialect == "sqlite" and len(items) > PARALLEL_FROM:
                if scenes:
                    writer.redact_ahead(scenes, processes)
                writer.write_in_processes(items, write, year_of, processes)
            else:
                with collector.paused(bulk_load):
                    for item in items:
                        write(item)
        except BaseException:
            if bulk_load:
                writer.abandon()
            raise
        finishing = time.perf_counter()
        writer.finish()
        if bulk_load:
            echo(f"  Waktu per tahap: rencana {replaying - planning:.1f} dtk, riwayat dan "
                 f"penulisan {finishing - replaying:.1f} dtk, indeks dan pencarian "
                 f"{time.perf_counter() - finishing:.1f} dtk.")
    written = writer.written
    elapsed = time.perf_counter() - started
    echo(f"  {written} laporan dibuat ({elapsed:.1f} dtk).")
    return summary(written, elapsed)


def summary(written: int | None = None, elapsed: float | None = None) -> str:
    """Counts of what the database holds: regions, agencies, categories, users, reports."""
    region_counts = dict(db.session.execute(
        select(Region.level, func.count()).group_by(Region.level)).all())
    agency_counts = dict(db.session.execute(
        select(Agency.level, func.count()).group_by(Agency.level)).all())
    status_counts = dict(db.session.execute(
        select(Report.status, func.count()).group_by(Report.status)).all())
    lines = [
        "Data demo Terang",
        f"  Wilayah   : {region_counts.get(PROVINCE, 0)} provinsi, "
        f"{region_counts.get(REGION_REGENCY, 0)} kabupaten/kota",
        f"  Instansi  : {sum(agency_counts.values())} (nasional {agency_counts.get(NATIONAL, 0)}, "
        f"pemprov {agency_counts.get(PROVINCIAL, 0)}, pemkab/pemkot {agency_counts.get(REGENCY, 0)}, "
        f"OPD/unit {agency_counts.get(UNIT, 0)})",
        f"  Kategori  : {db.session.scalar(select(func.count()).select_from(Category))}",
        f"  Akun      : {db.session.scalar(select(func.count()).select_from(User))}",
        f"  Laporan   : {sum(status_counts.values())}"
        + (f" ({written} baru dalam {elapsed:.1f} dtk)" if written is not None else ""),
    ]
    for status in Status.ALL:
        lines.append(f"    {status:<12} {status_counts.get(status, 0)}")
    lines.append(f"  Kode pelacakan contoh: {DEMO_TRACKING_CODE}")
    return "\n".join(lines)


def describe_logins(password: str) -> str:
    """A table of the demo officer accounts with the shared password, and where to start."""
    base = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    users = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_([e for e, *_ in cat.DEMO_USERS])))}
    names = dict(db.session.execute(select(Agency.slug, Agency.name).where(
        Agency.slug.in_([s for *_, s in cat.DEMO_USERS if s]))).all())
    rows = [("E-mail", "Peran", "Instansi")]
    for email, _name, role, slug in cat.DEMO_USERS:
        agency = names.get(slug, slug) if slug else "— (semua instansi)"
        missing = "" if email in users else "  [belum dibuat: jalankan demo seed]"
        rows.append((email, f"{role} ({ROLE_LABELS.get(role, role)})", f"{agency}{missing}"))
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    lines = [f"Akun demo — kata sandi semua akun: {password}", ""]
    for index, (email, role, agency) in enumerate(rows):
        lines.append(f"  {email:<{widths[0]}}  {role:<{widths[1]}}  {agency}")
        if index == 0:
            lines.append(f"  {'-' * widths[0]}  {'-' * widths[1]}  {'-' * 8}")
    lines += [
        "",
        "Verifikasi dua langkah: admin nasional, admin instansi dan pengawas wajib memakainya.",
        "  Saat pertama masuk, akun itu diminta memindai kode QR dengan aplikasi autentikator",
        "  (Google Authenticator, FreeOTP ...) dan memasukkan kodenya; sesudah itu setiap masuk",
        "  meminta kode 6 angka dari aplikasi. Petugas boleh memasangnya (tidak wajib).",
        "",
        f"Masuk sebagai petugas : {base}/petugas/masuk",
        f"Kirim laporan         : {base}/lapor",
        f"Lacak laporan         : {base}/lacak  (kode contoh: {DEMO_TRACKING_CODE})",
    ]
    return "\n".join(lines)
