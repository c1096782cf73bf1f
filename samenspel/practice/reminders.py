"""The group's reminders, run once a day by the worker (core.periodic): the day before a
session, whoever said they come (or maybe) is reminded; an action point past its date
reminds its owner, once and then once a week while it stays open; the day after a visit to
an initiative, who joined is asked what they learned (once, and only while nothing is
written down)."""

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.core.notifications import notify
from samenspel.practice.models import ActionPoint, Answer, FieldVisit, Session

# An overdue action point reminds its owner again after this many days.
REMIND_AGAIN_DAYS = 7
# A visit of at most this many days ago still asks what was learned (a worker may be down).
FOLLOW_UP_DAYS = 7


# Subjects are made in each recipient's language, when notify() calls them.
def _tomorrow(session: Session) -> Callable[[], str]:
    return lambda: _("Tomorrow: %(title)s") % {"title": session.title}


def _past_its_date(point: ActionPoint) -> Callable[[], str]:
    return lambda: _("Past its date: %(what)s") % {"what": point.description}


def remind_sessions_of_tomorrow() -> int:
    """Remind those who come to a session tomorrow (each session once). Returns how many
    sessions were reminded of."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    due = Session.objects.filter(
        starts_at__date=tomorrow, cancelled_at__isnull=True, reminded_at__isnull=True
    ).select_related("community")
    count = 0
    for session in due:
        with transaction.atomic():
            # Claim it first: a second worker finds it reminded.
            claimed = Session.objects.filter(pk=session.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            coming = User.objects.filter(
                pk__in=session.responses.filter(answer__in=[Answer.YES, Answer.MAYBE]).values(
                    "user_id"
                )
            )
            notify(
                coming,
                subject=_tomorrow(session),
                template="practice/email/session_reminder.txt",
                context={"session": session},
                kind="session",
                url=session.get_absolute_url,
                community=session.community,
                ref=f"session:{session.pk}",
            )
            count += 1
    return count


def remind_overdue_action_points() -> int:
    today = timezone.localdate()
    again = today - timedelta(days=REMIND_AGAIN_DAYS)
    due = (
        ActionPoint.objects.overdue()
        .filter(owner__isnull=False, session__community__archived_at__isnull=True)
        .exclude(reminded_on__gt=again)
        .select_related("owner", "session__community")
    )
    count = 0
    for point in due:
        with transaction.atomic():
            claimed = (
                ActionPoint.objects.filter(pk=point.pk)
                .exclude(reminded_on__gt=again)
                .update(reminded_on=today)
            )
            if not claimed:
                continue
            assert point.owner is not None  # filtered above
            notify(
                [point.owner],
                subject=_past_its_date(point),
                template="practice/email/action_point_overdue.txt",
                context={"point": point, "session": point.session},
                kind="action-point",
                url=point.session.get_absolute_url,
                community=point.session.community,
                ref=f"action-point:{point.pk}",
            )
            count += 1
    return count


def _what_did_you_learn(visit: FieldVisit) -> Callable[[], str]:
    name = visit.initiative.name
    return lambda: _("What did you learn at %(initiative)s?") % {"initiative": name}


def ask_what_visits_taught() -> int:
    """Ask who joined an initiative yesterday (or in the days before, if missed) what they
    learned, once per visit, while nothing has been written down. Returns how many."""
    today = timezone.localdate()
    due = (
        FieldVisit.objects.planned()
        .filter(
            visit_on__lt=today,
            visit_on__gte=today - timedelta(days=FOLLOW_UP_DAYS),
            reminded_at__isnull=True,
            visitor__isnull=False,
            notes="",
            lessons__isnull=True,
            learning_questions__isnull=True,
            signals__isnull=True,
            community__archived_at__isnull=True,
        )
        .select_related("visitor", "initiative", "community")
        .distinct()
    )
    count = 0
    for visit in due:
        with transaction.atomic():
            claimed = FieldVisit.objects.filter(pk=visit.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            assert visit.visitor is not None  # filtered above
            notify(
                [visit.visitor],
                subject=_what_did_you_learn(visit),
                template="practice/email/visit_follow_up.txt",
                context={"visit": visit},
                kind="field-visit",
                url=visit.get_absolute_url,
                community=visit.community,
                ref=f"field-visit:{visit.pk}",
            )
            count += 1
    return count
