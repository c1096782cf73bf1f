"""The writes of track 1 as services that check their own key: called directly, bypassing
every page and API handler, an allowed actor succeeds and anyone else gets 403 while nothing
changes (no row and no history record). The growth path's writes live in growth.py, the
value catalogue's and the neighbourhoods' in services.py."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Organisation, Role, Side
from samenspel.communities.services import CommunityError
from samenspel.initiatives import growth, services
from samenspel.initiatives.choices import ExchangeKind, IndicatorKind, Phase, Review
from samenspel.initiatives.models import (
    CriterionCheck,
    EmissionFactor,
    Exchange,
    Indicator,
    Initiative,
    Mentorship,
    Neighbourhood,
    PhaseCriterion,
    SupportOffer,
)
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


@dataclass
class Cast:
    community: Community
    own: Organisation
    initiative: Initiative  # orientation, of `own`
    partner: Initiative  # development, of another organisation
    explorer: Initiative  # exploration, without an organisation
    criterion: PhaseCriterion
    offer: SupportOffer
    exchange: Exchange  # an open need of `initiative`
    mentorship: Mentorship  # the partner mentors the initiative
    indicator: Indicator
    neighbourhood: Neighbourhood
    people: dict[str, User]

    def actor(self, name: str) -> Any:
        return AnonymousUser() if name == "anonymous" else self.people[name]


@pytest.fixture
def cast(world) -> Cast:
    community = world.public  # the catalogue came with it
    own = OrganisationFactory(community=community, name="Buurtwarmte Oost")
    other = OrganisationFactory(community=community, name="Warmte West")
    third = OrganisationFactory(community=community, name="Zon Noord")

    def member(organisation: Organisation | None, **kwargs: Any) -> User:
        user = UserFactory()
        MembershipFactory(user=user, community=community, organisation=organisation, **kwargs)
        return user

    people = {
        "steward": world.steward,
        "member": member(own, side=Side.INITIATIEF),
        "other_member": member(other, side=Side.INITIATIEF),
        "third_member": member(third, side=Side.INITIATIEF),
        # Chose the organisation, not confirmed by anyone: grants nothing.
        "unconfirmed": member(own, side=Side.INITIATIEF, organisation_confirmed_at=None),
        # Confirmed for the organisation, but an observer takes no part.
        "observer": member(own, side=Side.OVERIG, role=Role.WAARNEMER),
        "outsider": world.outsider,
    }
    initiative = InitiativeFactory(
        community=community, organisation=own, phase=Phase.ORIENTATIE, review=Review.LISTED
    )
    partner = InitiativeFactory(
        community=community, organisation=other, phase=Phase.ONTWIKKELING, review=Review.LISTED
    )
    return Cast(
        community=community,
        own=own,
        initiative=initiative,
        partner=partner,
        criterion=PhaseCriterion.objects.filter(community=community).order_by("pk")[1],
        offer=SupportOffer.objects.filter(community=community).order_by("pk")[1],
        exchange=Exchange.objects.create(
            initiative=initiative, kind=ExchangeKind.NEED, title="Who did a feasibility study?"
        ),
        explorer=InitiativeFactory(community=community, phase=Phase.VERKENNING),
        mentorship=Mentorship.objects.create(mentor=partner, mentee=initiative),
        indicator=Indicator.objects.get(community=community, code="members"),
        neighbourhood=Neighbourhood.objects.create(community=community, name="Oost", homes=900),
        people=people,
    )


TRACKED = (
    PhaseCriterion,
    SupportOffer,
    CriterionCheck,
    Exchange,
    Mentorship,
    Indicator,
    EmissionFactor,
    Neighbourhood,
)


def snapshot() -> list[Any]:
    """Every row and every history record the services below could write."""
    state: list[Any] = []
    for model in TRACKED:
        state.append(list(model.objects.order_by("pk").values()))
        state.append(model.history.count())  # type: ignore[attr-defined]
    return state


def forget_memberships(cast: Cast) -> None:
    for user in cast.people.values():
        user.__dict__.pop("_membership_cache", None)


# -- each service, called directly -----------------------------------------------------------


def tick(c: Cast, actor: Any) -> object:
    return growth.set_checks(actor=actor, initiative=c.initiative, criterion_ids=[c.criterion.pk])


def add_criterion(c: Cast, actor: Any) -> object:
    return growth.add_criterion(
        actor=actor, community=c.community, phase=Phase.VERKENNING, text="A plan exists"
    )


def change_criterion(c: Cast, actor: Any) -> object:
    return growth.change_criterion(
        actor=actor, criterion=c.criterion, phase=c.criterion.phase, text="Has its own name"
    )


def move_criterion(c: Cast, actor: Any) -> object:
    return growth.move_in_catalogue(actor=actor, item=c.criterion, up=True)


def add_offer(c: Cast, actor: Any) -> object:
    return growth.add_support_offer(
        actor=actor, community=c.community, phase=Phase.VERKENNING, name="Advice", offered_by=c.own
    )


def change_offer(c: Cast, actor: Any) -> object:
    return growth.change_support_offer(
        actor=actor,
        offer=c.offer,
        phase=c.offer.phase,
        name="Kickstart",
        description="",
        offered_by=c.own,
    )


def move_offer(c: Cast, actor: Any) -> object:
    return growth.move_in_catalogue(actor=actor, item=c.offer, up=True)


def post_need(c: Cast, actor: Any) -> object:
    return growth.post_exchange(
        actor=actor, initiative=c.initiative, kind=ExchangeKind.NEED, title="Who has a pump?"
    )


def close_need(c: Cast, actor: Any) -> object:
    return growth.close_exchange(actor=actor, exchange=c.exchange)


def pair(c: Cast, actor: Any) -> object:
    return growth.pair_mentors(actor=actor, mentor=c.partner, mentee=c.explorer, note="Calls")


def end_mentorship(c: Cast, actor: Any) -> object:
    return growth.end_mentorship(actor=actor, mentorship=c.mentorship)


def add_indicator(c: Cast, actor: Any) -> object:
    return services.add_indicator(
        actor=actor,
        community=c.community,
        code="solar-panels",
        name="Solar panels",
        unit="panels",
        kind=IndicatorKind.NUMBER,
    )


def change_indicator(c: Cast, actor: Any) -> object:
    return services.change_indicator(
        actor=actor, indicator=c.indicator, name="Members", unit="people", description="Paid up."
    )


def add_factor(c: Cast, actor: Any) -> object:
    return services.add_emission_factor(
        actor=actor,
        community=c.community,
        value=Decimal("1.790"),
        source="CO2emissiefactoren.nl 2024",
        valid_from=date(2024, 1, 1),
    )


def add_neighbourhood(c: Cast, actor: Any) -> object:
    return services.add_neighbourhood(actor=actor, community=c.community, name="West", homes=400)


def change_neighbourhood(c: Cast, actor: Any) -> object:
    return services.change_neighbourhood(
        actor=actor, neighbourhood=c.neighbourhood, name="Oost-Zuid", homes=950, area=None
    )


def delete_neighbourhood(c: Cast, actor: Any) -> object:
    return services.delete_neighbourhood(actor=actor, neighbourhood=c.neighbourhood)


# Who else may do it: everyone not named here gets 403.
STEWARDS = ("steward",)
INITIATIVE_SIDE = ("steward", "member")
EITHER_SIDE = ("steward", "member", "other_member")
EVERYONE = (
    "steward",
    "member",
    "other_member",
    "third_member",
    "unconfirmed",
    "observer",
    "outsider",
    "anonymous",
)

SERVICES: dict[str, tuple[Callable[[Cast, Any], object], tuple[str, ...]]] = {
    "tick criteria": (tick, INITIATIVE_SIDE),
    "add a criterion": (add_criterion, STEWARDS),
    "change a criterion": (change_criterion, STEWARDS),
    "move a criterion": (move_criterion, STEWARDS),
    "add a support offer": (add_offer, STEWARDS),
    "change a support offer": (change_offer, STEWARDS),
    "move a support offer": (move_offer, STEWARDS),
    "post a need": (post_need, INITIATIVE_SIDE),
    "close a need": (close_need, INITIATIVE_SIDE),
    "pair mentors": (pair, STEWARDS),
    "end a mentorship": (end_mentorship, EITHER_SIDE),
    "add an indicator": (add_indicator, STEWARDS),
    "change an indicator": (change_indicator, STEWARDS),
    "add an emission factor": (add_factor, STEWARDS),
    "add a neighbourhood": (add_neighbourhood, STEWARDS),
    "change a neighbourhood": (change_neighbourhood, STEWARDS),
    "delete a neighbourhood": (delete_neighbourhood, STEWARDS),
}

CALLS = [
    pytest.param(name, persona, persona in allowed, id=f"{name}-{persona}")
    for name, (_call, allowed) in SERVICES.items()
    for persona in EVERYONE
]


@pytest.mark.parametrize(("service", "persona", "allowed"), CALLS)
def test_each_service_checks_its_own_key(cast, service, persona, allowed):
    call, _allowed = SERVICES[service]
    actor = cast.actor(persona)
    before = snapshot()
    if allowed:
        call(cast, actor)
        assert snapshot() != before
    else:
        with pytest.raises(CommunityError) as refused:
            call(cast, actor)
        assert refused.value.status == 403
        assert refused.value.code == "forbidden"
        assert snapshot() == before


def test_the_site_admin_keeps_every_catalogue(world, cast):
    before = snapshot()
    add_criterion(cast, world.admin)
    add_indicator(cast, world.admin)
    add_neighbourhood(cast, world.admin)
    assert snapshot() != before


def test_an_organisation_counts_once_confirmed(cast):
    unconfirmed = cast.people["unconfirmed"]
    with pytest.raises(CommunityError):
        tick(cast, unconfirmed)
    membership = unconfirmed.memberships.get(community=cast.community)
    membership.organisation_confirmed_at = membership.joined_at
    membership.save()
    forget_memberships(cast)
    tick(cast, unconfirmed)
    assert CriterionCheck.objects.filter(initiative=cast.initiative).count() == 1


# -- the rules besides who: bad input changes nothing ----------------------------------------


def refused(call: Callable[[], object], code: str) -> CommunityError:
    before = snapshot()
    with pytest.raises(CommunityError) as error:
        call()
    assert error.value.code == code
    assert snapshot() == before
    return error.value


def test_criteria_of_another_community_cannot_be_ticked(world, cast):
    foreign = PhaseCriterion.objects.filter(community=world.private).first()
    steward = cast.people["steward"]
    refused(
        lambda: growth.set_checks(
            actor=steward, initiative=cast.initiative, criterion_ids=[foreign.pk]
        ),
        "unknown_criterion",
    )


def test_an_offer_names_an_organisation_of_its_own_community(world, cast):
    stranger = OrganisationFactory(community=world.private)
    steward = cast.people["steward"]
    refused(
        lambda: growth.add_support_offer(
            actor=steward,
            community=cast.community,
            phase=Phase.VERKENNING,
            name="Advice",
            offered_by=stranger,
        ),
        "unknown_organisation",
    )
    refused(
        lambda: growth.change_support_offer(
            actor=steward,
            offer=cast.offer,
            phase=cast.offer.phase,
            name="Advice",
            description="",
            offered_by=stranger,
        ),
        "unknown_organisation",
    )


def test_an_outdated_change_overwrites_nothing(cast):
    steward = cast.people["steward"]
    growth.change_criterion(
        actor=steward, criterion=cast.criterion, phase=cast.criterion.phase, text="First"
    )
    seen = services.latest_version(cast.criterion)
    growth.change_criterion(
        actor=steward,
        criterion=cast.criterion,
        phase=cast.criterion.phase,
        text="Second",
        seen_version=seen,
    )
    error = refused(
        lambda: growth.change_criterion(
            actor=steward,
            criterion=cast.criterion,
            phase=cast.criterion.phase,
            text="Third",
            seen_version=seen,
        ),
        "edit_conflict",
    )
    assert error.status == 412
    cast.criterion.refresh_from_db()
    assert cast.criterion.text == "Second"


def test_only_listed_initiatives_post_needs_and_offers(cast):
    steward = cast.people["steward"]
    Initiative.objects.filter(pk=cast.initiative.pk).update(review=Review.PENDING)
    cast.initiative.refresh_from_db()
    refused(
        lambda: growth.post_exchange(
            actor=steward, initiative=cast.initiative, kind=ExchangeKind.NEED, title="A pump"
        ),
        "not_listed",
    )


def test_a_closed_need_stays_closed_and_an_ended_mentorship_ended(cast):
    member = cast.people["member"]
    growth.close_exchange(actor=member, exchange=cast.exchange)
    cast.exchange.refresh_from_db()
    assert not cast.exchange.is_open
    growth.end_mentorship(actor=member, mentorship=cast.mentorship)
    refused(
        lambda: growth.end_mentorship(actor=member, mentorship=cast.mentorship), "already_ended"
    )
    again = growth.pair_mentors(
        actor=cast.people["steward"], mentor=cast.partner, mentee=cast.initiative
    )
    assert again.ended_at is None


def test_an_indicator_code_is_used_once(cast):
    steward = cast.people["steward"]
    refused(
        lambda: services.add_indicator(
            actor=steward, community=cast.community, code="Members", name="Members again"
        ),
        "duplicate_code",
    )
    indicator = services.add_indicator(
        actor=steward, community=cast.community, code=" Solar-Panels ", name="Solar panels"
    )
    assert indicator.code == "solar-panels"
    highest = Indicator.objects.filter(community=cast.community).exclude(pk=indicator.pk)
    assert indicator.order > max(i.order for i in highest)


def test_an_emission_factor_date_is_used_once(cast):
    steward = cast.people["steward"]
    taken = EmissionFactor.objects.filter(community=cast.community).first()
    refused(
        lambda: services.add_emission_factor(
            actor=steward,
            community=cast.community,
            value=Decimal("1.8"),
            source="Elsewhere",
            valid_from=taken.valid_from,
        ),
        "duplicate_date",
    )
    refused(
        lambda: services.add_emission_factor(
            actor=steward,
            community=cast.community,
            value=Decimal("1.8"),
            source="   ",
            valid_from=date(2025, 1, 1),
        ),
        "source_required",
    )


def test_a_neighbourhood_name_is_used_once(cast):
    steward = cast.people["steward"]
    refused(
        lambda: services.add_neighbourhood(actor=steward, community=cast.community, name="oost "),
        "duplicate_name",
    )
    other = services.add_neighbourhood(actor=steward, community=cast.community, name="West")
    refused(
        lambda: services.change_neighbourhood(
            actor=steward, neighbourhood=other, name="OOST", homes=None, area=None
        ),
        "duplicate_name",
    )


def test_deleting_a_neighbourhood_keeps_its_initiatives(cast):
    cast.initiative.neighbourhoods.add(cast.neighbourhood)
    services.delete_neighbourhood(actor=cast.people["steward"], neighbourhood=cast.neighbourhood)
    assert not Neighbourhood.objects.filter(pk=cast.neighbourhood.pk).exists()
    assert Initiative.objects.filter(pk=cast.initiative.pk).exists()
