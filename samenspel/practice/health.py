"""The health of the group: an anonymous pulse after each session, the circle of people
involved, and where the group thinks it stands (Wenger's stages). Writes check their own
permission predicate; the figures are computed from the rows, never stored twice.

Speed: each figure is a bounded number of queries, whatever the group's history (the
latest sessions with answers are found through the index on the community's sessions by
start, their averages come from one GROUP BY), and `dashboard_figures` keeps them in
each process's memory per content version, day and language, so the many kinds of reader
of a big group (visitors, each kind of member, stewards) do not compute them again. An
answer raises the content version like every other change.

Anonymity: an answer (PulseResponse) holds no person, no time and a random id; a separate
receipt (PulseReceipt) only records that someone answered, so that nobody answers twice.
Figures per side appear only where at least MIN_ANSWERS of that side answered, so that a
small side cannot be read person by person; comments are shown to stewards only, sorted
by their text."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership, Side
from samenspel.communities.permissions import get_membership
from samenspel.communities.versions import content_changed
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
    # No history (it would hold a time): the figures' shared copies are rebuilt this way.
    content_changed(session.community_id)


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


def _latest_sessions_with(community: Community, rows: QuerySet, limit: int) -> list[Session]:
    """The community's latest `limit` sessions that some of `rows` (a queryset of a model
    with a `session`) point at, latest first; each knows its community, so that its link
    costs no query."""
    sessions = list(
        Session.objects.filter(community=community)
        .filter(Exists(rows.filter(session_id=OuterRef("pk"))))
        .order_by("-starts_at", "-pk")[:limit]
    )
    for session in sessions:
        session.community = community
    return sessions


def pulse_rows(community: Community, limit: int = 24) -> list[PulseRow]:
    """Per session with answers (the latest `limit`, oldest first): everyone, then each
    side. Two queries: the sessions, and the answers counted and summed per session and
    side (everyone's row adds up the sides)."""
    sessions = _latest_sessions_with(community, PulseResponse.objects.all(), limit)
    sessions.reverse()
    by_id = {s.pk: s for s in sessions}
    found = (
        PulseResponse.objects.filter(session__in=sessions)
        .values_list("session_id", "side")
        .annotate(answers=Count("pk"), **{f"sum_{q}": Sum(q) for q in QUESTIONS})
        .order_by()
    )
    # (session id, side or "" for everyone) -> [answers, sum per question...]
    totals: dict[tuple[int, str], list[int]] = {}
    for session_id, side, answers, *sums in found:
        for key in {(session_id, ""), (session_id, side)}:
            total = totals.setdefault(key, [0] * (1 + len(QUESTIONS)))
            for position, value in enumerate((answers, *sums)):
                total[position] += value
    labels = dict(Side.choices)
    order = ["", *[value for value, _label in Side.choices]]
    rows = []
    for session in sessions:
        for side in order:
            if (session.pk, side) not in totals:
                continue
            answers, *sums = totals[(session.pk, side)]
            rows.append(
                PulseRow(
                    session=by_id[session.pk],
                    side=side,
                    side_label=str(labels.get(side, side)) if side else _("Everyone"),
                    answers=answers,
                    # The same float as the database's AVG: the sum over the count.
                    **{
                        q: _average(total / answers, answers)
                        for q, total in zip(QUESTIONS, sums, strict=True)
                    },
                )
            )
    return rows


def comments(community: Community, limit: int = 50) -> list[tuple[Session, list[str]]]:
    """Stewards' view of the comments per session (latest sessions first), each session's
    comments sorted by their text so the order tells nothing."""
    with_comment = PulseResponse.objects.exclude(comment="")
    sessions = _latest_sessions_with(community, with_comment, limit)
    found: dict[int, list[str]] = {}
    for session_id, comment in with_comment.filter(session__in=sessions).values_list(
        "session_id", "comment"
    ):
        found.setdefault(session_id, []).append(comment)
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
    # One query: per side, a count for each moment.
    moments = [timezone.make_aware(datetime.combine(day, time(23, 59))) for _label, day in ends]
    found = (
        Membership.objects.filter(community=community)
        .values_list("side")
        .annotate(
            **{
                f"at_{number}": Count(
                    "pk",
                    filter=Q(joined_at__lte=moment)
                    & (Q(left_at__isnull=True) | Q(left_at__gt=moment)),
                )
                for number, moment in enumerate(moments)
            }
        )
        .order_by()
    )
    counts = {side: at for side, *at in found}
    rows = []
    for number, (label, day) in enumerate(ends):
        by_side = [counts.get(value, [0] * len(ends))[number] for value, _label in Side.choices]
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
    sessions = _latest_sessions_with(community, Attendance.objects.all(), limit)
    sessions.reverse()
    present: dict[int, list[int]] = {}
    for session_id, user_id in Attendance.objects.filter(session__in=sessions).values_list(
        "session_id", "user_id"
    ):
        present.setdefault(session_id, []).append(user_id)
    # When each of them was there first (only theirs: the others' do not matter here).
    firsts = (
        Attendance.objects.filter(
            session__community=community, user_id__in={u for p in present.values() for u in p}
        )
        .values_list("user_id")
        .annotate(first=Min("session__starts_at"))
        .order_by()
    )
    first_at = dict(firsts)
    return [
        (
            session,
            len(present.get(session.pk, [])),
            sum(1 for u in present.get(session.pk, []) if first_at.get(u) == session.starts_at),
        )
        for session in sessions
    ]


@dataclass(frozen=True)
class Figures:
    """What the dashboard shows to whoever may see the group (no comments: stewards')."""

    pulse_rows: list[PulseRow]
    circle: list[CircleRow]
    organisations: list[tuple[str, int]]
    first_timers: list[tuple[Session, int, int]]


FIGURES_SECONDS = 60 * 60


def dashboard_figures(community: Community) -> Figures:
    """The figures, kept in this process under the community's content version (which
    every change that moves them raises, an answer included), the day (the quarters end
    today) and the language (the labels). `community` must be freshly read, as the views
    read it, so that its version is the current one."""
    key = ":".join(
        (
            "health-figures",
            str(community.pk),
            str(community.content_version),
            timezone.localdate().isoformat(),
            translation.get_language() or "",
        )
    )
    cache = caches["versioned"]
    found = cache.get(key)
    if found is None:
        found = Figures(
            pulse_rows=pulse_rows(community),
            circle=circle_by_quarter(community),
            organisations=organisations_involved(community),
            first_timers=first_timers(community),
        )
        cache.set(key, found, FIGURES_SECONDS)
    return found
