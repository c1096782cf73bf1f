"""API of the council's route (issue 11 §7): dossiers from a draft to a decision, their
endorsements and moves, meetings and the register — the same rules as the pages, in the
shapes of the NL API Design Rules (camelCase, problem details, 404 for a private
community's outsiders)."""

import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.council.models import AdviceStage, CouncilAdvice
from tests.test_council import cast  # noqa: F401  (a fixture)

JSON = "application/json"


def post(client, path, body):
    return client.post(path, body, content_type=JSON)


@pytest.fixture
def author(world, cast):  # noqa: F811
    return client_for(world.initiatief_member)


def test_from_a_draft_to_the_councils_decision(world, author):
    created = post(
        author,
        "/api/v1/communities/publiek/advices",
        {
            "title": "Borg voor warmtenetten",
            "question": "Staat de gemeente borg?",
            "advice": "Ja, tot 5 miljoen.",
            "coAuthorIds": [world.gemeente_member.pk],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["stage"] == "concept" and len(body["authors"]) == 2
    assert body["pdfUrl"].endswith(f"/advices/{body['id']}/advice.pdf")
    base = f"/api/v1/advices/{body['id']}"
    # One side alone does not make it endorsed by the group.
    assert post(author, f"{base}/endorsements", {}).status_code == 201
    refused = post(author, f"{base}/transitions", {"toStage": "onderschreven"})
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    endorsed = post(client_for(world.gemeente_member), f"{base}/endorsements", {}).json()
    assert endorsed["endorsedByTheGroup"] is True
    assert post(author, f"{base}/transitions", {"toStage": "onderschreven"}).status_code == 200
    stale = post(
        author,
        f"{base}/transitions",
        {"toStage": "onderschreven", "seenStage": "concept"},
    )
    assert stale.status_code in (400, 409)
    offered = post(
        author,
        f"{base}/transitions",
        {"toStage": "aangeboden", "offeredTo": "raad", "offeredOn": "2026-11-01"},
    )
    assert offered.status_code == 200 and offered.json()["offeredOn"] == "2026-11-01"
    decided = post(
        author,
        f"{base}/decisions",
        {
            "outcome": "vastgesteld",
            "instrument": "motie",
            "decidedOn": timezone.localdate().isoformat(),
            "link": "https://raad.example.org/motie/4",
        },
    )
    assert decided.status_code == 201
    result = decided.json()
    assert result["stage"] == "besluit"
    assert result["decisions"][0]["link"] == "https://raad.example.org/motie/4"
    assert [e["toStage"] for e in result["events"]][-1] == "besluit"


def test_reading_and_who_may_write(world, author):
    created = post(
        author,
        "/api/v1/communities/publiek/advices",
        {"title": "Borg", "question": "Staat de gemeente borg?"},
    ).json()
    listing = client_for(None).get("/api/v1/communities/publiek/advices").json()
    assert [item["id"] for item in listing["items"]] == [created["id"]]
    assert client_for(None).get(f"/api/v1/advices/{created['id']}").status_code == 200
    assert client_for(None).get("/api/v1/communities/besloten/advices").status_code == 404
    anonymous = post(client_for(None), f"/api/v1/advices/{created['id']}/endorsements", {})
    assert anonymous.status_code == 401
    observer = post(client_for(world.observer), f"/api/v1/advices/{created['id']}/endorsements", {})
    assert observer.status_code == 403
    patched = client_for(world.gemeente_member).patch(
        f"/api/v1/advices/{created['id']}", {"title": "Anders"}, content_type=JSON
    )
    assert patched.status_code == 403
    assert CouncilAdvice.objects.get().title == "Borg"


def test_a_patch_changes_only_what_is_sent_and_reports_every_problem(world, author):
    created = post(
        author,
        "/api/v1/communities/publiek/advices",
        {"title": "Borg", "question": "Staat de gemeente borg?", "advice": "Ja."},
    ).json()
    path = f"/api/v1/advices/{created['id']}"
    changed = author.patch(path, {"title": "Borg voor warmtenetten"}, content_type=JSON).json()
    assert changed["title"] == "Borg voor warmtenetten" and changed["advice"] == "Ja."
    bad = author.patch(path, {"signalIds": [999999], "authorIds": [999999]}, content_type=JSON)
    assert bad.status_code == 400
    names = {problem["name"] for problem in bad.json()["invalidParams"]}
    assert {"signalIds", "authorIds"} <= names
    assert CouncilAdvice.objects.get().stage == AdviceStage.CONCEPT


def test_meetings_and_the_register(world, author):
    from datetime import timedelta

    from samenspel.council import followup
    from samenspel.council.models import MeetingBody

    starts = timezone.now() + timedelta(days=3)
    followup.plan_meeting(
        actor=world.gemeente_member,
        community=world.public,
        body=MeetingBody.RAAD,
        title="Raadsvergadering",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
    )
    followup.record_arrangement(
        actor=world.gemeente_member,
        community=world.public,
        title="Opgroeirecht vastgesteld",
        established_on=timezone.localdate(),
        source="https://lokaleregelgeving.example.org/opgroeirecht",
    )
    meetings = client_for(None).get("/api/v1/communities/publiek/meetings").json()
    assert meetings["items"][0]["title"] == "Raadsvergadering"
    assert meetings["items"][0]["body"] == "raad"
    register = client_for(None).get("/api/v1/communities/publiek/register").json()
    assert register["items"][0]["title"] == "Opgroeirecht vastgesteld"
    assert register["items"][0]["inForce"] is True
    assert client_for(None).get("/api/v1/communities/besloten/register").status_code == 404
