"""The NL API Design Rules, checked on the OpenAPI document and on live responses.

Every endpoint added later is held to these rules too: the document checks walk all paths.
"""

import json
import re

import pytest

from conftest import client_for
from samenspel.accounts.models import ApiToken

CAMEL = re.compile(r"^[a-z][a-zA-Z0-9]*$")
KEBAB_SEGMENT = re.compile(r"^([a-z0-9]+(-[a-z0-9]+)*(\.[a-z]+)?|\{[a-zA-Z]+\})$")


@pytest.fixture
def openapi(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response


def _properties(schema, components):
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    yield from schema.get("properties", {}).keys()
    for sub in schema.get("properties", {}).values():
        if sub.get("type") == "object" or "$ref" in sub:
            yield from _properties(sub, components)


def test_the_document_is_public_with_cors_and_version_header(openapi):
    assert openapi["Access-Control-Allow-Origin"] == "*"
    assert re.match(r"^1\.\d+\.\d+$", openapi["API-Version"])


def test_the_document_has_semver_contact_and_servers(openapi):
    doc = openapi.json()
    assert doc["openapi"].startswith("3.")
    assert re.match(r"^\d+\.\d+\.\d+$", doc["info"]["version"])
    assert {"name", "url", "email"} <= set(doc["info"]["contact"])
    assert any(server["url"] == "/api/v1" for server in doc["servers"])


def test_paths_are_kebab_case_plural_and_without_trailing_slashes(openapi):
    paths = openapi.json()["paths"]
    assert paths, "the API has no paths"
    for path in paths:
        assert not path.endswith("/"), path
        assert not path.startswith("/api/"), "paths are relative to the server /api/v1"
        for segment in path.strip("/").split("/"):
            assert KEBAB_SEGMENT.match(segment), f"{path}: {segment}"


def test_query_keys_and_properties_are_lower_camel_case(openapi):
    doc = openapi.json()
    components = doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                assert CAMEL.match(parameter["name"]), f"{path}: {parameter['name']}"
    for name, schema in components.items():
        for prop in _properties(schema, components):
            assert CAMEL.match(prop), f"{name}.{prop}"


def test_timestamps_and_dates_are_typed(openapi):
    components = openapi.json()["components"]["schemas"]
    for name, schema in components.items():
        for prop, spec in schema.get("properties", {}).items():
            if prop.endswith("At"):
                assert spec.get("format") == "date-time", f"{name}.{prop}"
            if prop.endswith("Date") or prop.endswith("On"):
                assert spec.get("format") == "date", f"{name}.{prop}"


def test_every_operation_documents_its_error_answers(openapi):
    for path, operations in openapi.json()["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method} {path} has no summary"


def test_every_live_response_carries_the_api_version(world, client):
    for url in (
        "/api/v1/communities",
        "/api/v1/communities/publiek",
        "/api/v1/communities/publiek/members",
        "/api/v1/nothing-here",
    ):
        response = client.get(url)
        assert re.match(r"^1\.\d+\.\d+$", response["API-Version"]), url


def test_a_trailing_slash_is_404_problem_not_a_redirect(world, client):
    response = client.get("/api/v1/communities/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert {"type", "title", "status", "detail"} <= set(response.json())


def test_a_private_community_is_404_problem_to_outsiders(world):
    response = client_for(world.outsider).get("/api/v1/communities/besloten")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_bad_query_values_are_400_with_every_invalid_param(world, client):
    response = client.get("/api/v1/communities?page=0&pageSize=999")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {item["name"] for item in response.json()["invalidParams"]}
    assert names == {"page", "pageSize"}


def test_unparseable_json_is_400_problem(world):
    client = client_for(world.outsider)
    response = client.post("/api/v1/communities", data="{not json", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["invalidParams"][0]["name"] == "body"


def test_wrong_and_missing_fields_are_all_named_at_once(world):
    token = ApiToken.issue(user=world.outsider, name="t")[1]
    response = client_for(None).post(
        "/api/v1/communities",
        data=json.dumps({"name": "x" * 200, "slug": "Not A Slug", "colour": "blue"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    names = {item["name"] for item in response.json()["invalidParams"]}
    assert names == {"name", "slug", "municipality", "colour"}


def test_unauthenticated_writes_are_401_problem(world, client):
    response = client.post("/api/v1/communities", data="{}", content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_wrong_token_is_refused_not_treated_as_anonymous(world, client):
    response = client.get("/api/v1/communities", HTTP_AUTHORIZATION="Bearer ssp_wrong")
    assert response.status_code == 401


def test_the_browsable_docs_are_served_without_a_cdn(db, client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html and "unpkg" not in html


def test_snake_case_properties_are_unknown_not_synonyms(world):
    token = ApiToken.issue(user=world.outsider, name="t")[1]
    response = client_for(None).post(
        "/api/v1/communities",
        data=json.dumps({"name": "X", "slug": "xx", "municipality": "X", "is_public": True}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["is_public"]
