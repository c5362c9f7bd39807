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
    error = error_of(response, status)
    if status == 405:
        assert "GET" in response.headers["Allow"]
        assert error["message"] == f"Metode {method.upper()} tidak diizinkan di alamat ini."
    else:
        assert error["message"] == "Alamat yang Anda buka tidak ada."


def test_framework_errors_speak_indonesian_first(client, seeded):
    """Errors raised by Flask and Werkzeug themselves, not by a view, in Indonesian first."""
    import json

    too_big = client.post("/api/v1/complaints", data=json.dumps({"body": "x" * (1024 * 1024 + 1)}),
                          content_type="application/json")
    assert error_of(too_big, 413)["message"] == "Kiriman terlalu besar"
    for response in (client.get("/api/v1/tidak-ada"), too_big,
                     client.delete("/api/v1/complaints")):
        message = response.get_json()["error"]["message"]
        assert not any(english in message for english in ("The requested", "not allowed for",
                                                          "The data value", "URL"))


def test_every_operation_documents_405_with_allow_and_every_401_its_challenge():
    for path, item in openapi.document()["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert "Allow" in responses["405"]["headers"], (path, method)
            if "401" in responses:
                assert responses["401"]["headers"]["WWW-Authenticate"]["required"], (path, method)


def test_nullable_admits_null_to_enumerations_too():
    from jsonschema import validate

    for schema in (openapi.nullable({"type": "string", "enum": ["ringan", "berat"]}),
                   openapi.nullable({"type": "string", "const": "route"}),
                   openapi.nullable({"type": "string", "pattern": "^a$"})):
        validate(None, schema)
    with pytest.raises(Exception):
        validate("sedang", openapi.nullable({"type": "string", "enum": ["ringan", "berat"]}))


def _every_nullable_enum(node, path=""):
    """(path, schema) of every schema in the document whose type admits null and that has an enum."""
    if isinstance(node, dict):
        kind = node.get("type")
        if "enum" in node and isinstance(kind, list) and "null" in kind:
            yield path, node
        for key, value in node.items():
            yield from _every_nullable_enum(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _every_nullable_enum(value, f"{path}/{index}")


def test_every_nullable_enumeration_in_the_document_lists_null():
    found = list(_every_nullable_enum(openapi.document()))
    assert found  # resolution_class at least
    for path, schema in found:
        assert None in schema["enum"], path


ROLES = ("admin", "officer", "agency_admin", "lebak", "oversight")


@pytest.fixture
def every_state(seeded):
    """The seeded reports plus one archived before routing and one on hold before routing."""
    from datetime import timedelta

    from app.extensions import db
    from app.services import workflow
    from tests import factories
    from tests.api.conftest import FILED, file

    archived = file(seeded, "archived", route_to=None, title="Laporan diarsipkan sebelum diteruskan")
    workflow.apply(archived, "archive", factories.actor("national_admin"), FILED + timedelta(hours=3),
                   workflow.ActionInput(reason="too_general"))
    on_hold = file(seeded, "on_hold", route_to=None, title="Laporan ditunda sebelum diteruskan")
    workflow.apply(on_hold, "request_info", factories.actor("national_admin"),
                   FILED + timedelta(hours=3), workflow.ActionInput(text="Di mana tepatnya?"))
    db.session.commit()
    return seeded


def test_every_report_in_every_role_matches_its_schema(client, every_state):
    """Each API view of each seeded report, as each role gets it, is what the document says."""
    seeded = every_state
    api = "/api/v1"
    assert {seeded.reports[n].status for n in seeded.reports} >= {
        "submitted", "routed", "in_progress", "archived", "on_hold"}
    for name in seeded.reports:
        reference = seeded.ref(name)
        conforms(client.get(f"{api}/complaints/{reference}"), f"{api}/complaints/{{reference}}")
        tracking = conforms(client.get(f"{api}/tracking", headers=seeded.tracking(name)),
                            f"{api}/tracking")
        assert tracking["reference"] == reference
        for who in ROLES:
            conforms(client.get(f"{api}/inbox/{reference}", headers=seeded.bearer(who)),
                     f"{api}/inbox/{{reference}}")
    for name in ("unverified", "archived", "on_hold"):  # never routed: no class, no agency
        body = conforms(client.get(f"{api}/inbox/{seeded.ref(name)}", headers=seeded.bearer("admin")),
                        f"{api}/inbox/{{reference}}")
        assert body["resolution_class"] is None and body["agency"] is None
    for who in ROLES:
        for queue in ("routed", "verification"):
            conforms(client.get(f"{api}/inbox?queue={queue}", headers=seeded.bearer(who)),
                     f"{api}/inbox")
    conforms(client.get(f"{api}/complaints"), f"{api}/complaints")


def test_every_answer_is_published_from_the_model_that_serialises_it():
    """Each response body's component is its pydantic model's schema (schemas.py), not a copy."""
    from app.blueprints.api import schemas

    document = openapi.document()
    published = schemas.components()
    models = {model.__name__ for model in schemas.RESPONSES}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for status, response in operation["responses"].items():
                schema = response["content"]["application/json"]["schema"]
                if path.endswith("/openapi.json") and status == "200":
                    continue
                name = schema["$ref"].rsplit("/", 1)[-1]
                assert name in models, (path, method, status)
                assert document["components"]["schemas"][name] == published[name]
