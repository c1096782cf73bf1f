"""Rules of the service modules that `make mutants` found untested (the second, whole run):
each test states one rule and fails when a mutation changes it — who may do what first,
then what an API client reads back (the code and status of a refusal)."""

from datetime import datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone, translation

from samenspel.communities import services as community_services
from samenspel.communities.models import Membership, Role, Side
from samenspel.communities.services import CommunityError
from samenspel.core.models import Notification
from samenspel.initiatives import growth
from samenspel.initiatives import services as initiative_services
from samenspel.initiatives.models import Neighbourhood, PhaseCriterion, SupportOffer
from samenspel.learning import adjustments, services
from samenspel.learning.models import (
    Adjustment,
    AdjustmentStage,
    DecisionBasis,
    LoopEvent,
    PolicyObject,
)
from samenspel.learning.stages import Stage
from tests.factories import CommunityFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory


@pytest.fixture(autouse=True)
def english():
    """The refusals are read in English here (their Dutch is checked by check_messages)."""
    with translation.override("en"):
        yield


def _raised(world, **links):
    return services.raise_signal(
        actor=world.initiatief_member,
        community=world.public,
        title="Vergunning duurt te lang",
        what_happened="Negen maanden.",
        **links,
    )


# -- invitations -----------------------------------------------------------------------


def test_someone_elses_verified_address_does_not_open_an_invitation(world):
    issued = community_services.invite(
        community=world.private,
        invited_by=world.steward,
        email="nieuw@example.org",
        side=Side.INITIATIEF,
    )
    owner = UserFactory(email="eigenaar@example.org")
    EmailAddress.objects.create(user=owner, email="nieuw@example.org", verified=True)
    stranger = UserFactory(email="vreemde@example.org")
    token = issued.url.rstrip("/").rsplit("/", 1)[1]
    with pytest.raises(CommunityError) as error:
        community_services.accept_invitation(raw_token=token, user=stranger)
    assert error.value.code == "invitation_other_address"
    assert not Membership.objects.filter(user=stranger, community=world.private).exists()


# -- the last steward --------------------------------------------------------------------


def test_a_steward_may_step_down_while_another_steward_stays(world):
    second = UserFactory(email="tweede@example.org")
    MembershipFactory(user=second, community=world.public, role=Role.STEWARD)
    membership = Membership.objects.get(user=world.steward, community=world.public)
    changed = community_services.change_role(actor=second, membership=membership, role=Role.LID)
    assert changed.role == Role.LID


def test_the_last_steward_is_refused_with_a_code_the_api_shows(world):
    membership = Membership.objects.get(user=world.steward, community=world.public)
    with pytest.raises(CommunityError) as error:
        community_services.change_role(actor=world.steward, membership=membership, role=Role.LID)
    assert error.value.code == "last_steward"
    membership.refresh_from_db()
    assert membership.role == Role.STEWARD


# -- the loop: conflicts and decisions ---------------------------------------------------


def test_a_stale_move_is_a_conflict_with_its_own_code(world):
    signal = _raised(world)
    seen = signal.last_event_id
    services.move_signal(
        actor=world.steward,
        signal=signal,
        move=services.Move(to_stage=Stage.BESPROKEN),
        seen_event_id=seen,
    )
    with pytest.raises(CommunityError) as error:
        services.move_signal(
            actor=world.gemeente_member,
            signal=signal,
            move=services.Move(to_stage=Stage.IN_VERKENNING),
            seen_event_id=seen,
        )
    assert (error.value.code, error.value.status) == ("loop_conflict", 409)
    assert "Someone else moved this signal" in error.value.message


@pytest.fixture
def proposal(world):
    policy_object = PolicyObject.objects.create(
        community=world.public, kind="regel", name="Vergunning"
    )
    return Adjustment.objects.create(
        community=world.public,
        policy_object=policy_object,
        title="Sneller vergunnen",
        proposed="Binnen acht weken.",
        owner=world.gemeente_member,
        stage=AdjustmentStage.NAAR_DE_RAAD,
    )


def test_a_decision_on_a_stage_someone_else_left_is_a_conflict(world, proposal):
    adjustments.move_adjustment(
        actor=world.steward, adjustment=proposal, to_stage=AdjustmentStage.INGEVOERD
    )
    with pytest.raises(CommunityError) as error:
        adjustments.decide_adjustment(
            actor=world.gemeente_member,
            adjustment=proposal,
            basis=DecisionBasis.RAAD,
            seen_stage=AdjustmentStage.NAAR_DE_RAAD,
        )
    assert error.value.code == "adjustment_conflict"
    proposal.refresh_from_db()
    assert proposal.stage == AdjustmentStage.INGEVOERD


def test_a_decision_without_a_basis_is_refused_plainly(world, proposal):
    with pytest.raises(CommunityError) as error:
        adjustments.decide_adjustment(actor=world.gemeente_member, adjustment=proposal, basis="")
    assert (error.value.code, error.value.status) == ("invalid_basis", 400)
    assert error.value.message.startswith("Say who decided")


def test_only_the_owner_or_a_steward_records_a_decision_and_is_told_so(world, proposal):
    with pytest.raises(CommunityError) as error:
        adjustments.decide_adjustment(
            actor=world.initiatief_member, adjustment=proposal, basis=DecisionBasis.RAAD
        )
    assert error.value.status == 403
    assert error.value.message == "Only its owner or a steward records the decision."


def test_a_decision_keeps_no_reference_unless_one_is_given(world, proposal):
    signal = _raised(world)
    proposal.signals.add(signal)
    adjustments.decide_adjustment(
        actor=world.gemeente_member, adjustment=proposal, basis=DecisionBasis.RAAD
    )
    proposal.refresh_from_db()
    assert proposal.stage == AdjustmentStage.BESLOTEN_RAAD
    decided = LoopEvent.objects.get(signal=signal, to_stage=Stage.BESLOTEN)
    assert (decided.decision_basis, decided.decision_reference) == (DecisionBasis.RAAD, "")


# -- catalogues: names per community, order, organisations -------------------------------


def test_a_neighbourhood_name_is_unique_per_community_only(world):
    other = CommunityFactory(name="Elders", slug="elders")
    Neighbourhood.objects.create(community=other, name="Assendorp")
    added = initiative_services.add_neighbourhood(
        actor=world.steward, community=world.public, name="Assendorp"
    )
    assert added.community == world.public
    with pytest.raises(CommunityError) as error:
        initiative_services.add_neighbourhood(
            actor=world.steward, community=world.public, name="assendorp"
        )
    assert (error.value.code, error.value.status) == ("duplicate_name", 400)
    assert error.value.message == "There is already a neighbourhood with this name."


def test_a_new_criterion_comes_last_in_its_own_community(world):
    other = CommunityFactory(name="Elders", slug="elders")
    PhaseCriterion.objects.filter(community=world.public).delete()
    PhaseCriterion.objects.create(community=other, phase="verkenning", text="Elders", order=7)
    first = growth.add_criterion(
        actor=world.steward, community=world.public, phase="verkenning", text="Een"
    )
    second = growth.add_criterion(
        actor=world.steward, community=world.public, phase="verkenning", text="Twee"
    )
    assert (first.order, second.order) == (0, 1)


def test_support_is_offered_by_an_organisation_of_the_community_only(world):
    elsewhere = OrganisationFactory(community=CommunityFactory(name="Elders", slug="elders"))
    with pytest.raises(CommunityError) as error:
        growth.add_support_offer(
            actor=world.steward,
            community=world.public,
            phase="verkenning",
            name="Advies",
            offered_by=elsewhere,
        )
    assert (error.value.code, error.value.status) == ("unknown_organisation", 400)
    assert error.value.message == "No organisation of this community has this id."


# -- who hears of a support request -------------------------------------------------------


def _offer(world, offered_by=None):
    return growth.add_support_offer(
        actor=world.steward,
        community=world.public,
        phase="verkenning",
        name="Advies over de vergunning",
        offered_by=offered_by,
    )


def _ask(world, offer):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation, organisation_confirmed_at=timezone.now()
    )
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    initiative_services.request_support(
        actor=world.initiatief_member,
        initiative=initiative,
        offer_id=offer.pk,
        message="Wij zoeken hulp bij de aanvraag.",
    )
    return set(
        Notification.objects.filter(kind="support-request").values_list("recipient", flat=True)
    )


def test_a_support_request_reaches_the_offering_organisations_confirmed_members(world):
    gemeente = OrganisationFactory(community=world.public, name="Gemeente")
    confirmed = UserFactory(email="ambtenaar@example.org")
    waiting = UserFactory(email="wacht@example.org")
    observer = UserFactory(email="kijker@example.org")
    MembershipFactory(user=confirmed, community=world.public, organisation=gemeente)
    MembershipFactory(
        user=waiting, community=world.public, organisation=gemeente, organisation_confirmed_at=None
    )
    MembershipFactory(
        user=observer, community=world.public, organisation=gemeente, role=Role.WAARNEMER
    )
    assert _ask(world, _offer(world, offered_by=gemeente)) == {confirmed.pk}


def test_without_an_offering_organisation_the_communitys_own_stewards_hear_of_it(world):
    elsewhere = CommunityFactory(name="Elders", slug="elders")
    MembershipFactory(
        user=UserFactory(email="elders@example.org"), community=elsewhere, role=Role.STEWARD
    )
    assert _ask(world, _offer(world)) == {world.steward.pk}


# -- refusals an API client reads back ----------------------------------------------------


def test_a_used_or_expired_invitation_says_so_with_its_code(world):
    issued = community_services.invite(
        community=world.private,
        invited_by=world.steward,
        email="nieuw@example.org",
        side=Side.INITIATIEF,
    )
    token = issued.url.rstrip("/").rsplit("/", 1)[1]
    invitation = issued.invitation
    invitation.expires_at = timezone.make_aware(datetime(2026, 3, 9, 12, 0))
    invitation.save()
    with pytest.raises(CommunityError) as error:
        community_services.find_invitation(token)
    assert (error.value.code, error.value.status) == ("invitation_expired", 410)
    assert error.value.message == (
        "This invitation expired on 09-03-2026. Ask a steward for a new one."
    )
    invitation.accepted_at = timezone.now()
    invitation.save()
    with pytest.raises(CommunityError) as error:
        community_services.find_invitation(token)
    assert (error.value.code, error.value.status) == ("invitation_used", 410)
    with pytest.raises(CommunityError) as error:
        community_services.find_invitation("vervalst")
    assert (error.value.code, error.value.status) == ("invitation_invalid", 404)


def test_a_change_to_something_gone_or_changed_meanwhile_is_refused_plainly(world):
    offer = _offer(world)
    same = {"phase": offer.phase, "description": "", "offered_by": None}
    seen = initiative_services.latest_version(offer)
    growth.change_support_offer(actor=world.steward, offer=offer, name="Nieuw advies", **same)
    with pytest.raises(CommunityError) as error:
        growth.change_support_offer(
            actor=world.steward, offer=offer, name="Ander advies", seen_version=seen, **same
        )
    assert (error.value.code, error.value.status) == ("edit_conflict", 412)
    assert error.value.message.startswith("Someone changed this after your version.")
    SupportOffer.objects.filter(pk=offer.pk).delete()
    with pytest.raises(CommunityError) as error:
        growth.change_support_offer(actor=world.steward, offer=offer, name="Weg", **same)
    assert (error.value.code, error.value.status, error.value.message) == (
        "gone",
        410,
        "This no longer exists.",
    )


def test_a_phase_that_does_not_exist_is_refused_plainly(world):
    with pytest.raises(CommunityError) as error:
        growth.add_criterion(actor=world.steward, community=world.public, phase="maan", text="X")
    assert (error.value.code, error.value.status) == ("invalid_phase", 400)
    assert error.value.message == "Choose a phase from the list."


# -- who confirms whom for an organisation ------------------------------------------------


def test_a_steward_sees_only_this_communitys_unconfirmed_organisation_choices(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    waiting = UserFactory(email="wacht@example.org")
    confirmed = UserFactory(email="bevestigd@example.org")
    MembershipFactory(
        user=waiting,
        community=world.public,
        organisation=organisation,
        organisation_confirmed_at=None,
    )
    MembershipFactory(user=confirmed, community=world.public, organisation=organisation)
    elsewhere = OrganisationFactory(community=world.private, name="Elders")
    MembershipFactory(
        user=UserFactory(email="elders@example.org"),
        community=world.private,
        organisation=elsewhere,
        organisation_confirmed_at=None,
    )
    from samenspel.communities.permissions import organisation_requests_for_user

    shown = organisation_requests_for_user(world.steward, world.public)
    assert [m.user for m in shown] == [waiting]  # not the confirmed, not one without choice


# -- the registrant of a listed initiative ------------------------------------------------


def _register(world, actor, name="Warmte Noord"):
    return initiative_services.register_initiative(actor=actor, community=world.public, name=name)


def _list(world, initiative):
    return initiative_services.review_initiative(
        actor=world.steward, initiative=initiative, decision="listed"
    )


def test_listing_makes_the_registrant_confirmed_in_this_community_only(world):
    newcomer = UserFactory(email="nieuw@example.org")
    earlier = timezone.now() - timedelta(days=30)
    MembershipFactory(user=newcomer, community=world.private, joined_at=earlier)
    MembershipFactory(user=newcomer, community=world.public, side=Side.INITIATIEF)
    initiative = _list(world, _register(world, newcomer))
    here = Membership.objects.get(user=newcomer, community=world.public)
    there = Membership.objects.get(user=newcomer, community=world.private)
    assert here.confirmed_organisation_id == initiative.organisation_id
    assert here.organisation_confirmed_by == world.steward
    assert there.organisation_id is None


def test_a_deactivated_registrant_gets_no_keys(world):
    newcomer = UserFactory(email="nieuw@example.org")
    MembershipFactory(user=newcomer, community=world.public, side=Side.INITIATIEF)
    initiative = _register(world, newcomer)
    newcomer.is_active = False
    newcomer.save()
    _list(world, initiative)
    membership = Membership.objects.get(user=newcomer, community=world.public)
    assert membership.organisation_id is None


def test_an_initiative_named_like_an_organisation_gets_its_own_numbered_one(world):
    OrganisationFactory(community=world.public, name="warmte noord")
    OrganisationFactory(community=world.public, name="Warmte Noord (2)")
    OrganisationFactory(community=world.private, name="Warmte Zuid")
    north = _list(world, _register(world, world.initiatief_member))
    south = _list(world, _register(world, world.gemeente_member, name="Warmte Zuid"))
    assert north.organisation.name == "Warmte Noord (3)"
    assert south.organisation.name == "Warmte Zuid"  # another community's name is free
    assert north.organisation.kind == south.organisation.kind == "initiatief"


def test_names_that_make_the_same_short_name_get_different_ones(world):
    first = _register(world, world.initiatief_member, name="Warmte Noord")
    second = _register(world, world.initiatief_member, name="Warmte-Noord!")
    elsewhere = initiative_services.register_initiative(
        actor=world.initiatief_member, community=world.private, name="Warmte Noord"
    )
    assert first.slug == elsewhere.slug == "warmte-noord"
    assert second.slug not in ("warmte-noord", "")


# -- members: found in their own community only, joined once per community ----------------


def test_a_member_is_found_through_their_own_community_only(world):
    from django.http import Http404

    from samenspel.communities.permissions import get_member_for_user

    third = CommunityFactory(name="Derde", slug="derde", is_public=False)
    elsewhere = MembershipFactory(user=UserFactory(email="derde@example.org"), community=third)
    with pytest.raises(Http404):
        get_member_for_user(world.steward, world.public, elsewhere.pk)
    inside = Membership.objects.get(user=world.observer, community=world.private)
    with pytest.raises(Http404):  # a private community's members: not for outsiders
        get_member_for_user(world.outsider, world.private, inside.pk)
    assert get_member_for_user(world.gemeente_member, world.private, inside.pk) == inside
    far = MembershipFactory(pk=5000, user=UserFactory(email="ver@example.org"), community=third)
    assert get_member_for_user(world.admin, third, far.pk) == far
    for impossible in (0, -1, 2**63, 2**64):
        with pytest.raises(Http404):
            get_member_for_user(world.admin, third, impossible)


def test_a_member_of_one_community_may_join_another(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    issued = community_services.invite(
        community=world.public,
        invited_by=world.steward,
        email="outsider@example.org",
        side=Side.INITIATIEF,
        role=Role.STEWARD,
        organisation=organisation,
    )
    MembershipFactory(user=world.outsider, community=CommunityFactory(name="Elders", slug="elders"))
    token = issued.url.rstrip("/").rsplit("/", 1)[1]
    membership = community_services.accept_invitation(raw_token=token, user=world.outsider)
    assert (membership.community, membership.role) == (world.public, Role.STEWARD)
    assert membership.organisation_confirmed_by == world.steward  # the invitation confirms it
    with pytest.raises(CommunityError) as error:
        community_services.request_to_join(
            community=world.public, user=world.outsider, side=Side.OVERIG
        )
    assert error.value.code == "already_member"
    assert error.value.message == "You are already a member of this community."


def test_a_refusal_for_lack_of_rights_says_so(world):
    membership = Membership.objects.get(user=world.observer, community=world.public)
    with pytest.raises(CommunityError) as error:
        community_services.change_role(
            actor=world.gemeente_member, membership=membership, role=Role.STEWARD
        )
    assert (error.value.code, error.value.status) == ("not_allowed", 403)
    assert error.value.message == "You may not do this in this community."


def test_an_initiatives_name_is_taken_per_community_only(world):
    initiative_services.register_initiative(
        actor=world.initiatief_member, community=world.private, name="Warmte Noord"
    )
    here = _register(world, world.initiatief_member)
    assert here.community == world.public
    with pytest.raises(CommunityError) as error:
        _register(world, world.gemeente_member, name="warmte noord")
    assert error.value.code == "duplicate_name"
    assert error.value.message == "An initiative with this name is already registered."


# -- confirming who speaks for an organisation --------------------------------------------


@pytest.fixture
def choice(world):
    """Gerda (municipality side) chooses the organisation Warmte Noord in the public
    community; who is asked to confirm it, and what she hears of the answer."""
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    confirmed = UserFactory(email="bevestigd@example.org")
    retired = UserFactory(email="gestopt@example.org", is_active=False)
    observer = UserFactory(email="kijker@example.org")
    for user, role in ((confirmed, Role.LID), (retired, Role.LID), (observer, Role.WAARNEMER)):
        MembershipFactory(user=user, community=world.public, organisation=organisation, role=role)
    # A confirmed member of an organisation of the same name in another community.
    twin = OrganisationFactory(community=world.private, name="Warmte Noord")
    MembershipFactory(
        user=UserFactory(email="tweeling@example.org"), community=world.private, organisation=twin
    )
    membership = Membership.objects.get(user=world.gemeente_member, community=world.public)
    community_services.change_my_membership(
        actor=world.gemeente_member,
        membership=membership,
        side=Side.GEMEENTE,
        organisation=organisation,
    )
    return {"membership": membership, "organisation": organisation, "confirmed": confirmed}


def test_the_stewards_and_the_organisations_confirmed_members_are_asked(world, choice):
    asked = set(
        Notification.objects.filter(kind="organisation-request").values_list("recipient", flat=True)
    )
    assert asked == {world.steward.pk, choice["confirmed"].pk}
    item = Notification.objects.filter(kind="organisation-request").first()
    assert item.community == world.public
    # In the recipient's language: Dutch unless they chose otherwise.
    assert item.title == f"{world.gemeente_member.name} zegt bij Warmte Noord te horen"


@pytest.mark.parametrize(
    ("confirm", "title"),
    [
        (True, "Je spreekt nu namens Warmte Noord"),
        (False, "Je organisatie Warmte Noord is niet bevestigd"),
    ],
)
def test_the_member_hears_the_answer_in_plain_words(world, choice, confirm, title):
    decide = (
        community_services.confirm_organisation
        if confirm
        else community_services.decline_organisation
    )
    decide(actor=choice["confirmed"], membership=choice["membership"])
    item = Notification.objects.get(kind="organisation-decision")
    assert (item.recipient, item.community, item.title) == (
        world.gemeente_member,
        world.public,
        title,
    )
    assert item.url.endswith("/c/publiek/membership/")
    assert "Warmte Noord" in item.body
    membership = Membership.objects.get(pk=choice["membership"].pk)
    if confirm:
        assert membership.organisation_confirmed_by == choice["confirmed"]
    else:
        assert membership.organisation_id is None


def test_nothing_to_confirm_without_a_choice_or_after_leaving(world, choice):
    from samenspel.communities.permissions import can_confirm_organisation

    plain = Membership.objects.get(user=world.observer, community=world.public)
    assert not can_confirm_organisation(world.steward, plain)  # no organisation chosen
    ended = choice["membership"]
    ended.left_at = timezone.now()
    ended.save()
    assert not can_confirm_organisation(world.steward, ended)
    with pytest.raises(CommunityError) as error:
        community_services.confirm_organisation(actor=world.steward, membership=ended)
    assert error.value.code == "nothing_to_confirm"
    assert error.value.message == "There is no organisation waiting for confirmation here."


# -- an initiative's people, its open exchanges, links -----------------------------------


def test_the_initiatives_people_hear_the_answer_to_its_support_request(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    people = {
        "confirmed": UserFactory(email="bevestigd@example.org"),
        "waiting": UserFactory(email="wacht@example.org"),
        "observer": UserFactory(email="kijker@example.org"),
    }
    MembershipFactory(user=people["confirmed"], community=world.public, organisation=organisation)
    MembershipFactory(
        user=people["waiting"],
        community=world.public,
        organisation=organisation,
        organisation_confirmed_at=None,
    )
    MembershipFactory(
        user=people["observer"],
        community=world.public,
        organisation=organisation,
        role=Role.WAARNEMER,
    )
    offer = _offer(world)
    request = initiative_services.request_support(
        actor=world.steward, initiative=initiative, offer_id=offer.pk, message="Graag advies."
    )
    initiative_services.decide_support(actor=world.steward, request=request, grant=True)
    heard = set(
        Notification.objects.filter(kind="support-decision").values_list("recipient", flat=True)
    )
    assert heard == {people["confirmed"].pk, world.steward.pk}  # and who asked


def test_an_archived_initiatives_needs_are_not_shown(world):
    from samenspel.initiatives.models import Exchange

    active = InitiativeFactory(community=world.public)
    archived = InitiativeFactory(community=world.public, archived_at=timezone.now())
    for initiative in (active, archived):
        Exchange.objects.create(initiative=initiative, kind="need", title="Hulp gezocht")
    assert [e.initiative for e in growth.open_exchanges(world.public)] == [active]


def test_links_in_messages_start_at_the_site_address_once(world, settings):
    settings.SITE_URL = "https://samenspel.example.nl/"
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    membership = Membership.objects.get(user=world.gemeente_member, community=world.public)
    community_services.change_my_membership(
        actor=world.gemeente_member,
        membership=membership,
        side=Side.GEMEENTE,
        organisation=organisation,
    )
    item = Notification.objects.filter(kind="organisation-request").first()
    assert item.url == "https://samenspel.example.nl/en/c/publiek/organisations/"


def test_only_stewards_keep_the_growth_path_and_are_told_so(world):
    with pytest.raises(CommunityError) as error:
        growth.add_criterion(
            actor=world.gemeente_member, community=world.public, phase="verkenning", text="X"
        )
    assert (error.value.code, error.value.status) == ("forbidden", 403)
    assert error.value.message == "Only the stewards keep the growth path."


# -- adjustments: their keys, their policy object, who owns what they carry ----------------


def test_nobody_anonymous_moves_an_adjustment(world, proposal):
    from django.contrib.auth.models import AnonymousUser

    from samenspel.learning.permissions import can_move_adjustment

    assert not can_move_adjustment(AnonymousUser(), proposal)
    assert can_move_adjustment(world.gemeente_member, proposal)  # its owner


def test_an_adjustment_is_about_a_policy_object_of_its_own_community(world):
    elsewhere = PolicyObject.objects.create(community=world.private, kind="regel", name="Elders")
    with pytest.raises(CommunityError) as error:
        adjustments.create_adjustment(
            actor=world.gemeente_member,
            community=world.public,
            policy_object=elsewhere,
            title="Sneller vergunnen",
            proposed="Binnen acht weken.",
        )
    assert (error.value.code, error.value.status) == ("wrong_community", 400)
    assert error.value.message == "That policy object belongs to another community."
    assert not Adjustment.objects.exists()


def test_a_signal_carried_by_a_decision_is_owned_by_the_adjustments_owner(world, proposal):
    signal = _raised(world)
    proposal.signals.add(signal)
    adjustments.decide_adjustment(
        actor=world.steward, adjustment=proposal, basis=DecisionBasis.RAAD
    )
    signal.refresh_from_db()
    assert signal.owner == world.gemeente_member  # who owns the adjustment, not who decided
    assert signal.stage == Stage.TERUGGEKOPPELD


def test_a_site_administrator_who_is_a_member_gets_pages_of_their_own(world):
    from conftest import client_for

    MembershipFactory(user=world.admin, community=world.public)
    client = client_for(world.admin)
    for _ in range(2):
        assert "X-Page-Cache" not in client.get("/en/c/publiek/")


def test_the_raiser_side_is_the_raiser_and_the_initiatives_confirmed_people_only(world):
    from django.contrib.auth.models import AnonymousUser

    from samenspel.learning.permissions import can_edit_signal, is_raiser_side

    ours = OrganisationFactory(community=world.public, name="Warmte Noord")
    theirs = OrganisationFactory(community=world.public, name="Zon Zuid")
    member_of_ours, member_of_theirs = (
        UserFactory(email="ons@example.org"),
        UserFactory(email="hun@example.org"),
    )
    MembershipFactory(user=member_of_ours, community=world.public, organisation=ours)
    MembershipFactory(user=member_of_theirs, community=world.public, organisation=theirs)
    signal = _raised(
        world, initiatives=[InitiativeFactory(community=world.public, organisation=ours)]
    )
    assert is_raiser_side(world.initiatief_member, signal)
    assert is_raiser_side(member_of_ours, signal) and can_edit_signal(member_of_ours, signal)
    assert not is_raiser_side(member_of_theirs, signal)
    assert not can_edit_signal(member_of_theirs, signal)
    assert not is_raiser_side(AnonymousUser(), signal)
    assert not can_edit_signal(AnonymousUser(), signal)


def test_a_move_the_loop_does_not_know_is_refused_plainly(world):
    signal = _raised(world)
    for to_stage, named in (("maan", "?"), (Stage.BESLOTEN, "Decided")):
        with pytest.raises(CommunityError) as error:
            services.move_signal(
                actor=world.steward,
                signal=signal,
                move=services.Move(to_stage=to_stage),
                seen_event_id=signal.last_event_id,
            )
        assert (error.value.code, error.value.status) == ("invalid_move", 400)
        assert error.value.message == f"A signal cannot go from “Raised” to “{named}”."


def _explored(world):
    signal = _raised(world)
    services.move_signal(
        actor=world.gemeente_member,
        signal=signal,
        move=services.Move(to_stage=Stage.IN_VERKENNING),
        seen_event_id=signal.last_event_id,
    )
    return services.get_signal_for_user(world.gemeente_member, signal.pk)


@pytest.mark.parametrize(
    ("to_stage", "code", "message"),
    [
        (
            Stage.NIET_OPGEPAKT,
            "reason_required",
            "Say why it is not taken up: the people who raised it will read it.",
        ),
        (
            Stage.TERUGGEKOPPELD,
            "feedback_required",
            "Write the feedback: what was decided or found, for the people who raised it.",
        ),
    ],
)
def test_an_answer_without_words_is_refused_with_what_to_write(world, to_stage, code, message):
    signal = _explored(world)
    with pytest.raises(CommunityError) as error:
        services.move_signal(
            actor=world.gemeente_member,
            signal=signal,
            move=services.Move(to_stage=to_stage, note="   "),
            seen_event_id=signal.last_event_id,
        )
    assert (error.value.code, error.value.status, error.value.message) == (code, 400, message)
