"""The health of the group: an anonymous pulse after each session, the circle of people
involved, and where the group thinks it stands (Wenger's stages). Writes check their own
permission predicate; the figures are computed from the rows, never stored twice.

Anonymity: an answer (PulseResponse) holds no person, no time and a random id; a separate
receipt (PulseReceipt) only records that someone answered, so that nobody answers twice.
Figures per side appear only where at least MIN_ANSWERS of that side answered, so that a
small side cannot be read person by person; comments are shown to stewards only, sorted
by their text."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership, Side
from samenspel.communities.permissions import get_membership
from samenspel.learning.services import not_allowed
from samenspel.practice import permissions
from samenspel.practice.models import (
    Attendance,
    CommunityStage,
    PulseReceipt,
    PulseResponse,
    Session,
    StageAssessment,
)
from samenspel.practice.sessions import invalid

MIN_ANSWERS = 3
# The pulse stays open this long after a session ends.
PULSE_OPEN_DAYS = 30
QUESTIONS = ("trust", "understanding", "usefulness")


def pulse_is_open(session: Session) -> bool:
    now = timezone.now()
    return (
        not session.is_cancelled
        and session.ends_at <= now
        and now <= session.ends_at + timedelta(days=PULSE_OPEN_DAYS)
    )


def has_answered(user: User, session: Session) -> bool:
    return PulseReceipt.objects.filter(session=session, user=user).exists()


@transaction.atomic
def answer_pulse(
    *,
    actor: User,
    session: Session,
    trust: int,
    understanding: int,
    usefulness: int,
    comment: str = "",
) -> None:
    """Record an anonymous answer. Returns nothing: not even the caller gets a handle on
    which answer is theirs."""
    membership = get_membership(actor, session.community)
    if membership is None:
        raise not_allowed(_("Only members answer the pulse of their group's sessions."))
    if not pulse_is_open(session):
        raise invalid(
            _("The pulse opens when the session is over and stays open for 30 days."),
            "pulse_closed",
        )
    scores = (trust, understanding, usefulness)
    if any(not isinstance(score, int) or not 1 <= score <= 5 for score in scores):
        raise invalid(_("Give each question a score from 1 to 5."), "invalid_score")
    try:
        with transaction.atomic():
            PulseReceipt.objects.create(session=session, user=actor)
    except IntegrityError:
        raise invalid(_("You already answered the pulse of this session."), "answered") from None
    PulseResponse.objects.create(
        session=session,
        side=membership.side,
        trust=trust,
        understanding=understanding,
        usefulness=usefulness,
        comment=comment.strip()[:1000],
    )


@transaction.atomic
def record_stage(
    *,
    actor: User,
    community: Community,
    stage: str,
    note: str = "",
    session: Session | None = None,
) -> StageAssessment:
    if not permissions.can_plan_sessions(actor, community):
        raise not_allowed(_("A steward records where the group thinks it stands."))
    if stage not in CommunityStage.values:
        raise invalid(_("Choose a stage from the list."), "invalid_stage")
    if session is not None and session.community_id != community.pk:
        raise invalid(_("This session belongs to another community."), "other_community")
    return StageAssessment.objects.create(
        community=community,
        stage=stage,
        note=note.strip(),
        session=session,
        recorded_by=actor,
    )


# Figures.


@dataclass(frozen=True)
class PulseRow:
    """The pulse of one session for one side (or everyone: side ""): how many answered,
    and the averages — None where fewer than MIN_ANSWERS answered."""

    session: Session
    side: str
    side_label: str
    answers: int
    trust: Decimal | None
    understanding: Decimal | None
    usefulness: Decimal | None


def _average(value: float | None, answers: int) -> Decimal | None:
    if value is None or answers < MIN_ANSWERS:
        return None
    return Decimal(str(round(value, 1)))


def pulse_rows(community: Community, limit: int = 24) -> list[PulseRow]:
    """Per session with answers (the latest `limit`, oldest first): everyone, then each
    side."""
    sessions = list(
        Session.objects.filter(community=community, pulses__isnull=False)
        .distinct()
        .order_by("-starts_at")[:limit]
    )
    sessions.reverse()
    by_id = {s.pk: s for s in sessions}
    averages = {name: Avg(name) for name in QUESTIONS}
    overall = (
        PulseResponse.objects.filter(session__in=sessions)
        .values("session_id")
        .annotate(answers=Count("pk"), **averages)
    )
    per_side = (
        PulseResponse.objects.filter(session__in=sessions)
        .values("session_id", "side")
        .annotate(answers=Count("pk"), **averages)
    )
    labels = dict(Side.choices)
    rows: dict[tuple[int, str], PulseRow] = {}
    for found, side_of in ((overall, None), (per_side, "side")):
        for row in found:
            side = row[side_of] if side_of else ""
            rows[(row["session_id"], side)] = PulseRow(
                session=by_id[row["session_id"]],
                side=side,
                side_label=str(labels.get(side, side)) if side else _("Everyone"),
                answers=row["answers"],
                **{q: _average(row[q], row["answers"]) for q in QUESTIONS},
            )
    order = ["", *[value for value, _label in Side.choices]]
    return [
        rows[(session.pk, side)]
        for session in sessions
        for side in order
        if (session.pk, side) in rows
    ]


def comments(community: Community, limit: int = 50) -> list[tuple[Session, list[str]]]:
    """Stewards' view of the comments per session (latest sessions first), each session's
    comments sorted by their text so the order tells nothing."""
    found: dict[int, list[str]] = {}
    rows = (
        PulseResponse.objects.filter(session__community=community)
        .exclude(comment="")
        .values_list("session_id", "comment")
    )
    for session_id, comment in rows:
        found.setdefault(session_id, []).append(comment)
    sessions = Session.objects.filter(pk__in=found).order_by("-starts_at")[:limit]
    return [(session, sorted(found[session.pk])) for session in sessions]


@dataclass(frozen=True)
class CircleRow:
    """The circle of involvement at a moment: active members per side, and how many took
    part in a session for the first time."""

    label: str
    day: date
    by_side: list[int]  # in the order of Side.choices
    total: int


def circle_by_quarter(community: Community, quarters: int = 8) -> list[CircleRow]:
    """Active members per side at the end of each of the last `quarters` quarters."""
    today = timezone.localdate()
    ends = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _step in range(quarters):
        end_month = quarter * 3
        next_start = date(year + (end_month == 12), end_month % 12 + 1, 1)
        label = _("quarter %(quarter)s of %(year)s") % {"quarter": quarter, "year": year}
        ends.append((label, min(next_start - timedelta(days=1), today)))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    ends.reverse()
    memberships = Membership.objects.filter(community=community)
    rows = []
    for label, day in ends:
        moment = timezone.make_aware(datetime.combine(day, time(23, 59)))
        active = memberships.filter(joined_at__lte=moment).filter(
            Q(left_at__isnull=True) | Q(left_at__gt=moment)
        )
        counts = dict(active.values_list("side").annotate(n=Count("pk")).values_list("side", "n"))
        by_side = [counts.get(value, 0) for value, _label in Side.choices]
        rows.append(CircleRow(label, day, by_side, sum(by_side)))
    return rows


def organisations_involved(community: Community) -> list[tuple[str, int]]:
    """Active members per organisation (and department), the largest first."""
    rows = (
        Membership.objects.active()
        .filter(community=community)
        .values("organisation__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "organisation__name")
    )
    return [(row["organisation__name"] or _("No organisation"), row["n"]) for row in rows]


def first_timers(community: Community, limit: int = 24) -> list[tuple[Session, int, int]]:
    """Per session with attendance (the latest `limit`, oldest first): how many were there,
    and how many of them for the first time."""
    firsts = (
        Attendance.objects.filter(session__community=community)
        .values("user_id")
        .annotate(first=Min("session__starts_at"))
    )
    first_at = {row["user_id"]: row["first"] for row in firsts}
    sessions = list(
        Session.objects.filter(community=community, attendance__isnull=False)
        .distinct()
        .order_by("-starts_at")[:limit]
    )
    sessions.reverse()
    present: dict[int, list[int]] = {}
    for session_id, user_id in Attendance.objects.filter(session__in=sessions).values_list(
        "session_id", "user_id"
    ):
        present.setdefault(session_id, []).append(user_id)
    return [
        (
            session,
            len(present.get(session.pk, [])),
            sum(1 for u in present.get(session.pk, []) if first_at.get(u) == session.starts_at),
        )
        for session in sessions
    ]
