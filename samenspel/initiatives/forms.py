from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samenspel.communities.models import Community
from samenspel.core.forms import ConcurrentEditForm
from samenspel.initiatives.choices import HeatSolution, Review
from samenspel.initiatives.geojson import GeometryError, check_polygon
from samenspel.initiatives.models import Initiative, Neighbourhood

REGISTER_FIELDS = [
    "name",
    "pitch",
    "story",
    "neighbourhoods",
    "latitude",
    "longitude",
    "phase",
    "legal_form",
    "solutions",
    "website",
    "contact_email",
    "contact_public",
]


class InitiativeFormMixin:
    """Solutions as checkboxes, neighbourhoods of the community, a checked shape."""

    def setup(self, community: Community) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        fields["solutions"] = forms.MultipleChoiceField(
            label=_("Heat solutions"),
            choices=HeatSolution.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        if "neighbourhoods" in fields:
            fields["neighbourhoods"].queryset = Neighbourhood.objects.filter(community=community)
            fields["neighbourhoods"].widget = forms.CheckboxSelectMultiple()
            fields["neighbourhoods"].widget.choices = fields["neighbourhoods"].choices
        if "organisation" in fields:
            fields["organisation"].queryset = community.organisations.all()
        for name in ("latitude", "longitude"):
            if name in fields:
                fields[name].help_text = _(
                    "Decimal degrees (WGS 84), for example 52.5168 / 6.0830."
                )

    def clean_area(self) -> Any:
        area = self.cleaned_data.get("area")  # type: ignore[attr-defined]
        if area in (None, "", {}):
            return None
        try:
            return check_polygon(area)
        except GeometryError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_coordinates(self, cleaned: dict[str, Any]) -> None:
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        if latitude is not None and not (Decimal(-90) <= latitude <= Decimal(90)):
            raise forms.ValidationError(_("The latitude must lie between -90 and 90."))


def website_field() -> forms.URLField:
    # A website typed without a scheme becomes https:// (Django 6's default too).
    return forms.URLField(label=_("website"), required=False, assume_scheme="https")


class RegisterInitiativeForm(InitiativeFormMixin, forms.ModelForm):
    website = website_field()

    class Meta:
        model = Initiative
        fields = REGISTER_FIELDS

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        self.setup(community)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Initiative.objects.filter(community=self.community, name__iexact=name).exists():
            raise forms.ValidationError(_("An initiative with this name is already registered."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_coordinates(cleaned)
        return cleaned


class InitiativeForm(InitiativeFormMixin, ConcurrentEditForm):
    website = website_field()

    class Meta:
        model = Initiative
        fields = [
            *REGISTER_FIELDS,
            "organisation",
            "area",
            "status",
            "project_role",
            "households",
        ]
        widgets = {"area": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "area": _("Optional: the area as a GeoJSON Polygon in longitude/latitude (WGS 84)."),
        }

    def __init__(self, *args: Any, with_organisation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_organisation:
            del self.fields["organisation"]
        self.setup(self.instance.community)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = Initiative.objects.filter(
            community=self.instance.community, name__iexact=name
        ).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("An initiative with this name is already registered."))
        return name

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_coordinates(cleaned)
        return cleaned


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Review.LISTED, _("List it in the atlas")),
            (Review.MORE_INFO, _("Ask for more information")),
            (Review.DECLINED, _("Decline")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the initiative"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text=_("Needed when you ask for more or decline."),
    )


class AtlasFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    solution = forms.ChoiceField(label=_("Heat solution"), required=False)
    neighbourhood = forms.ChoiceField(label=_("Neighbourhood"), required=False)

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from samenspel.initiatives.choices import Phase, Status

        every: list[tuple[str, Any]] = [("", _("All"))]
        fields: dict[str, Any] = self.fields
        fields["phase"].choices = every + list(Phase.choices)
        fields["status"].choices = every + list(Status.choices)
        fields["solution"].choices = every + list(HeatSolution.choices)
        if community is None:
            del fields["neighbourhood"]
        else:
            fields["neighbourhood"].choices = every + [
                (str(pk), name)
                for pk, name in Neighbourhood.objects.filter(community=community).values_list(
                    "pk", "name"
                )
            ]
