"""The demo's catalogue, read from the JSON files in ``app/demo/data/`` (plain data, no code).

- ``accounts.json``: the demo officer accounts (e-mail, name, role, agency slug); their password
  is ``DEMO_PASSWORD``.
- ``weights.json``: how often each category is picked, and each province's population in
  millions (BPS projections, rounded), which picks where reports come from.
- ``people_and_places.json``: names, e-mail domains, mobile prefixes, kelurahan, kecamatan,
  streets, durations, month and weekday names.
- ``report_templates.json``: one object per kind of report: ``category``, ``type``,
  ``targets`` (the competent agencies, as target keys, below), ``cls`` (resolution class),
  ``titles``, ``body`` and optional ``responses``/``resolutions``, ``anonymous_bias``,
  ``confidential_bias``.
- ``texts.json``: what officers and reporters write along the way (routing, answers, notes,
  transfers, disputes, archive texts and the reports meant to be archived, ratings).
- ``showcase.json``: the report the README tour opens with the code ``TRNG-DEM0-2026-0001``.

The agencies and categories are not here: they are the reference data every deployment loads
(``app/reference_data/``, :mod:`app.services.reference`), and the demo loads them the same way.

Texts are Indonesian, as reporters and officers write them on LAPOR!. They contain no personal
data (no street numbers, NIK, phone numbers or plates), so that the public copy of a demo
report can be the text itself.

Placeholders in report texts (filled per report): ``{wilayah}`` (``Kota Padang``), ``{kota}``
(``Padang``), ``{provinsi}``, ``{kelurahan}``, ``{kecamatan}``, ``{jalan}``, ``{tanggal}`` (the
incident date, ``12 Maret 2025``), ``{hari}`` (its weekday), ``{bulan}`` (a month some time
before it, ``Maret 2025``), ``{jam}``, ``{biaya_kecil}``, ``{biaya_besar}``, ``{lama}`` (a
duration: ``dua minggu``), ``{warga}``, ``{nomor}``.
Officer texts may also use ``{agency}`` (the acting agency), ``{tujuan}`` (a transfer's
receiving agency) and ``{tanggal_aksi}`` (the day of the action).

Agency target keys in report templates: ``pemda`` is the kab/kota government, ``pemprov`` the
province; another word (``dinkes``) is that OPD of the kab/kota (slug ``dinkes-kota-padang``);
``prov:<key>`` an OPD of the province (``disdik-provinsi-jawa-barat``); ``n:<slug>`` a national
agency by its slug.
"""
from __future__ import annotations

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read(name: str):
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


# The showcase report that the README tour opens on /lacak.
DEMO_TRACKING_CODE = "TRNG-DEM0-2026-0001"

# (email, name, role, agency slug or None).
DEMO_USERS: list[tuple[str, str, str, str | None]] = [
    (a["email"], a["name"], a["role"], a["agency"]) for a in _read("accounts")]

_weights = _read("weights")
CATEGORY_WEIGHTS: dict[str, float] = _weights["category_weights"]
PROVINCE_POPULATION: dict[str, float] = _weights["province_population"]

_people = _read("people_and_places")
FIRST_NAMES: list[str] = _people["first_names"]
LAST_NAMES: list[str] = _people["last_names"]
MONONYMS: list[str] = _people["mononyms"]
EMAIL_DOMAINS: list[str] = _people["email_domains"]
MOBILE_PREFIXES: list[str] = _people["mobile_prefixes"]
KELURAHAN: list[str] = _people["kelurahan"]
KECAMATAN: list[str] = _people["kecamatan"]
STREETS: list[str] = _people["streets"]
DURATIONS: list[str] = _people["durations"]
MONTHS_ID: list[str] = _people["months_id"]
WEEKDAYS_ID: list[str] = _people["weekdays_id"]

TEMPLATES: list[dict] = _read("report_templates")

_texts = _read("texts")
WRONG_TARGETS: list[str] = _texts["wrong_targets"]
ROUTE_TEXTS: list[str] = _texts["route_texts"]
RESPOND_TEXTS: list[str] = _texts["respond_texts"]
FOLLOW_UP_TEXTS: list[str] = _texts["follow_up_texts"]
RESOLVE_TEXTS: list[str] = _texts["resolve_texts"]
INFO_RESOLVE_TEXTS: list[str] = _texts["info_resolve_texts"]
ASPIRATION_RESOLVE_TEXTS: list[str] = _texts["aspiration_resolve_texts"]
NOTE_TEXTS: list[str] = _texts["note_texts"]
ADMIN_REQUEST_INFO_TEXTS: list[str] = _texts["admin_request_info_texts"]
AGENCY_REQUEST_INFO_TEXTS: list[str] = _texts["agency_request_info_texts"]
REPORTER_REPLY_TEXTS: list[str] = _texts["reporter_reply_texts"]
REPORTER_MESSAGE_TEXTS: list[str] = _texts["reporter_message_texts"]
TRANSFER_REASONS: list[str] = _texts["transfer_reasons"]
DISPUTE_REASONS: list[str] = _texts["dispute_reasons"]
CONFIRM_TEXTS: list[str | None] = _texts["confirm_texts"]
# JSON keys are strings; the scores are numbers.
RATING_COMMENTS: dict[int, list[str | None]] = {
    int(score): comments for score, comments in _texts["rating_comments"].items()}
ARCHIVE_TEXTS: dict[str, list[str]] = _texts["archive_texts"]
# Reason → [(title, body), ...]: the texts of reports meant to be archived for that reason.
ARCHIVE_REPORTS: dict[str, list[tuple[str, str]]] = {
    reason: [tuple(pair) for pair in pairs] for reason, pairs in _texts["archive_reports"].items()}

SHOWCASE: dict = _read("showcase")
