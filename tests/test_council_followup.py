"""After the council (issue 11 §3–§5): commitments from a decision (owner told, overdue
ones stand out on the community's home and remind their owner), the meetings calendar
(an advice on a meeting's agenda is "geagendeerd"; one VEVENT per meeting in the
community's calendar feed, read back by the icalendar library) and the register of what
has been established."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from conftest import client_for
from samenspel.communities.services import CommunityError
from samenspel.core.models import Notification
from samenspel.council import followup, permissions, reminders, services
from samenspel.council.models import (
    AdviceStage,
    Arrangement,
    CommitmentStatus,
    CouncilMeeting,
    Instrument,
    MeetingBody,
    Outcome,
)
from samenspel.practice import calendar
from tests.test_council import cast, offered, start  # noqa: F401  (cast: a fixture)


@pytest.fixture
def decided(world, cast):  # noqa: F811
    advice = start(world)
    offered(world, advice)
    decision = services.record_decision(
        actor=world.initiatief_member,
        advice=advice,
        outcome=Outcome.VASTGESTELD,
        instrument=Instrument.RAADSVOORSTEL,
        decided_on=timezone.localdate(),
    )
    advice.refresh_from_db()
    return advice, decision


def meeting(world, *, hours=48, actor=None):
    starts = timezone.now() + timedelta(hours=hours)
    return followup.plan_meeting(
        actor=actor or world.gemeente_member,
        community=world.public,
        body=MeetingBody.COMMISSIE,
        title="Commissie Omgeving",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="Raadzaal",
        link="https://raad.example.org/vergadering/8",
    )


# (persona, keep commitments of an advice they did not write, keep meetings and register)
RIGHTS = [
    ("anonymous", False, False),
    ("outsider", False, False),
    ("gemeente_member", False, True),
    ("initiatief_member", True, True),  # the author
    ("observer", False, False),
    ("steward", True, True),
    ("admin", True, True),
]


@pytest.mark.parametrize(("persona", "may_commit", "may_keep"), RIGHTS)
def test_who_keeps_commitments_meetings_and_the_register(
    world, decided, persona, may_commit, may_keep
):
    advice, _decision = decided
    user = world.persona(persona)
    assert permissions.can_keep_commitments(user, advice) is may_commit
    assert permissions.can_keep_meetings(user, world.public) is may_keep
    assert permissions.can_keep_register(user, world.public) is may_keep


def test_a_commitment_goes_to_its_owner_and_the_dossier_to_follow_up(world, decided):
    advice, decision = decided
    Notification.objects.all().delete()
    commitment = followup.add_commitment(
        actor=world.initiatief_member,
        advice=advice,
        description="De wethouder stuurt voor de zomer een uitvoeringsplan",
        owner=world.gemeente_member,
        due_on=timezone.localdate() + timedelta(days=30),
    )
    assert commitment.decision == decision
    advice.refresh_from_db()
    assert advice.stage == AdviceStage.OPVOLGING
    assert Notification.objects.filter(
        recipient=world.gemeente_member, title__contains="uitvoeringsplan"
    ).exists()
    # The owner marks it done; someone else may not.
    with pytest.raises(CommunityError):
        followup.set_commitment_status(
            actor=world.observer, commitment=commitment, status=CommitmentStatus.DONE
        )
    followup.set_commitment_status(
        actor=world.gemeente_member, commitment=commitment, status=CommitmentStatus.DONE
    )
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.DONE


def test_an_overdue_commitment_stands_out_on_the_home_and_reminds_its_owner(world, decided):
    advice, _decision = decided
    late = followup.add_commitment(
        actor=world.initiatief_member,
        advice=advice,
        description="Een brief aan de raad over de borg",
        owner=world.gemeente_member,
        due_on=timezone.localdate() - timedelta(days=2),
    )
    home = client_for(None).get("/c/publiek/").content.decode()
    assert 'id="overdue-commitments"' in home and "Een brief aan de raad" in home
    Notification.objects.all().delete()
    assert reminders.remind_overdue_commitments() == 1
    assert reminders.remind_overdue_commitments() == 0  # once a week
    assert Notification.objects.get().recipient == world.gemeente_member
    followup.set_commitment_status(
        actor=world.gemeente_member, commitment=late, status=CommitmentStatus.DONE
    )
    home = client_for(None).get("/c/publiek/").content.decode()
    assert 'id="overdue-commitments"' not in home


def test_putting_an_offered_advice_on_a_meetings_agenda(world, cast):  # noqa: F811
    advice = start(world)
    offered(world, advice)
    planned = meeting(world, actor=world.initiatief_member)
    followup.put_on_agenda(actor=world.initiatief_member, meeting=planned, advice=advice)
    advice.refresh_from_db()
    assert advice.stage == AdviceStage.GEAGENDEERD
    with pytest.raises(CommunityError) as twice:
        followup.put_on_agenda(actor=world.initiatief_member, meeting=planned, advice=advice)
    assert twice.value.code == "already_on_agenda"
    page = client_for(None).get(planned.get_absolute_url()).content.decode()
    assert "Garantstelling voor warmtenetten" in page


def test_meetings_join_the_communitys_calendar_one_event_each(world, cast):  # noqa: F811
    first = meeting(world)
    second = meeting(world, hours=24 * 9)
    content = calendar.community_feed(world.public, with_link=False)
    parsed = Calendar.from_ical(content)
    events = {str(e["UID"]): e for e in parsed.walk("VEVENT")}
    assert f"council-meeting-{first.pk}@samenspel" in events
    assert f"council-meeting-{second.pk}@samenspel" in events
    event = events[f"council-meeting-{first.pk}@samenspel"]
    assert "Commissie Omgeving" in str(event["SUMMARY"])
    assert event.decoded("DTSTART").tzinfo is not None
    assert len([e for e in events if e.startswith("council-meeting-")]) == 2
    # Through the public address too.
    response = client_for(None).get("/c/publiek/calendar.ics")
    assert f"council-meeting-{first.pk}@samenspel".encode() in response.content


def test_a_meeting_cannot_end_before_it_starts(world, cast):  # noqa: F811
    starts = timezone.now()
    with pytest.raises(CommunityError):
        followup.plan_meeting(
            actor=world.gemeente_member,
            community=world.public,
            body=MeetingBody.RAAD,
            title="Raad",
            starts_at=starts,
            ends_at=starts - timedelta(hours=1),
        )
    assert not CouncilMeeting.objects.exists()


def test_the_register_holds_what_was_established_and_whether_it_is_in_force(world, decided):
    _advice, decision = decided
    with pytest.raises(CommunityError) as no_source:
        followup.record_arrangement(
            actor=world.gemeente_member,
            community=world.public,
            title="Opgroeirecht vastgesteld",
            established_on=timezone.localdate(),
        )
    assert no_source.value.code == "source_required"
    row = followup.record_arrangement(
        actor=world.gemeente_member,
        community=world.public,
        title="Garantstelling voor coöperatieve warmtenetten",
        established_on=timezone.localdate(),
        decision=decision,
    )
    page = client_for(None).get("/c/publiek/register/").content.decode()
    assert "Garantstelling voor coöperatieve warmtenetten" in page
    followup.end_arrangement(actor=world.steward, arrangement=row, ended_on=timezone.localdate())
    assert not Arrangement.objects.get().in_force
    in_force = client_for(None).get("/c/publiek/register/?show=in-force").content.decode()
    assert "Garantstelling voor coöperatieve" not in in_force
    assert client_for(None).get("/c/besloten/register/").status_code == 404


def test_through_the_pages_meeting_agenda_commitment_and_register(world, decided):
    advice, decision = decided
    client = client_for(world.initiatief_member)
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        "/c/publiek/council-meetings/new/",
        {"body": "raad", "title": "Raadsvergadering", "day": day, "start": "19:30", "end": "23:00"},
    )
    created = CouncilMeeting.objects.get()
    assert response["Location"] == created.get_absolute_url()
    client.post(
        f"/c/publiek/advices/{advice.pk}/commitments/",
        {"description": "Evaluatie na een jaar", "owner": world.gemeente_member.pk},
    )
    assert advice.commitments.get().description == "Evaluatie na een jaar"
    client.post(
        "/c/publiek/register/new/",
        {
            "title": "Borgstelling vastgesteld",
            "decision": decision.pk,
            "established_on": timezone.localdate().isoformat(),
        },
    )
    assert Arrangement.objects.get().decision == decision
    page = client.get(advice.get_absolute_url()).content.decode()
    assert 'id="commitments"' in page and "Evaluatie na een jaar" in page


def test_a_changed_or_cancelled_meeting_raises_its_sequence_and_tells_the_authors(world, cast):  # noqa: F811
    advice = start(world)
    offered(world, advice)
    planned = meeting(world, actor=world.gemeente_member)
    followup.put_on_agenda(actor=world.gemeente_member, meeting=planned, advice=advice)
    Notification.objects.all().delete()
    followup.change_meeting(actor=world.gemeente_member, meeting=planned, title="Commissie Ruimte")
    assert planned.sequence == 0  # a new title is no news for the calendar
    assert not Notification.objects.exists()
    followup.change_meeting(
        actor=world.gemeente_member,
        meeting=planned,
        starts_at=planned.starts_at + timedelta(days=1),
        ends_at=planned.ends_at + timedelta(days=1),
    )
    planned.refresh_from_db()
    assert planned.sequence == 1
    assert Notification.objects.filter(recipient=world.initiatief_member).count() == 1
    followup.cancel_meeting(actor=world.gemeente_member, meeting=planned)
    event = next(
        e
        for e in Calendar.from_ical(calendar.community_feed(world.public, with_link=False)).walk(
            "VEVENT"
        )
        if str(e["UID"]) == f"council-meeting-{planned.pk}@samenspel"
    )
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 2
    with pytest.raises(CommunityError):
        followup.change_meeting(actor=world.gemeente_member, meeting=planned, title="Weer")
    with pytest.raises(CommunityError):
        followup.change_meeting(actor=world.observer, meeting=meeting(world), title="Nee")


def test_changing_and_cancelling_a_meeting_through_its_page(world, cast):  # noqa: F811
    planned = meeting(world)
    client = client_for(world.gemeente_member)
    page = client.get(planned.get_absolute_url()).content.decode()
    assert f"/c/publiek/council-meetings/{planned.pk}/edit/" in page
    assert "/edit/" not in client_for(None).get(planned.get_absolute_url()).content.decode()
    form = client.get(f"/c/publiek/council-meetings/{planned.pk}/edit/").content.decode()
    assert 'value="Commissie Omgeving"' in form
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(
        f"/c/publiek/council-meetings/{planned.pk}/edit/",
        {"body": "raad", "title": "Raad", "day": day, "start": "20:00", "end": "22:00"},
    )
    planned.refresh_from_db()
    assert planned.title == "Raad" and planned.sequence == 1
    client.post(f"/c/publiek/council-meetings/{planned.pk}/cancel/")
    planned.refresh_from_db()
    assert planned.is_cancelled
