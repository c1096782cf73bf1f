"""The address of the site, for links that leave it (emails, inbox items, exports).

While a request is being answered, links point at the server that answers it — the host
and port the person used, also under `make run` on another port. Outside a request (the
worker's periodic jobs) they point at `SITE_URL`."""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_current: ContextVar[str | None] = ContextVar("site_url", default=None)


def site_url() -> str:
    """The site's address without a trailing slash, e.g. "http://127.0.0.1:8001"."""
    return _current.get() or settings.SITE_URL.rstrip("/")


def absolute(path_or_url: str) -> str:
    """A link anyone can follow from an email: a path becomes an address on this site."""
    if not path_or_url or "://" in path_or_url:
        return path_or_url
    return site_url() + path_or_url


class SiteUrlMiddleware:
    """Remember the address the request came in on (the host Django already validated
    against ALLOWED_HOSTS) while it is answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            base = request.build_absolute_uri("/").rstrip("/")
        except Exception:  # DisallowedHost: Django answers it with a 400 further on
            return self.get_response(request)
        token = _current.set(base)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
