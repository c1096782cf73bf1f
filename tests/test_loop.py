"""The loop: which moves exist, who may make them, conflicts, and feedback that always arrives."""

import pytest
from django.core import mail

from samenspel.communities.models import Membership
from samenspel.communities.services import CommunityError
from samenspel.learning import permissions, services
from samenspel.learning.services import LoopConflict, Move
from samenspel.learning.stages import MOVES, Stage, move_exists
from tests.factories import OrganisationFactory
from tests.initiative_factories import InitiativeFactory

ALL = list(Stage)


@pytest.mark.parametrize("from_stage", ALL)
@pytest.mark.parametrize("to_stage", ALL)
def test_the_table_of_moves(from_stage, to_stage):
    expected = to_stage in MOVES.get(from_stage, set())
    assert move_exists(from_stage, to_stage) is expected
    # A few moves that must never exist:
    if from_stage == Stage.GEMELD and to_stage == Stage.AFGESLOTEN:
        assert not expected  # nobody closes a loop that never gave feedback
    if to_stage == Stage.GEMELD:
        assert not expected


@pytest.fixture
def signal(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation
    )
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    return services.raise_signal(
        community=world.public,
        raised_by=world.initiatief_member,
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
    mail.outbox.clear()
    walk(signal, world.gemeente_member, Stage.TERUGGEKOPPELD, note="De procedure is ingekort.")
    assert [m.to for m in mail.outbox] == [["initiatief@example.org"]]
    assert "ingekort" in mail.outbox[0].body
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
    assert mail.outbox[-1].to == ["initiatief@example.org"]


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
