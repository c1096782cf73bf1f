"""API router for initiatives: the atlas, registering and editing, their figures, and GeoJSON
for maps and GIS tools. Same permission helpers and services as the web pages, so web and
API never disagree about who may see or change what."""

import gzip
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from samenspel.communities.models import Community
from samenspel.communities.services import CommunityError
from samenspel.communities.views import community_version
from samenspel.core.api import (
    LOGIN_OPTIONAL,
    LOGIN_REQUIRED,
    Id,
    Rows,
    invalid,
    shared_list,
)
from samenspel.core.pagecache import TIMEOUT, cache_for_visitors, object_version
from samenspel.initiatives import permissions, services
from samenspel.initiatives.choices import IndicatorKind
from samenspel.initiatives.models import (
    Indicator,
    IndicatorValue,
    Initiative,
    InitiativeQuerySet,
    Neighbourhood,
)
from samenspel.initiatives.schemas import (
    FEATURE_COLLECTION_SCHEMA,
    GeoFilters,
    IndicatorValueIn,
    IndicatorValueOut,
    InitiativeDetailOut,
    InitiativeFilters,
    InitiativeIn,
    InitiativeIndicatorsOut,
    InitiativeOut,
    InitiativePatch,
    to_coordinate,
)

router = Router(tags=["initiatives"])

GEOJSON = "application/geo+json"
GEOJSON_RESPONSE = {
    "responses": {
        200: {
            "description": "An RFC 7946 FeatureCollection (application/geo+json).",
            "content": {GEOJSON: {"schema": FEATURE_COLLECTION_SCHEMA}},
        },
        304: {"description": "Not modified since the ETag sent in If-None-Match."},
    }
}


# -- fetching and shaping ---------------------------------------------------------------------


initiative_version = object_version(Initiative, "initiative")


def page_url() -> Callable[[str, str], str]:
    """The absolute, language-neutral URL of an initiative's page, without a reverse() per row."""
    with translation.override(settings.LANGUAGE_CODE):
        pattern = reverse("initiative", args=["community-slug", "initiative-slug"])
    base = settings.SITE_URL.rstrip("/") + pattern
    before, _middle, after = base.partition("community-slug")
    middle, _slug, end = after.partition("initiative-slug")
    return lambda community, slug: f"{before}{community}{middle}{slug}{end}"


def _organisation(initiative: Initiative) -> dict[str, Any] | None:
    organisation = initiative.organisation
    if organisation is None:
        return None
    return {"id": organisation.pk, "name": organisation.name, "kind": organisation.kind}


def initiative_data(
    initiative: Initiative, *, user: Any, url: Callable[[str, str], str]
) -> dict[str, Any]:
    """The fields of InitiativeOut. Neighbourhoods should be prefetched."""
    community = initiative.community
    return {
        "id": initiative.pk,
        "slug": initiative.slug,
        "name": initiative.name,
        "community": community.slug,
        "organisation": _organisation(initiative),
        "pitch": initiative.pitch,
        "phase": initiative.phase,
        "status": initiative.status,
        "legal_form": initiative.legal_form,
        "solutions": list(initiative.solutions or []),
        "project_role": initiative.project_role,
        "households": initiative.households,
        "neighbourhoods": [{"id": n.pk, "name": n.name} for n in initiative.neighbourhoods.all()],
        "latitude": None if initiative.latitude is None else float(initiative.latitude),
        "longitude": None if initiative.longitude is None else float(initiative.longitude),
        "website": initiative.website,
        "contact_email": (
            initiative.contact_email
            if initiative.contact_email and permissions.can_see_contact(user, initiative)
            else None
        ),
        "is_example": initiative.is_example,
        "created_at": initiative.created_at,
        "updated_at": initiative.updated_at,
        "url": url(community.slug, initiative.slug),
    }


def initiative_detail(user: Any, initiative: Initiative) -> dict[str, Any]:
    can_edit = permissions.can_edit_initiative(user, initiative)
    return {
        **initiative_data(initiative, user=user, url=page_url()),
        "story": initiative.story,
        "area": initiative.area,
        "contact_public": initiative.contact_public,
        "review": initiative.review,
        "review_note": initiative.review_note if can_edit else None,
    }


def _neighbourhood_names() -> Prefetch:
    return Prefetch("neighbourhoods", queryset=Neighbourhood.objects.only("pk", "name"))


def _initiative_rows(initiatives: InitiativeQuerySet, user: Any, community: Community) -> Rows:
    url = page_url()

    def row(initiative: Initiative) -> dict[str, Any]:
        initiative.community = community  # one community: no join, no query per row
        return initiative_data(initiative, user=user, url=url)

    return Rows(initiatives, row)


def filter_initiatives(initiatives: InitiativeQuerySet, filters: GeoFilters) -> InitiativeQuerySet:
    initiatives = initiatives.search(filters.q or "")
    if filters.phase:
        initiatives = initiatives.filter(phase=filters.phase)
    if filters.status:
        initiatives = initiatives.filter(status=filters.status)
    if filters.solution:
        initiatives = initiatives.with_solution(filters.solution)
    neighbourhood = getattr(filters, "neighbourhood", None)
    if neighbourhood is not None:
        initiatives = initiatives.filter(neighbourhoods__pk=neighbourhood)
    return initiatives


def _neighbourhoods(
    community: Community, ids: list[int], problems: list[tuple[str, str]]
) -> list[Neighbourhood]:
    found = list(Neighbourhood.objects.filter(community=community, pk__in=ids))
    unknown = sorted(set(ids) - {n.pk for n in found})
    if unknown:
        problems.append(
            (
                "neighbourhoods",
                _("No neighbourhood of this community has the id %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in unknown)},
            )
        )
    return found


def _check_pair(latitude: object, longitude: object, problems: list[tuple[str, str]]) -> None:
    if (latitude is None) != (longitude is None):
        name = "longitude" if longitude is None else "latitude"
        problems.append((name, _("Give both latitude and longitude, or neither.")))


# -- the atlas, registering, one initiative -------------------------------------------------


@shared_list(
    router,
    "/communities/{slug}/initiatives",
    InitiativeOut,
    summary="The initiatives listed in a community's atlas",
    version=community_version,
)
def list_initiatives(request: HttpRequest, slug: str, filters: Query[InitiativeFilters]):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    initiatives = filter_initiatives(
        permissions.get_initiatives_for_user(request.user, community), filters
    )
    initiatives = initiatives.select_related("organisation").prefetch_related(
        _neighbourhood_names()
    )
    return _initiative_rows(initiatives.order_by("name", "pk"), request.user, community)


@router.post(
    "/communities/{slug}/initiatives",
    response={201: InitiativeDetailOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Register an initiative (a steward reviews it before it is listed)",
)
def register_initiative(request: HttpRequest, slug: str, payload: InitiativeIn):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    if not permissions.can_register_initiative(request.user, community):
        raise PermissionDenied(_("You may not register initiatives here."))
    fields = payload.model_dump(mode="json")
    problems: list[tuple[str, str]] = []
    neighbourhoods = _neighbourhoods(community, fields.pop("neighbourhoods"), problems)
    _check_pair(fields["latitude"], fields["longitude"], problems)
    invalid(problems)
    fields["latitude"] = to_coordinate(fields["latitude"])
    fields["longitude"] = to_coordinate(fields["longitude"])
    initiative = services.register_initiative(
        actor=request.user,  # type: ignore[arg-type]
        community=community,
        neighbourhoods=neighbourhoods,
        **fields,
    )
    return Status(201, initiative_detail(request.user, _reloaded(initiative.pk)))


def _reloaded(pk: int) -> Initiative:
    return Initiative.objects.select_related("community", "organisation").get(pk=pk)


def _etag(initiative: Initiative) -> str:
    return f'"{initiative.pk}-{services.latest_version(initiative) or 0}"'


@router.get(
    "/initiatives/{int:id}",
    response=InitiativeDetailOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="One initiative",
    description=(
        "The ETag header names this version; send it back as If-Match with a PATCH so that "
        "you do not overwrite a change someone else made in the meantime."
    ),
)
@decorate_view(cache_for_visitors(initiative_version))
def get_initiative(request: HttpRequest, id: Id, response: HttpResponse):  # type: ignore[no-untyped-def]
    initiative = permissions.get_initiative_for_user(request.user, pk=id)
    response["ETag"] = _etag(initiative)
    return initiative_detail(request.user, initiative)


@router.patch(
    "/initiatives/{int:id}",
    response=InitiativeDetailOut,
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Change an initiative (its own members and the stewards)",
    description=(
        "Only the fields sent change. With If-Match (the ETag of GET), a change made by "
        "someone else in the meantime is refused with 412 instead of overwritten."
    ),
)
def update_initiative(  # type: ignore[no-untyped-def]
    request: HttpRequest, id: Id, payload: InitiativePatch, response: HttpResponse
):
    initiative = permissions.get_initiative_for_user(request.user, pk=id)
    if_match = request.headers.get("If-Match", "").strip()
    seen_version = None
    if if_match and if_match != "*":
        seen_version = _version_of(if_match, initiative)
    changes = payload.model_dump(mode="json", exclude_unset=True)
    community = initiative.community
    problems: list[tuple[str, str]] = []
    neighbourhoods = None
    if "neighbourhoods" in changes:
        neighbourhoods = _neighbourhoods(community, changes.pop("neighbourhoods"), problems)
    if "organisation" in changes:
        organisation_id = changes["organisation"]
        if (
            organisation_id is not None
            and not community.organisations.filter(pk=organisation_id).exists()
        ):
            problems.append(("organisation", _("No organisation of this community has this id.")))
    for name in ("latitude", "longitude"):
        if name in changes:
            changes[name] = to_coordinate(changes[name])
    _check_pair(
        changes.get("latitude", initiative.latitude),
        changes.get("longitude", initiative.longitude),
        problems,
    )
    invalid(problems)
    try:
        services.change_initiative(
            actor=request.user,  # type: ignore[arg-type]
            initiative=initiative,
            fields=changes,
            neighbourhoods=neighbourhoods,
            seen_version=seen_version,
        )
    except CommunityError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        if error.status == 412:
            raise HttpError(412, error.message) from error
        raise
    response["ETag"] = _etag(initiative)
    return initiative_detail(request.user, initiative)


def _version_of(if_match: str, initiative: Initiative) -> int:
    """The history id an If-Match names; a tag of another initiative or shape names none
    (-1), so the change is refused as made on another version."""
    prefix = f'"{initiative.pk}-'
    number = if_match.removeprefix(prefix).removesuffix('"')
    if if_match.startswith(prefix) and if_match.endswith('"') and number.isdigit():
        return int(number)
    return -1


# -- figures ----------------------------------------------------------------------------------


def _value_data(record: IndicatorValue) -> dict[str, Any]:
    return {
        "year": record.year,
        "value": None if record.value is None else float(record.value),
        "text": record.text,
        "source": record.source,
        "entered_at": record.entered_at,
    }


@router.get(
    "/initiatives/{int:id}/indicators",
    response=InitiativeIndicatorsOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="An initiative's figures per indicator and year, with the CO₂ it avoided",
)
@decorate_view(cache_for_visitors(initiative_version))
def list_indicator_values(request: HttpRequest, id: Id):  # type: ignore[no-untyped-def]
    initiative = permissions.get_initiative_for_user(request.user, pk=id)
    community = initiative.community
    values: dict[int, list[dict[str, Any]]] = {}
    for record in IndicatorValue.objects.filter(initiative=initiative).order_by("year"):
        values.setdefault(record.indicator_id, []).append(_value_data(record))
    indicators = [
        {
            "code": indicator.code,
            # Default names and units are stored as English source text (see defaults.py)
            # and read in the API's language, as on the web pages; the code stays the same.
            "name": _(indicator.name) if indicator.name else "",
            "unit": _(indicator.unit) if indicator.unit else "",
            "kind": indicator.kind,
            "values": values.get(indicator.pk, []),
        }
        for indicator in Indicator.objects.filter(community=community)
    ]
    co2 = [
        {
            "year": totals.year,
            "gas_saved": (
                float(totals.values[services.GAS_SAVED])
                if services.GAS_SAVED in totals.values
                else None
            ),
            "co2_kg": None if totals.co2_kg is None else int(totals.co2_kg),
        }
        for totals in services.yearly_totals(community, initiative=initiative)
    ]
    return {"indicators": indicators, "co2_per_year": co2}


@router.post(
    "/initiatives/{int:id}/indicators",
    response={200: IndicatorValueOut, 201: IndicatorValueOut},
    auth=LOGIN_REQUIRED,
    by_alias=True,
    summary="Enter or correct an initiative's figure for one year (201 new, 200 corrected)",
)
def record_indicator_value(request: HttpRequest, id: Id, payload: IndicatorValueIn):  # type: ignore[no-untyped-def]
    initiative = permissions.get_initiative_for_user(request.user, pk=id)
    if not permissions.can_edit_initiative(request.user, initiative):
        # Before reading the body, so an outsider learns nothing about the indicators.
        raise PermissionDenied(
            _("Only the initiative's own members and the stewards enter figures.")
        )
    community = initiative.community
    indicator = Indicator.objects.filter(community=community, code=payload.indicator_code).first()
    problems: list[tuple[str, str]] = []
    if indicator is None:
        codes = Indicator.objects.filter(community=community).values_list("code", flat=True)
        problems.append(
            (
                "indicatorCode",
                _("This community has no such indicator. Known codes: %(codes)s.")
                % {"codes": ", ".join(codes)},
            )
        )
    elif indicator.kind == IndicatorKind.STORY:
        if payload.value is not None:
            problems.append(("value", _("A value story has no figure; write it as text.")))
        if not payload.text.strip():
            problems.append(("text", _("Write the story for this indicator.")))
    else:
        if payload.value is None:
            problems.append(("value", _("Give the figure for this indicator.")))
        if payload.text.strip():
            problems.append(("text", _("A number indicator has no story; use source for a note.")))
    invalid(problems)
    assert indicator is not None  # for the type checker: invalid() raised otherwise
    existed = IndicatorValue.objects.filter(
        initiative=initiative, indicator=indicator, year=payload.year
    ).exists()
    record = services.record_value(
        actor=request.user,  # type: ignore[arg-type]
        initiative=initiative,
        indicator=indicator,
        year=payload.year,
        value=payload.value,
        text=payload.text.strip(),
        source=payload.source.strip(),
    )
    return Status(
        200 if existed else 201, {"indicator_code": indicator.code, **_value_data(record)}
    )


# -- GeoJSON ----------------------------------------------------------------------------------


def geojson_body(initiatives: InitiativeQuerySet) -> bytes:
    """An RFC 7946 FeatureCollection of the initiatives with a location, in one query."""
    url = page_url()
    rows = (
        initiatives.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "name",
            "slug",
            "community__slug",
            "phase",
            "status",
            "solutions",
            "longitude",
            "latitude",
        )
    )
    features = [
        {
            "type": "Feature",
            "id": pk,
            # RFC 7946: [longitude, latitude] in WGS 84, and no "crs" member.
            "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},  # type: ignore[arg-type]
            "properties": {
                "id": pk,
                "name": name,
                "slug": slug,
                "community": community,
                "phase": phase,
                "status": status,
                "solutions": solutions or [],
                "url": url(community, slug),
            },
        }
        for pk, name, slug, community, phase, status, solutions, lon, lat in rows
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


def accepts_gzip(request: HttpRequest) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _sep, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.replace(" ", "").removeprefix("q=")
            return quality not in ("0", "0.0", "0.00", "0.000")
    return False


def geojson_response(
    request: HttpRequest, scope: str, initiatives: InitiativeQuerySet, filters: GeoFilters
) -> HttpResponse:
    """The GeoJSON is the same for everyone who may see it, so one copy per content version
    serves visitors and members alike; a change makes a new version, hence a new key.

    The copy is kept gzipped too (about a tenth of the size): browsers and GIS tools ask for
    it, and the national map is large enough for that to matter.
    """
    source = scope + "|" + json.dumps(filters.model_dump(mode="json"), sort_keys=True)
    digest = hashlib.sha256(source.encode()).hexdigest()
    gzipped = accepts_gzip(request)
    # Each encoding is its own representation, with its own ETag (RFC 9110 8.8.3).
    etag = f'"{digest[:32]}-gzip"' if gzipped else f'"{digest[:32]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        key = "initiatives-geojson:" + digest
        copies = cache.get(key)
        if copies is None:
            body = geojson_body(filter_initiatives(initiatives, filters))
            copies = (body, gzip.compress(body, compresslevel=6, mtime=0))
            cache.set(key, copies, TIMEOUT)
        response = HttpResponse(copies[1] if gzipped else copies[0], content_type=GEOJSON)
        if gzipped:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding"
    return response


@router.get(
    "/communities/{slug}/initiatives.geojson",
    auth=LOGIN_OPTIONAL,
    summary="The initiatives of a community's atlas as GeoJSON",
    description="Initiatives without a location are left out. Takes the filters of the list.",
    openapi_extra=GEOJSON_RESPONSE,
)
def community_geojson(request: HttpRequest, slug: str, filters: Query[InitiativeFilters]):  # type: ignore[no-untyped-def]
    community = permissions.get_community_for_user(request.user, slug)
    scope = f"community:{community.pk}:{community.content_version}"
    # Listed initiatives only, never per person: one cached copy serves everyone who may
    # see the community.
    initiatives = Initiative.objects.filter(community=community).listed()
    return geojson_response(request, scope, initiatives, filters)


@router.get(
    "/initiatives/map.geojson",
    auth=LOGIN_OPTIONAL,
    summary="Every listed initiative of the public communities as GeoJSON",
    description="Initiatives without a location are left out. Takes the filters of the atlas.",
    openapi_extra=GEOJSON_RESPONSE,
)
def national_geojson(request: HttpRequest, filters: Query[GeoFilters]):  # type: ignore[no-untyped-def]
    initiatives = Initiative.objects.listed().filter(
        community__is_public=True, community__archived_at__isnull=True
    )
    scope = "national:" + Community.objects.catalogue_version()
    return geojson_response(request, scope, initiatives, filters)


# The path before 1.1 (not kebab-case by the NL API Design Rules), kept for the maps and GIS
# layers that use it; left out of the document.
router.get(
    "/initiatives.geojson",
    auth=LOGIN_OPTIONAL,
    include_in_schema=False,
    operation_id="national_geojson_old_path",
)(national_geojson)
