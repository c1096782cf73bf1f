"""The language switcher: Dutch by default, English under /en/, and back."""

import pytest
from playwright.sync_api import Page, expect

from e2e.helpers import check_a11y, visit

pytestmark = pytest.mark.e2e


def test_switch_to_english_and_back(page: Page, live_server, world):
    visit(page, live_server.url + "/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Openbare groepen")).to_be_visible()

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/")
    expect(html).to_have_attribute("lang", "en")
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Communities")).to_be_visible()
    expect(menu.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.get_by_role("heading", name="Public communities")).to_be_visible()
    check_a11y(page)

    page.get_by_role("link", name="Nederlands").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(html).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Openbare groepen")).to_be_visible()
    check_a11y(page)


def test_switching_language_keeps_the_page(page: Page, live_server, world):
    visit(page, live_server.url + "/c/publiek/members/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/c/publiek/members/")
    expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible()
    check_a11y(page)
