"""Writes of the loop: raising a signal, changing it and moving it — each one keyword-only
service that checks its own permission predicate, with the conflict check and the
guaranteed feedback to the people who raised it. Pages, API and adjustments call these."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.permissions import AnyUser
from samenspel.communities.services import CommunityError
from samenspel.communities.versions import content_changed
from samenspel.initiatives.models import Initiative
from samenspel.learning import permissions
from samenspel.learning.feedback import announce_new_signal, announce_step
from samenspel.learning.models import (
    Adjustment,
    DecisionBasis,
    Level,
    LoopEvent,
    PolicyObject,
    Signal,
    Theme,
)
from samenspel.learning.permissions import is_raiser_side
from samenspel.learning.stages import Outcome, Stage, move_exists

# What change_signal may write: the signal's own columns, and what it points at.
SIGNAL_COLUMNS = ("title", "what_happened", "impact", "urgency")
SIGNAL_LINKS = ("initiatives", "themes", "policy_objects")


def get_signal_for_user(user: AnyUser, signal_id: int) -> Signal:
    """The signal, or 404 — also when it exists but the user may not see it, or its
    community is archived. Only its newest event and its community are joined: who raised
    and owns it are read where a page shows them."""
    signal = (
        Signal.objects.select_related("last_event", "community")
        .filter(pk=signal_id, community__archived_at__isnull=True)
        .order_by()
        .first()
    )
    if signal is None or not permissions.can_view_signal(user, signal):
        raise Http404("No such signal.")
    return signal


def not_allowed(message: str) -> CommunityError:
    return CommunityError(message, code="not_allowed", status=403)


def signal_initiatives(community: Community) -> QuerySet[Initiative]:
    """The initiatives a signal may point at: this community's listed ones (never a pending
    or declined one, whose name is not public)."""
    return Initiative.objects.listed().filter(community=community)


def behalf_initiatives(user: AnyUser, community: Community) -> QuerySet[Initiative]:
    """The initiatives `user` may raise a signal for: listed ones of their own confirmed
    organisation."""
    organisation_id = permissions.confirmed_organisation_id(user, community)
    if organisation_id is None:
        return Initiative.objects.none()
    return signal_initiatives(community).filter(organisation_id=organisation_id)


def check_links(
    community: Community,
    *,
    initiatives: Sequence[Initiative] = (),
    themes: Sequence[Theme] = (),
    policy_objects: Sequence[PolicyObject] = (),
) -> None:
    """What a signal points at belongs to its community; initiatives are listed ones."""
    allowed = set(
        signal_initiatives(community)
        .filter(pk__in=[i.pk for i in initiatives])
        .values_list("pk", flat=True)
    )
    if any(i.pk not in allowed for i in initiatives):
        raise CommunityError(
            _("A signal can only be raised for a listed initiative of this community."),
            code="initiative_not_listed",
            status=400,
        )
    if any(t.community_id != community.pk for t in themes) or any(
        p.community_id != community.pk for p in policy_objects
    ):
        raise CommunityError(
            _("Themes and policy objects must belong to this community."),
            code="wrong_community",
            status=400,
        )


@transaction.atomic
def raise_signal(
    *,
    actor: User,
    community: Community,
    title: str,
    what_happened: str,
    initiatives: Sequence[Initiative] = (),
    themes: Sequence[Theme] = (),
    policy_objects: Sequence[PolicyObject] = (),
    on_behalf_of: Initiative | None = None,
    impact: str = Level.MEDIUM,
    urgency: str = Level.MEDIUM,
    is_example: bool = False,
) -> Signal:
    """Raise a signal: members who contribute, for listed initiatives only; on behalf of an
    initiative only for one of the actor's own confirmed organisation."""
    if not permissions.can_raise_signal(actor, community):
        raise not_allowed(_("Only members who contribute raise signals here."))
    if (
        on_behalf_of is not None
        and not behalf_initiatives(actor, community).filter(pk=on_behalf_of.pk).exists()
    ):
        raise not_allowed(
            _("You can only raise a signal for a listed initiative of your own organisation.")
        )
    check_links(community, initiatives=initiatives, themes=themes, policy_objects=policy_objects)
    signal = Signal.objects.create(
        community=community,
        raised_by=actor,
        title=title.strip(),
        what_happened=what_happened.strip(),
        on_behalf_of=on_behalf_of,
        impact=impact,
        urgency=urgency,
        is_example=is_example,
    )
    if initiatives:
        signal.initiatives.set(initiatives)
    if themes:
        signal.themes.set(themes)
    if policy_objects:
        signal.policy_objects.set(policy_objects)
    event = LoopEvent.objects.create(
        signal=signal, from_stage="", to_stage=Stage.GEMELD, actor=actor, at=timezone.now()
    )
    Signal.objects.filter(pk=signal.pk).update(last_event=event)
    signal.last_event = event
    announce_new_signal(signal)
    return signal


@transaction.atomic
def change_signal(
    *,
    actor: User,
    signal: Signal,
    fields: dict[str, object],
    related: dict[str, list[Any]] | None = None,
) -> Signal:
    """Correct or complete a signal (who raised it, their initiative, stewards): its own
    columns in `fields`, and what it points at (initiatives, themes, policy_objects) in
    `related`. Only those columns are written, so a move made meanwhile (the newest event,
    the owner) is never undone."""
    if not permissions.can_edit_signal(actor, signal):
        raise not_allowed(
            _("Only who raised it, their initiative and the stewards change this signal.")
        )
    unknown = set(fields) - set(SIGNAL_COLUMNS) | set(related or {}) - set(SIGNAL_LINKS)
    if unknown:
        raise CommunityError(
            _("These cannot be changed here: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            code="not_changeable",
            status=400,
        )
    check_links(signal.community, **(related or {}))
    for name, value in fields.items():
        setattr(signal, name, value.strip() if isinstance(value, str) else value)
    # At least one column, so the history records who changed the signal.
    signal.save(update_fields=list(fields) or ["title"])
    for name, rows in (related or {}).items():
        getattr(signal, name).set(rows)
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
    # The adjustment this move is part of (linking, deciding): see permissions.can_move.
    adjustment: Adjustment | None = None
    # A decision (to "decided"): on what basis it holds and its reference.
    decision_basis: str = ""
    decision_reference: str = ""
    # The decision of an app above that this move carries out (permissions.has_warrant).
    warrant: object = None


def _check_move(actor: User, signal: Signal, move: Move, seen_event_id: int | None) -> None:
    """The one order of checks, for every entry point: a move that no longer exists on a
    stale page is a conflict (409), one that never exists is a 400; then who may (403);
    then what the move needs (400); last, a move made meanwhile (409)."""
    from_stage = signal.stage
    stale = seen_event_id is not None and seen_event_id != signal.last_event_id
    if move.to_stage not in Stage.values or not move_exists(from_stage, move.to_stage):
        if stale:
            raise LoopConflict(signal)
        raise CommunityError(
            _("A signal cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": Stage(from_stage).label,
                "to": Stage(move.to_stage).label if move.to_stage in Stage.values else "?",
            },
            code="invalid_move",
            status=400,
        )
    if not permissions.can_move(actor, signal, move.to_stage, move.adjustment, move.warrant):
        raise not_allowed(_("You may not make this move."))
    owner_id = move.owner.pk if move.owner is not None else None
    if move.to_stage == Stage.IN_VERKENNING and not permissions.can_make_owner(
        actor, signal.community, owner_id
    ):
        raise not_allowed(_("Only a steward names someone else as policy owner."))
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
    if move.decision_basis and (
        move.to_stage != Stage.BESLOTEN or move.decision_basis not in DecisionBasis.values
    ):
        raise CommunityError(
            _("Say who decided: the executive, civil servants or the council."),
            code="invalid_basis",
            status=400,
        )
    if stale:
        raise LoopConflict(signal)


@transaction.atomic
def move_signal(*, actor: User, signal: Signal, move: Move, seen_event_id: int | None) -> LoopEvent:
    """Move the signal one step, if the actor may (permissions.can_move, checked here, for
    every caller: pages, API, adjustments and later council decisions) and if it is still
    where the actor saw it (409 otherwise). `seen_event_id` None: as it is now."""
    _check_move(actor, signal, move, seen_event_id)
    from_stage = signal.stage
    seen = signal.last_event_id if seen_event_id is None else seen_event_id
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
        adjustment=move.adjustment,
        decision_basis=move.decision_basis,
        decision_reference=move.decision_reference.strip(),
    )
    # The pointer only moves if nobody moved the signal since the actor looked.
    updates: dict[str, object] = {"last_event": event}
    if move.to_stage == Stage.IN_VERKENNING:
        updates["owner"] = move.owner or actor
    moved = Signal.objects.filter(pk=signal.pk, last_event_id=seen).update(**updates)
    if not moved:
        raise LoopConflict(signal)
    signal.last_event = event
    if "owner" in updates:
        signal.owner = updates["owner"]  # type: ignore[assignment]
    # The pointer's update writes no history record: the community's pages change here.
    content_changed(signal.community_id)
    # Everyone involved hears of the step; the outcome always reaches who raised it.
    announce_step(signal=signal, event=event, actor=actor)
    return event
