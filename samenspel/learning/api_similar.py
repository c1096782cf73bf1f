"""API: signals like a given one, for the 'perhaps someone met this before' hint."""

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from samenspel.core.api import LOGIN_OPTIONAL, CamelSchema, Id
from samenspel.learning import permissions
from samenspel.learning.models import Signal
from samenspel.learning.similar import LIMIT, similar_signals

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
        "is not among them."
    ),
)
def list_similar_signals(request: HttpRequest, id: Id, filters: Query[SimilarFilters]):  # type: ignore[no-untyped-def]
    signal = Signal.objects.select_related("community").filter(pk=id).first()
    if signal is None or not permissions.can_view_signal(request.user, signal):
        raise Http404("No such signal.")
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
