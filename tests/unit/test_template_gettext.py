"""The templates' translations (app/__init__.py, ``_install_template_gettext``) are looked up
once per locale, and follow the locale when it changes within a request: a language switch
followed by ``flask_babel.refresh()``, and ``flask_babel.force_locale()``."""
import flask_babel
from flask import render_template_string, session

TEMPLATE = '{{ _("Halaman tidak ditemukan") }}|{{ gettext("Halaman tidak ditemukan") }}'
INDONESIAN = "Halaman tidak ditemukan|Halaman tidak ditemukan"
ENGLISH = "Page not found|Page not found"
PLURAL = ('{{ ngettext("Terlalu banyak percobaan masuk yang gagal dari jaringan Anda. Coba lagi '
          'dalam %(num)s menit.", "Terlalu banyak percobaan masuk yang gagal dari jaringan Anda. '
          'Coba lagi dalam %(num)s menit.", 2) }}')


def test_a_language_switch_within_a_request_renders_the_new_language(app):
    with app.test_request_context("/"):
        assert render_template_string(TEMPLATE) == INDONESIAN
        session["lang"] = "en"
        assert render_template_string(TEMPLATE) == INDONESIAN  # Flask-Babel keeps its locale…
        flask_babel.refresh()  # …until told
        assert render_template_string(TEMPLATE) == ENGLISH
        assert render_template_string(PLURAL).endswith("Try again in 2 minutes.")
        session["lang"] = "id"
        flask_babel.refresh()
        assert render_template_string(TEMPLATE) == INDONESIAN


def test_force_locale_renders_the_forced_language_and_then_the_request_s_again(app):
    with app.test_request_context("/"):
        assert render_template_string(TEMPLATE) == INDONESIAN
        with flask_babel.force_locale("en"):
            assert render_template_string(TEMPLATE) == ENGLISH
            assert render_template_string(PLURAL).endswith("Try again in 2 minutes.")
        assert render_template_string(TEMPLATE) == INDONESIAN
    with app.test_request_context("/"):
        session["lang"] = "en"
        assert render_template_string(TEMPLATE) == ENGLISH
        with flask_babel.force_locale("id"):
            assert render_template_string(TEMPLATE) == INDONESIAN
        assert render_template_string(TEMPLATE) == ENGLISH


def test_outside_a_request_templates_speak_indonesian(app):
    with app.app_context():
        assert render_template_string(TEMPLATE) == INDONESIAN
        with flask_babel.force_locale("en"):
            assert render_template_string(TEMPLATE) == ENGLISH


def test_the_translations_are_kept_beside_flask_babel_s_locale(app):
    """The fast path reads Flask-Babel's per-request attributes (flask-babel is pinned): after
    an upgrade that renames them, this fails rather than every string silently costing more."""
    from flask import g

    with app.test_request_context("/"):
        render_template_string(TEMPLATE)
        render_template_string(TEMPLATE)
        kept = getattr(g._flask_babel, "terang_translations", None)
        assert kept is not None and kept[0] is flask_babel.get_locale()
        assert kept[1] is flask_babel.get_domain()
