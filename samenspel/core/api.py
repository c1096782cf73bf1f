"""What every API router shares: authentication, camelCase schemas, bounded input types,
pagination, problems."""

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Annotated, Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PaginationBase, paginate
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
)
from pydantic.alias_generators import to_camel

from samenspel.accounts.models import ApiToken
from samenspel.core.pagecache import VersionFunction, cache_for_members, cache_for_visitors
from samenspel.core.problems import nul_reason


class BearerAuth(HttpBearer):
    """`Authorization: Bearer <personal API token>`. A wrong token is refused, never ignored."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is None:
            raise AuthenticationError(401, "The API token is not valid or has been revoked.")
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser session; unsafe methods need its CSRF token, as on the web pages.

    Without a logged-in session this method does not apply at all, so an anonymous write
    hears 401 with a Bearer challenge ("log in or send a token") instead of a CSRF failure.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def anonymous(request: HttpRequest) -> Any:
    """Lets a read endpoint answer without login; it then shows public data only."""
    request.user = AnonymousUser()
    return "anonymous"


bearer_auth = BearerAuth()
session_auth = SessionAuth()
LOGIN_REQUIRED = [bearer_auth, session_auth]
LOGIN_OPTIONAL = [bearer_auth, session_auth, anonymous]


# -- bounded input types ------------------------------------------------------------------
# Every number and text the API accepts fits what the database holds, so that no input can
# reach the database and fail there (a 500): it is a 400 that names the parameter instead.

MAX_ID = 2**63 - 1  # the largest value of a 64-bit primary key (PostgreSQL bigint, SQLite)
MAX_PAGE = 2**31 - 1  # page × pageSize stays well inside the database's OFFSET

Id = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
"""The id of an object: in paths, in id lists and in fields naming one object. A JSON number,
never a string or a float that happens to be whole (as every integer and boolean in a body:
StrictInt, StrictBool)."""

QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
"""The id of an object in a query string (where every value is text)."""


def _timestamp_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("Give a date and time as text, such as 2026-12-14T19:30:00+01:00.")
    return value


def _plausible_year(value: datetime) -> datetime:
    if not 1900 <= value.year <= 9000:
        raise ValueError("Give a year between 1900 and 9000.")
    return value


Timestamp = Annotated[
    AwareDatetime, BeforeValidator(_timestamp_text), AfterValidator(_plausible_year)
]
"""A moment in a body: ISO 8601 text with its time zone (a number or a time without zone
is refused), in a range every database and calendar holds."""

Text = Annotated[str, StringConstraints(strip_whitespace=True)]
"""Text as the web forms take it: leading and trailing whitespace removed before its length
is checked, so a required text of spaces only is refused, never stored empty. NUL
characters are refused for every text by the parser (see JsonParser)."""


class UnsupportedMediaType(Exception):
    """A request body that is not JSON (answered 415)."""

    def __init__(self, media_type: str) -> None:
        super().__init__(media_type)
        self.media_type = media_type


class InvalidBody(Exception):
    """A JSON body with characters no text may hold (answered 400 with invalidParams)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("invalid body")
        self.errors = errors


def _nul_locations(value: Any, location: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, str):
        if "\x00" in value:
            yield location
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                yield (*location, key)
            yield from _nul_locations(item, (*location, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_locations(item, (*location, index))


def is_json(media_type: str) -> bool:
    media_type = media_type.lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


class JsonParser(Parser):
    """Request bodies are JSON, said so by their Content-Type (else 415); no text in a body
    or a query holds a NUL character (PostgreSQL refuses them), else 400."""

    def parse_body(self, request: HttpRequest) -> Any:
        # ninja turns any exception here into a 400; the API's HttpError handler answers by
        # the cause (samenspel/api.py).
        if not is_json(request.content_type or ""):
            raise UnsupportedMediaType(request.content_type or "")
        data = json.loads(request.body)
        errors = [{"loc": ("body", *loc), "msg": nul_reason()} for loc in _nul_locations(data)]
        if errors:
            raise InvalidBody(errors)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        errors = [
            {"loc": ("query", key), "msg": nul_reason()}
            for key, values in data.lists()
            if "\x00" in key or any("\x00" in str(value) for value in values)
        ]
        if errors:
            raise ValidationError(errors)
        return super().parse_querydict(data, list_fields, request)


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
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
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

    def __init__(
        self,
        queryset: Any,
        shape: Callable[[Any], dict[str, Any]],
        count: Callable[[], int] | None = None,
    ) -> None:
        self.queryset = queryset
        self.shape = shape
        self.counter = count or queryset.count  # e.g. pagecache.versioned_count

    def count(self) -> int:
        return int(self.counter())

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.shape(row) for row in self.queryset[window]]


def shared_list(
    router: Router,
    path: str,
    item: Any,
    *,
    summary: str,
    version: VersionFunction,
    audience: VersionFunction | None = None,
    **options: Any,
) -> Callable[[Callable[..., Any]], Any]:
    """A paginated list anyone who may see it reads (GET, LOGIN_OPTIONAL, camelCase), that
    visitors share as one cached copy while `version` stays the same, and signed-in members
    one per `audience` (core/pagecache.cache_for_members). The view returns a queryset or
    `Rows`."""

    def decorator(view: Callable[..., Any]) -> Any:
        if audience is not None:
            view = decorate_view(cache_for_members(audience))(view)
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
