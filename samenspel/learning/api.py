"""API router for track 2, the loop: signals and their moves, the loop's figures, themes,
policy objects and adjustments. Same permission helpers and services as the web pages, so
web and API never disagree about who may see or change what."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership
from samenspel.communities.services import CommunityError
from samenspel.communities.views import community_audience, community_version
from samenspel.core.api import (
    LOGIN_OPTIONAL,
    LOGIN_REQUIRED,
    Id,
    Rows,
    invalid,
    shared_list,
)
from samenspel.core.pagecache import cache_for_members, cache_for_visitors, dated, object_version
from samenspel.initiatives.models import Initiative
from samenspel.learning import adjustments as adjustment_rules
from samenspel.learning import catalogue, permissions, services, stats
from samenspel.learning.models import (
    Adjustment,
    LoopEvent,
    LoopSettings,
    PolicyObject,
    Signal,
    Theme,
)
from samenspel.learning.schemas import (
    AdjustmentFilters,
    AdjustmentIn,
    AdjustmentOut,
    AdjustmentPatch,
    AdjustmentTransitionIn,
    LoopEventOut,
    LoopOut,
    LoopSettingsOut,
    LoopSettingsPatch,
    PolicyObjectIn,
    PolicyObjectOut,
    SignalDetailOut,
    SignalFilters,
    SignalIn,
    SignalOut,
    SignalPatch,
    ThemeIn,
    ThemeOut,
    TransitionIn,
)
from samenspel.learning.search import search_adjustments, search_signals

router = Router(tags=["loop"])


# -- helpers --------------------------------------------------------------------------------


def _named(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": user.name}


def _pick(
    queryset: QuerySet[Any], ids: list[int], name: str, problems: list[tuple[str, str]]
) -> list[Any]:
    """The rows of `queryset` with these ids; an unknown id is a problem with `name`."""
    if not ids:
        return []
    found = list(queryset.filter(pk__in=ids))
    unknown = sorted(set(ids) - {row.pk for row in found})
    if unknown:
        problems.append(
            (
                name,
                _("This community has nothing with the id %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in unknown)},
            )
        )
    return found


def _member(
    community: Community, user_id: int | None, name: str, problems: list[tuple[str, str]]
) -> User | None:
    if user_id is None:
        return None
    membership = (
        Membership.objects.active()
        .filter(community=community, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        problems.append((name, _("No member of this community has this id.")))
        return None
    return membership.user


def _signals(community: Community) -> QuerySet[Signal]:
    return (
        Signal.objects.filter(community=community)
        .select_related("last_event", "raised_by", "owner")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("name")),
            Prefetch("policy_objects", queryset=PolicyObject.objects.only("pk", "name")),
            Prefetch("initiatives", queryset=Initiative.objects.only("pk", "name")),
        )
    )


def signal_data(signal: Signal, community: Community) -> dict[str, Any]:
    last = signal.last_event
    return {
        "id": signal.pk,
        "community": community.slug,
        "title": signal.title,
        "what_happened": signal.what_happened,
        "stage": signal.stage,
        "stage_since": last.at if last else None,
        "last_event_id": signal.last_event_id,
        "impact": signal.impact,
        "urgency": signal.urgency,
        "themes": [
            {"id": t.pk, "name": t.name, "slug": t.slug, "description": t.description}
            for t in signal.themes.all()
        ],
        "policy_objects": [{"id": p.pk, "name": p.name} for p in signal.policy_objects.all()],
        "initiatives": [{"id": i.pk, "name": i.name} for i in signal.initiatives.all()],
        "raised_by": _named(signal.raised_by),
        "owner": _named(signal.owner),
        "raised_at": signal.raised_at,
        "is_example": signal.is_example,
    }


def event_data(event: LoopEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "from_stage": event.from_stage,
        "to_stage": event.to_stage,
        "actor": _named(event.actor),
        "at": event.at,
        "note": event.note,
        "outcome": event.outcome,
        "closed_without_answer": event.closed_without_answer,
        "adjustment_id": event.adjustment_id,
        "decision_basis": event.decision_basis,
        "decision_reference": event.decision_reference,
    }


def get_signal_for_user(user: Any, pk: int) -> Signal:
    return services.get_signal_for_user(user, pk)


def signal_detail(signal: Signal) -> dict[str, Any]:
    events = signal.events.select_related("actor").order_by("at", "pk")
    return {
        **signal_data(signal, signal.community),
        "events": [event_data(e) for e in events],
    }


signal_version = object_version(Signal, "signal")


# -- signals --------------------------------------------------------------------------------


@shared_list(
    router,
    "/communities/{slug}/signals",
    SignalOut,
    summary="The signals from practice in a community, newest first",
    version=community_version,
)
def list_signals(request: HttpRequest, slug: str, filters: Query[SignalFilters]):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    signals = _signals(community).order_by("-raised_at", "-pk")
    if filters.theme:
        signals = signals.filter(themes__slug=filters.theme)
    if filters.stage:
        signals = signals.in_stage(filters.stage)  # type: ignore[attr-defined]
    if filters.q:
        signals = search_signals(signals, filters.q)
    return Rows(signals, lambda signal: signal_data(signal, community))


@router.post(
    "/communities/{slug}/signals",
    response={201: SignalDetailOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Raise a signal: a barrier met in practice",
)
def raise_signal(request: HttpRequest, slug: str, payload: SignalIn):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    problems: list[tuple[str, str]] = []
    themes = _pick(Theme.objects.filter(community=community), payload.themes, "themes", problems)
    policy_objects = _pick(
        PolicyObject.objects.filter(community=community),
        payload.policy_objects,
        "policyObjects",
        problems,
    )
    initiatives = _pick(
        services.signal_initiatives(community), payload.initiatives, "initiatives", problems
    )
    on_behalf_of = None
    if payload.on_behalf_of is not None:
        on_behalf_of = (
            services.behalf_initiatives(request.user, community)
            .filter(pk=payload.on_behalf_of)
            .first()
        )
        if on_behalf_of is None:
            problems.append(
                (
                    "onBehalfOf",
                    _("You can only raise a signal for a listed initiative of your own."),
                )
            )
    invalid(problems)
    signal = services.raise_signal(
        actor=request.user,  # type: ignore[arg-type]
        community=community,
        title=payload.title,
        what_happened=payload.what_happened,
        themes=themes,
        policy_objects=policy_objects,
        initiatives=initiatives,
        impact=payload.impact,
        urgency=payload.urgency,
        on_behalf_of=on_behalf_of,
    )
    return Status(201, signal_detail(get_signal_for_user(request.user, signal.pk)))


@router.patch(
    "/signals/{int:id}",
    response=SignalDetailOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Correct or complete a signal (who raised it, its initiative, stewards); "
    "only the fields sent change",
    description="Its stage changes only through transitions.",
)
def update_signal(request: HttpRequest, id: Id, payload: SignalPatch):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    community = signal.community
    changes = payload.model_dump(exclude_unset=True)
    problems: list[tuple[str, str]] = []
    for name in ("title", "what_happened", "impact", "urgency"):
        if name in changes and changes[name] is None:
            problems.append((name, _("This field cannot be empty.")))
    related: dict[str, list[Any]] = {}
    for name, alias, queryset in (
        ("themes", "themes", Theme.objects.filter(community=community)),
        ("policy_objects", "policyObjects", PolicyObject.objects.filter(community=community)),
        ("initiatives", "initiatives", services.signal_initiatives(community)),
    ):
        if name in changes:
            related[name] = _pick(queryset, changes.pop(name) or [], alias, problems)
    invalid(problems)
    services.change_signal(
        actor=request.user,  # type: ignore[arg-type]
        signal=signal,
        fields=changes,
        related=related,
    )
    return signal_detail(get_signal_for_user(request.user, id))


@router.get(
    "/signals/{int:id}",
    response=SignalDetailOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One signal, with its loop events",
)
@decorate_view(cache_for_visitors(signal_version))
def get_signal(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    return signal_detail(get_signal_for_user(request.user, id))


@router.post(
    "/signals/{int:id}/transitions",
    response={201: LoopEventOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Move a signal to its next stage in the loop",
    description=(
        "Send seenEventId (the lastEventId you saw): if someone moved the signal meanwhile, "
        "the answer is 409 and nothing changes. 403 when you may not make this move, 400 "
        "when the move does not exist or misses its note or outcome."
    ),
)
def move_signal(request: HttpRequest, id: Id, payload: TransitionIn):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    community = signal.community
    problems: list[tuple[str, str]] = []
    owner = _member(community, payload.owner_id, "ownerId", problems)
    invalid(problems)
    event = services.move_signal(
        actor=request.user,  # type: ignore[arg-type]
        signal=signal,
        move=services.Move(
            to_stage=payload.to_stage,
            note=payload.note,
            outcome=payload.outcome or "",
            owner=owner,
        ),
        seen_event_id=payload.seen_event_id,
    )
    event.actor = request.user  # type: ignore[assignment]
    return Status(201, event_data(event))


@router.get(
    "/communities/{slug}/loop",
    response=LoopOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="The loop's figures: signals and ages per stage, lead times per quarter and theme",
)
@decorate_view(cache_for_visitors(dated(community_version)))
@decorate_view(cache_for_members(dated(community_audience)))
def loop(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    figures = stats.loop_figures(community)
    return {
        "stages": stats.as_rows(figures.stages),
        "quarters": stats.as_rows(figures.quarters),
        "themes": stats.as_rows(figures.themes),
    }


def _loop_settings(community: Community) -> LoopSettings:
    """The community's waiting times; the defaults (unsaved) if it has none yet."""
    return LoopSettings.objects.filter(community=community).first() or LoopSettings(
        community=community
    )


@router.get(
    "/communities/{slug}/loop/settings",
    response=LoopSettingsOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="The community's waiting times of the loop",
)
def get_loop_settings(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    return _loop_settings(permissions.get_community_for_user(request.user, slug))


@router.patch(
    "/communities/{slug}/loop/settings",
    response=LoopSettingsOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Change the waiting times of the loop (stewards); only the fields sent change",
)
def update_loop_settings(request: HttpRequest, slug: str, payload: LoopSettingsPatch):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return catalogue.set_waiting_times(
        actor=request.user,  # type: ignore[arg-type]
        community=community,
        **changes,
    )


# -- themes and policy objects ----------------------------------------------------------------


@contextmanager
def _field_problems(fields: dict[str, str]) -> Iterator[None]:
    """A service's refusal that concerns one field of the input answers as a 400 naming
    that field (invalidParams); any other refusal answers as it is."""
    try:
        yield
    except CommunityError as error:
        if error.code not in fields:
            raise
        invalid([(fields[error.code], error.message)])


def _theme_data(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.pk,
        "name": theme.name,
        "slug": theme.slug,
        "description": theme.description,
    }


def _policy_object_data(item: PolicyObject) -> dict[str, Any]:
    department = item.department
    return {
        "id": item.pk,
        "kind": item.kind,
        "name": item.name,
        "department": None
        if department is None
        else {"id": department.pk, "name": department.name},
        "reference": item.reference,
    }


@shared_list(
    router,
    "/communities/{slug}/themes",
    ThemeOut,
    summary="The themes signals are grouped by",
    version=community_version,
)
def list_themes(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    return Rows(Theme.objects.filter(community=community).order_by("name", "pk"), _theme_data)


@router.post(
    "/communities/{slug}/themes",
    response={201: ThemeOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Add a theme",
)
def create_theme(request: HttpRequest, slug: str, payload: ThemeIn):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    with _field_problems({"slug_taken": "slug"}):
        theme = catalogue.save_theme(
            actor=request.user,  # type: ignore[arg-type]
            community=community,
            name=payload.name,
            slug=payload.slug,
            description=payload.description,
        )
    return Status(201, _theme_data(theme))


@shared_list(
    router,
    "/communities/{slug}/policy-objects",
    PolicyObjectOut,
    summary="The instruments, rules, procedures and frameworks that may have to change",
    version=community_version,
)
def list_policy_objects(request: HttpRequest, slug: str):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    items = (
        PolicyObject.objects.filter(community=community)
        .select_related("department")
        .order_by("name", "pk")
    )
    return Rows(items, _policy_object_data)


@router.post(
    "/communities/{slug}/policy-objects",
    response={201: PolicyObjectOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Add a policy object",
)
def create_policy_object(request: HttpRequest, slug: str, payload: PolicyObjectIn):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    department = None
    if payload.department_id is not None:
        department = community.organisations.filter(pk=payload.department_id).first()
        if department is None:
            invalid([("departmentId", _("No organisation of this community has this id."))])
    with _field_problems({"name_taken": "name"}):
        item = catalogue.save_policy_object(
            actor=request.user,  # type: ignore[arg-type]
            community=community,
            kind=payload.kind,
            name=payload.name,
            department=department,
            reference=payload.reference,
        )
    return Status(201, _policy_object_data(item))


# -- adjustments ------------------------------------------------------------------------------


def _adjustments() -> QuerySet[Adjustment]:
    return Adjustment.objects.select_related(
        "community", "policy_object", "owner"
    ).prefetch_related(Prefetch("signals", queryset=Signal.objects.only("pk")))


def adjustment_data(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "id": adjustment.pk,
        "community": adjustment.community.slug,
        "policy_object": {"id": adjustment.policy_object.pk, "name": adjustment.policy_object.name},
        "title": adjustment.title,
        "current": adjustment.current,
        "proposed": adjustment.proposed,
        "why": adjustment.why,
        "owner": _named(adjustment.owner),
        "stage": adjustment.stage,
        "next_stages": adjustment_rules.next_stages(adjustment),
        "signals": sorted(s.pk for s in adjustment.signals.all()),
        "created_at": adjustment.created_at,
        "updated_at": adjustment.updated_at,
    }


def get_adjustment_for_user(user: Any, pk: int) -> Adjustment:
    return adjustment_rules.get_adjustment_for_user(user, pk)


adjustment_version = object_version(Adjustment, "adjustment")


@shared_list(
    router,
    "/communities/{slug}/adjustments",
    AdjustmentOut,
    summary="The proposed and decided adjustments to policy, most recently changed first",
    version=community_version,
)
def list_adjustments(request: HttpRequest, slug: str, filters: Query[AdjustmentFilters]):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    items = _adjustments().filter(community=community).order_by("-updated_at", "-pk")
    if filters.q:
        items = search_adjustments(items, filters.q)
    return Rows(items, adjustment_data)


@router.post(
    "/communities/{slug}/adjustments",
    response={201: AdjustmentOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Propose an adjustment to a policy object",
    description="Linked signals in exploration move on to 'adjustment proposed'.",
)
def create_adjustment(request: HttpRequest, slug: str, payload: AdjustmentIn):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    problems: list[tuple[str, str]] = []
    policy_object = PolicyObject.objects.filter(
        community=community, pk=payload.policy_object_id
    ).first()
    if policy_object is None:
        problems.append(("policyObjectId", _("No policy object of this community has this id.")))
    owner = _member(community, payload.owner_id, "ownerId", problems)
    signals = _pick(
        Signal.objects.filter(community=community), payload.signals, "signals", problems
    )
    invalid(problems)
    assert policy_object is not None  # for the type checker: invalid() raised otherwise
    adjustment = adjustment_rules.create_adjustment(
        actor=request.user,  # type: ignore[arg-type]
        community=community,
        policy_object=policy_object,
        title=payload.title,
        proposed=payload.proposed,
        current=payload.current,
        why=payload.why,
        owner=owner,
        signals=signals,
    )
    return Status(201, adjustment_data(get_adjustment_for_user(request.user, adjustment.pk)))


@router.get(
    "/adjustments/{int:id}",
    response=AdjustmentOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One adjustment",
)
@decorate_view(cache_for_visitors(adjustment_version))
def get_adjustment(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    return adjustment_data(get_adjustment_for_user(request.user, id))


@router.patch(
    "/adjustments/{int:id}",
    response=AdjustmentOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Change an adjustment (its owner and the stewards); only the fields sent change",
)
def update_adjustment(request: HttpRequest, id: Id, payload: AdjustmentPatch):  # type: ignore[no-untyped-def]
    adjustment = get_adjustment_for_user(request.user, id)
    community = adjustment.community
    changes = payload.model_dump(exclude_unset=True)
    problems: list[tuple[str, str]] = []
    for name in ("title", "proposed"):
        if name in changes and changes[name] is None:
            problems.append((name, _("This field cannot be empty.")))
    owner = None
    if "owner_id" in changes:
        owner = _member(community, changes.pop("owner_id"), "ownerId", problems)
        if owner is None and not any(name == "ownerId" for name, _reason in problems):
            problems.append(("ownerId", _("An adjustment always has an owner.")))
    signals = None
    if "signals" in changes:
        signals = _pick(
            Signal.objects.filter(community=community),
            changes.pop("signals") or [],
            "signals",
            problems,
        )
    invalid(problems)
    fields: dict[str, object] = {name: value or "" for name, value in changes.items()}  # text
    if owner is not None:
        fields["owner"] = owner
    adjustment_rules.change_adjustment(
        actor=request.user,  # type: ignore[arg-type]
        adjustment=adjustment,
        fields=fields,
        signals=signals,
    )
    return adjustment_data(get_adjustment_for_user(request.user, id))


@router.post(
    "/adjustments/{int:id}/transitions",
    response=AdjustmentOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Move an adjustment to its next stage (its owner or a steward)",
    description=(
        "Stages go in order (see nextStages). Once decided, its signals get feedback. With "
        "seenStage, a move made by someone else meanwhile gives 409."
    ),
)
def move_adjustment(request: HttpRequest, id: Id, payload: AdjustmentTransitionIn):  # type: ignore[no-untyped-def]
    adjustment = get_adjustment_for_user(request.user, id)
    adjustment_rules.move_adjustment(
        actor=request.user,  # type: ignore[arg-type]
        adjustment=adjustment,
        to_stage=payload.to_stage,
        seen_stage=payload.seen_stage,
        reference=payload.reference,
    )
    return adjustment_data(get_adjustment_for_user(request.user, id))
