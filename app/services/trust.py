"""The figures the privacy notice (``/privasi``) states, read from the rules that apply them.

A notice that says "30 days" while the code keeps 60 is a broken promise; so each period
below is the constant or the setting the code itself uses, and tests/web/test_trust_pages.py
checks that the page shows them.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from . import attachments, code_recovery, following, idempotency


@dataclass(frozen=True)
class Retention:
    what: object       # a lazy string: what is kept
    period: object     # a lazy string: for how long
    source: str        # where the rule lives (for the curious: a setting or a module)


def _hours(delta) -> int:
    return int(delta.total_seconds() // 3600)


def retention() -> list[Retention]:
    """What Terang keeps and for how long, from the rules that delete it."""
    config = current_app.config
    outbox_days = int(config.get("OUTBOX_RETENTION_DAYS", 30))
    return [
        Retention(_l("Isi laporan, lampiran (tanpa metadata), langkah tindak lanjut, dan teks publik yang disamarkan"),
                  _l("disimpan sebagai arsip pelayanan publik; tidak dihapus"), "docs/domain.md#retention"),
        Retention(_l("Nama, e-mail, dan nomor telepon pelapor (jika diisi)"),
                  _l("bersama laporan, sampai pelapor menghapusnya di halaman lacak"), "reporter.erase_contact"),
        Retention(_l("Kode pelacakan"),
                  _l("tidak pernah disimpan: hanya sidik kuncinya (hash), yang tidak dapat dibalik"), "SECRET_KEY"),
        Retention(_l("Alamat dan isi e-mail pemberitahuan"),
                  _l("%(n)s hari setelah terkirim atau gagal, lalu dihapus", n=outbox_days),
                  "OUTBOX_RETENTION_DAYS"),
        Retention(_l("Berkas yang diunggah pada formulir yang tidak jadi dikirim"),
                  _l("%(n)s jam, lalu dihapus", n=_hours(attachments.STAGING_LIFETIME)),
                  "attachments.STAGING_LIFETIME"),
        Retention(_l("Tanda terima terenkripsi untuk formulir atau permintaan API yang terkirim ulang"),
                  _l("%(n)s jam, lalu dihapus", n=_hours(idempotency.LIFETIME)), "idempotency.LIFETIME"),
        Retention(_l("Tautan pemulihan kode yang dikirim lewat e-mail"),
                  _l("berlaku %(n)s menit dan sekali pakai", n=int(code_recovery.LINK_LIFETIME.total_seconds() // 60)),
                  "code_recovery.LINK_LIFETIME"),
        Retention(_l("E-mail orang yang mengikuti laporan publik"),
                  _l("tanpa konfirmasi: %(hours)s jam; setelah konfirmasi: sampai berhenti mengikuti, "
                     "%(days)s hari setelah laporan ditutup, atau saat laporan tidak lagi publik",
                     hours=_hours(following.CONFIRM_LIFETIME), days=following.KEEP_AFTER_CLOSE.days),
                  "following.CONFIRM_LIFETIME, following.KEEP_AFTER_CLOSE"),
        Retention(_l("Sesi melacak laporan di peramban"),
                  _l("%(n)s menit sejak kode dimasukkan", n=int(config.get("TRACKING_SESSION_MINUTES", 30))),
                  "TRACKING_SESSION_MINUTES"),
        Retention(_l("Alamat IP pengunjung"),
                  _l("tidak disimpan bersama laporan; hanya dihitung sementara untuk membatasi percobaan berulang"),
                  "app/ratelimits.py"),
        Retention(_l("Jejak audit petugas (masuk, sesi, bacaan teks asli laporan anonim)"),
                  _l("disimpan sebagai jejak pengawasan; tidak dihapus"), "access_log"),
    ]
