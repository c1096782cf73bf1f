"""Writes of policy makers in practice (meelopen): planning a visit to an initiative's
activity, cancelling it, and afterwards writing down what was learned — in a few words on
the visit, and as a signal raised from it (lessons and learning questions name their visit
through practice/questions.py). Each checks its own permission predicate; the people of
the initiative and the visitor hear of every change (inbox, and email after commit)."""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Membership, Role
from samenspel.communities.versions import content_changed
from samenspel.core.notifications import notify
from samenspel.initiatives.models import Initiative
from samenspel.initiatives.services import initiative_members
from samenspel.learning import services as loop
from samenspel.learning.models import Signal
from samenspel.learning.services import not_allowed
from samenspel.practice import permissions
from samenspel.practice.models import FieldVisit, VisitKind
from samenspel.practice.sessions import invalid


def _people(visit: FieldVisit) -> list[User]:
    """Who a visit concerns: the initiative's own people and the visitor."""
    people = {user.pk: user for user in initiative_members(visit.initiative)}
    if visit.visitor is not None:
        people[visit.visitor.pk] = visit.visitor
    return list(people.values())


def _tell(
    visit: FieldVisit,
    actor: User,
    *,
    subject: Callable[[], str],
    template: str,
    recipients: Iterable[User] | None = None,
) -> None:
    people = _people(visit) if recipients is None else list(recipients)
    notify(
        [user for user in people if user.pk != actor.pk],
        subject=subject,
        template=template,
        context={"visit": visit, "actor": actor.name},
        kind="field-visit",
        url=visit.get_absolute_url,
        community=visit.community,
        ref=f"field-visit:{visit.pk}",
    )


def _day(day: date) -> str:
    return date_format(day, "j F Y")


@transaction.atomic
def plan_visit(
    *,
    actor: User,
    initiative: Initiative,
    kind: str,
    visit_on: date,
    about: str,
    visitor: User | None = None,
    is_example: bool = False,
) -> FieldVisit:
    """Plan a visit: a member plans their own ("I join"); the initiative's people or a
    steward may also invite another member. The initiative's people and the visitor hear
    of it."""
    community = initiative.community
    visitor = visitor or actor
    if not permissions.can_plan_visit(actor, initiative):
        raise not_allowed(_("Only members who contribute plan a visit to a listed initiative."))
    if visitor.pk != actor.pk and not permissions.can_invite_visitor(actor, initiative):
        raise not_allowed(
            _("Only the initiative's own people or a steward invite someone else to join.")
        )
    if (
        not Membership.objects.active()
        .filter(community=community, user=visitor)
        .exclude(role=Role.WAARNEMER)
        .exists()
    ):
        raise invalid(
            _("Who joins must be a member of the group who takes part, not an observer."),
            "visitor_not_member",
        )
    if kind not in VisitKind.values:
        raise invalid(_("Choose what kind of activity it is."), "invalid_kind")
    if not about.strip():
        raise invalid(_("Say in a few words what happens there."), "about_required")
    if (
        FieldVisit.objects.planned()
        .filter(initiative=initiative, visitor=visitor, visit_on=visit_on)
        .exists()
    ):
        raise invalid(
            _("This visit is already planned: the same person, initiative and date."),
            "duplicate_visit",
        )
    visit = FieldVisit.objects.create(
        community=community,
        initiative=initiative,
        visitor=visitor,
        kind=kind,
        visit_on=visit_on,
        about=about.strip(),
        planned_by=actor,
        is_example=is_example,
    )
    _tell(
        visit,
        actor,
        subject=lambda: (
            _("%(name)s joins %(initiative)s on %(date)s")
            % {"name": visitor.name, "initiative": initiative.name, "date": _day(visit_on)}
        ),
        template="practice/email/visit_planned.txt",
    )
    return visit


@transaction.atomic
def cancel_visit(*, actor: User, visit: FieldVisit) -> FieldVisit:
    if not permissions.can_change_visit(actor, visit):
        raise not_allowed(_("Only who joins, who planned it, the initiative or a steward cancel."))
    if visit.is_cancelled:
        raise invalid(_("This visit was already cancelled."), "already_cancelled")
    visit.cancelled_at = timezone.now()
    visit.save(update_fields=["cancelled_at"])
    _tell(
        visit,
        actor,
        subject=lambda: (
            _("Cancelled: the visit to %(initiative)s on %(date)s")
            % {"initiative": visit.initiative.name, "date": _day(visit.visit_on)}
        ),
        template="practice/email/visit_cancelled.txt",
    )
    return visit


@transaction.atomic
def write_visit_notes(*, actor: User, visit: FieldVisit, notes: str) -> FieldVisit:
    """What the visitor saw and learned, in a few words. The first time, the initiative's
    people hear of it: the visit comes back to them."""
    if not permissions.can_report_visit(actor, visit):
        raise not_allowed(_("Only who joined, the initiative or a steward write this down."))
    if visit.is_cancelled:
        raise invalid(_("This visit was cancelled."), "cancelled")
    if visit.visit_on > timezone.localdate():
        raise invalid(_("Write this down after the visit."), "not_yet")
    first = not visit.notes
    visit.notes = notes.strip()
    visit.save(update_fields=["notes"])
    if first and visit.notes:
        _tell(
            visit,
            actor,
            subject=lambda: (
                _("What %(name)s learned at %(initiative)s")
                % {"name": actor.name, "initiative": visit.initiative.name}
            ),
            template="practice/email/visit_notes.txt",
        )
    return visit


@transaction.atomic
def raise_signal_from_visit(*, actor: User, visit: FieldVisit, **signal: Any) -> Signal:
    """Raise a signal about what the visit showed (learning's raise_signal decides who may
    raise it), linked to the visit."""
    if not permissions.can_report_visit(actor, visit):
        raise not_allowed(_("Only who joined, the initiative or a steward write this down."))
    if visit.is_cancelled:
        raise invalid(_("This visit was cancelled."), "cancelled")
    raised = loop.raise_signal(actor=actor, community=visit.community, **signal)
    visit.signals.add(raised)
    content_changed(visit.community_id)
    return raised
