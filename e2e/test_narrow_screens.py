"""A phone-sized screen (375 × 740): the page never scrolls sideways and passes axe."""

import pytest
from playwright.sync_api import Page

from e2e.helpers import assert_no_horizontal_scrolling, log_in, visit
from samenspel.communities.models import Organisation, Side
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/c/besloten/", "/c/besloten/members/"])
def test_community_pages_fit_a_phone(page: Page, live_server, world, path):
    # Long words that do not break by themselves: an email address and an organisation.
    organisation = Organisation.objects.create(
        community=world.private, name="Warmtecoöperatie Assendorp-Diezerpoort-Binnenstad"
    )
    MembershipFactory(
        community=world.private,
        side=Side.INITIATIEF,
        organisation=organisation,
        user=UserFactory(
            email="secretariaat.warmtecooperatie.assendorp@bewonersinitiatief-zwolle.example.org",
            display_name="Annemarie van den Berg-Hoogeveen",
        ),
    )
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server.url, world.steward)
    visit(page, live_server.url + path)  # checks axe at this size too
    assert_no_horizontal_scrolling(page)
