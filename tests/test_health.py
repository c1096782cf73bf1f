"""The health of the group (issue 10 §7): the pulse stays anonymous (no link from an answer
to a person — in the model, for stewards, in the API and the admin), figures per side only
from three answers, one answer per person, the circle of involvement, first-timers, and
the stage the group assessed. Who may see and do what is written out by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership, Side
from samenspel.communities.services import CommunityError
from samenspel.practice import health, sessions
from samenspel.practice.models import (
    CommunityStage,
    PulseReceipt,
    PulseResponse,
    StageAssessment,
)
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def held(world):
    starts = timezone.now() - timedelta(days=2)
    return sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Bijeenkomst over vertrouwen",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Zaal",
    )


def answer(user, session, trust=4, understanding=3, usefulness=5, comment=""):
    health.answer_pulse(
        actor=user,
        session=session,
        trust=trust,
        understanding=understanding,
        usefulness=usefulness,
        comment=comment,
    )


def test_an_answer_holds_no_person_no_time_and_a_random_id():
    fields = {f.name for f in PulseResponse._meta.get_fields()}
    assert fields == {
        "id",
        "session",
        "side",
        "trust",
        "understanding",
        "usefulness",
        "comment",
    }
    assert PulseResponse._meta.pk.get_internal_type() == "UUIDField"
    receipt_fields = {f.name for f in PulseReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "session", "user"}  # no answer, no time


def test_a_member_answers_once_and_the_answer_keeps_only_their_side(world, held):
    answer(world.gemeente_member, held, comment="Goed gesprek")
    with pytest.raises(CommunityError) as twice:
        answer(world.gemeente_member, held)
    assert twice.value.code == "answered"
    response = PulseResponse.objects.get()
    assert response.side == Side.GEMEENTE
    assert response.comment == "Goed gesprek"
    assert PulseReceipt.objects.filter(user=world.gemeente_member).count() == 1


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("outsider", False),
        ("observer", True),
        ("gemeente_member", True),
        ("initiatief_member", True),
        ("steward", True),
    ],
)
def test_who_may_answer_the_pulse(world, held, persona, allowed):
    user = world.persona(persona)
    if allowed:
        answer(user, held)
        assert PulseResponse.objects.count() == 1
    else:
        with pytest.raises(CommunityError):
            answer(user, held)
        assert not PulseResponse.objects.exists()


def test_the_pulse_opens_after_the_session_and_closes_after_30_days(world):
    starts = timezone.now() + timedelta(days=1)
    later = sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Nog niet",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Zaal",
    )
    with pytest.raises(CommunityError) as early:
        answer(world.gemeente_member, later)
    assert early.value.code == "pulse_closed"
    assert health.pulse_is_open(later) is False
    import time_machine

    with time_machine.travel(later.ends_at + timedelta(days=31)):
        assert health.pulse_is_open(later) is False
    with time_machine.travel(later.ends_at + timedelta(days=29)):
        assert health.pulse_is_open(later) is True


def test_invalid_scores_are_refused_and_nothing_is_kept(world, held):
    with pytest.raises(CommunityError) as refused:
        answer(world.gemeente_member, held, trust=6)
    assert refused.value.code == "invalid_score"
    assert not PulseResponse.objects.exists()
    assert not PulseReceipt.objects.exists()


def test_a_side_shows_figures_only_from_three_answers(world, held):
    extra = []
    for number in range(2):
        person = UserFactory(email=f"gemeente{number}@example.org")
        MembershipFactory(user=person, community=world.public, side=Side.GEMEENTE)
        extra.append(person)
    answer(world.gemeente_member, held, trust=5)
    answer(extra[0], held, trust=4)
    answer(world.initiatief_member, held, trust=2)  # alone on their side
    rows = {row.side: row for row in health.pulse_rows(world.public)}
    assert rows[Side.GEMEENTE].trust is None  # two answers: hidden
    assert rows[Side.INITIATIEF].trust is None  # one answer: hidden
    assert rows[""].answers == 3 and rows[""].trust is not None  # everyone: three
    answer(extra[1], held, trust=3)
    rows = {row.side: row for row in health.pulse_rows(world.public)}
    assert str(rows[Side.GEMEENTE].trust) == "4.0"


def test_the_dashboard_shows_figures_to_who_sees_the_group_and_comments_to_stewards(world, held):
    answer(world.gemeente_member, held, comment="Een opmerking zonder naam")
    for visitor in (None, world.outsider):
        page = client_for(visitor).get("/c/publiek/health/").content.decode()
        assert 'id="pulse-table"' in page and 'id="circle-table"' in page
        assert "Een opmerking zonder naam" not in page
        assert 'action="/c/publiek/health/stage/"' not in page
    assert client_for(None).get("/c/besloten/health/").status_code == 404
    member_page = client_for(world.observer).get("/c/publiek/health/").content.decode()
    assert 'id="pulse-table"' in member_page
    assert "Een opmerking zonder naam" not in member_page
    steward_page = client_for(world.steward).get("/c/publiek/health/").content.decode()
    assert "Een opmerking zonder naam" in steward_page
    # Nowhere does a page name who answered.
    assert (
        world.gemeente_member.name
        not in steward_page.split('id="pulse-heading"')[1].split('id="circle-heading"')[0]
    )


def test_a_member_answers_through_the_page(world, held):
    client = client_for(world.initiatief_member)
    assert 'id="pulse-link"' in client.get(held.get_absolute_url()).content.decode()
    response = client.post(
        f"/c/publiek/sessions/{held.pk}/pulse/",
        {"trust": "4", "understanding": "4", "usefulness": "5", "comment": ""},
    )
    assert response["Location"] == held.get_absolute_url()
    again = client.get(f"/c/publiek/sessions/{held.pk}/pulse/").content.decode()
    assert 'id="pulse-answered"' in again
    client.post(
        f"/c/publiek/sessions/{held.pk}/pulse/",
        {"trust": "1", "understanding": "1", "usefulness": "1"},
    )
    assert PulseResponse.objects.count() == 1


def test_the_circle_counts_members_per_side_and_first_timers(world, held):
    circle = health.circle_by_quarter(world.public)
    assert circle[-1].total == Membership.objects.active().filter(community=world.public).count()
    sides = [value for value, _label in Side.choices]
    assert circle[-1].by_side[sides.index(Side.GEMEENTE)] == 1
    sessions.record_attendance(
        actor=world.steward, session=held, users=[world.gemeente_member, world.steward]
    )
    later_start = held.starts_at + timedelta(hours=5)
    second = sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Tweede",
        starts_at=later_start,
        ends_at=later_start + timedelta(hours=1),
        place="Zaal",
    )
    sessions.record_attendance(
        actor=world.steward, session=second, users=[world.gemeente_member, world.observer]
    )
    assert [(s.pk, there, first) for s, there, first in health.first_timers(world.public)] == [
        (held.pk, 2, 2),
        (second.pk, 2, 1),
    ]


def test_only_a_steward_records_the_stage(world):
    with pytest.raises(CommunityError):
        health.record_stage(
            actor=world.gemeente_member, community=world.public, stage=CommunityStage.MATURING
        )
    client_for(world.steward).post(
        "/c/publiek/health/stage/", {"stage": CommunityStage.COALESCING, "note": "We beginnen."}
    )
    assessment = StageAssessment.objects.get()
    assert assessment.stage == CommunityStage.COALESCING
    page = client_for(world.observer).get("/c/publiek/health/").content.decode()
    assert 'id="current-stage"' in page


def hold_sessions(world, count: int, first_day: int = 2) -> None:
    """`count` past sessions of the public community, each answered by all four members
    (one per side) and with who was there."""
    people = [world.gemeente_member, world.initiatief_member, world.observer, world.steward]
    for day in range(first_day, first_day + count):
        starts = timezone.now() - timedelta(days=day)
        held = sessions.plan_session(
            actor=world.steward,
            community=world.public,
            title=f"Bijeenkomst {day}",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="Zaal",
        )
        sessions.record_attendance(actor=world.steward, session=held, users=people[:3])
        for person in people:
            answer(person, held, comment=f"Opmerking {day}")


def test_an_answer_shows_at_once_on_the_dashboard_kept_for_visitors(world, held):
    visitor = client_for(None)
    assert 'id="pulse-table"' not in visitor.get("/c/publiek/health/").content.decode()
    for person in (world.gemeente_member, world.initiatief_member, world.observer):
        answer(person, held)
    page = visitor.get("/c/publiek/health/")
    assert page["X-Page-Cache"] == "miss"  # the answers raised the content version
    assert 'id="pulse-table"' in page.content.decode()


def test_the_dashboard_costs_the_same_few_queries_however_long_the_history(
    world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import clear_caches

    hold_sessions(world, 2)
    clear_caches()
    # The community twice (its version, the page), and for the figures: the sessions with
    # answers and their averages, the circle, the organisations, the sessions with
    # attendance, who was there and when they were first; the stages.
    with django_assert_max_num_queries(10) as few:
        assert client_for(None).get("/c/publiek/health/").status_code == 200
    hold_sessions(world, 6, first_day=4)
    clear_caches()
    # No query per session (their links, their answers, who was there) nor per quarter.
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client_for(None).get("/c/publiek/health/").content.decode()
    assert page.count('data-side="all"') == 8
    # Another kind of reader (a member) renders their own copy, from the figures kept for
    # this content version: not one query of the pulse or the circle again.
    with CaptureQueriesContext(connection) as member:
        page = client_for(world.observer).get("/c/publiek/health/").content.decode()
    assert page.count('data-side="all"') == 8
    figures = [
        q["sql"]
        for q in member.captured_queries
        if "practice_pulseresponse" in q["sql"]
        or "practice_attendance" in q["sql"]
        or ("COUNT(" in q["sql"] and "communities_membership" in q["sql"])  # the circle
    ]
    assert not figures
