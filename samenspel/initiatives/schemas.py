"""API schemas for initiatives, their indicator values and their GeoJSON: input and output apart.

Input is checked as the web form checks it (coordinates in range and given as a pair,
solution codes from the list, a GeoJSON polygon for the area); what needs the database
(neighbourhoods and organisation of the community, a name already taken) is checked by the
API views, which report every problem at once.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import StrictBool, StrictFloat, StrictInt, field_validator
from pydantic_core import PydanticCustomError

from samenspel.communities.schemas import OrganisationOut
from samenspel.core.api import CamelSchema, Id, InputSchema, QueryId, Text
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

# Coordinates are stored with six decimals (about 10 cm); GIS tools send more, so we round.
COORDINATE_PLACES = Decimal("0.000001")


def to_coordinate(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value)).quantize(COORDINATE_PLACES)


# -- output ---------------------------------------------------------------------------------


class NeighbourhoodOut(CamelSchema):
    id: int
    name: str


class InitiativeOut(CamelSchema):
    id: int
    slug: str
    name: str
    community: str = Field(description="The slug of the community.")
    organisation: OrganisationOut | None = Field(
        None, description="Members of this organisation edit the initiative."
    )
    pitch: str
    phase: Phase
    status: Status
    legal_form: LegalForm
    solutions: list[str] = Field(description="Codes of heat solutions (see HeatSolution).")
    project_role: str = Field(
        description="initiatiefnemer, gelijkwaardig-partner, klankbordgroep or ''."
    )
    households: int | None
    neighbourhoods: list[NeighbourhoodOut]
    latitude: float | None = Field(description="WGS 84 (EPSG:4326), decimal degrees.")
    longitude: float | None = Field(description="WGS 84 (EPSG:4326), decimal degrees.")
    website: str
    contact_email: str | None = Field(
        description="Shown when the initiative made it public, or to members of the community."
    )
    is_example: bool = Field(description="Demo or synthetic data, not facts.")
    created_at: datetime
    updated_at: datetime
    url: str = Field(description="The initiative's web page.")


class InitiativeDetailOut(InitiativeOut):
    story: str = Field(description="Markdown.")
    area: dict[str, Any] | None = Field(
        description="A GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS 84)."
    )
    contact_public: bool
    review: Review = Field(description="Listed in the atlas, or still being reviewed.")
    review_note: str | None = Field(
        description="The steward's note; only for those who may edit the initiative."
    )


class YearValueOut(CamelSchema):
    year: int
    value: float | None
    text: str
    source: str
    entered_at: datetime


class IndicatorOut(CamelSchema):
    code: str
    name: str
    unit: str
    kind: IndicatorKind
    values: list[YearValueOut] = Field(description="One per year, oldest first.")


class Co2YearOut(CamelSchema):
    year: int
    gas_saved: float | None = Field(description="m³ natural gas saved that year.")
    co2_kg: int | None = Field(
        description="kg CO₂ avoided: gas saved × the emission factor valid on 1 January."
    )


class InitiativeIndicatorsOut(CamelSchema):
    indicators: list[IndicatorOut]
    co2_per_year: list[Co2YearOut]


class IndicatorValueOut(CamelSchema):
    indicator_code: str
    year: int
    value: float | None
    text: str
    source: str
    entered_at: datetime


# -- input ----------------------------------------------------------------------------------


def invalid(message: str) -> PydanticCustomError:
    """A validation error that reads as the message alone (ValueError adds 'Value error, ')."""
    return PydanticCustomError("invalid", message.replace("{", "(").replace("}", ")"))


def _check_website(value: str | None) -> str | None:
    if not value:
        return value
    # As the web form: a website typed without a scheme becomes https://.
    if "://" not in value:
        value = "https://" + value
    try:
        URLValidator()(value)
    except DjangoValidationError as error:
        raise invalid(_("Enter a valid URL.")) from error
    if len(value) > 200:
        raise invalid(_("Use at most 200 characters."))
    return value


def _check_email(value: str | None) -> str | None:
    if not value:
        return value
    try:
        validate_email(value)
    except DjangoValidationError as error:
        raise invalid(_("Enter a valid email address.")) from error
    return value


def _check_area(value: Any) -> dict[str, Any] | None:
    if value in (None, {}):
        return None
    try:
        return check_polygon(value)
    except GeometryError as error:
        raise invalid(str(error)) from error


def _unique(values: list[Any] | None) -> list[Any] | None:
    return None if values is None else list(dict.fromkeys(values))


class InitiativeIn(InputSchema):
    """Register an initiative; it waits for a steward's review before it is listed."""

    name: Text = Field(min_length=1, max_length=160)
    pitch: Text = Field("", max_length=280)
    story: Text = Field("", max_length=20000, description="Markdown.")
    neighbourhoods: list[Id] = Field([], description="Ids of neighbourhoods of the community.")
    latitude: StrictFloat | None = Field(
        None, ge=-90, le=90, allow_inf_nan=False, description="WGS 84, rounded to 6 decimals."
    )
    longitude: StrictFloat | None = Field(
        None, ge=-180, le=180, allow_inf_nan=False, description="WGS 84, rounded to 6 decimals."
    )
    phase: Phase = Phase.ORIENTATIE
    legal_form: LegalForm = LegalForm.GEEN
    solutions: list[HeatSolution] = []
    website: Text = Field("", max_length=200)
    contact_email: Text = Field("", max_length=254)
    contact_public: StrictBool = False

    check_website = field_validator("website")(_check_website)
    check_email = field_validator("contact_email")(_check_email)
    check_unique = field_validator("solutions", "neighbourhoods")(_unique)

    @field_validator("name")
    @classmethod
    def check_name(cls, value: str) -> str:
        if not value.strip():
            raise invalid(_("This field is required."))
        return value.strip()


# Fields a PATCH may leave out but not set to null.
NOT_NULL = (
    "name",
    "pitch",
    "story",
    "neighbourhoods",
    "phase",
    "status",
    "legal_form",
    "solutions",
    "project_role",
    "website",
    "contact_email",
    "contact_public",
)


class InitiativePatch(InputSchema):
    """Change some fields of an initiative; fields left out stay as they are."""

    name: Text | None = Field(None, min_length=1, max_length=160)
    pitch: Text | None = Field(None, max_length=280)
    story: Text | None = Field(None, max_length=20000, description="Markdown.")
    neighbourhoods: list[Id] | None = Field(
        None, description="Ids of neighbourhoods of the community; replaces the list."
    )
    organisation: Id | None = Field(
        None, description="Id of an organisation of the community; its members edit it."
    )
    latitude: StrictFloat | None = Field(
        None, ge=-90, le=90, allow_inf_nan=False, description="WGS 84; null with longitude."
    )
    longitude: StrictFloat | None = Field(
        None, ge=-180, le=180, allow_inf_nan=False, description="WGS 84; null with latitude."
    )
    area: dict[str, Any] | None = Field(
        None, description="A GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS 84)."
    )
    phase: Phase | None = None
    status: Status | None = None
    legal_form: LegalForm | None = None
    solutions: list[HeatSolution] | None = None
    project_role: Text | None = Field(None, description="A role (see ProjectRole), or empty.")
    households: StrictInt | None = Field(None, ge=0, le=2_147_483_647)
    website: Text | None = Field(None, max_length=200)
    contact_email: Text | None = Field(None, max_length=254)
    contact_public: StrictBool | None = None

    check_website = field_validator("website")(_check_website)
    check_email = field_validator("contact_email")(_check_email)
    check_unique = field_validator("solutions", "neighbourhoods")(_unique)

    @field_validator(*NOT_NULL, mode="before")
    @classmethod
    def check_not_null(cls, value: Any) -> Any:
        # Validators do not run for left-out fields, so None here was sent as null.
        if value is None:
            raise invalid(_("This field cannot be null."))
        return value

    @field_validator("name")
    @classmethod
    def check_name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise invalid(_("This field is required."))
        return value.strip() if value is not None else None

    @field_validator("project_role")
    @classmethod
    def check_project_role(cls, value: str | None) -> str | None:
        if value not in ("", None, *ProjectRole.values):
            raise invalid(
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(ProjectRole.values)}
            )
        return value

    @field_validator("area", mode="before")
    @classmethod
    def check_area(cls, value: Any) -> Any:
        return _check_area(value)


class IndicatorValueIn(InputSchema):
    """One figure (or, for a story indicator, a text) for one indicator in one year."""

    indicator_code: Text = Field(min_length=1, max_length=40, description="For example gas-saved.")
    year: StrictInt = Field(ge=1990, le=2100)
    value: Decimal | None = Field(
        None, ge=0, max_digits=16, decimal_places=2, description="For number indicators."
    )
    text: Text = Field("", max_length=4000, description="For value stories.")
    source: Text = Field("", max_length=300, description="Where the figure comes from.")


# -- GeoJSON --------------------------------------------------------------------------------


class GeoFilters(Schema):
    """Filters of the atlas, as query parameters."""

    phase: Phase | None = None
    status: Status | None = None
    solution: HeatSolution | None = None
    q: str | None = Field(None, max_length=100, description="Words in the name or pitch.")


class InitiativeFilters(GeoFilters):
    neighbourhood: QueryId | None = Field(None, description="Id of a neighbourhood.")


# GeoJSON is answered as application/geo+json; this is its schema in the OpenAPI document.
FEATURE_COLLECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 7946 FeatureCollection: one Point per initiative with a location.",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {
                                "type": "array",
                                "description": "[longitude, latitude] in WGS 84.",
                                "items": {"type": "number"},
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                    },
                    "properties": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "name": {"type": "string"},
                            "slug": {"type": "string"},
                            "community": {"type": "string"},
                            "phase": {"type": "string", "enum": list(Phase.values)},
                            "status": {"type": "string", "enum": list(Status.values)},
                            "solutions": {"type": "array", "items": {"type": "string"}},
                            "url": {"type": "string", "format": "uri"},
                        },
                    },
                },
            },
        },
    },
}
