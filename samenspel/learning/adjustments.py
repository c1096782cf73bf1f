"""Writes of adjustments: proposing one, moving it through its stages, and carrying the
signals linked to it along the loop so their raisers hear what was decided."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.core.notifications import notify
from samenspel.learning.feedback import feedback_recipients
from samenspel.learning.models import (
    DECIDED_ADJUSTMENT_STAGES,
    Adjustment,
    AdjustmentStage,
    PolicyObject,
    Signal,
)
from samenspel.learning.permissions import can_move_adjustment
from samenspel.learning.services import Move, move_signal
from samenspel.learning.stages import Stage

logger = logging.getLogger(__name__)

S = AdjustmentStage
# from stage -> the stages an adjustment may go to next (in order, never back)
NEXT_STAGES: dict[str, list[str]] = {
    S.VERKEND: [S.VOORGESTELD],
    S.VOORGESTELD: [S.BESLOTEN_COLLEGE, S.BESLOTEN_AMBTELIJK, S.NAAR_DE_RAAD],
    S.BESLOTEN_COLLEGE: [S.INGEVOERD],
    S.BESLOTEN_AMBTELIJK: [S.INGEVOERD],
    S.NAAR_DE_RAAD: [S.INGEVOERD],
    S.INGEVOERD: [S.GEEVALUEERD],
    S.GEEVALUEERD: [],
}


def next_stages(adjustment: Adjustment) -> list[str]:
    return NEXT_STAGES.get(adjustment.stage, [])


def feedback_note(adjustment: Adjustment) -> str:
    return _("Decided: %(title)s — %(proposed)s") % {
        "title": adjustment.title,
        "proposed": adjustment.proposed,
    }


def _move_quietly(signal: Signal, actor: User, move: Move) -> bool:
    """Move one linked signal; a conflict or a refused move never fails the adjustment."""
    try:
        move_signal(signal=signal, actor=actor, move=move, seen_event_id=signal.last_event_id)
    except CommunityError as error:
        logger.info("Signal %s not moved with its adjustment: %s", signal.pk, error.message)
        return False
    return True


@transaction.atomic
def create_adjustment(
    *,
    community: Community,
    author: User,
    policy_object: PolicyObject,
    title: str,
    proposed: str,
    current: str = "",
    why: str = "",
    owner: User | None = None,
    signals: list[Signal] | None = None,
) -> Adjustment:
    if policy_object.community_id != community.pk:
        raise CommunityError(
            _("That policy object belongs to another community."), code="wrong_community"
        )
    adjustment = Adjustment.objects.create(
        community=community,
        policy_object=policy_object,
        title=title,
        current=current,
        proposed=proposed,
        why=why,
        owner=owner or author,
    )
    link_signals(adjustment, author, signals or [])
    Community.bump_content_version(community.pk)
    return adjustment


@transaction.atomic
def change_adjustment(
    adjustment: Adjustment,
    actor: User,
    fields: dict[str, object],
    signals: list[Signal] | None = None,
) -> Adjustment:
    """Change an adjustment's own columns in `fields` (only those are written, so a stage
    move made meanwhile stays) and, when given, the signals it answers."""
    for name, value in fields.items():
        setattr(adjustment, name, value.strip() if isinstance(value, str) else value)
    adjustment.save(update_fields=[*fields, "updated_at"])
    if signals is not None:
        link_signals(adjustment, actor, signals)
    Community.bump_content_version(adjustment.community_id)
    return adjustment


@transaction.atomic
def link_signals(adjustment: Adjustment, actor: User, signals: list[Signal]) -> None:
    """The adjustment answers exactly these signals (of its own community). Linked signals
    being explored move on to “adjustment proposed”, with this adjustment on their event."""
    linked = [s for s in signals if s.community_id == adjustment.community_id]
    adjustment.signals.set(linked)
    for signal in Signal.objects.filter(pk__in=[s.pk for s in linked]).select_related(
        "last_event", "community"
    ):
        if signal.stage == Stage.IN_VERKENNING:
            _move_quietly(
                signal,
                actor,
                Move(to_stage=Stage.AANPASSING_VOORGESTELD, adjustment_id=adjustment.pk),
            )


@transaction.atomic
def move_adjustment(
    *, adjustment: Adjustment, actor: User, to_stage: str, seen_stage: str | None = None
) -> Adjustment:
    """Move the adjustment one stage on; once decided, its signals move to feedback."""
    if not can_move_adjustment(actor, adjustment):
        raise CommunityError(
            _("Only its owner or a steward moves this adjustment on."),
            code="not_allowed",
            status=403,
        )
    seen = seen_stage or adjustment.stage
    if to_stage not in NEXT_STAGES.get(seen, []):
        raise CommunityError(
            _("An adjustment cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(seen).label, "to": S(to_stage).label if to_stage in S.values else "?"},
            code="invalid_move",
            status=400,
        )
    moved = Adjustment.objects.filter(pk=adjustment.pk, stage=seen).update(stage=to_stage)
    if not moved:
        raise CommunityError(
            _("Someone else moved this adjustment meanwhile. Look at the newest state."),
            code="adjustment_conflict",
            status=409,
        )
    # Save again through the model so the history records the stage change.
    adjustment.refresh_from_db()
    adjustment._change_reason = to_stage  # type: ignore[attr-defined]
    adjustment.save()
    if to_stage in DECIDED_ADJUSTMENT_STAGES:
        deliver_decision(adjustment, actor)
    if to_stage == S.INGEVOERD:
        announce_implementation(adjustment)
    Community.bump_content_version(adjustment.community_id)
    return adjustment


def deliver_decision(adjustment: Adjustment, actor: User) -> int:
    """Every linked signal waiting for this adjustment is decided and its raisers hear it.

    Returns how many signals received feedback; signals elsewhere in the loop are skipped.
    """
    author = adjustment.owner or actor
    done = 0
    for signal in adjustment.signals.select_related("last_event", "community"):
        if signal.stage != Stage.AANPASSING_VOORGESTELD:
            continue
        if not _move_quietly(
            signal, author, Move(to_stage=Stage.BESLOTEN, adjustment_id=adjustment.pk)
        ):
            continue
        if _move_quietly(
            signal,
            author,
            Move(
                to_stage=Stage.TERUGGEKOPPELD,
                note=feedback_note(adjustment),
                adjustment_id=adjustment.pk,
            ),
        ):
            done += 1
    return done


def announce_implementation(adjustment: Adjustment) -> int:
    """The change is in force: the people whose signals were already answered by its
    decision hear that too (always, like every loop outcome). Returns how many signals."""
    answered = adjustment.signals.filter(
        last_event__to_stage__in=[Stage.TERUGGEKOPPELD, Stage.AFGESLOTEN, Stage.HEROPEND]
    ).select_related("community", "raised_by", "on_behalf_of")
    count = 0
    for signal in answered:

        def subject(title: str = signal.title) -> str:
            return _("In force now: %(title)s") % {"title": title}

        notify(
            feedback_recipients(signal),
            subject=subject,
            template="learning/email/implemented.txt",
            context={
                "signal": signal,
                "adjustment": adjustment,
                "site_url": settings.SITE_URL.rstrip("/"),
            },
            kind="loop-outcome",
            url=signal.get_absolute_url,
            community=signal.community,
            always=True,
            ref=f"adjustment-implemented:{adjustment.pk}:{signal.pk}",
        )
        count += 1
    return count
