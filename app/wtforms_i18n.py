"""WTForms' own messages in Indonesian.

WTForms ships catalogs for many languages but not for Indonesian, so a visitor who typed a date by
hand ("20/11/2026") would read "Not a valid date value." on an Indonesian page. This is the
Indonesian catalog for WTForms' message ids (``wtforms/locale/wtforms.pot``), used by every form
through :class:`TerangForm`. English pages keep WTForms' own English text.
"""
from __future__ import annotations

from flask import has_request_context
from flask_babel import get_locale
from flask_wtf import FlaskForm

INDONESIAN: dict[str, str] = {
    "Invalid field name '%s'.": "Nama kolom '%s' tidak valid.",
    "Field must be equal to %(other_name)s.": "Isian harus sama dengan %(other_name)s.",
    "Field must be at least %(min)d character long.": "Isian minimal %(min)d karakter.",
    "Field must be at least %(min)d characters long.": "Isian minimal %(min)d karakter.",
    "Field cannot be longer than %(max)d character.": "Isian paling banyak %(max)d karakter.",
    "Field cannot be longer than %(max)d characters.": "Isian paling banyak %(max)d karakter.",
    "Field must be exactly %(max)d character long.": "Isian harus tepat %(max)d karakter.",
    "Field must be exactly %(max)d characters long.": "Isian harus tepat %(max)d karakter.",
    "Field must be between %(min)d and %(max)d characters long.":
        "Isian antara %(min)d dan %(max)d karakter.",
    "Number must be at least %(min)s.": "Angka minimal %(min)s.",
    "Number must be at most %(max)s.": "Angka paling besar %(max)s.",
    "Number must be between %(min)s and %(max)s.": "Angka antara %(min)s dan %(max)s.",
    "This field is required.": "Kolom ini wajib diisi.",
    "Invalid input.": "Isian tidak valid.",
    "Invalid email address.": "Alamat e-mail tidak valid.",
    "Invalid IP address.": "Alamat IP tidak valid.",
    "Invalid Mac address.": "Alamat MAC tidak valid.",
    "Invalid URL.": "URL tidak valid.",
    "Invalid UUID.": "UUID tidak valid.",
    "Invalid value, must be one of: %(values)s.": "Nilai tidak valid, harus salah satu dari: %(values)s.",
    "Invalid value, can't be any of: %(values)s.": "Nilai tidak valid, tidak boleh: %(values)s.",
    "This field cannot be edited.": "Kolom ini tidak dapat diubah.",
    "This field is disabled and cannot have a value.": "Kolom ini nonaktif dan tidak boleh diisi.",
    "Invalid CSRF Token.": "Token keamanan formulir tidak valid. Muat ulang halaman lalu coba lagi.",
    "CSRF token missing.": "Token keamanan formulir tidak ada. Muat ulang halaman lalu coba lagi.",
    "CSRF failed.": "Pemeriksaan keamanan formulir gagal. Muat ulang halaman lalu coba lagi.",
    "CSRF token expired.": "Formulir sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.",
    "Invalid Choice: could not coerce.": "Pilihan tidak valid.",
    "Choices cannot be None.": "Pilihan tidak boleh kosong.",
    "Not a valid choice.": "Pilihan tidak valid. Pilih salah satu dari daftar.",
    "Invalid choice(s): one or more data inputs could not be coerced.":
        "Pilihan tidak valid: satu atau lebih isian tidak dapat dibaca.",
    "'%(value)s' is not a valid choice for this field.": "'%(value)s' bukan pilihan yang valid.",
    "'%(value)s' are not valid choices for this field.": "'%(value)s' bukan pilihan yang valid.",
    "Not a valid datetime value.": "Tanggal dan waktu tidak valid.",
    "Not a valid date value.":
        "Tanggal tidak valid. Tulis tahun-bulan-tanggal, misalnya 2026-08-17.",
    "Not a valid time value.": "Waktu tidak valid.",
    "Not a valid week value.": "Minggu tidak valid.",
    "Not a valid integer value.": "Bukan bilangan bulat yang valid.",
    "Not a valid decimal value.": "Bukan angka desimal yang valid.",
    "Not a valid float value.": "Bukan angka yang valid.",
}


class WTFormsTranslations:
    """The gettext interface WTForms asks of ``Meta.get_translations``."""

    def gettext(self, string: str) -> str:
        if has_request_context() and str(get_locale()) == "id":
            return INDONESIAN.get(string, string)
        return string

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


TRANSLATIONS = WTFormsTranslations()


class TerangForm(FlaskForm):
    """Every form of Terang: Flask-WTF's CSRF, and WTForms' own messages in the visitor's language."""

    class Meta:
        def get_translations(self, form):
            return TRANSLATIONS
