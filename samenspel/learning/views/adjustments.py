"""Adjustments: the list, proposing one, its page with its stage history and moving it on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_version
from samenspel.core.pagecache import cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.learning import adjustments as service
from samenspel.learning import permissions
from samenspel.learning.forms import AdjustmentForm, AdjustmentSearchForm, AdjustmentStageForm
from samenspel.learning.models import DECIDED_ADJUSTMENT_STAGES, Adjustment, AdjustmentStage
from samenspel.learning.search import search_adjustments

PAGE_SIZE = 50


def _get_adjustment(request: HttpRequest, slug: str, adjustment_id: int) -> Adjustment:
    community = permissions.get_community_for_user(request.user, slug)
    return service.get_adjustment_for_user(request.user, adjustment_id, community=community)


def stage_history(adjustment: Adjustment) -> list[dict[str, object]]:
    """The stages the adjustment went through, oldest first, with who and when."""
    rows: list[dict[str, object]] = []
    previous = None
    for record in adjustment.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
        "history_date", "history_id"
    ):
        if record.stage != previous:
            rows.append(
                {
                    "stage": AdjustmentStage(record.stage).label,
                    "at": record.history_date,
                    "who": record.history_user.name if record.history_user else "",
                }
            )
            previous = record.stage
    return rows


@cache_for_visitors(community_version)
def adjustment_list(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    form = AdjustmentSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    adjustments = Adjustment.objects.filter(community=community).order_by("-updated_at", "-pk")
    if query:
        # The list keeps its own order (most recently changed first); search decides what.
        found = search_adjustments(Adjustment.objects.all(), query).order_by().values("pk")
        adjustments = adjustments.filter(pk__in=found)
    page = Paginator(adjustments.select_related("policy_object", "owner"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/adjustments.html",
        _community_context(
            request,
            community,
            page_obj=page,
            form=form,
            query=query,
            can_propose=permissions.can_propose_adjustment(request.user, community),
            page="signals",
        ),
    )


@login_required
def new_adjustment(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_propose_adjustment(request.user, community):
        raise Http404("Cannot propose an adjustment here.")
    initial: dict[str, object] = {"owner": request.user.pk}
    if request.GET.get("signal"):
        initial["signals"] = [request.GET["signal"]]
    form = AdjustmentForm(request.POST or None, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            adjustment = service.create_adjustment(
                actor=request.user,
                community=community,
                policy_object=data["policy_object"],
                title=data["title"],
                current=data["current"],
                proposed=data["proposed"],
                why=data["why"],
                owner=data["owner"],
                signals=list(data["signals"]),
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The adjustment has been saved."))
            return redirect("adjustment", slug=slug, adjustment_id=adjustment.pk)
    return render(
        request,
        "learning/adjustment_form.html",
        _community_context(request, community, form=form, page="signals"),
    )


@login_required
def edit_adjustment(
    request: AuthenticatedHttpRequest, slug: str, adjustment_id: int
) -> HttpResponse:
    """Change an adjustment: its owner or a steward. Its stage moves only on its page."""
    adjustment = _get_adjustment(request, slug, adjustment_id)
    if not permissions.can_move_adjustment(request.user, adjustment):
        raise Http404("Cannot edit this adjustment.")
    community = adjustment.community
    form = AdjustmentForm(request.POST or None, instance=adjustment, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.change_adjustment(
                actor=request.user,
                adjustment=adjustment,
                fields={name: data[name] for name in service.ADJUSTMENT_COLUMNS},
                signals=list(data["signals"]),
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The adjustment has been changed."))
            return redirect("adjustment", slug=slug, adjustment_id=adjustment.pk)
    return render(
        request,
        "core/form_page.html",
        _community_context(
            request,
            community,
            form=form,
            title=_("Change the adjustment"),
            intro=_("Its stage changes only by the moves on the adjustment's page."),
            back_url=reverse("adjustment", args=[slug, adjustment.pk]),
            page="signals",
        ),
    )


@cache_for_visitors(community_version)
def adjustment_detail(request: HttpRequest, slug: str, adjustment_id: int) -> HttpResponse:
    adjustment = _get_adjustment(request, slug, adjustment_id)
    can_move = permissions.can_move_adjustment(request.user, adjustment)
    next_stages = (
        [(stage, AdjustmentStage(stage).label) for stage in service.next_stages(adjustment)]
        if can_move
        else []
    )
    return render(
        request,
        "learning/adjustment.html",
        _community_context(
            request,
            adjustment.community,
            adjustment=adjustment,
            history=stage_history(adjustment),
            signals=adjustment.signals.select_related("last_event"),
            next_stages=next_stages,
            decides=any(stage in DECIDED_ADJUSTMENT_STAGES for stage, _label in next_stages),
            can_edit=can_move,
            page="signals",
        ),
    )


@login_required
@require_POST
def move_adjustment(
    request: AuthenticatedHttpRequest, slug: str, adjustment_id: int
) -> HttpResponse:
    adjustment = _get_adjustment(request, slug, adjustment_id)
    form = AdjustmentStageForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Choose the next stage; a date and a link, if given, must be valid."),
        )
    else:
        try:
            service.move_adjustment(
                adjustment=adjustment,
                actor=request.user,
                to_stage=form.cleaned_data["stage"],
                seen_stage=form.cleaned_data["seen_stage"],
                reference=form.cleaned_data["reference"],
                decided_on=form.cleaned_data["decided_on"],
                link=form.cleaned_data["link"],
            )
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The adjustment is now at the stage “%(stage)s”.")
                % {"stage": AdjustmentStage(form.cleaned_data["stage"]).label},
            )
    return redirect("adjustment", slug=slug, adjustment_id=adjustment.pk)


urlpatterns: list[URLPattern] = [
    path("adjustments/", adjustment_list, name="adjustments"),
    path("adjustments/new/", new_adjustment, name="new_adjustment"),
    path("adjustments/<int:adjustment_id>/", adjustment_detail, name="adjustment"),
    path("adjustments/<int:adjustment_id>/edit/", edit_adjustment, name="edit_adjustment"),
    path("adjustments/<int:adjustment_id>/move/", move_adjustment, name="move_adjustment"),
]
