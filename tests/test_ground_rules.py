"""The group's ground rules (issue 10 §2): stewards keep them, each with the session where it
was agreed; a change keeps the earlier wording; a retired rule stays visible."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.communities.services import CommunityError
from samenspel.practice import ground_rules, permissions, sessions
from samenspel.practice.models import GroundRule


@pytest.fixture
def first_session(world):
    starts = timezone.now() - timedelta(days=30)
    return sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Kennismaken",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        online_link="https://meet.example.org/een",
    )


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("observer", False),
        ("gemeente_member", False),
        ("initiatief_member", False),
        ("steward", True),
        ("admin", True),
    ],
)
def test_only_stewards_keep_the_ground_rules(world, persona, allowed):
    assert permissions.can_keep_ground_rules(world.persona(persona), world.public) is allowed


def test_a_changed_rule_keeps_its_earlier_wording(world, first_session):
    rule = ground_rules.add_ground_rule(
        actor=world.steward,
        community=world.public,
        text="Wat hier gezegd wordt, blijft hier.",
        agreed_at=first_session,
    )
    ground_rules.change_ground_rule(
        actor=world.steward,
        rule=rule,
        text="Wat hier gezegd wordt, blijft hier, tenzij we anders afspreken.",
        agreed_at=first_session,
    )
    assert [r.text for r in rule.history.order_by("history_date")] == [
        "Wat hier gezegd wordt, blijft hier.",
        "Wat hier gezegd wordt, blijft hier, tenzij we anders afspreken.",
    ]
    page = client_for(None).get("/c/publiek/ground-rules/").content.decode()
    assert "tenzij we anders afspreken" in page
    assert "Wat hier gezegd wordt, blijft hier.</li>" in page  # the earlier wording
    assert first_session.get_absolute_url() in page


def test_a_member_cannot_add_a_rule_and_nothing_changes(world):
    with pytest.raises(CommunityError):
        ground_rules.add_ground_rule(actor=world.gemeente_member, community=world.public, text="X")
    client_for(world.gemeente_member).post("/c/publiek/ground-rules/new/", {"text": "Y"})
    assert not GroundRule.objects.exists()


def test_a_session_of_another_community_is_refused(world):
    starts = timezone.now()
    elsewhere = sessions.plan_session(
        actor=world.steward,
        community=world.private,
        title="Elders",
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place="Zaal",
    )
    with pytest.raises(CommunityError) as refused:
        ground_rules.add_ground_rule(
            actor=world.steward, community=world.public, text="Regel", agreed_at=elsewhere
        )
    assert refused.value.code == "other_community"


def test_a_retired_rule_stays_in_the_list_and_the_api(world):
    rule = ground_rules.add_ground_rule(
        actor=world.steward, community=world.public, text="We mailen op vrijdag."
    )
    client_for(world.steward).post(f"/c/publiek/ground-rules/{rule.pk}/retire/")
    rule.refresh_from_db()
    assert rule.retired_at is not None
    page = client_for(None).get("/c/publiek/ground-rules/").content.decode()
    assert 'id="retired-rules"' in page
    listed = client_for(None).get("/api/v1/communities/publiek/ground-rules").json()
    assert listed["items"] == [
        {
            "id": rule.pk,
            "text": "We mailen op vrijdag.",
            "explanation": "",
            "agreedAtSessionId": None,
            "inForce": False,
            "isExample": False,
        }
    ]


def test_a_steward_adds_a_rule_through_the_page(world, first_session):
    response = client_for(world.steward).post(
        "/c/publiek/ground-rules/new/",
        {"text": "We praten vanuit de praktijk.", "explanation": "", "agreed_at": first_session.pk},
    )
    assert response["Location"] == "/c/publiek/ground-rules/"
    assert GroundRule.objects.get().agreed_at == first_session


def test_the_private_communitys_rules_are_hidden_from_outsiders(world):
    assert client_for(world.outsider).get("/c/besloten/ground-rules/").status_code == 404
    api = client_for(None).get("/api/v1/communities/besloten/ground-rules")
    assert api.status_code == 404
