from flask_babel import lazy_gettext as _l
from ...wtforms_i18n import TerangForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length


class LoginForm(TerangForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Masukkan e-mail Anda.")), Length(max=254)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Masukkan kata sandi.")),
                                                          Length(max=200)])
