"""The reporter's secret tracking code: long enough, easy to read back, stored only as a keyed hash."""
import math
import re

import pytest
from flask import current_app

from app.extensions import db
from app.models import Report
from app.services import tracking_codes
from app.services.tracking_codes import (ALPHABET, CODE_LENGTH, format_code, generate_code, hash_code,
                                         normalise_code)
from tests import factories

GROUPED = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


class TestGeneratedCodes:
    def test_at_least_80_bits(self):
        assert len(set(ALPHABET)) == 32
        assert CODE_LENGTH == 16
        assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 80

    @pytest.mark.parametrize("attempt", range(25))
    def test_grouped_four_by_four_in_crockford_base32(self, attempt):
        code = generate_code()
        assert GROUPED.match(code), code
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        # Letters a reader could confuse are never printed.
        assert not set(code) & set("ILOU")

    def test_codes_do_not_repeat(self):
        codes = {generate_code() for _ in range(2000)}
        assert len(codes) == 2000

    def test_never_all_digits_so_it_cannot_look_like_a_nik(self, monkeypatch):
        """Even when the random source yields only digits at first, a code with a letter comes out."""
        draws = iter("1234567890123456" + "9876543210987654" + "K7QM2XPA9TRDWB4N")
        monkeypatch.setattr(tracking_codes.secrets, "choice", lambda _alphabet: next(draws))
        assert generate_code() == "K7QM-2XPA-9TRD-WB4N"

    @pytest.mark.parametrize("attempt", range(10))
    def test_a_generated_code_normalises_to_its_own_symbols(self, attempt):
        code = generate_code()
        assert normalise_code(code) == code.replace("-", "")

    def test_format_code_groups_by_four(self):
        assert format_code("K7QM2XPA9TRDWB4N") == "K7QM-2XPA-9TRD-WB4N"


class TestNormalise:
    CANONICAL = "K7QM2XPA9TRDWB4N"

    @pytest.mark.parametrize("typed", [
        "K7QM-2XPA-9TRD-WB4N",
        "k7qm-2xpa-9trd-wb4n",
        "K7QM2XPA9TRDWB4N",
        "k7qm 2xpa 9trd wb4n",
        "  K7QM - 2XPA - 9TRD - WB4N  ",
        "K7QM_2XPA.9TRD-WB4N",
        "K7Qm\t2XpA\n9tRd WB4n",
    ])
    def test_forgives_case_spaces_and_dashes(self, typed):
        assert normalise_code(typed) == self.CANONICAL

    @pytest.mark.parametrize("typed, expected", [
        ("OOOO-1111-AAAA-BBBB", "00001111AAAABBBB"),   # letter O read as zero
        ("oooo-1111-aaaa-bbbb", "00001111AAAABBBB"),
        ("IIII-1111-AAAA-BBBB", "11111111AAAABBBB"),   # I read as one
        ("LLLL-1111-AAAA-BBBB", "11111111AAAABBBB"),   # L read as one
        ("llll-iiii-AAAA-BBBB", "11111111AAAABBBB"),
        ("K7QM-2XPA-9TRD-WB4O", "K7QM2XPA9TRDWB40"),
    ])
    def test_forgives_the_usual_confusions(self, typed, expected):
        assert normalise_code(typed) == expected

    @pytest.mark.parametrize("typed", [
        "",
        None,
        "K7QM-2XPA-9TRD",              # too short
        "K7QM-2XPA-9TRD-WB4",          # one symbol missing
        "K7QM-2XPA-9TRD-WB4NX",        # one symbol too many
        "K7QM-2XPA-9TRD-WB4N-K7QM",
        "K7QM-2XPA-9TRD-WB4!",         # not a code symbol
        "K7QM-2XPA-9TRD-WB4É",
        "K7QM/2XPA/9TRD/WB4N",
        "LPR-2026-0001234",            # the public reference is not a code
        "' OR 1=1 --",
    ])
    def test_rejects_wrong_length_or_characters(self, typed):
        assert normalise_code(typed) is None

    @pytest.mark.parametrize("typed", ["K7QM-2XPA-9TRD-WB4N", "k7qm 2xpa 9trd wb4n"])
    def test_the_same_code_typed_differently_hashes_the_same(self, typed):
        assert hash_code(normalise_code(typed), "s") == hash_code(self.CANONICAL, "s")


class TestHash:
    def test_keyed_a_different_secret_gives_a_different_hash(self):
        assert hash_code("K7QM2XPA9TRDWB4N", "secret-one") != hash_code("K7QM2XPA9TRDWB4N", "secret-two")

    def test_deterministic_for_the_same_secret(self):
        assert hash_code("K7QM2XPA9TRDWB4N", "secret-one") == hash_code("K7QM2XPA9TRDWB4N", "secret-one")

    def test_different_codes_give_different_hashes(self):
        assert hash_code("K7QM2XPA9TRDWB4N", "k") != hash_code("K7QM2XPA9TRDWB4P", "k")

    def test_hash_reveals_nothing_of_the_code(self):
        digest = hash_code("K7QM2XPA9TRDWB4N", "k")
        assert re.fullmatch(r"[0-9a-f]{64}", digest)
        assert "K7QM" not in digest.upper()

    def test_not_a_plain_sha256(self):
        import hashlib

        assert hash_code("K7QM2XPA9TRDWB4N", "k") != hashlib.sha256(b"K7QM2XPA9TRDWB4N").hexdigest()


class TestStorage:
    def test_reports_store_the_keyed_hash_not_the_code(self, db_session):
        receipt = factories.file_report()
        report = db.session.get(Report, receipt.report_id)
        normalised = normalise_code(receipt.tracking_code)
        assert report.tracking_hash == hash_code(normalised, current_app.config["SECRET_KEY"])
        assert report.tracking_hash != hash_code(normalised, "another-secret")

    def test_plain_code_appears_nowhere_in_the_database(self, db_session):
        receipt = factories.file_report(reporter_name="Budi", reporter_email="budi@example.com")
        code = receipt.tracking_code
        report = db.session.get(Report, receipt.report_id)
        # The row is really there, with its hash …
        assert report.tracking_hash and report.contact is not None and report.events
        # … but no column of any table holds the code, grouped or not (case-insensitive).
        assert factories.cells_containing(code, code.replace("-", "")) == []

    def test_a_report_can_be_found_again_only_with_its_code(self, db_session):
        from app.services import reporter

        receipt = factories.file_report()
        secret = current_app.config["SECRET_KEY"]
        assert reporter.find_by_code(receipt.tracking_code.lower(), secret).id == receipt.report_id
        assert reporter.find_by_code(receipt.tracking_code, "wrong-secret") is None
        assert reporter.find_by_code(generate_code(), secret) is None
        assert reporter.find_by_code("not a code", secret) is None
