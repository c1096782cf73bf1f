"""The NL API Design Rules, checked on the OpenAPI document and on live responses.

Every endpoint added later is held to these rules too: the document checks walk all paths.
"""

import json
import re

import pytest

from conftest import client_for
from samenspel.accounts.models import ApiToken
from tests.factories import UserFactory

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


def _format(spec: dict) -> str | None:
    """The format of a property, also of one that may be null (anyOf with null)."""
    formats = [s.get("format") for s in spec.get("anyOf", []) if s.get("type") != "null"]
    return spec.get("format") or (formats[0] if formats else None)


def test_timestamps_and_dates_are_typed(openapi):
    components = openapi.json()["components"]["schemas"]
    for name, schema in components.items():
        for prop, spec in schema.get("properties", {}).items():
            if prop.endswith("At"):
                assert _format(spec) == "date-time", f"{name}.{prop}"
            if prop.endswith("Date") or prop.endswith("On"):
                assert _format(spec) == "date", f"{name}.{prop}"


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


# -- every answer documented, every bad input a 400 -------------------------------------------

BIG = 2**63  # one past the largest integer the database holds
PROBLEM = "application/problem+json"


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='t')[1]}"}


def _send(method, url, body, *, user=None, content_type="application/json", **headers):
    client = client_for(None)
    if user is not None:
        headers = {**_token(user), **headers}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(url, data=data, content_type=content_type, **headers)


def _invalid(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {item["name"] for item in response.json()["invalidParams"]}


@pytest.fixture
def loop_world(world):
    """A theme, a policy object, a signal and an adjustment in the public community, made
    through the API itself."""

    def made(url, body):
        response = _send("post", "/api/v1/communities/publiek/" + url, body, user=world.steward)
        assert response.status_code == 201, response.content
        return response.json()

    world.theme = made("themes", {"name": "Permits", "slug": "permits"})
    world.policy_object = made("policy-objects", {"kind": "regel", "name": "Permit rule"})
    world.signal = made(
        "signals", {"title": "The permit takes nine months", "whatHappened": "We waited."}
    )
    world.adjustment = made(
        "adjustments",
        {
            "policyObjectId": world.policy_object["id"],
            "title": "A faster permit",
            "proposed": "Six weeks at most.",
        },
    )
    return world


def _problem_schema(doc, answer):
    schema = answer["content"][PROBLEM]["schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_every_operation_documents_its_problems_and_the_version_header(openapi):
    doc = openapi.json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            answers = operation["responses"]
            expected = {"400", "401", "500"}
            if method != "get":
                expected |= {"403", "409"}
            if "requestBody" in operation:
                expected.add("415")
            if "{" in path:
                expected.add("404")
            assert expected <= set(answers), f"{method} {path}: {sorted(answers)}"
            for status, answer in answers.items():
                headers = answer.get("headers", {})
                assert "API-Version" in headers, f"{method} {path} {status}"
                if status.startswith(("4", "5")):
                    schema = _problem_schema(doc, answer)
                    assert {"type", "title", "status", "detail"} <= set(schema["properties"])
            if "400" in answers:
                assert "invalidParams" in _problem_schema(doc, answers["400"])["properties"]


# What is the reader's own (my work, what I follow) is read with a login only.
PERSONAL = "/me/"


def test_public_reads_need_no_token_in_the_document_and_writes_do(openapi):
    for path, operations in openapi.json()["paths"].items():
        for method, operation in operations.items():
            security = operation["security"]
            if method == "get" and not path.startswith(PERSONAL):
                assert {} in security, f"{method} {path}"
            else:
                assert {} not in security and security, f"{method} {path}"


def test_the_national_geojson_path_is_kebab_case_and_the_old_one_still_answers(openapi, client):
    paths = openapi.json()["paths"]
    assert "/initiatives.geojson" not in paths
    assert "/initiatives/map.geojson" in paths
    new = client.get("/api/v1/initiatives/map.geojson")
    old = client.get("/api/v1/initiatives.geojson")
    assert new.status_code == old.status_code == 200
    assert new.content == old.content


def test_anonymous_writes_are_401_with_a_bearer_challenge_even_with_csrf_checks(world):
    from django.test import Client

    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post("/api/v1/communities", data="{}", content_type="application/json")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    # A browser session without the CSRF token is still refused.
    member = Client(enforce_csrf_checks=True)
    member.force_login(world.outsider)
    refused = member.post(
        "/api/v1/communities",
        data=json.dumps({"name": "X", "slug": "xx", "municipality": "X"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused["Content-Type"] == PROBLEM


def test_a_method_the_path_does_not_have_is_405_with_allow(world, client):
    for url, allowed in (
        ("/api/v1/communities", {"GET", "POST"}),
        ("/api/v1/communities/publiek", {"GET"}),
    ):
        response = client.delete(url)
        assert response.status_code == 405, url
        assert response["Content-Type"] == PROBLEM
        assert {m.strip() for m in response["Allow"].split(",")} == allowed


def test_a_body_that_is_not_json_is_415(world):
    body = json.dumps({"name": "X", "slug": "xx", "municipality": "X"})
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = _send(
            "post", "/api/v1/communities", body, user=world.outsider, content_type=content_type
        )
        assert response.status_code == 415, content_type
        assert response["Content-Type"] == PROBLEM
    assert not world.outsider.memberships.filter(community__slug="xx").exists()
    utf8 = _send(
        "post",
        "/api/v1/communities",
        body,
        user=world.outsider,
        content_type="application/json; charset=utf-8",
    )
    assert utf8.status_code == 201


def test_a_page_past_the_largest_number_is_400_on_every_list(openapi, loop_world, client):
    lists = [
        path
        for path, operations in openapi.json()["paths"].items()
        if any(p["name"] == "page" for p in operations.get("get", {}).get("parameters", []))
    ]
    assert len(lists) >= 7
    from django.test import Client

    member = Client()
    member.force_login(UserFactory())
    for path in lists:
        url = "/api/v1" + path.replace("{slug}", "publiek").replace(
            "{id}", str(loop_world.signal["id"])
        )
        reader = member if path.startswith(PERSONAL) else client
        for page in (BIG, 10**30):
            assert _invalid(reader.get(f"{url}?page={page}")) == {"page"}, url


def test_ids_past_the_largest_number_are_400(loop_world):
    world = loop_world
    signal = f"/api/v1/signals/{world.signal['id']}"
    adjustment = f"/api/v1/adjustments/{world.adjustment['id']}"
    for method, url, body, names in (
        ("post", "/api/v1/communities/publiek/signals",
         {"title": "T", "whatHappened": "W", "themes": [BIG], "initiatives": [10**30]},
         {"themes.0", "initiatives.0"}),
        ("post", "/api/v1/communities/publiek/signals",
         {"title": "T", "whatHappened": "W", "onBehalfOf": BIG}, {"onBehalfOf"}),
        ("patch", signal, {"policyObjects": [BIG]},
         {"policyObjects.0"}),
        ("post", f"{signal}/transitions",
         {"toStage": "besproken", "seenEventId": BIG, "ownerId": BIG},
         {"seenEventId", "ownerId"}),
        ("patch", adjustment, {"ownerId": BIG, "signals": [BIG]},
         {"ownerId", "signals.0"}),
        ("post", "/api/v1/communities/publiek/adjustments",
         {"policyObjectId": BIG, "title": "T", "proposed": "P"}, {"policyObjectId"}),
        ("post", "/api/v1/communities/publiek/policy-objects",
         {"kind": "regel", "name": "N", "departmentId": BIG}, {"departmentId"}),
        ("post", "/api/v1/communities/publiek/initiatives",
         {"name": "N", "neighbourhoods": [BIG]}, {"neighbourhoods.0"}),
    ):  # fmt: skip
        assert _invalid(_send(method, url, body, user=world.steward)) == names, url
    client = client_for(world.steward)
    for url in (
        f"/api/v1/signals/{BIG}",
        f"/api/v1/signals/{BIG}/similar",
        f"/api/v1/adjustments/{BIG}",
        f"/api/v1/initiatives/{BIG}",
        f"/api/v1/initiatives/{BIG}/indicators",
    ):
        assert _invalid(client.get(url)) == {"id"}, url
    assert _invalid(client.get(f"/api/v1/communities/publiek/initiatives?neighbourhood={BIG}")) == {
        "neighbourhood"
    }


def test_a_title_of_spaces_is_400_and_changes_nothing(loop_world):
    world = loop_world
    signal = f"/api/v1/signals/{world.signal['id']}"
    adjustment = f"/api/v1/adjustments/{world.adjustment['id']}"
    from samenspel.learning.models import Adjustment, Signal

    before = Signal.objects.count()
    for method, url, body, name in (
        ("post", "/api/v1/communities/publiek/signals", {"title": "   ", "whatHappened": "W"},
         "title"),
        ("post", "/api/v1/communities/publiek/signals", {"title": "T", "whatHappened": " \n "},
         "whatHappened"),
        ("patch", signal, {"title": "  "}, "title"),
        ("patch", adjustment, {"title": "\t"}, "title"),
        ("post", "/api/v1/communities", {"name": " ", "slug": "xx", "municipality": "X"}, "name"),
        ("post", "/api/v1/communities/publiek/themes", {"name": "  ", "slug": "x"}, "name"),
    ):  # fmt: skip
        assert name in _invalid(_send(method, url, body, user=world.steward)), url
    assert Signal.objects.count() == before
    assert Signal.objects.get(pk=world.signal["id"]).title == "The permit takes nine months"
    assert Adjustment.objects.get(pk=world.adjustment["id"]).title == "A faster permit"


def test_nul_characters_are_400_anywhere(loop_world):
    world = loop_world
    signal = f"/api/v1/signals/{world.signal['id']}"
    adjustment = f"/api/v1/adjustments/{world.adjustment['id']}"
    for method, url, body, name in (
        ("post", "/api/v1/communities/publiek/signals", {"title": "a\x00b", "whatHappened": "W"},
         "title"),
        ("patch", signal, {"whatHappened": "\x00"}, "whatHappened"),
        ("patch", adjustment, {"why": "x\x00"}, "why"),
        ("post", "/api/v1/communities/publiek/themes", {"name": "N", "slug": "n",
         "description": "\x00"}, "description"),
    ):  # fmt: skip
        assert name in _invalid(_send(method, url, body, user=world.steward)), url
    client = client_for(world.steward)
    assert _invalid(client.get("/api/v1/communities/publiek/signals?q=a%00b")) == {"q"}
    assert _invalid(client.get("/api/v1/communities/pub%00liek")) == {"slug"}


def test_a_server_error_is_a_problem_without_a_traceback(world, client, monkeypatch, settings):
    from samenspel.communities import permissions

    def broken(user):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(permissions, "get_communities_for_user", broken)
    for debug in (False, True):
        settings.DEBUG = debug
        response = client.get("/api/v1/communities")
        assert response.status_code == 500
        assert response["Content-Type"] == PROBLEM
        assert response["API-Version"]
        body = response.content.decode()
        assert "secret" not in body and "Traceback" not in body
        assert response.json()["status"] == 500


def test_the_openapi_command_writes_the_served_document(openapi, tmp_path):
    from django.core.management import call_command

    target = tmp_path / "openapi.json"
    call_command("openapi", str(target))
    assert json.loads(target.read_text()) == openapi.json()
