"""API: signals like a given one, for the 'perhaps someone met this before' hint."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from samenspel.communities.services import CommunityError
from samenspel.core.api import LOGIN_OPTIONAL, CamelSchema, Id
from samenspel.learning.services import get_signal_for_user
from samenspel.learning.similar import LIMIT, similar_signals, too_many_requests

router = Router(tags=["signals"])


class SimilarFilters(Schema):
    limit: int = Field(LIMIT, ge=1, le=20, description="How many, at most 20.")


class SimilarSignalOut(CamelSchema):
    id: int
    title: str
    community: str = Field(description="The slug of the signal's community.")
    stage: str
    similarity: float = Field(description="Higher is more alike; not comparable across texts.")
    url: str


class SimilarSignalsOut(CamelSchema):
    items: list[SimilarSignalOut]


@router.get(
    "/signals/{int:id}/similar",
    response=SimilarSignalsOut,
    auth=LOGIN_OPTIONAL,
    by_alias=True,
    summary="Signals similar to this one",
    description=(
        "Signals of the same community and of public communities elsewhere (never private "
        "ones you cannot see) that are most like this one, best first; the signal itself "
        "is not among them. Rationed per address and per account: past the rate, 429."
    ),
    # The problem body and headers are added by the document (samenspel/api.py).
    openapi_extra={"responses": {429: {"description": "Too many requests for similar signals."}}},
)
def list_similar_signals(request: HttpRequest, id: Id, filters: Query[SimilarFilters]):  # type: ignore[no-untyped-def]
    signal = get_signal_for_user(request.user, id)
    if too_many_requests(request):
        raise CommunityError(
            _("Too many requests for similar signals. Wait a minute and try again."),
            code="too_many_requests",
            status=429,
        )
    found = similar_signals(
        signal.community,
        # The title alone: every extra word widens the text search behind the candidates.
        signal.title,
        exclude=signal.pk,
        limit=filters.limit,
    )
    return {
        "items": [
            {
                "id": s.pk,
                "title": s.title,
                "community": s.community.slug,
                "stage": s.stage,
                "similarity": round(s.similarity, 4),  # type: ignore[attr-defined]
                "url": request.build_absolute_uri(s.get_absolute_url()),
            }
            for s in found
        ]
    }
