from flask_babel import lazy_gettext as _l
from ...wtforms_i18n import TerangForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(TerangForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Masukkan e-mail Anda.")), Length(max=254)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Masukkan kata sandi.")),
                                                          Length(max=200)])


class ChangePasswordForm(TerangForm):
    """An officer changes their own password (the service checks the rules)."""

    current_password = PasswordField(_l("Kata sandi saat ini"), validators=[
        DataRequired(_l("Masukkan kata sandi Anda saat ini."))])
    new_password = PasswordField(_l("Kata sandi baru"), validators=[
        DataRequired(_l("Masukkan kata sandi baru."))])
    repeat_password = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        DataRequired(_l("Ulangi kata sandi baru."))])


class CodeForm(TerangForm):
    """The second step of a sign-in: a code from the authenticator app, or a recovery code."""

    code = StringField(_l("Kode verifikasi"), validators=[
        DataRequired(_l("Masukkan kode dari aplikasi autentikator atau kode pemulihan.")),
        Length(max=40)])


class EnrolForm(TerangForm):
    """The first code of a new authenticator, which confirms it."""

    code = StringField(_l("Kode 6 angka dari aplikasi"), validators=[
        DataRequired(_l("Masukkan 6 angka yang tampil di aplikasi autentikator.")),
        Length(max=40)])


class RemoveFactorForm(TerangForm):
    """An officer removes their own second factor (password and a code asked)."""

    current_password = PasswordField(_l("Kata sandi saat ini"), validators=[
        DataRequired(_l("Masukkan kata sandi Anda saat ini."))])
    code = StringField(_l("Kode verifikasi"), validators=[
        DataRequired(_l("Masukkan kode dari aplikasi autentikator atau kode pemulihan.")),
        Length(max=40)])
