"""The atlas of initiatives, an initiative's page, registering and reviewing initiatives."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_version
from samenspel.core.pagecache import cache_for_visitors
from samenspel.core.sections import render_sections
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.initiatives import permissions, services
from samenspel.initiatives.choices import Review
from samenspel.initiatives.forms import (
    AtlasFilterForm,
    InitiativeForm,
    RegisterInitiativeForm,
    ReviewForm,
)
from samenspel.initiatives.geojson import feature_collection, point
from samenspel.initiatives.models import (
    Indicator,
    Initiative,
    InitiativeQuerySet,
    Neighbourhood,
    PhaseCriterion,
)

PAGE_SIZE = 50


def filter_initiatives(
    initiatives: InitiativeQuerySet, form: AtlasFilterForm
) -> InitiativeQuerySet:
    """Apply the atlas filters; an invalid value is ignored (the form shows it)."""
    if not form.is_valid():
        return initiatives
    data = form.cleaned_data
    initiatives = initiatives.search(data.get("q", ""))
    if data.get("phase"):
        initiatives = initiatives.filter(phase=data["phase"])
    if data.get("status"):
        initiatives = initiatives.filter(status=data["status"])
    if data.get("solution"):
        initiatives = initiatives.with_solution(data["solution"])
    if data.get("neighbourhood"):
        initiatives = initiatives.filter(neighbourhoods__pk=data["neighbourhood"])
    return initiatives


def map_features(initiatives: InitiativeQuerySet) -> dict[str, Any]:
    """Points of the initiatives for the map, as a GeoJSON FeatureCollection (one query)."""
    rows = initiatives.filter(latitude__isnull=False, longitude__isnull=False).values_list(
        "name", "slug", "community__slug", "longitude", "latitude", "phase"
    )
    return feature_collection(
        [
            {
                "type": "Feature",
                "geometry": point(lon, lat),
                "properties": {
                    "name": name,
                    "url": f"/c/{community}/initiatives/{slug}/",
                    "phase": phase,
                },
            }
            for name, slug, community, lon, lat, phase in rows
        ]
    )


def area_features(community: Community) -> dict[str, Any]:
    return feature_collection(
        [
            {"type": "Feature", "geometry": area, "properties": {"name": name}}
            for name, area in Neighbourhood.objects.filter(
                community=community, area__isnull=False
            ).values_list("name", "area")
        ]
    )


@cache_for_visitors(community_version)
def atlas(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    form = AtlasFilterForm(request.GET or None, community=community)
    initiatives = filter_initiatives(
        permissions.get_initiatives_for_user(request.user, community), form
    ).distinct()
    page = Paginator(
        initiatives.select_related("community").order_by("name", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    template = "initiatives/atlas.html#results" if request.htmx else "initiatives/atlas.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        _community_context(
            request,
            community,
            form=form,
            page_obj=page,
            points=map_features(initiatives),
            areas=area_features(community),
            can_register=permissions.can_register_initiative(request.user, community),
            can_review=permissions.can_review_initiatives(request.user, community),
            page="atlas",
        ),
    )


@cache_for_visitors(community_version)
def initiative_detail(request: HttpRequest, slug: str, initiative_slug: str) -> HttpResponse:
    initiative = permissions.get_initiative_for_user(
        request.user, community=slug, slug=initiative_slug
    )
    community = initiative.community
    return render(
        request,
        "initiatives/detail.html",
        _community_context(
            request,
            community,
            initiative=initiative,
            neighbourhoods=initiative.neighbourhoods.all(),
            # Lazy: only computed when the cached figures fragment has gone stale.
            totals=SimpleLazyObject(
                lambda: services.yearly_totals(community, initiative=initiative)
            ),
            indicators=Indicator.objects.filter(community=community, kind="number"),
            can_edit=permissions.can_edit_initiative(request.user, initiative),
            show_contact=permissions.can_see_contact(request.user, initiative),
            # What apps above add to this page (the group's visits, core/sections.py).
            sections=render_sections("initiative", request, initiative),
            page="atlas",
        ),
    )


@login_required
def register(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_register_initiative(request.user, community):
        raise Http404("Cannot register here.")
    form = RegisterInitiativeForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.register_initiative(
                actor=request.user, community=community, **form.cleaned_data
            )
        except CommunityError as error:
            form.add_error("name" if error.code == "duplicate_name" else None, error.message)
        else:
            messages.success(
                request,
                _("Thank you! A steward will look at %(name)s and let you know.")
                % {"name": initiative.name},
            )
            return redirect(initiative)
    return render(
        request,
        "initiatives/register.html",
        _community_context(request, community, form=form, page="atlas"),
    )


@login_required
def edit(request: AuthenticatedHttpRequest, slug: str, initiative_slug: str) -> HttpResponse:
    initiative = permissions.get_initiative_for_user(
        request.user, community=slug, slug=initiative_slug
    )
    if not permissions.can_edit_initiative(request.user, initiative):
        raise Http404("Cannot edit.")
    form = InitiativeForm(
        request.POST or None,
        instance=initiative,
        # Moving an initiative to another organisation hands out its keys: stewards only.
        with_organisation=permissions.can_review_initiatives(request.user, initiative.community),
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        seen_version = fields.pop("based_on")
        neighbourhoods = fields.pop("neighbourhoods")
        try:
            services.change_initiative(
                actor=request.user,
                initiative=initiative,
                fields=fields,
                neighbourhoods=neighbourhoods,
                seen_version=seen_version,
            )
        except CommunityError as error:
            form.add_error("name" if error.code == "duplicate_name" else None, error.message)
        else:
            messages.success(request, _("The initiative has been saved."))
            return redirect(initiative)
    return render(
        request,
        "initiatives/edit.html",
        _community_context(
            request, initiative.community, form=form, initiative=initiative, page="atlas"
        ),
    )


@login_required
def review_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_review_initiatives(request.user, community):
        raise Http404("Not a steward.")
    waiting = (
        Initiative.objects.filter(
            community=community, review__in=[Review.PENDING, Review.MORE_INFO]
        )
        .select_related("applicant")
        .order_by("created_at")
    )
    return render(
        request,
        "initiatives/review.html",
        _community_context(
            request,
            community,
            waiting=waiting,
            criteria=PhaseCriterion.objects.filter(community=community),
            form=ReviewForm(),
            page="atlas",
        ),
    )


@login_required
def review_one(request: AuthenticatedHttpRequest, slug: str, initiative_slug: str) -> HttpResponse:
    initiative = permissions.get_initiative_for_user(
        request.user, community=slug, slug=initiative_slug
    )
    if not permissions.can_review_initiatives(request.user, initiative.community):
        raise Http404("Not a steward.")
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.review_initiative(
                actor=request.user,
                initiative=initiative,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your decision has been sent to the initiative."))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("review_initiatives", slug=slug)


def national_atlas(request: HttpRequest) -> HttpResponse:
    form = AtlasFilterForm(request.GET or None)
    initiatives = filter_initiatives(
        Initiative.objects.listed().filter(
            community__is_public=True, community__archived_at__isnull=True
        ),
        form,
    )
    page = Paginator(
        initiatives.select_related("community").order_by("name", "pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    template = "initiatives/national_atlas.html"
    if request.htmx:  # type: ignore[attr-defined]
        template += "#results"
    return render(
        request,
        template,
        {"form": form, "page_obj": page, "points": map_features(initiatives)},
    )


def _community_urls() -> list[Any]:
    return [
        path("initiatives/", atlas, name="atlas"),
        path("initiatives/register/", register, name="register_initiative"),
        path("initiatives/review/", review_list, name="review_initiatives"),
        path("initiatives/<slug:initiative_slug>/", initiative_detail, name="initiative"),
        path("initiatives/<slug:initiative_slug>/edit/", edit, name="edit_initiative"),
        path("initiatives/<slug:initiative_slug>/review/", review_one, name="review_initiative"),
    ]


urlpatterns = _community_urls()
