"""The OpenAPI document is valid OpenAPI 3.1 and describes exactly the routes under /api/v1."""
from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from schemathesis.specs.openapi.definitions import OPENAPI_31

from app.blueprints.api import openapi
from tests.api.conftest import conforms, error_of

IMPLICIT = {"HEAD", "OPTIONS"}


def _flask_operations(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule == "/api/v1" or rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
            found |= {(path, method.lower()) for method in rule.methods - IMPLICIT}
    return found


def _documented_operations() -> set[tuple[str, str]]:
    return {(path, method) for path, item in openapi.document()["paths"].items() for method in item}


def test_every_route_is_documented_and_every_documented_operation_exists(app):
    assert _flask_operations(app) == _documented_operations()


def test_the_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    document = conforms(response, "/api/v1/openapi.json")
    assert document == openapi.document()
    assert document["openapi"].startswith("3.1")
    Draft202012Validator(OPENAPI_31).validate(document)
    Draft202012Validator.check_schema({"$defs": document["components"]["schemas"]})


def test_operation_ids_are_unique_and_every_operation_documents_its_errors():
    ids = []
    for path, item in openapi.document()["paths"].items():
        for method, operation in item.items():
            ids.append(operation["operationId"])
            assert "500" in operation["responses"], (path, method)
            if operation.get("security"):
                assert "401" in operation["responses"] and "429" in operation["responses"]
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= set(operation["responses"]), (path, method)
    assert len(ids) == len(set(ids))


def test_enumerations_come_from_the_code():
    from app.models import Status
    from app.services import workflow

    schemas = openapi.document()["components"]["schemas"]
    assert schemas["ArchiveAction"]["properties"]["reason"]["enum"] == list(workflow.ARCHIVE_REASONS)
    assert schemas["InboxItem"]["properties"]["status"]["enum"] == list(Status.ALL)
    assert "submitted" not in schemas["ComplaintSummary"]["properties"]["status"]["enum"]


@pytest.mark.parametrize("method, url, status", [
    ("get", "/api/v1/tidak-ada", 404), ("get", "/api/v1/complaints/a/b", 404),
    ("delete", "/api/v1/complaints", 405), ("put", "/api/v1/inbox/LPR-2026-0000001", 405),
    ("patch", "/api/v1/openapi.json", 405),
])
def test_unknown_paths_and_methods_answer_in_json(client, method, url, status):
    response = getattr(client, method)(url)
    error_of(response, status)
    if status == 405:
        assert "GET" in response.headers["Allow"]
