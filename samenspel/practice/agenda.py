"""What else a session's agenda can hold, from apps above the practice app (an advice to the
council; later an amendment of the accord, a workshop): each registers a kind of subject in
its AppConfig.ready(), so this app never imports them. An agenda item names its subject by
content type and id (AgendaItem.subject)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


@dataclass(frozen=True)
class SubjectKind:
    key: str  # the form field is subject_<key>; the API names it by this key
    label: "str | _StrPromise"
    model: type[Model]
    # The community's candidates, newest or most urgent first (at most a form's worth).
    candidates: Callable[[Any], QuerySet[Any]]
    # How one reads in the agenda (defaults to str()).
    title: Callable[[Any], str] = str


_kinds: dict[str, SubjectKind] = {}


def register_subject(kind: SubjectKind) -> None:
    _kinds[kind.key] = kind


def subject_kinds() -> list[SubjectKind]:
    return list(_kinds.values())


def kind_of(subject: Model | None) -> SubjectKind | None:
    return next((kind for kind in _kinds.values() if isinstance(subject, kind.model)), None)
