"""The whole API against its own OpenAPI document, with requests schemathesis generates
(property-based, Hypothesis): as a member and as a steward, over a small world with a
public community, a listed initiative, signals and an adjustment.

Every answer must be documented (status code, headers, content type, body schema), no
request may cause a 5xx, and invalid input must be refused. The seed is fixed and the number
of examples bounded, so the suite stays fast and gives the same answer on every run; raise
SCHEMATHESIS_EXAMPLES (e.g. 200) locally to look further.
"""

import json
import os
from contextlib import contextmanager
from decimal import Decimal

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from samenspel.accounts.models import ApiToken
from samenspel.communities.models import Membership
from samenspel.initiatives.choices import Review
from samenspel.wsgi import application
from tests.factories import OrganisationFactory
from tests.initiative_factories import InitiativeFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))


def _post(token, url, body):
    from django.test import Client

    response = Client().post(
        "/api/v1/communities/publiek/" + url,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.fixture
def seeded(world):
    """The public community with an organisation and its listed initiative, a theme, a policy
    object, two signals and an adjustment linked to one, made through the API."""
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation
    )
    initiative = InitiativeFactory(
        community=world.public,
        organisation=organisation,
        name="Noord",
        review=Review.LISTED,
        latitude=Decimal("52.5168"),
        longitude=Decimal("6.083"),
    )
    steward = ApiToken.issue(user=world.steward, name="schemathesis")[1]
    member = ApiToken.issue(user=world.initiatief_member, name="schemathesis")[1]
    policy_object = _post(steward, "policy-objects", {"kind": "regel", "name": "Permit rule"})
    signals = [
        _post(member, "signals", {"title": title, "whatHappened": "We waited nine months."})
        for title in ("The permit takes nine months", "No grant for a heat network")
    ]
    adjustment = _post(
        steward,
        "adjustments",
        {"policyObjectId": policy_object, "title": "A faster permit", "proposed": "Six weeks."},
    )
    membership = Membership.objects.get(user=world.initiatief_member, community=world.public)
    return {
        "tokens": {"member": member, "steward": steward},
        "ids": {
            "initiatives": initiative.pk,
            "signals": signals[0],
            "adjustments": adjustment,
            "members": membership.pk,
        },
    }


# The document as served; the requests go to the app through WSGI, no server needed.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _aim_at_the_world(case, ids):
    """Most generated slugs and ids name nothing (404); aim most cases at objects that exist,
    but keep the large ids (the edge cases of the coverage phase)."""
    parameters = case.path_parameters or {}
    if "slug" in parameters:
        parameters["slug"] = "publiek"
    if "id" in parameters and isinstance(parameters["id"], int) and 0 < parameters["id"] < 1000:
        resource = case.path.split("{id}")[0].rstrip("/").rsplit("/", 1)[-1]
        parameters["id"] = ids.get(resource, parameters["id"])


BOUNDED = settings(
    max_examples=EXAMPLES,
    derandomize=True,  # a fixed seed: the same requests on every run
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@contextmanager
def _one_connection():
    """Requests through the WSGI handler close the database connection around them, which
    would end the test's transaction (PostgreSQL); Django's test client avoids it so too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _check(case, seeded, persona):
    _aim_at_the_world(case, seeded["ids"])
    with _one_connection():
        _call(case, seeded, persona)


def _call(case, seeded, persona):
    case.call_and_validate(
        # The WSGI client does not unpack gzip, which the GeoJSON answers use when asked.
        headers={
            "Authorization": f"Bearer {seeded['tokens'][persona]}",
            "Accept-Encoding": "identity",
        },
        # As a server sets it (the similar signals are rationed per address).
        environ_base={"REMOTE_ADDR": "192.0.2.1"},
        # Every other check runs. This one expects every schema-valid request to succeed,
        # but ids must name objects of the community and names must be free: a 400 then.
        excluded_checks=[positive_data_acceptance],
    )


@schema.parametrize()
@BOUNDED
def test_as_a_member(case, seeded):
    _check(case, seeded, "member")


@schema.parametrize()
@BOUNDED
def test_as_a_steward(case, seeded):
    _check(case, seeded, "steward")
