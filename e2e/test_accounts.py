"""Signing up through allauth's form: verify the email address, end up logged in."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Page, expect

from e2e.helpers import check_a11y, label, link_in_last_email, visit
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_sign_up_confirm_the_email_address_and_end_logged_in(page: Page, live_server):
    visit(page, live_server.url + "/accounts/signup/")
    page.get_by_label(label("E-mailadres")).fill("nieuw@example.org")
    page.get_by_label(label("Wachtwoord")).fill(PASSWORD)
    page.get_by_label(label("Wachtwoord (bevestigen)")).fill(PASSWORD)
    page.get_by_role("button", name="Account maken").click()

    # allauth asks to confirm the address first (verification is mandatory).
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    check_a11y(page)
    link = link_in_last_email("nieuw@example.org", r"/accounts/confirm-email/[^\s/]+/")

    visit(page, link)
    expect(page.get_by_role("main")).to_contain_text("nieuw@example.org")
    page.get_by_role("button", name="Bevestigen").click()

    # Logged in, they land on My work, which says how to take part.
    expect(page).to_have_url(live_server.url + "/my-work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werk")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(nav.get_by_role("link", name="Mijn profiel")).to_be_visible()
    check_a11y(page)
    assert EmailAddress.objects.get(email="nieuw@example.org").verified


def test_a_wrong_password_is_refused_accessibly(page: Page, live_server, world):
    visit(page, live_server.url + "/accounts/login/")
    page.get_by_label(label("E-mailadres")).fill(world.outsider.email)
    page.get_by_label(label("Wachtwoord")).fill("not-the-password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label(label("Wachtwoord"))).to_be_empty()
    check_a11y(page)
