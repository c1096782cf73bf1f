"""Invitations, join requests, roles and leaving — including every way they can go wrong."""

import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.utils import timezone

from conftest import client_for
from samenspel.communities import services
from samenspel.communities.models import Invitation, JoinRequest, Membership, Role, Side
from samenspel.communities.services import CommunityError
from tests.factories import UserFactory
from tests.mailbox import outbox


def _invite(world, email="nieuw@example.org", **extra):
    client = client_for(world.steward)
    response = client.post(
        "/c/besloten/invite/", {"email": email, "side": "initiatief", "role": "lid", **extra}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    body = outbox()[-1].body
    return re.search(r"http://\S+/c/invitations/\S+/", body).group(0)


def test_a_steward_invites_by_email_and_the_link_works_once(world):
    url = _invite(world)
    assert outbox()[-1].to == ["nieuw@example.org"]
    path = url.split("testserver", 1)[1]
    newcomer = UserFactory(email="nieuw@example.org")
    client = client_for(newcomer)
    assert "Uitnodiging" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer, community=world.private)
    assert membership.side == Side.INITIATIEF and membership.role == Role.LID

    reuse = client_for(UserFactory()).post(path)
    assert reuse.status_code == 410
    assert "al gebruikt" in reuse.content.decode()


def test_an_expired_invitation_is_refused_with_its_date(world):
    url = _invite(world)
    path = url.split("testserver", 1)[1]
    with time_machine.travel(timezone.now() + timezone.timedelta(days=15)):
        response = client_for(UserFactory()).post(path)
    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_a_forged_invitation_link_is_refused(world):
    response = client_for(UserFactory()).get("/c/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "klopt niet" in response.content.decode()


def test_a_withdrawn_invitation_no_longer_works(world):
    url = _invite(world)
    invitation = Invitation.objects.get()
    client_for(world.steward).post(f"/c/besloten/invitations/{invitation.pk}/revoke/")
    path = url.split("testserver", 1)[1]
    assert client_for(UserFactory()).post(path).status_code == 404


def test_an_anonymous_visitor_is_asked_to_sign_up_first(world):
    path = _invite(world).split("testserver", 1)[1]
    html = client_for(None).get(path).content.decode()
    assert "/accounts/signup/?next=" in html


def test_inviting_an_existing_member_is_refused(world):
    response = client_for(world.steward).post(
        "/c/besloten/invite/", {"email": "gemeente@example.org", "side": "gemeente", "role": "lid"}
    )
    assert response.status_code == 200
    assert "al lid" in response.content.decode()
    assert not Invitation.objects.exists()


def test_accepting_while_already_a_member_is_refused(world):
    path = _invite(world, email="someone@example.org").split("testserver", 1)[1]
    # The invited address is one of this member's verified addresses, added meanwhile.
    EmailAddress.objects.create(
        user=world.gemeente_member, email="someone@example.org", verified=True
    )
    with pytest.raises(CommunityError) as error:
        services.accept_invitation(
            raw_token=path.rstrip("/").rsplit("/", 1)[1], user=world.gemeente_member
        )
    assert error.value.code == "already_member"
    assert Invitation.objects.get().accepted_at is None


def test_a_join_request_is_approved_by_a_steward(world):
    client = client_for(world.outsider)
    response = client.post(
        "/c/publiek/join/",
        {"side": "initiatief", "organisation_name": "Warmtegroep Noord", "motivation": "Graag"},
    )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    again = client.post("/c/publiek/join/", {"side": "initiatief"}, follow=True)
    assert "al gevraagd" in again.content.decode()
    assert JoinRequest.objects.count() == 1

    steward = client_for(world.steward)
    assert "Warmtegroep Noord" in steward.get("/c/publiek/requests/").content.decode()
    steward.post(f"/c/publiek/requests/{join_request.pk}/", {"decision": "approve"})
    membership = Membership.objects.active().get(user=world.outsider, community=world.public)
    assert membership.organisation.name == "Warmtegroep Noord"


def test_joining_twice_is_refused(world):
    with pytest.raises(CommunityError) as error:
        services.request_to_join(
            community=world.public, user=world.gemeente_member, side=Side.GEMEENTE
        )
    assert error.value.code == "already_member"


def test_a_private_community_takes_no_join_requests(world):
    response = client_for(world.outsider).post("/c/besloten/join/", {"side": "overig"})
    assert response.status_code == 404
    assert not JoinRequest.objects.exists()


def test_a_declined_request_adds_nobody(world):
    join_request = services.request_to_join(
        community=world.public, user=world.outsider, side=Side.OVERIG
    )
    steward = client_for(world.steward)
    # Declining asks for a reason: without one nothing changes.
    steward.post(f"/c/publiek/requests/{join_request.pk}/", {"decision": "decline"})
    join_request.refresh_from_db()
    assert join_request.status == "pending"
    steward.post(
        f"/c/publiek/requests/{join_request.pk}/",
        {"decision": "decline", "reason": "Deze groep is voor Zwolle."},
    )
    assert not Membership.objects.filter(user=world.outsider).exists()
    join_request.refresh_from_db()
    assert join_request.status == "declined"
    assert join_request.decline_reason == "Deze groep is voor Zwolle."
    (to_applicant,) = [m for m in outbox() if m.to == [world.outsider.email]]
    assert "Deze groep is voor Zwolle." in to_applicant.body


def test_a_steward_changes_roles(world):
    membership = Membership.objects.get(user=world.gemeente_member, community=world.public)
    client_for(world.steward).post(f"/c/publiek/members/{membership.pk}/role/", {"role": "steward"})
    membership.refresh_from_db()
    assert membership.role == Role.STEWARD


def test_the_last_steward_cannot_be_demoted_removed_or_leave(world):
    steward_membership = Membership.objects.get(user=world.steward, community=world.public)
    client = client_for(world.steward)
    response = client.post(
        f"/c/publiek/members/{steward_membership.pk}/role/", {"role": "lid"}, follow=True
    )
    assert "minstens één begeleider" in response.content.decode()
    client.post(f"/c/publiek/members/{steward_membership.pk}/remove/")
    client.post("/c/publiek/leave/")
    steward_membership.refresh_from_db()
    assert steward_membership.role == Role.STEWARD and steward_membership.left_at is None


def test_a_member_leaves_and_the_membership_is_archived(world):
    client = client_for(world.initiatief_member)
    assert client.get("/c/publiek/leave/").status_code == 200
    assert client.post("/c/publiek/leave/").status_code == 302
    membership = Membership.objects.get(user=world.initiatief_member, community=world.public)
    assert membership.left_at is not None
    # Leaving and being invited back later is possible.
    Membership.objects.create(
        user=world.initiatief_member, community=world.public, side=Side.INITIATIEF
    )


def test_the_activity_feed_tells_who_joined(world):
    services.request_to_join(community=world.public, user=world.outsider, side=Side.OVERIG)
    join_request = JoinRequest.objects.get()
    services.decide_join_request(join_request=join_request, steward=world.steward, approve=True)
    html = client_for(world.steward).get("/c/publiek/").content.decode()
    assert f"{world.outsider.name} is lid geworden" in html or world.outsider.name in html


def test_stewards_hear_of_a_join_request_and_the_applicant_of_the_answer(world):
    world.steward.preferred_language = "en"
    world.steward.save()
    join_request = services.request_to_join(
        community=world.public,
        user=world.outsider,
        side=Side.INITIATIEF,
        organisation_name="Warmtegroep Zuid",
    )
    to_steward = outbox()[-1]
    assert to_steward.to == ["steward@example.org"]
    assert "asks to join" in to_steward.subject  # in the steward's own language
    assert "Warmtegroep Zuid" in to_steward.body
    services.decide_join_request(
        join_request=join_request, steward=world.steward, approve=False, reason="Vol."
    )
    to_applicant = outbox()[-1]
    assert to_applicant.to == ["outsider@example.org"]
    assert "afgewezen" in to_applicant.body and "Vol." in to_applicant.body
