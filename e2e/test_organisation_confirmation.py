"""A member says which organisation they belong to; a steward confirms it in the browser,
and only then does the member act for it."""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from e2e.helpers import Site, check_a11y, log_in
from samenspel.communities.models import Membership
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.e2e


def interpolated(site: Site, message: str, **values: str) -> str:
    with translation.override(site.language):
        return translation.gettext(message) % values


def test_an_organisation_counts_once_a_steward_confirms_it(page: Page, site: Site, world):
    OrganisationFactory(community=world.public, name="Warmte Noord")
    member = world.initiatief_member
    log_in(page, site.base_url, member)
    site.visit(page, "/c/publiek/membership/")
    field = re.compile(rf"^\s*{re.escape(site._('organisation'))}:?\s*$", re.IGNORECASE)
    page.get_by_label(field).select_option(label="Warmte Noord")
    page.get_by_role("button", name=site._("Save")).click()
    expect(page.get_by_role("status")).to_be_visible()
    site.visit(page, "/c/publiek/membership/")
    expect(page.get_by_role("main")).to_contain_text(
        interpolated(
            site,
            "Your place at %(organisation)s is waiting for confirmation by a steward or a "
            "confirmed member of %(organisation)s. Until then you cannot act for it.",
            organisation="Warmte Noord",
        )
    )
    check_a11y(page)
    membership = Membership.objects.get(user=member, community=world.public)
    assert membership.organisation.name == "Warmte Noord"
    assert membership.confirmed_organisation_id is None

    page.context.clear_cookies()
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/publiek/organisations/")
    expect(page.get_by_role("heading", name=site._("Waiting for confirmation"))).to_be_visible()
    page.get_by_role("button", name=re.compile(re.escape(member.name) + ".*Warmte Noord")).click()
    expect(page.get_by_role("heading", name=site._("Waiting for confirmation"))).to_have_count(0)
    check_a11y(page)
    membership.refresh_from_db()
    assert membership.confirmed_organisation_id == membership.organisation_id

    page.context.clear_cookies()
    log_in(page, site.base_url, member)
    site.visit(page, "/c/publiek/membership/")
    expect(page.get_by_role("main")).to_contain_text(
        interpolated(
            site,
            "You act for %(organisation)s. Choosing another organisation needs a new confirmation.",
            organisation="Warmte Noord",
        )
    )
