"""A steward invites someone by email; the invitee logs in from the link and joins."""

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from e2e.helpers import check_a11y, label, link_in_last_email, log_in, visit
from samenspel.communities.models import Membership, Role, Side
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e


def test_a_steward_invites_and_the_invitee_logs_in_and_joins(
    page: Page, new_context, live_server, world
):
    invitee = UserFactory(email="nieuw@example.org", display_name="Nina Nieuw")

    # The steward sends the invitation.
    log_in(page, live_server.url, world.steward)
    visit(page, live_server.url + "/c/besloten/invite/")
    page.get_by_label(label("E-mailadres")).fill(invitee.email)
    page.get_by_label(label("Komt vanuit")).select_option(label="Initiatief")
    page.get_by_label(label("Persoonlijk bericht")).fill("Welkom bij onze CoP!")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_role("status")).to_contain_text(invitee.email)
    expect(page.get_by_role("main").get_by_text(invitee.email).last).to_be_visible()
    check_a11y(page)
    link = link_in_last_email(invitee.email, r"/c/invitations/[^\s/]+/")

    # The invitee, in a browser of their own, opens the link and logs in from there.
    browser: BrowserContext = new_context()
    guest = browser.new_page()
    visit(guest, link)
    expect(guest.get_by_role("heading", level=1)).to_contain_text("Besloten")
    expect(guest.get_by_role("main")).to_contain_text("Welkom bij onze CoP!")
    guest.get_by_role("main").get_by_role("link", name="Inloggen").click()
    expect(guest).to_have_url(re.compile(r"/accounts/login/\?next=/c/invitations/"))
    check_a11y(guest)
    guest.get_by_label(label("E-mailadres")).fill(invitee.email)
    guest.get_by_label(label("Wachtwoord")).fill(PASSWORD)
    guest.get_by_role("button", name="Inloggen").click()

    # Back on the invitation, now able to accept it.
    expect(guest).to_have_url(link)
    check_a11y(guest)
    guest.get_by_role("button", name="Uitnodiging aannemen").click()

    expect(guest).to_have_url(live_server.url + "/c/besloten/")
    expect(guest.get_by_role("status")).to_contain_text("Besloten")
    expect(guest.get_by_role("link", name="Deze groep verlaten")).to_be_visible()
    check_a11y(guest)
    membership = Membership.objects.active().get(user=invitee, community=world.private)
    assert (membership.side, membership.role) == (Side.INITIATIEF, Role.LID)
