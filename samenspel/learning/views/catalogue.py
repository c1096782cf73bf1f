"""The catalogue of the loop: themes, policy objects and external developments. Everyone
who may see the community reads it; members keep it (through learning/catalogue.py)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_version
from samenspel.core.pagecache import cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.learning import catalogue, following, permissions, targets
from samenspel.learning.forms import (
    ExternalDevelopmentForm,
    LoopSettingsForm,
    PolicyObjectForm,
    ThemeForm,
)
from samenspel.learning.models import ExternalDevelopment, LoopSettings, PolicyObject, Theme
from samenspel.learning.stages import Stage


def _keeper_only(request: HttpRequest, slug: str) -> Community:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_keep_catalogue(request.user, community):
        raise Http404("Cannot keep the catalogue.")
    return community


def _edit(
    request: AuthenticatedHttpRequest,
    community: Community,
    form: Any,
    *,
    title: str,
    back: str,
    save: Callable[[dict[str, Any]], object],
    page: str = "signals",
) -> HttpResponse:
    """The form parses; `save` calls the service with what it parsed. A refusal of the
    service shows on the form, and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(back, slug=community.slug)
    return render(
        request,
        "core/form_page.html",
        _community_context(
            request,
            community,
            form=form,
            title=title,
            back_url=reverse(back, args=[community.slug]),
            page=page,
        ),
    )


@cache_for_visitors(community_version)
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    closed = Q(signals__last_event__to_stage=Stage.AFGESLOTEN)
    rows = Theme.objects.filter(community=community).annotate(
        open_count=Count("signals", filter=~closed & Q(signals__isnull=False), distinct=True),
        closed_count=Count("signals", filter=closed, distinct=True),
    )
    followed = following.followed_by(request.user, community).themes
    listed = list(rows)
    for row in listed:
        row.followed = row.pk in followed  # type: ignore[attr-defined]
    return render(
        request,
        "learning/themes.html",
        _community_context(
            request,
            community,
            themes=listed,
            can_keep=permissions.can_keep_catalogue(request.user, community),
            can_follow=following.can_follow(request.user, community),
            page="signals",
        ),
    )


@login_required
def edit_theme(
    request: AuthenticatedHttpRequest, slug: str, theme_id: int | None = None
) -> HttpResponse:
    community = _keeper_only(request, slug)
    theme = get_object_or_404(Theme, pk=theme_id, community=community) if theme_id else None
    form = ThemeForm(request.POST or None, instance=theme)
    return _edit(
        request,
        community,
        form,
        title=_("Edit theme") if theme_id else _("New theme"),
        back="themes",
        save=lambda data: catalogue.save_theme(
            actor=request.user,
            community=community,
            theme=theme,
            name=data["name"],
            description=data["description"],
        ),
    )


@cache_for_visitors(community_version)
def policy_objects(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    rows = (
        PolicyObject.objects.filter(community=community)
        .select_related("department")
        .annotate(signal_count=Count("signals", distinct=True))
    )
    followed = following.followed_by(request.user, community).policy_objects
    listed = list(rows)
    for row in listed:
        row.followed = row.pk in followed  # type: ignore[attr-defined]
    return render(
        request,
        "learning/policy_objects.html",
        _community_context(
            request,
            community,
            policy_objects=listed,
            can_keep=permissions.can_keep_catalogue(request.user, community),
            can_follow=following.can_follow(request.user, community),
            page="signals",
        ),
    )


@login_required
def edit_policy_object(
    request: AuthenticatedHttpRequest, slug: str, policy_object_id: int | None = None
) -> HttpResponse:
    community = _keeper_only(request, slug)
    policy_object = (
        get_object_or_404(PolicyObject, pk=policy_object_id, community=community)
        if policy_object_id
        else None
    )
    form = PolicyObjectForm(request.POST or None, instance=policy_object, community=community)
    return _edit(
        request,
        community,
        form,
        title=_("Edit policy object") if policy_object_id else _("New policy object"),
        back="policy_objects",
        save=lambda data: catalogue.save_policy_object(
            actor=request.user,
            community=community,
            policy_object=policy_object,
            kind=data["kind"],
            name=data["name"],
            department=data["department"],
            reference=data["reference"],
        ),
    )


@cache_for_visitors(community_version)
def developments(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    rows = ExternalDevelopment.objects.filter(community=community).prefetch_related("themes")
    return render(
        request,
        "learning/developments.html",
        _community_context(
            request,
            community,
            developments=rows,
            can_keep=permissions.can_keep_catalogue(request.user, community),
            page="signals",
        ),
    )


@login_required
def edit_development(
    request: AuthenticatedHttpRequest, slug: str, development_id: int | None = None
) -> HttpResponse:
    community = _keeper_only(request, slug)
    development = (
        get_object_or_404(ExternalDevelopment, pk=development_id, community=community)
        if development_id
        else None
    )
    form = ExternalDevelopmentForm(request.POST or None, instance=development, community=community)
    return _edit(
        request,
        community,
        form,
        title=_("Edit external development") if development_id else _("New external development"),
        back="developments",
        save=lambda data: catalogue.save_development(
            actor=request.user,
            community=community,
            development=development,
            title=data["title"],
            description=data["description"],
            happened_on=data["happened_on"],
            link=data["link"],
            themes=list(data["themes"]),
            on_agenda=data["on_agenda"],
        ),
    )


@login_required
@require_POST
def toggle_agenda(
    request: AuthenticatedHttpRequest, slug: str, development_id: int
) -> HttpResponse:
    community = _keeper_only(request, slug)
    development = get_object_or_404(ExternalDevelopment, pk=development_id, community=community)
    development.community = community
    catalogue.set_on_agenda(
        actor=request.user, development=development, on_agenda=not development.on_agenda
    )
    return redirect("developments", slug=slug)


@login_required
def loop_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The community's waiting times: when owners are reminded, when a steward may close a
    loop the initiative did not answer. Stewards set them."""
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_set_waiting_times(request.user, community):
        raise Http404("Only stewards set the waiting times.")
    # No write on GET: the service creates the row if the community has none yet.
    settings = LoopSettings.objects.filter(community=community).first()
    form = LoopSettingsForm(
        request.POST or None,
        instance=settings,
        answer_days=targets.target_days(community.pk),
    )

    @transaction.atomic
    def save(data: dict[str, Any]) -> None:
        catalogue.set_waiting_times(
            actor=request.user,
            community=community,
            remind_after_days=data["remind_after_days"],
            close_without_answer_after_days=data["close_without_answer_after_days"],
        )
        targets.set_stage_targets(actor=request.user, community=community, days=form.answer_days())

    return _edit(
        request,
        community,
        form,
        title=_("Waiting and answer times of the loop"),
        back="loop_dashboard",
        page="loop",
        save=save,
    )


urlpatterns: list[URLPattern] = [
    path("loop/settings/", loop_settings, name="loop_settings"),
    path("themes/", themes, name="themes"),
    path("themes/new/", edit_theme, name="new_theme"),
    path("themes/<int:theme_id>/edit/", edit_theme, name="edit_theme"),
    path("policy-objects/", policy_objects, name="policy_objects"),
    path("policy-objects/new/", edit_policy_object, name="new_policy_object"),
    path(
        "policy-objects/<int:policy_object_id>/edit/",
        edit_policy_object,
        name="edit_policy_object",
    ),
    path("developments/", developments, name="developments"),
    path("developments/new/", edit_development, name="new_development"),
    path("developments/<int:development_id>/edit/", edit_development, name="edit_development"),
    path("developments/<int:development_id>/agenda/", toggle_agenda, name="toggle_agenda"),
]
