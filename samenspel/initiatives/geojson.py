"""GeoJSON (RFC 7946) in and out: checking shapes people paste or upload, and building
FeatureCollections of initiatives for maps and GIS tools."""

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

POLYGON_TYPES = {"Polygon", "MultiPolygon"}


class GeometryError(ValueError):
    pass


def _check_position(position: Any) -> None:
    if not isinstance(position, list) or len(position) < 2:
        raise GeometryError(_("A position must be [longitude, latitude]."))
    lon, lat = position[0], position[1]
    if not all(isinstance(v, int | float) for v in (lon, lat)):
        raise GeometryError(_("Coordinates must be numbers."))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError(
            _("Coordinate %(lon)s, %(lat)s is not longitude/latitude in WGS 84 (EPSG:4326).")
            % {"lon": lon, "lat": lat}
        )


def _check_ring(ring: Any) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise GeometryError(_("A polygon ring needs at least four positions."))
    for position in ring:
        _check_position(position)
    if ring[0][:2] != ring[-1][:2]:
        raise GeometryError(_("A polygon ring must end where it starts."))


def check_polygon(geometry: Any) -> dict[str, Any]:
    """A valid Polygon or MultiPolygon geometry, or GeometryError saying what is wrong."""
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except json.JSONDecodeError as error:
            raise GeometryError(_("This is not valid JSON.")) from error
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        raise GeometryError(_("The shape must be a GeoJSON Polygon or MultiPolygon."))
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise GeometryError(_("The shape has no coordinates."))
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise GeometryError(_("The shape has no coordinates."))
        for ring in polygon:
            _check_ring(ring)
    return {"type": geometry["type"], "coordinates": coordinates}


def point(longitude: Decimal | None, latitude: Decimal | None) -> dict[str, Any] | None:
    if longitude is None or latitude is None:
        return None
    return {"type": "Point", "coordinates": [float(longitude), float(latitude)]}


def feature_collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}
