"""Who hears of the loop, and what they read.

- Every step of a signal reaches who raised it, the confirmed members of its initiatives,
  its owner and whoever follows the signal (not the person who made the step).
- The outcome (feedback, "not taken up") reaches who raised it and its initiatives always,
  whatever their notification settings.
- A new signal reaches the community's stewards, and whoever follows one of its themes or
  policy objects."""

from django.db.models import Q
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Membership, Role, Side
from samenspel.communities.permissions import get_membership
from samenspel.core.notifications import notify
from samenspel.core.sites import site_url
from samenspel.learning.models import Follow, LoopEvent, Signal
from samenspel.learning.permissions import initiative_organisations
from samenspel.learning.stages import FEEDBACK_STAGES, NEXT_STEP, Stage


def feedback_recipients(signal: Signal) -> list[User]:
    """Who raised it, and the contributing members of the initiatives it was raised for
    (members whose organisation is confirmed: only they speak for it)."""
    organisations = initiative_organisations(signal)
    users = {
        m.user
        for m in Membership.objects.active()
        .filter(
            community=signal.community,
            organisation_id__in=organisations,
            organisation_confirmed_at__isnull=False,
        )
        .exclude(role="waarnemer")
        .select_related("user")
    }
    if signal.raised_by is not None:
        users.add(signal.raised_by)
    return sorted(users, key=lambda user: user.pk)


def active_members(community_id: int, users: Q) -> list[User]:
    """The users matched by `users` that are still active members of the community."""
    return list(
        User.objects.filter(users, is_active=True)
        .filter(
            memberships__community_id=community_id,
            memberships__left_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def signal_followers(signal: Signal) -> list[User]:
    return active_members(
        signal.community_id, Q(pk__in=Follow.objects.filter(signal=signal).values("user_id"))
    )


def involved_in(signal: Signal) -> list[User]:
    """Everyone a signal concerns: who raised it and its initiative, its owner, its
    followers (each once)."""
    people = {u.pk: u for u in feedback_recipients(signal)}
    if signal.owner is not None:
        people[signal.owner.pk] = signal.owner
    people.update({u.pk: u for u in signal_followers(signal)})
    return [people[pk] for pk in sorted(people)]


def step_subject(signal: Signal, event: LoopEvent, actor: User) -> str:
    """What happened, in plain words, as the subject of the message."""
    title = {"title": signal.title}
    stage = event.to_stage
    if stage == Stage.IN_VERKENNING:
        owner = signal.owner or actor
        return _("%(name)s is taking this up: %(title)s") % {**title, "name": owner.name}
    if stage == Stage.TERUGGEKOPPELD:
        membership = get_membership(actor, signal.community)
        if membership is not None and membership.side == Side.GEMEENTE:
            return _("The municipality has responded to: %(title)s") % title
        return _("%(name)s has responded to: %(title)s") % {**title, "name": actor.name}
    subjects: dict[Stage, str] = {
        Stage.BESPROKEN: _("Discussed in the group: %(title)s"),
        Stage.AANPASSING_VOORGESTELD: _("A change has been proposed for: %(title)s"),
        Stage.BESLOTEN: _("A decision has been made on: %(title)s"),
        Stage.NIET_OPGEPAKT: _("Not taken up, with the reason: %(title)s"),
        Stage.AFGESLOTEN: _("Closed: %(title)s"),
        Stage.HEROPEND: _("Reopened: %(title)s"),
    }
    subject: str = subjects.get(Stage(stage), _("News about: %(title)s"))
    return subject % title


def announce_step(*, signal: Signal, event: LoopEvent, actor: User) -> None:
    """Tell everyone involved in the signal about a step. An outcome goes to who raised it
    and its initiatives always (kind loop-outcome), whatever their settings."""
    raisers = feedback_recipients(signal)
    others = [signal.owner] if signal.owner is not None else []
    others += signal_followers(signal)
    context = {
        "signal": signal,
        "event": event,
        "actor": actor,
        "next_step": NEXT_STEP.get(event.to_stage, ""),
    }

    def subject() -> str:
        return step_subject(signal, event, actor)

    outcome = event.to_stage in FEEDBACK_STAGES
    if outcome:
        notify(
            raisers,
            subject=subject,
            template="learning/email/step.txt",
            context=context,
            kind="loop-outcome",
            url=signal.get_absolute_url,
            community=signal.community,
            # The answer always goes back to whoever asked: no preference switches this off.
            always=True,
            ref=f"loop-event:{event.pk}",
        )
    told = {user.pk for user in raisers} if outcome else set()
    step = {user.pk: user for user in ([] if outcome else raisers) + others}
    recipients = [u for pk, u in sorted(step.items()) if pk != actor.pk and pk not in told]
    notify(
        recipients,
        subject=subject,
        template="learning/email/step.txt",
        context=context,
        kind="loop-step",
        url=signal.get_absolute_url,
        community=signal.community,
        ref=f"loop-event:{event.pk}",
    )


def new_signal_recipients(signal: Signal) -> list[User]:
    """The stewards, and who follows one of the signal's themes or policy objects."""
    follows = Follow.objects.filter(
        Q(theme__in=signal.themes.all()) | Q(policy_object__in=signal.policy_objects.all())
    ).values("user_id")
    stewards = Membership.objects.filter(
        community_id=signal.community_id, role=Role.STEWARD, left_at__isnull=True
    ).values("user_id")
    users = active_members(signal.community_id, Q(pk__in=follows) | Q(pk__in=stewards))
    return [user for user in users if user.pk != signal.raised_by_id]


def announce_new_signal(signal: Signal) -> None:
    raiser = signal.raised_by.name if signal.raised_by else ""
    notify(
        new_signal_recipients(signal),
        subject=lambda: _("New signal: %(title)s") % {"title": signal.title},
        template="learning/email/new_signal.txt",
        context={"signal": signal, "raiser": raiser, "site_url": site_url()},
        kind="signal-new",
        url=signal.get_absolute_url,
        community=signal.community,
        ref=f"signal:{signal.pk}",
    )
