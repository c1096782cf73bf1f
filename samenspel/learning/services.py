"""Writes of the loop: raising a signal and moving it, with the conflict check and the
guaranteed feedback to the people who raised it."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.learning.feedback import deliver_feedback
from samenspel.learning.models import LoopEvent, Signal
from samenspel.learning.permissions import is_raiser_side
from samenspel.learning.stages import FEEDBACK_STAGES, Outcome, Stage, move_exists


@transaction.atomic
def raise_signal(
    *,
    community: Community,
    raised_by: User,
    title: str,
    what_happened: str,
    initiatives: list | None = None,
    themes: list | None = None,
    policy_objects: list | None = None,
    **fields: object,
) -> Signal:
    signal = Signal.objects.create(
        community=community, raised_by=raised_by, title=title, what_happened=what_happened, **fields
    )
    if initiatives:
        signal.initiatives.set(initiatives)
    if themes:
        signal.themes.set(themes)
    if policy_objects:
        signal.policy_objects.set(policy_objects)
    event = LoopEvent.objects.create(
        signal=signal, from_stage="", to_stage=Stage.GEMELD, actor=raised_by, at=timezone.now()
    )
    Signal.objects.filter(pk=signal.pk).update(last_event=event)
    signal.last_event = event
    return signal


@transaction.atomic
def change_signal(
    signal: Signal, fields: dict[str, object], related: dict[str, list] | None = None
) -> Signal:
    """Correct or complete a signal: its own columns in `fields`, and what it points at
    (initiatives, themes, policy_objects) in `related`. Only those columns are written, so
    a move made meanwhile (the newest event, the owner) is never undone."""
    for name, value in fields.items():
        setattr(signal, name, value.strip() if isinstance(value, str) else value)
    # At least one column, so the history records who changed the signal.
    signal.save(update_fields=list(fields) or ["title"])
    for name, rows in (related or {}).items():
        getattr(signal, name).set(rows)
    Community.bump_content_version(signal.community_id)
    return signal


class LoopConflict(CommunityError):
    def __init__(self, signal: Signal) -> None:
        super().__init__(
            _(
                "Someone else moved this signal while you were looking at it. It is now at "
                "the stage “%(stage)s”. Look at the newest state and decide again."
            )
            % {"stage": Stage(Signal.objects.get(pk=signal.pk).stage).label},
            code="loop_conflict",
            status=409,
        )


@dataclass
class Move:
    to_stage: str
    note: str = ""
    outcome: str = ""
    owner: User | None = None
    session_id: int | None = None
    learning_question_id: int | None = None
    adjustment_id: int | None = None


@transaction.atomic
def move_signal(*, signal: Signal, actor: User, move: Move, seen_event_id: int | None) -> LoopEvent:
    """Move the signal one step, if it is still where the actor saw it.

    Permission is checked by the caller (permissions.can_move); this checks that the move
    exists and that the signal did not move in the meantime (409 otherwise).
    """
    from_stage = signal.stage
    if not move_exists(from_stage, move.to_stage):
        raise CommunityError(
            _("A signal cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Stage(from_stage).label, "to": Stage(move.to_stage).label},
            code="invalid_move",
            status=400,
        )
    if move.to_stage == Stage.NIET_OPGEPAKT and not move.note.strip():
        raise CommunityError(
            _("Say why it is not taken up: the people who raised it will read it."),
            code="reason_required",
            status=400,
        )
    if move.to_stage == Stage.TERUGGEKOPPELD and not move.note.strip():
        raise CommunityError(
            _("Write the feedback: what was decided or found, for the people who raised it."),
            code="feedback_required",
            status=400,
        )
    if move.to_stage == Stage.AFGESLOTEN and move.outcome not in Outcome.values:
        raise CommunityError(
            _("Say whether the barrier was solved, partly solved or not solved."),
            code="outcome_required",
            status=400,
        )
    # A loop closed by someone outside the initiative's side (a steward after the waiting
    # time) is recorded as closed without the initiative's answer.
    closed_without_answer = move.to_stage == Stage.AFGESLOTEN and not is_raiser_side(actor, signal)
    event = LoopEvent.objects.create(
        signal=signal,
        from_stage=from_stage,
        to_stage=move.to_stage,
        actor=actor,
        at=timezone.now(),
        note=move.note.strip(),
        outcome=move.outcome if move.to_stage == Stage.AFGESLOTEN else "",
        closed_without_answer=closed_without_answer,
        session_id=move.session_id,
        learning_question_id=move.learning_question_id,
        adjustment_id=move.adjustment_id,
    )
    # The pointer only moves if nobody moved the signal since the actor looked.
    updates: dict[str, object] = {"last_event": event}
    if move.to_stage == Stage.IN_VERKENNING:
        updates["owner"] = move.owner or actor
    moved = Signal.objects.filter(pk=signal.pk, last_event_id=seen_event_id).update(**updates)
    if not moved:
        raise LoopConflict(signal)
    signal.last_event = event
    if "owner" in updates:
        signal.owner = updates["owner"]  # type: ignore[assignment]
    Community.bump_content_version(signal.community_id)
    if move.to_stage in FEEDBACK_STAGES:
        deliver_feedback(signal=signal, event=event)  # always, whatever the settings
    return event
