"""Writes of the group's sessions — plan, change, cancel; the agenda; answers to the
invitation; attendance; minutes, decisions and action points. Each is a keyword-only
service that checks its own permission predicate; pages and the API only parse and call
these. Whoever must hear of a change hears of it through core.notifications (inbox and an
email after commit)."""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership
from samenspel.communities.permissions import get_membership
from samenspel.communities.services import CommunityError
from samenspel.communities.versions import content_changed
from samenspel.core.notifications import notify
from samenspel.learning import services as loop
from samenspel.learning.models import Signal
from samenspel.learning.services import not_allowed
from samenspel.learning.stages import Stage, move_exists
from samenspel.practice import permissions
from samenspel.practice.agenda import kind_of
from samenspel.practice.models import (
    ActionPoint,
    ActionStatus,
    AgendaItem,
    Answer,
    Attendance,
    CalendarFeed,
    LearningQuestion,
    Session,
    SessionDecision,
    SessionResponse,
)

# What change_session may write; a change of the first four is news for whoever comes.
WHEN_AND_WHERE = ("starts_at", "ends_at", "place", "online_link")
SESSION_FIELDS = ("title", *WHEN_AND_WHERE, "about")


def invalid(message: str, code: str = "invalid") -> CommunityError:
    return CommunityError(message, code=code, status=400)


def _members(community: Community) -> list[User]:
    return [
        m.user
        for m in Membership.objects.active().filter(community=community).select_related("user")
    ]


def _expected(session: Session) -> list[User]:
    """Everyone still expected: members who did not say they will not come."""
    declined = set(session.responses.filter(answer=Answer.NO).values_list("user_id", flat=True))
    return [u for u in _members(session.community) if u.pk not in declined]


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at < starts_at:
        raise invalid(_("The session cannot end before it starts."), "ends_before_start")


def _check_where(place: str, online_link: str) -> None:
    if not place.strip() and not online_link.strip():
        raise invalid(_("Say where it is: a place, an online link, or both."), "where_required")


def _tell(
    recipients: Iterable[User], session: Session, actor: User, *, subject, template: str
) -> None:
    notify(
        [u for u in recipients if u.pk != actor.pk],
        subject=subject,
        template=template,
        context={"session": session, "actor": actor.name},
        kind="session",
        url=session.get_absolute_url,
        community=session.community,
        ref=f"session:{session.pk}",
    )


@transaction.atomic
def plan_session(
    *,
    actor: User,
    community: Community,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    online_link: str = "",
    about: str = "",
    is_example: bool = False,
) -> Session:
    """Plan a session; every member is invited (inbox, and email as they wish)."""
    if not permissions.can_plan_sessions(actor, community):
        raise not_allowed(_("Only a steward plans sessions."))
    _check_times(starts_at, ends_at)
    _check_where(place, online_link)
    session = Session.objects.create(
        community=community,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_link=online_link.strip(),
        about=about.strip(),
        is_example=is_example,
        created_by=actor,
    )
    content_changed(community.pk)
    _tell(
        _members(community),
        session,
        actor,
        subject=lambda: (
            _("Invitation: %(title)s on %(date)s")
            % {"title": session.title, "date": _date(session.starts_at)}
        ),
        template="practice/email/session_invitation.txt",
    )
    return session


def _date(moment: datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "j F Y")


@transaction.atomic
def change_session(*, actor: User, session: Session, **fields: object) -> Session:
    """Change what a session is about or when and where it is; who is still expected hears
    of a new time or place."""
    if not permissions.can_plan_sessions(actor, session.community):
        raise not_allowed(_("Only a steward changes a session."))
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise invalid(_("These fields cannot be changed: %(fields)s") % {"fields": unknown})
    for name, value in fields.items():
        setattr(session, name, value.strip() if isinstance(value, str) else value)
    _check_times(session.starts_at, session.ends_at)
    _check_where(session.place, session.online_link)
    before = Session.objects.get(pk=session.pk)
    moved = any(getattr(before, name) != getattr(session, name) for name in WHEN_AND_WHERE)
    if moved:
        session.sequence += 1
        session.reminded_at = None
    session.save()
    content_changed(session.community_id)
    if moved and not session.is_cancelled:
        _tell(
            _expected(session),
            session,
            actor,
            subject=lambda: (
                _("Changed: %(title)s is now on %(date)s")
                % {"title": session.title, "date": _date(session.starts_at)}
            ),
            template="practice/email/session_changed.txt",
        )
    return session


@transaction.atomic
def cancel_session(*, actor: User, session: Session) -> Session:
    if not permissions.can_plan_sessions(actor, session.community):
        raise not_allowed(_("Only a steward cancels a session."))
    if session.is_cancelled:
        return session
    session.cancelled_at = timezone.now()
    session.sequence += 1
    session.save()
    content_changed(session.community_id)
    _tell(
        _expected(session),
        session,
        actor,
        subject=lambda: (
            _("Cancelled: %(title)s on %(date)s")
            % {"title": session.title, "date": _date(session.starts_at)}
        ),
        template="practice/email/session_cancelled.txt",
    )
    return session


# The agenda.


@transaction.atomic
def add_agenda_item(
    *,
    actor: User,
    session: Session,
    title: str = "",
    signal: Signal | None = None,
    learning_question: LearningQuestion | None = None,
    subject: Model | None = None,
) -> AgendaItem:
    """Put a point on the agenda: a signal, a learning question, something an app above
    registered (practice/agenda.py: an advice to the council), or a topic of its own."""
    if not permissions.can_plan_sessions(actor, session.community):
        raise not_allowed(_("Only a steward keeps the agenda."))
    kind = kind_of(subject) if subject is not None else None
    if subject is not None and (
        kind is None or getattr(subject, "community_id", None) != session.community_id
    ):
        raise invalid(_("This belongs to another community."), "other_community")
    if signal is not None and signal.community_id != session.community_id:
        raise invalid(_("This signal belongs to another community."), "other_community")
    if learning_question is not None and learning_question.community_id != session.community_id:
        raise invalid(_("This learning question belongs to another community."), "other_community")
    title = title.strip() or (
        signal.title
        if signal
        else learning_question.question
        if learning_question
        else kind.title(subject)
        if kind is not None
        else ""
    )
    if not title:
        raise invalid(_("Give the agenda item a title, or choose a signal."), "title_required")
    last = session.agenda_items.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        session=session,
        position=(last or 0) + 1,
        title=title[:200],
        signal=signal,
        learning_question=learning_question,
        subject=subject,
    )
    content_changed(session.community_id)
    return item


@transaction.atomic
def remove_agenda_item(*, actor: User, item: AgendaItem) -> None:
    if not permissions.can_plan_sessions(actor, item.session.community):
        raise not_allowed(_("Only a steward keeps the agenda."))
    item.delete()
    content_changed(item.session.community_id)


@transaction.atomic
def discuss_agenda_item(*, actor: User, item: AgendaItem, notes: str = "") -> AgendaItem:
    """Record that an item was discussed, and what was said. A signal on it moves to
    "discussed" through the loop's one move function (which checks who may, and tells
    whoever raised it), unless it is already past that step."""
    session = item.session
    if not permissions.can_plan_sessions(actor, session.community):
        raise not_allowed(_("Only a steward records what was discussed."))
    item.notes = notes.strip()
    item.discussed_at = item.discussed_at or timezone.now()
    item.save()
    signal = item.signal
    if signal is not None and move_exists(signal.stage, Stage.BESPROKEN):
        loop.move_signal(
            actor=actor,
            signal=signal,
            move=loop.Move(
                to_stage=Stage.BESPROKEN,
                note=item.notes,
                session_id=session.pk,
                learning_question_id=item.learning_question_id,
            ),
            seen_event_id=None,
        )
    content_changed(session.community_id)
    return item


# Who comes, and who was there.


@transaction.atomic
def answer_invitation(*, actor: User, session: Session, answer: str) -> SessionResponse:
    if not permissions.can_answer_invitation(actor, session):
        raise not_allowed(_("Only members answer, and only before the session."))
    if answer not in Answer.values:
        raise invalid(_("Choose: I am coming, maybe, or I am not coming."), "invalid_answer")
    response, _created = SessionResponse.objects.update_or_create(
        session=session, user=actor, defaults={"answer": answer, "answered_at": timezone.now()}
    )
    content_changed(session.community_id)
    return response


@transaction.atomic
def record_attendance(*, actor: User, session: Session, users: Iterable[User]) -> int:
    """Set who was there to exactly `users` (members of the community)."""
    community = session.community
    if not permissions.can_plan_sessions(actor, community):
        raise not_allowed(_("Only a steward records who was there."))
    people = {u.pk: u for u in users}
    members = set(
        Membership.objects.active()
        .filter(community=community, user_id__in=people)
        .values_list("user_id", flat=True)
    )
    if set(people) - members:
        raise invalid(_("Only members of the community can be recorded as present."), "not_member")
    session.attendance.exclude(user_id__in=people).delete()
    present = set(session.attendance.values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(session=session, user_id=pk, recorded_by=actor)
        for pk in people
        if pk not in present
    )
    content_changed(community.pk)
    return len(people)


# Minutes, decisions and action points.


@transaction.atomic
def write_minutes(*, actor: User, session: Session, minutes: str) -> Session:
    if not permissions.can_plan_sessions(actor, session.community):
        raise not_allowed(_("Only a steward writes the minutes."))
    session.minutes = minutes.strip()
    session.save(update_fields=["minutes"])
    content_changed(session.community_id)
    return session


@transaction.atomic
def add_decision(*, actor: User, session: Session, text: str) -> SessionDecision:
    if not permissions.can_plan_sessions(actor, session.community):
        raise not_allowed(_("Only a steward records decisions."))
    if not text.strip():
        raise invalid(_("Write what was decided."), "text_required")
    decision = SessionDecision.objects.create(session=session, text=text.strip()[:500])
    content_changed(session.community_id)
    return decision


@transaction.atomic
def add_action_point(
    *,
    actor: User,
    session: Session,
    description: str,
    owner: User | None = None,
    due_on: date | None = None,
) -> ActionPoint:
    """Record an action point; its owner (a member) hears of it."""
    community = session.community
    if not permissions.can_plan_sessions(actor, community):
        raise not_allowed(_("Only a steward records action points."))
    if not description.strip():
        raise invalid(_("Write what needs to be done."), "description_required")
    if owner is not None and get_membership(owner, community) is None:
        raise invalid(_("The owner must be a member of the community."), "not_member")
    point = ActionPoint.objects.create(
        session=session, description=description.strip()[:300], owner=owner, due_on=due_on
    )
    content_changed(community.pk)
    if owner is not None and owner.pk != actor.pk:
        notify(
            [owner],
            subject=lambda: _("Action point for you: %(what)s") % {"what": point.description},
            template="practice/email/action_point.txt",
            context={"point": point, "session": session, "actor": actor.name},
            kind="action-point",
            url=session.get_absolute_url,
            community=community,
            ref=f"action-point:{point.pk}",
        )
    return point


@transaction.atomic
def set_action_point_status(*, actor: User, point: ActionPoint, status: str) -> ActionPoint:
    if not permissions.can_update_action_point(actor, point):
        raise not_allowed(_("Only its owner or a steward changes an action point."))
    if status not in ActionStatus.values:
        raise invalid(_("Choose a status from the list."), "invalid_status")
    point.status = status
    point.save(update_fields=["status"])
    content_changed(point.session.community_id)
    return point


# A member's private calendar address.


def calendar_feed(*, actor: User, community: Community, renew: bool = False) -> CalendarFeed:
    """The member's own calendar address for this community; `renew` replaces it (the old
    address stops working)."""
    if get_membership(actor, community) is None:
        raise not_allowed(_("Only members have a calendar address of their own."))
    feed, created = CalendarFeed.objects.get_or_create(community=community, user=actor)
    if renew and not created:
        feed.delete()
        feed = CalendarFeed.objects.create(community=community, user=actor)
    return feed
