"""The health of the group in the browser (issue 10 §7), nl and en, axe on every page: three
members answer the pulse after a session (radio groups, keyboard-usable), the dashboard
shows the figures for everyone once three answered, and a steward records the stage."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from e2e.helpers import Site, answer_pulse, check_a11y, log_in
from samenspel.practice import sessions
from samenspel.practice.models import CommunityStage


def test_the_pulse_fills_the_dashboard(
    page: Page, new_context: Callable[..., BrowserContext], site: Site, world
):
    starts = timezone.now() - timedelta(days=1)
    held = sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Bijeenkomst over vertrouwen",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Zaal",
    )
    for member, score in (
        (world.gemeente_member, "4"),
        (world.initiatief_member, "5"),
        (world.observer, "3"),
    ):
        browser = new_context().new_page()
        log_in(browser, site.base_url, member)
        site.visit(browser, f"/c/publiek/sessions/{held.pk}/")
        answer_pulse(browser, site, held.title, score)

    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/publiek/health/")
    everyone = page.locator('#pulse-table tr[data-side="all"]')
    expect(everyone.locator("td").nth(1)).to_have_text("3")  # answers
    expect(everyone.locator("td").nth(2)).to_have_text("4,0" if site.language == "nl" else "4.0")
    page.get_by_text(site._("Record where the group stands"), exact=True).click()
    page.get_by_label(
        str(CommunityStage.COALESCING.label) and site._(CommunityStage.COALESCING.label)
    ).check()
    page.get_by_role("button", name=site._("Save")).last.click()
    expect(page.locator("#current-stage")).to_have_text(site._(CommunityStage.COALESCING.label))
    check_a11y(page)
