"""axe-core on every page state the browser tests visit: zero violations, whatever their impact.

``vendor/axe.min.js`` is axe-core as published on npm (its licence beside it); only the tests
use it, the app never serves it. ``assert_no_axe_violations(page)`` injects it and runs every
rule axe has (WCAG 2.0-2.2 A and AA, axe's best practices, and rules axe leaves off by default
such as duplicate-id), all but the experimental and the AAA ones; any violation,
"minor" ones too, fails the test with the rule, the elements and what axe says is wrong.

A tab made by the fixtures in conftest.py is *audited*: before each action on it (goto, click,
fill, check, select, press, files...) and after each goto/reload, the page is checked if it is
a state not checked yet: a new document, or the same document after htmx or the page's script
changed it (a MutationObserver counts such changes). The last state is checked when the test
ends. So a page cannot slip by unchecked because a test forgot to call the helper.

Without JavaScript the page's timers do not run, and axe needs them: the tests give axe
promise-based timers in that tab (no page script runs there to notice).
"""
from __future__ import annotations

import functools
import os
import re
import weakref
from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

# Timers for a tab without JavaScript: page scripts do not run there, nor do its timers; the
# microtask queue still does, which is all axe needs.
_TIMERS_WITHOUT_JS = """() => {
  const later = (fn, ...args) => { Promise.resolve().then(() => fn(...args)); return 0; };
  window.setTimeout = (fn, _ms, ...args) => later(fn, ...args);
  window.clearTimeout = () => {};
  window.queueMicrotask = fn => later(fn);
  window.requestAnimationFrame = fn => later(fn, 0);
  window.requestIdleCallback = fn => later(fn, {timeRemaining: () => 50, didTimeout: false});
}"""

# Every rule axe has, the ones it leaves off by default too (duplicate-id, deprecated in axe 4 yet
# still worth holding), except the experimental ones and WCAG AAA (such as 7:1 contrast).
# TERANG_AXE_RULES=all runs those as well: a look further ahead, not the bar the suite holds.
_ALL_RULES = os.environ.get("TERANG_AXE_RULES", "") == "all"

_RUN = """async (everyRule) => {
  const wanted = r => everyRule || !r.tags.some(t => t === 'experimental' || /aaa/.test(t));
  const options = {resultTypes: ['violations'],
                   rules: Object.fromEntries(axe.getRules().map(r => [r.ruleId, {enabled: wanted(r)}]))};
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              why: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)})),
  }));
}"""

# Counts changes to the page made after it loaded (htmx swaps, the page's own script showing or
# hiding things); the tab's state is (document, count). Runs only where JavaScript does.
MUTATION_COUNTER = """(() => {
  window.__terangChanges = 0;
  const start = () => new MutationObserver(() => { window.__terangChanges += 1; })
    .observe(document.documentElement, {subtree: true, childList: true, attributes: true,
             attributeFilter: ['hidden', 'open', 'aria-invalid', 'aria-expanded', 'disabled']});
  if (document.documentElement) start(); else addEventListener('DOMContentLoaded', start);
})();"""

_STATE = "() => [performance.timeOrigin, window.__terangChanges || 0, location.href]"
_NAVIGATING = re.compile(r"context was destroyed|navigat|detached|Target closed", re.I)
_HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def format_violations(violations: list[dict], where: str) -> str:
    lines = [f"axe found {len(violations)} violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['url']}>")
        for node in v["nodes"][:6]:
            lines.append(f"    {node['target']}: {node['html']}")
            if node["why"]:
                lines.append(f"      {node['why']}")
        if len(v["nodes"]) > 6:
            lines.append(f"    … and {len(v['nodes']) - 6} more")
    return "\n".join(lines)


def axe_violations(page, javascript: bool | None = None) -> list[dict]:
    """Inject axe (once per document) and return its violations of the page as it is now."""
    if javascript is None:
        javascript = _javascript_of(page)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if not javascript:
            page.evaluate(_TIMERS_WITHOUT_JS)
        page.evaluate(AXE_SOURCE)
    return page.evaluate(_RUN, _ALL_RULES)


def assert_no_axe_violations(page, where: str | None = None, javascript: bool | None = None) -> None:
    """The page as it is now has no axe violation of any impact."""
    page.wait_for_load_state("load")
    violations = axe_violations(page, javascript)
    if violations:
        where = where or page.url
        lang = page.evaluate("() => document.documentElement.lang")
        raise AssertionError(format_violations(violations, f"{where} (lang={lang})"))


# --- auditing every state of a tab --------------------------------------------------------------

class Auditor:
    def __init__(self, javascript: bool):
        self.javascript = javascript
        self.seen: set = set()
        self.checked = 0
        self.busy = False

    def check(self, page) -> None:
        """Check the tab's state unless it was checked already."""
        if self.busy or page.is_closed():
            return
        from playwright.sync_api import Error

        self.busy = True
        try:
            for attempt in range(4):
                try:
                    self._check(page)
                    return
                except Error as exc:  # a navigation began meanwhile: check the new document
                    if attempt == 3 or not _NAVIGATING.search(str(exc)):
                        raise
        finally:
            self.busy = False

    def _check(self, page) -> None:
        page.wait_for_load_state("load")
        if not page.url.startswith("http"):  # the blank tab before the first goto
            return
        if self.javascript:
            page.wait_for_function(f"() => !document.querySelector('{_HTMX_BUSY}')")
        state = tuple(page.evaluate(_STATE))
        if state in self.seen:
            return
        assert_no_axe_violations(page, javascript=self.javascript)
        self.checked += 1
        # axe itself may touch the page; the state it leaves is the one checked
        self.seen.add(tuple(page.evaluate(_STATE)))
        self.seen.add(state)


_AUDITORS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def audit(context, javascript: bool) -> Auditor:
    """Check every page state of the tabs of ``context`` (see the module's docstring)."""
    if javascript:
        context.add_init_script(MUTATION_COUNTER)
    auditor = Auditor(javascript)
    _AUDITORS[context] = auditor
    return auditor


def auditor_of(page) -> Auditor | None:
    return _AUDITORS.get(page.context)


def _javascript_of(page) -> bool:
    auditor = auditor_of(page)
    return True if auditor is None else auditor.javascript


def _page_of(target):
    return target.page if hasattr(target, "page") and not callable(target.page) else target


_LOCATOR_ACTIONS = ("click", "dblclick", "tap", "check", "uncheck", "set_checked", "fill", "clear",
                    "type", "press", "press_sequentially", "select_option", "set_input_files",
                    "focus")
_PAGE_ACTIONS = ("click", "fill", "check", "select_option", "set_input_files", "press", "type")
_PAGE_NAVIGATIONS = ("goto", "reload", "go_back", "go_forward")


def _before(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        page = _page_of(self)
        auditor = auditor_of(page)
        if auditor is not None:
            auditor.check(page)
        return method(self, *args, **kwargs)
    wrapper.__terang_axe__ = True
    return wrapper


def _around(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        auditor = auditor_of(self)
        if auditor is not None:
            auditor.check(self)
        result = method(self, *args, **kwargs)
        if auditor is not None:
            auditor.check(self)
        return result
    wrapper.__terang_axe__ = True
    return wrapper


def install() -> None:
    """Wrap Playwright's actions so that audited tabs are checked before each (idempotent)."""
    from playwright.sync_api import Locator, Page

    for name in _LOCATOR_ACTIONS:
        method = getattr(Locator, name)
        if not getattr(method, "__terang_axe__", False):
            setattr(Locator, name, _before(method))
    for name in _PAGE_ACTIONS:
        method = getattr(Page, name)
        if not getattr(method, "__terang_axe__", False):
            setattr(Page, name, _before(method))
    for name in _PAGE_NAVIGATIONS:
        method = getattr(Page, name)
        if not getattr(method, "__terang_axe__", False):
            setattr(Page, name, _around(method))
