"""What each figure means: the methodology's versioned definitions and its constants.

A definition whose meaning changes gets a new id (``followed_up.v1`` → ``followed_up.v2``) and
``METHODOLOGY_VERSION`` goes up; the old text moves to ``SUPERSEDED_DEFINITIONS`` so that the
ids a published snapshot names stay readable on /transparansi/metodologi. Figures name their
definition in :mod:`.declarations`.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .. import sla

METHODOLOGY_VERSION = "2026.3"
MIN_N = 10  # the small-number rule: no rate over fewer reports than this
# Durations are tracked day by day up to this many working days; longer ones share one bucket
# (MAX_TRACKED_DAYS + 1, shown as "more than 120"). Keeps the rollups the same size at any volume.
MAX_TRACKED_DAYS = 120


@dataclass(frozen=True)
class Definition:
    id: str
    title: object
    text: object


# Methodology 2026.3 (see SUPERSEDED_DEFINITIONS for what 2026.1 and 2026.2 said, and
# corrections.CORRECTIONS for why 2026.3 changed them). A definition whose
# meaning changes gets a new id and METHODOLOGY_VERSION goes up; published snapshots keep
# naming the ids and the version they were computed with.
DEFINITIONS = {d.id: d for d in (
    Definition("received.v1", _l("Laporan diterima"), _l(
        "Laporan yang saat ini menjadi tanggung jawab instansi (instansi penanggung jawab terakhir), "
        "dikelompokkan menurut bulan pengiriman. Laporan yang diarsipkan sebelum diteruskan tidak dihitung. "
        "Laporan rahasia dihitung, tetapi isinya tidak pernah ditampilkan.")),
    Definition("followed_up.v3", _l("Ditindaklanjuti"), _l(
        "Laporan diterima yang sudah mendapat paling sedikit satu langkah publik dari instansi sejak "
        "laporan terakhir kali tiba di instansi itu (diteruskan atau dialihkan ke sana): tanggapan, "
        "permintaan informasi, atau penyelesaian, oleh pejabat penghubung atau admin instansi, termasuk "
        "admin instansi induk yang menangani laporan unit di bawahnya. Permintaan informasi oleh admin "
        "nasional bukan tindak lanjut instansi. Langkah yang sama menghentikan tenggat tindak lanjut "
        "pertama."
        " Hanya langkah instansi itu sendiri yang dihitung: laporan yang diarsipkan atau ditutup oleh "
        "pihak lain (misalnya diarsipkan admin nasional sesudah tenggatnya lewat) atau dialihkan keluar "
        "tanpa langkah instansi tidak pernah dihitung sebagai tindak lanjut atau penyelesaian instansi; "
        "laporan itu tetap terlambat bila tenggatnya sudah lewat.")),
    Definition("follow_up_rate.v3", _l("Persentase tindak lanjut"), _l(
        "Ditindaklanjuti (followed_up.v3) dibagi laporan diterima.")),
    Definition("follow_up_rate_lapor.v1", _l("Tindak lanjut (definisi LAPOR!)"), _l(
        "Angka pembanding dengan pemantauan dan evaluasi SP4N-LAPOR!: (selesai + proses) dibagi laporan "
        "diterima (received.v1), menurut status laporan pada saat penghitungan. Selesai: laporan berstatus "
        "diselesaikan atau selesai (resolved, closed; termasuk yang ditutup otomatis sesudah "
        "penyelesaian). Proses: laporan yang masih terbuka di instansi (berstatus diteruskan, diproses, "
        "atau menunggu pelapor: routed, in_progress, on_hold) dan sudah mendapat paling sedikit satu "
        "langkah publik instansi sejak terakhir kali tiba (followed_up.v3). Tidak dihitung dalam pembilang, "
        "tetapi tetap dalam penyebut: laporan yang diteruskan tetapi belum mendapat langkah instansi "
        "(\"belum ditindaklanjuti\") dan laporan yang diarsipkan sesudah diteruskan. Bedanya dengan "
        "persentase tindak lanjut Terang (follow_up_rate.v3): laporan yang sudah ditindaklanjuti instansi "
        "lalu diarsipkan dihitung di sana, tetapi tidak di sini, karena LAPOR! menilai status sekarang, "
        "bukan langkah yang pernah diambil.")),
    Definition("resolved.v1", _l("Diselesaikan"), _l(
        "Laporan diterima yang berstatus diselesaikan atau selesai pada saat penghitungan. Laporan yang "
        "penyelesaiannya ditolak pelapor dan dibuka kembali tidak dihitung sampai diselesaikan lagi.")),
    Definition("completion_rate.v1", _l("Tingkat penyelesaian"), _l(
        "Diselesaikan dibagi laporan diterima.")),
    Definition("time_to_first_response.v3", _l("Waktu sampai tindak lanjut pertama"), _l(
        "Hari kerja dari hari laporan terakhir kali tiba di instansi sampai hari tindak lanjut pertamanya "
        "(followed_up.v3), tidak termasuk hari kerja saat laporan menunggu pelapor. Yang dihitung adalah hari "
        "kerja sesudah hari tiba sampai dengan hari tindak lanjut, sehingga tindak lanjut pada hari yang sama "
        "bernilai 0 hari kerja. Median dan persentil ke-90 dihitung dengan metode Kaplan–Meier: laporan yang "
        "belum ditindaklanjuti ikut dihitung sebagai pengamatan tersensor pada lamanya sejauh ini (laporan yang "
        "sudah ditutup atau diarsipkan oleh pihak lain tanpa tindak lanjut instansi: tersensor pada hari itu, "
        "bukan teramati), sehingga instansi yang mengabaikan laporan tidak "
        "tampak cepat. Median adalah hari pertama saat perkiraan bagian laporan yang belum ditindaklanjuti turun "
        "ke 50% atau kurang; persentil ke-90, ke 10% atau kurang. \"Belum tercapai\" berarti hari itu belum "
        "ada. Lama lebih dari 120 hari kerja dicatat sebagai \"lebih dari 120 hari kerja\".")),
    Definition("time_to_resolution.v3", _l("Waktu sampai penyelesaian"), _l(
        "Hari kerja dari hari laporan terakhir kali tiba di instansi sampai penyelesaian pertama oleh instansi "
        "itu sesudahnya (termasuk oleh admin instansi induk), dihitung seperti waktu tindak lanjut "
        "(Kaplan–Meier, laporan terbuka tersensor, batas 120 hari kerja). Bila pelapor menolak penyelesaian, "
        "ukuran ini tetap berhenti pada penyelesaian pertama; pekerjaan yang dibuka kembali mendapat tenggat "
        "penyelesaiannya sendiri (lihat dispute_rate.v3) yang tidak mengubah angka ini. Laporan yang diarsipkan "
        "atau dialihkan keluar tanpa penyelesaian instansi tersensor pada hari itu, bukan teramati sebagai "
        "penyelesaian.")),
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
    Definition("resolved_within_window.v1", _l("Diselesaikan dalam jangka tetap"), _l(
        "Di antara laporan diterima yang sudah diselesaikan instansi dalam %(n)s hari kerja sejak terakhir "
        "kali tiba, atau yang sudah lebih dari %(n)s hari kerja di instansi (tanpa hari menunggu pelapor), "
        "bagian yang penyelesaian pertamanya oleh instansi itu terjadi dalam %(n)s hari kerja (dihitung "
        "seperti waktu sampai penyelesaian, time_to_resolution.v3). Jangkanya tetap, apa pun klasifikasi "
        "laporan, sehingga bagian setiap laporan tidak berubah lagi sesudah jangkanya lewat: angka bulan "
        "yang sudah dibekukan tidak bergeser karena laporan terbukanya makin lama. Laporan yang diarsipkan "
        "atau dialihkan keluar sebelum jangkanya lewat tanpa penyelesaian tidak dihitung.",
        n=sla.RESOLUTION_DAYS["sedang"])),
    Definition("transfers_out.v1", _l("Dialihkan keluar"), _l(
        "Laporan yang dialihkan instansi ke instansi lain karena bukan wewenangnya. Dihitung pada instansi "
        "pengirim. Tingkat pengalihan = dialihkan keluar dibagi laporan yang pernah diteruskan ke instansi.")),
    Definition("dispute_rate.v3", _l("Penyelesaian ditolak"), _l(
        "Pembilang: laporan diterima yang penyelesaiannya ditolak pelapor sesudah laporan terakhir kali tiba "
        "di instansi. Penyebut: laporan diterima yang diselesaikan instansi itu paling sedikit satu kali sejak "
        "tiba, termasuk yang kemudian ditolak dan dibuka kembali; laporan yang diarsipkan tanpa "
        "penyelesaian instansi tidak termasuk. Setiap laporan dalam pembilang ada dalam "
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
    (Definition("followed_up.v2", _l("Ditindaklanjuti"), _l(
        "Laporan diterima yang sudah mendapat paling sedikit satu langkah publik dari instansi sejak "
        "laporan terakhir kali tiba di instansi itu (diteruskan atau dialihkan ke sana): tanggapan, "
        "permintaan informasi, atau penyelesaian, oleh pejabat penghubung atau admin instansi, termasuk "
        "admin instansi induk yang menangani laporan unit di bawahnya. Permintaan informasi oleh admin "
        "nasional bukan tindak lanjut instansi. Langkah yang sama menghentikan tenggat tindak lanjut "
        "pertama.")),
     "2026.2", "followed_up.v3"),
    (Definition("follow_up_rate.v2", _l("Persentase tindak lanjut"), _l(
        "Ditindaklanjuti (followed_up.v2) dibagi laporan diterima.")),
     "2026.2", "follow_up_rate.v3"),
    (Definition("time_to_first_response.v2", _l("Waktu sampai tindak lanjut pertama"), _l(
        "Hari kerja dari hari laporan terakhir kali tiba di instansi sampai hari tindak lanjut pertamanya "
        "(followed_up.v2), tidak termasuk hari kerja saat laporan menunggu pelapor. Yang dihitung adalah hari "
        "kerja sesudah hari tiba sampai dengan hari tindak lanjut, sehingga tindak lanjut pada hari yang sama "
        "bernilai 0 hari kerja. Median dan persentil ke-90 dihitung dengan metode Kaplan–Meier: laporan yang "
        "belum ditindaklanjuti ikut dihitung sebagai pengamatan tersensor pada lamanya sejauh ini (laporan yang "
        "sudah ditutup atau diarsipkan: sampai hari itu), sehingga instansi yang mengabaikan laporan tidak "
        "tampak cepat. Median adalah hari pertama saat perkiraan bagian laporan yang belum ditindaklanjuti turun "
        "ke 50% atau kurang; persentil ke-90, ke 10% atau kurang. \"Belum tercapai\" berarti hari itu belum "
        "ada. Lama lebih dari 120 hari kerja dicatat sebagai \"lebih dari 120 hari kerja\".")),
     "2026.2", "time_to_first_response.v3"),
    (Definition("time_to_resolution.v2", _l("Waktu sampai penyelesaian"), _l(
        "Hari kerja dari hari laporan terakhir kali tiba di instansi sampai penyelesaian pertama oleh instansi "
        "itu sesudahnya (termasuk oleh admin instansi induk), dihitung seperti waktu tindak lanjut "
        "(Kaplan–Meier, laporan terbuka tersensor, batas 120 hari kerja). Bila pelapor menolak penyelesaian, "
        "ukuran ini tetap berhenti pada penyelesaian pertama; pekerjaan yang dibuka kembali mendapat tenggat "
        "penyelesaiannya sendiri (lihat dispute_rate.v2) yang tidak mengubah angka ini.")),
     "2026.2", "time_to_resolution.v3"),
    (Definition("dispute_rate.v2", _l("Penyelesaian ditolak"), _l(
        "Pembilang: laporan diterima yang penyelesaiannya ditolak pelapor sesudah laporan terakhir kali tiba "
        "di instansi. Penyebut: laporan diterima yang diselesaikan instansi itu paling sedikit satu kali sejak "
        "tiba, termasuk yang kemudian ditolak dan dibuka kembali. Setiap laporan dalam pembilang ada dalam "
        "penyebut, sehingga angka ini tidak pernah lebih dari 100%%. Penolakan atas penyelesaian instansi "
        "sebelumnya (sebelum pengalihan) tidak dihitung. Laporan yang penyelesaiannya ditolak dibuka kembali "
        "dan mendapat tenggat penyelesaian baru sesuai klasifikasinya (ringan %(light)s, sedang %(medium)s, "
        "berat %(heavy)s hari kerja), dihitung sejak hari penolakan.", light=sla.RESOLUTION_DAYS["ringan"],
        medium=sla.RESOLUTION_DAYS["sedang"], heavy=sla.RESOLUTION_DAYS["berat"])),
     "2026.2", "dispute_rate.v3"),
)}
