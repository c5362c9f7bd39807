"""How each Terang figure compares with SP4N-LAPOR!'s monitoring and evaluation (monev).

The methodology page's compatibility table (/transparansi/metodologi#lapor) is this list: one
row per Terang definition, with LAPOR!'s term, what matches and what differs. A test checks
that every published figure's definition has a row. The one LAPOR!-defined figure Terang
publishes itself is ``follow_up_rate_lapor`` (:mod:`.declarations`, ``measures.LAPOR_SELESAI``
and ``measures.LAPOR_OPEN`` say which statuses count as *selesai* and *proses*).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class LaporRow:
    definitions: tuple[str, ...]
    lapor: object
    matches: object
    differs: object


ROWS = (
    LaporRow(("received.v1",), _l("Laporan diterima (terdisposisi ke instansi)"),
             _l("Laporan yang belum diverifikasi atau diarsipkan sebelum diteruskan tidak dihitung."),
             _l("Terang menghitung laporan pada instansi penanggung jawab terakhir (laporan yang dialihkan "
                "tidak dihitung dua kali) dan menurut bulan pengiriman dalam waktu Jakarta.")),
    LaporRow(("followed_up.v3", "follow_up_rate.v3"), _l("Persentase tindak lanjut: (selesai + proses) ÷ diterima"),
             _l("Penyebut yang sama (laporan diterima)."),
             _l("Terang menghitung langkah publik instansi itu sendiri sejak laporan terakhir kali tiba, "
                "bukan status sekarang: laporan yang sudah ditindaklanjuti lalu diarsipkan tetap dihitung; "
                "permintaan informasi oleh admin nasional bukan tindak lanjut.")),
    LaporRow(("follow_up_rate_lapor.v1",), _l("Persentase tindak lanjut: (selesai + proses) ÷ diterima"),
             _l("Dihitung seperti LAPOR!, menurut status sekarang. Selesai = diselesaikan atau selesai; "
                "proses = masih terbuka di instansi sesudah langkah instansi; laporan yang diteruskan "
                "tanpa langkah instansi = belum ditindaklanjuti."),
             _l("Tetap memakai laporan diterima Terang (instansi penanggung jawab terakhir, bulan pengiriman) "
                "sebagai penyebut.")),
    LaporRow(("resolved.v1", "completion_rate.v1"), _l("Persentase selesai: selesai ÷ diterima"),
             _l("Selesai = berstatus diselesaikan atau selesai (termasuk ditutup otomatis sesudah penyelesaian)."),
             _l("Laporan yang penyelesaiannya ditolak pelapor dan dibuka kembali tidak dihitung sampai "
                "diselesaikan lagi.")),
    LaporRow(("time_to_first_response.v3", "on_time_rate.v2"), _l("Batas tindak lanjut pertama (hari kerja)"),
             _l("Batas hari kerja yang sama untuk tindak lanjut pertama."),
             _l("Terang menambahkan median dan persentil ke-90 Kaplan–Meier (laporan terbuka tersensor) "
                "dan bagian yang tepat waktu; waktu menunggu pelapor tidak dihitung; jam dimulai lagi "
                "saat laporan dialihkan.")),
    LaporRow(("time_to_resolution.v3",), _l("Batas penyelesaian menurut klasifikasi (ringan, sedang, berat)"),
             _l("Klasifikasi dan batas hari kerja yang sama."),
             _l("Terang melaporkan median dan persentil ke-90 Kaplan–Meier sampai penyelesaian pertama, "
                "bukan hanya apakah batasnya terpenuhi.")),
    LaporRow(("resolved_within_window.v1",), _l("Batas penyelesaian menurut klasifikasi (ringan, sedang, berat)"),
             _l("Penyelesaian pertama oleh instansi, dalam hari kerja sejak laporan tiba."),
             _l("Jangka tetap yang sama untuk setiap laporan (batas kelas sedang), bukan batas kelasnya sendiri, "
                "agar angka bulan yang sudah dibekukan tidak bergeser.")),
    LaporRow(("transfers_out.v1", "dispute_rate.v3", "satisfaction.v1"), _l("Tidak dibandingkan"),
             _l("Tidak ada padanan yang dipakai di sini."),
             _l("Angka tambahan Terang (pengalihan keluar, penyelesaian ditolak pelapor, kepuasan "
                "pelapor); tidak dipakai untuk membandingkan dengan LAPOR!.")),
)
