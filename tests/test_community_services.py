"""The community's own writes check who may make them in the service, whatever calls it."""

import pytest

from samenspel.communities import services
from samenspel.communities.models import (
    Community,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
    Role,
    Side,
)
from samenspel.communities.services import CommunityError
from tests.factories import OrganisationFactory

NOT_STEWARDS = ["gemeente_member", "initiatief_member", "observer", "outsider"]


def refused(call) -> CommunityError:
    with pytest.raises(CommunityError) as caught:
        call()
    assert caught.value.status == 403
    return caught.value


@pytest.mark.parametrize("persona", NOT_STEWARDS)
def test_only_stewards_change_the_community_details(world, persona):
    refused(
        lambda: services.change_community(
            actor=getattr(world, persona), community=world.public, fields={"name": "Overgenomen"}
        )
    )
    assert Community.objects.get(pk=world.public.pk).name == "Publiek"


def test_a_steward_changes_the_community_details(world):
    services.change_community(
        actor=world.steward, community=world.public, fields={"name": "Publiek Noord"}
    )
    assert Community.objects.get(pk=world.public.pk).name == "Publiek Noord"


@pytest.mark.parametrize("persona", NOT_STEWARDS)
def test_only_stewards_keep_the_organisations(world, persona):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    refused(
        lambda: services.save_organisation(
            actor=getattr(world, persona), organisation=organisation, fields={"name": "Anders"}
        )
    )
    assert Organisation.objects.get(pk=organisation.pk).name == "Warmte Noord"


def test_an_organisation_name_is_used_once(world):
    OrganisationFactory(community=world.public, name="Warmte Noord")
    new = Organisation(community=world.public)
    with pytest.raises(CommunityError) as caught:
        services.save_organisation(
            actor=world.steward, organisation=new, fields={"name": "warmte noord", "kind": "overig"}
        )
    assert caught.value.code == "name_taken"
    assert Organisation.objects.filter(community=world.public).count() == 1


@pytest.mark.parametrize("persona", NOT_STEWARDS)
def test_only_stewards_withdraw_an_invitation(world, persona):
    issued = services.invite(
        community=world.public, invited_by=world.steward, email="x@example.org", side=Side.OVERIG
    )
    refused(
        lambda: services.revoke_invitation(
            actor=getattr(world, persona), invitation=issued.invitation
        )
    )
    assert Invitation.objects.get(pk=issued.invitation.pk).revoked_at is None
    services.revoke_invitation(actor=world.steward, invitation=issued.invitation)
    assert Invitation.objects.get(pk=issued.invitation.pk).revoked_at is not None


@pytest.mark.parametrize("persona", NOT_STEWARDS)
def test_only_stewards_change_roles(world, persona):
    membership = Membership.objects.get(user=world.gemeente_member, community=world.public)
    refused(
        lambda: services.change_role(
            actor=getattr(world, persona), membership=membership, role=Role.STEWARD
        )
    )
    assert Membership.objects.get(pk=membership.pk).role == Role.LID


@pytest.mark.parametrize("persona", ["initiatief_member", "observer", "outsider"])
def test_members_end_only_their_own_membership(world, persona):
    membership = Membership.objects.get(user=world.gemeente_member, community=world.public)
    refused(lambda: services.end_membership(actor=getattr(world, persona), membership=membership))
    assert Membership.objects.get(pk=membership.pk).left_at is None
    services.end_membership(actor=world.gemeente_member, membership=membership)
    assert Membership.objects.get(pk=membership.pk).left_at is not None


@pytest.mark.parametrize("persona", NOT_STEWARDS)
def test_only_stewards_answer_join_requests(world, persona):
    join_request = services.request_to_join(
        community=world.public, user=world.outsider, side=Side.INITIATIEF
    )
    refused(
        lambda: services.decide_join_request(
            join_request=join_request, steward=getattr(world, persona), approve=True
        )
    )
    assert JoinRequest.objects.get(pk=join_request.pk).status == JoinRequestStatus.PENDING
