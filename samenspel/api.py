"""The REST API at /api/v1/, following the NL API Design Rules (see docs/api.md)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from samenspel.communities.api import router as communities_router
from samenspel.communities.services import CommunityError
from samenspel.core.problems import API_VERSION, problem_response
from samenspel.initiatives.api import router as initiatives_router
from samenspel.learning.api import router as learning_router
from samenspel.learning.api_similar import router as similar_router

DESCRIPTION = """
The API of Samenspel: communities of a municipality and its heat initiatives.

It follows the NL API Design Rules: problem details (RFC 9457) for errors, 400 with
`invalidParams` for invalid input, an `API-Version` header on every response, no trailing
slashes, lowerCamelCase for query keys and properties. One deliberate departure: resource
names are English, for an international community of contributors.

Authenticate with your browser session or with `Authorization: Bearer <token>`; create a
personal token on your profile page or with `manage.py api_token EMAIL`.
Lists take `?page=N&pageSize=M` (pageSize at most 200) and answer `{"items": [...], "count": N}`.
"""


class SamenspelApi(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        # Paths are relative to the server URL /api/v1, as the NL API Design Rules expect.
        return super().get_openapi_schema(path_prefix="", path_params=path_params)


api = SamenspelApi(
    title="Samenspel API",
    version=API_VERSION,
    description=DESCRIPTION,
    urls_namespace="api",
    servers=[{"url": "/api/v1", "description": "This Samenspel instance"}],
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
        # ninja raises this for a body that is not JSON at all.
        return problem_response(
            400,
            detail="The request body is not valid JSON.",
            code="invalid-params",
            invalidParams=[{"name": "body", "reason": str(exc.message)}],
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
