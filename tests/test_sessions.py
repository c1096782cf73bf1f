"""The group's sessions (issue 10 §1): who may do what (a table written out by hand), the
services and whoever hears of them, the agenda moving a signal through the loop, the
reminders, and the calendar files read back by two independent readers."""

from datetime import date, datetime, timedelta

import ics
import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from conftest import client_for
from samenspel.communities.models import Membership
from samenspel.communities.services import CommunityError, end_membership
from samenspel.core.activity import feed
from samenspel.core.models import Notification
from samenspel.learning import services as loop
from samenspel.learning.stages import Stage
from samenspel.practice import permissions, sessions
from samenspel.practice.models import ActionPoint, ActionStatus, Answer, Session
from samenspel.practice.reminders import remind_overdue_action_points, remind_sessions_of_tomorrow
from tests.mailbox import outbox

PERSONAS = ["anonymous", "outsider", "observer", "gemeente_member", "steward", "admin"]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def planned(world):
    day = timezone.localdate() + timedelta(days=10)
    return sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Bijeenkomst over vergunningen",
        starts_at=at(day, 19, 30),
        ends_at=at(day, 21, 30),
        place="Stadskantoor, zaal 3",
        online_link="https://meet.example.org/cop",
        about="We bespreken de **vergunningen**.",
    )


# Who may do what: written out by hand, one row per persona, for a planned session of the
# public community (what the private community changes is tested below).
TABLE = {
    #                  view   see who comes  plan   answer
    "anonymous": (True, False, False, False),
    "outsider": (True, False, False, False),
    "observer": (True, True, False, True),
    "gemeente_member": (True, True, False, True),
    "steward": (True, True, True, True),
    "admin": (True, True, True, False),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_do_what_with_a_session(world, planned, persona):
    user = world.persona(persona)
    community = world.public
    assert (
        permissions.can_view_sessions(user, community),
        permissions.can_see_who_comes(user, community),
        permissions.can_plan_sessions(user, community),
        permissions.can_answer_invitation(user, planned),
    ) == TABLE[persona]


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("observer", True),
        ("gemeente_member", True),
        ("steward", True),
        ("admin", True),
    ],
)
def test_only_members_see_the_private_communitys_sessions(world, persona, allowed):
    assert permissions.can_view_sessions(world.persona(persona), world.private) is allowed


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("observer", False),  # an observer reads; even their own point is a steward's
        ("gemeente_member", True),  # the owner
        ("initiatief_member", False),  # a member, not the owner
        ("steward", True),
        ("admin", True),
    ],
)
def test_who_may_update_an_action_point(world, planned, persona, allowed):
    point = sessions.add_action_point(
        actor=world.steward,
        session=planned,
        description="Regeling navragen",
        owner=world.gemeente_member,
    )
    assert permissions.can_update_action_point(world.persona(persona), point) is allowed


def test_nobody_answers_for_a_session_that_is_over_or_cancelled(world, planned):
    with time_machine.travel(planned.ends_at + timedelta(minutes=1)):
        assert not permissions.can_answer_invitation(world.gemeente_member, planned)
    sessions.cancel_session(actor=world.steward, session=planned)
    assert not permissions.can_answer_invitation(world.gemeente_member, planned)


# Planning, changing, cancelling — and who hears of it.


def test_planning_a_session_invites_every_member_but_the_planner(world, planned):
    invited = set(
        Notification.objects.filter(kind="session").values_list("recipient__email", flat=True)
    )
    assert invited == {
        "gemeente@example.org",
        "initiatief@example.org",
        "observer@example.org",
    }
    mails = outbox()
    assert len(mails) == 3
    assert "Uitnodiging: Bijeenkomst over vergunningen" in mails[0].subject
    assert f"/c/publiek/sessions/{planned.pk}/" in mails[0].body
    assert "Stadskantoor, zaal 3" in mails[0].body


def test_a_member_cannot_plan_a_session_and_nothing_is_saved(world):
    day = timezone.localdate() + timedelta(days=3)
    with pytest.raises(CommunityError) as refused:
        sessions.plan_session(
            actor=world.gemeente_member,
            community=world.public,
            title="Eigen bijeenkomst",
            starts_at=at(day, 10),
            ends_at=at(day, 11),
            place="Thuis",
        )
    assert refused.value.status == 403
    assert not Session.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "place", "link", "code"),
    [
        (20, 19, "Zaal", "", "ends_before_start"),
        (19, 20, "", "", "where_required"),
    ],
)
def test_a_session_needs_a_time_that_ends_after_it_starts_and_a_place(
    world, start, end, place, link, code
):
    day = timezone.localdate() + timedelta(days=3)
    with pytest.raises(CommunityError) as refused:
        sessions.plan_session(
            actor=world.steward,
            community=world.public,
            title="Bijeenkomst",
            starts_at=at(day, start),
            ends_at=at(day, end),
            place=place,
            online_link=link,
        )
    assert refused.value.code == code
    assert not Session.objects.exists()


def test_a_new_time_tells_those_still_expected_and_a_new_title_tells_nobody(world, planned):
    sessions.answer_invitation(actor=world.observer, session=planned, answer=Answer.NO)
    Notification.objects.all().delete()

    sessions.change_session(actor=world.steward, session=planned, title="Vergunningen, deel 2")
    assert planned.sequence == 0
    assert not Notification.objects.exists()

    later = planned.starts_at + timedelta(days=1)
    sessions.change_session(
        actor=world.steward, session=planned, starts_at=later, ends_at=later + timedelta(hours=2)
    )
    planned.refresh_from_db()
    assert planned.sequence == 1
    told = set(Notification.objects.values_list("recipient__email", flat=True))
    assert told == {"gemeente@example.org", "initiatief@example.org"}  # not who said no


def test_cancelling_tells_who_was_expected_and_marks_the_calendar(world, planned):
    Notification.objects.all().delete()
    sessions.cancel_session(actor=world.steward, session=planned)
    assert Notification.objects.filter(kind="session").count() == 3
    event = Calendar.from_ical(
        client_for(None).get(f"/c/publiek/sessions/{planned.pk}/session.ics").content
    ).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


# The agenda moves a signal through the loop.


@pytest.fixture
def signal(world):
    return loop.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title="Vergunning duurt negen maanden",
        what_happened="De vergunning voor het warmtenet liet negen maanden op zich wachten.",
    )


def test_discussing_a_signals_agenda_item_moves_it_to_discussed(world, planned, signal):
    item = sessions.add_agenda_item(actor=world.steward, session=planned, signal=signal)
    assert item.title == signal.title
    Notification.objects.all().delete()

    sessions.discuss_agenda_item(
        actor=world.steward, item=item, notes="We vragen de vergunningverlener uit te leggen."
    )

    signal.refresh_from_db()
    assert signal.stage == Stage.BESPROKEN
    event = signal.last_event
    assert event.session_id == planned.pk
    assert event.note == "We vragen de vergunningverlener uit te leggen."
    # Whoever raised it hears of the step (the loop's own feedback).
    assert Notification.objects.filter(recipient=world.initiatief_member, kind="loop-step").exists()


def test_a_signal_past_discussion_stays_where_it_is(world, planned, signal):
    loop.move_signal(
        actor=world.steward,
        signal=signal,
        move=loop.Move(to_stage=Stage.BESPROKEN),
        seen_event_id=None,
    )
    loop.move_signal(
        actor=world.gemeente_member,
        signal=signal,
        move=loop.Move(to_stage=Stage.IN_VERKENNING),
        seen_event_id=None,
    )
    item = sessions.add_agenda_item(actor=world.steward, session=planned, signal=signal)
    events_before = signal.events.count()

    sessions.discuss_agenda_item(actor=world.steward, item=item, notes="Stand van zaken.")

    signal.refresh_from_db()
    assert signal.stage == Stage.IN_VERKENNING
    assert signal.events.count() == events_before
    item.refresh_from_db()
    assert item.discussed_at is not None


def test_a_signal_of_another_community_cannot_be_put_on_the_agenda(world, planned):
    elsewhere = loop.raise_signal(
        community=world.private,
        actor=world.initiatief_member,
        title="Elders",
        what_happened="Iets in de besloten groep.",
    )
    with pytest.raises(CommunityError) as refused:
        sessions.add_agenda_item(actor=world.steward, session=planned, signal=elsewhere)
    assert refused.value.code == "other_community"
    assert not planned.agenda_items.exists()


def test_only_a_steward_keeps_the_agenda(world, planned, signal):
    with pytest.raises(CommunityError):
        sessions.add_agenda_item(actor=world.gemeente_member, session=planned, signal=signal)
    item = sessions.add_agenda_item(actor=world.steward, session=planned, title="Rondvraag")
    with pytest.raises(CommunityError):
        sessions.discuss_agenda_item(actor=world.gemeente_member, item=item)
    item.refresh_from_db()
    assert item.discussed_at is None


# Answers, attendance, minutes, decisions and action points.


def test_an_answer_can_be_changed_and_counts_once(world, planned):
    sessions.answer_invitation(actor=world.gemeente_member, session=planned, answer=Answer.YES)
    sessions.answer_invitation(actor=world.gemeente_member, session=planned, answer=Answer.MAYBE)
    assert list(planned.responses.values_list("answer", flat=True)) == [Answer.MAYBE]
    with pytest.raises(CommunityError):
        sessions.answer_invitation(actor=world.outsider, session=planned, answer=Answer.YES)
    with pytest.raises(CommunityError):
        sessions.answer_invitation(actor=world.observer, session=planned, answer="graag")


def test_attendance_is_set_to_exactly_the_members_named(world, planned):
    sessions.record_attendance(
        actor=world.steward, session=planned, users=[world.gemeente_member, world.observer]
    )
    sessions.record_attendance(
        actor=world.steward, session=planned, users=[world.gemeente_member, world.steward]
    )
    present = set(planned.attendance.values_list("user__email", flat=True))
    assert present == {"gemeente@example.org", "steward@example.org"}
    with pytest.raises(CommunityError):
        sessions.record_attendance(actor=world.steward, session=planned, users=[world.outsider])
    assert planned.attendance.count() == 2


def test_an_action_point_tells_its_owner_who_marks_it_done(world, planned):
    point = sessions.add_action_point(
        actor=world.steward,
        session=planned,
        description="Vergunningverlener uitnodigen",
        owner=world.gemeente_member,
        due_on=timezone.localdate() + timedelta(days=14),
    )
    assert Notification.objects.filter(
        recipient=world.gemeente_member, kind="action-point"
    ).exists()
    with pytest.raises(CommunityError):
        sessions.set_action_point_status(
            actor=world.initiatief_member, point=point, status=ActionStatus.DONE
        )
    sessions.set_action_point_status(
        actor=world.gemeente_member, point=point, status=ActionStatus.DONE
    )
    point.refresh_from_db()
    assert point.status == ActionStatus.DONE


def test_an_action_point_is_for_a_member(world, planned):
    with pytest.raises(CommunityError) as refused:
        sessions.add_action_point(
            actor=world.steward, session=planned, description="Iets", owner=world.outsider
        )
    assert refused.value.code == "not_member"
    assert not ActionPoint.objects.exists()


def test_minutes_and_decisions_are_kept_and_rendered_safely(world, planned):
    sessions.write_minutes(
        actor=world.steward, session=planned, minutes="**Goed gesprek.** <script>x()</script>"
    )
    sessions.add_decision(actor=world.steward, session=planned, text="We schrijven een advies.")
    page = client_for(None).get(planned.get_absolute_url()).content.decode()
    assert "<strong>Goed gesprek.</strong>" in page
    assert "<script>x()" not in page
    assert "We schrijven een advies." in page
    with pytest.raises(CommunityError):
        sessions.write_minutes(actor=world.gemeente_member, session=planned, minutes="Anders")


# Reminders, run by the worker once a day.


def test_the_day_before_those_who_come_are_reminded_once(world, planned):
    sessions.answer_invitation(actor=world.gemeente_member, session=planned, answer=Answer.YES)
    sessions.answer_invitation(actor=world.observer, session=planned, answer=Answer.MAYBE)
    sessions.answer_invitation(actor=world.initiatief_member, session=planned, answer=Answer.NO)
    Notification.objects.all().delete()

    with time_machine.travel(planned.starts_at - timedelta(days=2)):
        assert remind_sessions_of_tomorrow() == 0
    with time_machine.travel(planned.starts_at - timedelta(days=1)):
        assert remind_sessions_of_tomorrow() == 1
        assert remind_sessions_of_tomorrow() == 0  # once
    reminded = set(Notification.objects.values_list("recipient__email", flat=True))
    assert reminded == {"gemeente@example.org", "observer@example.org"}


def test_an_overdue_action_point_reminds_its_owner_once_a_week(world, planned):
    due = timezone.localdate() + timedelta(days=5)
    sessions.add_action_point(
        actor=world.steward,
        session=planned,
        description="Notitie schrijven",
        owner=world.gemeente_member,
        due_on=due,
    )
    Notification.objects.all().delete()
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        assert remind_overdue_action_points() == 0  # due today: not yet late
    with time_machine.travel(timezone.now() + timedelta(days=6)):
        assert remind_overdue_action_points() == 1
        assert remind_overdue_action_points() == 0
    with time_machine.travel(timezone.now() + timedelta(days=10)):
        assert remind_overdue_action_points() == 0
    with time_machine.travel(timezone.now() + timedelta(days=13)):
        assert remind_overdue_action_points() == 1
    assert Notification.objects.filter(recipient=world.gemeente_member).count() == 2


# Calendar files: valid RFC 5545, read back by two independent readers.


def test_a_sessions_file_is_valid_icalendar_in_dutch_time(world, planned):
    content = client_for(None).get(f"/c/publiek/sessions/{planned.pk}/session.ics")
    assert content["Content-Type"].startswith("text/calendar")
    raw = content.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded lines
    calendar = Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"session-{planned.pk}@samenspel"
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event.decoded("DTSTART").hour == 19  # 19:30 Dutch time
    assert event.decoded("DTSTART") == planned.starts_at
    assert str(event["SUMMARY"]) == "Bijeenkomst over vergunningen"
    assert "meet.example.org" not in str(event["LOCATION"])  # a visitor's file: no link

    # A second reader, written independently (ics.py), reads the same event.
    other = next(iter(ics.Calendar(raw.decode()).events))
    assert other.uid == f"session-{planned.pk}@samenspel"
    assert other.begin.datetime == planned.starts_at
    assert other.end.datetime == planned.ends_at


def test_a_member_gets_the_online_link_in_the_file(world, planned):
    raw = client_for(world.observer).get(f"/c/publiek/sessions/{planned.pk}/session.ics").content
    event = Calendar.from_ical(raw).walk("VEVENT")[0]
    assert "https://meet.example.org/cop" in str(event["LOCATION"])


def test_the_public_feed_keeps_each_sessions_uid(world, planned):
    second = sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Tweede bijeenkomst",
        starts_at=planned.starts_at + timedelta(days=30),
        ends_at=planned.ends_at + timedelta(days=30),
        place="Online",
    )
    first_read = Calendar.from_ical(client_for(None).get("/c/publiek/calendar.ics").content)
    sessions.change_session(actor=world.steward, session=planned, place="Zaal 4")
    again = Calendar.from_ical(client_for(None).get("/c/publiek/calendar.ics").content)
    uids = [str(e["UID"]) for e in first_read.walk("VEVENT")]
    assert uids == [f"session-{planned.pk}@samenspel", f"session-{second.pk}@samenspel"]
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids
    assert [int(e["SEQUENCE"]) for e in again.walk("VEVENT")] == [1, 0]
    other = ics.Calendar(client_for(None).get("/c/publiek/calendar.ics").content.decode())
    assert len(other.events) == 2


def test_a_private_communitys_feed_needs_the_members_own_address(world):
    day = timezone.localdate() + timedelta(days=3)
    sessions.plan_session(
        actor=world.steward,
        community=world.private,
        title="Besloten bijeenkomst",
        starts_at=at(day, 10),
        ends_at=at(day, 12),
        online_link="https://meet.example.org/besloten",
    )
    assert client_for(None).get("/c/besloten/calendar.ics").status_code == 404
    assert client_for(world.outsider).get("/c/besloten/calendar.ics").status_code == 404

    member = client_for(world.gemeente_member)
    member.post("/c/besloten/sessions/calendar/")
    key = sessions.calendar_feed(actor=world.gemeente_member, community=world.private).key
    calendar_app = client_for(None)  # a calendar app cannot sign in
    answer = calendar_app.get(f"/c/besloten/calendar.ics?key={key}")
    assert answer.status_code == 200
    assert b"meet.example.org/besloten" in answer.content
    assert calendar_app.get("/c/besloten/calendar.ics?key=guessed").status_code == 404
    assert calendar_app.get(f"/c/publiek/calendar.ics?key={key}").status_code == 404

    member.post("/c/besloten/sessions/calendar/")  # a new address: the old one stops
    assert calendar_app.get(f"/c/besloten/calendar.ics?key={key}").status_code == 404

    new_key = sessions.calendar_feed(actor=world.gemeente_member, community=world.private).key
    leaving = Membership.objects.get(user=world.gemeente_member, community=world.private)
    end_membership(actor=world.gemeente_member, membership=leaving)
    assert calendar_app.get(f"/c/besloten/calendar.ics?key={new_key}").status_code == 404


# Pages.


def test_a_steward_plans_a_session_through_the_page(world):
    day = timezone.localdate() + timedelta(days=7)
    response = client_for(world.steward).post(
        "/c/publiek/sessions/new/",
        {
            "title": "Bijeenkomst 7",
            "day": day.isoformat(),
            "start": "19:30",
            "end": "21:30",
            "place": "Bibliotheek",
            "online_link": "",
            "about": "",
        },
    )
    session = Session.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert timezone.localtime(session.starts_at).hour == 19
    assert Notification.objects.filter(kind="session").count() == 3


def test_the_plan_form_says_what_is_wrong_and_saves_nothing(world):
    response = client_for(world.steward).post(
        "/c/publiek/sessions/new/",
        {"title": "", "day": "", "start": "21:00", "end": "20:00", "place": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vul dit veld in" in page
    assert "Het einde komt na het begin" in page
    assert not Session.objects.exists()


def test_a_member_answers_and_sees_who_comes(world, planned):
    member = client_for(world.gemeente_member)
    member.post(f"/c/publiek/sessions/{planned.pk}/answer/", {"answer": "ja"})
    page = member.get(planned.get_absolute_url()).content.decode()
    assert 'id="my-answer"' in page
    assert "Ik kom" in page
    assert "https://meet.example.org/cop" in page
    visitor_page = client_for(None).get(planned.get_absolute_url()).content.decode()
    assert "https://meet.example.org/cop" not in visitor_page
    assert 'id="who-comes"' not in visitor_page


def test_a_private_communitys_session_is_a_404_for_outsiders(world):
    day = timezone.localdate() + timedelta(days=3)
    session = sessions.plan_session(
        actor=world.steward,
        community=world.private,
        title="Besloten",
        starts_at=at(day, 10),
        ends_at=at(day, 12),
        place="Zaal",
    )
    assert client_for(world.outsider).get(session.get_absolute_url()).status_code == 404
    assert client_for(None).get("/c/besloten/sessions/").status_code == 404
    assert client_for(world.observer).get(session.get_absolute_url()).status_code == 200


def test_only_a_steward_posts_to_the_agenda_through_the_page(world, planned, signal):
    client_for(world.gemeente_member).post(
        f"/c/publiek/sessions/{planned.pk}/agenda/", {"signal": signal.pk}
    )
    assert not planned.agenda_items.exists()
    client_for(world.steward).post(
        f"/c/publiek/sessions/{planned.pk}/agenda/", {"signal": signal.pk}
    )
    item = planned.agenda_items.get()
    client_for(world.steward).post(
        f"/c/publiek/sessions/{planned.pk}/agenda/{item.pk}/discussed/",
        {f"item-{item.pk}-notes": "Besproken."},
    )
    signal.refresh_from_db()
    assert signal.stage == Stage.BESPROKEN


def test_the_activity_feed_has_the_sessions(world, planned):
    texts = [a.text for a in feed(world.public.pk)]
    assert "Bijeenkomst gepland: Bijeenkomst over vergunningen" in texts


# The API: the same services and predicates.


def test_the_api_lists_and_shows_sessions_with_member_only_parts(world, planned):
    listed = client_for(None).get("/api/v1/communities/publiek/sessions").json()
    assert listed["count"] == 1
    assert listed["items"][0]["title"] == "Bijeenkomst over vergunningen"
    assert listed["items"][0]["calendarUrl"].endswith(f"/sessions/{planned.pk}/session.ics")

    visitor = client_for(None).get(f"/api/v1/sessions/{planned.pk}").json()
    assert visitor["onlineLink"] is None
    assert visitor["answers"] is None

    member = client_for(world.gemeente_member)
    member.post(
        f"/api/v1/sessions/{planned.pk}/answers",
        {"answer": "misschien"},
        content_type="application/json",
    )
    seen = member.get(f"/api/v1/sessions/{planned.pk}").json()
    assert seen["onlineLink"] == "https://meet.example.org/cop"
    assert seen["answers"] == {"ja": 0, "misschien": 1, "nee": 0}
    assert seen["myAnswer"] == "misschien"


def test_the_api_plans_a_session_for_a_steward_only(world):
    body = {
        "title": "Via de API",
        "startsAt": "2027-01-12T19:30:00+01:00",
        "endsAt": "2027-01-12T21:30:00+01:00",
        "place": "Zaal 1",
    }
    refused = client_for(world.gemeente_member).post(
        "/api/v1/communities/publiek/sessions", body, content_type="application/json"
    )
    assert refused.status_code == 403
    naive = client_for(world.steward).post(
        "/api/v1/communities/publiek/sessions",
        {**body, "startsAt": "2027-01-12T19:30:00"},
        content_type="application/json",
    )
    assert naive.status_code == 400
    assert naive.json()["invalidParams"][0]["name"] == "startsAt"
    assert not Session.objects.exists()
    created = client_for(world.steward).post(
        "/api/v1/communities/publiek/sessions", body, content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["startsAt"].startswith("2027-01-12T")
    assert Session.objects.get().title == "Via de API"


def test_the_api_calendar_is_the_same_feed(world, planned):
    answer = client_for(None).get("/api/v1/communities/publiek/calendar.ics")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [f"session-{planned.pk}@samenspel"]
    assert client_for(None).get("/api/v1/communities/besloten/calendar.ics").status_code == 404


def test_a_members_shared_session_page_costs_three_queries(
    world, planned, django_assert_num_queries
):
    member = client_for(world.gemeente_member)
    assert member.get(planned.get_absolute_url())["X-Page-Cache"] == "member-miss"
    # The session, the user and the community (without Redis; with it the first two come
    # from the cache); the reader's answer and action points are kept per content version.
    with django_assert_num_queries(3):
        assert member.get(planned.get_absolute_url())["X-Page-Cache"] == "member-hit"


def test_the_feed_is_kept_until_the_community_changes(world, planned, django_assert_num_queries):
    client = client_for(None)
    first = client.get("/c/publiek/calendar.ics").content
    with django_assert_num_queries(1):  # the community only
        assert client.get("/c/publiek/calendar.ics").content == first
    sessions.change_session(actor=world.steward, session=planned, place="Zaal 9")
    assert b"Zaal 9" in client.get("/c/publiek/calendar.ics").content


def test_a_kept_session_page_follows_the_clock_past_the_sessions_end(world):
    """Copies of a session page are kept per content version; the moment the session ends
    changes the page (no answer form, the pulse link) without any change in the group."""
    import time_machine

    # It ends in ten minutes: well within the hour a kept copy may live.
    starts = timezone.now() - timedelta(minutes=110)
    session = sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Straks",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Zaal",
    )
    pulse = f"/c/publiek/sessions/{session.pk}/pulse/"
    answer_form = f'action="/c/publiek/sessions/{session.pk}/answer/"'
    member = client_for(world.gemeente_member)
    before = member.get(session.get_absolute_url()).content.decode()
    assert answer_form in before and pulse not in before
    visitor_before = client_for(None).get(session.get_absolute_url())
    with time_machine.travel(starts + timedelta(minutes=125)):
        after = member.get(session.get_absolute_url()).content.decode()
        assert answer_form not in after and pulse in after
        visitor_after = client_for(None).get(session.get_absolute_url())
        assert visitor_after.get("X-Page-Cache") != "hit"
    with time_machine.travel(starts + timedelta(days=40)):
        later = member.get(session.get_absolute_url()).content.decode()
        assert pulse not in later
    assert visitor_before.status_code == 200
