"""Peer consultation in the browser (issue 10 §5), nl and en, axe on every page: a steward
starts one in a session for a member's case, the case bringer writes down a round, and a
member records the lesson it ends in."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from e2e.helpers import Site, check_a11y, label, log_in, write_round
from samenspel.practice import sessions
from samenspel.practice.models import PeerConsultation


def test_a_case_is_worked_through_and_ends_in_a_lesson(
    page: Page, new_context: Callable[..., BrowserContext], site: Site, world
):
    starts = timezone.now() - timedelta(hours=3)
    held = sessions.plan_session(
        actor=world.steward,
        community=world.public,
        title="Intervisie over garanties",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Zaal",
    )
    log_in(page, site.base_url, world.steward)
    site.visit(page, f"/c/publiek/sessions/{held.pk}/")
    page.get_by_role("link", name=site._("Start a peer consultation")).click()
    check_a11y(page)
    page.get_by_label(label(site._("Who brings the case"))).select_option(
        str(world.initiatief_member.pk)
    )
    page.get_by_label(label(site._("Their question"))).fill("Hoe krijg ik de raad mee?")
    page.get_by_label(label(site._("The case"))).fill("De bank vraagt een garantstelling.")
    page.get_by_role("button", name=site._("Start"), exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Hoe krijg ik de raad mee?")
    check_a11y(page)
    consultation = PeerConsultation.objects.get()

    bringer = new_context().new_page()
    log_in(bringer, site.base_url, world.initiatief_member)
    site.visit(bringer, consultation.get_absolute_url())
    write_round(bringer, site, 3, "Zoek een bondgenoot.")
    bringer.get_by_role("link", name=site._("Write down a lesson")).click()
    check_a11y(bringer)
    bringer.get_by_label(label(site._("What did you learn?"))).fill(
        "Een bondgenoot in het college helpt"
    )
    bringer.get_by_role("button", name=site._("Save")).click()
    expect(bringer.locator("#consultation-lessons")).to_contain_text(
        "Een bondgenoot in het college helpt"
    )
    check_a11y(bringer)
