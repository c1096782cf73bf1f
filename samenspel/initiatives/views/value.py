"""Track 1 pages: value (waarderingskader). The community's totals per year as charts and
tables, an initiative's figures, the emission factors and the indicator catalogue."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.communities.views import _community_context, community_version
from samenspel.core.forms import ConcurrentEditForm
from samenspel.core.pagecache import cache_for_visitors
from samenspel.core.types import AuthenticatedHttpRequest
from samenspel.initiatives import permissions, services
from samenspel.initiatives import value as valuation
from samenspel.initiatives.choices import IndicatorKind
from samenspel.initiatives.models import EmissionFactor, Indicator, IndicatorValue, Initiative

FIRST_YEAR, LAST_YEAR = 1990, 2100
HISTORY_LIMIT = 50

# -- forms --------------------------------------------------------------------------------


class FigureField(forms.DecimalField):
    """A figure as people type it: a decimal comma (Dutch) is read as a decimal point."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if "," in value and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)


class IndicatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:  # type: ignore[override]
        name = valuation.translated(obj.name)
        return f"{name} ({valuation.translated(obj.unit)})" if obj.unit else name


class FigureForm(forms.Form):
    """One figure or story of an initiative for one indicator and one year."""

    indicator = IndicatorChoiceField(
        label=gettext_lazy("Indicator"),
        queryset=Indicator.objects.none(),
        to_field_name="code",
        empty_label="—",
        error_messages={
            "required": gettext_lazy("Choose an indicator."),
            "invalid_choice": gettext_lazy("Choose an indicator from the list."),
        },
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "required": gettext_lazy("Give the year the figure is about."),
            "invalid": gettext_lazy("Give a year between 1990 and 2100."),
            "min_value": gettext_lazy("Give a year between 1990 and 2100."),
            "max_value": gettext_lazy("Give a year between 1990 and 2100."),
        },
    )
    value = FigureField(
        label=gettext_lazy("Figure"),
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "For a number indicator: 0 or more, without thousands separators, "
            "for example 1200 or 12.5."
        ),
        error_messages={
            "invalid": gettext_lazy("Enter a number, for example 1200 or 12.5."),
            "min_value": gettext_lazy("A figure cannot be negative."),
            "max_digits": gettext_lazy("This number is too large."),
            "max_whole_digits": gettext_lazy("This number is too large."),
            "max_decimal_places": gettext_lazy("Use at most two decimals."),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("Story"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For a value story: what changed, and for whom."),
    )
    source = forms.CharField(
        label=gettext_lazy("Source or note"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Where the figure comes from, for example a survey or a meter."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["indicator"]
        field.queryset = Indicator.objects.filter(community=community)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        indicator = cleaned.get("indicator")
        if indicator is None:
            return cleaned
        if indicator.kind == IndicatorKind.STORY:
            cleaned["value"] = None
            cleaned["text"] = cleaned.get("text", "").strip()
            if not cleaned["text"]:
                self.add_error("text", _("Write the story for this indicator."))
        else:
            cleaned["text"] = ""
            if cleaned.get("value") is None and "value" not in self.errors:
                self.add_error("value", _("Give the figure for this indicator."))
        cleaned["source"] = cleaned.get("source", "").strip()
        return cleaned


class EmissionFactorForm(forms.ModelForm):
    class Meta:
        model = EmissionFactor
        fields = ["value", "source", "valid_from"]
        widgets = {
            "valid_from": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "value": forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        }
        help_texts = {
            "value": gettext_lazy("kg CO₂ per m³ natural gas, for example 1.78."),
            "source": gettext_lazy("Where the factor comes from, with its edition or year."),
            "valid_from": gettext_lazy(
                "The factor counts for every year that starts on or after this date."
            ),
        }
        error_messages = {
            "value": {
                "min_value": gettext_lazy("The factor must be more than 0."),
                "invalid": gettext_lazy("Enter a number, for example 1.78."),
            },
            "source": {"required": gettext_lazy("Name the source of the factor.")},
        }

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.community = community

    def clean_source(self) -> str:
        source = self.cleaned_data["source"].strip()
        if not source:
            raise forms.ValidationError(_("Name the source of the factor."))
        return source

    def clean_valid_from(self) -> date:
        valid_from: date = self.cleaned_data["valid_from"]
        if not FIRST_YEAR <= valid_from.year <= LAST_YEAR:
            raise forms.ValidationError(_("Give a date between 1990 and 2100."))
        return valid_from


class IndicatorForm(forms.ModelForm):
    """A new indicator; its code and kind stay as they are once values refer to it. Only
    parses: services.add_indicator checks the code is free and places it last."""

    class Meta:
        model = Indicator
        fields = ["code", "name", "unit", "kind", "description"]
        help_texts = {
            "code": gettext_lazy(
                "A short name in lower case letters, digits and hyphens, for example solar-panels."
            ),
            "unit": gettext_lazy("For example households, m³/year or €. Empty for a story."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.community = community

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().lower()


class IndicatorEditForm(ConcurrentEditForm):
    """Name, unit and description. A default is shown in the reader's language; saved
    unchanged it stays the stored English source text, so every reader keeps their own."""

    TRANSLATED = ("name", "unit", "description")

    class Meta:
        model = Indicator
        fields = ["name", "unit", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.TRANSLATED:
            self.initial[name] = valuation.translated(getattr(self.instance, name))

    def _keep_source(self, name: str) -> str:
        typed = self.cleaned_data[name].strip()
        stored = getattr(self.instance, name)
        return stored if typed == valuation.translated(stored) else typed

    def clean_name(self) -> str:
        return self._keep_source("name")

    def clean_unit(self) -> str:
        return self._keep_source("unit")

    def clean_description(self) -> str:
        return self._keep_source("description")


# -- pages --------------------------------------------------------------------------------


@cache_for_visitors(community_version)
def community_value(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    indicators = list(Indicator.objects.filter(community=community))
    totals = services.yearly_totals(community)
    factors = list(EmissionFactor.objects.filter(community=community))
    co2_rows = valuation.co2_years(totals, factors, services.GAS_SAVED)
    return render(
        request,
        "initiatives/value/community.html",
        _community_context(
            request,
            community,
            charts=valuation.indicator_charts(totals, indicators),
            co2_chart=valuation.co2_chart(totals),
            co2_rows=co2_rows,
            factors_used=valuation.factors_used(co2_rows),
            stories=valuation.recent_stories(community),
            listed_count=Initiative.objects.filter(community=community).listed().count(),
            page="value",
        ),
    )


def _correction(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """Start values of the form when someone corrects one figure (?indicator=&year=)."""
    code, year = request.GET.get("indicator", ""), request.GET.get("year", "")
    if not code:
        return {}
    initial: dict[str, Any] = {"indicator": code, "year": year}
    if year.isdigit():
        existing = IndicatorValue.objects.filter(
            initiative=initiative, indicator__code=code, year=int(year)
        ).first()
        if existing is not None:
            initial.update(value=existing.value, text=existing.text, source=existing.source)
    return initial


@login_required
def initiative_values(
    request: AuthenticatedHttpRequest, slug: str, initiative_slug: str
) -> HttpResponse:
    initiative = permissions.get_initiative_for_user(
        request.user, community=slug, slug=initiative_slug
    )
    if not permissions.can_edit_initiative(request.user, initiative):
        raise Http404("Cannot enter figures.")
    community = initiative.community
    form = FigureForm(
        request.POST or None, community=community, initial=_correction(request, initiative)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_value(
                actor=request.user,
                initiative=initiative,
                indicator=data["indicator"],
                year=data["year"],
                value=data["value"],
                text=data["text"],
                source=data["source"],
            )
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Saved: %(indicator)s in %(year)s.")
                % {
                    "indicator": valuation.translated(data["indicator"].name),
                    "year": data["year"],
                },
            )
            return redirect(
                "initiative_values", slug=community.slug, initiative_slug=initiative.slug
            )
    current = (
        IndicatorValue.objects.filter(initiative=initiative)
        .select_related("indicator", "entered_by")
        .order_by("indicator__order", "indicator__name", "-year")
    )
    history = (
        IndicatorValue.history.filter(initiative_id=initiative.pk)
        .select_related("indicator", "history_user")
        .order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    )
    return render(
        request,
        "initiatives/value/figures.html",
        _community_context(
            request,
            community,
            initiative=initiative,
            form=form,
            current=current,
            history=history,
            history_limit=HISTORY_LIMIT,
            page="atlas",
        ),
    )


def _catalogue_form(request: HttpRequest, community: Community, form_class: Any) -> Any:
    """The add form for stewards; anyone else only reads (and may not post)."""
    if permissions.can_keep_catalogue(request.user, community):
        return form_class(request.POST or None, community=community)
    if request.method == "POST":
        raise Http404("Not a steward.")
    return None


def _add_error(form: forms.BaseForm, error: CommunityError, fields: dict[str, str]) -> None:
    """A service's refusal shown at the field it is about (by its code), or above the form."""
    form.add_error(fields.get(error.code), error.message)


@cache_for_visitors(community_version)
def emission_factors(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    form = _catalogue_form(request, community, EmissionFactorForm)
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            factor = services.add_emission_factor(
                actor=request.user,  # type: ignore[arg-type]
                community=community,
                value=data["value"],
                source=data["source"],
                valid_from=data["valid_from"],
            )
        except CommunityError as error:
            _add_error(form, error, {"duplicate_date": "valid_from", "source_required": "source"})
        else:
            messages.success(
                request,
                _("The factor valid from %(date)s has been added. CO₂ is now worked out with it.")
                % {"date": factor.valid_from.isoformat()},
            )
            return redirect("emission_factors", slug=community.slug)
    factors = list(EmissionFactor.objects.filter(community=community).order_by("-valid_from"))
    today = timezone.localdate()
    in_use = next((f for f in factors if f.valid_from <= today), None)
    return render(
        request,
        "initiatives/value/emission_factors.html",
        _community_context(
            request, community, factors=factors, in_use=in_use, form=form, page="value"
        ),
    )


@cache_for_visitors(community_version)
def indicators(request: HttpRequest, slug: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    form = _catalogue_form(request, community, IndicatorForm)
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator = services.add_indicator(
                actor=request.user,  # type: ignore[arg-type]
                community=community,
                code=data["code"],
                name=data["name"],
                unit=data["unit"],
                kind=data["kind"],
                description=data["description"],
            )
        except CommunityError as error:
            _add_error(form, error, {"duplicate_code": "code"})
        else:
            messages.success(
                request, _("The indicator %(name)s has been added.") % {"name": indicator.name}
            )
            return redirect("indicators", slug=community.slug)
    return render(
        request,
        "initiatives/value/indicators.html",
        _community_context(
            request,
            community,
            indicators=Indicator.objects.filter(community=community),
            form=form,
            can_keep_catalogue=form is not None,
            page="value",
        ),
    )


@login_required
def edit_indicator(request: AuthenticatedHttpRequest, slug: str, code: str) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_keep_catalogue(request.user, community):
        raise Http404("Not a steward.")
    indicator = get_object_or_404(Indicator, community=community, code=code)
    form = IndicatorEditForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator = services.change_indicator(
                actor=request.user,
                indicator=indicator,
                name=data["name"],
                unit=data["unit"],
                description=data["description"],
                seen_version=data["based_on"],
            )
        except CommunityError as error:
            _add_error(form, error, {})
        else:
            messages.success(
                request,
                _("The indicator %(name)s has been saved.")
                % {"name": valuation.translated(indicator.name)},
            )
            return redirect(reverse("indicators", args=[community.slug]))
    return render(
        request,
        "initiatives/value/indicator_form.html",
        _community_context(request, community, form=form, indicator=indicator, page="value"),
    )


urlpatterns: list[URLPattern] = [
    path("value/", community_value, name="community_value"),
    path("value/emission-factors/", emission_factors, name="emission_factors"),
    path("value/indicators/", indicators, name="indicators"),
    path("value/indicators/<slug:code>/edit/", edit_indicator, name="edit_indicator"),
    path("initiatives/<slug:initiative_slug>/values/", initiative_values, name="initiative_values"),
]
