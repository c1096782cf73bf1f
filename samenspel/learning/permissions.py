"""Who may make which move in the loop. Keys follow roles, never the side someone is on:
a named policy owner explores and proposes, the initiative side confirms closure, stewards
facilitate. The municipality's members have no rights because they are the municipality."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from samenspel.communities.models import Community
from samenspel.communities.permissions import (
    AnyUser,
    can_contribute,
    can_manage_community,
    confirmed_organisation_id,
    get_community_for_user,
    member_audience,
)
from samenspel.learning.models import Adjustment, Follow, LoopSettings, Signal, SignalAttachment
from samenspel.learning.stages import Stage, move_exists

__all__ = ["confirmed_organisation_id", "get_community_for_user"]


def is_raiser_side(user: AnyUser, signal: Signal) -> bool:
    """The person who raised it, or a member of an initiative it was raised for."""
    if not user.is_authenticated:
        return False
    if signal.raised_by_id == user.pk:
        return True
    organisation_id = confirmed_organisation_id(user, signal.community)
    return organisation_id is not None and organisation_id in initiative_organisations(signal)


def initiative_organisations(signal: Signal) -> set[int]:
    """The organisations of the initiatives a signal was raised for."""
    initiatives = list(signal.initiatives.all())
    if signal.on_behalf_of is not None:
        initiatives.append(signal.on_behalf_of)
    return {i.organisation_id for i in initiatives if i.organisation_id is not None}


def is_owner(user: AnyUser, signal: Signal) -> bool:
    return user.is_authenticated and signal.owner_id == user.pk


def can_raise_signal(user: AnyUser, community: object) -> bool:
    return can_contribute(user, community)  # type: ignore[arg-type]


def waited_long_enough(signal: Signal) -> bool:
    """The initiative has not answered within the community's waiting time."""
    settings = LoopSettings.objects.filter(community=signal.community).first()
    days = settings.close_without_answer_after_days if settings else 30
    last = signal.last_event
    return last is not None and last.at <= timezone.now() - timedelta(days=days)


# Moves an adjustment carries its linked signals through (see adjustments.py).
ADJUSTMENT_MOVES = {Stage.AANPASSING_VOORGESTELD, Stage.BESLOTEN, Stage.TERUGGEKOPPELD}
# Moves a decision taken outside the loop (the council's) carries a signal through; a
# signal not taken up after it (a rejection) hears why, too.
WARRANT_MOVES = {*ADJUSTMENT_MOVES, Stage.IN_VERKENNING, Stage.NIET_OPGEPAKT}

# A warrant is a decision an app above the loop records (the council's, in council/): who
# may record it may carry what it decides through the loop. An app registers a function
# (user, adjustment or signal, warrant) -> bool that answers whether the warrant covers
# the move; the loop's own predicates ask it, so every move stays checked here.
Warrant = Callable[[AnyUser, "Adjustment | Signal", object], bool]
_warrants: list[Warrant] = []


def register_warrant(check: Warrant) -> None:
    _warrants.append(check)


def has_warrant(user: AnyUser, target: "Adjustment | Signal", warrant: object) -> bool:
    return warrant is not None and any(check(user, target, warrant) for check in _warrants)


def can_move(
    user: AnyUser,
    signal: Signal,
    to_stage: str,
    adjustment: Adjustment | None = None,
    warrant: object = None,
) -> bool:
    """May this person move the signal from its current stage to `to_stage`?

    With `adjustment`: the move is made as part of that adjustment, which the signal is
    linked to; then the adjustment's owner (who decides it) may also carry the signal
    through the policy loop's stages, as a steward or the signal's own owner may.
    With `warrant`: the move carries out a decision of an app above (the council's);
    whoever the warrant's check allows may carry the signal through those moves.
    """
    if not move_exists(signal.stage, to_stage):
        return False
    if to_stage in WARRANT_MOVES and has_warrant(
        user, adjustment if adjustment is not None else signal, warrant
    ):
        return adjustment is None or carries(adjustment, signal)
    steward = can_manage_community(user, signal.community)
    if not (steward or can_contribute(user, signal.community)):
        return False
    if to_stage == Stage.BESPROKEN:
        return steward
    if to_stage == Stage.IN_VERKENNING:
        # Any member may take it up as its policy owner, but not who raised it or speaks
        # for its initiative: they asked the question. A steward may name an owner.
        return steward or not is_raiser_side(user, signal)
    if to_stage in (
        Stage.AANPASSING_VOORGESTELD,
        Stage.BESLOTEN,
        Stage.TERUGGEKOPPELD,
        Stage.NIET_OPGEPAKT,
    ):
        return (
            steward
            or is_owner(user, signal)
            or (
                to_stage in ADJUSTMENT_MOVES
                and adjustment is not None
                and carries(adjustment, signal)
                and can_move_adjustment(user, adjustment)
            )
        )
    if to_stage == Stage.AFGESLOTEN:
        return is_raiser_side(user, signal) or (steward and waited_long_enough(signal))
    if to_stage == Stage.HEROPEND:
        return is_raiser_side(user, signal)
    return False


def carries(adjustment: Adjustment, signal: Signal) -> bool:
    """The adjustment answers this signal (linked, same community)."""
    return (
        adjustment.community_id == signal.community_id
        and adjustment.signals.filter(pk=signal.pk).exists()
    )


def can_link_signal(user: AnyUser, signal: Signal) -> bool:
    """Linking a signal to an adjustment (or unlinking it) moves it along the policy loop:
    only who may move it there, its owner, or a steward does so."""
    if can_manage_community(user, signal.community):
        return True
    return can_contribute(user, signal.community) and is_owner(user, signal)


def can_name_others_as_owner(user: AnyUser, community: Community) -> bool:
    """Whoever takes a signal up becomes its owner; only a steward names someone else."""
    return can_manage_community(user, community)


def can_make_owner(user: AnyUser, community: Community, owner_id: int | None) -> bool:
    """May `user` take a signal up with this owner (None: themselves)?"""
    return owner_id in (None, user.pk) or can_name_others_as_owner(user, community)


def can_set_waiting_times(user: AnyUser, community: Community) -> bool:
    """The loop's waiting times are facilitation: the stewards'."""
    return can_manage_community(user, community)


def can_move_adjustment(user: AnyUser, adjustment: Adjustment) -> bool:
    """Its owner (while a contributing member) or a steward moves an adjustment on, records
    its decision, and changes it."""
    if not user.is_authenticated:
        return False
    if can_manage_community(user, adjustment.community):
        return True
    return adjustment.owner_id == user.pk and can_contribute(user, adjustment.community)


def can_decide_adjustment(user: AnyUser, adjustment: Adjustment, warrant: object = None) -> bool:
    """Recording the decision: the adjustment's policy owner or a steward — or whoever
    records the council's decision it carries out (a warrant)."""
    return can_move_adjustment(user, adjustment) or has_warrant(user, adjustment, warrant)


def can_make_adjustment_owner(user: AnyUser, community: Community, owner_id: int | None) -> bool:
    """Whoever proposes an adjustment owns it; only a steward names someone else."""
    return can_make_owner(user, community, owner_id)


def can_view_signal(user: AnyUser, signal: Signal) -> bool:
    from samenspel.communities.permissions import can_view_community

    return can_view_community(user, signal.community)


def can_edit_signal(user: AnyUser, signal: Signal) -> bool:
    return is_raiser_side(user, signal) or can_manage_community(user, signal.community)


def can_propose_adjustment(user: AnyUser, community: object) -> bool:
    return can_contribute(user, community)  # type: ignore[arg-type]


def can_keep_catalogue(user: AnyUser, community: object) -> bool:
    """Themes, policy objects, external developments, loop settings."""
    return can_contribute(user, community) or can_manage_community(user, community)  # type: ignore[arg-type]


def signal_audience(user: AnyUser, slug: str, signal_id: int) -> str | None:
    """Which shared copy of a signal's page this member reads (core/pagecache): that of any
    member of their kind in the community (`member_audience`), plus whether they raised it
    or own it. Their moves and the edit link follow from these with the signal's content.
    None when the page is personal, or when there is no such signal (the page answers)."""
    found = list(Community.objects.raw(SIGNAL_RELATION_SQL, [user.pk, user.pk, signal_id, slug]))
    if not found:
        return None
    community = found[0]
    shared = member_audience(user, community)
    if shared is None:
        return None
    # The two extra columns of the query, beside the community's own.
    raised = getattr(community, "signal_raised_by_id", None) == user.pk
    owns = getattr(community, "signal_owner_id", None) == user.pk
    follows = bool(getattr(community, "signal_followed", False))
    audience = f"{shared}:signal={signal_id}:raised={raised}:owns={owns}:follows={follows}"
    if getattr(community, "signal_uploaded", False):
        # Who added a file may remove it: their own copy of the page.
        audience += f":uploader={user.pk}"
    return audience


# The community (as get_community_for_user reads it) with who raised and owns the signal
# and whether the reader follows it: one query, built once from the models' own names;
# the ids are parameters.
SIGNAL_RELATION_SQL = (
    "SELECT {columns}, s.{raised_by} AS signal_raised_by_id, s.{owner} AS signal_owner_id, "  # noqa: S608
    "EXISTS (SELECT 1 FROM {follows} f WHERE f.{follow_signal} = s.{pk} "
    "AND f.{follow_user} = %s) AS signal_followed, "
    "EXISTS (SELECT 1 FROM {attachments} a WHERE a.{attachment_signal} = s.{pk} "
    "AND a.{uploaded_by} = %s) AS signal_uploaded "
    "FROM {signals} s JOIN {communities} c ON c.{pk} = s.{community} "
    "WHERE s.{pk} = %s AND c.slug = %s AND c.archived_at IS NULL".format(
        columns=", ".join(f'c."{field.column}"' for field in Community._meta.concrete_fields),
        raised_by=f'"{Signal._meta.get_field("raised_by").column}"',
        owner=f'"{Signal._meta.get_field("owner").column}"',
        signals=f'"{Signal._meta.db_table}"',
        communities=f'"{Community._meta.db_table}"',
        pk='"id"',
        community=f'"{Signal._meta.get_field("community").column}"',
        follows=f'"{Follow._meta.db_table}"',
        follow_signal=f'"{Follow._meta.get_field("signal").column}"',
        follow_user=f'"{Follow._meta.get_field("user").column}"',
        attachments=f'"{SignalAttachment._meta.db_table}"',
        attachment_signal=f'"{SignalAttachment._meta.get_field("signal").column}"',
        uploaded_by=f'"{SignalAttachment._meta.get_field("uploaded_by").column}"',
    )
)
