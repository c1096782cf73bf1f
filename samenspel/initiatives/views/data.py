"""Track 1 pages: data in and out. The neighbourhoods of a community (by hand or from a
GeoJSON file), CSV exports of initiatives and indicator values for anyone who may see the
community, and CSV imports of both for stewards."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_version
from samenspel.core.forms import ConcurrentEditForm
from samenspel.core.pagecache import cache_for_visitors
from samenspel.core.spreadsheets import ImportReport, csv_response
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.initiatives import exports, permissions, services
from samenspel.initiatives.choices import (
    HeatSolution,
    IndicatorKind,
    LegalForm,
    Phase,
    ProjectRole,
    Review,
    Status,
)
from samenspel.initiatives.geojson import GeometryError, check_polygon
from samenspel.initiatives.importers import figures, registry
from samenspel.initiatives.importers import neighbourhoods as areas
from samenspel.initiatives.models import Indicator, Neighbourhood

REPORT_LIMIT = 500  # problems shown on the page; the count says how many more there are


class NeighbourhoodForm(ConcurrentEditForm):
    """Parses a neighbourhood. The services write it; the name's rule is theirs, asked here
    too so that a taken name shows beside a bad shape."""

    class Meta:
        model = Neighbourhood
        fields = ["name", "homes", "area"]
        widgets = {"area": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "area": gettext_lazy(
                "Optional: the shape as a GeoJSON Polygon or MultiPolygon in "
                "longitude/latitude (WGS 84)."
            ),
        }

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        try:
            services.check_neighbourhood_name(
                self.community, name, but=self.instance if self.instance.pk else None
            )
        except CommunityError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return name

    def clean_area(self) -> Any:
        area = self.cleaned_data.get("area")
        if area in (None, "", {}):
            return None
        try:
            return check_polygon(area)
        except GeometryError as error:
            raise forms.ValidationError(str(error)) from error


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))


def _steward_community(request: HttpRequest, slug: str) -> Community:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_keep_catalogue(request.user, community):
        raise Http404("Not a steward.")
    return community


def _report_context(report: ImportReport | None) -> dict[str, Any]:
    if report is None:
        return {"report": None}
    return {
        "report": report,
        "problems": report.errors[:REPORT_LIMIT],
        "more_problems": max(0, len(report.errors) - REPORT_LIMIT),
    }


def _summary(report: ImportReport) -> str:
    return _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % {
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
    }


def _after_success(request: HttpRequest, report: ImportReport) -> None:
    messages.success(request, _summary(report))
    for notice in report.notices:
        messages.info(request, notice)


# -- neighbourhoods ------------------------------------------------------------------------


def _neighbourhoods_page(
    request: HttpRequest,
    community: Community,
    *,
    report: ImportReport | None = None,
    upload_form: UploadForm | None = None,
) -> HttpResponse:
    listed = Q(initiatives__review=Review.LISTED, initiatives__archived_at__isnull=True)
    rows = (
        Neighbourhood.objects.filter(community=community)
        .defer("area")  # shapes can be large; the table only says whether there is one
        .annotate(
            initiative_count=Count("initiatives", filter=listed, distinct=True),
            has_shape=ExpressionWrapper(Q(area__isnull=False), output_field=BooleanField()),
        )
        .order_by("name", "pk")
    )
    return render(
        request,
        "initiatives/data/neighbourhoods.html",
        _community_context(
            request,
            community,
            neighbourhoods=rows,
            can_keep=permissions.can_keep_catalogue(request.user, community),
            upload_form=upload_form or UploadForm(),
            page="atlas",
            **_report_context(report),
        ),
    )


@cache_for_visitors(community_version)
def neighbourhoods(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    return _neighbourhoods_page(request, community)


def _neighbourhood_form(
    request: AuthenticatedHttpRequest, community: Community, neighbourhood: Neighbourhood
) -> HttpResponse:
    form = NeighbourhoodForm(request.POST or None, instance=neighbourhood, community=community)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"name": data["name"], "homes": data["homes"], "area": data["area"]}
        try:
            if neighbourhood.pk is None:
                saved = services.add_neighbourhood(
                    actor=request.user, community=community, **fields
                )
            else:
                saved = services.change_neighbourhood(
                    actor=request.user,
                    neighbourhood=neighbourhood,
                    seen_version=data["based_on"],
                    **fields,
                )
        except CommunityError as error:
            form.add_error("name" if error.code == "duplicate_name" else None, error.message)
        else:
            messages.success(
                request, _("The neighbourhood %(name)s has been saved.") % {"name": saved.name}
            )
            return redirect("neighbourhoods", slug=community.slug)
    return render(
        request,
        "initiatives/data/neighbourhood_form.html",
        _community_context(
            request,
            community,
            form=form,
            neighbourhood=neighbourhood,
            initiative_count=neighbourhood.initiatives.count() if neighbourhood.pk else 0,
            page="atlas",
        ),
    )


@login_required
def new_neighbourhood(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _steward_community(request, slug)
    return _neighbourhood_form(request, community, Neighbourhood(community=community))


@login_required
def edit_neighbourhood(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    community = _steward_community(request, slug)
    neighbourhood = get_object_or_404(Neighbourhood, community=community, pk=pk)
    return _neighbourhood_form(request, community, neighbourhood)


@login_required
@require_POST
def delete_neighbourhood(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a neighbourhood; its initiatives stay, without it. Asks for a tick first."""
    community = _steward_community(request, slug)
    neighbourhood = get_object_or_404(Neighbourhood, community=community, pk=pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the neighbourhood goes."))
        return redirect("edit_neighbourhood", slug=slug, pk=pk)
    name = neighbourhood.name
    services.delete_neighbourhood(actor=request.user, neighbourhood=neighbourhood)
    messages.success(request, _("The neighbourhood %(name)s has been removed.") % {"name": name})
    return redirect("neighbourhoods", slug=slug)


@login_required
@require_POST
def import_neighbourhoods(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _steward_community(request, slug)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _neighbourhoods_page(request, community, upload_form=form)
    report = areas.import_neighbourhoods(
        actor=request.user, community=community, data=form.cleaned_data["file"].read()
    )
    if not report.ok:
        return _neighbourhoods_page(request, community, report=report, upload_form=form)
    _after_success(request, report)
    return redirect("neighbourhoods", slug=community.slug)


# -- CSV -----------------------------------------------------------------------------------


@cache_for_visitors(community_version)
def export_initiatives(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    return csv_response(
        exports.initiatives_csv(request.user, community), f"{community.slug}-initiatives.csv"
    )


@cache_for_visitors(community_version)
def export_values(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    return csv_response(
        exports.values_csv(request.user, community), f"{community.slug}-indicator-values.csv"
    )


def _codes(choices: Any) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in choices.choices]


def _import_page(
    request: AuthenticatedHttpRequest,
    slug: str,
    *,
    kind: str,
    run: Any,
    after: str,
) -> HttpResponse:
    community = _steward_community(request, slug)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    report = None
    if request.method == "POST" and form.is_valid():
        report = run(actor=request.user, community=community, data=form.cleaned_data["file"].read())
        if report.ok:
            _after_success(request, report)
            return redirect(after, slug=community.slug)
    context: dict[str, Any] = {"kind": kind, "form": form, "page": "atlas"}
    if kind == "initiatives":
        context["codes"] = [
            ("phase", _codes(Phase)),
            ("status", _codes(Status)),
            ("legal_form", _codes(LegalForm)),
            ("project_role", _codes(ProjectRole)),
            ("solutions", _codes(HeatSolution)),
        ]
    else:
        context["indicators"] = Indicator.objects.filter(community=community)
        context["story_kind"] = IndicatorKind.STORY
    return render(
        request,
        "initiatives/data/import.html",
        _community_context(request, community, **context, **_report_context(report)),
    )


@login_required
def import_initiatives(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _import_page(
        request, slug, kind="initiatives", run=registry.import_initiatives, after="atlas"
    )


@login_required
def import_values(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _import_page(
        request, slug, kind="values", run=figures.import_values, after="import_values"
    )


urlpatterns: list[URLPattern] = [
    path("neighbourhoods/", neighbourhoods, name="neighbourhoods"),
    path("neighbourhoods/new/", new_neighbourhood, name="new_neighbourhood"),
    path("neighbourhoods/import/", import_neighbourhoods, name="import_neighbourhoods"),
    path("neighbourhoods/<int:pk>/edit/", edit_neighbourhood, name="edit_neighbourhood"),
    path("neighbourhoods/<int:pk>/delete/", delete_neighbourhood, name="delete_neighbourhood"),
    # Before the initiative pages (initiatives/<slug>/): these names are reserved slugs.
    path("initiatives/export.csv", export_initiatives, name="export_initiatives"),
    path("initiatives/import/", import_initiatives, name="import_initiatives"),
    path("values/export.csv", export_values, name="export_values"),
    path("values/import/", import_values, name="import_values"),
]
