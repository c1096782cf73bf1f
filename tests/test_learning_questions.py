"""Learning questions and lessons (issue 10 §3): who may do what (by hand), the status from
open through being explored to answered, links to signals and sessions, and the library's
search (Dutch full-text on PostgreSQL, every word on SQLite)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import client_for
from samenspel.communities.services import CommunityError
from samenspel.learning import services as loop
from samenspel.practice import permissions, questions, sessions
from samenspel.practice.models import LearningQuestion, Lesson, QuestionStatus


@pytest.fixture
def signal(world):
    return loop.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="Vergunning duurt negen maanden",
        what_happened="Het warmtenet wacht op de vergunning.",
    )


@pytest.fixture
def asked(world, signal):
    return questions.raise_question(
        actor=world.initiatief_member,
        community=world.public,
        question="Hoe maken we de vergunning voorspelbaar?",
        explanation="Elk warmtenet wacht maanden.",
        signals=[signal],
    )


@pytest.mark.parametrize(
    ("persona", "raise_", "change", "write"),
    [
        ("anonymous", False, False, False),
        ("outsider", False, False, False),
        ("observer", False, False, False),
        ("gemeente_member", True, False, True),
        ("initiatief_member", True, True, True),  # who asked it
        ("steward", True, True, True),
        ("admin", True, True, True),
    ],
)
def test_who_may_do_what_with_learning_questions(world, asked, persona, raise_, change, write):
    user = world.persona(persona)
    assert permissions.can_raise_question(user, world.public) is raise_
    assert permissions.can_change_question(user, asked) is change
    assert permissions.can_write_lesson(user, world.public) is write


def test_a_question_links_its_signals_and_a_lesson_moves_it_on(world, asked, signal):
    assert list(asked.signals.all()) == [signal]
    assert asked.status == QuestionStatus.OPEN
    with pytest.raises(CommunityError) as early:
        questions.set_question_status(
            actor=world.initiatief_member, question=asked, status=QuestionStatus.ANSWERED
        )
    assert early.value.code == "lesson_required"

    questions.write_lesson(
        actor=world.gemeente_member,
        community=world.public,
        title="Eén loket maakt de termijn voorspelbaar",
        question=asked,
    )
    asked.refresh_from_db()
    assert asked.status == QuestionStatus.EXPLORING
    questions.set_question_status(
        actor=world.initiatief_member, question=asked, status=QuestionStatus.ANSWERED
    )
    asked.refresh_from_db()
    assert asked.status == QuestionStatus.ANSWERED
    with pytest.raises(CommunityError):
        questions.set_question_status(
            actor=world.gemeente_member, question=asked, status=QuestionStatus.OPEN
        )


def test_links_stay_within_the_community(world, asked):
    other = loop.raise_signal(
        community=world.private,
        actor=world.initiatief_member,
        title="Elders",
        what_happened="In de besloten groep.",
    )
    with pytest.raises(CommunityError):
        questions.raise_question(
            actor=world.initiatief_member, community=world.public, question="X", signals=[other]
        )
    with pytest.raises(CommunityError):
        questions.write_lesson(
            actor=world.steward, community=world.private, title="Les", question=asked
        )
    assert LearningQuestion.objects.count() == 1
    assert not Lesson.objects.exists()


def test_the_question_page_shows_where_it_comes_from_and_what_was_learned(world, asked, signal):
    starts = timezone.now() - timedelta(days=3)
    session = sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Bijeenkomst vergunningen",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Zaal",
    )
    sessions.add_agenda_item(actor=world.steward, session=session, learning_question=asked)
    questions.write_lesson(
        actor=world.gemeente_member,
        community=world.public,
        title="Eén loket maakt de termijn voorspelbaar",
        question=asked,
        session=session,
    )
    page = client_for(None).get(asked.get_absolute_url()).content.decode()
    assert signal.get_absolute_url() in page
    assert session.get_absolute_url() in page
    assert "Eén loket maakt de termijn voorspelbaar" in page
    assert 'id="status"' not in page  # a visitor cannot change it
    session_page = client_for(None).get(session.get_absolute_url()).content.decode()
    assert asked.get_absolute_url() in session_page  # the agenda links to the question
    raiser_page = client_for(world.initiatief_member).get(asked.get_absolute_url())
    assert 'id="status"' in raiser_page.content.decode()


def test_a_member_asks_and_writes_a_lesson_through_the_pages(world, signal):
    member = client_for(world.gemeente_member)
    response = member.post(
        "/c/publiek/learning-questions/new/",
        {"question": "Wat levert een warmtenet op?", "explanation": "", "signals": [signal.pk]},
    )
    asked = LearningQuestion.objects.get()
    assert response["Location"] == asked.get_absolute_url()
    member.post(
        "/c/publiek/lessons/new/",
        {"title": "Het levert vertrouwen op", "text": "", "question": asked.pk},
    )
    assert asked.lessons.get().written_by == world.gemeente_member
    client_for(world.observer).post(
        "/c/publiek/lessons/new/", {"title": "Waarnemer schrijft", "text": ""}
    )
    assert Lesson.objects.count() == 1


def test_the_library_finds_lessons_by_their_words(world):
    for title, text in [
        ("Eén loket maakt vergunningen voorspelbaar", "De gemeente bundelde drie afdelingen."),
        ("Een mentor helpt een jonge coöperatie", "Berkum hielp Dieze met de statuten."),
        ("Leden werven gaat via de buurtkrant", "Een artikel leverde twintig leden op."),
    ]:
        questions.write_lesson(actor=world.steward, community=world.public, title=title, text=text)
    client = client_for(None)
    found = client.get("/c/publiek/lessons/?q=statuten").content.decode()
    assert "Een mentor helpt een jonge coöperatie" in found
    assert "Eén loket" not in found
    # Dutch stemming on PostgreSQL finds "vergunning" in "vergunningen"; SQLite matches the
    # letters, which "vergunning" also does.
    assert "Eén loket" in client.get("/c/publiek/lessons/?q=vergunning").content.decode()
    none = client.get("/c/publiek/lessons/?q=zonnepanelen").content.decode()
    assert "No lesson matches" in none or "Geen les past" in none
    api = client.get("/api/v1/communities/publiek/lessons?q=buurtkrant").json()
    assert [item["title"] for item in api["items"]] == ["Leden werven gaat via de buurtkrant"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Dutch stemming: PostgreSQL only")
def test_the_library_search_stems_dutch_words(world):
    questions.write_lesson(
        actor=world.steward, community=world.public, title="Warmtenetten vragen geduld"
    )
    api = client_for(None).get("/api/v1/communities/publiek/lessons?q=warmtenet").json()
    assert api["count"] == 1


def test_the_api_lists_learning_questions(world, asked, signal):
    questions.write_lesson(
        actor=world.steward, community=world.public, title="Een les", question=asked
    )
    items = client_for(None).get("/api/v1/communities/publiek/learning-questions").json()["items"]
    assert items == [
        {
            "id": asked.pk,
            "question": "Hoe maken we de vergunning voorspelbaar?",
            "explanation": "Elk warmtenet wacht maanden.",
            "status": "in-onderzoek",
            "signalIds": [signal.pk],
            "lessonCount": 1,
            "createdAt": items[0]["createdAt"],
            "isExample": False,
        }
    ]
    assert client_for(None).get("/api/v1/communities/besloten/lessons").status_code == 404
