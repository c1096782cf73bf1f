"""The loop's rules that no entry point may skip: adjustments move signals only as the loop
allows, decisions are recorded with who and on what basis, signals point only at listed
initiatives, the similar-signals hint is cached and rate-limited, reminders reach whoever
must act next, and reading a page writes nothing."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for
from samenspel.communities.services import CommunityError
from samenspel.core.models import Notification
from samenspel.initiatives.models import Review
from samenspel.learning import adjustments, services
from samenspel.learning.models import (
    Adjustment,
    AdjustmentStage,
    LoopEvent,
    LoopSettings,
    PolicyObject,
    Signal,
    Theme,
)
from samenspel.learning.services import Move
from samenspel.learning.stages import Stage
from tests.factories import CommunityFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory
from tests.mailbox import outbox

PROBLEM = "application/problem+json"


def post(user, url, body):
    return client_for(user).post(url, data=json.dumps(body), content_type="application/json")


def patch(user, url, body):
    return client_for(user).patch(url, data=json.dumps(body), content_type="application/json")


def walk(signal, actor, to_stage, **extra):
    return services.move_signal(
        actor=actor,
        signal=signal,
        move=Move(to_stage=to_stage, **extra),
        seen_event_id=signal.last_event_id,
    )


@pytest.fixture
def noord(world):
    """Organisation Noord with its listed initiative; initiatief_member is its confirmed
    member."""
    organisation = OrganisationFactory(community=world.public, name="Noord")
    from samenspel.communities.models import Membership

    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation, organisation_confirmed_at=timezone.now()
    )
    initiative = InitiativeFactory(community=world.public, organisation=organisation, name="Noord")
    return organisation, initiative


@pytest.fixture
def policy_object(world):
    return PolicyObject.objects.create(community=world.public, kind="regel", name="Vergunning")


def raise_one(world, title="Vergunning duurt te lang", **fields):
    return services.raise_signal(
        actor=world.initiatief_member,
        community=world.public,
        title=title,
        what_happened="De vergunning liet negen maanden op zich wachten.",
        **fields,
    )


def explored(world, owner=None):
    """A signal being explored by `owner` (the gemeente member by default)."""
    signal = raise_one(world)
    walk(signal, owner or world.gemeente_member, Stage.IN_VERKENNING)
    return signal


# -- hole 2: adjustments move signals only as the loop allows ----------------------------------


def test_a_member_cannot_link_someone_elses_signal_to_their_adjustment(world, policy_object):
    """Linking moves the signal on: only who may move it (its owner) or a steward links."""
    signal = explored(world, owner=world.gemeente_member)
    with pytest.raises(CommunityError) as refused:
        adjustments.create_adjustment(
            actor=world.initiatief_member,
            community=world.public,
            policy_object=policy_object,
            title="Sneller",
            proposed="Binnen drie maanden.",
            signals=[signal],
        )
    assert refused.value.status == 403
    assert not Adjustment.objects.exists()
    assert Signal.objects.get(pk=signal.pk).stage == Stage.IN_VERKENNING


def test_the_api_refuses_linking_someone_elses_signal_and_stores_nothing(world, policy_object):
    signal = explored(world, owner=world.gemeente_member)
    response = post(
        world.initiatief_member,
        "/api/v1/communities/publiek/adjustments",
        {
            "policyObjectId": policy_object.pk,
            "title": "Sneller",
            "proposed": "Binnen drie maanden.",
            "signals": [signal.pk],
        },
    )
    assert response.status_code == 403, response.content
    assert response["Content-Type"] == PROBLEM
    assert not Adjustment.objects.exists()
    assert Signal.objects.get(pk=signal.pk).stage == Stage.IN_VERKENNING
    # Nor by changing an adjustment of one's own afterwards.
    own = adjustments.create_adjustment(
        actor=world.initiatief_member,
        community=world.public,
        policy_object=policy_object,
        title="Eigen",
        proposed="Iets.",
    )
    response = patch(
        world.initiatief_member, f"/api/v1/adjustments/{own.pk}", {"signals": [signal.pk]}
    )
    assert response.status_code == 403, response.content
    assert list(own.signals.all()) == []
    assert Signal.objects.get(pk=signal.pk).stage == Stage.IN_VERKENNING


def test_the_web_form_refuses_linking_someone_elses_signal(world, policy_object):
    signal = explored(world, owner=world.gemeente_member)
    response = client_for(world.initiatief_member).post(
        "/en/c/publiek/adjustments/new/",
        {
            "policy_object": policy_object.pk,
            "title": "Sneller",
            "proposed": "Binnen drie maanden.",
            "owner": world.initiatief_member.pk,
            "signals": [signal.pk],
        },
    )
    assert response.status_code == 200
    assert "may not" in response.content.decode()
    assert not Adjustment.objects.exists()
    assert Signal.objects.get(pk=signal.pk).stage == Stage.IN_VERKENNING


def test_only_a_steward_names_someone_else_as_owner_of_an_adjustment(world, policy_object):
    with pytest.raises(CommunityError) as refused:
        adjustments.create_adjustment(
            actor=world.initiatief_member,
            community=world.public,
            policy_object=policy_object,
            title="Sneller",
            proposed="Binnen drie maanden.",
            owner=world.gemeente_member,
        )
    assert refused.value.status == 403
    made = adjustments.create_adjustment(
        actor=world.steward,
        community=world.public,
        policy_object=policy_object,
        title="Sneller",
        proposed="Binnen drie maanden.",
        owner=world.gemeente_member,
    )
    assert made.owner == world.gemeente_member


def proposed_adjustment(world, policy_object, signals, owner):
    adjustment = adjustments.create_adjustment(
        actor=world.steward,
        community=world.public,
        policy_object=policy_object,
        title="Vergunning binnen drie maanden",
        proposed="De gemeente beslist binnen drie maanden.",
        owner=owner,
        signals=signals,
    )
    assert adjustment.stage == AdjustmentStage.VOORGESTELD  # a new one is a proposal
    return adjustment


def test_only_the_owner_or_a_steward_records_a_decision(world, policy_object):
    signal = explored(world)
    adjustment = proposed_adjustment(world, policy_object, [signal], world.gemeente_member)
    for outsider in (world.initiatief_member, world.observer, world.outsider):
        with pytest.raises(CommunityError) as refused:
            adjustments.decide_adjustment(
                actor=outsider, adjustment=adjustment, basis="college", reference="B&W 12"
            )
        assert refused.value.status == 403
    adjustment.refresh_from_db()
    assert adjustment.stage == AdjustmentStage.VOORGESTELD
    assert Signal.objects.get(pk=signal.pk).stage == Stage.AANPASSING_VOORGESTELD


def test_a_decision_records_who_decided_and_on_what_basis(world, policy_object):
    """The adjustment's owner decides for signals someone else explored: the signals move
    through the one move function, and each event says who decided and why it holds."""
    signal = explored(world, owner=world.steward)
    adjustment = proposed_adjustment(world, policy_object, [signal], world.gemeente_member)
    outbox().clear()
    adjustments.decide_adjustment(
        actor=world.gemeente_member,
        adjustment=adjustment,
        basis="college",
        reference="B&W-besluit 2026/114",
    )
    adjustment.refresh_from_db()
    assert adjustment.stage == AdjustmentStage.BESLOTEN_COLLEGE
    decided = LoopEvent.objects.get(signal=signal, to_stage=Stage.BESLOTEN)
    assert decided.actor == world.gemeente_member
    assert decided.decision_basis == "college"
    assert decided.decision_reference == "B&W-besluit 2026/114"
    assert decided.adjustment == adjustment
    assert Signal.objects.get(pk=signal.pk).stage == Stage.TERUGGEKOPPELD
    # Who raised it hears of the decision and of the answer; so does the signal's owner.
    title = signal.title
    assert sorted((m.to[0], m.subject) for m in outbox()) == [
        (world.initiatief_member.email, f"De gemeente heeft gereageerd op: {title}"),
        (world.initiatief_member.email, f"Er is een besluit genomen over: {title}"),
        (world.steward.email, f"De gemeente heeft gereageerd op: {title}"),
        (world.steward.email, f"Er is een besluit genomen over: {title}"),
    ]


def test_the_stage_move_to_a_decision_is_a_decision_with_its_basis(world, policy_object):
    signal = explored(world)
    adjustment = proposed_adjustment(world, policy_object, [signal], world.gemeente_member)
    adjustments.move_adjustment(
        actor=world.steward,
        adjustment=adjustment,
        to_stage=AdjustmentStage.BESLOTEN_AMBTELIJK,
        reference="Mandaatbesluit 7",
    )
    decided = LoopEvent.objects.get(signal=signal, to_stage=Stage.BESLOTEN)
    assert (decided.actor, decided.decision_basis, decided.decision_reference) == (
        world.steward,
        "ambtelijk",
        "Mandaatbesluit 7",
    )


def test_the_council_decides_through_the_same_function(world, policy_object):
    signal = explored(world)
    adjustment = proposed_adjustment(world, policy_object, [signal], world.gemeente_member)
    adjustments.move_adjustment(
        actor=world.gemeente_member, adjustment=adjustment, to_stage=AdjustmentStage.NAAR_DE_RAAD
    )
    assert Signal.objects.get(pk=signal.pk).stage == Stage.AANPASSING_VOORGESTELD
    adjustments.decide_adjustment(
        actor=world.steward, adjustment=adjustment, basis="raad", reference="Raadsbesluit 3"
    )
    assert LoopEvent.objects.get(signal=signal, to_stage=Stage.BESLOTEN).decision_basis == "raad"
    assert Signal.objects.get(pk=signal.pk).stage == Stage.TERUGGEKOPPELD


def test_a_decision_with_an_unknown_basis_changes_nothing(world, policy_object):
    signal = explored(world)
    adjustment = proposed_adjustment(world, policy_object, [signal], world.gemeente_member)
    with pytest.raises(CommunityError) as refused:
        adjustments.decide_adjustment(actor=world.steward, adjustment=adjustment, basis="koning")
    assert refused.value.status == 400
    adjustment.refresh_from_db()
    assert adjustment.stage == AdjustmentStage.VOORGESTELD


def test_signals_linked_before_exploration_also_hear_the_decision(world, noord, policy_object):
    """A steward links a signal still at "raised": when the adjustment is decided, that
    signal goes the loop's own way to feedback and its raiser hears it."""
    _organisation, initiative = noord
    early = raise_one(world, initiatives=[initiative])
    adjustment = proposed_adjustment(world, policy_object, [early], world.gemeente_member)
    assert Signal.objects.get(pk=early.pk).stage == Stage.GEMELD
    outbox().clear()
    adjustments.decide_adjustment(
        actor=world.gemeente_member, adjustment=adjustment, basis="college"
    )
    early = Signal.objects.get(pk=early.pk)
    assert early.stage == Stage.TERUGGEKOPPELD
    assert list(early.events.values_list("to_stage", flat=True)) == [
        Stage.GEMELD,
        Stage.IN_VERKENNING,
        Stage.AANPASSING_VOORGESTELD,
        Stage.BESLOTEN,
        Stage.TERUGGEKOPPELD,
    ]
    assert early.owner == world.gemeente_member
    assert outbox() and outbox()[-1].to == [world.initiatief_member.email]


def test_the_decision_through_the_api_says_who_and_on_what_basis(world, policy_object):
    signal = explored(world)
    adjustment = proposed_adjustment(world, policy_object, [signal], world.gemeente_member)
    url = f"/api/v1/adjustments/{adjustment.pk}/transitions"
    response = post(world.initiatief_member, url, {"toStage": "besloten-college"})
    assert response.status_code == 403
    response = post(
        world.gemeente_member, url, {"toStage": "besloten-college", "reference": "B&W 9"}
    )
    assert response.status_code == 200, response.content
    body = client_for(world.steward).get(f"/api/v1/signals/{signal.pk}").json()
    decided = next(e for e in body["events"] if e["toStage"] == "besloten")
    assert decided["decisionBasis"] == "college" and decided["decisionReference"] == "B&W 9"


# -- one move function for web and API ----------------------------------------------------


def test_the_move_function_checks_who_may_move(world):
    signal = raise_one(world)
    with pytest.raises(CommunityError) as refused:
        walk(signal, world.gemeente_member, Stage.BESPROKEN)  # stewards discuss
    assert refused.value.status == 403
    with pytest.raises(CommunityError) as refused:
        walk(signal, world.gemeente_member, Stage.IN_VERKENNING, owner=world.steward)
    assert refused.value.status == 403  # only a steward names someone else
    assert Signal.objects.get(pk=signal.pk).events.count() == 1


def test_a_refused_move_on_a_stale_page_says_it_moved_web_and_api_alike(world):
    signal = raise_one(world)
    seen = signal.last_event_id
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Niet van ons.")
    # The gemeente member saw "raised" and takes it up: it moved meanwhile, so 409.
    with pytest.raises(CommunityError) as conflict:
        services.move_signal(
            actor=world.gemeente_member,
            signal=Signal.objects.get(pk=signal.pk),
            move=Move(to_stage=Stage.IN_VERKENNING),
            seen_event_id=seen,
        )
    assert conflict.value.status == 409
    response = post(
        world.gemeente_member,
        f"/api/v1/signals/{signal.pk}/transitions",
        {"toStage": "in-verkenning", "seenEventId": seen},
    )
    assert response.status_code == 409


# -- raising on behalf of an initiative, hole 5: only listed initiatives ------------------


def test_raising_on_behalf_needs_a_confirmed_organisation(world, noord):
    _organisation, initiative = noord
    unconfirmed = UserFactory()
    MembershipFactory(
        user=unconfirmed,
        community=world.public,
        organisation=initiative.organisation,
        organisation_confirmed_at=None,
    )
    with pytest.raises(CommunityError) as refused:
        services.raise_signal(
            actor=unconfirmed,
            community=world.public,
            title="T",
            what_happened="W",
            on_behalf_of=initiative,
        )
    assert refused.value.status == 403
    assert not Signal.objects.filter(title="T").exists()
    signal = services.raise_signal(
        actor=world.initiatief_member,
        community=world.public,
        title="T",
        what_happened="W",
        on_behalf_of=initiative,
    )
    assert signal.on_behalf_of == initiative


def test_raising_needs_the_right_to_contribute(world):
    for user in (world.observer, world.outsider):
        with pytest.raises(CommunityError) as refused:
            services.raise_signal(actor=user, community=world.public, title="T", what_happened="W")
        assert refused.value.status == 403
    assert not Signal.objects.filter(title="T").exists()


@pytest.mark.parametrize("review", [Review.PENDING, Review.DECLINED])
def test_the_api_never_links_a_signal_to_an_unlisted_initiative(world, noord, review):
    organisation, _initiative = noord
    hidden = InitiativeFactory(
        community=world.public, organisation=organisation, name="Nog niet zichtbaar", review=review
    )
    url = "/api/v1/communities/publiek/signals"
    body = {"title": "T", "whatHappened": "W"}
    response = post(world.initiatief_member, url, {**body, "initiatives": [hidden.pk]})
    assert response.status_code == 400, response.content
    assert [p["name"] for p in response.json()["invalidParams"]] == ["initiatives"]
    response = post(world.initiatief_member, url, {**body, "onBehalfOf": hidden.pk})
    assert response.status_code == 400, response.content
    assert [p["name"] for p in response.json()["invalidParams"]] == ["onBehalfOf"]
    assert not Signal.objects.filter(title="T").exists()
    # Nor by changing a public signal afterwards.
    signal = raise_one(world)
    response = patch(
        world.initiatief_member, f"/api/v1/signals/{signal.pk}", {"initiatives": [hidden.pk]}
    )
    assert response.status_code == 400, response.content
    assert [p["name"] for p in response.json()["invalidParams"]] == ["initiatives"]
    assert list(signal.initiatives.all()) == []
    assert (
        "Nog niet zichtbaar"
        not in client_for(None).get(f"/api/v1/signals/{signal.pk}").content.decode()
    )


def test_the_service_never_links_an_unlisted_initiative(world, noord):
    organisation, _initiative = noord
    hidden = InitiativeFactory(
        community=world.public, organisation=organisation, review=Review.PENDING
    )
    with pytest.raises(CommunityError) as refused:
        raise_one(world, title="T", initiatives=[hidden])
    assert refused.value.status == 400
    assert not Signal.objects.filter(title="T").exists()


# -- hole 6: the similar-signals hint is cached and rate-limited ---------------------------


class CountingEncoder:
    def __init__(self):
        self.calls = 0

    def encode(self, texts):
        import numpy

        self.calls += 1
        if isinstance(texts, str):
            return numpy.ones(4) / 2
        return [numpy.ones(4) / 2 for _text in texts]


@pytest.fixture
def encoder(monkeypatch):
    from samenspel.learning import similar

    counting = CountingEncoder()
    monkeypatch.setattr(similar, "encoder", lambda: counting)
    return counting


def test_the_same_text_does_not_run_the_encoder_twice(world, encoder):
    raise_one(world, title="Warmtepomp subsidie duurt lang")
    url = "/en/c/publiek/signals/similar/"
    first = client_for(None).get(url, {"text": "Warmtepomp  subsidie"})
    assert first.status_code == 200 and "Warmtepomp subsidie duurt lang" in first.content.decode()
    calls = encoder.calls
    assert calls >= 1
    # The same text, written differently (case, spaces), from someone else: from the cache.
    again = client_for(world.steward).get(url, {"text": " warmtepomp SUBSIDIE "})
    assert "Warmtepomp subsidie duurt lang" in again.content.decode()
    assert encoder.calls == calls
    client_for(None).get(url, {"text": "warmtepomp vergunning"})
    assert encoder.calls > calls


def test_the_similar_partial_answers_429_past_its_rate(world, settings, encoder):
    settings.SIMILAR_SIGNALS_RATE = "3/m"
    url = "/en/c/publiek/signals/similar/"
    client = client_for(None)
    for n in range(3):
        assert client.get(url, {"text": f"warmtepomp {n}"}).status_code == 200
    response = client.get(url, {"text": "warmtepomp 4"})
    assert response.status_code == 429
    assert "Too many" in response.content.decode()
    # Another address still gets its answer.
    other = client.get(url, {"text": "warmtepomp 5"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_a_signed_in_member_is_limited_per_account_whatever_the_address(world, settings, encoder):
    settings.SIMILAR_SIGNALS_RATE = "2/m"
    url = "/en/c/publiek/signals/similar/"
    member = client_for(world.steward)
    assert member.get(url, {"text": "a"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert member.get(url, {"text": "b"}, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert member.get(url, {"text": "c"}, REMOTE_ADDR="10.0.0.3").status_code == 429


def test_the_similar_api_answers_a_429_problem_past_its_rate(world, settings, encoder):
    settings.SIMILAR_SIGNALS_RATE = "2/m"
    signal = raise_one(world)
    client = client_for(None)
    url = f"/api/v1/signals/{signal.pk}/similar"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 429


# -- reminders go to whoever must act next --------------------------------------------------


def send_loop_reminders(now):
    from samenspel.learning.reminders import send_loop_reminders

    return send_loop_reminders(now)


def test_after_feedback_the_initiative_side_is_reminded_not_the_owner(world, noord):
    _organisation, initiative = noord
    colleague = UserFactory(email="collega@example.org")
    MembershipFactory(user=colleague, community=world.public, organisation=initiative.organisation)
    unconfirmed = UserFactory(email="onbevestigd@example.org")
    MembershipFactory(
        user=unconfirmed,
        community=world.public,
        organisation=initiative.organisation,
        organisation_confirmed_at=None,
    )
    raiser = UserFactory(email="melder@example.org")
    MembershipFactory(user=raiser, community=world.public)
    signal = services.raise_signal(
        actor=raiser, community=world.public, title="T", what_happened="W", initiatives=[initiative]
    )
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    walk(signal, world.gemeente_member, Stage.TERUGGEKOPPELD, note="Opgelost.")
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert send_loop_reminders(timezone.now()) == 1
    recipients = {n.recipient for n in Notification.objects.filter(kind="loop-reminder")}
    assert recipients == {raiser, world.initiatief_member, colleague}


def test_a_signal_not_taken_up_reminds_the_raiser(world):
    signal = raise_one(world)
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Niet van ons.")
    assert send_loop_reminders(timezone.now() + timedelta(days=15)) == 1
    assert [n.recipient for n in Notification.objects.filter(kind="loop-reminder")] == [
        world.initiatief_member
    ]


def test_while_explored_the_owner_is_reminded(world):
    signal = raise_one(world)
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    assert send_loop_reminders(timezone.now() + timedelta(days=15)) == 1
    assert [n.recipient for n in Notification.objects.filter(kind="loop-reminder")] == [
        world.gemeente_member
    ]


# -- search over adjustments ----------------------------------------------------------------


@pytest.fixture
def two_adjustments(world, policy_object):
    made = []
    for title, proposed in (
        ("Vergunning sneller", "De gemeente beslist binnen drie maanden over warmtenetten."),
        ("Subsidie voor coöperaties", "Een vast bedrag per aangesloten woning."),
    ):
        made.append(
            adjustments.create_adjustment(
                actor=world.steward,
                community=world.public,
                policy_object=policy_object,
                title=title,
                proposed=proposed,
            )
        )
    return made


def test_the_adjustments_page_searches(world, two_adjustments):
    response = client_for(None).get("/en/c/publiek/adjustments/", {"q": "vergunning"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Vergunning sneller" in body and "Subsidie voor" not in body
    assert 'name="q"' in body
    body = client_for(None).get("/en/c/publiek/adjustments/", {"q": "woning bedrag"}).content
    assert b"Subsidie voor" in body and b"Vergunning sneller" not in body
    body = client_for(None).get("/en/c/publiek/adjustments/").content
    assert b"Subsidie voor" in body and b"Vergunning sneller" in body


def test_the_api_searches_adjustments(world, two_adjustments):
    url = "/api/v1/communities/publiek/adjustments"
    found = client_for(None).get(url, {"q": "warmtenetten"}).json()
    assert [item["title"] for item in found["items"]] == ["Vergunning sneller"]
    assert client_for(None).get(url, {"q": "nergens"}).json()["count"] == 0
    assert client_for(None).get(url).json()["count"] == 2


# -- no writes on GET: the defaults come with the community -------------------------------


def test_a_new_community_comes_with_its_themes_and_waiting_times(db):
    community = CommunityFactory(slug="nieuw")
    assert Theme.objects.filter(community=community).count() == 6
    assert LoopSettings.objects.filter(community=community).count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/en/c/publiek/themes/",
        "/en/c/publiek/signals/",
        "/en/c/publiek/signals/new/",
        "/api/v1/communities/publiek/themes",
        "/api/v1/communities/publiek/loop/settings",
    ],
)
def test_reading_pages_writes_nothing(world, url):
    Theme.objects.filter(community=world.public).delete()
    LoopSettings.objects.filter(community=world.public).delete()
    member = client_for(world.gemeente_member)
    with CaptureQueriesContext(connection) as queries:
        response = member.get(url)
    assert response.status_code == 200
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []
    assert not Theme.objects.filter(community=world.public).exists()
