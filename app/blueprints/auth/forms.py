from flask_babel import lazy_gettext as _l
from ...wtforms_i18n import TerangForm
from wtforms import EmailField, PasswordField
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
