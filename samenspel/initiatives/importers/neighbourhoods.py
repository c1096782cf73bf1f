"""Neighbourhoods from a GeoJSON FeatureCollection in WGS 84, created or updated by name."""

import json
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.communities.versions import content_changed
from samenspel.core.spreadsheets import (
    MAX_BYTES,
    ImportReport,
    RowError,
    check_field,
    first_duplicate,
    parse_count,
)
from samenspel.initiatives.geojson import GeometryError, check_polygon
from samenspel.initiatives.importers import BATCH, check_may_import
from samenspel.initiatives.models import Neighbourhood

NAME_KEYS = ("name", "naam", "buurtnaam", "wijknaam")
HOMES_KEYS = ("homes", "woningen", "aantal_woningen")
WGS84_CRS = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "urn:ogc:def:crs:epsg::4326",
    "crs84",
    "wgs84",
    "wgs 84",
}


def _property(properties: dict[str, Any], keys: Iterable[str]) -> tuple[str, Any] | None:
    lowered = {str(key).lower(): (key, value) for key, value in properties.items()}
    for key in keys:
        if key in lowered:
            return lowered[key]
    return None


def _crs_problem(collection: dict[str, Any]) -> str | None:
    crs = collection.get("crs")
    if crs is None:
        return None
    name = ""
    if isinstance(crs, dict):
        props = crs.get("properties")
        name = str(props.get("name", "")) if isinstance(props, dict) else ""
    lowered = name.strip().lower()
    if lowered in WGS84_CRS or lowered.endswith(("crs84", ":4326")):
        return None
    code = re.search(r"(\d{4,5})\s*$", name)
    label = f"EPSG:{code.group(1)}" if code else (name or _("an unknown system"))
    message = _(
        "The file uses the coordinate system %(crs)s. Samenspel needs longitude/latitude in "
        "WGS 84 (EPSG:4326): export or convert the file to WGS 84 (for example in QGIS, "
        "'Export > Save Features As…' with CRS EPSG:4326) and upload it again."
    ) % {"crs": label}
    if code and code.group(1) == "28992":
        message += " " + _("EPSG:28992 is the Dutch RD New grid, in metres.")
    return message


def _looks_like_rd(geometry: Any) -> bool:
    """Coordinates in metres of the Dutch RD New grid rather than degrees."""
    try:
        coordinates = geometry["coordinates"]
        while isinstance(coordinates[0], list):
            coordinates = coordinates[0]
        x, y = coordinates[0], coordinates[1]
    except (KeyError, IndexError, TypeError):
        return False
    return isinstance(x, int | float) and -7000 <= x <= 300000 and 289000 <= y <= 629000


def _name_problem(name: str) -> str | None:
    try:
        check_field(Neighbourhood, "name", name)
    except RowError as error:
        return str(error)
    return None


def import_neighbourhoods(*, actor: User, community: Community, data: bytes) -> ImportReport:
    """Create or update neighbourhoods by name from a GeoJSON FeatureCollection in WGS 84.
    Each feature needs a name (name, naam, buurtnaam or wijknaam) and a Polygon or
    MultiPolygon; the number of homes (homes, woningen, aantal_woningen) is optional."""
    check_may_import(actor, community)
    report = ImportReport()
    if len(data) > MAX_BYTES:
        report.error(
            None,
            "",
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_BYTES // (1024 * 1024)},
        )
        return report
    try:
        collection = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.error(None, "", _("The file is not UTF-8 text. GeoJSON must be UTF-8."))
        return report
    except json.JSONDecodeError as error:
        report.error(
            None,
            "",
            _("This is not valid JSON (line %(line)s): %(error)s")
            % {"line": error.lineno, "error": error.msg},
        )
        return report
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        report.error(None, "type", _("The file must be a GeoJSON FeatureCollection."))
        return report
    crs_problem = _crs_problem(collection)
    if crs_problem:
        report.error(None, "crs", crs_problem)
        return report
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        report.error(None, "features", _("The FeatureCollection has no features."))
        return report

    existing = {n.name.lower(): n for n in Neighbourhood.objects.filter(community=community)}
    seen: dict[str, int] = {}
    planned: list[tuple[str, dict[str, Any], int | None, bool]] = []
    rd_features = 0
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            report.error(number, "type", _("This is not a GeoJSON Feature."))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        found = _property(properties, NAME_KEYS)
        name = str(found[1]).strip() if found and found[1] is not None else ""
        if not name:
            report.error(
                number,
                "name",
                _("The feature has no name (property name, naam, buurtnaam or wijknaam)."),
            )
        elif problem := _name_problem(name):
            report.error(number, "name", problem)
        else:
            first = first_duplicate(seen, name.lower(), number)
            if first is not None:
                report.error(
                    number,
                    "name",
                    _("The name “%(name)s” is also on feature %(feature)s.")
                    % {"name": name, "feature": first},
                )
        geometry = feature.get("geometry")
        area: dict[str, Any] = {}
        try:
            area = check_polygon(geometry)
        except GeometryError as error:
            message = str(error)
            if _looks_like_rd(geometry):
                rd_features += 1
                message += " " + _(
                    "These look like RD New (EPSG:28992) metres; convert the file to WGS 84."
                )
            report.error(number, "geometry", message)
        homes: int | None = None
        homes_given = False
        found = _property(properties, HOMES_KEYS)
        if found is not None and found[1] not in (None, ""):
            homes_given = True
            key, raw = found
            try:
                if isinstance(raw, bool):
                    raise RowError(_("“%(text)s” is not a whole number.") % {"text": raw})
                homes = parse_count(str(raw), decimal_comma=False)
            except RowError as error:
                report.error(number, str(key), str(error))
        planned.append((name, area, homes, homes_given))
    if rd_features:
        report.notices.append(
            _(
                "Coordinates in metres were found: the file seems to use the Dutch RD New grid "
                "(EPSG:28992). Samenspel needs longitude/latitude in WGS 84 (EPSG:4326)."
            )
        )
    if not report.ok:
        return report

    to_create: list[Neighbourhood] = []
    to_update: list[Neighbourhood] = []
    for name, area, homes, homes_given in planned:
        neighbourhood = existing.get(name.lower())
        if neighbourhood is None:
            to_create.append(Neighbourhood(community=community, name=name, area=area, homes=homes))
            continue
        new_homes = homes if homes_given else neighbourhood.homes
        if (neighbourhood.name, neighbourhood.area, neighbourhood.homes) == (
            name,
            area,
            new_homes,
        ):
            report.unchanged += 1
            continue
        neighbourhood.name, neighbourhood.area, neighbourhood.homes = name, area, new_homes
        to_update.append(neighbourhood)

    now = timezone.now()
    with transaction.atomic():
        if to_create:
            bulk_create_with_history(
                to_create, Neighbourhood, batch_size=BATCH, default_user=actor, default_date=now
            )
        if to_update:
            bulk_update_with_history(
                to_update,
                Neighbourhood,
                ["name", "area", "homes"],
                batch_size=BATCH,
                default_user=actor,
                default_date=now,
            )
        if to_create or to_update:
            content_changed(community.pk)
    report.created, report.updated = len(to_create), len(to_update)
    return report
