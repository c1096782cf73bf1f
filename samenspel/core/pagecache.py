"""One shared, rendered copy of a public page for visitors who are not logged in.

Most readers of a public community are visitors, and they all see the same page. The
cache key holds a content version that goes up with every change (see
Community.content_version), so a cached copy is never stale and is never deleted: a
change simply makes new keys. That keeps it correct with any cache backend, also one
per process. A page is only stored when nothing personal went into it: no session, no
pending message, no CSRF token, no cookie set.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

VersionFunction = Callable[[HttpRequest, dict[str, Any]], str | None]
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
TIMEOUT = 60 * 60


def _is_anonymous_visit(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and "HTTP_AUTHORIZATION" not in request.META  # an API token is a person too
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
    )


def _is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # get_token() marks the request when a page used a CSRF token.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cache_for_visitors(version: VersionFunction) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Serve visitors a cached copy while `version(request, kwargs)` stays the same.

    `version` returns None when the page must not be shared (a private community).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _is_anonymous_visit(request):
                return view(request, *args, **kwargs)
            current = version(request, kwargs)
            if current is None:
                return view(request, *args, **kwargs)
            raw = "|".join(
                (
                    translation.get_language() or "",
                    request.get_full_path(),
                    request.headers.get("HX-Request", ""),
                    current,
                )
            )
            key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
            response = cache.get(key)
            if response is not None:
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if _is_shareable(request, response):
                response["X-Page-Cache"] = "miss"
                cache.set(key, response, TIMEOUT)
            return response

        return wrapper

    return decorator


def object_version(model: Any, label: str) -> VersionFunction:
    """The version of one object shown at /…/{id}: its public community's content version
    (None when the community is private or archived, so the page is not shared)."""

    def version(request: HttpRequest, kwargs: dict[str, Any]) -> str | None:
        found = (
            model.objects.filter(
                pk=kwargs["id"], community__is_public=True, community__archived_at__isnull=True
            )
            .values_list("community__content_version", flat=True)
            .first()
        )
        return None if found is None else f"{label}:{kwargs['id']}:{found}"

    return version


def dated(version: VersionFunction) -> VersionFunction:
    """The same version, per day: for pages that show ages in days ("waiting for 12 days"),
    so a shared copy never shows yesterday's ages."""

    def dated_version(request: HttpRequest, kwargs: dict[str, Any]) -> str | None:
        current = version(request, kwargs)
        return None if current is None else f"{current}@{timezone.localdate().isoformat()}"

    return dated_version


def versioned_count(key: str, count: Callable[[], int]) -> int:
    """`count()`, kept in this process's memory under `key`, which must hold the content
    version the count depends on (so a kept count is never stale): e.g. the number of a
    community's members that a paginated list shows on every page."""
    found = caches["versioned"].get(key)
    if found is None:
        found = count()
        caches["versioned"].set(key, found, TIMEOUT)
    return int(found)
