"""Conventions of the NL API Design Rules that hold for every response under /api/."""

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from samenspel.core.problems import API_VERSION, nul_reason, problem_response

API_PREFIX = "/api/"
# Headers an error answer keeps when it is rewritten as problem details.
KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


class ApiConventionsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        # Django answers unknown API paths (trailing slashes included) with an HTML 404 page,
        # a method the path does not have with a bare 405, an error outside the API's own
        # handlers with an HTML 500: API clients get problem details instead.
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            ("application/json", "application/problem+json")
        ):
            problem = problem_response(response.status_code, detail=None)
            for header in KEPT_HEADERS:
                if header in response:
                    problem[header] = response[header]
            response = problem
        response["API-Version"] = API_VERSION
        if request.path.endswith("/openapi.json"):
            response["Access-Control-Allow-Origin"] = "*"
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        """A NUL character in a path parameter is refused before any view looks it up
        (PostgreSQL refuses them in queries); the API's parser does so for queries and
        bodies."""
        if not request.path.startswith(API_PREFIX) or "\x00" not in request.path:
            return None
        names = [name for name, value in view_kwargs.items() if "\x00" in str(value)]
        reason = nul_reason()
        return problem_response(
            400,
            detail="The request has invalid parameters.",
            code="invalid-params",
            invalidParams=[{"name": name, "reason": reason} for name in names or ["path"]],
        )


def json_body(request: HttpRequest) -> object:
    return json.loads(request.body or b"null")
