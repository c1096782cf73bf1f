"""An invitation is not a bearer link: only an account whose verified email address is the
invited one accepts it. A steward may make a link for anyone, for a plain member only."""

import re

import pytest
from allauth.account.models import EmailAddress

from conftest import client_for
from samenspel.communities import services
from samenspel.communities.models import Invitation, Membership, Role, Side
from samenspel.communities.services import CommunityError
from tests.factories import OrganisationFactory, UserFactory


def _invite(world, email="nieuw@example.org", **extra):
    issued = services.invite(
        community=world.private,
        invited_by=world.steward,
        email=email,
        side=Side.INITIATIEF,
        **extra,
    )
    return issued.url


def _path(url):
    return "/c/" + url.split("/c/", 1)[1]


def _token(url):
    return url.rstrip("/").rsplit("/", 1)[1]


def test_a_forwarded_link_does_not_work_for_someone_else(world):
    url = _invite(world)
    stranger = UserFactory(email="doorgestuurd@example.org")
    client = client_for(stranger)
    page = client.get("/en" + _path(url)).content.decode()
    assert "another email address" in page
    assert "Accept invitation" not in page
    response = client.post("/en" + _path(url))
    assert response.status_code == 403
    assert "another email address" in response.content.decode()
    assert not Membership.objects.filter(user=stranger, community=world.private).exists()
    assert Invitation.objects.get().accepted_at is None


def test_the_invited_address_must_be_verified(world):
    url = _invite(world)
    unverified = UserFactory(email="nieuw@example.org", verified=False)
    EmailAddress.objects.create(
        user=unverified, email="nieuw@example.org", verified=False, primary=True
    )
    with pytest.raises(CommunityError) as error:
        services.accept_invitation(raw_token=_token(url), user=unverified)
    assert error.value.code == "invitation_address_unverified"
    assert error.value.status == 403
    assert Invitation.objects.get().accepted_at is None
    assert not Membership.objects.filter(user=unverified, community=world.private).exists()


def test_a_verified_secondary_address_in_other_letters_counts(world):
    url = _invite(world, email="Nieuw@Example.org")
    person = UserFactory(email="werk@example.org")
    EmailAddress.objects.create(user=person, email="NIEUW@example.org", verified=True)
    membership = services.accept_invitation(raw_token=_token(url), user=person)
    assert membership.community == world.private and membership.role == Role.LID


def test_a_steward_makes_a_link_for_anyone_as_a_plain_member(world):
    client = client_for(world.steward)
    response = client.post(
        "/en/c/besloten/invite/",
        {"anyone_with_link": "on", "email": "", "side": "overig", "role": "lid"},
    )
    assert response.status_code == 200
    # Nobody to send it to: the page shows the link, once.
    html = response.content.decode()
    url = re.search(r"https?://[^\s\"<]+/c/invitations/[^\s\"<]+/", html).group(0)
    invitation = Invitation.objects.get()
    assert invitation.email == "" and invitation.role == Role.LID
    assert invitation.organisation is None
    # The open list names it without an address.
    assert "Anyone with the link" in client.get("/en/c/besloten/invite/").content.decode()

    newcomer = UserFactory(email="wie@example.org")
    membership = services.accept_invitation(raw_token=_token(url), user=newcomer)
    assert membership.role == Role.LID and membership.organisation is None


@pytest.mark.parametrize(
    "extra",
    [{"role": "steward"}, {"role": "waarnemer"}, {"role": "lid", "organisation": "ORG"}],
)
def test_a_link_for_anyone_is_for_a_plain_member_only(world, extra):
    organisation = OrganisationFactory(community=world.private, name="Warmte")
    data = {"anyone_with_link": "on", "email": "", "side": "overig", **extra}
    if data.get("organisation") == "ORG":
        data["organisation"] = organisation.pk
    response = client_for(world.steward).post("/en/c/besloten/invite/", data)
    assert response.status_code == 200
    assert "plain member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_service_refuses_a_link_for_anyone_as_steward(world):
    with pytest.raises(CommunityError) as error:
        services.invite(
            community=world.private,
            invited_by=world.steward,
            email="",
            side=Side.OVERIG,
            role=Role.STEWARD,
        )
    assert error.value.status == 400
    assert not Invitation.objects.exists()


def test_an_address_or_a_link_for_anyone_must_be_chosen(world):
    client = client_for(world.steward)
    response = client.post("/en/c/besloten/invite/", {"email": "", "side": "overig", "role": "lid"})
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    both = client.post(
        "/en/c/besloten/invite/",
        {"anyone_with_link": "on", "email": "x@example.org", "side": "overig", "role": "lid"},
    )
    assert both.status_code == 200
    assert not Invitation.objects.exists()


def test_only_stewards_invite_also_through_the_service(world):
    with pytest.raises(CommunityError) as error:
        services.invite(
            community=world.private,
            invited_by=world.gemeente_member,
            email="nieuw@example.org",
            side=Side.OVERIG,
        )
    assert error.value.status == 403
    assert not Invitation.objects.exists()
