"""Static data for the demo: categories, agencies, names, and report texts.

Everything here is plain data (no database, no Flask), read by :mod:`app.services.demo`.
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
province; a key from :data:`REGENCY_UNITS` is that OPD of the kab/kota; ``prov:<key>`` an OPD
of the province (:data:`PROVINCE_UNITS`); ``n:<slug>`` a national agency.
"""
from __future__ import annotations

# --------------------------------------------------------------------------- categories
# (slug, name_id, name_en), in the manner of LAPOR!'s topic list.
CATEGORIES: tuple[tuple[str, str, str], ...] = (
    ("infrastruktur", "Infrastruktur", "Infrastructure"),
    ("kesehatan", "Kesehatan", "Health"),
    ("pendidikan", "Pendidikan", "Education"),
    ("administrasi-kependudukan", "Administrasi Kependudukan", "Civil registration"),
    ("perhubungan", "Perhubungan", "Transport"),
    ("lingkungan-hidup", "Lingkungan Hidup", "Environment"),
    ("sosial", "Sosial dan Bantuan Sosial", "Social welfare and assistance"),
    ("ketertiban-umum", "Ketertiban Umum", "Public order"),
    ("pelayanan-publik", "Pelayanan Publik", "Public service delivery"),
    ("pajak-retribusi", "Pajak dan Retribusi", "Taxes and levies"),
    ("ketenagakerjaan", "Ketenagakerjaan", "Employment"),
    ("pertanahan", "Pertanahan", "Land affairs"),
    ("listrik-energi", "Listrik dan Energi", "Electricity and energy"),
    ("air-bersih", "Air Bersih", "Clean water"),
    ("bencana", "Penanggulangan Bencana", "Disaster management"),
    ("korupsi-pungli", "Korupsi dan Pungutan Liar", "Corruption and illegal levies"),
    ("jaminan-sosial", "Jaminan Sosial (BPJS)", "Social security (BPJS)"),
    ("kepegawaian", "Kepegawaian dan ASN", "Civil service"),
    ("keagamaan", "Keagamaan", "Religious affairs"),
    ("pertanian-pangan", "Pertanian dan Pangan", "Agriculture and food"),
    ("perumahan", "Perumahan dan Permukiman", "Housing and settlements"),
    ("komunikasi-informatika", "Komunikasi dan Informatika", "Communications and digital services"),
    ("perlindungan-perempuan-anak", "Perlindungan Perempuan dan Anak",
     "Protection of women and children"),
    ("perdagangan", "Perdagangan dan Harga Kebutuhan Pokok", "Trade and staple prices"),
)

# How often a category is picked (LAPOR!'s busiest topics first).
CATEGORY_WEIGHTS: dict[str, float] = {
    "infrastruktur": 14, "kesehatan": 10, "administrasi-kependudukan": 9, "sosial": 9,
    "pendidikan": 8, "jaminan-sosial": 7, "perhubungan": 5, "lingkungan-hidup": 5,
    "ketertiban-umum": 4, "pelayanan-publik": 5, "pajak-retribusi": 3, "ketenagakerjaan": 4,
    "pertanahan": 4, "listrik-energi": 4, "air-bersih": 4, "bencana": 2, "korupsi-pungli": 3,
    "kepegawaian": 2, "keagamaan": 2, "pertanian-pangan": 3, "perumahan": 2,
    "komunikasi-informatika": 2, "perlindungan-perempuan-anak": 2, "perdagangan": 2,
}

# --------------------------------------------------------------------------- agencies
# National K/L: (slug, name, short_name, [(unit slug, unit name, unit short name), ...]).
# Ombudsman RI is oversight (the ``oversight`` role), not an agency reports are routed to.
NATIONAL_AGENCIES: tuple[tuple[str, str, str, tuple[tuple[str, str, str], ...]], ...] = (
    ("kemenkes", "Kementerian Kesehatan", "Kemenkes", ()),
    ("kemendikdasmen", "Kementerian Pendidikan Dasar dan Menengah", "Kemendikdasmen", ()),
    ("kemdiktisaintek", "Kementerian Pendidikan Tinggi, Sains, dan Teknologi",
     "Kemdiktisaintek", ()),
    ("kemenpu", "Kementerian Pekerjaan Umum", "Kementerian PU", (
        ("kemenpu-bina-marga", "Direktorat Jenderal Bina Marga", "Ditjen Bina Marga"),
        ("kemenpu-sda", "Direktorat Jenderal Sumber Daya Air", "Ditjen SDA"),
    )),
    ("kemendagri", "Kementerian Dalam Negeri", "Kemendagri", (
        ("kemendagri-dukcapil", "Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
         "Ditjen Dukcapil"),
    )),
    ("kemensos", "Kementerian Sosial", "Kemensos", ()),
    ("kemenhub", "Kementerian Perhubungan", "Kemenhub", (
        ("kemenhub-hubdat", "Direktorat Jenderal Perhubungan Darat", "Ditjen Hubdat"),
    )),
    ("kemenag", "Kementerian Agama", "Kemenag", (
        ("kemenag-phu", "Direktorat Jenderal Penyelenggaraan Haji dan Umrah", "Ditjen PHU"),
    )),
    ("kemenkeu", "Kementerian Keuangan", "Kemenkeu", (
        ("kemenkeu-djp", "Direktorat Jenderal Pajak", "DJP"),
        ("kemenkeu-djbc", "Direktorat Jenderal Bea dan Cukai", "DJBC"),
    )),
    ("kemnaker", "Kementerian Ketenagakerjaan", "Kemnaker", ()),
    ("atr-bpn", "Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional", "ATR/BPN", ()),
    ("klh", "Kementerian Lingkungan Hidup/Badan Pengendalian Lingkungan Hidup", "KLH/BPLH", ()),
    ("kemenhut", "Kementerian Kehutanan", "Kemenhut", ()),
    ("kementan", "Kementerian Pertanian", "Kementan", ()),
    ("kemendag", "Kementerian Perdagangan", "Kemendag", ()),
    ("kemenimipas", "Kementerian Imigrasi dan Pemasyarakatan", "Kemenimipas", (
        ("kemenimipas-imigrasi", "Direktorat Jenderal Imigrasi", "Ditjen Imigrasi"),
    )),
    ("kemenpanrb", "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
     "KemenPANRB", ()),
    ("komdigi", "Kementerian Komunikasi dan Digital", "Komdigi", ()),
    ("kesdm", "Kementerian Energi dan Sumber Daya Mineral", "ESDM", ()),
    ("kemenpkp", "Kementerian Perumahan dan Kawasan Permukiman", "Kementerian PKP", ()),
    ("kemendesa", "Kementerian Desa dan Pembangunan Daerah Tertinggal", "Kemendes PDT", ()),
    ("kemenpppa", "Kementerian Pemberdayaan Perempuan dan Perlindungan Anak", "KemenPPPA", ()),
    ("kemenp2mi", "Kementerian Pelindungan Pekerja Migran Indonesia", "KP2MI", ()),
    ("kemenbumn", "Kementerian Badan Usaha Milik Negara", "Kementerian BUMN", ()),
    ("bpjs-kesehatan", "BPJS Kesehatan", "BPJS Kesehatan", ()),
    ("bpjs-ketenagakerjaan", "BPJS Ketenagakerjaan", "BPJamsostek", ()),
    ("pln", "PT PLN (Persero)", "PLN", ()),
    ("pertamina", "PT Pertamina (Persero)", "Pertamina", ()),
    ("kai", "PT Kereta Api Indonesia (Persero)", "KAI", ()),
    ("posind", "PT Pos Indonesia (Persero)", "Pos Indonesia", ()),
    ("jasa-marga", "PT Jasa Marga (Persero) Tbk", "Jasa Marga", ()),
    ("polri", "Kepolisian Negara Republik Indonesia", "Polri", (
        ("polri-korlantas", "Korps Lalu Lintas Polri", "Korlantas"),
    )),
    ("bpom", "Badan Pengawas Obat dan Makanan", "BPOM", ()),
    ("bkn", "Badan Kepegawaian Negara", "BKN", ()),
    ("bnpb", "Badan Nasional Penanggulangan Bencana", "BNPB", ()),
    ("bps", "Badan Pusat Statistik", "BPS", ()),
    ("bmkg", "Badan Meteorologi, Klimatologi, dan Geofisika", "BMKG", ()),
    ("bgn", "Badan Gizi Nasional", "BGN", ()),
)

# OPD of every provincial government: (key, name prefix, short prefix). Slug is
# ``<key>-provinsi-<province>``, name ``<prefix> Provinsi <Province>``.
PROVINCE_UNITS: tuple[tuple[str, str, str], ...] = (
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("disdik", "Dinas Pendidikan", "Disdik"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR"),
    ("dishub", "Dinas Perhubungan", "Dishub"),
    ("dinsos", "Dinas Sosial", "Dinsos"),
    ("rsud", "Rumah Sakit Umum Daerah", "RSUD"),
    ("bapenda", "Badan Pendapatan Daerah", "Bapenda"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("disnaker", "Dinas Tenaga Kerja dan Transmigrasi", "Disnakertrans"),
)

# OPD of every kab/kota government. Slug ``<key>-kota-padang`` / ``<key>-kabupaten-lebak``.
REGENCY_UNITS: tuple[tuple[str, str, str], ...] = (
    ("dinkes", "Dinas Kesehatan", "Dinkes"),
    ("disdik", "Dinas Pendidikan", "Disdik"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas PUPR"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"),
    ("dishub", "Dinas Perhubungan", "Dishub"),
    ("rsud", "Rumah Sakit Umum Daerah", "RSUD"),
    ("dlh", "Dinas Lingkungan Hidup", "DLH"),
    ("satpolpp", "Satuan Polisi Pamong Praja", "Satpol PP"),
    ("dinsos", "Dinas Sosial", "Dinsos"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "BPBD"),
)

# In DKI Jakarta the kota/kabupaten are administrative: their offices are "suku dinas".
DKI_PROVINCE = "31"

# Population in millions per province (BPS projections, rounded); picks where reports come from.
PROVINCE_POPULATION: dict[str, float] = {
    "11": 5.5, "12": 15.4, "13": 5.8, "14": 6.7, "15": 3.7, "16": 8.8, "17": 2.1, "18": 9.4,
    "19": 1.5, "21": 2.2, "31": 10.7, "32": 50.3, "33": 37.9, "34": 3.7, "35": 41.8, "36": 12.4,
    "51": 4.4, "52": 5.6, "53": 5.6, "61": 5.6, "62": 2.8, "63": 4.2, "64": 4.0, "65": 0.7,
    "71": 2.7, "72": 3.1, "73": 9.4, "74": 2.8, "75": 1.2, "76": 1.5, "81": 1.9, "82": 1.3,
    "91": 1.0, "92": 0.6, "93": 0.5, "94": 1.4, "95": 1.4, "96": 0.6,
}

# --------------------------------------------------------------------------- demo accounts
# (email, name, role, agency slug or None). The password is the configured DEMO_PASSWORD.
DEMO_USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("admin@terang.test", "Rina Wulandari", "national_admin", None),
    ("ombudsman@terang.test", "Hendra Gunawan", "oversight", None),
    ("admin.padang@terang.test", "Yulia Chaniago", "agency_admin", "pemkot-padang"),
    ("petugas.dinkes.padang@terang.test", "Fadli Rahman", "officer", "dinkes-kota-padang"),
    ("admin.kemenkes@terang.test", "Dewi Kartikasari", "agency_admin", "kemenkes"),
    ("petugas.kemenkes@terang.test", "Agus Setiawan", "officer", "kemenkes"),
    ("admin.jabar@terang.test", "Asep Permana", "agency_admin", "pemprov-jawa-barat"),
    ("petugas.disdik.jabar@terang.test", "Neng Sulastri", "officer",
     "disdik-provinsi-jawa-barat"),
)

# The showcase report that the README tour opens on /lacak.
DEMO_TRACKING_CODE = "TRNG-DEM0-2026-0001"

# --------------------------------------------------------------------------- people and places
FIRST_NAMES = (
    "Budi", "Siti", "Agus", "Dewi", "Rudi", "Rina", "Andi", "Nur", "Ahmad", "Putri", "Wahyu",
    "Sri", "Eko", "Yuni", "Fajar", "Indah", "Hendra", "Ratna", "Rizky", "Ayu", "Dedi", "Lestari",
    "Made", "Ketut", "Nyoman", "Wayan", "Yohanes", "Maria", "Fransiskus", "Ruth", "Asep", "Cecep",
    "Euis", "Ujang", "Teuku", "Cut", "Muhammad", "Fitri", "Irfan", "Joko", "Bambang", "Marlina",
    "Syahrul", "Erwin", "Novi", "Yusuf", "Rahmat", "Dian", "Taufik", "Mega", "Arif", "Nurul",
    "Hadi", "Wulan", "Stefanus", "Theresia", "Ismail", "Zainal", "Rosmawati", "Gregorius",
    "Lukman", "Anisa", "Benny", "Yanti", "Samuel", "Nining", "Dimas", "Sari", "Ilham", "Tuti",
)
LAST_NAMES = (
    "Santoso", "Wulandari", "Hidayat", "Saputra", "Lubis", "Siregar", "Nasution", "Harahap",
    "Simanjuntak", "Sitompul", "Tanjung", "Chaniago", "Piliang", "Koto", "Sinaga", "Manurung",
    "Pratama", "Kusuma", "Setiawan", "Wijaya", "Gunawan", "Hasibuan", "Rahman", "Syahputra",
    "Sembiring", "Ginting", "Tarigan", "Tambunan", "Wibowo", "Nugroho", "Susanti", "Purnomo",
    "Rahayu", "Permana", "Firmansyah", "Hakim", "Arifin", "Utami", "Yulianti", "Mahendra",
    "Mandagi", "Matondang", "Tuanakotta", "Rumbiak", "Kogoya", "Pattiasina", "Daulay",
    "Panjaitan", "Marpaung", "Sihombing", "Kurniawan", "Hartono", "Suryadi", "Anggraini",
    "Maulana", "Ramadhan", "Safitri", "Handayani", "Sulistyo", "Parapat", "Bakri", "Latuconsina",
)
# Single-word names, common in Java.
MONONYMS = ("Sutrisno", "Suparmi", "Sumarni", "Paijo", "Mulyono", "Sukirman", "Tukiyem",
            "Suwarno", "Ngatini", "Sugiarto", "Samsudin", "Karsih")
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
# Indonesian mobile prefixes (after +62): Telkomsel, Indosat, XL, Tri, Smartfren.
MOBILE_PREFIXES = ("811", "812", "813", "821", "822", "823", "852", "853", "814", "815", "816",
                   "855", "856", "857", "858", "817", "818", "819", "859", "877", "878", "895",
                   "896", "897", "898", "881", "882", "887")

KELURAHAN = (
    "Sukamaju", "Sukajadi", "Mekarsari", "Karang Anyar", "Tanjung Harapan", "Sidomulyo",
    "Margajaya", "Suka Damai", "Bukit Indah", "Kampung Baru", "Tegal Rejo", "Air Tawar",
    "Pasar Baru", "Sumber Rejo", "Gunung Sari", "Pulo Gadung", "Sido Rukun", "Tanah Merah",
    "Batu Ampar", "Lubuk Buaya", "Rawa Bening", "Cempaka Putih", "Talang Banjar", "Jati Mulya",
    "Sungai Bambu", "Kebon Jeruk", "Taman Sari", "Padang Sari", "Mulyorejo", "Teluk Betung",
)
KECAMATAN = (
    "Kota Baru", "Tanjung Karang", "Koto Tangah", "Sukarame", "Pancoran Mas", "Cibeunying",
    "Lowokwaru", "Medan Baru", "Rappocini", "Banjarmasin Utara", "Sungai Kunjang", "Batu Aji",
    "Mergangsan", "Denpasar Selatan", "Sail", "Kemuning", "Sumbersari", "Tamalanrea",
)
STREETS = (
    "Jalan Sudirman", "Jalan Ahmad Yani", "Jalan Diponegoro", "Jalan Gatot Subroto",
    "Jalan Imam Bonjol", "Jalan Pahlawan", "Jalan Merdeka", "Jalan Veteran", "Jalan Hasanuddin",
    "Jalan Sisingamangaraja", "Jalan Teuku Umar", "Jalan Gajah Mada", "Jalan Pattimura",
    "Jalan Kartini", "Jalan Cut Nyak Dien", "Jalan Pemuda", "Jalan Raya Lintas Kabupaten",
    "Jalan Dr. Sutomo", "Jalan Juanda", "Jalan Sultan Agung", "Jalan Proklamasi",
)
DURATIONS = ("empat hari", "seminggu", "dua minggu", "tiga minggu", "lebih dari sebulan",
             "hampir dua bulan", "tiga bulan", "lima bulan")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")
WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")

# --------------------------------------------------------------------------- report templates
# Each: category, report type, agency target keys (the competent ones), resolution class,
# title variants, body (what happened, in order), and optional category-specific officer texts.
TEMPLATES: tuple[dict, ...] = (
    # ---- infrastruktur
    dict(category="infrastruktur", type="pengaduan", targets=("dpupr", "pemda"), cls="sedang",
         titles=("Jalan berlubang di {jalan}, {kelurahan} membahayakan pengendara",
                 "Lubang besar di {jalan} belum juga diperbaiki",
                 "Kerusakan jalan di Kelurahan {kelurahan} {wilayah}"),
         body="Pada {hari}, {tanggal} sekitar pukul {jam} seorang pengendara sepeda motor terjatuh "
              "karena lubang besar di {jalan}, Kelurahan {kelurahan}, {wilayah}. Lubang itu sudah "
              "ada {lama} dan makin lebar setiap kali hujan. Warga sudah menandainya dengan ban "
              "bekas dan ranting, tetapi pada malam hari lubang tidak terlihat karena lampu jalan "
              "di ruas tersebut juga mati. Kami mohon jalan segera ditambal sebelum ada korban lagi.",
         responses=("Terima kasih atas laporannya. Tim UPTD Jalan dan Jembatan {agency} telah "
                    "dijadwalkan meninjau ruas jalan yang dilaporkan dalam pekan ini.",),
         resolutions=("Penambalan lubang di ruas jalan yang dilaporkan telah selesai dikerjakan "
                      "pada {tanggal_aksi}. Perbaikan menyeluruh masuk usulan pemeliharaan berkala "
                      "tahun anggaran berikutnya.",)),
    dict(category="infrastruktur", type="pengaduan", targets=("prov:dpupr", "pemprov"), cls="berat",
         titles=("Jalan provinsi menuju {kota} rusak parah sepanjang beberapa kilometer",
                 "Ruas jalan provinsi di {kecamatan} tidak pernah diperbaiki"),
         body="Ruas jalan provinsi yang menghubungkan Kecamatan {kecamatan} dengan pusat {wilayah} "
              "rusak berat sejak {lama} lalu. Aspal terkelupas dan banyak lubang sedalam lutut orang "
              "dewasa. Pada {tanggal} sebuah truk pengangkut hasil kebun terperosok dan menutup "
              "jalan hampir lima jam. Anak sekolah dan pasien yang akan ke puskesmas harus memutar "
              "jauh. Mohon ruas ini dimasukkan dalam perbaikan tahun ini.",
         resolutions=("Ruas jalan telah masuk paket pekerjaan rekonstruksi. Penanganan darurat "
                      "berupa penimbunan dan penambalan lubang telah selesai pada {tanggal_aksi}.",)),
    dict(category="infrastruktur", type="pengaduan", targets=("dpupr", "pemda"), cls="sedang",
         titles=("Drainase tersumbat di {jalan} menyebabkan banjir setiap hujan",
                 "Saluran air di {kelurahan} mampet dan meluap ke rumah warga"),
         body="Setiap hujan deras, air dari saluran di sepanjang {jalan} meluap ke jalan dan masuk "
              "ke rumah warga di Kelurahan {kelurahan}. Pada {tanggal} air masuk setinggi betis ke "
              "sekitar {warga} rumah. Saluran penuh sedimen dan sampah, dan gorong-gorong di ujung "
              "jalan sudah tertutup tanah. Warga sudah bergotong royong membersihkan, tetapi alat "
              "berat diperlukan untuk mengangkat sedimen. Mohon saluran dinormalisasi."),
    dict(category="infrastruktur", type="aspirasi", targets=("dishub", "dpupr", "pemda"), cls="sedang",
         titles=("Usulan pemasangan lampu penerangan jalan di {jalan}",
                 "Mohon penambahan lampu jalan di Kelurahan {kelurahan}"),
         body="Kami warga Kelurahan {kelurahan} mengusulkan pemasangan lampu penerangan jalan umum "
              "di sepanjang {jalan}. Ruas ini ramai dilalui pekerja pabrik yang pulang larut malam, "
              "tetapi gelap total sepanjang kurang lebih satu kilometer. Bulan {bulan} terjadi dua "
              "kali penjambretan di ruas tersebut. Kami berharap usulan ini dapat masuk dalam "
              "rencana kerja tahun depan."),
    dict(category="infrastruktur", type="pengaduan", targets=("n:kemenpu-bina-marga", "n:kemenpu"),
         cls="berat",
         titles=("Jembatan di jalan nasional dekat {kota} retak dan bergoyang",
                 "Kondisi jembatan jalan nasional di {wilayah} mengkhawatirkan"),
         body="Jembatan di jalan nasional yang melintasi sungai di perbatasan {wilayah} terlihat "
              "retak pada bagian lantai dan bergoyang ketika dilewati truk. Pada {tanggal} kami "
              "melihat pagar pengaman di sisi kiri jembatan sudah patah dan belum diganti. Setiap "
              "hari ratusan kendaraan berat melintas di sana. Mohon jembatan segera diperiksa "
              "sebelum terjadi kecelakaan."),
    # ---- kesehatan
    dict(category="kesehatan", type="pengaduan", targets=("dinkes",), cls="ringan",
         titles=("Puskesmas {kelurahan} tutup pada jam layanan",
                 "Pelayanan Puskesmas {kelurahan} dimulai terlambat",
                 "Tidak ada dokter jaga di Puskesmas {kelurahan}"),
         body="Pada {hari}, {tanggal} saya membawa anak saya yang demam ke Puskesmas {kelurahan}, "
              "{wilayah}. Menurut papan informasi, layanan dibuka pukul 08.00, tetapi sampai pukul "
              "{jam} loket pendaftaran belum buka dan tidak ada petugas yang bisa ditanya. Setelah "
              "loket buka, kami diberi tahu dokter sedang rapat sehingga pasien hanya diperiksa "
              "perawat. Sudah ada sekitar tiga puluh pasien yang menunggu, termasuk lansia. Mohon "
              "jam layanan puskesmas ditertibkan.",
         responses=("Terima kasih atas laporan Anda. Kami telah meminta klarifikasi kepada Kepala "
                    "Puskesmas terkait jam layanan pada tanggal yang dilaporkan.",),
         resolutions=("Kepala Puskesmas telah diberi teguran tertulis. Jadwal piket dokter dan "
                      "jam buka loket kini dipasang di pintu masuk, dan pemantauan kehadiran "
                      "dilakukan setiap pagi oleh {agency}.",)),
    dict(category="kesehatan", type="pengaduan", targets=("rsud",), cls="sedang",
         titles=("Pasien BPJS diminta membeli obat sendiri di RSUD {kota}",
                 "Antrean rawat jalan RSUD {kota} lebih dari enam jam"),
         body="Ibu saya dirawat di RSUD {kota} sejak {tanggal} sebagai peserta BPJS Kesehatan kelas "
              "III. Pada hari ketiga keluarga diminta menebus sendiri dua jenis obat di apotek luar "
              "dengan alasan stok rumah sakit habis, dengan biaya {biaya_kecil}. Kuitansi tidak "
              "bisa diganti oleh rumah sakit. Kami tidak mendapat penjelasan tertulis. Mohon "
              "ketersediaan obat bagi pasien JKN di RSUD diperiksa."),
    dict(category="kesehatan", type="pengaduan", targets=("n:kemenkes", "dinkes"), cls="sedang",
         titles=("Stok vaksin imunisasi dasar kosong di {wilayah}",
                 "Imunisasi anak ditunda karena vaksin tidak tersedia"),
         body="Sejak {lama} lalu, jadwal imunisasi dasar di posyandu Kelurahan {kelurahan} selalu "
              "ditunda karena vaksin tidak tersedia. Pada {tanggal} kami kembali datang sesuai "
              "jadwal dan diminta pulang. Bidan desa menyampaikan bahwa distribusi dari kabupaten "
              "terlambat. Anak saya sudah terlambat dua bulan dari jadwal imunisasinya. Mohon "
              "kepastian kapan vaksin tersedia kembali."),
    dict(category="kesehatan", type="informasi", targets=("dinkes", "n:kemenkes"), cls="ringan",
         titles=("Syarat dan jadwal pemeriksaan kesehatan gratis di {wilayah}",
                 "Bagaimana cara mendaftar Cek Kesehatan Gratis?"),
         body="Saya ingin menanyakan program pemeriksaan kesehatan gratis yang diumumkan pemerintah. "
              "Apakah warga {wilayah} bisa mendaftar langsung ke puskesmas atau harus melalui "
              "aplikasi? Orang tua saya berusia di atas 60 tahun dan tidak memiliki ponsel pintar. "
              "Mohon informasi syarat, jadwal, dan puskesmas yang melayani.",
         resolutions=("Pemeriksaan kesehatan gratis dapat diikuti di semua puskesmas di {wilayah} "
                      "dengan membawa KTP-el. Pendaftaran dapat dilakukan langsung di loket "
                      "puskesmas tanpa aplikasi, setiap hari kerja pukul 08.00 sampai 12.00.",)),
    # ---- pendidikan
    dict(category="pendidikan", type="pengaduan", targets=("disdik",), cls="sedang",
         titles=("Pungutan uang seragam dan buku di SD Negeri {nomor} {kelurahan}",
                 "Sekolah negeri mewajibkan pembelian LKS"),
         body="Pada awal tahun ajaran, tepatnya {tanggal}, orang tua murid kelas I SD Negeri {nomor} "
              "{kelurahan}, {wilayah} diminta membayar {biaya_kecil} untuk seragam, buku LKS, dan "
              "sampul rapor. Pembayaran disebut wajib dan dikumpulkan melalui komite sekolah tanpa "
              "kuitansi. Setahu kami sekolah negeri tidak boleh memungut biaya seperti ini. Mohon "
              "dinas menertibkan pungutan tersebut.",
         resolutions=("Dinas telah memanggil kepala sekolah dan komite. Pungutan dihentikan, "
                      "pembelian seragam dan LKS dinyatakan tidak wajib, dan uang yang sudah "
                      "terkumpul dikembalikan kepada orang tua murid.",)),
    dict(category="pendidikan", type="pengaduan", targets=("prov:disdik", "pemprov"), cls="sedang",
         titles=("Sistem penerimaan murid baru SMA di {provinsi} bermasalah",
                 "Nilai zonasi anak saya tidak sesuai saat SPMB SMA"),
         body="Saya mendaftarkan anak saya ke SMA negeri terdekat melalui jalur domisili pada "
              "{tanggal}. Jarak rumah kami ke sekolah kurang dari satu kilometer, tetapi sistem "
              "mencatat jarak lebih dari lima kilometer sehingga anak saya tergeser. Saat kami "
              "datang ke sekolah, panitia menyarankan melapor ke dinas provinsi. Batas pengumuman "
              "tinggal beberapa hari lagi. Mohon titik koordinat kami diperiksa ulang."),
    dict(category="pendidikan", type="pengaduan", targets=("disdik", "n:kemendikdasmen"), cls="sedang",
         titles=("Dana PIP anak saya tidak pernah cair",
                 "Bantuan Program Indonesia Pintar belum diterima"),
         body="Anak saya tercatat sebagai penerima Program Indonesia Pintar sejak {bulan}, "
              "berdasarkan pengecekan di laman resmi. Namun sampai {tanggal} dana belum pernah "
              "kami terima. Pihak sekolah mengatakan rekening belum diaktivasi, sementara bank "
              "meminta surat keterangan dari sekolah. Kami sudah bolak-balik {lama}. Mohon bantuan "
              "agar dana dapat dicairkan."),
    dict(category="pendidikan", type="aspirasi", targets=("disdik", "pemda"), cls="berat",
         titles=("Mohon rehabilitasi ruang kelas SD Negeri {nomor} {kelurahan}",
                 "Atap ruang kelas sekolah dasar bocor dan nyaris roboh"),
         body="Dua ruang kelas di SD Negeri {nomor} {kelurahan}, {wilayah} sudah tidak layak "
              "dipakai. Atapnya bocor dan kayu kuda-kudanya lapuk. Sejak {lama} lalu murid kelas IV dan "
              "V belajar bergantian di perpustakaan. Pada {tanggal} sebagian plafon jatuh saat "
              "hujan, untung tidak ada murid di dalam. Kami mengusulkan agar sekolah ini "
              "diprioritaskan untuk rehabilitasi."),
    # ---- administrasi kependudukan
    dict(category="administrasi-kependudukan", type="pengaduan", targets=("disdukcapil",),
         cls="ringan",
         titles=("KTP-el belum jadi setelah {lama}",
                 "Blangko KTP-el habis di Disdukcapil {kota}",
                 "Perekaman KTP-el sudah lama, kartu belum dicetak"),
         body="Saya melakukan perekaman KTP-el di kantor Disdukcapil {wilayah}. Petugas meminta "
              "saya kembali dua minggu kemudian. Pada {tanggal} saya datang lagi dan diberi tahu "
              "blangko habis, lalu hanya diberi surat keterangan. Surat itu ditolak saat saya "
              "mengurus rekening bank dan lamaran kerja. Sudah {lama} saya menunggu tanpa "
              "kepastian. Mohon kejelasan kapan KTP-el saya dapat dicetak.",
         resolutions=("KTP-el pelapor telah dicetak pada {tanggal_aksi} dan dapat diambil di "
                      "loket pelayanan dengan membawa surat keterangan. Stok blangko kini "
                      "tersedia kembali.",)),
    dict(category="administrasi-kependudukan", type="pengaduan", targets=("disdukcapil",),
         cls="ringan",
         titles=("Calo di kantor Disdukcapil {kota} meminta uang pelicin",
                 "Pengurusan akta kelahiran dipersulit tanpa perantara"),
         body="Pada {tanggal} saya mengurus akta kelahiran anak di kantor Disdukcapil {wilayah}. "
              "Di halaman parkir ada orang yang menawarkan jasa agar akta selesai hari itu juga "
              "dengan biaya {biaya_kecil}. Saya menolak dan mengantre di loket, tetapi berkas saya "
              "dikembalikan dua kali dengan alasan yang berbeda-beda. Orang yang memakai jasa "
              "perantara tadi terlihat langsung dilayani. Mohon praktik ini ditertibkan."),
    dict(category="administrasi-kependudukan", type="informasi", targets=("disdukcapil",),
         cls="ringan",
         titles=("Syarat pindah domisili dari {provinsi} ke provinsi lain",
                 "Cara mengurus Kartu Identitas Anak (KIA)"),
         body="Saya ingin menanyakan prosedur dan syarat pindah domisili keluar {wilayah}. Apakah "
              "surat pindah sekarang bisa diurus secara daring, dan berapa lama prosesnya? Saya "
              "juga ingin tahu apakah Kartu Keluarga di daerah tujuan langsung diterbitkan. Mohon "
              "informasinya.",
         resolutions=("Surat pindah dapat diajukan secara daring melalui aplikasi Identitas "
                      "Kependudukan Digital atau langsung di loket dengan membawa KK dan KTP-el. "
                      "Prosesnya paling lama satu hari kerja setelah berkas lengkap, tanpa biaya.",)),
    dict(category="administrasi-kependudukan", type="pengaduan", targets=("disdukcapil",
                                                                          "n:kemendagri-dukcapil"),
         cls="sedang",
         titles=("Data NIK saya ganda sehingga tidak bisa mendaftar BPJS",
                 "NIK tercatat milik orang lain di sistem"),
         body="Saat mendaftar BPJS Kesehatan pada {tanggal}, petugas menyampaikan bahwa NIK saya "
              "sudah dipakai oleh orang lain dengan nama berbeda. Akibatnya saya tidak bisa "
              "didaftarkan dan pengobatan saya harus dibayar sendiri. Saya sudah melapor ke "
              "Disdukcapil {wilayah} {lama} lalu, tetapi dijawab harus menunggu perbaikan dari "
              "pusat. Mohon data saya segera dibereskan."),
    # ---- perhubungan
    dict(category="perhubungan", type="pengaduan", targets=("dishub",), cls="ringan",
         titles=("Juru parkir liar di depan pasar meminta tarif di atas ketentuan",
                 "Tarif parkir di {jalan} tidak sesuai perda"),
         body="Pada {tanggal} saya memarkir sepeda motor di depan Pasar {kelurahan}, {wilayah}. "
              "Juru parkir meminta Rp5.000, padahal tarif resmi menurut papan Dishub Rp2.000, dan "
              "tidak memberi karcis. Hal ini terjadi setiap hari dan juru parkir tidak memakai "
              "rompi resmi. Mohon penertiban juru parkir di lokasi tersebut."),
    dict(category="perhubungan", type="pengaduan", targets=("dishub", "n:kemenhub-hubdat"),
         cls="sedang",
         titles=("Lampu lalu lintas di simpang {jalan} mati",
                 "Traffic light simpang {kelurahan} tidak berfungsi"),
         body="Lampu lalu lintas di simpang {jalan} dan jalan menuju {kelurahan} mati sejak "
              "{tanggal}. Pada jam sibuk simpang itu macet total dan beberapa kali hampir terjadi "
              "tabrakan. Tidak ada petugas yang mengatur lalu lintas. Mohon lampu lalu lintas "
              "segera diperbaiki.",
         resolutions=("Kerusakan pada kontroler lampu lalu lintas telah diperbaiki dan lampu "
                      "berfungsi normal sejak {tanggal_aksi}.",)),
    dict(category="perhubungan", type="aspirasi", targets=("dishub", "pemda"), cls="sedang",
         titles=("Usulan halte dan trayek angkutan umum ke {kecamatan}",
                 "Mohon trayek angkot diperpanjang sampai {kelurahan}"),
         body="Warga Kelurahan {kelurahan} harus berjalan kaki hampir dua kilometer untuk mencapai "
              "angkutan umum terdekat. Banyak pelajar dan lansia yang terpaksa naik ojek dengan "
              "biaya {biaya_kecil} per minggu. Kami mengusulkan agar trayek angkutan kota "
              "diperpanjang sampai kelurahan kami dan dibangun halte di dekat pasar."),
    dict(category="perhubungan", type="pengaduan", targets=("n:kai",), cls="ringan",
         titles=("Pengembalian dana tiket kereta tidak kunjung masuk",
                 "Refund tiket KAI belum diterima"),
         body="Saya membatalkan tiket kereta jarak jauh pada {tanggal} melalui aplikasi resmi. "
              "Menurut ketentuan, dana dikembalikan paling lambat 30 hari, tetapi sudah {lama} "
              "belum masuk ke rekening saya. Layanan pelanggan hanya meminta saya menunggu. "
              "Jumlah yang seharusnya dikembalikan {biaya_kecil}."),
    # ---- lingkungan hidup
    dict(category="lingkungan-hidup", type="pengaduan", targets=("dlh",), cls="sedang",
         titles=("Sampah menumpuk di TPS {kelurahan} tidak diangkut",
                 "Tumpukan sampah di {jalan} sudah seminggu tidak diangkut"),
         body="Sampah di tempat pembuangan sementara di {jalan}, Kelurahan {kelurahan}, {wilayah} "
              "tidak diangkut sejak {tanggal}. Tumpukan sudah meluber ke badan jalan, berbau "
              "menyengat, dan dikerubungi lalat. Anak-anak melewati lokasi itu setiap hari untuk "
              "ke sekolah. Kami sudah menghubungi kelurahan, tetapi belum ada tindakan. Mohon "
              "jadwal pengangkutan sampah dipulihkan.",
         responses=("Armada pengangkut sampah untuk wilayah tersebut telah dijadwalkan ulang. "
                    "Kami juga memeriksa penyebab keterlambatan pengangkutan.",),
         resolutions=("Sampah di TPS telah diangkut seluruhnya pada {tanggal_aksi} dan jadwal "
                      "pengangkutan ditetapkan kembali dua hari sekali.",)),
    dict(category="lingkungan-hidup", type="pengaduan", targets=("dlh", "n:klh"), cls="berat",
         titles=("Limbah pabrik mencemari sungai di {kecamatan}",
                 "Air sungai berubah warna dan ikan mati di {wilayah}"),
         body="Sejak {lama} lalu, air sungai yang melintasi Kecamatan {kecamatan}, {wilayah} berubah "
              "warna menjadi hitam kecokelatan dan berbau, terutama pada malam hari. Pada "
              "{tanggal} warga menemukan banyak ikan mati di tepi sungai. Warga menduga limbah "
              "berasal dari pabrik di hulu sungai yang membuang limbah lewat pipa tersembunyi. Air "
              "sungai masih dipakai warga untuk mandi dan mencuci. Mohon dilakukan uji sampel air "
              "dan pemeriksaan izin pembuangan limbah pabrik tersebut."),
    dict(category="lingkungan-hidup", type="pengaduan", targets=("dlh", "satpolpp"), cls="ringan",
         titles=("Pembakaran sampah di lahan kosong mengganggu pernapasan warga",
                 "Asap pembakaran sampah setiap malam di {kelurahan}"),
         body="Hampir setiap malam sejak {tanggal} ada pembakaran sampah di lahan kosong dekat "
              "permukiman Kelurahan {kelurahan}. Asapnya masuk ke rumah dan beberapa anak balita "
              "mengalami batuk. Kami sudah menegur, tetapi pembakaran terus berlangsung. Mohon "
              "tindakan dari instansi terkait."),
    # ---- sosial
    dict(category="sosial", type="pengaduan", targets=("dinsos", "n:kemensos"), cls="sedang",
         titles=("Bantuan PKH keluarga saya berhenti tanpa pemberitahuan",
                 "Nama saya hilang dari daftar penerima bansos"),
         body="Keluarga kami menerima Program Keluarga Harapan sejak beberapa tahun lalu. Pada "
              "penyaluran tahap terakhir, {tanggal}, bantuan tidak masuk ke rekening dan "
              "pendamping PKH mengatakan nama kami tidak ada lagi di data. Kondisi ekonomi kami "
              "tidak berubah; suami saya buruh harian dan kami punya tiga anak sekolah. Mohon "
              "penjelasan mengapa kami dikeluarkan dan bagaimana cara mengajukan kembali.",
         responses=("Data keluarga pelapor sedang kami periksa dalam Data Tunggal Sosial dan "
                    "Ekonomi Nasional (DTSEN). Pendamping sosial akan melakukan verifikasi "
                    "lapangan.",),
         resolutions=("Hasil verifikasi lapangan menunjukkan keluarga pelapor layak. Usulan "
                      "pengaktifan kembali telah diajukan dan akan berlaku pada penyaluran tahap "
                      "berikutnya.",)),
    dict(category="sosial", type="pengaduan", targets=("dinsos", "pemda"), cls="sedang",
         titles=("Bantuan sembako dipotong oleh oknum perangkat desa",
                 "Penerima BPNT diminta menyetor uang kepada pengurus"),
         body="Pada penyaluran bantuan pangan {tanggal} di balai Kelurahan {kelurahan}, {wilayah}, "
              "setiap penerima diminta menyerahkan {biaya_kecil} kepada pengurus dengan alasan "
              "biaya transportasi. Beras yang dibagikan juga kurang dari yang tertulis di kupon. "
              "Warga takut menolak karena diancam tidak akan didata lagi. Mohon penyaluran bantuan "
              "diawasi."),
    dict(category="sosial", type="aspirasi", targets=("dinsos", "pemda"), cls="sedang",
         titles=("Usulan penanganan lansia terlantar di {kelurahan}",
                 "Mohon bantuan untuk penyandang disabilitas yang hidup sendiri"),
         body="Di lingkungan kami, Kelurahan {kelurahan}, ada seorang lansia berusia lebih dari "
              "80 tahun yang hidup sendiri di rumah yang hampir roboh. Tetangga bergantian "
              "mengantar makanan sejak {lama} lalu. Kami mengusulkan agar beliau didata sebagai "
              "penerima bantuan dan mendapat kunjungan petugas sosial secara berkala."),
    # ---- ketertiban umum
    dict(category="ketertiban-umum", type="pengaduan", targets=("satpolpp",), cls="ringan",
         titles=("Pedagang kaki lima menutup trotoar di {jalan}",
                 "Trotoar di {jalan} dipakai untuk berjualan"),
         body="Sejak {lama} lalu, trotoar di sepanjang {jalan}, {wilayah} penuh dengan lapak pedagang "
              "kaki lima mulai pukul 15.00. Pejalan kaki, termasuk pengguna kursi roda, terpaksa "
              "berjalan di badan jalan yang ramai. Pada {tanggal} seorang pelajar hampir tertabrak "
              "karena itu. Kami tidak menolak pedagang berjualan, tetapi mohon ditata agar trotoar "
              "tetap bisa dilalui."),
    dict(category="ketertiban-umum", type="pengaduan", targets=("satpolpp", "pemda"), cls="ringan",
         titles=("Tempat hiburan malam beroperasi melewati jam izin",
                 "Suara musik keras sampai dini hari di {kelurahan}"),
         body="Sebuah kafe di dekat permukiman Kelurahan {kelurahan} memutar musik keras sampai "
              "pukul 03.00 hampir setiap malam sejak {tanggal}. Warga sudah dua kali menegur "
              "pengelola bersama ketua RT, tetapi tidak diindahkan. Banyak warga yang bekerja pagi "
              "dan anak-anak sekolah terganggu tidurnya. Mohon izin dan jam operasionalnya "
              "diperiksa."),
    # ---- pelayanan publik
    dict(category="pelayanan-publik", type="pengaduan", targets=("pemda",), cls="ringan",
         titles=("Pelayanan di kantor kelurahan {kelurahan} lambat dan tidak ramah",
                 "Surat pengantar dari kelurahan tidak dilayani sesuai jam kerja"),
         body="Pada {hari}, {tanggal} saya datang ke kantor Kelurahan {kelurahan} pukul {jam} untuk "
              "meminta surat keterangan domisili. Petugas baru datang satu jam kemudian, lalu "
              "mengatakan pejabat yang tanda tangan sedang keluar dan meminta saya kembali besok. "
              "Keesokan harinya hal yang sama terulang. Tidak ada informasi standar waktu "
              "pelayanan di kantor tersebut."),
    dict(category="pelayanan-publik", type="aspirasi", targets=("pemda", "disdukcapil"), cls="sedang",
         titles=("Usulan layanan administrasi pada hari Sabtu",
                 "Mohon pelayanan jemput bola untuk warga di daerah terpencil"),
         body="Banyak warga {wilayah} bekerja pada hari kerja dan sulit meninggalkan pekerjaan "
              "untuk mengurus dokumen. Kami mengusulkan agar pelayanan administrasi dibuka pada "
              "hari Sabtu setidaknya dua kali sebulan, atau ada layanan keliling ke kecamatan yang "
              "jauh seperti {kecamatan}."),
    dict(category="pelayanan-publik", type="pengaduan", targets=("n:posind",), cls="ringan",
         titles=("Paket dari kantor pos tidak sampai setelah {lama}",
                 "Kiriman pos tertahan tanpa kejelasan"),
         body="Saya mengirim paket melalui kantor pos pada {tanggal} dengan layanan kilat. Menurut "
              "pelacakan, paket berhenti di kantor pemrosesan {kota} dan tidak bergerak sejak itu. "
              "Petugas di loket tidak bisa memberi penjelasan. Isi paket adalah dokumen penting "
              "untuk pendaftaran kerja."),
    # ---- pajak & retribusi
    dict(category="pajak-retribusi", type="pengaduan", targets=("prov:bapenda",), cls="ringan",
         titles=("Denda pajak kendaraan tetap ditagih saat program pemutihan",
                 "Samsat menolak program penghapusan denda PKB"),
         body="Pemerintah {provinsi} mengumumkan program penghapusan denda pajak kendaraan "
              "bermotor sampai akhir bulan. Pada {tanggal} saya membayar pajak kendaraan di kantor "
              "Samsat, tetapi tetap dikenai denda {biaya_kecil}. Petugas mengatakan program belum "
              "berlaku di kantor tersebut. Mohon penjelasan dan pengembalian kelebihan bayar."),
    dict(category="pajak-retribusi", type="pengaduan", targets=("pemda",), cls="sedang",
         titles=("Tagihan PBB naik berlipat tanpa penjelasan",
                 "Kenaikan NJOP membuat PBB rumah saya naik lima kali lipat"),
         body="Surat tagihan Pajak Bumi dan Bangunan tahun ini untuk rumah saya di Kelurahan "
              "{kelurahan}, {wilayah} naik dari sekitar Rp200.000 menjadi {biaya_besar}. Tidak ada "
              "sosialisasi sebelumnya. Saat saya bertanya ke kantor kelurahan pada {tanggal}, saya "
              "diarahkan ke badan pendapatan tetapi di sana diminta mengajukan keberatan tertulis "
              "tanpa penjelasan dasar kenaikan. Mohon kejelasan."),
    dict(category="pajak-retribusi", type="informasi", targets=("n:kemenkeu-djp",), cls="ringan",
         titles=("Cara lapor SPT tahunan di Coretax untuk pekerja lepas",
                 "Pertanyaan aktivasi akun Coretax DJP"),
         body="Saya pekerja lepas dan baru pertama kali akan melaporkan SPT Tahunan. Saat mencoba "
              "aktivasi akun pada {tanggal}, kode verifikasi tidak pernah masuk ke e-mail saya. "
              "Apakah ada cara lain untuk aktivasi, dan dokumen apa saja yang perlu disiapkan?"),
    # ---- ketenagakerjaan
    dict(category="ketenagakerjaan", type="pengaduan", targets=("prov:disnaker",
                                                                "n:kemnaker"), cls="berat",
         titles=("Gaji karyawan dibayar di bawah UMK dan sering terlambat",
                 "Perusahaan tidak membayar THR karyawan"),
         body="Saya dan sekitar {warga} rekan bekerja di sebuah perusahaan di {wilayah}. Sejak "
              "{lama} lalu gaji kami dibayar di bawah upah minimum kabupaten/kota dan selalu terlambat "
              "lebih dari dua minggu. Menjelang hari raya, {tanggal}, perusahaan mengumumkan THR "
              "tidak dibayar tahun ini. Kami takut menyampaikan keberatan secara terbuka karena "
              "kontrak kami bisa tidak diperpanjang. Mohon dilakukan pemeriksaan oleh pengawas "
              "ketenagakerjaan."),
    dict(category="ketenagakerjaan", type="pengaduan", targets=("n:bpjs-ketenagakerjaan",),
         cls="sedang",
         titles=("Klaim JHT BPJS Ketenagakerjaan belum cair",
                 "Pencairan Jaminan Hari Tua ditolak berulang kali"),
         body="Saya berhenti bekerja dan mengajukan klaim Jaminan Hari Tua pada {tanggal} melalui "
              "aplikasi. Pengajuan ditolak dua kali dengan alasan data tidak sesuai, padahal data "
              "di KTP dan kartu peserta sama. Saya sudah datang ke kantor cabang {kota} dan "
              "diminta mengajukan ulang. Sudah {lama} dana belum cair."),
    # ---- pertanahan
    dict(category="pertanahan", type="pengaduan", targets=("n:atr-bpn",), cls="berat",
         titles=("Sertifikat PTSL tidak kunjung diterbitkan",
                 "Pengukuran tanah program PTSL sudah, sertifikat belum ada"),
         body="Tanah kami di Kelurahan {kelurahan}, {wilayah} sudah diukur dalam program Pendaftaran "
              "Tanah Sistematis Lengkap pada {bulan}. Waktu itu setiap pemohon diminta membayar "
              "{biaya_kecil} kepada panitia desa. Sampai {tanggal} sertifikat belum diterbitkan, "
              "sementara tetangga di desa sebelah sudah menerima. Mohon kejelasan status berkas "
              "kami dan dasar pungutan tersebut."),
    dict(category="pertanahan", type="informasi", targets=("n:atr-bpn",), cls="ringan",
         titles=("Prosedur balik nama sertifikat tanah warisan",
                 "Berapa biaya dan lama proses balik nama sertifikat?"),
         body="Orang tua saya meninggal dan meninggalkan sebidang tanah bersertifikat di "
              "{wilayah}. Kami ahli waris ingin membalik nama sertifikat tersebut. Dokumen apa saja "
              "yang diperlukan, berapa biaya resmi, dan berapa lama prosesnya di kantor "
              "pertanahan?"),
    # ---- listrik & energi
    dict(category="listrik-energi", type="pengaduan", targets=("n:pln",), cls="ringan",
         titles=("Listrik padam berulang kali di {kelurahan} tanpa pemberitahuan",
                 "Pemadaman listrik bergilir setiap malam di {wilayah}"),
         body="Sejak {tanggal}, listrik di Kelurahan {kelurahan}, {wilayah} padam hampir setiap "
              "malam selama dua sampai empat jam, tanpa jadwal atau pemberitahuan. Beberapa "
              "peralatan elektronik warga rusak karena tegangan naik turun saat listrik menyala "
              "kembali. Usaha kecil seperti penjual es dan penjahit sangat dirugikan. Mohon "
              "penjelasan dan perbaikan jaringan.",
         resolutions=("Gangguan disebabkan trafo distribusi yang kelebihan beban. Trafo telah "
                      "diganti dengan kapasitas lebih besar pada {tanggal_aksi}.",)),
    dict(category="listrik-energi", type="pengaduan", targets=("n:pertamina", "n:kesdm"),
         cls="ringan",
         titles=("Elpiji 3 kg langka dan dijual di atas HET",
                 "Pangkalan elpiji menjual tabung 3 kg Rp30.000"),
         body="Sejak {lama} lalu, elpiji 3 kg sulit didapat di Kelurahan {kelurahan}, {wilayah}. Pada "
              "{tanggal} pangkalan terdekat mengatakan stok habis, tetapi pengecer di sebelahnya "
              "menjual tabung yang sama dengan harga Rp30.000, jauh di atas harga eceran tertinggi. "
              "Warga harus antre dari pagi. Mohon distribusi ke pangkalan diawasi."),
    # ---- air bersih
    dict(category="air-bersih", type="pengaduan", targets=("pemda", "dpupr"), cls="sedang",
         titles=("Air PDAM tidak mengalir selama {lama}",
                 "Air PDAM keruh dan berbau di {kelurahan}"),
         body="Air PDAM di rumah kami di Kelurahan {kelurahan}, {wilayah} hanya mengalir tengah "
              "malam dengan debit sangat kecil sejak {tanggal}. Kadang air yang keluar keruh dan "
              "berbau. Tagihan bulanan tetap datang dengan jumlah biasa. Warga terpaksa membeli air "
              "jeriken seharga {biaya_kecil} per minggu. Mohon perbaikan layanan dan peninjauan "
              "tagihan."),
    dict(category="air-bersih", type="aspirasi", targets=("dpupr", "pemda"), cls="berat",
         titles=("Usulan pembangunan sarana air bersih di {kecamatan}",
                 "Desa kami belum terjangkau jaringan air bersih"),
         body="Sekitar {warga} kepala keluarga di Kecamatan {kecamatan}, {wilayah} masih bergantung "
              "pada sumur yang kering setiap kemarau. Pada musim kemarau lalu warga harus "
              "mengambil air dari sungai yang jaraknya dua kilometer. Kami mengusulkan pembangunan "
              "sumur bor atau perpanjangan jaringan air bersih ke wilayah kami."),
    # ---- bencana
    dict(category="bencana", type="pengaduan", targets=("bpbd", "n:bnpb"), cls="sedang",
         titles=("Korban banjir di {kelurahan} belum menerima bantuan",
                 "Bantuan logistik banjir tidak merata di {wilayah}"),
         body="Banjir merendam Kelurahan {kelurahan}, {wilayah} pada {tanggal}. Sekitar {warga} "
              "keluarga mengungsi ke masjid dan sekolah. Sampai tiga hari kemudian bantuan makanan "
              "dan air bersih baru datang sekali, sementara posko di kelurahan sebelah menerima "
              "setiap hari. Banyak balita dan lansia mulai sakit. Mohon penyaluran bantuan diatur "
              "merata."),
    dict(category="bencana", type="pengaduan", targets=("bpbd", "dpupr"), cls="berat",
         titles=("Tanggul sungai jebol belum diperbaiki setelah banjir",
                 "Longsor menutup akses jalan ke {kecamatan}"),
         body="Tanggul sungai di Kecamatan {kecamatan} jebol saat banjir {tanggal}. Sudah {lama} "
              "tanggul hanya ditutup karung pasir oleh warga. Jika hujan deras datang lagi, "
              "permukiman dan sawah di sekitarnya pasti terendam. Mohon perbaikan permanen "
              "segera dilakukan."),
    # ---- korupsi & pungli
    dict(category="korupsi-pungli", type="pengaduan", targets=("pemda", "disdukcapil", "dinsos"),
         cls="berat", anonymous_bias=True,
         titles=("Dugaan pungutan liar dalam pengurusan izin usaha",
                 "Oknum pegawai meminta uang untuk mempercepat berkas"),
         body="Pada {tanggal} saya mengurus perizinan usaha kecil di {wilayah}. Seorang oknum "
              "pegawai menyampaikan bahwa berkas saya akan lebih cepat diproses jika saya "
              "menyerahkan {biaya_besar}. Ketika saya menolak, berkas saya dinyatakan kurang "
              "lengkap tanpa penjelasan. Saya khawatir identitas saya diketahui, karena itu saya "
              "melapor secara anonim. Mohon hal ini diperiksa."),
    dict(category="korupsi-pungli", type="pengaduan", targets=("pemda", "n:kemendesa"),
         cls="berat", anonymous_bias=True,
         titles=("Dugaan penyelewengan dana desa untuk proyek jalan",
                 "Proyek jalan desa dikerjakan asal-asalan"),
         body="Proyek pengerasan jalan desa di Kecamatan {kecamatan}, {wilayah} yang dibiayai dana "
              "desa tahun ini hanya dikerjakan setengah panjang dari yang tertulis di papan "
              "proyek. Material yang dipakai tipis dan jalan sudah rusak kembali pada {tanggal}. "
              "Laporan pertanggungjawaban tidak pernah diumumkan kepada warga. Mohon dilakukan "
              "audit."),
    # ---- jaminan sosial
    dict(category="jaminan-sosial", type="pengaduan", targets=("n:bpjs-kesehatan",), cls="sedang",
         titles=("Kepesertaan BPJS PBI saya dinonaktifkan tiba-tiba",
                 "Kartu BPJS Kesehatan tidak aktif saat akan berobat"),
         body="Pada {tanggal} saya hendak berobat ke puskesmas, tetapi kartu BPJS Kesehatan saya "
              "sebagai peserta PBI dinyatakan tidak aktif. Saya tidak pernah menerima "
              "pemberitahuan. Akibatnya saya harus membayar {biaya_kecil} sebagai pasien umum. "
              "Saya bekerja serabutan dan tidak mampu membayar iuran mandiri. Mohon kepesertaan "
              "saya diaktifkan kembali.",
         resolutions=("Kepesertaan pelapor telah diaktifkan kembali melalui usulan reaktivasi "
                      "PBI dari dinas sosial dan berlaku sejak {tanggal_aksi}.",)),
    dict(category="jaminan-sosial", type="informasi", targets=("n:bpjs-kesehatan",), cls="ringan",
         titles=("Cara pindah fasilitas kesehatan tingkat pertama BPJS",
                 "Bagaimana mengubah faskes BPJS setelah pindah rumah?"),
         body="Saya baru pindah ke {wilayah} dan ingin memindahkan faskes tingkat pertama BPJS "
              "Kesehatan ke puskesmas terdekat dari rumah baru. Apakah perubahan bisa dilakukan "
              "lewat aplikasi dan berapa lama sampai berlaku?"),
    # ---- kepegawaian
    dict(category="kepegawaian", type="pengaduan", targets=("n:bkn", "pemda"), cls="sedang",
         titles=("NIP PPPK belum terbit setelah pengumuman kelulusan",
                 "Gaji PPPK belum dibayar sejak pengangkatan"),
         body="Saya dinyatakan lulus seleksi PPPK di lingkungan pemerintah {wilayah}. Menurut "
              "jadwal, Nomor Induk PPPK seharusnya terbit bulan lalu, tetapi sampai {tanggal} "
              "belum ada kabar. Akibatnya saya belum bisa menandatangani kontrak dan belum "
              "menerima gaji. Mohon kejelasan status usulan NI PPPK saya."),
    dict(category="kepegawaian", type="pengaduan", targets=("pemda", "dinkes", "disdik"),
         cls="ringan",
         titles=("Pegawai kantor pelayanan sering tidak ada di tempat",
                 "ASN keluyuran pada jam kerja"),
         body="Beberapa kali saya datang ke kantor pelayanan di {wilayah} pada jam kerja, terakhir "
              "{tanggal} pukul {jam}, dan ruangan pelayanan kosong. Menurut satpam, pegawai sedang "
              "keluar makan. Kejadian ini terjadi berulang sejak {lama} lalu. Mohon disiplin pegawai "
              "ditegakkan."),
    # ---- keagamaan
    dict(category="keagamaan", type="pengaduan", targets=("n:kemenag-phu", "n:kemenag"),
         cls="sedang",
         titles=("Jadwal keberangkatan haji berubah tanpa informasi",
                 "Pengembalian setoran haji batal berangkat belum diterima"),
         body="Orang tua saya termasuk jemaah haji reguler asal {wilayah} yang dijadwalkan "
              "berangkat tahun ini. Pada {tanggal} kami mendapat kabar dari kelompok bimbingan "
              "bahwa jadwal berubah, tetapi kantor Kemenag setempat belum bisa memberi kepastian. "
              "Mohon informasi resmi agar jemaah lansia dapat bersiap."),
    dict(category="keagamaan", type="pengaduan", targets=("n:kemenag",), cls="ringan",
         titles=("Biaya nikah di KUA diminta melebihi ketentuan",
                 "Petugas KUA meminta biaya nikah di kantor"),
         body="Saya menikah di kantor KUA Kecamatan {kecamatan}, {wilayah} pada {tanggal}. Setahu "
              "saya nikah di kantor KUA pada jam kerja tidak dipungut biaya, tetapi kami diminta "
              "membayar {biaya_kecil} sebagai biaya administrasi tanpa kuitansi. Mohon praktik "
              "ini diperiksa."),
    # ---- pertanian & pangan
    dict(category="pertanian-pangan", type="pengaduan", targets=("n:kementan", "pemda"),
         cls="sedang",
         titles=("Pupuk bersubsidi langka saat musim tanam",
                 "Petani di {kecamatan} tidak mendapat jatah pupuk subsidi"),
         body="Memasuki musim tanam, petani di Kecamatan {kecamatan}, {wilayah} tidak bisa "
              "membeli pupuk bersubsidi di kios resmi. Pada {tanggal} kios mengatakan kuota "
              "kelompok tani kami sudah habis, padahal kami belum menebus sama sekali. Di tempat "
              "lain pupuk yang sama dijual jauh di atas harga eceran tertinggi. Mohon pendataan "
              "dan penyaluran pupuk subsidi diperiksa."),
    dict(category="pertanian-pangan", type="pengaduan", targets=("n:bgn", "dinkes"), cls="sedang",
         titles=("Menu makan bergizi gratis di sekolah basi",
                 "Siswa mual setelah menyantap makan bergizi gratis"),
         body="Pada {tanggal}, anak saya dan beberapa temannya di SD Negeri {nomor} {kelurahan}, "
              "{wilayah} mengeluh mual setelah menyantap makanan dari program makan bergizi "
              "gratis. Menurut anak-anak, lauknya berbau asam. Sekolah sudah melapor ke dapur "
              "penyedia, tetapi belum ada penjelasan. Mohon kualitas dan keamanan makanan "
              "diperiksa."),
    # ---- perumahan
    dict(category="perumahan", type="aspirasi", targets=("pemda", "n:kemenpkp"), cls="berat",
         titles=("Usulan bantuan bedah rumah tidak layak huni di {kelurahan}",
                 "Mohon program rumah tidak layak huni untuk warga miskin"),
         body="Di Kelurahan {kelurahan}, {wilayah} masih ada sekitar {warga} rumah berdinding "
              "papan lapuk dan berlantai tanah. Beberapa sudah diusulkan dalam musrenbang sejak "
              "{lama} lalu, tetapi belum pernah mendapat bantuan. Kami mengusulkan agar pendataan "
              "rumah tidak layak huni dilakukan ulang dan diumumkan terbuka."),
    dict(category="perumahan", type="pengaduan", targets=("n:kemenpkp", "pemda"), cls="sedang",
         titles=("Fasilitas umum perumahan subsidi tidak dibangun pengembang",
                 "Jalan dan drainase perumahan subsidi rusak, pengembang menghilang"),
         body="Kami penghuni perumahan bersubsidi di Kecamatan {kecamatan}, {wilayah}. Pengembang "
              "menjanjikan jalan lingkungan, drainase, dan taman, tetapi sampai {tanggal} jalan "
              "masih tanah dan becek saat hujan. Pengembang tidak bisa dihubungi sejak {lama} lalu. "
              "Mohon kejelasan apakah fasilitas ini bisa diserahkan dan diperbaiki pemerintah."),
    # ---- komunikasi & informatika
    dict(category="komunikasi-informatika", type="pengaduan", targets=("n:komdigi", "pemda"),
         cls="sedang",
         titles=("Sinyal seluler tidak ada di {kecamatan}",
                 "Desa kami tidak terjangkau internet untuk belajar daring"),
         body="Kecamatan {kecamatan}, {wilayah} sampai sekarang tidak terjangkau sinyal seluler "
              "yang stabil. Pelajar harus naik ke bukit untuk mengirim tugas dan ujian daring. "
              "Pada {tanggal} seorang siswa terjatuh di jalan setapak menuju bukit tersebut. "
              "Menara BTS yang dibangun dua tahun lalu tidak pernah menyala. Mohon diperiksa."),
    dict(category="komunikasi-informatika", type="pengaduan", targets=("n:komdigi",), cls="ringan",
         titles=("Penipuan lewat pesan singkat mengatasnamakan bansos",
                 "SMS penipuan hadiah mengatasnamakan pemerintah"),
         body="Pada {tanggal} banyak warga di {wilayah} menerima pesan singkat yang mengaku dari "
              "pemerintah dan meminta mengklik tautan untuk mencairkan bantuan. Beberapa tetangga "
              "saya kehilangan saldo rekening setelah mengisi data di tautan itu. Mohon situs "
              "tersebut diblokir dan masyarakat diberi peringatan."),
    # ---- perlindungan perempuan & anak
    dict(category="perlindungan-perempuan-anak", type="pengaduan",
         targets=("dinsos", "n:kemenpppa"), cls="berat", confidential_bias=True,
         titles=("Mohon pendampingan untuk anak korban perundungan",
                 "Tidak ada layanan pendampingan korban kekerasan di {wilayah}"),
         body="Keponakan saya yang masih duduk di bangku SMP mengalami perundungan berulang oleh "
              "teman sekelasnya sejak {lama} lalu dan sekarang tidak mau sekolah. Pada {tanggal} kami "
              "melapor ke sekolah, tetapi hanya diminta berdamai. Kami membutuhkan pendampingan "
              "psikologis dan tidak tahu harus ke mana di {wilayah}."),
    # ---- perdagangan
    dict(category="perdagangan", type="pengaduan", targets=("n:kemendag", "pemda"), cls="ringan",
         titles=("Harga minyak goreng curah di pasar di atas HET",
                 "Takaran beras kemasan SPHP tidak sesuai label"),
         body="Pada {tanggal} saya membeli minyak goreng rakyat di Pasar {kelurahan}, {wilayah} "
              "dengan harga jauh di atas harga eceran tertinggi. Hampir semua pedagang menjual "
              "dengan harga yang sama dan mengatakan harga dari distributor memang sudah naik. "
              "Mohon dilakukan pemantauan harga dan pasokan di pasar tersebut."),
    dict(category="perdagangan", type="informasi", targets=("n:bpom",), cls="ringan",
         titles=("Cara memeriksa izin edar produk pangan rumahan",
                 "Apakah produk kosmetik ini terdaftar di BPOM?"),
         body="Saya menemukan produk kosmetik yang dijual murah di pasar {kelurahan} dengan nomor "
              "izin edar yang tidak bisa saya temukan di situs resmi. Bagaimana cara memastikan "
              "produk tersebut aman dan terdaftar, dan ke mana melapor jika ternyata palsu?"),
)

# Where a report goes when the reporter picked the wrong agency (then transferred).
WRONG_TARGETS = ("pemda", "pemprov", "dinsos", "dpupr", "dinkes", "n:kemendagri",
                 "n:kemenpanrb", "prov:dpupr", "satpolpp")

# --------------------------------------------------------------------------- officer texts
ROUTE_TEXTS = (
    "Laporan Anda telah diverifikasi dan diteruskan kepada {agency} untuk ditindaklanjuti.",
    "Terima kasih. Laporan telah kami verifikasi dan disposisikan kepada {agency}.",
    "Laporan diteruskan kepada {agency} sebagai instansi yang berwenang.",
)
RESPOND_TEXTS = (
    "Terima kasih atas laporan Anda. Laporan telah kami terima dan sedang ditindaklanjuti oleh "
    "bidang terkait di {agency}.",
    "Laporan Anda sudah kami teruskan kepada unit pelaksana teknis. Kami akan menyampaikan "
    "perkembangan paling lambat dalam lima hari kerja.",
    "Kami telah melakukan koordinasi dengan petugas di lapangan dan menjadwalkan peninjauan "
    "lokasi pada {tanggal_aksi}.",
    "Terima kasih. Kami sedang memeriksa data dan dokumen terkait laporan Anda.",
)
FOLLOW_UP_TEXTS = (
    "Peninjauan lapangan sudah dilakukan. Hasilnya sedang kami bahas untuk menentukan langkah "
    "penanganan.",
    "Perkembangan: permasalahan telah dibahas dalam rapat koordinasi dan penanganan sedang "
    "berjalan.",
    "Kami masih menunggu konfirmasi dari pihak terkait. Perkembangan berikutnya akan kami "
    "sampaikan di sini.",
)
RESOLVE_TEXTS = (
    "Permasalahan yang Anda laporkan telah ditangani. Apabila masih ada kendala, Anda dapat "
    "menyampaikan tanggapan melalui halaman ini.",
    "Tindak lanjut telah selesai dilakukan pada {tanggal_aksi}. Terima kasih atas partisipasi "
    "Anda dalam pengawasan pelayanan publik.",
    "Kami telah menyelesaikan penanganan laporan ini dan memberikan pembinaan kepada petugas "
    "terkait.",
)
INFO_RESOLVE_TEXTS = (
    "Terima kasih atas pertanyaan Anda. Informasi lengkap mengenai persyaratan dan prosedurnya "
    "dapat diperoleh di loket pelayanan {agency} atau di laman resminya. Layanan ini tidak "
    "dipungut biaya.",
)
ASPIRATION_RESOLVE_TEXTS = (
    "Terima kasih atas usulan Anda. Usulan telah dicatat dan dimasukkan dalam pembahasan "
    "rencana kerja tahun anggaran berikutnya.",
    "Usulan Anda telah kami tinjau dan akan diprioritaskan sesuai ketersediaan anggaran.",
)
NOTE_TEXTS = (
    "Sudah dikoordinasikan dengan kepala bidang; menunggu hasil peninjauan lapangan.",
    "Perlu cek anggaran pemeliharaan sebelum menjawab kepastian waktu.",
    "Pelapor pernah menyampaikan hal serupa lewat telepon. Mohon diprioritaskan.",
    "Tim lapangan dijadwalkan minggu depan; jangan dijanjikan tanggal pasti dulu.",
    "Sudah diteruskan ke UPT terkait lewat nota dinas.",
)
ADMIN_REQUEST_INFO_TEXTS = (
    "Mohon lengkapi lokasi kejadian (nama jalan atau patokan terdekat) agar laporan dapat "
    "diteruskan ke instansi yang tepat.",
    "Mohon jelaskan kapan kejadian berlangsung dan instansi mana yang Anda datangi.",
)
AGENCY_REQUEST_INFO_TEXTS = (
    "Untuk menindaklanjuti laporan ini, mohon sampaikan nama puskesmas, sekolah, atau kantor "
    "yang dimaksud serta waktu kejadian yang lebih rinci.",
    "Mohon lampirkan foto lokasi atau dokumen pendukung agar tim kami dapat melakukan "
    "verifikasi.",
    "Mohon informasikan nomor registrasi atau tanda terima berkas Anda.",
)
REPORTER_REPLY_TEXTS = (
    "Lokasinya di dekat masjid raya, sekitar seratus meter dari simpang pasar.",
    "Kejadiannya pagi hari sekitar pukul delapan. Saya sudah melampirkan foto.",
    "Nomor tanda terima berkas ada pada lampiran foto yang saya kirim.",
    "Kantor yang saya datangi adalah kantor pelayanan di pusat kota, lantai dua.",
)
REPORTER_MESSAGE_TEXTS = (
    "Sampai hari ini kondisinya masih sama. Mohon segera ditindaklanjuti.",
    "Tambahan informasi: kejadian serupa terulang lagi kemarin.",
    "Terima kasih atas tanggapannya. Kami menunggu tindak lanjut di lapangan.",
)
TRANSFER_REASONS = (
    "Setelah kami telaah, permasalahan ini bukan kewenangan {agency}. Sesuai pembagian urusan "
    "pemerintahan, laporan kami alihkan kepada {tujuan}.",
    "Lokasi yang dilaporkan berada di luar wilayah kerja {agency}. Laporan dialihkan kepada "
    "{tujuan}.",
    "Objek yang dilaporkan merupakan aset yang dikelola {tujuan}, sehingga laporan kami "
    "alihkan.",
)
DISPUTE_REASONS = (
    "Belum ada perbaikan apa pun di lokasi. Foto terbaru saya lampirkan.",
    "Penyelesaian yang disampaikan tidak sesuai dengan keadaan sebenarnya.",
    "Masalah saya belum selesai; saya masih diminta datang kembali tanpa kepastian.",
    "Perbaikannya hanya sementara dan sudah rusak lagi.",
)
CONFIRM_TEXTS = (
    "Terima kasih, masalah sudah selesai.",
    "Sudah ditangani dengan baik. Terima kasih.",
    None,
)
RATING_COMMENTS = {
    5: ("Cepat dan jelas. Terima kasih.", "Petugas responsif dan masalah selesai.", None),
    4: ("Sudah selesai walaupun agak lama.", None),
    3: ("Selesai, tetapi harus menunggu lama.", None),
    2: ("Jawaban terlalu umum.", "Penanganan lambat."),
    1: ("Tidak ada perubahan di lapangan.", "Laporan ditutup padahal belum selesai."),
}
ARCHIVE_TEXTS: dict[str, tuple[str, ...]] = {
    "too_general": ("Laporan belum memuat informasi yang cukup (lokasi, waktu, dan instansi) "
                    "untuk dapat ditindaklanjuti. Silakan kirim laporan baru yang lebih rinci.",),
    "not_government_service": ("Laporan ini tidak berkaitan dengan penyelenggaraan pelayanan "
                               "publik oleh instansi pemerintah, sehingga tidak dapat kami "
                               "teruskan.",),
    "duplicate": ("Laporan ini sama dengan laporan {original} yang sedang ditindaklanjuti. "
                  "Perkembangan dapat diikuti pada laporan tersebut.",
                  "Laporan ini merupakan duplikat dari laporan lain yang telah diteruskan."),
    "spam": ("Laporan tidak berisi pengaduan, aspirasi, atau permintaan informasi.",),
    "incomplete": ("Informasi tambahan yang diminta tidak kami terima dalam batas waktu, "
                   "sehingga laporan diarsipkan. Anda dapat mengirim laporan baru.",),
    "outside_remit": ("Laporan ini merupakan perkara hukum yang sedang atau akan ditangani "
                      "aparat penegak hukum dan berada di luar ruang lingkup SP4N-LAPOR!. "
                      "Silakan melapor ke kepolisian atau kejaksaan setempat.",),
}
# Texts the archive-bound reports carry.
ARCHIVE_REPORTS: dict[str, tuple[tuple[str, str], ...]] = {
    "too_general": (("Pelayanan pemerintah buruk", "Pelayanan di kantor pemerintah sangat buruk "
                     "dan lambat. Mohon diperbaiki semuanya."),
                    ("Tolong diperhatikan", "Tolong pemerintah lebih memperhatikan rakyat kecil "
                     "seperti kami.")),
    "not_government_service": (("Tetangga parkir mobil di depan rumah saya", "Tetangga saya "
                                "selalu memarkir mobilnya di depan pagar rumah saya sehingga saya "
                                "sulit keluar. Sudah ditegur tetapi tidak berubah."),
                               ("Toko daring tidak mengirim barang", "Saya membeli ponsel di "
                                "toko daring pada {tanggal}, tetapi barang tidak dikirim dan "
                                "penjual tidak membalas pesan.")),
    "spam": (("Promo pinjaman cepat cair", "Pinjaman tanpa jaminan cair dalam lima menit, hubungi "
              "admin kami sekarang juga."),
             ("tes", "tes tes coba kirim laporan")),
    "outside_remit": (("Laporan penipuan jual beli tanah", "Saya ditipu oleh seseorang dalam jual "
                       "beli tanah pada {tanggal} dan mengalami kerugian {biaya_besar}. Pelaku "
                       "sekarang tidak bisa dihubungi. Saya minta pelaku ditangkap."),
                      ("Sengketa warisan keluarga", "Saudara saya menguasai seluruh harta warisan "
                       "orang tua kami di {wilayah}. Mohon pemerintah memutuskan pembagian yang "
                       "adil.")),
}

# --------------------------------------------------------------------------- the showcase report
SHOWCASE = dict(
    category="kesehatan",
    type="pengaduan",
    region_code="13.71",
    requested_agency="dinkes-kota-padang",
    title="Puskesmas Lubuk Buaya tutup pada jam layanan dan antrean lansia tidak dilayani",
    body="Pada hari Senin pagi saya mengantar ibu saya yang berusia 72 tahun untuk kontrol "
         "tekanan darah di Puskesmas Lubuk Buaya, Kota Padang. Kami tiba pukul 07.45, sesuai "
         "jadwal buka pukul 08.00 yang tertulis di papan informasi. Sampai pukul 09.15 loket "
         "pendaftaran masih tutup dan tidak ada petugas yang bisa ditanya. Setelah loket buka, "
         "pasien lansia tidak didahulukan dan ibu saya baru diperiksa menjelang pukul 11.30. "
         "Menurut pasien lain, keterlambatan seperti ini sering terjadi pada hari Senin. Kami "
         "mohon jam layanan ditertibkan dan antrean prioritas untuk lansia disediakan.",
    reporter_name="Rahmat Hidayat",
    resolution_class="sedang",
    note="Sudah dikonfirmasi ke Kepala Puskesmas: dua petugas loket izin tanpa pengganti pada "
         "hari itu. Jadwal piket akan direvisi.",
    responses=(
        "Terima kasih atas laporan Bapak. Kami telah meminta klarifikasi kepada Kepala Puskesmas "
        "Lubuk Buaya dan menjadwalkan kunjungan pengawasan ke puskesmas tersebut.",
        "Perkembangan: jadwal piket petugas loket telah direvisi sehingga loket buka pukul 07.30 "
        "setiap hari kerja. Mulai pekan depan disediakan loket dan kursi tunggu prioritas untuk "
        "lansia, ibu hamil, dan penyandang disabilitas. Kami akan memantau pelaksanaannya selama "
        "dua minggu sebelum menyatakan laporan ini selesai.",
    ),
    reporter_message="Terima kasih atas tanggapannya. Pada Senin berikutnya loket sudah buka "
                     "tepat waktu, tetapi belum ada antrean khusus lansia.",
)
