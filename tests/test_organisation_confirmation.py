"""Belonging to an organisation grants its rights only once it is confirmed: by a steward or
by a member already confirmed for that organisation. Choosing one yourself asks for it."""

import pytest

from conftest import client_for
from samenspel.accounts.models import User
from samenspel.communities import services
from samenspel.communities.models import Membership, Role, Side
from samenspel.communities.services import CommunityError
from samenspel.core.models import Notification
from samenspel.initiatives import permissions as initiative_permissions
from samenspel.initiatives.models import SupportOffer
from samenspel.learning import permissions as loop_permissions
from samenspel.learning import services as loop_services
from samenspel.learning.models import LoopEvent, Signal
from samenspel.learning.stages import Stage
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory


@pytest.fixture
def warmte(world):
    """Organisation "Warmte Noord" with its initiative, its support offer, a signal raised
    for it (feedback given, waiting for the initiative's answer) and one confirmed member."""
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    initiative = InitiativeFactory(community=world.public, organisation=organisation)
    offer = SupportOffer.objects.create(
        community=world.public, phase="verkenning", name="Haalbaarheid", offered_by=organisation
    )
    veteran = UserFactory(email="veteraan@example.org")
    MembershipFactory(user=veteran, community=world.public, organisation=organisation)
    signal = loop_services.raise_signal(
        community=world.public,
        actor=world.steward,
        title="Vergunning duurt te lang",
        what_happened="Negen maanden wachten.",
        initiatives=[initiative],
    )
    LoopEvent.objects.filter(pk=signal.last_event_id).update(to_stage=Stage.TERUGGEKOPPELD)
    signal = Signal.objects.select_related("last_event").get(pk=signal.pk)
    return {
        "organisation": organisation,
        "initiative": initiative,
        "offer": offer,
        "signal": signal,
        "veteran": veteran,
    }


def fresh(user):
    """The same person as a new request would see them (no cached membership)."""
    return User.objects.get(pk=user.pk)


def membership_of(user, community):
    return Membership.objects.active().get(user=user, community=community)


def rights(user, warmte):
    user = fresh(user)
    return {
        "edit initiative": initiative_permissions.can_edit_initiative(user, warmte["initiative"]),
        "decide support": initiative_permissions.can_decide_support(user, warmte["offer"]),
        "close signal": loop_permissions.can_move(user, warmte["signal"], Stage.AFGESLOTEN),
        "reopen signal": loop_permissions.can_move(user, warmte["signal"], Stage.HEROPEND),
    }


def choose(user, organisation, side="initiatief"):
    return client_for(user).post(
        f"/c/{organisation.community.slug}/membership/",
        {"side": side, "organisation": organisation.pk},
    )


def test_a_self_chosen_organisation_grants_nothing_until_it_is_confirmed(world, warmte):
    member = world.initiatief_member
    assert choose(member, warmte["organisation"]).status_code == 302
    membership = membership_of(member, world.public)
    assert membership.organisation == warmte["organisation"]
    assert membership.organisation_confirmed_at is None
    assert set(rights(member, warmte).values()) == {False}
    client = client_for(member)
    slug = warmte["initiative"].slug
    assert client.get(f"/c/publiek/initiatives/{slug}/edit/").status_code == 404
    assert client.get(f"/c/publiek/initiatives/{slug}/values/").status_code == 404

    services.confirm_organisation(actor=world.steward, membership=membership)

    assert set(rights(member, warmte).values()) == {True}
    assert client.get(f"/c/publiek/initiatives/{slug}/edit/").status_code == 200
    assert client.get(f"/c/publiek/initiatives/{slug}/values/").status_code == 200


def test_changing_to_another_organisation_takes_the_rights_away_again(world, warmte):
    member = world.initiatief_member
    choose(member, warmte["organisation"])
    services.confirm_organisation(
        actor=world.steward, membership=membership_of(member, world.public)
    )
    other = OrganisationFactory(community=world.public, name="Zon Zuid")
    choose(member, other)
    membership = membership_of(member, world.public)
    assert membership.organisation == other
    assert membership.organisation_confirmed_at is None
    assert membership.organisation_confirmed_by is None
    assert set(rights(member, warmte).values()) == {False}


def test_changing_only_ones_side_keeps_a_confirmed_organisation(world, warmte):
    veteran = warmte["veteran"]
    assert choose(veteran, warmte["organisation"], side="overig").status_code == 302
    membership = membership_of(veteran, world.public)
    assert membership.side == Side.OVERIG
    assert membership.organisation_confirmed_at is not None
    assert set(rights(veteran, warmte).values()) == {True}


def test_asking_notifies_the_stewards_and_the_confirmed_members_of_that_organisation(world, warmte):
    choose(world.initiatief_member, warmte["organisation"])
    asked = set(
        Notification.objects.filter(kind="organisation-request").values_list(
            "recipient__email", flat=True
        )
    )
    assert asked == {"steward@example.org", "veteraan@example.org"}


def test_a_confirmed_member_of_that_organisation_may_confirm(world, warmte):
    choose(world.initiatief_member, warmte["organisation"])
    membership = membership_of(world.initiatief_member, world.public)
    services.confirm_organisation(actor=fresh(warmte["veteran"]), membership=membership)
    membership.refresh_from_db()
    assert membership.confirmed_organisation_id == warmte["organisation"].pk
    assert membership.organisation_confirmed_by == warmte["veteran"]
    decision = Notification.objects.get(kind="organisation-decision")
    assert decision.recipient == world.initiatief_member


@pytest.mark.parametrize("who", ["gemeente_member", "observer", "outsider", "unconfirmed", "self"])
def test_others_may_not_confirm_and_nothing_changes(world, warmte, who):
    choose(world.initiatief_member, warmte["organisation"])
    membership = membership_of(world.initiatief_member, world.public)
    if who == "unconfirmed":
        actor = UserFactory()
        MembershipFactory(
            user=actor,
            community=world.public,
            organisation=warmte["organisation"],
            organisation_confirmed_at=None,
        )
    elif who == "self":
        actor = world.initiatief_member
    else:
        actor = getattr(world, who)
    for service in (services.confirm_organisation, services.decline_organisation):
        with pytest.raises(CommunityError) as error:
            service(actor=fresh(actor), membership=membership)
        assert error.value.status == 403
    membership.refresh_from_db()
    assert membership.organisation == warmte["organisation"]
    assert membership.organisation_confirmed_at is None


def test_a_member_confirmed_for_another_organisation_may_not_confirm(world, warmte):
    other = OrganisationFactory(community=world.public, name="Zon Zuid")
    stranger = UserFactory()
    MembershipFactory(user=stranger, community=world.public, organisation=other)
    choose(world.initiatief_member, warmte["organisation"])
    membership = membership_of(world.initiatief_member, world.public)
    with pytest.raises(CommunityError):
        services.confirm_organisation(actor=fresh(stranger), membership=membership)
    membership.refresh_from_db()
    assert membership.organisation_confirmed_at is None


def test_declining_clears_the_organisation_and_tells_the_member(world, warmte):
    choose(world.initiatief_member, warmte["organisation"])
    membership = membership_of(world.initiatief_member, world.public)
    services.decline_organisation(actor=fresh(warmte["veteran"]), membership=membership)
    membership.refresh_from_db()
    assert membership.organisation is None and membership.organisation_confirmed_at is None
    decision = Notification.objects.get(kind="organisation-decision")
    assert decision.recipient == world.initiatief_member


def test_confirming_what_is_already_confirmed_or_absent_is_refused(world, warmte):
    veteran_membership = membership_of(warmte["veteran"], world.public)
    with pytest.raises(CommunityError) as error:
        services.confirm_organisation(actor=world.steward, membership=veteran_membership)
    assert error.value.code == "nothing_to_confirm"
    without = membership_of(world.gemeente_member, world.public)
    with pytest.raises(CommunityError) as error:
        services.decline_organisation(actor=world.steward, membership=without)
    assert error.value.code == "nothing_to_confirm"


def test_an_organisation_of_another_community_is_refused(world, warmte):
    elsewhere = OrganisationFactory(name="Elders")
    membership = membership_of(world.initiatief_member, world.public)
    with pytest.raises(CommunityError) as error:
        services.change_my_membership(
            actor=world.initiatief_member,
            membership=membership,
            side=Side.INITIATIEF,
            organisation=elsewhere,
        )
    assert error.value.status == 400
    membership.refresh_from_db()
    assert membership.organisation is None


def test_nobody_changes_someone_elses_membership(world, warmte):
    membership = membership_of(world.initiatief_member, world.public)
    with pytest.raises(CommunityError) as error:
        services.change_my_membership(
            actor=world.steward,
            membership=membership,
            side=Side.OVERIG,
            organisation=warmte["organisation"],
        )
    assert error.value.status == 403
    membership.refresh_from_db()
    assert membership.organisation is None and membership.side == Side.INITIATIEF


def test_an_invitation_naming_the_organisation_confirms_it(world, warmte):
    issued = services.invite(
        community=world.public,
        invited_by=world.steward,
        email="nieuw@example.org",
        side=Side.INITIATIEF,
        organisation=warmte["organisation"],
    )
    newcomer = UserFactory(email="nieuw@example.org")
    token = issued.url.rstrip("/").rsplit("/", 1)[1]
    membership = services.accept_invitation(raw_token=token, user=newcomer)
    assert membership.confirmed_organisation_id == warmte["organisation"].pk
    assert membership.organisation_confirmed_by == world.steward
    assert set(rights(newcomer, warmte).values()) == {True}


def test_an_organisation_named_in_a_join_request_waits_for_confirmation(world, warmte):
    join_request = services.request_to_join(
        community=world.public,
        user=world.outsider,
        side=Side.INITIATIEF,
        organisation_name="Warmte Noord",
    )
    services.decide_join_request(join_request=join_request, steward=world.steward, approve=True)
    membership = membership_of(world.outsider, world.public)
    assert membership.organisation == warmte["organisation"]
    assert membership.organisation_confirmed_at is None
    assert set(rights(world.outsider, warmte).values()) == {False}


# -- pages ---------------------------------------------------------------------------------


def test_the_member_sees_that_their_organisation_waits_for_confirmation(world, warmte):
    choose(world.initiatief_member, warmte["organisation"])
    html = client_for(world.initiatief_member).get("/en/c/publiek/membership/").content.decode()
    assert "waiting for confirmation" in html


@pytest.mark.parametrize(("persona", "sees"), [("steward", True), ("veteran", True)])
def test_confirmers_see_the_request_and_confirm_it_by_post(world, warmte, persona, sees):
    choose(world.initiatief_member, warmte["organisation"])
    membership = membership_of(world.initiatief_member, world.public)
    actor = warmte["veteran"] if persona == "veteran" else world.steward
    client = client_for(actor)
    html = client.get("/en/c/publiek/organisations/").content.decode()
    assert "Waiting for confirmation" in html
    assert world.initiatief_member.name in html
    url = f"/c/publiek/organisations/requests/{membership.pk}/confirm/"
    assert url in html
    assert client.get(url).status_code == 405
    membership.refresh_from_db()
    assert membership.organisation_confirmed_at is None
    assert client.post(url).status_code == 302
    membership.refresh_from_db()
    assert membership.organisation_confirmed_by == actor


@pytest.mark.parametrize("persona", ["gemeente_member", "observer", "outsider", "anonymous"])
def test_others_do_not_see_the_request_and_cannot_decide_it(world, warmte, persona):
    choose(world.initiatief_member, warmte["organisation"])
    membership = membership_of(world.initiatief_member, world.public)
    user = world.persona(persona)
    client = client_for(None if persona == "anonymous" else user)
    html = client.get("/en/c/publiek/organisations/").content.decode()
    assert "Waiting for confirmation" not in html
    for action in ("confirm", "decline"):
        response = client.post(f"/c/publiek/organisations/requests/{membership.pk}/{action}/")
        assert response.status_code in (302, 403, 404)
    membership.refresh_from_db()
    assert membership.organisation == warmte["organisation"]
    assert membership.organisation_confirmed_at is None


def test_a_steward_declines_from_the_page(world, warmte):
    choose(world.initiatief_member, warmte["organisation"])
    membership = membership_of(world.initiatief_member, world.public)
    response = client_for(world.steward).post(
        f"/en/c/publiek/organisations/requests/{membership.pk}/decline/", follow=True
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.organisation is None


# -- API -----------------------------------------------------------------------------------


def _api(user):
    from samenspel.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user=user, name="test")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    return client


def test_the_api_shows_whether_an_organisation_is_confirmed(world, warmte):
    choose(world.initiatief_member, warmte["organisation"])
    rows = _api(world.steward).get("/api/v1/communities/publiek/members?pageSize=50").json()
    by_email = {row["email"]: row for row in rows["items"]}
    assert by_email["initiatief@example.org"]["organisationConfirmed"] is False
    assert by_email["veteraan@example.org"]["organisationConfirmed"] is True
    assert by_email["gemeente@example.org"]["organisationConfirmed"] is False


def test_the_api_confirms_and_declines_with_the_same_rules(world, warmte):
    choose(world.initiatief_member, warmte["organisation"])
    membership = membership_of(world.initiatief_member, world.public)
    base = f"/api/v1/communities/publiek/members/{membership.pk}"
    refused = _api(world.gemeente_member).post(f"{base}/confirm-organisation")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    membership.refresh_from_db()
    assert membership.organisation_confirmed_at is None

    confirmed = _api(warmte["veteran"]).post(f"{base}/confirm-organisation")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["organisationConfirmed"] is True
    again = _api(warmte["veteran"]).post(f"{base}/confirm-organisation")
    assert again.status_code == 409

    choose(world.initiatief_member, OrganisationFactory(community=world.public, name="Zon"))
    declined = _api(world.steward).post(f"{base}/decline-organisation")
    assert declined.status_code == 200
    assert declined.json()["organisation"] is None
    assert (
        _api(world.steward)
        .post("/api/v1/communities/publiek/members/999999/confirm-organisation")
        .status_code
        == 404
    )


def test_the_api_changes_ones_own_organisation_unconfirmed(world, warmte):
    client = _api(world.initiatief_member)
    response = client.patch(
        "/api/v1/communities/publiek/membership",
        {"organisationId": warmte["organisation"].pk},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["organisation"]["id"] == warmte["organisation"].pk
    assert body["organisationConfirmed"] is False
    assert set(rights(world.initiatief_member, warmte).values()) == {False}
    elsewhere = OrganisationFactory(name="Elders")
    bad = client.patch(
        "/api/v1/communities/publiek/membership",
        {"organisationId": elsewhere.pk},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_roles_other_than_member_gain_nothing_from_a_confirmed_organisation(world, warmte):
    observer = UserFactory()
    MembershipFactory(
        user=observer,
        community=world.public,
        organisation=warmte["organisation"],
        role=Role.WAARNEMER,
    )
    assert set(rights(observer, warmte).values()) == {False}
