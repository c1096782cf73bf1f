"""A steward finds the emails that did not arrive and sends one again, in the browser."""

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from e2e.helpers import Site, check_a11y, log_in
from samenspel.core.models import DeliveryStatus, EmailDelivery
from tests.mailbox import run_worker

pytestmark = pytest.mark.e2e


def test_a_steward_sends_a_failed_email_again(page: Page, site: Site, world):
    delivery = EmailDelivery.objects.create(
        to=world.gemeente_member.email,
        recipient=world.gemeente_member,
        community=world.public,
        subject="Uitnodiging voor de sessie van maart",
        body="Tot dan.",
        status=DeliveryStatus.FAILED,
        attempts=6,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
    )
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/publiek/deliveries/")
    nav = page.get_by_role("navigation", name=site._("Community menu"))
    expect(nav.get_by_role("link", name=site._("Emails"))).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("cell", name="Uitnodiging voor de sessie van maart")).to_be_visible()
    expect(page.get_by_role("cell", name="SMTPServerDisconnected", exact=False)).to_be_visible()
    page.get_by_role("button", name=world.gemeente_member.email).click()
    expect(page.get_by_role("status")).to_be_visible()
    check_a11y(page)
    run_worker()
    assert [m.subject for m in mail.outbox] == ["Uitnodiging voor de sessie van maart"]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT
    page.reload()
    expect(page.get_by_role("button", name=world.gemeente_member.email)).to_have_count(0)
    expect(
        page.get_by_text(site._("All emails of this community arrived at the mail server."))
    ).to_be_visible()
