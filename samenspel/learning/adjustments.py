"""Writes of adjustments: proposing one, changing it and the signals it answers, moving it
through its stages and recording its decision, carrying the signals linked to it along the
loop (through the one move function, services.move_signal) so their raisers hear what was
decided. Each write checks its own permission predicate."""

import logging
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.permissions import AnyUser, can_view_community
from samenspel.communities.services import CommunityError
from samenspel.core.notifications import notify
from samenspel.core.sites import site_url
from samenspel.learning.feedback import feedback_recipients
from samenspel.learning.models import (
    DECIDED_ADJUSTMENT_STAGES,
    Adjustment,
    AdjustmentStage,
    DecisionBasis,
    PolicyObject,
    Signal,
)
from samenspel.learning.permissions import (
    can_decide_adjustment,
    can_link_signal,
    can_make_adjustment_owner,
    can_move_adjustment,
    can_propose_adjustment,
    has_warrant,
)
from samenspel.learning.services import Move, move_signal, not_allowed
from samenspel.learning.stages import Stage

logger = logging.getLogger(__name__)

S = AdjustmentStage
# from stage -> the stages an adjustment may go to next (in order, never back)
NEXT_STAGES: dict[str, list[str]] = {
    S.VERKEND: [S.VOORGESTELD],
    # Who decides, from the nearest to the furthest: civil servants, the executive, the council.
    S.VOORGESTELD: [S.BESLOTEN_AMBTELIJK, S.BESLOTEN_COLLEGE, S.NAAR_DE_RAAD],
    S.BESLOTEN_COLLEGE: [S.INGEVOERD],
    S.BESLOTEN_AMBTELIJK: [S.INGEVOERD],
    S.NAAR_DE_RAAD: [S.BESLOTEN_RAAD, S.INGEVOERD],
    S.BESLOTEN_RAAD: [S.INGEVOERD],
    S.INGEVOERD: [S.GEEVALUEERD],
    S.GEEVALUEERD: [],
}
# A decision's basis and the stage it takes the adjustment to.
DECISION_STAGES: dict[str, str] = {
    DecisionBasis.COLLEGE: S.BESLOTEN_COLLEGE,
    DecisionBasis.AMBTELIJK: S.BESLOTEN_AMBTELIJK,
    DecisionBasis.RAAD: S.BESLOTEN_RAAD,
}
# Implemented straight after the council: the council decided.
BASIS_OF_STAGE: dict[str, str] = {
    **{stage: basis for basis, stage in DECISION_STAGES.items()},
    S.NAAR_DE_RAAD: DecisionBasis.RAAD,
}
# The way a linked signal goes to feedback when its adjustment is decided.
DECISION_PATH: list[str] = [
    Stage.IN_VERKENNING,
    Stage.AANPASSING_VOORGESTELD,
    Stage.BESLOTEN,
    Stage.TERUGGEKOPPELD,
]
# Where a signal not yet explored joins that way.
BEFORE_EXPLORATION = {Stage.GEMELD, Stage.HEROPEND, Stage.BESPROKEN}
ADJUSTMENT_COLUMNS = ("policy_object", "title", "current", "proposed", "why", "owner")


def get_adjustment_for_user(
    user: AnyUser, adjustment_id: int, *, community: Community | None = None
) -> Adjustment:
    """The adjustment (of `community`, when given), or 404 — also when it exists but the
    user may not see it."""
    adjustments = Adjustment.objects.select_related("community", "policy_object", "owner").filter(
        pk=adjustment_id, community__archived_at__isnull=True
    )
    if community is not None:
        adjustments = adjustments.filter(community=community)
    adjustment = adjustments.first()
    if adjustment is None or not can_view_community(user, adjustment.community):
        raise Http404("No such adjustment.")
    return adjustment


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
        move_signal(actor=actor, signal=signal, move=move, seen_event_id=signal.last_event_id)
    except CommunityError as error:
        logger.info("Signal %s not moved with its adjustment: %s", signal.pk, error.message)
        return False
    return True


def _check_policy_object(community: Community, policy_object: PolicyObject) -> None:
    if policy_object.community_id != community.pk:
        raise CommunityError(
            _("That policy object belongs to another community."),
            code="wrong_community",
            status=400,
        )


@transaction.atomic
def create_adjustment(
    *,
    actor: User,
    community: Community,
    policy_object: PolicyObject,
    title: str,
    proposed: str,
    current: str = "",
    why: str = "",
    owner: User | None = None,
    signals: Sequence[Signal] = (),
) -> Adjustment:
    """Propose an adjustment (members who contribute); its proposer owns it unless a
    steward names someone else. Linked signals: see link_signals."""
    if not can_propose_adjustment(actor, community):
        raise not_allowed(_("Only members who contribute propose adjustments."))
    if not can_make_adjustment_owner(actor, community, owner.pk if owner else None):
        raise not_allowed(_("Only a steward names someone else as owner of an adjustment."))
    _check_policy_object(community, policy_object)
    adjustment = Adjustment.objects.create(
        community=community,
        policy_object=policy_object,
        title=title.strip(),
        current=current.strip(),
        proposed=proposed.strip(),
        why=why.strip(),
        owner=owner or actor,
    )
    if signals:
        link_signals(actor=actor, adjustment=adjustment, signals=signals)
    return adjustment


@transaction.atomic
def change_adjustment(
    *,
    actor: User,
    adjustment: Adjustment,
    fields: dict[str, object],
    signals: Sequence[Signal] | None = None,
) -> Adjustment:
    """Change an adjustment (its owner or a steward): its own columns in `fields` (only
    those are written, so a stage move made meanwhile stays) and, when given, the signals
    it answers."""
    if not can_move_adjustment(actor, adjustment):
        raise not_allowed(_("Only its owner or a steward changes this adjustment."))
    unknown = set(fields) - set(ADJUSTMENT_COLUMNS)
    if unknown:
        raise CommunityError(
            _("These cannot be changed here: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="not_changeable",
            status=400,
        )
    policy_object = fields.get("policy_object")
    if isinstance(policy_object, PolicyObject):
        _check_policy_object(adjustment.community, policy_object)
    for name, value in fields.items():
        setattr(adjustment, name, value.strip() if isinstance(value, str) else value)
    adjustment.save(update_fields=[*fields, "updated_at"])
    if signals is not None:
        link_signals(actor=actor, adjustment=adjustment, signals=signals)
    return adjustment


@transaction.atomic
def link_signals(*, actor: User, adjustment: Adjustment, signals: Sequence[Signal]) -> None:
    """The adjustment answers exactly these signals (of its own community). Linking or
    unlinking a signal takes the right to move it (its owner) or a steward. Linked signals
    being explored move on to “adjustment proposed”, with this adjustment on their event."""
    if not can_move_adjustment(actor, adjustment):
        raise not_allowed(_("Only its owner or a steward changes this adjustment."))
    if any(s.community_id != adjustment.community_id for s in signals):
        raise CommunityError(
            _("An adjustment answers signals of its own community only."),
            code="wrong_community",
            status=400,
        )
    wanted = {s.pk for s in signals}
    linked = set(adjustment.signals.values_list("pk", flat=True))
    changed = (
        Signal.objects.filter(pk__in=wanted ^ linked)
        .select_related("last_event", "community")
        .order_by("pk")
    )
    for signal in changed:
        if not can_link_signal(actor, signal):
            raise not_allowed(
                _("You may not link “%(title)s”: only its policy owner or a steward moves it.")
                % {"title": signal.title}
            )
    adjustment.signals.set(wanted)
    for signal in changed:
        if signal.pk in wanted and signal.stage == Stage.IN_VERKENNING:
            _move_quietly(
                signal,
                actor,
                Move(to_stage=Stage.AANPASSING_VOORGESTELD, adjustment=adjustment),
            )


@transaction.atomic
def move_adjustment(
    *,
    actor: User,
    adjustment: Adjustment,
    to_stage: str,
    seen_stage: str | None = None,
    reference: str = "",
    decided_on: date | None = None,
    link: str = "",
    warrant: object = None,
    note: str = "",
) -> Adjustment:
    """Move the adjustment one stage on (its owner or a steward). A stage that is a
    decision records it — its basis follows from the stage; its date (today unless given),
    `reference` (a besluit- or zaaknummer) and `link` — and carries its signals to
    feedback — with `note` as their answer, or the adjustment's own summary. With
    `warrant` (a council decision that names it) whoever records that decision records this
    one (permissions.has_warrant)."""
    if not (can_move_adjustment(actor, adjustment) or has_warrant(actor, adjustment, warrant)):
        raise not_allowed(_("Only its owner or a steward moves this adjustment on."))
    link = link.strip()
    if link and not link.startswith(("https://", "http://")):
        raise CommunityError(
            _("Give the link to the decision as a web address, starting with https://."),
            code="invalid_link",
            status=400,
        )
    seen = seen_stage or adjustment.stage
    if to_stage not in NEXT_STAGES.get(seen, []):
        raise CommunityError(
            _("An adjustment cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": S(seen).label if seen in S.values else "?",
                "to": S(to_stage).label if to_stage in S.values else "?",
            },
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
    if to_stage in DECIDED_ADJUSTMENT_STAGES and to_stage != S.INGEVOERD:
        adjustment.decided_on = decided_on or timezone.localdate()
        adjustment.decision_reference = reference.strip()[:200]
        adjustment.decision_link = link[:500]
    adjustment._change_reason = to_stage  # type: ignore[attr-defined]
    adjustment.save()
    if to_stage in DECIDED_ADJUSTMENT_STAGES:
        basis = BASIS_OF_STAGE.get(to_stage) or BASIS_OF_STAGE.get(seen, "")
        deliver_decision(
            adjustment, actor, basis=basis, reference=reference, warrant=warrant, note=note
        )
    if to_stage == S.INGEVOERD:
        announce_implementation(adjustment)
    return adjustment


def decide_adjustment(
    *,
    actor: User,
    adjustment: Adjustment,
    basis: str,
    reference: str = "",
    seen_stage: str | None = None,
    decided_on: date | None = None,
    link: str = "",
) -> Adjustment:
    """Record the decision on an adjustment: by the executive or civil servants (once
    proposed) or the council (once sent to it); only its policy owner or a steward records
    it. Its linked signals go to feedback, each event saying who decided, on what basis."""
    if not can_decide_adjustment(actor, adjustment):
        raise not_allowed(_("Only its owner or a steward records the decision."))
    if basis not in DECISION_STAGES:
        raise CommunityError(
            _("Say who decided: the executive, civil servants or the council."),
            code="invalid_basis",
            status=400,
        )
    return move_adjustment(
        actor=actor,
        adjustment=adjustment,
        to_stage=DECISION_STAGES[basis],
        seen_stage=seen_stage,
        reference=reference,
        decided_on=decided_on,
        link=link,
    )


def deliver_decision(
    adjustment: Adjustment,
    actor: User,
    *,
    basis: str,
    reference: str,
    warrant: object = None,
    note: str = "",
) -> int:
    """Every linked signal still on its way is carried to feedback along the loop's own
    moves (signals linked before they were explored too), as `actor`, who decided; its
    raisers hear it. Returns how many signals received feedback; a signal that cannot move
    (already answered, or moved elsewhere) is skipped."""
    note = note or feedback_note(adjustment)
    return sum(
        carry_to_feedback(
            signal,
            actor,
            note=note,
            basis=basis,
            reference=reference,
            adjustment=adjustment,
            owner=adjustment.owner or actor,
            warrant=warrant,
        )
        for signal in adjustment.signals.select_related("last_event", "community").order_by("pk")
    )


def carry_to_feedback(
    signal: Signal,
    actor: User,
    *,
    note: str,
    basis: str,
    reference: str,
    adjustment: Adjustment | None = None,
    owner: User | None = None,
    warrant: object = None,
) -> bool:
    """Carry one signal along the loop's moves to feedback, each move checked as usual:
    explored (by `owner`), adjustment proposed, decided (on `basis`, with `reference`),
    answered with `note`. False when it cannot (already answered, moved elsewhere)."""
    stage = Stage.GEMELD if signal.stage in BEFORE_EXPLORATION else signal.stage
    if stage != Stage.GEMELD and stage not in DECISION_PATH[1:]:
        return False
    steps = (
        DECISION_PATH if stage == Stage.GEMELD else DECISION_PATH[DECISION_PATH.index(stage) + 1 :]
    )
    for step in steps:
        move = Move(to_stage=step, adjustment=adjustment, warrant=warrant)
        if step == Stage.IN_VERKENNING:
            move.owner = owner or actor
        elif step == Stage.BESLOTEN:
            move.decision_basis, move.decision_reference = basis, reference
        elif step == Stage.TERUGGEKOPPELD:
            move.note = note
        if not _move_quietly(signal, actor, move):
            return False
    return True


def answer_not_taken_up(signal: Signal, actor: User, *, note: str, warrant: object = None) -> bool:
    """A decision against it: the signal is not taken up, and its raisers hear why (always,
    as every loop outcome). False when it cannot move (already answered)."""
    return _move_quietly(
        signal, actor, Move(to_stage=Stage.NIET_OPGEPAKT, note=note, warrant=warrant)
    )


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
                "site_url": site_url(),
            },
            kind="loop-outcome",
            url=signal.get_absolute_url,
            community=signal.community,
            always=True,
            ref=f"adjustment-implemented:{adjustment.pk}:{signal.pk}",
        )
        count += 1
    return count
