"""The loop: which moves exist, who may make them, conflicts, and feedback that always arrives."""

import pytest

from samenspel.communities.models import Membership
from samenspel.communities.services import CommunityError
from samenspel.learning import permissions, services
from samenspel.learning.services import LoopConflict, Move
from samenspel.learning.stages import MOVES, Stage, move_exists
from tests.factories import OrganisationFactory
from tests.initiative_factories import InitiativeFactory
from tests.mailbox import outbox

ALL = list(Stage)


# The moves of the loop, written out by hand: a move added to or dropped from MOVES fails here.
EXPECTED_MOVES = {
    "gemeld": {"besproken", "in-verkenning", "niet-opgepakt"},
    "heropend": {"besproken", "in-verkenning", "niet-opgepakt"},
    "besproken": {"in-verkenning", "niet-opgepakt"},
    "in-verkenning": {"aanpassing-voorgesteld", "teruggekoppeld", "niet-opgepakt"},
    "aanpassing-voorgesteld": {"besloten", "niet-opgepakt"},
    "besloten": {"teruggekoppeld"},
    "teruggekoppeld": {"afgesloten", "heropend"},
    "niet-opgepakt": {"afgesloten", "heropend"},
    "afgesloten": {"heropend"},
}


@pytest.mark.parametrize("from_stage", ALL)
@pytest.mark.parametrize("to_stage", ALL)
def test_the_table_of_moves(from_stage, to_stage):
    expected = to_stage.value in EXPECTED_MOVES[from_stage.value]
    assert move_exists(from_stage, to_stage) is expected


def test_the_table_of_moves_has_no_stage_the_hand_table_does_not_know():
    assert {str(s) for s in MOVES} == set(EXPECTED_MOVES)
    assert {str(s) for s in Stage} == set(EXPECTED_MOVES)


@pytest.fixture
def signal(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation
    )
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    return services.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="Vergunning duurt te lang",
        what_happened="De vergunning voor het warmtenet liet negen maanden op zich wachten.",
        initiatives=[initiative],
    )


def walk(signal, actor, to_stage, **extra):
    return services.move_signal(
        signal=signal,
        actor=actor,
        move=Move(to_stage=to_stage, **extra),
        seen_event_id=signal.last_event_id,
    )


def test_a_signal_starts_raised_with_one_event(signal):
    assert signal.stage == Stage.GEMELD
    assert list(signal.events.values_list("to_stage", flat=True)) == [Stage.GEMELD]


@pytest.mark.parametrize(
    ("persona", "to_stage", "allowed"),
    [
        ("steward", Stage.BESPROKEN, True),
        ("gemeente_member", Stage.BESPROKEN, False),
        ("initiatief_member", Stage.BESPROKEN, False),
        ("gemeente_member", Stage.IN_VERKENNING, True),
        ("observer", Stage.IN_VERKENNING, False),
        ("outsider", Stage.IN_VERKENNING, False),
        ("anonymous", Stage.IN_VERKENNING, False),
        ("gemeente_member", Stage.NIET_OPGEPAKT, False),  # not its owner yet
        ("steward", Stage.NIET_OPGEPAKT, True),
        ("initiatief_member", Stage.AFGESLOTEN, False),  # no such move from "raised"
    ],
)
def test_who_may_make_the_first_moves(world, signal, persona, to_stage, allowed):
    assert permissions.can_move(world.persona(persona), signal, to_stage) is allowed


def test_the_whole_loop_and_the_feedback_that_always_arrives(world, signal):
    walk(signal, world.steward, Stage.BESPROKEN)
    walk(signal, world.gemeente_member, Stage.IN_VERKENNING)
    assert signal.owner == world.gemeente_member
    assert permissions.can_move(world.gemeente_member, signal, Stage.AANPASSING_VOORGESTELD)
    assert not permissions.can_move(world.initiatief_member, signal, Stage.AANPASSING_VOORGESTELD)
    walk(signal, world.gemeente_member, Stage.AANPASSING_VOORGESTELD)
    walk(signal, world.gemeente_member, Stage.BESLOTEN)
    outbox().clear()
    walk(signal, world.gemeente_member, Stage.TERUGGEKOPPELD, note="De procedure is ingekort.")
    assert [m.to for m in outbox()] == [["initiatief@example.org"]]
    assert "ingekort" in outbox()[0].body
    # Only the initiative side confirms.
    assert not permissions.can_move(world.gemeente_member, signal, Stage.AFGESLOTEN)
    assert permissions.can_move(world.initiatief_member, signal, Stage.AFGESLOTEN)
    walk(signal, world.initiatief_member, Stage.AFGESLOTEN, outcome="solved")
    assert signal.stage == Stage.AFGESLOTEN
    assert signal.events.count() == 7


def test_not_taking_it_up_needs_a_reason_and_still_sends_feedback(world, signal):
    with pytest.raises(CommunityError) as error:
        walk(signal, world.steward, Stage.NIET_OPGEPAKT)
    assert error.value.code == "reason_required"
    assert signal.events.count() == 1
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Dit ligt bij het Rijk.")
    assert outbox()[-1].to == ["initiatief@example.org"]


def test_two_people_moving_at_once_one_wins_and_nothing_is_overwritten(world, signal):
    seen = signal.last_event_id
    services.move_signal(
        signal=signal, actor=world.steward, move=Move(Stage.BESPROKEN), seen_event_id=seen
    )
    with pytest.raises(LoopConflict) as conflict:
        services.move_signal(
            signal=signal,
            actor=world.gemeente_member,
            move=Move(Stage.IN_VERKENNING),
            seen_event_id=seen,
        )
    assert conflict.value.status == 409
    signal.refresh_from_db()
    assert signal.stage == Stage.BESPROKEN
    assert signal.events.count() == 2


def test_closing_needs_an_outcome(world, signal):
    walk(signal, world.steward, Stage.NIET_OPGEPAKT, note="Buiten onze macht.")
    with pytest.raises(CommunityError):
        walk(signal, world.initiatief_member, Stage.AFGESLOTEN)
    assert signal.stage == Stage.NIET_OPGEPAKT


# -- who may make which move, written out by hand ----------------------------------------------
# Personas around one signal raised by `raiser` for an initiative of organisation "Noord",
# owned (in the policy loop) by `owner`: `colleague` is a confirmed member of Noord,
# `unconfirmed` says they belong to Noord but nobody confirmed it, `member` is any other
# contributing member.
PERSONAS = [
    "anonymous",
    "outsider",
    "observer",
    "member",
    "unconfirmed",
    "colleague",
    "raiser",
    "owner",
    "steward",
]
ANY_CONTRIBUTOR = {"member", "unconfirmed", "colleague", "raiser", "owner", "steward"}
RAISER_SIDE = {"raiser", "colleague"}
# Taking it up: any contributing member, except who raised it and speaks for its initiative.
TAKE_UP = {"member", "unconfirmed", "owner", "steward"}
OWNER_OR_STEWARD = {"owner", "steward"}
WHO_MAY_MOVE = {
    ("gemeld", "besproken"): {"steward"},
    ("gemeld", "in-verkenning"): TAKE_UP,
    ("gemeld", "niet-opgepakt"): OWNER_OR_STEWARD,
    ("heropend", "besproken"): {"steward"},
    ("heropend", "in-verkenning"): TAKE_UP,
    ("heropend", "niet-opgepakt"): OWNER_OR_STEWARD,
    ("besproken", "in-verkenning"): TAKE_UP,
    ("besproken", "niet-opgepakt"): OWNER_OR_STEWARD,
    ("in-verkenning", "aanpassing-voorgesteld"): OWNER_OR_STEWARD,
    ("in-verkenning", "teruggekoppeld"): OWNER_OR_STEWARD,
    ("in-verkenning", "niet-opgepakt"): OWNER_OR_STEWARD,
    ("aanpassing-voorgesteld", "besloten"): OWNER_OR_STEWARD,
    ("aanpassing-voorgesteld", "niet-opgepakt"): OWNER_OR_STEWARD,
    ("besloten", "teruggekoppeld"): OWNER_OR_STEWARD,
    # Only the initiative's side confirms or reopens (a steward only after the waiting time).
    ("teruggekoppeld", "afgesloten"): RAISER_SIDE,
    ("teruggekoppeld", "heropend"): RAISER_SIDE,
    ("niet-opgepakt", "afgesloten"): RAISER_SIDE,
    ("niet-opgepakt", "heropend"): RAISER_SIDE,
    ("afgesloten", "heropend"): RAISER_SIDE,
    # A few moves that do not exist: nobody makes them.
    ("gemeld", "afgesloten"): set(),
    ("gemeld", "besloten"): set(),
    ("afgesloten", "teruggekoppeld"): set(),
}


@pytest.fixture
def cast(world):
    from tests.factories import MembershipFactory, UserFactory

    noord = OrganisationFactory(community=world.public, name="Noord")
    people = {
        "member": world.gemeente_member,
        "raiser": world.initiatief_member,
        "owner": UserFactory(email="owner@example.org"),
        "colleague": UserFactory(email="colleague@example.org"),
        "unconfirmed": UserFactory(email="unconfirmed@example.org"),
    }
    MembershipFactory(user=people["owner"], community=world.public)
    MembershipFactory(user=people["colleague"], community=world.public, organisation=noord)
    MembershipFactory(
        user=people["unconfirmed"],
        community=world.public,
        organisation=noord,
        organisation_confirmed_at=None,
    )
    initiative = InitiativeFactory(community=world.public, organisation=noord)
    signal = services.raise_signal(
        actor=world.initiatief_member,
        community=world.public,
        title="Vergunning duurt te lang",
        what_happened="Negen maanden.",
        initiatives=[initiative],
    )
    return world, people, signal


def put_at(signal, stage, owner):
    """Place the signal at `stage` (as if it got there), owned by `owner`."""
    from django.utils import timezone

    from samenspel.learning.models import LoopEvent, Signal

    event = LoopEvent.objects.create(
        signal=signal, from_stage=signal.stage, to_stage=stage, at=timezone.now()
    )
    Signal.objects.filter(pk=signal.pk).update(last_event=event, owner=owner)
    return Signal.objects.select_related("last_event", "community").get(pk=signal.pk)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("from_stage", "to_stage"), list(WHO_MAY_MOVE))
def test_who_may_make_which_move(cast, persona, from_stage, to_stage):
    world, people, signal = cast
    signal = put_at(signal, from_stage, people["owner"])
    user = people.get(persona) or world.persona(persona)
    allowed = persona in WHO_MAY_MOVE[(from_stage, to_stage)]
    assert permissions.can_move(user, signal, to_stage) is allowed
    # The move function checks the same rule itself: no caller can skip it.
    move = Move(to_stage=to_stage, note="Zo is het.", outcome="solved")
    if allowed:
        services.move_signal(
            actor=user, signal=signal, move=move, seen_event_id=signal.last_event_id
        )
        assert signal.stage == to_stage
    else:
        with pytest.raises(CommunityError) as refused:
            services.move_signal(
                actor=user, signal=signal, move=move, seen_event_id=signal.last_event_id
            )
        assert refused.value.status in (400, 403)
        assert refused.value.status == (403 if move_exists(from_stage, to_stage) else 400)
        assert signal.events.count() == 2
