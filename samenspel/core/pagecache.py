"""Shared, rendered copies of pages: one for visitors, one per kind of member.

Most readers of a public community are visitors, and they all see the same page. The
cache key holds a content version that goes up with every change (see
Community.content_version), so a cached copy is never stale and is never deleted: a
change simply makes new keys. That keeps it correct with any cache backend, also one
per process. A page is only stored when nothing personal went into it: no session, no
pending message, no CSRF token, no cookie set.

Signed-in members share copies too (`cache_for_members`), per *audience*: everything
about the reader that the page depends on (their role, side and organisation in the
community, their relation to the signal on the page), written out by the page's audience
function. Two members with the same audience see the same page, except for what is
personal in every page's frame: the CSRF token and the unread count. Those are rendered
as placeholders into the shared copy and filled in per request. Whoever's page is
personal beyond that (a steward, a site administrator, someone who is not a member) gets
None as audience and a page rendered for them alone.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from samenspel.core.release import release

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
            key = _page_key("page:", request, current)
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


def _page_key(prefix: str, request: HttpRequest, current: str) -> str:
    raw = "|".join(
        (
            release(),  # a page of the release before may name static files that are gone
            translation.get_language() or "",
            request.get_full_path(),
            request.headers.get("HX-Request", ""),
            current,
        )
    )
    return prefix + hashlib.sha256(raw.encode()).hexdigest()


# Marks in a shared member page where this reader's own CSRF token and unread badge go.
# Derived from the secret key, so no text a member writes can contain them.
def _placeholder(name: str) -> str:
    return "ss-" + salted_hmac("samenspel.pagecache", name).hexdigest()[:32]


CSRF_PLACEHOLDER = SimpleLazyObject(lambda: _placeholder("csrf"))
UNREAD_PLACEHOLDER = SimpleLazyObject(lambda: _placeholder("unread"))


def shared_page_placeholders(request: HttpRequest) -> dict[str, object]:
    """Context processor: while a member page is rendered to be shared, the personal parts
    of the frame are placeholders (after Django's own csrf processor, so this one wins)."""
    if getattr(request, "_rendering_shared_page", False):
        return {
            "csrf_token": str(CSRF_PLACEHOLDER),
            "unread_badge": mark_safe(str(UNREAD_PLACEHOLDER)),  # noqa: S308 (our own text)
        }
    return {}


def _is_member_visit(request: HttpRequest) -> bool:
    return (
        settings.SHARED_MEMBER_PAGES
        and request.method in ("GET", "HEAD")
        and request.user.is_authenticated
        and "HTTP_AUTHORIZATION" not in request.META  # API tokens: rendered per request
        # A message waiting to be shown makes the page personal.
        and not request.COOKIES.get("messages")
        and "_messages" not in request.session
    )


def _personalise(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Fill this reader's CSRF token and unread badge into a shared member page."""
    from samenspel.accounts.models import User  # both sit above this module
    from samenspel.core.inbox import unread_badge

    content = response.content
    csrf = str(CSRF_PLACEHOLDER).encode()
    if csrf in content:
        content = content.replace(csrf, get_token(request).encode())
    unread = str(UNREAD_PLACEHOLDER).encode()
    if unread in content:
        user = request.user
        badge = unread_badge(user) if isinstance(user, User) else ""
        content = content.replace(unread, badge.encode())
    response.content = content
    return response


def cache_for_members(audience: VersionFunction) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Serve signed-in members a shared copy per audience (see the module's docstring).

    `audience(request, kwargs)` returns the content version and everything about the reader
    that the page shows or decides on, or None when the page is personal to this reader.
    Stack it under `cache_for_visitors`, which handles the visitors.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _is_member_visit(request):
                return view(request, *args, **kwargs)
            current = audience(request, kwargs)
            if current is None:
                return view(request, *args, **kwargs)
            key = _page_key("member-page:", request, current)
            # Never stale (the key holds the version): each process keeps its own copies.
            response = caches["versioned"].get(key)
            if response is not None:
                response["X-Page-Cache"] = "member-hit"
                return _personalise(request, response)
            request._rendering_shared_page = True  # type: ignore[attr-defined]
            try:
                response = view(request, *args, **kwargs)
            finally:
                request._rendering_shared_page = False  # type: ignore[attr-defined]
            if _is_shareable(request, response):
                response["X-Page-Cache"] = "member-miss"
                caches["versioned"].set(key, response, TIMEOUT)
            return _personalise(request, response)

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
