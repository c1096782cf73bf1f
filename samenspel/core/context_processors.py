"""Template context every page may need."""

from django.conf import settings
from django.http import HttpRequest


def maps(request: HttpRequest) -> dict[str, str]:
    return {
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
