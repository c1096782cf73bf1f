"""manage.py seed_scale, the communities' part: synthetic communities, their organisations
and their members (see samenspel/core/scale.py for the whole).

Communities are called "Community 001 (synthetic)" in "Gemeente 001", people
"Member 00001 (synthetic)" with addresses like member00001@scale.example, and every
community is marked as example content.

Shape of the data (deterministic for a given --seed):

- Community sizes follow a long tail (weight rank^-0.8): community 001 is the largest
  (about 1,700 members with the defaults), the smallest have a handful. Every community
  has at least one member, and its first member is a steward.
- About 80% of the communities are public; the largest one always is, so the bench has a
  big public community to measure.
- Each community has 2–8 organisations (more for bigger ones); about three quarters of the
  members belong to one of them, confirmed when they joined (so the rights that come with
  an organisation are theirs). Sides and roles vary (some extra stewards, some observers).
- Join dates are spread over the last three years.

Choices:

- Speed: all people share one precomputed *unusable* password hash (make_password(None)),
  so no hashing per person and no account that anyone can log in to. A bench that needs a
  signed-in member can issue an API token (manage.py api_token) or create a session. No
  allauth EmailAddress rows.
- History: communities, organisations and memberships are written with simple_history's
  bulk_create_with_history (one extra bulk insert per model), dated at the join or start
  date, so the activity feed of a community looks as it would in real use. Users have no
  history. Bulk inserts send no post_save either, so the apps above create a synthetic
  community's default catalogues themselves.
- Re-running replaces: the earlier synthetic rows are identified by the slug pattern
  "scale-<digits>" (with is_example set) and the email domain scale.example; they and their
  history are deleted without a deletion record per row (the apps above have removed their
  own rows that need more than the cascade).
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError, CommandParser
from django.test.utils import override_settings
from simple_history.utils import bulk_create_with_history

from samenspel.accounts.models import User
from samenspel.communities.models import (
    Community,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Side,
)
from samenspel.core.scale import BATCH_SIZE, HISTORY_SPAN, SIZE_EXPONENT, ScaleSeeder, spread

SLUG_PREFIX = "scale-"
SLUG_PATTERN = r"^scale-[0-9]+$"
EMAIL_DOMAIN = "scale.example"

PUBLIC_SHARE = 0.8
ORGANISATION_SHARE = 0.75
SIDE_WEIGHTS = {
    Side.INITIATIEF: 50,
    Side.GEMEENTE: 25,
    Side.FACILITATIE: 10,
    Side.OVERIG: 15,
}
ROLE_WEIGHTS = {Role.LID: 86, Role.STEWARD: 4, Role.WAARNEMER: 10}
ORGANISATION_KINDS = [
    OrganisationKind.INITIATIEF,
    OrganisationKind.FACILITATOR,
    OrganisationKind.INITIATIEF,
    OrganisationKind.OVERIG,
]


def synthetic_communities() -> Any:
    return Community.objects.filter(slug__regex=SLUG_PATTERN, is_example=True)


def synthetic_community_history() -> Any:
    """The historical rows of the synthetic communities, also of those deleted already:
    the apps above find their own history through these ids."""
    return Community.history.filter(slug__regex=SLUG_PATTERN, is_example=True)


def synthetic_users() -> Any:
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("--communities", type=int, default=342, help="Number of communities (342).")
    parser.add_argument(
        "--members",
        type=int,
        default=20_000,
        help="Number of members, one person each, spread over the communities (20000).",
    )


def check_options(options: dict[str, Any]) -> None:
    if options["communities"] < 1:
        raise CommandError("--communities must be at least 1.")
    if options["members"] < options["communities"]:
        raise CommandError("--members must be at least --communities (one steward each).")


def clear_synthetic() -> dict[str, int]:
    """Delete earlier synthetic communities, people and their history. Returns what was
    deleted, by model."""
    # Deleting through the ORM keeps cascades right; with history switched off it does not
    # write a '-' record for each of thousands of rows that are removed anyway.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        _, communities = synthetic_communities().delete()
        _, users = synthetic_users().delete()
    historical = synthetic_community_history()
    community_ids = historical.values("id")
    for model in (Membership, Organisation):
        model.history.filter(community_id__in=community_ids).delete()  # type: ignore[attr-defined]
    historical.delete()
    return {**communities, **users}


def seed(seeder: ScaleSeeder) -> None:
    with seeder.timed("communities"):
        seed_communities(seeder)
    with seeder.timed("organisations"):
        seed_organisations(seeder)
    with seeder.timed("members"):
        seed_members(seeder)


def seed_communities(seeder: ScaleSeeder) -> None:
    number = seeder.options["communities"]
    width = max(3, len(str(number)))
    communities = []
    for index in range(1, number + 1):
        code = f"{index:0{width}d}"
        community = Community(
            name=f"Community {code} (synthetic)",
            slug=f"{SLUG_PREFIX}{code}",
            municipality=f"Gemeente {code}",
            description=(
                "Synthetic community for load tests (manage.py seed_scale). "
                "Its name, people and figures are generated, not real."
            ),
            # The largest community (the first) is always public.
            is_public=index == 1 or seeder.rng.random() < PUBLIC_SHARE,
            is_example=True,
        )
        communities.append(community)
    seeder.communities = bulk_create_with_history(
        communities, Community, batch_size=BATCH_SIZE, default_date=seeder.start
    )
    # created_at is auto_now_add; date the communities at the start of their history.
    synthetic_communities().update(created_at=seeder.start)
    seeder.counts["communities"] = len(seeder.communities)


def _sizes(seeder: ScaleSeeder) -> list[int]:
    return spread(seeder.options["members"], len(seeder.communities), SIZE_EXPONENT)


def seed_organisations(seeder: ScaleSeeder) -> None:
    organisations = []
    for community, size in zip(seeder.communities, _sizes(seeder), strict=True):
        code = community.slug.removeprefix(SLUG_PREFIX)
        number = 2 + min(6, size // 50)
        for n in range(1, number + 1):
            kind = (
                OrganisationKind.GEMEENTE_AFDELING
                if n == 1
                else ORGANISATION_KINDS[n % len(ORGANISATION_KINDS)]
            )
            organisation = Organisation(
                community=community,
                name=f"Organisation {code}-{n} (synthetic)",
                kind=kind,
            )
            organisations.append(organisation)
    created = bulk_create_with_history(
        organisations, Organisation, batch_size=BATCH_SIZE, default_date=seeder.start
    )
    for organisation in created:
        seeder.organisations.setdefault(organisation.community_id, []).append(organisation)
    seeder.counts["organisations"] = len(created)


def seed_members(seeder: ScaleSeeder) -> None:
    width = max(5, len(str(seeder.options["members"])))
    password = make_password(None)  # one unusable hash for everyone
    span = HISTORY_SPAN.total_seconds()
    users: list[User] = []
    placements: list[tuple[Community, bool, datetime]] = []
    number = 0
    for community, size in zip(seeder.communities, _sizes(seeder), strict=True):
        for position in range(size):
            number += 1
            first = position == 0
            # The founding steward joins in the first month, the others any time after.
            offset = seeder.rng.random() * (30 * 86400 if first else span)
            joined_at = seeder.start + timedelta(seconds=offset)
            users.append(
                User(
                    email=f"member{number:0{width}d}@{EMAIL_DOMAIN}",
                    display_name=f"Member {number:0{width}d} (synthetic)",
                    password=password,
                    date_joined=joined_at,
                )
            )
            placements.append((community, first, joined_at))
    users = User.objects.bulk_create(users, batch_size=BATCH_SIZE)
    if any(user.pk is None for user in users):  # databases that return no ids
        ids = dict(synthetic_users().values_list("email", "pk"))
        for user in users:
            user.pk = ids[user.email]

    memberships = []
    for user, (community, first, joined_at) in zip(users, placements, strict=True):
        organisations = seeder.organisations.get(community.pk, [])
        organisation = (
            seeder.rng.choice(organisations)
            if organisations and seeder.rng.random() < ORGANISATION_SHARE
            else None
        )
        membership = Membership(
            user=user,
            community=community,
            organisation=organisation,
            # Confirmed as they joined (by nobody in particular: synthetic).
            organisation_confirmed_at=joined_at if organisation else None,
            side=seeder.pick(SIDE_WEIGHTS),
            role=Role.STEWARD if first else seeder.pick(ROLE_WEIGHTS),
            joined_at=joined_at,
        )
        membership._history_date = joined_at  # type: ignore[attr-defined]
        memberships.append(membership)
    bulk_create_with_history(memberships, Membership, batch_size=BATCH_SIZE)
    seeder.counts["users"] = len(users)
    seeder.counts["memberships"] = len(memberships)
