"""The axe check itself: it finds what it should, with and without JavaScript."""
from __future__ import annotations

import pytest

from tests.browser.axe import assert_no_axe_violations

pytestmark = pytest.mark.browser

BAD = """<!doctype html><html><head><title>x</title></head><body><main><h1>x</h1>
<p style="color:#bbb;background:#fff">pale text</p><input type="text"></main></body></html>"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_violation_of_any_impact_fails_with_a_readable_message(new_tab, javascript):
    page = new_tab(javascript=javascript)
    page.set_content(BAD)
    with pytest.raises(AssertionError) as failed:
        assert_no_axe_violations(page, "a bad page", javascript=javascript)
    message = str(failed.value)
    assert "color-contrast (serious)" in message and "label (critical)" in message
    assert "html-has-lang (serious)" in message and "pale text" in message
