"""Peer consultation (issue 10 §5): a method as data with its rounds, started by a steward
in a session for a member's case, rounds captured by the steward or the case bringer,
ending in lessons; the case is for members only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.communities.services import CommunityError
from samenspel.practice import consultations, permissions, questions, sessions
from samenspel.practice.models import ConsultationMethod, PeerConsultation


@pytest.fixture
def held(world):
    starts = timezone.now() - timedelta(days=1)
    return sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Intervisie",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Zaal",
    )


@pytest.fixture
def consultation(world, held):
    return consultations.start_consultation(
        actor=world.steward,
        session=held,
        method=ConsultationMethod.objects.get(community=world.public),
        case_bringer=world.initiatief_member,
        case="De gemeente vraagt een garantstelling die wij niet kunnen geven.",
        question="Hoe krijg ik de raad mee?",
    )


def test_every_new_community_gets_the_default_method_with_its_four_rounds(world):
    method = ConsultationMethod.objects.get(community=world.public)
    assert [r["title"] for r in method.rounds] == [
        "Verhelderende vragen",
        "Analyse",
        "Advies",
        "Reflectie van de inbrenger",
    ]


def test_a_consultation_takes_its_rounds_from_the_method(consultation):
    assert [r.title for r in consultation.rounds.all()] == [
        "Verhelderende vragen",
        "Analyse",
        "Advies",
        "Reflectie van de inbrenger",
    ]


def test_a_community_adds_its_own_method(world, held):
    retro = ConsultationMethod.objects.create(
        community=world.public,
        name="Terugblik",
        rounds=[{"title": "Wat ging goed?"}, {"title": "Wat kan beter?"}],
    )
    started = consultations.start_consultation(
        actor=world.steward,
        session=held,
        method=retro,
        case_bringer=world.gemeente_member,
        case="De eerste zes sessies.",
        question="Wat leren we ervan?",
    )
    assert started.rounds.count() == 2
    other = ConsultationMethod.objects.create(community=world.private, name="Elders", rounds=[])
    with pytest.raises(CommunityError):
        consultations.start_consultation(
            actor=world.steward,
            session=held,
            method=other,
            case_bringer=world.gemeente_member,
            case="X",
            question="Y",
        )


@pytest.mark.parametrize(
    ("persona", "keep"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("observer", False),
        ("gemeente_member", False),
        ("initiatief_member", True),  # brought the case
        ("steward", True),
        ("admin", True),
    ],
)
def test_who_captures_the_rounds(world, consultation, persona, keep):
    assert permissions.can_keep_consultation(world.persona(persona), consultation) is keep


def test_only_a_steward_starts_one_and_the_case_bringer_is_a_member(world, held):
    method = ConsultationMethod.objects.get(community=world.public)
    with pytest.raises(CommunityError):
        consultations.start_consultation(
            actor=world.gemeente_member,
            session=held,
            method=method,
            case_bringer=world.gemeente_member,
            case="X",
            question="Y",
        )
    with pytest.raises(CommunityError) as outsider:
        consultations.start_consultation(
            actor=world.steward,
            session=held,
            method=method,
            case_bringer=world.outsider,
            case="X",
            question="Y",
        )
    assert outsider.value.code == "not_member"
    assert not PeerConsultation.objects.exists()


def test_rounds_are_captured_and_the_consultation_ends_in_lessons(world, consultation):
    client = client_for(world.initiatief_member)
    url = consultation.get_absolute_url()
    client.post(f"{url}rounds/3/", {"round-3-notes": "Zoek een wethouder die het snapt."})
    assert consultation.rounds.get(number=3).notes == "Zoek een wethouder die het snapt."
    client_for(world.gemeente_member).post(f"{url}rounds/3/", {"round-3-notes": "Anders"})
    assert consultation.rounds.get(number=3).notes == "Zoek een wethouder die het snapt."
    lesson = questions.write_lesson(
        actor=world.gemeente_member,
        community=world.public,
        title="Een bondgenoot in het college helpt",
        consultation=consultation,
    )
    assert lesson.session == consultation.session
    page = client.get(url).content.decode()
    assert "Een bondgenoot in het college helpt" in page
    assert "Zoek een wethouder die het snapt." in page


def test_the_case_is_for_members_only(world, consultation):
    url = consultation.get_absolute_url()
    assert client_for(None).get(url).status_code == 404
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.observer).get(url).status_code == 200
    session_page = client_for(None).get(consultation.session.get_absolute_url()).content.decode()
    assert "Hoe krijg ik de raad mee?" not in session_page


def test_a_steward_starts_one_through_the_page(world, held):
    response = client_for(world.steward).post(
        f"/c/publiek/sessions/{held.pk}/consultations/new/",
        {
            "method": ConsultationMethod.objects.get(community=world.public).pk,
            "case_bringer": world.initiatief_member.pk,
            "question": "Hoe vinden we leden?",
            "case": "We zijn met twintig, we willen er honderd.",
        },
    )
    started = PeerConsultation.objects.get()
    assert response["Location"] == started.get_absolute_url()


def test_the_members_copy_of_the_session_page_shows_a_consultation_once_started(world, held):
    # The case bringer reads the session page first (a kept, shared copy), then the steward
    # starts a consultation and writes a round: each shows on the next visit.
    client = client_for(world.initiatief_member)
    assert "Hoe krijg ik de raad mee?" not in client.get(held.get_absolute_url()).content.decode()
    started = consultations.start_consultation(
        actor=world.steward,
        session=held,
        method=ConsultationMethod.objects.get(community=world.public),
        case_bringer=world.initiatief_member,
        case="De gemeente vraagt een garantstelling.",
        question="Hoe krijg ik de raad mee?",
    )
    assert "Hoe krijg ik de raad mee?" in client.get(held.get_absolute_url()).content.decode()
    page = client.get(started.get_absolute_url()).content.decode()
    assert "Wie sprak je al?" not in page
    consultations.write_round(
        actor=world.steward, round_=started.rounds.get(number=1), notes="Wie sprak je al?"
    )
    assert "Wie sprak je al?" in client.get(started.get_absolute_url()).content.decode()
