"""Council meetings in the community's calendar feed (practice/calendar.py asks every
registered source): one VEVENT per meeting, with a UID of its own that never changes and a
SEQUENCE that grows with every change of its time or place."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from samenspel.communities.models import Community
from samenspel.core.sites import absolute
from samenspel.council.models import CouncilMeeting
from samenspel.practice.calendar import FEED_LIMIT, FEED_PAST, ZONE


def uid(meeting: CouncilMeeting) -> str:
    return f"council-meeting-{meeting.pk}@samenspel"


def meeting_event(meeting: CouncilMeeting) -> Event:
    event = Event()
    event.add("uid", uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at.astimezone(ZONE))
    event.add("dtend", meeting.ends_at.astimezone(ZONE))
    event.add("summary", f"{meeting.get_body_display()}: {meeting.title}")
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    event.add("categories", [_("Council")])
    page = absolute(meeting.get_absolute_url())
    event.add("url", page)
    if meeting.place:
        event.add("location", meeting.place)
    lines = [_("The group's advices on the agenda: %(url)s") % {"url": page}]
    if meeting.link:
        lines.append(meeting.link)
    event.add("description", "\n\n".join(lines))
    return event


def meeting_events(community: Community, with_link: bool) -> Iterable[Event]:
    since = timezone.now() - FEED_PAST
    meetings = CouncilMeeting.objects.filter(community=community, ends_at__gte=since).order_by(
        "starts_at", "pk"
    )[:FEED_LIMIT]
    for meeting in meetings:
        meeting.community = community
        yield meeting_event(meeting)
