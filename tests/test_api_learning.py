"""The loop's API: signals and their moves, the figures, themes, policy objects, adjustments."""

import json

import pytest

from conftest import client_for
from samenspel.learning import services
from samenspel.learning.models import Adjustment, PolicyObject, Signal, Theme
from samenspel.learning.stages import Stage

PROBLEM = "application/problem+json"


def post(user, url, body):
    return client_for(user).post(url, data=json.dumps(body), content_type="application/json")


def patch(user, url, body):
    return client_for(user).patch(url, data=json.dumps(body), content_type="application/json")


def is_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    assert {"type", "title", "status", "detail"} <= set(response.json())


@pytest.fixture
def loop(world):
    theme = Theme.objects.create(community=world.public, name="Permits", slug="permits")
    policy_object = PolicyObject.objects.create(
        community=world.public, kind="regel", name="Permit rule"
    )
    signal = services.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="The permit takes nine months",
        what_happened="We waited nine months for the permit of the heat network.",
        themes=[theme],
        policy_objects=[policy_object],
    )
    private = services.raise_signal(
        community=world.private,
        actor=world.initiatief_member,
        title="Private",
        what_happened="Only for members.",
    )
    world.theme, world.policy_object, world.signal, world.private_signal = (
        theme,
        policy_object,
        signal,
        private,
    )
    return world


# -- signals ------------------------------------------------------------------------------


def test_list_signals_with_filters(loop, client, django_assert_max_num_queries):
    for n in range(5):
        services.raise_signal(
            community=loop.public,
            actor=loop.steward,
            title=f"Other {n}",
            what_happened="Elsewhere",
            themes=[loop.theme],
        )
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/communities/publiek/signals")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    first = body["items"][-1]
    assert first["stage"] == "gemeld"
    assert first["themes"][0]["slug"] == "permits"
    assert {"whatHappened", "lastEventId", "raisedAt", "stageSince", "policyObjects"} <= set(first)
    assert client.get("/api/v1/communities/publiek/signals?stage=besproken").json()["count"] == 0
    assert client.get("/api/v1/communities/publiek/signals?theme=permits").json()["count"] == 6
    assert client.get("/api/v1/communities/publiek/signals?q=nine").json()["count"] == 1
    is_problem(client.get("/api/v1/communities/publiek/signals?stage=nowhere"), 400)


def test_signal_lists_cost_the_same_number_of_queries_for_more_rows(
    loop, django_assert_max_num_queries
):
    member = client_for(loop.steward)
    with django_assert_max_num_queries(12) as few:
        member.get("/api/v1/communities/publiek/signals")
    for n in range(10):
        services.raise_signal(
            community=loop.public, actor=loop.steward, title=f"S{n}", what_happened="x"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert member.get("/api/v1/communities/publiek/signals").json()["count"] == 11


def test_raise_a_signal(loop):
    response = post(
        loop.initiatief_member,
        "/api/v1/communities/publiek/signals",
        {
            "title": "No grant for a heat pump",
            "whatHappened": "The grant only covers single houses.",
            "themes": [loop.theme.pk],
            "urgency": "high",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "gemeld" and body["urgency"] == "high"
    assert [e["toStage"] for e in body["events"]] == ["gemeld"]
    assert Signal.objects.get(pk=body["id"]).raised_by == loop.initiatief_member


def test_raising_checks_input_and_rights(loop, client):
    response = post(
        loop.initiatief_member,
        "/api/v1/communities/publiek/signals",
        {"title": "", "themes": [999], "colour": "x"},
    )
    is_problem(response, 400)
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"title", "whatHappened", "colour"}
    response = post(
        loop.initiatief_member,
        "/api/v1/communities/publiek/signals",
        {"title": "T", "whatHappened": "W", "themes": [999]},
    )
    assert [p["name"] for p in response.json()["invalidParams"]] == ["themes"]
    body = {"title": "T", "whatHappened": "W"}
    is_problem(post(loop.observer, "/api/v1/communities/publiek/signals", body), 403)
    is_problem(post(loop.outsider, "/api/v1/communities/besloten/signals", body), 404)
    is_problem(client.post("/api/v1/communities/publiek/signals", body), 401)


def test_raise_a_signal_on_behalf_of_ones_own_initiative(loop):
    from django.utils import timezone

    from samenspel.communities.models import Membership
    from tests.factories import OrganisationFactory
    from tests.initiative_factories import InitiativeFactory

    organisation = OrganisationFactory(community=loop.public)
    membership = Membership.objects.filter(user=loop.initiatief_member, community=loop.public)
    membership.update(organisation=organisation)
    own = InitiativeFactory(community=loop.public, organisation=organisation)
    # Unconfirmed, the organisation grants nothing: not even raising for its initiative.
    response = post(
        loop.initiatief_member,
        "/api/v1/communities/publiek/signals",
        {"title": "T", "whatHappened": "W", "onBehalfOf": own.pk},
    )
    assert [p["name"] for p in response.json()["invalidParams"]] == ["onBehalfOf"]
    membership.update(organisation_confirmed_at=timezone.now())
    other = InitiativeFactory(community=loop.public)
    url = "/api/v1/communities/publiek/signals"
    body = {"title": "T", "whatHappened": "W"}
    response = post(loop.initiatief_member, url, {**body, "onBehalfOf": other.pk})
    is_problem(response, 400)
    assert [p["name"] for p in response.json()["invalidParams"]] == ["onBehalfOf"]
    assert not Signal.objects.filter(title="T").exists()
    response = post(loop.initiatief_member, url, {**body, "onBehalfOf": own.pk})
    assert response.status_code == 201, response.content
    assert Signal.objects.get(pk=response.json()["id"]).on_behalf_of == own


def test_change_a_signal(loop):
    url = f"/api/v1/signals/{loop.signal.pk}"
    other_theme = Theme.objects.create(community=loop.public, name="Grants", slug="grants")
    # Meanwhile a steward discusses it: a change of the text never undoes that move.
    services.move_signal(
        signal=loop.signal,
        actor=loop.steward,
        move=services.Move(to_stage=Stage.BESPROKEN),
        seen_event_id=loop.signal.last_event_id,
    )
    response = patch(
        loop.initiatief_member,
        url,
        {"title": "Nine months for a permit", "themes": [other_theme.pk]},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Nine months for a permit" and body["stage"] == "besproken"
    assert [t["slug"] for t in body["themes"]] == ["grants"]
    assert body["whatHappened"] == loop.signal.what_happened
    signal = Signal.objects.get(pk=loop.signal.pk)
    assert signal.stage == Stage.BESPROKEN and list(signal.policy_objects.all()) == [
        loop.policy_object
    ]
    # Bad input changes nothing; only the raiser's side and the stewards change it.
    response = patch(loop.steward, url, {"title": None, "themes": [999], "stage": "afgesloten"})
    is_problem(response, 400)
    assert {p["name"] for p in response.json()["invalidParams"]} >= {"stage"}
    response = patch(loop.steward, url, {"title": None, "themes": [999]})
    assert {p["name"] for p in response.json()["invalidParams"]} == {"title", "themes"}
    is_problem(patch(loop.gemeente_member, url, {"title": "X"}), 403)
    is_problem(
        patch(loop.outsider, f"/api/v1/signals/{loop.private_signal.pk}", {"title": "X"}), 404
    )
    signal.refresh_from_db()
    assert signal.title == "Nine months for a permit"
    assert patch(loop.steward, url, {"urgency": "high"}).json()["urgency"] == "high"


def test_one_signal_with_its_events(loop, client):
    response = client.get(f"/api/v1/signals/{loop.signal.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == loop.signal.title
    assert body["events"][0]["toStage"] == "gemeld"
    assert body["events"][0]["actor"]["id"] == loop.initiatief_member.pk


def test_a_private_signal_is_404_to_outsiders(loop):
    url = f"/api/v1/signals/{loop.private_signal.pk}"
    is_problem(client_for(loop.outsider).get(url), 404)
    is_problem(client_for(None).get(url), 404)
    assert client_for(loop.observer).get(url).status_code == 200
    is_problem(client_for(loop.outsider).get("/api/v1/communities/besloten/signals"), 404)
    is_problem(client_for(loop.outsider).get("/api/v1/communities/besloten/loop"), 404)


def test_move_a_signal(loop):
    url = f"/api/v1/signals/{loop.signal.pk}/transitions"
    response = post(
        loop.steward,
        url,
        {"toStage": "besproken", "note": "On the agenda", "seenEventId": loop.signal.last_event_id},
    )
    assert response.status_code == 201, response.content
    assert response.json()["fromStage"] == "gemeld"
    assert response.json()["toStage"] == "besproken"
    loop.signal.refresh_from_db()
    assert loop.signal.stage == Stage.BESPROKEN
    response = post(
        loop.steward,
        url,
        {
            "toStage": "in-verkenning",
            "ownerId": loop.gemeente_member.pk,
            "seenEventId": loop.signal.last_event_id,
        },
    )
    assert response.status_code == 201
    loop.signal.refresh_from_db()
    assert loop.signal.owner == loop.gemeente_member


def test_a_steward_closing_after_the_waiting_time_is_recorded_as_such(loop):
    from datetime import timedelta

    from django.utils import timezone

    from samenspel.learning.models import LoopEvent

    signal = loop.signal
    services.move_signal(
        signal=signal,
        actor=loop.steward,
        move=services.Move(to_stage=Stage.NIET_OPGEPAKT, note="Not ours."),
        seen_event_id=signal.last_event_id,
    )
    LoopEvent.objects.filter(pk=signal.last_event_id).update(at=timezone.now() - timedelta(days=31))
    response = post(
        loop.steward,
        f"/api/v1/signals/{signal.pk}/transitions",
        {"toStage": "afgesloten", "outcome": "not-solved", "seenEventId": signal.last_event_id},
    )
    assert response.status_code == 201, response.content
    assert response.json()["closedWithoutAnswer"] is True


def test_a_move_made_meanwhile_is_a_409_problem(loop):
    url = f"/api/v1/signals/{loop.signal.pk}/transitions"
    seen = loop.signal.last_event_id
    assert post(loop.steward, url, {"toStage": "besproken", "seenEventId": seen}).status_code == 201
    response = post(loop.gemeente_member, url, {"toStage": "in-verkenning", "seenEventId": seen})
    is_problem(response, 409)
    assert Signal.objects.get(pk=loop.signal.pk).stage == Stage.BESPROKEN


def test_moves_that_are_not_allowed_or_do_not_exist(loop):
    url = f"/api/v1/signals/{loop.signal.pk}/transitions"
    seen = loop.signal.last_event_id
    # The observer may not move; neither may a member discuss (stewards do).
    is_problem(post(loop.observer, url, {"toStage": "in-verkenning", "seenEventId": seen}), 403)
    is_problem(post(loop.gemeente_member, url, {"toStage": "besproken", "seenEventId": seen}), 403)
    # No such move: raised → closed.
    response = post(loop.steward, url, {"toStage": "afgesloten", "seenEventId": seen})
    is_problem(response, 400)
    # Not taken up needs a reason.
    is_problem(post(loop.steward, url, {"toStage": "niet-opgepakt", "seenEventId": seen}), 400)
    # An owner who is not a member.
    response = post(
        loop.steward,
        url,
        {"toStage": "in-verkenning", "ownerId": loop.outsider.pk, "seenEventId": seen},
    )
    is_problem(response, 400)
    assert response.json()["invalidParams"][0]["name"] == "ownerId"
    is_problem(post(loop.steward, url, {"toStage": "nowhere", "seenEventId": seen}), 400)
    is_problem(client_for(None).post(url, {}, content_type="application/json"), 401)
    assert Signal.objects.get(pk=loop.signal.pk).stage == Stage.GEMELD


def test_the_loop_figures(loop, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/communities/publiek/loop")
    assert response.status_code == 200
    body = response.json()
    stages = {s["stage"]: s for s in body["stages"]}
    assert stages["gemeld"]["count"] == 1
    assert stages["gemeld"]["oldestDays"] == 0
    assert "oldestRaisedDays" in stages["gemeld"]
    assert body["quarters"] == []
    # The community's default themes (none used yet) and the one of this signal.
    permits = [theme for theme in body["themes"] if theme["slug"] == "permits"]
    assert permits[0] == {
        "id": loop.theme.pk,
        "name": "Permits",
        "slug": "permits",
        "open": 1,
        "closed": 0,
        "medianDays": None,
    }


# -- themes and policy objects ----------------------------------------------------------------


def test_themes(loop, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/communities/publiek/themes")
    slugs = [t["slug"] for t in response.json()["items"]]
    assert "permits" in slugs and "gebiedsrecht" in slugs  # a default theme
    response = post(
        loop.gemeente_member,
        "/api/v1/communities/publiek/themes",
        {"name": "Grants", "slug": "grants"},
    )
    assert response.status_code == 201
    assert response.json()["slug"] == "grants"
    is_problem(
        post(loop.steward, "/api/v1/communities/publiek/themes", {"name": "G", "slug": "grants"}),
        400,
    )
    is_problem(
        post(loop.observer, "/api/v1/communities/publiek/themes", {"name": "H", "slug": "h"}), 403
    )


def test_policy_objects(loop, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/communities/publiek/policy-objects")
    assert response.json()["items"][0]["name"] == "Permit rule"
    response = post(
        loop.gemeente_member,
        "/api/v1/communities/publiek/policy-objects",
        {"kind": "instrument", "name": "Heat grant", "departmentId": 99999},
    )
    is_problem(response, 400)
    assert [p["name"] for p in response.json()["invalidParams"]] == ["departmentId"]
    response = post(
        loop.gemeente_member,
        "/api/v1/communities/publiek/policy-objects",
        {"kind": "instrument", "name": "Heat grant"},
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "instrument"
    is_problem(
        post(
            loop.observer,
            "/api/v1/communities/publiek/policy-objects",
            {"kind": "regel", "name": "X"},
        ),
        403,
    )


# -- adjustments ----------------------------------------------------------------------------


def _explore(loop):
    for actor, stage in (
        (loop.steward, Stage.BESPROKEN),
        (loop.gemeente_member, Stage.IN_VERKENNING),
    ):
        services.move_signal(
            signal=loop.signal,
            actor=actor,
            move=services.Move(to_stage=stage),
            seen_event_id=loop.signal.last_event_id,
        )


def test_adjustments_from_proposal_to_decision(loop, client, django_assert_max_num_queries):
    _explore(loop)
    response = post(
        loop.gemeente_member,
        "/api/v1/communities/publiek/adjustments",
        {
            "policyObjectId": loop.policy_object.pk,
            "title": "Permit in three months",
            "proposed": "Decide within three months.",
            "signals": [loop.signal.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "voorgesteld"
    assert body["nextStages"] == ["besloten-ambtelijk", "besloten-college", "naar-de-raad"]
    assert body["owner"]["id"] == loop.gemeente_member.pk
    assert Signal.objects.get(pk=loop.signal.pk).stage == Stage.AANPASSING_VOORGESTELD
    adjustment_id = body["id"]

    with django_assert_max_num_queries(8):
        listed = client.get("/api/v1/communities/publiek/adjustments").json()
    assert listed["count"] == 1 and listed["items"][0]["signals"] == [loop.signal.pk]
    assert client.get(f"/api/v1/adjustments/{adjustment_id}").json()["title"] == body["title"]

    response = patch(
        loop.gemeente_member, f"/api/v1/adjustments/{adjustment_id}", {"why": "Faster"}
    )
    assert response.status_code == 200 and response.json()["why"] == "Faster"
    is_problem(
        patch(loop.initiatief_member, f"/api/v1/adjustments/{adjustment_id}", {"why": "x"}), 403
    )
    is_problem(patch(loop.steward, f"/api/v1/adjustments/{adjustment_id}", {"title": None}), 400)

    url = f"/api/v1/adjustments/{adjustment_id}/transitions"
    is_problem(post(loop.initiatief_member, url, {"toStage": "besloten-college"}), 403)
    is_problem(post(loop.gemeente_member, url, {"toStage": "ingevoerd"}), 400)  # not in order
    response = post(loop.steward, url, {"toStage": "besloten-college", "seenStage": "voorgesteld"})
    assert response.status_code == 200
    is_problem(
        post(loop.steward, url, {"toStage": "besloten-college", "seenStage": "voorgesteld"}), 409
    )
    assert Adjustment.objects.get(pk=adjustment_id).stage == "besloten-college"
    # Decided: the signal got its feedback.
    assert Signal.objects.get(pk=loop.signal.pk).stage == Stage.TERUGGEKOPPELD


def test_adjustment_input_and_visibility(loop):
    response = post(
        loop.gemeente_member,
        "/api/v1/communities/publiek/adjustments",
        {"policyObjectId": 999, "title": "T", "proposed": "P", "ownerId": loop.outsider.pk},
    )
    is_problem(response, 400)
    assert {p["name"] for p in response.json()["invalidParams"]} == {"policyObjectId", "ownerId"}
    is_problem(
        post(
            loop.observer,
            "/api/v1/communities/publiek/adjustments",
            {"policyObjectId": loop.policy_object.pk, "title": "T", "proposed": "P"},
        ),
        403,
    )
    private_object = PolicyObject.objects.create(community=loop.private, kind="regel", name="R")
    adjustment = Adjustment.objects.create(
        community=loop.private,
        policy_object=private_object,
        title="Private",
        proposed="P",
        owner=loop.steward,
    )
    is_problem(client_for(loop.outsider).get(f"/api/v1/adjustments/{adjustment.pk}"), 404)
    is_problem(client_for(loop.outsider).get("/api/v1/communities/besloten/adjustments"), 404)
    assert client_for(loop.observer).get(f"/api/v1/adjustments/{adjustment.pk}").status_code == 200


def test_the_new_paths_are_in_the_openapi_document(db, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/communities/{slug}/signals": {"get", "post"},
        "/signals/{id}": {"get", "patch"},
        "/signals/{id}/transitions": {"post"},
        "/communities/{slug}/loop": {"get"},
        "/communities/{slug}/themes": {"get", "post"},
        "/communities/{slug}/policy-objects": {"get", "post"},
        "/communities/{slug}/adjustments": {"get", "post"},
        "/adjustments/{id}": {"get", "patch"},
        "/adjustments/{id}/transitions": {"post"},
    }.items() <= {path: set(ops) for path, ops in paths.items()}.items()


def test_the_waiting_times(loop, client):
    url = "/api/v1/communities/publiek/loop/settings"
    assert client.get(url).json() == {"remindAfterDays": 14, "closeWithoutAnswerAfterDays": 30}
    is_problem(patch(loop.gemeente_member, url, {"remindAfterDays": 3}), 403)
    response = patch(loop.steward, url, {"remindAfterDays": 0, "closeWithoutAnswerAfterDays": 2})
    is_problem(response, 400)
    names = {p["name"] for p in response.json()["invalidParams"]}
    assert names == {"remindAfterDays", "closeWithoutAnswerAfterDays"}
    response = patch(loop.steward, url, {"remindAfterDays": 3})
    assert response.json() == {"remindAfterDays": 3, "closeWithoutAnswerAfterDays": 30}
    is_problem(client_for(loop.outsider).get("/api/v1/communities/besloten/loop/settings"), 404)
