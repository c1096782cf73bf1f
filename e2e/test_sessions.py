"""The group's sessions in the browser (issue 10 §1), in Dutch and English, axe on every
page: a steward plans a session and puts a signal on the agenda; a member answers the
invitation; the steward records the discussion (the signal moves), writes the minutes and
gives the member an action point; the member marks it done and subscribes to the calendar;
on a phone the session page does not scroll sideways."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from e2e.helpers import (
    Site,
    assert_no_horizontal_scrolling,
    check_a11y,
    label,
    log_in,
    open_invitation,
)
from samenspel.learning import services as loop
from samenspel.learning.stages import Stage
from samenspel.practice.models import ActionStatus, Session

SIGNAL = "De aansluiting op het warmtenet wacht op de gemeente"


def test_plan_answer_discuss_and_follow_up_a_session(
    page: Page, new_context: Callable[..., BrowserContext], site: Site, world
):
    for user in (world.steward, world.gemeente_member):
        user.preferred_language = site.language
        user.save(update_fields=["preferred_language"])
    signal = loop.raise_signal(
        community=world.public,
        actor=world.initiatief_member,
        title=SIGNAL,
        what_happened="De school wil aansluiten, maar niemand bij de gemeente beslist.",
    )
    day = timezone.localdate() + timedelta(days=9)

    # 1. The steward plans a session.
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/publiek/sessions/")
    page.get_by_role("link", name=site._("Plan a session")).click()
    check_a11y(page)
    page.get_by_label(label(site._("Title"))).fill("Bijeenkomst over aansluitingen")
    page.get_by_label(label(site._("Date"))).fill(day.isoformat())
    page.get_by_label(label(site._("From"))).fill("19:30")
    page.get_by_label(label(site._("Until"))).fill("21:30")
    page.get_by_label(label(site._("Place"))).fill("Stadskantoor, zaal 3")
    page.get_by_role("button", name=site._("Plan and invite")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Bijeenkomst over aansluitingen")
    check_a11y(page)
    session = Session.objects.get()

    # 2. … and puts the signal on the agenda.
    page.get_by_text(site._("Add to the agenda"), exact=True).click()
    page.locator("#agenda-form").get_by_label(label(site._("Signal"))).select_option(str(signal.pk))
    page.locator("#agenda-form").get_by_role("button", name=site._("Add")).click()
    expect(page.locator("#agenda").get_by_role("link", name=SIGNAL)).to_be_visible()
    check_a11y(page)

    # 3. A member answers the invitation (from their messages).
    member = new_context().new_page()
    log_in(member, site.base_url, world.gemeente_member)
    open_invitation(member, site, "Bijeenkomst over aansluitingen")
    member.get_by_label(site._("I am coming"), exact=True).check()
    member.get_by_role("button", name=site._("Save my answer")).click()
    expect(member.locator("#my-answer")).to_contain_text(site._("I am coming"))
    check_a11y(member)

    # 4. After the session the steward records the discussion, the minutes and an action.
    page.reload()
    page.get_by_text(site._("Record the discussion of “%(title)s”") % {"title": SIGNAL}).click()
    page.locator(f"#item-{session.agenda_items.get().pk}").get_by_label(
        label(site._("What was said"))
    ).fill("De gemeente zoekt uit wie beslist.")
    page.locator(f"#item-{session.agenda_items.get().pk}").get_by_role(
        "button", name=site._("Discussed")
    ).click()
    expect(page.locator("#agenda")).to_contain_text("De gemeente zoekt uit wie beslist.")
    signal.refresh_from_db()
    assert signal.stage == Stage.BESPROKEN
    page.get_by_text(site._("Write the minutes"), exact=True).click()
    page.locator("#minutes-form textarea").fill("**Goed gesprek** over aansluitingen.")
    page.locator("#minutes-form").get_by_role("button", name=site._("Save the minutes")).click()
    expect(page.locator("#minutes strong")).to_have_text("Goed gesprek")
    page.get_by_text(site._("Add an action point"), exact=True).click()
    form = page.locator("#action-form")
    form.get_by_label(label(site._("What needs to be done"))).fill("Beslisser zoeken")
    form.get_by_label(label(site._("Who does it"))).select_option(str(world.gemeente_member.pk))
    form.get_by_role("button", name=site._("Add")).click()
    expect(page.locator("#action-points")).to_contain_text("Beslisser zoeken")
    check_a11y(page)

    # 5. The member marks the action point done, and subscribes to the calendar.
    member.reload()
    point = session.action_points.get()
    member.locator(f"#status-{point.pk}").select_option(ActionStatus.DONE)
    member.locator("#action-points").get_by_role("button", name=site._("Save")).click()
    expect(member.locator(f"#status-{point.pk}")).to_have_value(ActionStatus.DONE)
    site.visit(member, "/c/publiek/sessions/calendar/")
    member.get_by_role("button", name=site._("Make my calendar address")).click()
    expect(member.locator("#feed-url")).to_contain_text("/c/publiek/calendar.ics?key=")
    check_a11y(member)

    # 6. On a phone, the session page fits the screen.
    member.set_viewport_size({"width": 390, "height": 800})
    site.visit(member, f"/c/publiek/sessions/{session.pk}/")
    assert_no_horizontal_scrolling(member)
