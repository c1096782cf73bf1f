"""manage.py seed_scale: synthetic data at national scale, for `make bench` and load checks.

By default 342 communities (as many as the Netherlands has municipalities) and 20,000
members spread over them. Everything is visibly synthetic: communities are called
"Community 001 (synthetic)" in "Gemeente 001", people "Member 00001 (synthetic)" with
addresses like member00001@scale.example, and every community is marked as example content.
No real names are presented as facts.

Shape of the data (deterministic for a given --seed):

- Community sizes follow a long tail (weight rank^-0.8): community 001 is the largest
  (about 1,700 members with the defaults), the smallest have a handful. Every community
  has at least one member, and its first member is a steward.
- About 80% of the communities are public; the largest one always is, so the bench has a
  big public community to measure.
- Each community has 2–8 organisations (more for bigger ones); about three quarters of the
  members belong to one of them. Sides and roles vary (some extra stewards, some observers).
- Join dates are spread over the last three years.

Choices:

- Speed: rows are written with bulk_create in batches of 2,000, and all people share one
  precomputed *unusable* password hash (make_password(None)), so no hashing per person and
  no account that anyone can log in to. A bench that needs a signed-in member can issue an
  API token (manage.py api_token) or create a session. No allauth EmailAddress rows.
- History: communities, organisations and memberships are written with simple_history's
  bulk_create_with_history (one extra bulk insert per model), dated at the join date, so
  the activity feed of a community looks as it would in real use. Users have no history.
- Re-running replaces: it first deletes the earlier synthetic rows, identified by the slug
  pattern "scale-<digits>" (with is_example set) and the email domain scale.example, and
  their history, without writing a deletion record per row.

Adding a kind of data later (e.g. --initiatives, --signals): add its option in
`add_arguments`, a `seed_<kind>` method on `ScaleSeeder` that reads `self.options`, call it
from `ScaleSeeder.run`, and extend `clear_synthetic` if its rows are not removed by the
cascade from the synthetic communities and users.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
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

SLUG_PREFIX = "scale-"
SLUG_PATTERN = r"^scale-[0-9]+$"
EMAIL_DOMAIN = "scale.example"
BATCH_SIZE = 2000

PUBLIC_SHARE = 0.8
SIZE_EXPONENT = 0.8
ORGANISATION_SHARE = 0.75
HISTORY_SPAN = timedelta(days=3 * 365)
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


def synthetic_users() -> Any:
    return User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")


def clear_synthetic() -> dict[str, int]:
    """Delete earlier synthetic rows and their history. Returns what was deleted, by model."""
    # Deleting through the ORM keeps cascades right; with history switched off it does not
    # write a '-' record for each of thousands of rows that are removed anyway.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        _, communities = synthetic_communities().delete()
        _, users = synthetic_users().delete()
    historical = Community.history.filter(slug__regex=SLUG_PATTERN, is_example=True)
    community_ids = historical.values("id")
    Membership.history.filter(community_id__in=community_ids).delete()
    Organisation.history.filter(community_id__in=community_ids).delete()
    historical.delete()
    return {**communities, **users}


def spread(total: int, buckets: int, exponent: float) -> list[int]:
    """Split total over buckets along a long tail (rank^-exponent), at least 1 each."""
    weights = [(rank + 1) ** -exponent for rank in range(buckets)]
    extra = total - buckets
    shares = [extra * w / sum(weights) for w in weights]
    sizes = [1 + int(share) for share in shares]
    # Largest remainders get the members that rounding down left over.
    leftover = total - sum(sizes)
    by_remainder = sorted(range(buckets), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in by_remainder[:leftover]:
        sizes[i] += 1
    return sizes


@dataclass
class ScaleSeeder:
    options: dict[str, Any]
    rng: random.Random = field(init=False)
    now: datetime = field(init=False)
    communities: list[Community] = field(default_factory=list)
    organisations: dict[int, list[Organisation]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.options["seed"])
        self.now = timezone.now()

    @property
    def start(self) -> datetime:
        return self.now - HISTORY_SPAN

    def run(self) -> dict[str, int]:
        self.seed_communities()
        self.seed_organisations()
        self.seed_members()
        return self.counts

    def _pick(self, weights: dict[Any, int]) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def seed_communities(self) -> None:
        number = self.options["communities"]
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
                is_public=index == 1 or self.rng.random() < PUBLIC_SHARE,
                is_example=True,
            )
            communities.append(community)
        self.communities = bulk_create_with_history(
            communities, Community, batch_size=BATCH_SIZE, default_date=self.start
        )
        # created_at is auto_now_add; date the communities at the start of their history.
        synthetic_communities().update(created_at=self.start)
        self.counts["communities"] = len(self.communities)

    def seed_organisations(self) -> None:
        sizes = self._sizes()
        organisations = []
        for community, size in zip(self.communities, sizes, strict=True):
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
            organisations, Organisation, batch_size=BATCH_SIZE, default_date=self.start
        )
        for organisation in created:
            self.organisations.setdefault(organisation.community_id, []).append(organisation)
        self.counts["organisations"] = len(created)

    def _sizes(self) -> list[int]:
        return spread(self.options["members"], len(self.communities), SIZE_EXPONENT)

    def seed_members(self) -> None:
        width = max(5, len(str(self.options["members"])))
        password = make_password(None)  # one unusable hash for everyone
        span = HISTORY_SPAN.total_seconds()
        users: list[User] = []
        placements: list[tuple[Community, bool, datetime]] = []
        number = 0
        for community, size in zip(self.communities, self._sizes(), strict=True):
            for position in range(size):
                number += 1
                first = position == 0
                # The founding steward joins in the first month, the others any time after.
                offset = self.rng.random() * (30 * 86400 if first else span)
                joined_at = self.start + timedelta(seconds=offset)
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
            organisations = self.organisations.get(community.pk, [])
            organisation = (
                self.rng.choice(organisations)
                if organisations and self.rng.random() < ORGANISATION_SHARE
                else None
            )
            membership = Membership(
                user=user,
                community=community,
                organisation=organisation,
                side=self._pick(SIDE_WEIGHTS),
                role=Role.STEWARD if first else self._pick(ROLE_WEIGHTS),
                joined_at=joined_at,
            )
            membership._history_date = joined_at  # type: ignore[attr-defined]
            memberships.append(membership)
        bulk_create_with_history(memberships, Membership, batch_size=BATCH_SIZE)
        self.counts["users"] = len(users)
        self.counts["memberships"] = len(memberships)


class Command(BaseCommand):
    help = "Replace the synthetic national-scale data (communities scale-NNN, *@scale.example)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--communities", type=int, default=342, help="Number of communities (342)."
        )
        parser.add_argument(
            "--members",
            type=int,
            default=20_000,
            help="Number of members, one person each, spread over the communities (20000).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
        parser.add_argument("--clear", action="store_true", help="Only delete the synthetic data.")

    def handle(self, *args: object, **options: Any) -> None:
        if not options["clear"]:
            if options["communities"] < 1:
                raise CommandError("--communities must be at least 1.")
            if options["members"] < options["communities"]:
                raise CommandError("--members must be at least --communities (one steward each).")
        started = time.monotonic()
        with transaction.atomic():
            deleted = clear_synthetic()
            counts = {} if options["clear"] else ScaleSeeder(options).run()
        removed = sum(n for label, n in deleted.items() if label.endswith((".User", ".Community")))
        summary = ", ".join(f"{n} {label}" for label, n in counts.items()) or "nothing"
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data: removed {removed} earlier communities and users, "
                f"created {summary} in {time.monotonic() - started:.1f} s."
            )
        )
