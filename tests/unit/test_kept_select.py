"""The report form's selects render exactly what WTForms' Select renders, options kept per
choice list (app/kept_select.py)."""
import pytest
from markupsafe import Markup
from wtforms import Form, SelectField
from wtforms.widgets import Select

from app import kept_select
from app.kept_select import KeptSelect

FLAT = [("", "— Pilih —"), ("13", "Sumatera Barat"), ("31", "DKI <Jakarta> & \"sekitarnya\"")]
GROUPED = {"": [("", "— Pilih kabupaten/kota —")],
           "Sumatera Barat": [("13.71", "Kota Padang"), ("13.01", "Kab. 'Pesisir' Selatan")],
           "Aceh & co": [("11.71", "Kota Banda Aceh")]}


class Both(Form):
    kept = SelectField(validate_choice=False, widget=KeptSelect())
    plain = SelectField(validate_choice=False)


def _render(choices, data, **attrs):
    form = Both()
    for f in (form.kept, form.plain):
        f.choices, f.data = choices, data
    kept = form.kept(**attrs)
    plain = str(Select()(form.plain, **attrs)).replace('id="plain" name="plain"',
                                                       'id="kept" name="kept"')
    return kept, plain


@pytest.fixture(autouse=True)
def _empty_cache():
    kept_select.clear()
    yield
    kept_select.clear()


@pytest.mark.parametrize("choices", [FLAT, GROUPED, [], {}])
@pytest.mark.parametrize("data", [None, "", "13", "13.01", "11.71", "99"])
def test_the_same_html_as_wtforms_chosen_or_not(choices, data):
    for _ in range(2):  # rendered, then from the cache
        kept, plain = _render(choices, data, required=True, **{"aria-describedby": "x-hint"})
        assert str(kept) == plain and isinstance(kept, Markup)


def test_a_changed_list_is_another_list():
    """Keyed by the choices themselves: a renamed option (a reference load) shows at once."""
    assert "Kota Padang" in _render(GROUPED, None)[0]
    renamed = {**GROUPED, "Sumatera Barat": [("13.71", "Kota Padang Baru"), ("13.01", "X")]}
    kept, plain = _render(renamed, "13.71")
    assert str(kept) == plain and "Kota Padang Baru" in kept


def test_what_the_cache_cannot_tell_apart_is_rendered_by_wtforms():
    """A label already Markup equals the plain string with the same text, but renders unescaped."""
    _render([("a", "<b>x</b>")], None)
    kept, plain = _render([("a", Markup("<b>x</b>"))], None)
    assert str(kept) == plain and "<b>x</b>" in kept
    kept, plain = _render([("a", "A", {"disabled": True})], None)
    assert str(kept) == plain
