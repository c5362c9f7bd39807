"""Forms of the officer pages that use WTForms (the account pages)."""
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ...services import accounts
from ...wtforms_i18n import TerangForm


class NewAccountForm(TerangForm):
    """Create an account. Role and agency choices depend on the admin (set by the view); the
    service decides what is allowed, so the form checks only presence and length."""

    name = StringField(_l("Nama lengkap"), validators=[
        DataRequired(_l("Nama wajib diisi.")),
        Length(max=accounts.NAME_MAX_LENGTH,
               message=_l("Nama paling banyak %(num)s karakter.", num=accounts.NAME_MAX_LENGTH))])
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(_l("E-mail wajib diisi.")), Length(max=accounts.EMAIL_MAX_LENGTH)])
    role = SelectField(_l("Peran"), validate_choice=False,
                       validators=[DataRequired(_l("Pilih salah satu peran yang tersedia."))])
    agency_q = StringField(_l("Cari instansi"), validators=[Optional(), Length(max=100)])
    agency = SelectField(_l("Instansi"), validate_choice=False, validators=[Optional()])
    password = PasswordField(_l("Kata sandi awal"), validators=[Optional()])
