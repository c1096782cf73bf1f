"""Rules of who may do what that `make mutants` found untested: each test states one rule
and fails when a mutation of the permission or service modules changes who may do it
(a predicate turned, an `and` become `or`, a check or a limit moved)."""

from datetime import timedelta

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from samenspel.initiatives.permissions import get_initiative_for_user
from samenspel.learning import permissions, services
from samenspel.learning.models import Adjustment, LoopEvent, LoopSettings, PolicyObject, Signal
from samenspel.learning.stages import Stage, move_exists
from tests.factories import MembershipFactory, UserFactory
from tests.initiative_factories import InitiativeFactory


def raised(world):
    return services.raise_signal(
        actor=world.initiatief_member,
        community=world.public,
        title="Vergunning duurt te lang",
        what_happened="Negen maanden.",
    )


def answered(signal, *, days_ago, owner=None):
    """The signal as if feedback was given `days_ago` days ago (the initiative's turn)."""
    event = LoopEvent.objects.create(
        signal=signal,
        from_stage=signal.stage,
        to_stage=Stage.TERUGGEKOPPELD,
        at=timezone.now() - timedelta(days=days_ago),
    )
    Signal.objects.filter(pk=signal.pk).update(last_event=event, owner=owner)
    return Signal.objects.select_related("last_event", "community").get(pk=signal.pk)


def waiting_days(community, days):
    LoopSettings.objects.update_or_create(
        community=community, defaults={"close_without_answer_after_days": days}
    )


# -- a steward closes without the initiative's answer only after the waiting time ----------


@pytest.mark.parametrize(("days_ago", "may_close"), [(9, False), (11, True)])
def test_a_steward_closes_without_an_answer_only_after_the_communitys_waiting_time(
    world, days_ago, may_close
):
    waiting_days(world.public, 10)
    signal = answered(raised(world), days_ago=days_ago)
    assert permissions.can_move(world.steward, signal, Stage.AFGESLOTEN) is may_close


@pytest.mark.parametrize(("days_ago", "may_close"), [(29, False), (30.01, True)])
def test_without_waiting_times_a_steward_waits_thirty_days(world, days_ago, may_close):
    LoopSettings.objects.filter(community=world.public).delete()
    signal = answered(raised(world), days_ago=days_ago)
    assert permissions.can_move(world.steward, signal, Stage.AFGESLOTEN) is may_close


def test_the_waiting_time_ends_on_the_day_itself(world):
    waiting_days(world.public, 10)
    with time_machine.travel(timezone.now(), tick=False):
        signal = answered(raised(world), days_ago=10)
        assert permissions.can_move(world.steward, signal, Stage.AFGESLOTEN)


def test_the_waiting_time_of_another_community_does_not_count(world):
    waiting_days(world.public, 30)
    waiting_days(world.private, 5)
    signal = answered(raised(world), days_ago=10)
    assert not permissions.can_move(world.steward, signal, Stage.AFGESLOTEN)


# -- an adjustment carries only the signals linked to it -----------------------------------


def test_an_adjustments_owner_moves_only_the_signals_linked_to_it(world):
    owner = UserFactory(email="beleid@example.org")
    MembershipFactory(user=owner, community=world.public)
    policy_object = PolicyObject.objects.create(
        community=world.public, kind="regel", name="Vergunning"
    )
    adjustment = Adjustment.objects.create(
        community=world.public,
        policy_object=policy_object,
        title="Sneller vergunnen",
        proposed="Binnen acht weken.",
        owner=owner,
    )
    signal = raised(world)
    services.move_signal(
        actor=world.gemeente_member,
        signal=signal,
        move=services.Move(to_stage=Stage.IN_VERKENNING),
        seen_event_id=signal.last_event_id,
    )
    signal = Signal.objects.select_related("last_event", "community").get(pk=signal.pk)
    to = Stage.AANPASSING_VOORGESTELD
    assert not permissions.can_move(owner, signal, to, adjustment=adjustment)
    adjustment.signals.add(signal)
    assert permissions.can_move(owner, signal, to, adjustment=adjustment)


# -- the table of moves ------------------------------------------------------------------


def test_no_move_leaves_a_stage_the_loop_does_not_know():
    assert not move_exists("onbekend", Stage.BESPROKEN)


# -- an initiative is found only where it may be seen ------------------------------------


def test_an_archived_communitys_initiative_is_not_found_by_its_id_even_by_a_member(world):
    initiative = InitiativeFactory(community=world.public)
    assert get_initiative_for_user(world.steward, pk=initiative.pk) == initiative
    world.public.archived_at = timezone.now()
    world.public.save()
    with pytest.raises(Http404):
        get_initiative_for_user(world.steward, pk=initiative.pk)


def test_an_initiative_is_found_by_its_own_short_name_only(world):
    InitiativeFactory(community=world.public, slug="eerste")
    second = InitiativeFactory(community=world.public, slug="tweede")
    found = get_initiative_for_user(world.outsider, community="publiek", slug="tweede")
    assert found == second
    with pytest.raises(Http404):
        get_initiative_for_user(world.outsider, community="publiek", slug="derde")
