"""What a client sends, checked against the schemas of the OpenAPI document.

Bodies must be ``application/json`` objects of at most 1 MiB; query parameters, path
parameters and headers are read with the schema the document publishes for them. Whatever
does not fit becomes an :class:`ApiError` naming each bad field — never a 500.
"""
from __future__ import annotations

import json
import re
from datetime import date
from functools import lru_cache

from flask import request
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from . import openapi
from .errors import ApiError, text

MAX_JSON_BYTES = 1024 * 1024
_DOCUMENT_URI = "urn:terang:api:v1:openapi"
_FORMATS = FormatChecker(formats=("date",))
_INTEGER = re.compile(r"-?[0-9]+")


@lru_cache(maxsize=1)
def _registry() -> Registry:
    return Registry().with_resource(_DOCUMENT_URI, DRAFT202012.create_resource(openapi.document()))


@lru_cache(maxsize=None)
def _component_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"{_DOCUMENT_URI}#/components/schemas/{name}"},
                                registry=_registry(), format_checker=_FORMATS)


def _plain_validator(schema: dict) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=_FORMATS)


# --- messages ---------------------------------------------------------------------------------

_TYPE_NAMES = {"string": "teks", "integer": "bilangan bulat", "number": "angka",
               "boolean": "true/false", "object": "objek", "array": "larik", "null": "null"}


def _describe(error) -> str:
    """A short message for one schema error, without echoing the (possibly huge) value."""
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        return text("Harus bertipe %(types)s.", types=" atau ".join(_TYPE_NAMES.get(n, n) for n in names))
    if kind == "maxLength":
        return text("Paling banyak %(n)s karakter.", n=expected)
    if kind == "minLength":
        return text("Wajib diisi.")
    if kind == "enum":
        return text("Harus salah satu dari: %(values)s.", values=", ".join(str(v) for v in expected))
    if kind == "const":
        return text("Harus %(value)s.", value=expected)
    if kind == "format" and expected == "date":
        return text("Tanggal harus berbentuk YYYY-MM-DD.")
    if kind == "minimum":
        return text("Paling kecil %(n)s.", n=expected)
    if kind == "maximum":
        return text("Paling besar %(n)s.", n=expected)
    return text("Nilai tidak valid.")


def _dotted(path) -> str:
    return ".".join(str(part) for part in path)


def _field_errors(validator: Draft202012Validator, instance, prefix: tuple = ()) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in validator.iter_errors(instance):
        path = (*prefix, *error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            for name in error.validator_value:
                if name not in error.instance:
                    fields.setdefault(_dotted((*path, name)), text("Wajib diisi."))
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            for name in error.instance:
                if name not in known:
                    fields.setdefault(_dotted((*path, name)), text("Kolom tidak dikenal."))
        else:
            fields.setdefault(_dotted(path) or "body", _describe(error))
    return fields


def _unstorable_strings(value, prefix: tuple = ()) -> dict[str, str]:
    """Strings no database can store: NUL characters and lone surrogates (iterative: no recursion)."""
    fields: dict[str, str] = {}
    stack = [(prefix, value)]
    while stack:
        path, item = stack.pop()
        texts = []
        if isinstance(item, str):
            texts = [item]
        elif isinstance(item, dict):
            texts = list(item)
            stack.extend(((*path, k), v) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend(((*path, i), v) for i, v in enumerate(item))
        for found in texts:
            if "\x00" in found or not _encodable(found):
                fields.setdefault(_dotted(path) or "body", text("Mengandung karakter yang tidak valid."))
    return fields


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- bodies -----------------------------------------------------------------------------------

def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def json_object() -> dict:
    """The request body as a JSON object; 415, 413, 400 or 422 otherwise."""
    if request.mimetype != "application/json":
        raise ApiError(415, text("Kirim badan permintaan sebagai application/json."))
    request.max_content_length = MAX_JSON_BYTES  # 413 past this (Flask 3.1: per request)
    raw = request.get_data(cache=True)
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, text("Badan permintaan bukan JSON yang valid.")) from exc
    if not isinstance(data, dict):
        raise ApiError(422, text("Badan permintaan harus berupa objek JSON."),
                       {"body": text("Harus bertipe objek.")})
    return data


def check_body(data: dict, schema_name: str) -> dict:
    """``data`` checked against the document's ``schema_name``; 422 naming each bad field."""
    try:
        fields = _field_errors(_component_validator(schema_name), data)
    except RecursionError:
        fields = {"body": text("Nilai tidak valid.")}
    for name, message in _unstorable_strings(data).items():
        fields.setdefault(name, message)
    if fields:
        raise ApiError(422, text("Ada isian yang tidak valid."), fields)
    return data


def json_body(schema_name: str) -> dict:
    return check_body(json_object(), schema_name)


# --- parameters -------------------------------------------------------------------------------

def _coerce(raw: str, schema: dict):
    kind = schema.get("type")
    if kind == "integer":
        if not _INTEGER.fullmatch(raw):
            raise ValueError
        return int(raw)
    if kind == "boolean":
        if raw not in ("true", "false"):
            raise ValueError
        return raw == "true"
    return raw


def unknown_query_params(path: str, method: str = "get") -> list[str]:
    """The query parameters of this request that the operation does not document, sorted."""
    known = {p["name"] for p in openapi.operation(path, method).get("parameters", [])
             if p["in"] == "query"}
    return sorted(set(request.args) - known)


_RULE_PARAMETER = re.compile(r"<(?:[a-z_]+:)?([a-z_]+)>")


def refuse_unknown_query_params() -> None:
    """400 naming every query parameter an open-data operation does not document, so that a
    misspelt ``?regoin=13`` never silently answers national figures (the request is matched to
    its operation by its URL rule; operations not in the document are left alone)."""
    if request.url_rule is None:
        return
    path = _RULE_PARAMETER.sub(r"{\1}", request.url_rule.rule)
    try:
        operation = openapi.operation(path, request.method)
    except KeyError:
        return
    if not openapi.OPEN_DATA_TAGS & set(operation.get("tags", ())):
        return
    unknown = unknown_query_params(path, request.method)
    if unknown:
        raise ApiError(400, text("Parameter tidak dikenal: %(names)s.", names=", ".join(unknown)),
                       {name: text("Parameter tidak dikenal.") for name in unknown})


def query_params(path: str, method: str = "get") -> dict:
    """The operation's query parameters, typed and checked; 400 naming each bad one (an unknown
    parameter too).

    Absent parameters take their documented default (or None); dates become ``date`` objects.
    """
    values: dict = {}
    fields: dict[str, str] = {name: text("Parameter tidak dikenal.")
                              for name in unknown_query_params(path, method)}
    for param in openapi.operation(path, method).get("parameters", []):
        if param["in"] != "query":
            continue
        name, schema = param["name"], param["schema"]
        given = request.args.getlist(name)
        if not given:
            values[name] = schema.get("default")
            continue
        if len(given) > 1:
            fields[name] = text("Hanya boleh diberikan sekali.")
            continue
        raw = given[0]
        try:
            value = _coerce(raw, schema)
        except ValueError:
            fields[name] = _describe(_TypeError(schema["type"]))
            continue
        problems = _field_errors(_plain_validator(schema), value, (name,))
        problems.update(_unstorable_strings(value, (name,)))
        if problems:
            fields[name] = next(iter(problems.values()))
            continue
        values[name] = date.fromisoformat(value) if schema.get("format") == "date" else value
    if fields:
        raise ApiError(400, text("Parameter tidak valid."), fields)
    return values


class _TypeError:
    """Stands in for a jsonschema ``type`` error when a query value cannot be read at all."""

    validator = "type"

    def __init__(self, expected: str):
        self.validator_value = expected


def path_value(path: str, name: str, value: str, method: str = "get") -> str:
    """A path parameter that does not fit its schema names nothing that exists: 404."""
    for param in openapi.operation(path, method).get("parameters", []):
        if param["in"] == "path" and param["name"] == name:
            if not _plain_validator(param["schema"]).is_valid(value) or _unstorable_strings(value):
                raise ApiError(404, text("Tidak ditemukan."))
    return value


def header_value(path: str, name: str, method: str) -> str | None:
    """A documented header (None when absent); 400 when it does not fit its schema."""
    value = request.headers.get(name)
    if value is None:
        return None
    for param in openapi.operation(path, method).get("parameters", []):
        if param["in"] == "header" and param["name"] == name:
            if not _plain_validator(param["schema"]).is_valid(value):
                raise ApiError(400, text("Header %(name)s tidak valid.", name=name),
                               {name: text("Nilai tidak valid.")})
    return value
