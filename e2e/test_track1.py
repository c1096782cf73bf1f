"""Track 1 in the browser: an initiative is registered, reviewed, shown on the atlas and
counted in the community's value; every track 1 page passes axe in Dutch and English."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.text import capfirst
from playwright.sync_api import BrowserContext, Page, expect

from e2e.helpers import Site, assert_no_horizontal_scrolling, check_a11y, label, log_in
from samenspel.communities.models import Membership, Organisation
from samenspel.initiatives import services
from samenspel.initiatives.choices import ExchangeKind, Phase
from samenspel.initiatives.defaults import ensure_defaults
from samenspel.initiatives.models import (
    Exchange,
    Indicator,
    Initiative,
    Neighbourhood,
    SupportOffer,
)
from tests.initiative_factories import InitiativeFactory

pytestmark = pytest.mark.e2e

COMMUNITY = "/c/publiek"
THIS_YEAR = date.today().year
GAS_FACTOR = Decimal("1.78")  # the default emission factor of natural gas (defaults.py)


@dataclass
class Track1:
    community_name: str
    organisation: Organisation
    initiative: Initiative  # listed, of `organisation`, with figures for two years


@pytest.fixture
def track1(world) -> Track1:  # type: ignore[no-untyped-def]
    """The public community with its defaults, a neighbourhood, an organisation whose member
    is world.initiatief_member, and one listed initiative with figures, a need and a request."""
    community = world.public
    ensure_defaults(community)
    organisation = Organisation.objects.create(
        community=community, name="Warmtecoöperatie Assendorp-Diezerpoort"
    )
    Membership.objects.filter(user=world.initiatief_member, community=community).update(
        organisation=organisation, organisation_confirmed_at=timezone.now()
    )
    neighbourhood = Neighbourhood.objects.create(community=community, name="Assendorp", homes=4200)
    initiative = InitiativeFactory(
        community=community,
        organisation=organisation,
        name="Warmte Assendorp",
        slug="warmte-assendorp",
        phase=Phase.VERKENNING,
        contact_email="info@warmte-assendorp.example.org",
    )
    initiative.neighbourhoods.set([neighbourhood])
    indicators = {i.code: i for i in Indicator.objects.filter(community=community)}
    for year, gas, households in ((THIS_YEAR - 3, 900, 40), (THIS_YEAR - 1, 12500, 310)):
        for code, value in (("gas-saved", gas), ("households-reached", households)):
            services.record_value(
                actor=world.initiatief_member,
                initiative=initiative,
                indicator=indicators[code],
                year=year,
                value=Decimal(value),
            )
    services.record_value(
        actor=world.initiatief_member,
        initiative=initiative,
        indicator=indicators["value-story"],
        year=THIS_YEAR - 1,
        text="Buren kennen elkaar nu, en weten wat isoleren oplevert.",
    )
    Exchange.objects.create(
        initiative=initiative,
        kind=ExchangeKind.NEED,
        title="Wie heeft ervaring met een haalbaarheidsstudie?",
        phase=Phase.VERKENNING,
    )
    offer = SupportOffer.objects.filter(community=community, phase=Phase.VERKENNING).first()
    assert offer is not None
    services.request_support(
        actor=world.initiatief_member,
        initiative=initiative,
        offer_id=offer.pk,
        message="Een bijdrage aan onze haalbaarheidsstudie, graag.",
    )
    return Track1(community_name=community.name, organisation=organisation, initiative=initiative)


def field(site: Site, verbose_name: str) -> re.Pattern[str]:
    """The label Django gives a model field: its verbose name, translated, capitalised."""
    return label(capfirst(site._(verbose_name)))


def formatted(site: Site, number: Decimal) -> str:
    """A figure as the value pages show it (floatformat "-2g" in the page's language)."""
    with translation.override(site.language):
        return str(floatformat(number, "-2g"))


# -- 1. The journey -----------------------------------------------------------------------

NAME = "Warmtenet De Vecht"


def test_an_initiative_is_registered_listed_mapped_and_counted(
    page: Page, new_context: Callable[..., BrowserContext], site: Site, world, track1
):
    community_name = world.public.name

    # A newcomer (not a member of the community) registers an initiative from the atlas.
    log_in(page, site.base_url, world.outsider)
    site.visit(page, f"{COMMUNITY}/initiatives/")
    page.get_by_role("link", name=site._("Register your initiative"), exact=True).click()
    expect(page.get_by_role("heading", name=site._("Register your initiative"))).to_be_visible()
    check_a11y(page)
    page.get_by_label(field(site, "name")).fill(NAME)
    page.get_by_label(field(site, "in one sentence")).fill("Warmte uit de Vecht voor 300 huizen.")
    page.get_by_label(field(site, "phase")).select_option(label=site._("Realisation"))
    page.get_by_label(site._("Aquathermal: surface water (TEO)")).check()
    page.get_by_label(field(site, "latitude")).fill("52.5190")
    page.get_by_label(field(site, "longitude")).fill("6.0950")
    page.get_by_role("button", name=site._("Send registration")).click()
    thanks = site._("Thank you! A steward will look at %(name)s and let you know.")
    expect(page.get_by_role("status").filter(has_text=thanks % {"name": NAME})).to_be_visible()
    expect(
        page.get_by_role("status").filter(has_text=site._("Waiting for review"))
    ).to_contain_text(
        site._("Only you and the stewards see this page until it is listed in the atlas.")
    )
    expect(page.get_by_role("heading", level=2)).to_have_text(NAME)
    check_a11y(page)
    registered = Initiative.objects.get(community=world.public, name=NAME)
    assert (registered.applicant, registered.review) == (world.outsider, "pending")
    assert registered.solutions == ["teo"]

    # A steward, in a browser of their own, lists it …
    steward = new_context().new_page()
    log_in(steward, site.base_url, world.steward)
    site.visit(steward, f"{COMMUNITY}/initiatives/review/")
    waiting = steward.get_by_role("listitem").filter(
        has=steward.get_by_role("heading", name=NAME, exact=True)
    )
    waiting.get_by_label(site._("List it in the atlas")).check()
    waiting.get_by_role("button", name=site._("Send decision")).click()
    expect(steward.get_by_role("status")).to_contain_text(
        site._("Your decision has been sent to the initiative.")
    )
    expect(steward.get_by_text(site._("There are no registrations waiting."))).to_be_visible()
    check_a11y(steward)

    # … and hands it to its organisation, whose members keep its figures.
    site.visit(steward, f"{COMMUNITY}/initiatives/{registered.slug}/edit/")
    steward.get_by_label(field(site, "organisation")).select_option(label=track1.organisation.name)
    steward.get_by_role("button", name=site._("Save"), exact=True).click()
    expect(steward.get_by_role("status")).to_contain_text(site._("The initiative has been saved."))
    expect(steward.get_by_role("complementary")).to_contain_text(track1.organisation.name)
    check_a11y(steward)

    # The atlas lists it and maps it.
    site.visit(page, f"{COMMUNITY}/initiatives/")
    results = page.locator("#results")
    expect(results.get_by_role("link", name=NAME, exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=track1.initiative.name, exact=True)).to_be_visible()
    points = json.loads(page.locator("#atlas-points").text_content() or "{}")
    mapped = {f["properties"]["name"]: f["geometry"]["coordinates"] for f in points["features"]}
    assert mapped[NAME] == [6.095, 52.519]
    expect(page.locator("#atlas-map path.leaflet-interactive")).to_have_count(len(mapped))

    # Filtering by phase updates the list in place and puts the filter in the address.
    page.get_by_label(label(site._("Phase"))).select_option(label=site._("Realisation"))
    expect(page).to_have_url(re.compile(r"/initiatives/\?(.+&)?phase=realisatie(&|$)"))
    expect(results.get_by_role("link", name=track1.initiative.name)).to_have_count(0)
    expect(results.get_by_role("link", name=NAME, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(community_name)
    check_a11y(page)

    # A member of its organisation enters this year's gas savings …
    member = new_context().new_page()
    log_in(member, site.base_url, world.initiatief_member)
    site.visit(member, f"{COMMUNITY}/value/")
    co2_chart = member.locator("section[aria-labelledby=co2-heading] svg[role=img]")
    summary_before = co2_chart.get_attribute("aria-label")
    expect(co2_chart.locator(".ss-chart__bar")).to_have_count(2)  # the fixture's two years
    expect(co2_chart).not_to_have_attribute("aria-label", re.compile(str(THIS_YEAR)))

    site.visit(member, f"{COMMUNITY}/initiatives/{registered.slug}/values/")
    member.get_by_label(label(site._("Indicator"))).select_option("gas-saved")
    member.get_by_label(label(site._("Year"))).fill(str(THIS_YEAR))
    member.get_by_label(label(site._("Figure"))).fill("2500")
    member.get_by_label(label(site._("Source or note"))).fill("Meterstanden")
    member.get_by_role("button", name=site._("Save figure")).click()
    expect(member.get_by_role("status")).to_contain_text(
        site._("Saved: %(indicator)s in %(year)s.")
        % {"indicator": site._("Gas saved"), "year": THIS_YEAR}
    )
    current = member.get_by_role("table").first
    expect(current.get_by_role("row").filter(has_text=str(THIS_YEAR))).to_contain_text(
        formatted(site, Decimal(2500))
    )
    check_a11y(member)

    # … and the community's value shows this year's CO₂: 2500 m³ × 1.78 kg/m³ = 4,450 kg,
    # shown in tonnes as people say it.
    co2 = formatted(site, (Decimal(2500) * GAS_FACTOR / 1000).quantize(Decimal(1)))
    site.visit(member, f"{COMMUNITY}/value/")
    table = member.get_by_role(
        "table", name=site._("CO₂ avoided per year, with the gas saved and the factor used")
    )
    row = table.get_by_role("row").filter(
        has=member.get_by_role("rowheader", name=str(THIS_YEAR), exact=True)
    )
    with translation.override(site.language):
        factor = localize(Decimal("1.780"))  # as stored: three decimals
    expect(row.get_by_role("cell")).to_have_text([formatted(site, Decimal(2500)), factor, co2])
    expect(co2_chart.locator(".ss-chart__bar")).to_have_count(3)
    expect(co2_chart).to_have_attribute("aria-label", re.compile(str(THIS_YEAR)))
    expect(co2_chart).to_have_attribute("aria-label", re.compile(re.escape(co2)))
    assert co2_chart.get_attribute("aria-label") != summary_before
    expect(co2_chart.locator(".ss-chart__value").last).to_have_text(co2)


# -- 2. Every track 1 page, in Dutch and in English, passes axe --------------------------


@dataclass
class Visit:
    """A page to open (under the community unless absolute), its main heading as a source
    text or a function of the initiative's name, and optionally something more to see."""

    path: str
    heading: str | Callable[[Site, str], str]
    then: Callable[[Page, Site], None] | None = None


def _named(message: str) -> Callable[[Site, str], str]:
    return lambda site, name: site._(message) % {"name": name}


def visit_pages(page: Page, site: Site, track1: Track1, visits: list[Visit]) -> None:
    name = track1.initiative.name
    for planned in visits:
        absolute = planned.path == "/atlas/"
        path = planned.path.replace("<initiative>", track1.initiative.slug)
        site.visit(page, path if absolute else f"{COMMUNITY}{path}")  # checks axe
        heading = planned.heading
        text = heading(site, name) if callable(heading) else site._(heading)
        expect(
            page.get_by_role("heading", level=1 if absolute else 2, name=text, exact=True),
            f"the main heading of {page.url}",
        ).to_be_visible()
        if not absolute:
            expect(page.get_by_role("heading", level=1)).to_have_text(track1.community_name)
        if planned.then is not None:
            planned.then(page, site)


def _lists_the_initiative(page: Page, site: Site) -> None:
    expect(page.locator("#results").get_by_role("link", name="Warmte Assendorp")).to_be_visible()


def test_pages_for_visitors(page: Page, site: Site, world, track1):
    def no_register_button(page: Page, site: Site) -> None:
        _lists_the_initiative(page, site)
        register = page.get_by_role("link", name=site._("Register your initiative"), exact=True)
        expect(register).to_have_count(0)

    def co2_table(page: Page, site: Site) -> None:
        caption = site._("CO₂ avoided per year, with the gas saved and the factor used")
        expect(page.get_by_role("table", name=caption)).to_contain_text(
            formatted(site, (Decimal(12500) * GAS_FACTOR / 1000).quantize(Decimal(1)))
        )

    visit_pages(
        page,
        site,
        track1,
        [
            Visit("/atlas/", "Atlas of heat initiatives", _lists_the_initiative),
            Visit("/initiatives/", "Initiatives", no_register_button),
            Visit("/initiatives/<initiative>/", lambda site, name: name),
            Visit("/initiatives/<initiative>/growth/", _named("Growth path of %(name)s")),
            Visit("/growth/", "Growth path"),
            Visit("/value/", "Value created", co2_table),
            Visit("/value/emission-factors/", "Emission factors"),
            Visit("/value/indicators/", "What we count (indicators)"),
            Visit("/exchange/", "Needs and offers"),
            Visit(
                "/neighbourhoods/",
                "Neighbourhoods",
                lambda page, site: expect(
                    page.get_by_role("rowheader", name="Assendorp")
                ).to_be_visible(),
            ),
        ],
    )


def test_pages_for_a_member_of_the_initiative(page: Page, site: Site, world, track1):
    def figures_table(page: Page, site: Site) -> None:
        expect(page.get_by_role("table").first).to_contain_text(formatted(site, Decimal(12500)))

    log_in(page, site.base_url, world.initiatief_member)
    visit_pages(
        page,
        site,
        track1,
        [
            Visit("/initiatives/", "Initiatives", _lists_the_initiative),
            Visit("/initiatives/register/", "Register your initiative"),
            Visit("/initiatives/<initiative>/edit/", _named("Edit %(name)s")),
            Visit(
                "/initiatives/<initiative>/values/", _named("Figures of %(name)s"), figures_table
            ),
        ],
    )


def test_pages_for_a_steward(page: Page, site: Site, world, track1):
    def upload(page: Page, site: Site) -> None:
        expect(page.get_by_label(label(site._("CSV file")))).to_be_visible()

    assendorp = Neighbourhood.objects.get(community=world.public, name="Assendorp")
    log_in(page, site.base_url, world.steward)
    visit_pages(
        page,
        site,
        track1,
        [
            Visit(
                "/growth/requests/",
                "Support requests",
                lambda page, site: expect(page.get_by_role("main")).to_contain_text(
                    "Een bijdrage aan onze haalbaarheidsstudie, graag."
                ),
            ),
            Visit("/initiatives/import/", "Import initiatives", upload),
            Visit("/values/import/", "Import indicator values", upload),
            Visit(
                f"/neighbourhoods/{assendorp.pk}/edit/",
                lambda site, name: site._("Edit %(name)s") % {"name": assendorp.name},
                lambda page, site: expect(
                    page.get_by_role(
                        "checkbox", name=site._("Yes, remove %(name)s") % {"name": assendorp.name}
                    )
                ).to_be_visible(),
            ),
        ],
    )


# -- 3. A phone-sized screen --------------------------------------------------------------


def test_the_atlas_and_the_value_page_fit_a_phone(page: Page, site: Site, world, track1):
    page.set_viewport_size({"width": 375, "height": 740})
    for path in ("/initiatives/", "/value/"):
        site.visit(page, f"{COMMUNITY}{path}")  # checks axe at this size too
        assert_no_horizontal_scrolling(page)
