"""Sessions as iCalendar (RFC 5545, the `icalendar` library): one file per session, and a
community's feed that a calendar app subscribes to (with the events apps above add, such as
the council's meetings). Times are in Europe/Amsterdam with
the time zone described in the file; a session keeps its UID for ever, and its SEQUENCE
grows when its time, place or status changes, so calendar apps update rather than
duplicate it."""

from collections.abc import Callable, Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from samenspel.communities.models import Community
from samenspel.core.release import release
from samenspel.core.sites import absolute
from samenspel.practice.models import Session

ZONE = ZoneInfo("Europe/Amsterdam")
# The feed holds the sessions of the past year and all that are planned.
FEED_PAST = timedelta(days=365)
FEED_LIMIT = 500
FEED_KEPT = 60 * 60


# Apps above add their own events to the community's feed (the council's meetings): a
# function (community, with_link) -> events, registered in their AppConfig.ready().
EventSource = Callable[[Community, bool], Iterable[Event]]
_sources: list[EventSource] = []


def register_source(source: EventSource) -> None:
    _sources.append(source)


def uid(session: Session) -> str:
    return f"session-{session.pk}@samenspel"


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Samenspel//Samenspel//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar


def _event(session: Session, *, with_link: bool) -> Event:
    event = Event()
    event.add("uid", uid(session))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at.astimezone(ZONE))
    event.add("dtend", session.ends_at.astimezone(ZONE))
    event.add("summary", session.title)
    event.add("sequence", session.sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    page = absolute(session.get_absolute_url())
    event.add("url", page)
    where = [session.place] if session.place else []
    if with_link and session.online_link:
        where.append(session.online_link)
    if where:
        event.add("location", " · ".join(where))
    lines = [session.about] if session.about else []
    lines.append(_("Agenda, who comes and the minutes: %(url)s") % {"url": page})
    event.add("description", "\n\n".join(lines))
    return event


def serialise(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def session_file(session: Session, *, with_link: bool) -> bytes:
    """One session, for "add to my calendar"."""
    calendar = new_calendar(session.title)
    calendar.add_component(_event(session, with_link=with_link))
    return serialise(calendar)


def feed_sessions(community: Community) -> Iterable[Session]:
    since = timezone.now() - FEED_PAST
    sessions = Session.objects.filter(community=community, ends_at__gte=since).order_by(
        "starts_at", "pk"
    )
    return sessions[:FEED_LIMIT]


def community_feed(community: Community, *, with_link: bool) -> bytes:
    """The community's calendar: its sessions of the past year and those planned. Kept
    while nothing in the community changes (calendar apps ask every hour)."""
    key = f"calendar:{release()}:{community.pk}:{community.content_version}:{int(with_link)}"
    found = cache.get(key)
    if isinstance(found, bytes):
        return found
    content = _community_feed(community, with_link=with_link)
    cache.set(key, content, FEED_KEPT)
    return content


def _community_feed(community: Community, *, with_link: bool) -> bytes:
    calendar = new_calendar(community.name)
    for session in feed_sessions(community):
        session.community = community
        calendar.add_component(_event(session, with_link=with_link))
    for source in _sources:
        for event in source(community, with_link):
            calendar.add_component(event)
    return serialise(calendar)
