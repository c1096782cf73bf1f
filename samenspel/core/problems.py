"""RFC 9457 problem details, the error format of the API."""

from http import HTTPStatus
from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext as _

# The API version (semver); its major number is the one in the path (/api/v1).
API_VERSION = "1.5.0"
# Generic errors use "about:blank" (RFC 9457 §4.2.1); specific ones a stable URN.
PROBLEM_TYPE_BASE = "urn:samenspel:problem:"
PROBLEM_JSON = "application/problem+json"


def problem(
    status: int, *, detail: str | None, code: str | None = None, **extra: Any
) -> dict[str, Any]:
    title = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code if code else "about:blank",
        "title": title,
        "status": status,
        "detail": detail or title,
    }
    body.update(extra)
    return body


def problem_response(
    status: int, *, detail: str | None, code: str | None = None, **extra: Any
) -> JsonResponse:
    return JsonResponse(
        problem(status, detail=detail, code=code, **extra),
        status=status,
        content_type=PROBLEM_JSON,
        json_dumps_params={"ensure_ascii": False},
    )


def nul_reason() -> str:
    """Why a text with a NUL character is refused: PostgreSQL cannot hold one."""
    return _("Text may not contain NUL characters (\\u0000).")
