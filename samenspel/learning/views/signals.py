"""Signals: the list, raising one, its page with its events and the moves it can make."""

import functools
from typing import Any

from django.apps import apps
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community
from samenspel.communities.permissions import can_manage_community
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_audience, community_version
from samenspel.core.pagecache import cache_for_members, cache_for_visitors, dated
from samenspel.core.sites import site_url
from samenspel.core.spreadsheets import csv_response
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.learning import (
    conversation,
    exports,
    following,
    permissions,
    services,
    targets,
)
from samenspel.learning.forms import (
    SIGNAL_LINKS,
    SIGNAL_SCALAR_FIELDS,
    MoveForm,
    RaiseSignalForm,
    SignalEditForm,
    SignalFilterForm,
    community_members,
)
from samenspel.learning.models import Follow, LoopEvent, Signal
from samenspel.learning.search import search_signals
from samenspel.learning.stages import (
    FEEDBACK_STAGES,
    MOVE_ACTIONS,
    MOVES,
    NEXT_STEP,
    STEWARD_ACTIONS,
    Outcome,
    Stage,
)

PAGE_SIZE = 50
# The list's orders: newest first, most initiatives that run into it first, longest in
# their stage first.
SORTS = {
    "": ("-raised_at", "-pk"),
    "weight": ("-support_count", "-raised_at", "-pk"),
    "waiting": ("last_event__at", "pk"),
}
# Moves whose note the people who raised the signal read, so it must be written.
NOTE_REQUIRED = {Stage.NIET_OPGEPAKT, Stage.TERUGGEKOPPELD}


def filter_signals(
    signals: QuerySet[Signal], cleaned_data: dict[str, Any], community: Community
) -> QuerySet[Signal]:
    """Apply the list's filters; text goes through full-text search (Dutch on PostgreSQL)."""
    query = (cleaned_data.get("q") or "").strip()
    if query:
        # The list keeps its own order (newest first); search only decides what matches.
        found = search_signals(Signal.objects.all(), query).order_by().values("pk")
        signals = signals.filter(pk__in=found)
    # Through-table subqueries rather than joins: no DISTINCT over the whole list needed.
    if cleaned_data.get("theme"):
        tagged = Signal.themes.through.objects.filter(theme=cleaned_data["theme"])
        signals = signals.filter(pk__in=tagged.values("signal_id"))
    if cleaned_data.get("stage"):
        signals = signals.filter(last_event__to_stage=cleaned_data["stage"])
    if cleaned_data.get("late"):
        days = targets.target_days(community.pk)
        signals = signals.filter(targets.overdue_filter(days))
    if cleaned_data.get("initiative"):
        linked = Signal.initiatives.through.objects.filter(initiative=cleaned_data["initiative"])
        signals = signals.filter(pk__in=linked.values("signal_id"))
    return signals


def listed_signals(
    request: HttpRequest, community: Community
) -> tuple[SignalFilterForm, QuerySet[Signal]]:
    """The list's filter form from the query string, and the community's signals it keeps."""
    form = SignalFilterForm(request.GET or None, community=community)
    signals: QuerySet[Signal] = Signal.objects.filter(community=community)
    if form.is_valid():
        signals = filter_signals(signals, form.cleaned_data, community)
    return form, signals


def get_signal_in(request: HttpRequest, slug: str, signal_id: int) -> Signal:
    # One query: the signal with its community (whose visibility the getter checks, as
    # get_community_for_user does), then only that it is this community's.
    signal = services.get_signal_for_user(request.user, signal_id)
    if signal.community.slug != slug:
        raise Http404("No such signal.")
    return signal


# At most this many sessions and learning questions to choose from when discussing a signal.
DISCUSSION_CHOICES = 50


def discussion_places(community: Community) -> tuple[list[Any], list[Any]]:
    """Where a signal can be discussed: the group's latest sessions and its open learning
    questions (the group's practice, the app above this one: named, not imported)."""
    sessions = apps.get_model("practice", "Session").objects.filter(community=community)
    questions = apps.get_model("practice", "LearningQuestion").objects.filter(community=community)
    return list(sessions[:DISCUSSION_CHOICES]), list(questions[:DISCUSSION_CHOICES])


def signal_audience(request: HttpRequest, kwargs: dict) -> str | None:
    return permissions.signal_audience(request.user, kwargs["slug"], kwargs["signal_id"])


def age_in_days(signal: Signal) -> int:
    return (timezone.now() - signal.raised_at).days


def lead_time_days(signal: Signal, events: list[LoopEvent]) -> tuple[int, bool]:
    """Days from raising to the first feedback, or to now; and whether feedback came."""
    for event in events:
        if event.to_stage in FEEDBACK_STAGES:
            return (event.at - signal.raised_at).days, True
    return age_in_days(signal), False


@cache_for_visitors(dated(community_version))
@cache_for_members(dated(community_audience))
def signal_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    # Lazy, the filter form too: checking it reads the chosen theme or initiative, and both
    # the form and the results are only rendered when their shared fragment is not cached.
    listed = functools.cache(lambda: listed_signals(request, community))

    def results() -> Any:
        form, signals = listed()
        sort = form.cleaned_data.get("sort", "") if form.is_valid() else ""
        page = Paginator(
            signals.select_related("last_event", "community")
            .prefetch_related("themes")
            .order_by(*SORTS.get(sort, SORTS[""])),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
        days = targets.target_days(community.pk)
        for signal in page:
            signal.age_days = age_in_days(signal)  # type: ignore[attr-defined]
            signal.late = targets.is_overdue(signal, days)  # type: ignore[attr-defined]
        return page

    template = "learning/signals.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(
        request,
        template,
        _community_context(
            request,
            community,
            form=SimpleLazyObject(lambda: listed()[0]),
            # Lazy: only computed when the shared results fragment is not in the cache.
            page_obj=SimpleLazyObject(results),
            today=timezone.localdate(),
            can_raise=permissions.can_raise_signal(request.user, community),
            page="signals",
        ),
    )


@cache_for_visitors(dated(community_version))
def export_signals(request: HttpRequest, slug: str) -> HttpResponse:
    """The list as filtered, as CSV: for a report to the council or a spreadsheet."""
    community = permissions.get_community_for_user(request.user, slug)
    _form, signals = listed_signals(request, community)
    content = exports.signals_csv(community, signals, site_url())
    return csv_response(content, f"{community.slug}-signals.csv")


@login_required
def raise_signal(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_raise_signal(request.user, community):
        raise Http404("Cannot raise a signal here.")
    form = RaiseSignalForm(request.POST or None, community=community, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.raise_signal(
                actor=request.user, community=community, **form.service_arguments()
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Thank you. The community can see your signal and will pick it up.")
            )
            return redirect(signal)
    return render(
        request,
        "learning/raise_signal.html",
        _community_context(
            request,
            community,
            form=form,
            similar_url=reverse("similar_signals", args=[community.slug]),
            page="signals",
        ),
    )


@login_required
def edit_signal(request: AuthenticatedHttpRequest, slug: str, signal_id: int) -> HttpResponse:
    """Correct or complete a signal: who raised it, their initiative, or a steward."""
    signal = get_signal_in(request, slug, signal_id)
    if not permissions.can_edit_signal(request.user, signal):
        raise Http404("Cannot edit this signal.")
    community = signal.community
    form = SignalEditForm(request.POST or None, instance=signal, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_signal(
                actor=request.user,
                signal=signal,
                fields={name: data[name] for name in SIGNAL_SCALAR_FIELDS},
                related={name: list(data[name]) for name in SIGNAL_LINKS},
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The signal has been changed."))
            return redirect(signal)
    return render(
        request,
        "core/form_page.html",
        _community_context(
            request,
            community,
            form=form,
            title=_("Change the signal"),
            intro=_("Its stage changes only by the moves on the signal's page."),
            back_url=signal.get_absolute_url(),
            page="signals",
        ),
    )


def _allowed_moves(request: HttpRequest, signal: Signal) -> list[str]:
    return [
        stage
        for stage in Stage.values
        if stage in MOVES.get(signal.stage, set())
        and permissions.can_move(request.user, signal, stage)
    ]


def _move_label(stage: str, names_owner: bool, raiser_side: bool) -> str:
    """The move as the action of the person who takes it."""
    if stage == Stage.IN_VERKENNING and names_owner:
        return str(STEWARD_ACTIONS[stage])
    if stage == Stage.AFGESLOTEN and not raiser_side:
        return str(STEWARD_ACTIONS[stage])
    return str(MOVE_ACTIONS.get(stage, Stage(stage).label))


@cache_for_visitors(dated(community_version))
@cache_for_members(dated(signal_audience))
def signal_detail(request: HttpRequest, slug: str, signal_id: int) -> HttpResponse:
    signal = get_signal_in(request, slug, signal_id)
    community = signal.community

    def story() -> dict[str, Any]:
        events = list(
            signal.events.select_related("actor", "session", "learning_question", "adjustment")
        )
        lead_time, fed_back = lead_time_days(signal, events)
        return {"events": events, "lead_time": lead_time, "fed_back": fed_back}

    answer_due = targets.answer_due(signal, targets.target_days(community.pk))
    supports = list(signal.supports.select_related("initiative"))
    attachments = list(signal.attachments.all())
    moves = _allowed_moves(request, signal)
    move_forms = []
    if moves:
        # Anyone may take a signal up as its owner; only a steward names someone else.
        members = (
            list(community_members(community))
            if Stage.IN_VERKENNING in moves
            and permissions.can_name_others_as_owner(request.user, community)
            else []
        )
        sessions, questions = discussion_places(community) if Stage.BESPROKEN in moves else ([], [])
        raiser_side = permissions.is_raiser_side(request.user, signal)
        move_forms = [
            {
                "stage": stage,
                "label": _move_label(stage, bool(members), raiser_side),
                "next_step": NEXT_STEP.get(stage, ""),
                "note_required": stage in NOTE_REQUIRED,
                "outcomes": Outcome.choices if stage == Stage.AFGESLOTEN else [],
                "members": members if stage == Stage.IN_VERKENNING else [],
                "takes_ownership": stage == Stage.IN_VERKENNING and not members,
                "sessions": sessions if stage == Stage.BESPROKEN else [],
                "questions": questions if stage == Stage.BESPROKEN else [],
                "propose_url": (
                    f"{reverse('new_adjustment', args=[community.slug])}?signal={signal.pk}"
                    if stage == Stage.AANPASSING_VOORGESTELD
                    else ""
                ),
            }
            for stage in moves
        ]
    return render(
        request,
        "learning/signal.html",
        _community_context(
            request,
            community,
            signal=signal,
            # Lazy: computed only when the shared fragments are not in the cache.
            story=SimpleLazyObject(story),
            today=timezone.localdate(),
            initiatives=signal.initiatives.all(),
            themes=signal.themes.all(),
            policy_objects=signal.policy_objects.all(),
            move_forms=move_forms,
            adjustments=signal.adjustments.all(),
            can_edit=permissions.can_edit_signal(request.user, signal),
            can_follow=following.can_follow(request.user, community),
            # Who raised or owns it, and its initiative, hear every step without following.
            hears_every_step=SimpleLazyObject(
                lambda: (
                    signal.owner_id == request.user.pk
                    or permissions.is_raiser_side(request.user, signal)
                )
            ),
            conversation_messages=signal.messages.select_related("author"),
            supports=supports,
            support_options=(
                conversation.supporting_initiatives(request.user, signal)
                if request.user.is_authenticated
                else []
            ),
            own_organisation=permissions.confirmed_organisation_id(request.user, community),
            attachments=attachments,
            can_post=conversation.can_post_message(request.user, signal),
            can_attach=conversation.can_attach(request.user, signal),
            steward=can_manage_community(request.user, community),
            max_attachment=django_settings.MAX_ATTACHMENT_BYTES,
            followed=request.user.is_authenticated
            and Follow.objects.filter(user=request.user, signal=signal).exists(),
            answer_due=answer_due,
            overdue=answer_due is not None and answer_due < timezone.localdate(),
            page="signals",
        ),
    )


@login_required
@require_POST
def move(request: AuthenticatedHttpRequest, slug: str, signal_id: int) -> HttpResponse:
    signal = get_signal_in(request, slug, signal_id)
    form = MoveForm(request.POST, community=signal.community)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(signal)
    data = form.cleaned_data
    to_stage = data["to_stage"]
    try:
        services.move_signal(
            actor=request.user,
            signal=signal,
            move=services.Move(
                to_stage=to_stage,
                note=data["note"] or "",
                outcome=data["outcome"] or "",
                owner=data["owner"],
                session_id=data["session"].pk if data["session"] else None,
                learning_question_id=(
                    data["learning_question"].pk if data["learning_question"] else None
                ),
            ),
            seen_event_id=data["seen_event"],
        )
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The signal is now at the stage “%(stage)s”.") % {"stage": Stage(to_stage).label},
        )
    return redirect(signal)


urlpatterns: list[URLPattern] = [
    path("signals/", signal_list, name="signals"),
    path("signals/new/", raise_signal, name="raise_signal"),
    path("signals/export.csv", export_signals, name="export_signals"),
    path("signals/<int:signal_id>/", signal_detail, name="signal"),
    path("signals/<int:signal_id>/edit/", edit_signal, name="edit_signal"),
    path("signals/<int:signal_id>/move/", move, name="move_signal"),
]
