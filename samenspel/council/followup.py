"""Writes after the council: the commitments (toezeggingen) a decision brings, the meetings
calendar with the advices on its agendas, and the register of what has been established.
Each checks its own permission predicate; whoever must hear of a change hears of it."""

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership
from samenspel.communities.versions import content_changed
from samenspel.core.notifications import notify
from samenspel.council import permissions, services
from samenspel.council.models import (
    AdviceStage,
    Arrangement,
    Commitment,
    CommitmentStatus,
    CouncilAdvice,
    CouncilDecision,
    CouncilMeeting,
    MeetingBody,
    MeetingItem,
)
from samenspel.learning.services import not_allowed

invalid = services.invalid


def _is_member(community: Community, user: User) -> bool:
    return Membership.objects.active().filter(community=community, user=user).exists()


@transaction.atomic
def add_commitment(
    *,
    actor: User,
    advice: CouncilAdvice,
    description: str,
    owner: User | None = None,
    due_on: date | None = None,
    decision: CouncilDecision | None = None,
) -> Commitment:
    """Write down what a decision promised, who follows it up and by when; the owner hears
    of it. A dossier with a decision goes to follow-up."""
    if not permissions.can_keep_commitments(actor, advice):
        raise not_allowed(_("Only its authors or a steward write down commitments."))
    if not description.strip():
        raise invalid(_("Say what was promised."), "description_required")
    if owner is not None and not _is_member(advice.community, owner):
        raise invalid(_("Who follows it up must be a member of the group."), "owner_not_member")
    if decision is not None and decision.advice_id != advice.pk:
        raise invalid(_("This decision belongs to another advice."), "other_advice")
    commitment = Commitment.objects.create(
        advice=advice,
        decision=decision or advice.decisions.order_by("-decided_on", "-pk").first(),
        description=description.strip(),
        owner=owner,
        due_on=due_on,
    )
    if advice.stage == AdviceStage.BESLUIT:
        services.move_advice(
            actor=actor, advice=advice, to_stage=AdviceStage.OPVOLGING, note=commitment.description
        )
    if owner is not None and owner.pk != actor.pk:
        notify(
            [owner],
            subject=lambda: _("A commitment for you: %(what)s") % {"what": commitment.description},
            template="council/email/commitment.txt",
            context={"commitment": commitment, "advice": advice, "actor": actor.name},
            kind="council",
            url=advice.get_absolute_url,
            community=advice.community,
            ref=f"commitment:{commitment.pk}",
        )
    return commitment


@transaction.atomic
def set_commitment_status(*, actor: User, commitment: Commitment, status: str) -> Commitment:
    if not permissions.can_update_commitment(actor, commitment):
        raise not_allowed(_("Only who follows it up, the authors or a steward change this."))
    if status not in CommitmentStatus.values:
        raise invalid(_("Choose a status from the list."), "invalid_status")
    commitment.status = status
    commitment.save(update_fields=["status"])
    return commitment


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at < starts_at:
        raise invalid(_("The meeting cannot end before it starts."), "ends_before_start")


@transaction.atomic
def plan_meeting(
    *,
    actor: User,
    community: Community,
    body: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    link: str = "",
    is_example: bool = False,
) -> CouncilMeeting:
    """Put a council or committee meeting in the group's calendar."""
    if not permissions.can_keep_meetings(actor, community):
        raise not_allowed(_("Only members who contribute keep the meetings calendar."))
    if body not in MeetingBody.values:
        raise invalid(_("Choose what kind of meeting it is."), "invalid_body")
    if not title.strip():
        raise invalid(_("Give the meeting a title."), "title_required")
    _check_times(starts_at, ends_at)
    return CouncilMeeting.objects.create(
        community=community,
        body=body,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        link=link.strip(),
        created_by=actor,
        is_example=is_example,
    )


# What change_meeting may write; a change of the first four is news for the calendar.
WHEN_AND_WHERE = ("starts_at", "ends_at", "place", "link")
MEETING_FIELDS = ("body", "title", *WHEN_AND_WHERE)


@transaction.atomic
def change_meeting(*, actor: User, meeting: CouncilMeeting, **fields: object) -> CouncilMeeting:
    """Change a meeting; a new time or place raises its SEQUENCE, so calendar apps update
    it, and the authors of the advices on its agenda hear of it."""
    if not permissions.can_keep_meetings(actor, meeting.community):
        raise not_allowed(_("Only members who contribute keep the meetings calendar."))
    if meeting.is_cancelled:
        raise invalid(_("This meeting was cancelled."), "cancelled")
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise invalid(
            _("These cannot be changed: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            "unknown_fields",
        )
    if "body" in fields and fields["body"] not in MeetingBody.values:
        raise invalid(_("Choose what kind of meeting it is."), "invalid_body")
    if "title" in fields and not str(fields["title"]).strip():
        raise invalid(_("Give the meeting a title."), "title_required")
    starts = fields.get("starts_at", meeting.starts_at)
    ends = fields.get("ends_at", meeting.ends_at)
    assert isinstance(starts, datetime) and isinstance(ends, datetime)
    _check_times(starts, ends)
    moved = any(
        name in fields and fields[name] != getattr(meeting, name) for name in WHEN_AND_WHERE
    )
    for name, value in fields.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    if moved:
        meeting.sequence += 1
    meeting.save()
    if moved:
        _tell_agenda(
            meeting,
            actor,
            subject=lambda: _("Changed: %(title)s") % {"title": meeting.title},
            template="council/email/meeting_changed.txt",
        )
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: User, meeting: CouncilMeeting) -> CouncilMeeting:
    if not permissions.can_keep_meetings(actor, meeting.community):
        raise not_allowed(_("Only members who contribute keep the meetings calendar."))
    if meeting.is_cancelled:
        raise invalid(_("This meeting was cancelled."), "cancelled")
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "sequence"])
    _tell_agenda(
        meeting,
        actor,
        subject=lambda: _("Cancelled: %(title)s") % {"title": meeting.title},
        template="council/email/meeting_changed.txt",
    )
    return meeting


def _tell_agenda(meeting: CouncilMeeting, actor: User, *, subject: Any, template: str) -> None:
    """The authors of the advices on the meeting's agenda."""
    authors = User.objects.filter(council_advices__meeting_items__meeting=meeting).distinct()
    notify(
        [u for u in authors if u.pk != actor.pk],
        subject=subject,
        template=template,
        context={"meeting": meeting, "actor": actor.name},
        kind="council",
        url=meeting.get_absolute_url,
        community=meeting.community,
        ref=f"council-meeting:{meeting.pk}",
    )


@transaction.atomic
def put_on_agenda(
    *, actor: User, meeting: CouncilMeeting, advice: CouncilAdvice, note: str = ""
) -> MeetingItem:
    """Put an advice on a meeting's agenda. An offered advice is now on the agenda: its
    authors and endorsers hear of it (when the actor may move it on)."""
    if not permissions.can_keep_meetings(actor, meeting.community):
        raise not_allowed(_("Only members who contribute keep the meetings calendar."))
    if advice.community_id != meeting.community_id:
        raise invalid(_("This advice belongs to another community."), "other_community")
    if meeting.is_cancelled:
        raise invalid(_("This meeting was cancelled."), "cancelled")
    try:
        with transaction.atomic():
            item = MeetingItem.objects.create(meeting=meeting, advice=advice, note=note.strip())
    except IntegrityError:
        raise invalid(_("This advice is already on the agenda."), "already_on_agenda") from None
    content_changed(meeting.community_id)
    if advice.stage == AdviceStage.AANGEBODEN and permissions.can_move_advice(actor, advice):
        services.move_advice(
            actor=actor, advice=advice, to_stage=AdviceStage.GEAGENDEERD, note=str(meeting)
        )
    return item


@transaction.atomic
def record_arrangement(
    *,
    actor: User,
    community: Community,
    title: str,
    established_on: date,
    description: str = "",
    decision: CouncilDecision | None = None,
    source: str = "",
    is_example: bool = False,
) -> Arrangement:
    """Write down what has been formally established, with its decision or source."""
    if not permissions.can_keep_register(actor, community):
        raise not_allowed(_("Only members who contribute keep the register."))
    if not title.strip():
        raise invalid(_("Say what was established."), "title_required")
    if decision is not None and decision.advice.community_id != community.pk:
        raise invalid(_("This decision belongs to another community."), "other_community")
    if not (decision or source.strip()):
        raise invalid(_("Name the decision, or give a source: a link."), "source_required")
    return Arrangement.objects.create(
        community=community,
        title=title.strip(),
        description=description.strip(),
        decision=decision,
        established_on=established_on,
        source=source.strip(),
        is_example=is_example,
    )


@transaction.atomic
def end_arrangement(*, actor: User, arrangement: Arrangement, ended_on: date) -> Arrangement:
    """It is no longer in force (it stays in the register, marked so)."""
    if not permissions.can_keep_register(actor, arrangement.community):
        raise not_allowed(_("Only members who contribute keep the register."))
    if not arrangement.in_force:
        raise invalid(_("This is already no longer in force."), "already_ended")
    arrangement.in_force = False
    arrangement.ended_on = ended_on
    arrangement.save(update_fields=["in_force", "ended_on"])
    return arrangement
