"""The permission matrix: every persona × public/private community, for every predicate."""

import pytest
from django.http import Http404

from samenspel.communities import permissions

PERSONAS = [
    "anonymous",
    "outsider",
    "gemeente_member",
    "initiatief_member",
    "observer",
    "steward",
    "admin",
]

# persona -> (view public, view private, emails, contribute, manage, join public, leave)
EXPECTED = {
    "anonymous": (True, False, False, False, False, False, False),
    "outsider": (True, False, False, False, False, True, False),
    "gemeente_member": (True, True, True, True, False, False, True),
    "initiatief_member": (True, True, True, True, False, False, True),
    "observer": (True, True, True, False, False, False, True),
    "steward": (True, True, True, True, True, False, True),
    "admin": (True, True, True, False, True, True, False),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(world, persona):
    user = world.persona(persona)
    view_public, view_private, emails, contribute, manage, join, leave = EXPECTED[persona]
    assert permissions.can_view_community(user, world.public) is view_public
    assert permissions.can_view_community(user, world.private) is view_private
    assert permissions.can_see_member_emails(user, world.private) is emails
    assert permissions.can_contribute(user, world.private) is contribute
    assert permissions.can_manage_community(user, world.private) is manage
    assert permissions.can_join(user, world.public) is join
    assert permissions.can_join(user, world.private) is False
    assert permissions.can_leave(user, world.private) is leave


def test_the_municipality_side_gets_no_more_rights_than_an_initiative(world):
    for predicate in (
        permissions.can_view_community,
        permissions.can_see_member_emails,
        permissions.can_contribute,
        permissions.can_manage_community,
        permissions.can_leave,
    ):
        for community in (world.public, world.private):
            assert predicate(world.gemeente_member, community) == predicate(
                world.initiatief_member, community
            )


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_community_for_user_hides_private_communities_from_outsiders(world, persona):
    user = world.persona(persona)
    assert permissions.get_community_for_user(user, "publiek") == world.public
    if EXPECTED[persona][1]:
        assert permissions.get_community_for_user(user, "besloten") == world.private
    else:
        with pytest.raises(Http404):
            permissions.get_community_for_user(user, "besloten")


@pytest.mark.parametrize("persona", PERSONAS)
def test_get_communities_for_user_lists_public_ones_and_ones_you_belong_to(world, persona):
    user = world.persona(persona)
    slugs = set(permissions.get_communities_for_user(user).values_list("slug", flat=True))
    expected = {"publiek", "besloten"} if EXPECTED[persona][1] else {"publiek"}
    assert slugs == expected


def test_a_member_who_left_loses_access(world):
    from samenspel.communities.services import end_membership

    membership = world.gemeente_member.memberships.get(community=world.private)
    end_membership(actor=membership.user, membership=membership)
    world.gemeente_member.__dict__.pop("_membership_cache", None)
    assert not permissions.can_view_community(world.gemeente_member, world.private)
