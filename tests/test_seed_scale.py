"""manage.py seed_scale: synthetic data with the asked-for counts, a steward everywhere, and
a re-run that replaces the earlier data instead of adding to it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership, Organisation, Role
from tests.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def seed(communities: int, members: int) -> None:
    call_command(
        "seed_scale",
        "--communities",
        str(communities),
        "--members",
        str(members),
        "--seed",
        "7",
        stdout=StringIO(),
    )


def synthetic_communities():  # type: ignore[no-untyped-def]
    return Community.objects.filter(slug__regex=r"^scale-[0-9]+$")


def synthetic() -> tuple[int, int, int]:
    communities = synthetic_communities()
    return (
        communities.count(),
        User.objects.filter(email__endswith="@scale.example").count(),
        Membership.objects.active().filter(community__in=communities).count(),
    )


def test_counts_and_a_steward_in_every_community():
    seed(5, 60)

    assert synthetic() == (5, 60, 60)
    communities = synthetic_communities()
    stewards = Count(
        "memberships",
        filter=Q(memberships__role=Role.STEWARD, memberships__left_at__isnull=True),
    )
    assert not communities.annotate(stewards=stewards).filter(stewards=0).exists()
    assert all(c.is_example and "(synthetic)" in c.name for c in communities)
    assert communities.filter(slug="scale-001", is_public=True).exists()
    assert Organisation.objects.filter(community__in=communities).count() >= 2 * 5
    # Every person has exactly one membership.
    assert (
        not User.objects.annotate(n=Count("memberships"))
        .filter(email__endswith="@scale.example", n__gt=1)
        .exists()
    )
    # History is written, so the activity feed has something to show.
    assert Membership.history.filter(community_id__in=communities.values("pk")).count() == 60


def test_rerun_replaces_instead_of_duplicating():
    kept = CommunityFactory(slug="scale-up-zwolle", name="Not synthetic")
    person = MembershipFactory(community=kept).user
    outsider = UserFactory(email="someone@example.org")
    seed(5, 60)

    seed(4, 40)

    assert synthetic() == (4, 40, 40)
    assert Community.objects.filter(pk=kept.pk).exists()
    assert User.objects.filter(pk__in=[person.pk, outsider.pk]).count() == 2
    synthetic_history = Community.history.filter(slug__regex=r"^scale-[0-9]+$")
    assert synthetic_history.count() == 4
    assert Membership.history.filter(community_id__in=synthetic_history.values("id")).count() == 40


def test_needs_a_member_per_community():
    with pytest.raises(CommandError):
        seed(10, 5)
