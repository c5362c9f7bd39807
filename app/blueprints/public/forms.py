"""Forms of the reporter's pages. Field names are a contract (see README, "Form contract")."""
from flask_babel import lazy_gettext as _l
from ...wtforms_i18n import TerangForm
from wtforms import (BooleanField, DateField, EmailField, HiddenField, MultipleFileField,
                     RadioField, SelectField, StringField, TelField, TextAreaField)
from wtforms.validators import (AnyOf, DataRequired, Email, InputRequired, Length, Optional,
                                ValidationError)

from ...kept_select import KeptSelect
from ...labels import ESCALATION_GROUNDS_LABELS, RATING_LABELS
from ...models.report import REPORT_TYPES
from ...services.location import MAX_ADDRESS as _MAX_ADDRESS

# The codes and their order are models.report.REPORT_TYPES; only the explanations live here.
_REPORT_TYPE_EXPLAINED = {
    "pengaduan": _l("Pengaduan — ada masalah dengan layanan publik"),
    "aspirasi": _l("Aspirasi — saran atau usulan perbaikan"),
    "informasi": _l("Permintaan informasi — bertanya tentang layanan publik"),
}
REPORT_TYPE_CHOICES = [(code, _REPORT_TYPE_EXPLAINED[code]) for code in REPORT_TYPES]


class ReportForm(TerangForm):
    # One filling of the form: sent again, it gives the first receipt (intake.submit_form_once).
    submission_id = HiddenField(default=lambda: _new_submission_id())
    report_type = RadioField(_l("Jenis laporan"), choices=REPORT_TYPE_CHOICES,
                             validators=[InputRequired(_l("Pilih jenis laporan."))])
    title = StringField(_l("Judul laporan"), validators=[
        DataRequired(_l("Judul wajib diisi.")),
        Length(min=10, max=200, message=_l("Judul antara 10 dan 200 karakter."))])
    body = TextAreaField(_l("Isi laporan"), validators=[
        DataRequired(_l("Isi laporan wajib diisi.")),
        Length(min=30, max=20000,
               message=_l("Ceritakan minimal 30 karakter (paling banyak 20.000)."))])
    incident_date = DateField(_l("Tanggal kejadian"), format="%Y-%m-%d", validators=[
        InputRequired(_l("Tanggal kejadian wajib diisi."))])
    province = SelectField(_l("Provinsi"), validate_choice=False, widget=KeptSelect(),
                           validators=[Optional()])
    region = SelectField(_l("Kabupaten/kota"), validate_choice=False, widget=KeptSelect(),
                         validators=[DataRequired(_l("Pilih kabupaten/kota."))])
    # Where exactly, all optional (services/location.py): refined by htmx, or by the
    # "Tampilkan kecamatan dan kelurahan" button without JavaScript.
    district = SelectField(_l("Kecamatan"), validate_choice=False, widget=KeptSelect(),
                           validators=[Optional()])
    village = SelectField(_l("Kelurahan/desa"), validate_choice=False, widget=KeptSelect(),
                          validators=[Optional()])
    incident_address = TextAreaField(_l("Alamat atau patokan lokasi"), validators=[
        Optional(), Length(max=_MAX_ADDRESS,
                           message=_l("Alamat paling banyak %(n)s karakter.", n=_MAX_ADDRESS))])
    # Typed as text (a comma or a dot), checked by the service; the map fills them in.
    latitude = StringField(_l("Lintang (latitude)"), validators=[Optional(), Length(max=30)])
    longitude = StringField(_l("Bujur (longitude)"), validators=[Optional(), Length(max=30)])
    agency_q = StringField(_l("Cari instansi"), validators=[Optional(), Length(max=100)])
    agency = SelectField(_l("Instansi tujuan"), validate_choice=False, widget=KeptSelect(),
                         validators=[Optional()])
    category = SelectField(_l("Kategori"), validate_choice=False, widget=KeptSelect(),
                           validators=[Optional()])
    is_anonymous = BooleanField(_l("Anonim — sembunyikan identitas saya"))
    is_confidential = BooleanField(_l("Rahasia — jangan tampilkan laporan ini ke publik"))
    reporter_name = StringField(_l("Nama"), validators=[Optional(), Length(max=120)])
    reporter_email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254)])
    reporter_phone = TelField(_l("Nomor telepon"), validators=[Optional(), Length(max=25)])
    attachments = MultipleFileField(_l("Lampiran"))


class TrackForm(TerangForm):
    tracking_code = StringField(_l("Kode pelacakan"), validators=[
        DataRequired(_l("Masukkan kode pelacakan Anda.")), Length(max=40)])


class AddInformationForm(TerangForm):
    message = TextAreaField(_l("Informasi tambahan"), validators=[
        DataRequired(_l("Tulis informasi tambahan.")), Length(max=20000)])
    attachments = MultipleFileField(_l("Lampiran"))


class EmptyForm(TerangForm):
    """A form with only the CSRF field, for buttons that POST."""


# --- the reporter's answer to a resolution, rating and escalation (tracking page) ---------------

DECISIONS = ("ya", "belum")


class DecisionForm(TerangForm):
    """One question about the agency's resolution: solved (the report closes) or not (a reason,
    and the report goes back to the agency). The reason field is always in the page, for
    browsers without JavaScript; it is required only when the answer is "belum"."""

    decision = RadioField(_l("Apakah masalah Anda sudah selesai?"),
                          choices=[("ya", _l("Ya, masalah saya sudah selesai")),
                                   ("belum", _l("Belum, masalah saya belum selesai"))],
                          validate_choice=False, validators=[
                              InputRequired(_l("Pilih Ya atau Belum.")),
                              AnyOf(DECISIONS, message=_l("Pilih Ya atau Belum."))])
    reason = TextAreaField(_l("Apa yang belum selesai?"), validators=[
        Length(max=5000, message=_l("Alasan paling banyak 5.000 karakter."))])

    def validate_reason(self, field):
        if self.decision.data == "belum" and not (field.data or "").strip():
            raise ValidationError(_l("Tuliskan apa yang belum selesai."))


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RecoveryRequestForm(TerangForm):
    """Ask for a one-time link that replaces a lost tracking code."""

    reference = StringField(_l("Nomor laporan"), filters=[_strip], validators=[
        DataRequired(_l("Masukkan nomor laporan, misalnya LPR-2026-0001234.")), Length(max=24)])
    email = EmailField(_l("E-mail yang Anda tulis di laporan"), filters=[_strip], validators=[
        DataRequired(_l("Masukkan alamat e-mail yang Anda tulis di laporan.")), Length(max=254),
        Email(message=_l("Tulis alamat e-mail lengkap, misalnya nama@contoh.id."))])


class RedeemForm(TerangForm):
    """Use a one-time link: the token from the link's address, sent back in the POST body."""

    token = HiddenField(validators=[DataRequired(), Length(max=100)])


class RatingForm(TerangForm):
    # Values are the numbers 1–5; each option is labelled with its number and words.
    score = RadioField(_l("Nilai penanganan laporan"),
                       choices=[(str(n), label) for n, label in RATING_LABELS.items()],
                       validate_choice=False, validators=[
                           InputRequired(_l("Pilih nilai dari 1 sampai 5.")),
                           AnyOf([str(n) for n in RATING_LABELS],
                                 message=_l("Pilih nilai dari 1 sampai 5."))])
    comment = TextAreaField(_l("Komentar"), validators=[
        Optional(), Length(max=2000, message=_l("Komentar paling banyak 2.000 karakter."))])


class EscalationForm(TerangForm):
    grounds = RadioField(_l("Alasan eskalasi"), choices=list(ESCALATION_GROUNDS_LABELS.items()),
                         validate_choice=False, validators=[
                             InputRequired(_l("Pilih alasan eskalasi.")),
                             AnyOf(list(ESCALATION_GROUNDS_LABELS),
                                   message=_l("Pilih alasan eskalasi."))])
    details = TextAreaField(_l("Keterangan untuk pengawas"), validators=[
        Optional(), Length(max=5000, message=_l("Keterangan paling banyak 5.000 karakter."))])


class DossierForm(TerangForm):
    """Download an escalation's dossier (a POST, like the receipt, so it is never a bare link)."""

    escalation = HiddenField(validators=[DataRequired()])


class EraseContactForm(TerangForm):
    """The reporter takes back their name, e-mail and phone: one tick that says what is lost."""

    confirm = BooleanField(_l("Saya mengerti: data kontak dihapus untuk selamanya, dan saya tidak "
                              "lagi menerima e-mail tentang laporan ini."),
                           validators=[InputRequired(_l("Centang dulu bahwa Anda mengerti akibatnya."))])


def _new_submission_id() -> str:
    from ...services import intake

    return intake.new_submission_id()



class FollowForm(TerangForm):
    """Follow a public report by e-mail (services/following.py)."""

    email = EmailField(_l("Alamat e-mail Anda"), filters=[_strip], validators=[
        DataRequired(_l("Masukkan alamat e-mail, misalnya nama@contoh.id.")), Length(max=254),
        Email(message=_l("Alamat e-mail tidak valid. Tulis alamat lengkap, misalnya "
                         "nama@contoh.id."))])


class TokenForm(TerangForm):
    """A one-time link's page: the token from the link's address, sent back in the POST body."""

    token = HiddenField(validators=[DataRequired(), Length(max=100)])
