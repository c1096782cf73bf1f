"""Writes of the group's learning: raising a learning question (linked to the signals it
comes from), moving it from open through being explored to answered, and writing down
lessons. Each checks its own permission predicate."""

from collections.abc import Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from samenspel.accounts.models import User
from samenspel.communities.models import Community
from samenspel.learning.models import Signal
from samenspel.learning.search import search_in
from samenspel.learning.services import not_allowed
from samenspel.practice import permissions
from samenspel.practice.models import (
    FieldVisit,
    LearningQuestion,
    Lesson,
    PeerConsultation,
    QuestionStatus,
    Session,
)
from samenspel.practice.sessions import invalid

LESSON_FIELDS = ("title", "text")


def _same_community(community: Community, signals: Sequence[Signal]) -> None:
    if any(signal.community_id != community.pk for signal in signals):
        raise invalid(_("This signal belongs to another community."), "other_community")


@transaction.atomic
def raise_question(
    *,
    actor: User,
    community: Community,
    question: str,
    explanation: str = "",
    signals: Sequence[Signal] = (),
    visit: FieldVisit | None = None,
    is_example: bool = False,
) -> LearningQuestion:
    if not permissions.can_raise_question(actor, community):
        raise not_allowed(_("Only members raise learning questions."))
    if not question.strip():
        raise invalid(_("Write the question."), "question_required")
    _same_community(community, signals)
    if visit is not None and visit.community_id != community.pk:
        raise invalid(_("This belongs to another community."), "other_community")
    raised = LearningQuestion.objects.create(
        community=community,
        question=question.strip(),
        explanation=explanation.strip(),
        raised_by=actor,
        visit=visit,
        is_example=is_example,
    )
    raised.signals.set(signals)
    return raised


@transaction.atomic
def set_question_status(
    *, actor: User, question: LearningQuestion, status: str
) -> LearningQuestion:
    if not permissions.can_change_question(actor, question):
        raise not_allowed(_("Only who raised the question or a steward changes its status."))
    if status not in QuestionStatus.values:
        raise invalid(_("Choose a status from the list."), "invalid_status")
    if status == QuestionStatus.ANSWERED and not question.lessons.exists():
        raise invalid(
            _("Write down what you learned first: a question is answered by its lessons."),
            "lesson_required",
        )
    question.status = status
    question.save(update_fields=["status"])
    return question


@transaction.atomic
def write_lesson(
    *,
    actor: User,
    community: Community,
    title: str,
    text: str = "",
    question: LearningQuestion | None = None,
    session: Session | None = None,
    consultation: PeerConsultation | None = None,
    visit: FieldVisit | None = None,
    is_public: bool = False,
    is_example: bool = False,
) -> Lesson:
    """Write down a lesson. A question it answers that was still open is now being
    explored (whoever raised it marks it answered)."""
    if not permissions.can_write_lesson(actor, community):
        raise not_allowed(_("Only members write down lessons."))
    if not title.strip():
        raise invalid(_("Say in one sentence what you learned."), "title_required")
    for linked in (question, session, visit):
        if linked is not None and linked.community_id != community.pk:
            raise invalid(_("This belongs to another community."), "other_community")
    if consultation is not None:
        if consultation.session.community_id != community.pk:
            raise invalid(_("This belongs to another community."), "other_community")
        session = session or consultation.session
    lesson = Lesson.objects.create(
        community=community,
        title=title.strip(),
        text=text.strip(),
        question=question,
        session=session,
        consultation=consultation,
        visit=visit,
        is_public=is_public,
        written_by=actor,
        is_example=is_example,
    )
    if question is not None and question.status == QuestionStatus.OPEN:
        question.status = QuestionStatus.EXPLORING
        question.save(update_fields=["status"])
    return lesson


def search_lessons(lessons: QuerySet[Lesson], text: str) -> QuerySet[Lesson]:
    """The lessons that match `text` (Dutch full-text search on PostgreSQL, best first)."""
    return search_in(lessons, text, LESSON_FIELDS)
