"""An agency admin manages officer accounts on a phone, without JavaScript, in a real Chromium."""
from __future__ import annotations

import re
import uuid

import pytest

from tests.browser import helpers as h

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

pytestmark = pytest.mark.browser

ONE_TIME = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}$")
def _agency_admin(live_server) -> str:
    """An agency admin of pemkot-padang in the live server's database; returns the e-mail."""
    from app.extensions import db
    from tests import factories

    email = f"admin-{uuid.uuid4().hex[:8]}@padang.test"
    with live_server.app.app_context():
        factories.make_user("agency_admin", "pemkot-padang", email=email, name="Andi Admin Padang")
        db.session.commit()
        db.session.remove()
    return email


def _sign_in(page, live_server, email: str, password: str,
             lands_on: str = "**/petugas/kotak-masuk") -> None:
    page.goto(live_server("/petugas/masuk"))
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_load_state("load")
    if "/petugas/masuk/kode" in page.url:  # an admin: the code of the authenticator app
        page.get_by_label("Kode verifikasi").fill(_code_for(live_server, email))
        page.get_by_role("button", name="Lanjutkan").click()
    page.wait_for_url(lands_on)


def _code_for(live_server, email: str) -> str:
    """A fresh code of the authenticator the factories gave ``email`` (the tests' phone)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User
    from tests import factories

    with live_server.app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        code = factories.totp_code(user)
        db.session.commit()
        db.session.remove()
    return code


def test_an_agency_admin_creates_an_officer_without_javascript(nojs_page, live_server, shots):
    from tests import factories

    page = nojs_page
    _sign_in(page, live_server, _agency_admin(live_server), factories.OFFICER_PASSWORD)
    page.get_by_role("link", name="Akun petugas").click()
    page.wait_for_url("**/petugas/pengguna")
    h.assert_fits_phone(page, "account list")
    shots(page, "account-list")
    page.get_by_role("link", name="Buat akun").click()
    h.assert_fits_phone(page, "new account form")
    assert page.evaluate(h.UNLABELLED_CONTROLS_JS) == []

    new_email = f"budi-{uuid.uuid4().hex[:8]}@dinkes-padang.test"
    page.get_by_label("Nama lengkap").fill("Budi Santoso")
    page.get_by_label("E-mail").fill(new_email)
    page.get_by_label("Instansi", exact=True).select_option(label="Dinas Kesehatan Kota Padang")
    page.get_by_label("Kata sandi awal").fill("pendek")
    page.get_by_role("button", name="Buat akun").click()

    # Refused: the error is linked to its field, and everything else is as typed.
    expect(page.locator(".error-summary")).to_contain_text("Kata sandi minimal 12 karakter.")
    expect(page.get_by_label("Kata sandi awal")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Nama lengkap")).to_have_value("Budi Santoso")
    expect(page.get_by_label("E-mail")).to_have_value(new_email)
    expect(page.get_by_label("Instansi", exact=True)).to_have_value("dinkes-kota-padang")
    h.assert_fits_phone(page, "new account form with errors")
    shots(page, "account-form-errors")
    page.locator(".error-summary a").click()
    assert page.evaluate("() => document.activeElement.id") == "password"

    # Left empty: a one-time password, shown once.
    page.get_by_label("Kata sandi awal").fill("")
    page.get_by_role("button", name="Buat akun").click()
    password = page.locator("#one-time-password").inner_text().strip()
    assert ONE_TIME.match(password)
    h.assert_fits_phone(page, "account page with its one-time password")
    shots(page, "account-created")
    page.reload()
    expect(page.locator("#one-time-password")).to_have_count(0)

    page.get_by_role("button", name="Keluar").click()
    # A password set by an admin must be changed first.
    _sign_in(page, live_server, new_email, password, lands_on="**/petugas/kata-sandi")
    h.assert_fits_phone(page, "change password first")
    page.get_by_label("Kata sandi saat ini").fill(password)
    page.locator("#new_password").fill("kopi tubruk di teras pagi")
    page.get_by_label("Ulangi kata sandi baru").fill("kopi tubruk di teras pagi")
    page.get_by_role("button", name="Ganti kata sandi").click()
    page.wait_for_url("**/petugas/kotak-masuk")


def test_a_new_admin_sets_up_the_second_factor_on_a_phone_without_javascript(nojs_page,
                                                                             live_server, shots):
    """The first sign-in of an admin leads to enrolment: a QR code drawn on the server, the key
    to type, a code to confirm, then the recovery codes; every control labelled, no sideways
    scrolling at 360 px."""
    import pyotp

    from app.extensions import db
    from tests import factories

    email = f"admin-baru-{uuid.uuid4().hex[:8]}@padang.test"
    with live_server.app.app_context():
        factories.make_user("agency_admin", "pemkot-padang", email=email, name="Sari Admin Baru",
                            second_factor=False)
        db.session.commit()
        db.session.remove()
    page = nojs_page
    _sign_in(page, live_server, email, factories.OFFICER_PASSWORD,
             lands_on="**/petugas/faktor-kedua/daftar")
    expect(page.locator("svg.qr-code")).to_be_visible()
    h.assert_fits_phone(page, "second factor enrolment")
    assert page.evaluate(h.UNLABELLED_CONTROLS_JS) == []
    shots(page, "second-factor-enrol")
    secret = "".join(page.locator("#totp-secret").inner_text().split())
    page.get_by_label("Kode 6 angka dari aplikasi").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Aktifkan verifikasi dua langkah").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    h.assert_fits_phone(page, "recovery codes")
    shots(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="Sudah saya simpan, lanjutkan").click()
    page.wait_for_url("**/petugas/kotak-masuk")
