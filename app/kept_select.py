"""A select widget whose ``<option>`` list is rendered once per process and reused.

WTForms' :class:`~wtforms.widgets.Select` builds every option through ``html_params`` and
``escape`` on every request: the report form's ~600 options (514 kab/kota, the provinces, the
agencies, the categories) were most of the CPU of ``GET /lapor``. The options of one choice
list are the same for every reader; only which one is ``selected`` differs. So each option is
rendered once, by WTForms' own ``render_option``, both plain and selected, and kept under the
choice list itself (its values and labels, the field's ``coerce``): a list that changes (a
``reference load``, another language, another search) is another key, so nothing can go stale
and no invalidation rule is needed. A request then only picks, per option, which of the two
strings to join.

Anything the cache could not tell apart (a label that is already ``Markup``, a value that is
not a string, per-option ``render_kw``) is rendered by WTForms as before.
"""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from markupsafe import Markup
from wtforms.widgets import Select, html_params

# Distinct choice lists kept: the big ones are one per language; the agency list varies with
# the chosen kab/kota and the search box, so the least recently used are dropped.
MAX_LISTS = 256

_KEPT: OrderedDict = OrderedDict()
_LOCK = Lock()


def _plain_pairs(choices):
    """``((value, label), …)`` when every choice is a plain ``(str, str)`` pair, else None."""
    pairs = []
    for choice in choices:
        if type(choice) not in (tuple, list) or len(choice) != 2:
            return None
        value, label = choice
        if type(value) is not str or type(label) is not str:
            return None
        pairs.append((value, label))
    return tuple(pairs)


def _choice_key(choices):
    """The choice list as a hashable key (groups as ``(label, pairs)``), or None."""
    if isinstance(choices, dict):
        groups = []
        for group, members in choices.items():
            if type(group) is not str:
                return None
            pairs = _plain_pairs(members or ())
            if pairs is None:
                return None
            groups.append((group, pairs))
        return ("groups", tuple(groups))
    pairs = _plain_pairs(choices or ())
    return None if pairs is None else ("flat", pairs)


def _render_options(key, coerce):
    """``[literal, …, (coerced value, plain, selected), …]``: what WTForms would write."""
    def option(value, label):
        return (coerce(value), str(Select.render_option(value, label, False)),
                str(Select.render_option(value, label, True)))

    kind, content = key
    if kind == "flat":
        return tuple(option(v, label) for v, label in content)
    parts = []
    for group, pairs in content:
        parts.append(f"<optgroup {html_params(label=group)}>")
        parts.extend(option(v, label) for v, label in pairs)
        parts.append("</optgroup>")
    return tuple(parts)


def kept_options(key, coerce):
    """The rendered options of one choice list, from the process's cache."""
    cache_key = (coerce, key)
    with _LOCK:
        parts = _KEPT.get(cache_key)
        if parts is not None:
            _KEPT.move_to_end(cache_key)
            return parts
    parts = _render_options(key, coerce)
    with _LOCK:
        _KEPT[cache_key] = parts
        while len(_KEPT) > MAX_LISTS:
            _KEPT.popitem(last=False)
    return parts


def clear() -> None:
    """Forget every kept list (tests)."""
    with _LOCK:
        _KEPT.clear()


class KeptSelect(Select):
    """:class:`~wtforms.widgets.Select` (single choice) with options kept per choice list."""

    def __call__(self, field, **kwargs):
        key = _choice_key(field.choices) if not self.multiple else None
        if key is None:
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        flags = getattr(field, "flags", {})
        for k in dir(flags):
            if k in self.validation_attrs and k not in kwargs:
                kwargs[k] = getattr(flags, k)
        data = field.data
        html = [f"<select {html_params(name=field.name, **kwargs)}>"]
        for part in kept_options(key, field.coerce):
            if type(part) is str:
                html.append(part)
            else:
                html.append(part[2] if part[0] == data else part[1])
        html.append("</select>")
        return Markup("".join(html))
