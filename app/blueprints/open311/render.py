"""The two Open311 formats: the same payload as JSON or as XML (GeoReport v2 element names).

A payload is plain data: dicts (elements with children), lists (repeated elements), strings,
numbers, booleans (``true``/``false``) and ``None`` (an empty element in XML, ``null`` in JSON).
XML is built with :mod:`xml.etree.ElementTree`, which escapes ``<``, ``&`` and quotes; the
characters XML 1.0 cannot carry at all (C0 controls but tab/CR/LF, lone surrogates, U+FFFE/F)
are dropped from text so that a stray control character in a report can never make the
document unparseable.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from flask import Response, json

FORMATS = ("json", "xml")
JSON_MIMETYPE = "application/json"
XML_MIMETYPE = "text/xml"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The element name of each member of a list, by the list's own element name.
LIST_MEMBERS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute",
                "values": "value"}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _append(parent: ET.Element, tag: str, value) -> None:
    element = ET.SubElement(parent, tag)
    if value is None:
        return
    if isinstance(value, dict):
        for name, child in value.items():
            _append(element, name, child)
    elif isinstance(value, (list, tuple)):
        for child in value:
            _append(element, LIST_MEMBERS[tag], child)
    else:
        element.text = _text(value)


def xml_document(root: str, payload, item: str | None = None) -> bytes:
    """``payload`` under ``<root>``: a dict's keys as children, or a list's members as ``<item>``."""
    element = ET.Element(root)
    if isinstance(payload, dict):
        for name, value in payload.items():
            _append(element, name, value)
    else:
        for value in payload:
            _append(element, item, value)
    return ET.tostring(element, encoding="UTF-8", xml_declaration=True)


def render(fmt: str, root: str, payload, item: str | None = None, status: int = 200,
           headers: dict | None = None) -> Response:
    """The response in ``fmt`` (``json`` or ``xml``); ``root``/``item`` name the XML elements."""
    if fmt == "xml":
        body, mimetype = xml_document(root, payload, item), XML_MIMETYPE
    else:
        body, mimetype = json.dumps(payload), JSON_MIMETYPE
    # Werkzeug adds "; charset=utf-8" to text/xml; JSON is UTF-8 by definition (RFC 8259).
    response = Response(body, status=status, mimetype=mimetype)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
