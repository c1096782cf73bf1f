"""The REST API at /api/v1/, following the NL API Design Rules (see docs/api.md)."""

import json
import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

from samenspel.accords.api import router as accords_router
from samenspel.communities.api import router as communities_router
from samenspel.communities.services import CommunityError
from samenspel.core.api import (
    InvalidBody,
    JsonParser,
    UnsupportedMediaType,
    anonymous,
)
from samenspel.core.problems import API_VERSION, PROBLEM_JSON, problem_response
from samenspel.council.api import router as council_router
from samenspel.initiatives.api import router as initiatives_router
from samenspel.learning.api import router as learning_router
from samenspel.learning.api_conversation import router as conversation_router
from samenspel.learning.api_similar import router as similar_router
from samenspel.practice.api import router as practice_router
from samenspel.work.api import router as work_router
from samenspel.workshops.api import router as workshops_router

DESCRIPTION = """
The API of Samenspel: communities of a municipality and its heat initiatives.

It follows the NL API Design Rules: problem details (RFC 9457) for errors, 400 with
`invalidParams` for invalid input, an `API-Version` header on every response, no trailing
slashes, lowerCamelCase for query keys and properties. One deliberate departure: resource
names are English, for an international community of contributors.

Authenticate with your browser session or with `Authorization: Bearer <token>`; create a
personal token on your profile page or with `manage.py api_token EMAIL`. Reads of public
data need neither; a write without either is 401 with `WWW-Authenticate: Bearer`.
Request bodies are JSON (`Content-Type: application/json`, else 415).
Lists take `?page=N&pageSize=M` (pageSize at most 200) and answer `{"items": [...], "count": N}`.
"""

logger = logging.getLogger("samenspel.api")

# What each problem answer means; every operation documents those it can give.
ANSWERS = {
    400: "Invalid input: every invalid parameter is named in `invalidParams`.",
    401: "Not logged in, or the API token is not valid (`WWW-Authenticate: Bearer`).",
    403: "You may not do this (or a browser session sent no CSRF token).",
    404: "Not found, or not visible to you.",
    409: "In conflict with the current state: taken already, or changed meanwhile.",
    412: "Changed by someone else since the version named in If-Match.",
    415: "The body is not JSON: send `Content-Type: application/json`.",
    429: "Too many requests; wait a little and try again.",
    500: "An error on our side. Nothing about it is shown; it is logged.",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
API_VERSION_HEADER = {"$ref": "#/components/headers/API-Version"}
PROBLEM_SCHEMA = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "about:blank or a urn:samenspel:problem:…"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "description": "With 400: every invalid parameter, by its name in the request.",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}


def _problem_answer(status: int) -> dict[str, Any]:
    return {
        "description": ANSWERS.get(status) or HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


class DocumentedSchema(OpenAPISchema):
    """The OpenAPI document with what every operation shares written out: the problem
    answers it can give, the API-Version header on every answer, and public reads that need
    no login (NL API Design Rules; checked by the ADR linter in `make lint`)."""

    def operation_details(self, operation: Operation) -> dict[str, Any]:
        details: dict[str, Any] = super().operation_details(operation)
        methods = set(operation.methods)
        statuses = {400, 401, 500}
        if methods & UNSAFE:
            statuses |= {403, 409}
        if "{" in operation.path:
            statuses.add(404)
        if "requestBody" in details:
            statuses.add(415)
        responses = {int(status): answer for status, answer in details["responses"].items()}
        for status in statuses:
            responses.setdefault(status, {})
        for status, answer in responses.items():
            if status >= 400:
                # Also fills in answers a route declares by description only (412, 429).
                answer.update({**_problem_answer(status), **answer})
                answer.setdefault("content", _problem_answer(status)["content"])
            answer.setdefault("headers", {})["API-Version"] = API_VERSION_HEADER
        responses[401]["headers"]["WWW-Authenticate"] = {
            "description": "Bearer: send a personal API token.",
            "schema": {"type": "string"},
        }
        details["responses"] = dict(sorted(responses.items()))
        if anonymous in operation.auth_callbacks:
            # Reads of public data work without login: no security requirement is one option.
            details["security"] = [*details.get("security", []), {}]
        return details

    def get_components(self) -> dict[str, Any]:
        components: dict[str, Any] = super().get_components()
        components["schemas"]["Problem"] = PROBLEM_SCHEMA
        components["headers"] = {
            "API-Version": {
                "description": "The full version of the API (semver).",
                "schema": {"type": "string", "example": API_VERSION},
            }
        }
        return components


class SamenspelApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        # Paths are relative to the server URL /api/v1, as the NL API Design Rules expect.
        return DocumentedSchema(self, "")


api = SamenspelApi(
    title="Samenspel API",
    version=API_VERSION,
    description=DESCRIPTION,
    urls_namespace="api",
    servers=[{"url": "/api/v1", "description": "This Samenspel instance"}],
    parser=JsonParser(),
    openapi_extra={
        "info": {
            "contact": {
                "name": "Samenspel",
                "url": "https://samenspel.invalid/",
                "email": "api@samenspel.invalid",
            },
            "license": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
        },
    },
)
api.add_router("/", communities_router)
api.add_router("/", initiatives_router)
api.add_router("/", learning_router)
api.add_router("/", similar_router)
api.add_router("/", conversation_router)
api.add_router("/", practice_router)
api.add_router("/", council_router)
api.add_router("/", accords_router)
api.add_router("/", workshops_router)
api.add_router("/", work_router)


def _param_name(location: tuple[Any, ...]) -> str:
    # ninja locations look like ("body", "payload", "name") or ("query", "pageSize").
    parts = [str(part) for part in location[1:] if part not in ("payload", "pagination", "filters")]
    return ".".join(parts) or str(location[0] if location else "body")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    invalid = [
        {"name": _param_name(tuple(error.get("loc", ()))), "reason": error.get("msg", "invalid")}
        for error in exc.errors
    ]
    return problem_response(
        400,
        detail="The request has invalid parameters.",
        code="invalid-params",
        invalidParams=invalid,
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    detail = (
        exc.message if exc.message != "Unauthorized" else "Log in or send a personal API token."
    )
    response = problem_response(401, detail=detail, code="unauthorized")
    response["WWW-Authenticate"] = 'Bearer realm="samenspel"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:
        # ninja raises this for a body its parser refused (core.api.JsonParser), by cause.
        cause = exc.__cause__
        if isinstance(cause, UnsupportedMediaType):
            return problem_response(
                415,
                detail=_("Send the body as JSON, with Content-Type: application/json."),
                code="unsupported-media-type",
            )
        if isinstance(cause, InvalidBody):
            return on_validation_error(request, ValidationError(cause.errors))
        reason = str(exc.message)
        if isinstance(cause, json.JSONDecodeError):
            reason = f"{cause.msg} (line {cause.lineno}, column {cause.colno})"
        return problem_response(
            400,
            detail="The request body is not valid JSON.",
            code="invalid-params",
            invalidParams=[{"name": "body", "reason": reason}],
        )
    return problem_response(exc.status_code, detail=str(exc.message))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(404, detail="Not found, or not visible to you.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(403, detail=str(exc) or "You may not do this.")


@api.exception_handler(CommunityError)
def on_community_error(request: HttpRequest, exc: CommunityError) -> HttpResponse:
    return problem_response(exc.status, detail=exc.message, code=exc.code)


@api.exception_handler(Exception)
def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A 500 is problem details too; what went wrong goes to the log, never to the client
    (ninja's default shows the traceback in DEBUG mode)."""
    logger.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"request": request}
    )
    return problem_response(500, detail=_("Something went wrong on our side."))
