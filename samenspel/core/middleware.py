"""Conventions of the NL API Design Rules that hold for every response under /api/."""

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from samenspel.core.problems import API_VERSION, problem_response

API_PREFIX = "/api/"


class ApiConventionsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX):
            return response
        # Django answers unknown API paths (trailing slashes included) with an HTML 404 page;
        # API clients get problem details instead.
        if response.status_code in (404, 405) and not response.get("Content-Type", "").startswith(
            ("application/json", "application/problem+json")
        ):
            response = problem_response(response.status_code, detail=None)
        response["API-Version"] = API_VERSION
        if request.path.endswith("/openapi.json"):
            response["Access-Control-Allow-Origin"] = "*"
        return response


def json_body(request: HttpRequest) -> object:
    return json.loads(request.body or b"null")
