"""What every API router shares: authentication, camelCase schemas, pagination, problems."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase, paginate
from ninja.security import HttpBearer, django_auth
from pydantic import ConfigDict
from pydantic.alias_generators import to_camel

from samenspel.accounts.models import ApiToken
from samenspel.core.pagecache import VersionFunction, cache_for_visitors


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <personal API token>`. A wrong token is refused, never ignored."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is None:
            raise AuthenticationError(401, "The API token is not valid or has been revoked.")
        request.user = user
        return user


def anonymous(request: HttpRequest) -> Any:
    """Lets a read endpoint answer without login; it then shows public data only."""
    request.user = AnonymousUser()
    return "anonymous"


bearer_auth = BearerAuth()
# Session auth (ninja's django_auth) checks the CSRF token on unsafe methods.
LOGIN_REQUIRED = [bearer_auth, django_auth]
LOGIN_OPTIONAL = [bearer_auth, django_auth, anonymous]


class CamelSchema(Schema):
    """Properties in lowerCamelCase on the wire (NL API Design Rules), snake_case in Python.

    Output is read from models and dicts by field name only. Trying the camelCase alias
    first fails on a model, and ninja then falls back to Django's template lookup, which
    calls dir() on the instance: for every camelCase property of every row (~1 ms per page
    of 20 communities).
    """

    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=True, validate_by_alias=False
    )


class InputSchema(CamelSchema):
    """Input refuses unknown properties, so a typo is an error instead of silently ignored."""

    # Only the documented camelCase names: `is_public` is an unknown property, not a synonym.
    model_config = ConfigDict(
        alias_generator=to_camel, validate_by_name=False, validate_by_alias=True, extra="forbid"
    )


class PageNumber(PaginationBase):
    """`?page=N&pageSize=M` (pageSize ≤ 200), answered as `{"items": […], "count": N}`."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            20, ge=1, le=200, alias="pageSize", description="Items per page, at most 200."
        )

    class Output(Schema):
        items: list[Any]
        count: int

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        offset = (pagination.page - 1) * pagination.page_size
        return {
            "items": list(queryset[offset : offset + pagination.page_size]),
            "count": queryset.count(),
        }


def require_login(request: HttpRequest) -> None:
    if not request.user.is_authenticated:
        raise HttpError(401, "Log in or send a personal API token.")


class Rows:
    """Turns a queryset into API rows lazily, so pagination still slices in the database."""

    def __init__(self, queryset: Any, shape: Callable[[Any], dict[str, Any]]) -> None:
        self.queryset = queryset
        self.shape = shape

    def count(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.shape(row) for row in self.queryset[window]]


def shared_list(
    router: Router, path: str, item: Any, *, summary: str, version: VersionFunction, **options: Any
) -> Callable[[Callable[..., Any]], Any]:
    """A paginated list anyone who may see it reads (GET, LOGIN_OPTIONAL, camelCase), that
    visitors share as one cached copy while `version` stays the same. The view returns a
    queryset or `Rows`."""

    def decorator(view: Callable[..., Any]) -> Any:
        listed = paginate(PageNumber)(decorate_view(cache_for_visitors(version))(view))
        return router.get(
            path,
            response=list[item],
            auth=LOGIN_OPTIONAL,
            by_alias=True,
            summary=summary,
            **options,
        )(listed)

    return decorator


def invalid(problems: list[tuple[str, str]]) -> None:
    """Report every problem found after the schema's own checks as one 400."""
    if problems:
        raise ValidationError([{"loc": ("body", name), "msg": reason} for name, reason in problems])
