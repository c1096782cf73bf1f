"""Whether the code running now serves a read-only request (GET or HEAD).

A read-only request may take what depends on a community's content version from a cache:
the community row it loaded in this same request carries the current version, and nothing
a GET does changes that version (no writes on GET). A write reads the database: its
community object may be older than the change it is making.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_read_only: ContextVar[bool] = ContextVar("samenspel_read_only_request", default=False)


def read_only_request() -> bool:
    return _read_only.get()


class ReadOnlyRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _read_only.set(request.method in ("GET", "HEAD"))
        try:
            return self.get_response(request)
        finally:
            _read_only.reset(token)
