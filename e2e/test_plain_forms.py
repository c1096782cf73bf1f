"""Forms and the map, as people use them (issue 9 §4, §7): the error summary receives focus
and leads to each field; long texts count the characters left; on the atlas the
neighbourhoods carry their names and markers are large enough to tap."""

from decimal import Decimal

from playwright.sync_api import Page, expect

from e2e.helpers import Site, check_a11y, log_in
from samenspel.initiatives.models import Neighbourhood
from tests.initiative_factories import InitiativeFactory

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[6.08, 52.50], [6.12, 52.50], [6.12, 52.53], [6.08, 52.53], [6.08, 52.50]]],
}


def test_the_error_summary_takes_focus_and_leads_to_the_field(page: Page, site: Site, world):
    log_in(page, site.base_url, world.gemeente_member)
    site.visit(page, "/c/publiek/signals/new/")
    counter = page.locator("#id_what_happened_counter")
    expect(counter).to_contain_text("10.000" if site.language == "nl" else "10,000")
    page.locator("#id_what_happened").fill("Te kort verhaal.")
    expect(counter).to_contain_text("9.984" if site.language == "nl" else "9,984")
    page.get_by_role("button", name=site._("Raise the signal")).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    check_a11y(page)
    summary.get_by_role("link", name=site._("title").capitalize(), exact=False).first.click()
    expect(page).to_have_url(page.url.split("#")[0] + "#id_title")
    expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")


def test_the_atlas_names_neighbourhoods_and_its_markers_can_be_tapped(
    page: Page, site: Site, world
):
    Neighbourhood.objects.create(community=world.public, name="Assendorp", area=SQUARE)
    InitiativeFactory(
        community=world.public,
        name="Warmte Assendorp",
        latitude=Decimal("52.515"),
        longitude=Decimal("6.10"),
    )
    page.set_viewport_size({"width": 390, "height": 800})
    site.visit(page, "/c/publiek/initiatives/")
    expect(page.locator(".ss-map-label", has_text="Assendorp")).to_be_visible()
    marker = page.locator("#atlas-map path.leaflet-interactive").last
    box = marker.bounding_box()
    assert box is not None and box["width"] >= 24 and box["height"] >= 24
    # One finger scrolls the page: the map only moves with two (gesture handling is on).
    expect(page.locator("#atlas-map")).to_have_attribute("data-gestures", "two-fingers")
