"""What waits for one person, across their communities ("Mijn werk"): signals, decisions
to take, invitations, and what they took on (action points, the council's commitments,
visits to initiatives).

This app sits above all others: it reads their models, and writes nothing. Each section is
one query, limited to the rows a page shows (a civil servant with forty open files sees
them all; a list of thousands would help nobody), newest or most urgent first."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from samenspel.accounts.models import User
from samenspel.communities.models import (
    Community,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Role,
)
from samenspel.council.models import Commitment, CommitmentStatus
from samenspel.initiatives.choices import RequestStatus
from samenspel.initiatives.models import SupportRequest
from samenspel.learning import targets
from samenspel.learning.models import Follow, Signal
from samenspel.learning.stages import FEEDBACK_STAGES, Stage
from samenspel.practice.models import ActionPoint, ActionStatus, FieldVisit

# A visit of at most this many days ago still asks its visitor what they learned.
VISIT_DAYS = 14

# At most this many rows per section.
SECTION_ROWS = 50
# Stages in which a signal has no owner yet and waits to be taken up.
UNOWNED_STAGES = [Stage.GEMELD, Stage.BESPROKEN, Stage.HEROPEND]
# Stages in which the owner takes the next step.
OWNED_STAGES = [Stage.IN_VERKENNING, Stage.AANPASSING_VOORGESTELD, Stage.BESLOTEN]


@dataclass
class SignalRow:
    signal: Signal
    community: Community
    answer_due: date | None = None
    overdue: bool = False
    days_waiting: int = 0
    # The raiser's side must answer (after feedback or "not taken up").
    your_turn: bool = False


@dataclass
class MyWork:
    memberships: list[Membership]
    raised: list[SignalRow] = field(default_factory=list)
    owned: list[SignalRow] = field(default_factory=list)
    to_take_up: list[SignalRow] = field(default_factory=list)
    join_requests: list[JoinRequest] = field(default_factory=list)
    organisation_requests: list[Membership] = field(default_factory=list)
    support_requests: list[SupportRequest] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    # What I took on: action points of sessions, the council's commitments, visits to
    # initiatives (coming, or past without what I learned written down).
    action_points: list[ActionPoint] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)
    visits: list[FieldVisit] = field(default_factory=list)
    follows_anything: bool = False

    @property
    def promised(self) -> int:
        return len(self.action_points) + len(self.commitments) + len(self.visits)

    @property
    def waiting_for_decision(self) -> int:
        return (
            len(self.join_requests) + len(self.organisation_requests) + len(self.support_requests)
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.raised
            or self.owned
            or self.to_take_up
            or self.waiting_for_decision
            or self.invitations
            or self.promised
        )


def _signals(community_ids: list[int]) -> QuerySet[Signal]:
    return (
        Signal.objects.filter(community_id__in=community_ids, community__archived_at__isnull=True)
        .select_related("last_event", "community")
        .only(
            "title",
            "raised_at",
            "community",
            "owner_id",
            "raised_by_id",
            "last_event__to_stage",
            "last_event__at",
            "community__slug",
            "community__name",
        )
    )


def _rows(
    signals: QuerySet[Signal], days_by_community: dict[int, dict[str, int]]
) -> list[SignalRow]:
    today = timezone.localdate()
    rows = []
    for signal in signals:
        days = days_by_community.get(signal.community_id, targets.DEFAULT_TARGET_DAYS)
        due = targets.answer_due(signal, days)
        since = signal.last_event.at if signal.last_event else signal.raised_at
        rows.append(
            SignalRow(
                signal=signal,
                community=signal.community,
                answer_due=due,
                overdue=due is not None and due < today,
                days_waiting=(today - timezone.localdate(since)).days,
                your_turn=signal.stage in FEEDBACK_STAGES,
            )
        )
    return rows


def my_work(user: User) -> MyWork:
    memberships = list(
        Membership.objects.active()
        .filter(user=user, community__archived_at__isnull=True)
        .select_related("community")
        .order_by("community__name")
    )
    work = MyWork(memberships=memberships)
    if not memberships:
        return work
    ids = [m.community_id for m in memberships]
    stewarded = [m.community_id for m in memberships if m.role == Role.STEWARD]
    days = targets.target_days_by_community(ids)

    raised = (
        _signals(ids)
        .filter(raised_by=user)
        .exclude(last_event__to_stage=Stage.AFGESLOTEN)
        .order_by("-raised_at")[:SECTION_ROWS]
    )
    work.raised = _rows(raised, days)
    owned = (
        _signals(ids)
        .filter(
            owner=user,
            last_event__to_stage__in=[
                Stage.IN_VERKENNING,
                Stage.AANPASSING_VOORGESTELD,
                Stage.BESLOTEN,
            ],
        )
        .order_by("last_event__at")[:SECTION_ROWS]
    )
    work.owned = _rows(owned, days)

    follows = Follow.objects.filter(user=user, community_id__in=ids)
    themes = follows.filter(theme__isnull=False).values("theme_id")
    policy_objects = follows.filter(policy_object__isnull=False).values("policy_object_id")
    work.follows_anything = follows.exists()
    followed = Q(
        Exists(Signal.themes.through.objects.filter(signal_id=OuterRef("pk"), theme_id__in=themes))
    ) | Q(
        Exists(
            Signal.policy_objects.through.objects.filter(
                signal_id=OuterRef("pk"), policyobject_id__in=policy_objects
            )
        )
    )
    if stewarded:
        followed |= Q(community_id__in=stewarded)
    if work.follows_anything or stewarded:
        to_take_up = (
            _signals(ids)
            .filter(owner__isnull=True, last_event__to_stage__in=UNOWNED_STAGES)
            .filter(followed)
            .exclude(raised_by=user)
            .order_by("-raised_at")[:SECTION_ROWS]
        )
        work.to_take_up = _rows(to_take_up, days)

    if stewarded:
        work.join_requests = list(
            JoinRequest.objects.filter(community_id__in=stewarded, status=JoinRequestStatus.PENDING)
            .select_related("user", "community")
            .order_by("created_at")[:SECTION_ROWS]
        )
    confirmed = {
        m.community_id: m.confirmed_organisation_id
        for m in memberships
        if m.can_contribute and m.confirmed_organisation_id is not None
    }
    organisations = Q(community_id__in=stewarded)
    for community_id, organisation_id in confirmed.items():
        organisations |= Q(community_id=community_id, organisation_id=organisation_id)
    work.organisation_requests = list(
        Membership.objects.active()
        .filter(organisations, organisation__isnull=False, organisation_confirmed_at__isnull=True)
        .exclude(user=user)
        .select_related("user", "organisation", "community")
        .order_by("joined_at", "pk")[:SECTION_ROWS]
    )
    offers = Q(offer__community_id__in=stewarded)
    for community_id, organisation_id in confirmed.items():
        offers |= Q(offer__community_id=community_id, offer__offered_by_id=organisation_id)
    work.support_requests = list(
        SupportRequest.objects.filter(offers, status=RequestStatus.PENDING)
        .select_related("initiative", "offer", "offer__community")
        .order_by("requested_at")[:SECTION_ROWS]
    )
    work.invitations = list(
        Invitation.objects.open()
        .filter(invited_by=user, community_id__in=ids)
        .select_related("community")
        .order_by("expires_at")[:SECTION_ROWS]
    )
    work.action_points = list(
        ActionPoint.objects.filter(
            owner=user, status=ActionStatus.OPEN, session__community_id__in=ids
        )
        .select_related("session__community")
        .order_by("due_on", "pk")[:SECTION_ROWS]
    )
    work.commitments = list(
        Commitment.objects.filter(
            owner=user, status=CommitmentStatus.OPEN, advice__community_id__in=ids
        )
        .select_related("advice__community")
        .order_by("due_on", "pk")[:SECTION_ROWS]
    )
    today = timezone.localdate()
    work.visits = list(
        FieldVisit.objects.planned()
        .filter(
            visitor=user, community_id__in=ids, visit_on__gte=today - timedelta(days=VISIT_DAYS)
        )
        .filter(Q(visit_on__gte=today) | Q(notes=""))
        .select_related("initiative", "community")
        .order_by("visit_on", "pk")[:SECTION_ROWS]
    )
    return work
