"""Value (waarderingskader): totals per year over listed initiatives, CO₂ from gas saved and
the factor of that year, entering figures with history, emission factors and indicators,
and charts whose numbers match their tables."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import clear_caches, client_for
from samenspel.communities.models import Membership
from samenspel.core.charts import bar_chart, nice_scale
from samenspel.initiatives import services
from samenspel.initiatives.choices import Review
from samenspel.initiatives.defaults import ensure_defaults
from samenspel.initiatives.models import EmissionFactor, Indicator, IndicatorValue
from tests.factories import OrganisationFactory, UserFactory
from tests.initiative_factories import InitiativeFactory

PERSONAS = [
    "anonymous",
    "outsider",
    "gemeente_member",
    "initiatief_member",
    "observer",
    "steward",
    "admin",
]


def put(initiative, code, year, value=None, text="", user=None):
    indicator = Indicator.objects.get(community=initiative.community, code=code)
    return services.record_value(
        actor=user or UserFactory(is_staff=True, is_superuser=True),
        initiative=initiative,
        indicator=indicator,
        year=year,
        value=None if value is None else Decimal(value),
        text=text,
        source="test",
    )


@pytest.fixture
def valued(world):
    """Public community with two listed initiatives (one of the initiatief_member's
    organisation), one waiting for review and one archived, all with gas saved in 2023."""
    community = world.public
    ensure_defaults(community)
    organisation = OrganisationFactory(community=community, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=community).update(
        organisation=organisation, organisation_confirmed_at=timezone.now()
    )
    own = InitiativeFactory(
        community=community, organisation=organisation, name="Noord", slug="noord"
    )
    other = InitiativeFactory(community=community, name="Zuid", slug="zuid")
    pending = InitiativeFactory(
        community=community,
        name="Wacht",
        slug="wacht",
        review=Review.PENDING,
        applicant=world.outsider,
    )
    archived = InitiativeFactory(
        community=community, name="Oud", slug="oud", archived_at=timezone.now()
    )
    put(own, "gas-saved", 2023, "1000")
    put(other, "gas-saved", 2023, "500")
    put(pending, "gas-saved", 2023, "9999")
    put(archived, "gas-saved", 2023, "7777")
    put(own, "members", 2023, "40")
    put(other, "members", 2023, "25.5")
    return {"community": community, "own": own, "other": other, "pending": pending}


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


# -- computations -------------------------------------------------------------------------


def test_co2_is_gas_saved_times_the_factor_valid_at_the_start_of_the_year(valued):
    (row,) = services.yearly_totals(valued["community"])
    assert row.year == 2023
    assert row.values["gas-saved"] == Decimal(1500)
    assert row.co2_kg == Decimal(1500) * Decimal("1.78")


def test_totals_count_only_the_listed_initiatives(valued):
    html = html_of(client_for(None).get("/en/c/publiek/value/"))
    assert "1,500" in html  # 1000 + 500
    # 1500 m³ × 1.78 = 2,670 kg: 3 tonnes, as people say it.
    assert "CO₂ avoided (tonnes)" in html
    assert re.search(r'class="ss-chart__value"[^>]*>3<', html)
    assert "11,499" not in html and "9,999" not in html and "7,777" not in html
    assert "Totals per year over the 2 initiatives listed" in html


def test_a_newer_factor_changes_co2_from_its_date_on_and_not_before(valued, world):
    put(valued["own"], "gas-saved", 2024, "2000")
    response = client_for(world.steward).post(
        "/en/c/publiek/value/emission-factors/",
        {"value": "1.815", "source": "co2emissiefactoren.nl 2024", "valid_from": "2024-01-01"},
    )
    assert response.status_code == 302
    totals = {row.year: row.co2_kg for row in services.yearly_totals(valued["community"])}
    assert totals[2023] == Decimal("2670")  # still 1.78
    assert totals[2024] == Decimal("3630")  # 2000 × 1.815
    html = html_of(client_for(None).get("/en/c/publiek/value/"))
    assert "co2emissiefactoren.nl 2024" in html and "ISSO 82" in html
    # 3,630 and 2,670 kg: 4 and 3 tonnes.
    assert re.search(r'class="ss-chart__value"[^>]*>4<', html)
    assert re.search(r'class="ss-chart__value"[^>]*>3<', html)


def test_a_factor_valid_from_mid_year_counts_from_the_next_year(valued, world):
    EmissionFactor.objects.create(
        community=valued["community"], value=Decimal(2), source="x", valid_from=date(2023, 6, 1)
    )
    put(valued["own"], "gas-saved", 2024, "100")
    totals = {row.year: row.co2_kg for row in services.yearly_totals(valued["community"])}
    assert totals[2023] == Decimal("2670")
    assert totals[2024] == Decimal("200")


def test_the_scale_of_a_chart_uses_round_steps():
    assert nice_scale(Decimal(453900)) == (Decimal(200000), 3)
    assert nice_scale(Decimal(100)) == (Decimal(25), 4)
    assert nice_scale(Decimal(0)) == (Decimal(1), 1)


def test_a_year_without_a_figure_shows_as_a_gap_not_as_a_missing_year():
    chart = bar_chart("Gas", "m³", [(2021, Decimal(10)), (2023, Decimal(30)), (2024, None)])
    assert [bar.year for bar in chart.bars] == [2021, 2022, 2023]
    assert [bar.label for bar in chart.bars] == ["10", "–", "30"]
    assert chart.bars[1].height == 0
    assert chart.bars[2].height > chart.bars[0].height


# -- the community's value page -----------------------------------------------------------


def _sections(html):
    return re.findall(r'<section class="ss-value-section".*?</section>', html, re.S)


def test_each_chart_has_a_table_beside_it_with_the_same_numbers(valued):
    put(valued["own"], "gas-saved", 2024, "1234567.5")
    html = html_of(client_for(None).get("/en/c/publiek/value/"))
    sections = _sections(html)
    assert len(sections) == 3  # CO₂, members, gas saved
    for section in sections:
        svg = re.search(r"<svg.*?</svg>", section, re.S).group(0)
        assert 'role="img"' in svg
        assert re.search(r'aria-label="Bar chart of [^"]+ per year', svg)
        table = re.search(r"<table.*?</table>", section, re.S).group(0)
        assert "<caption" in table and 'scope="col"' in table and 'scope="row"' in table
        bars = re.findall(r'class="ss-chart__value"[^>]*>([^<]+)<', svg)
        years = re.findall(r'class="ss-chart__year"[^>]*>(\d+)<', svg)
        rows = re.findall(r'scope="row">(\d+)</th>(.*?)</tr>', table, re.S)
        cells = [re.findall(r"<td[^>]*>\s*([^<]*?)\s*</td>", rest)[-1] for _, rest in rows]
        assert years == [year for year, _ in rows]
        assert bars == cells
        assert bars  # every section shows numbers
    assert "1,234,567.50" in sections[2] or "1,234,567.50" in sections[1]
    members = next(s for s in sections if "Members" in s)
    assert re.findall(r'class="ss-chart__value"[^>]*>([^<]+)<', members) == ["65.50"]


def test_the_co2_line_names_the_factor_and_its_source(valued):
    html = html_of(client_for(None).get("/en/c/publiek/value/"))
    assert "Natural gas that is not burned does not release CO₂" in html
    assert (
        "From 1 January 2020: every cubic metre of gas saved is 1.780 kilo of CO₂ less "
        "(source: ISSO 82" in html
    )
    # The headings of the figures do not repeat their unit: "Members", not "Members
    # (members)"; a unit that says something new stays.
    assert "Members (members)" not in html and "(members)" not in html
    assert "(m³/year)" in html


def test_recent_value_stories_show_initiative_and_year(valued):
    put(valued["own"], "value-story", 2024, text="Buren helpen elkaar isoleren.")
    put(valued["pending"], "value-story", 2024, text="Nog niet zichtbaar.")
    html = html_of(client_for(None).get("/en/c/publiek/value/"))
    stories = html[html.index('id="stories-heading"') :]
    assert "Buren helpen elkaar isoleren." in stories
    assert "Noord" in stories and "2024" in stories
    assert "Nog niet zichtbaar." not in html


def test_an_empty_community_says_there_are_no_figures_yet(world):
    html = html_of(client_for(None).get("/en/c/publiek/value/"))
    assert "No figures have been entered yet." in html
    assert "ss-chart" not in html.replace("charts.css", "")


def test_the_header_links_to_the_value_page_and_marks_it_current(valued):
    html = html_of(client_for(None).get("/en/c/publiek/value/"))
    assert re.search(r'href="/en/c/publiek/value/"\s+aria-current="page">Value<', html)
    atlas = html_of(client_for(None).get("/en/c/publiek/initiatives/"))
    assert re.search(r'href="/en/c/publiek/value/"\s*>Value<', atlas)


def test_visitors_share_a_cached_copy_that_a_new_figure_refreshes(valued):
    client = client_for(None)
    assert client.get("/en/c/publiek/value/")["X-Page-Cache"] == "miss"
    assert client.get("/en/c/publiek/value/")["X-Page-Cache"] == "hit"
    put(valued["own"], "gas-saved", 2023, "3000")
    response = client.get("/en/c/publiek/value/")
    assert response["X-Page-Cache"] == "miss"
    assert "3,500" in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_private_community_hides_its_value_pages_from_outsiders(world, persona):
    ensure_defaults(world.private)
    client = client_for(None if persona == "anonymous" else world.persona(persona))
    expected = 404 if persona in ("anonymous", "outsider") else 200
    for page in ("value/", "value/emission-factors/", "value/indicators/"):
        assert client.get(f"/en/c/besloten/{page}").status_code == expected


def test_the_value_pages_use_a_fixed_number_of_queries(
    valued, world, django_assert_max_num_queries
):
    client = client_for(world.steward)
    urls = [
        "/en/c/publiek/value/",
        "/en/c/publiek/value/emission-factors/",
        "/en/c/publiek/value/indicators/",
        "/en/c/publiek/initiatives/noord/values/",
        "/en/c/publiek/initiatives/noord/",
    ]
    for url in urls:  # warm up: defaults exist, sessions are read once
        client.get(url)
    counts = {}
    for url in urls:
        clear_caches()  # measure fresh renders: shared fragments would hide the queries
        with django_assert_max_num_queries(14) as captured:
            html_of(client.get(url))
        counts[url] = len(captured)
    # More initiatives, years, stories, factors and corrections: the same number of queries.
    for n in range(12):
        initiative = InitiativeFactory(community=world.public, name=f"Extra {n}", slug=f"x-{n}")
        for year in range(2015, 2025):
            put(initiative, "gas-saved", year, str(100 + n))
            put(initiative, "value-story", year, text=f"Verhaal {n}")
        put(valued["own"], "members", 2010 + n, str(n))
        put(valued["own"], "members", 2010 + n, str(n + 1))
        EmissionFactor.objects.create(
            community=world.public,
            value=Decimal("1.8"),
            source="s",
            valid_from=date(2000 + n, 1, 1),
        )
    for url in urls:
        clear_caches()
        with django_assert_max_num_queries(counts[url], info=url):
            html_of(client.get(url))


# -- entering figures ---------------------------------------------------------------------

# persona -> may enter figures for the initiative of the initiatief_member's organisation
MAY_ENTER = {
    "anonymous": False,
    "outsider": False,
    "gemeente_member": False,
    "initiatief_member": True,
    "observer": False,
    "steward": True,
    "admin": True,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_enter_figures(valued, world, persona):
    client = client_for(None if persona == "anonymous" else world.persona(persona))
    url = "/en/c/publiek/initiatives/noord/values/"
    response = client.get(url)
    if persona == "anonymous":
        assert response.status_code == 302 and "/login/" in response["Location"]
    else:
        assert response.status_code == (200 if MAY_ENTER[persona] else 404)
    response = client.post(url, {"indicator": "members", "year": "2024", "value": "7"})
    saved = IndicatorValue.objects.filter(initiative=valued["own"], year=2024).exists()
    assert saved is MAY_ENTER[persona]
    detail = client.get("/en/c/publiek/initiatives/noord/").content.decode()
    assert ("Enter figures" in detail) is MAY_ENTER[persona]


def test_the_applicant_enters_figures_while_in_review_and_once_listed(valued, world):
    client = client_for(world.outsider)
    url = "/en/c/publiek/initiatives/wacht/values/"
    assert client.get(url).status_code == 200
    client.post(url, {"indicator": "members", "year": "2024", "value": "12"})
    assert IndicatorValue.objects.get(initiative=valued["pending"], year=2024).value == 12
    services.review_initiative(
        actor=world.steward, initiative=valued["pending"], decision=Review.LISTED
    )
    # Listing made the applicant a confirmed member of the initiative's organisation.
    assert client.get(url).status_code == 200


def test_the_applicant_of_a_declined_initiative_enters_no_figures(valued, world):
    client = client_for(world.outsider)
    url = "/en/c/publiek/initiatives/wacht/values/"
    services.review_initiative(
        actor=world.steward, initiative=valued["pending"], decision=Review.DECLINED, note="Nee"
    )
    assert client.get(url).status_code == 404


def test_outsiders_get_404_for_figures_of_a_private_community(world):
    ensure_defaults(world.private)
    InitiativeFactory(community=world.private, name="Geheim", slug="geheim")
    url = "/en/c/besloten/initiatives/geheim/values/"
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.steward).get(url).status_code == 200


BAD_INPUT = [
    ({"indicator": "gas-saved", "year": "2023", "value": "-5"}, "A figure cannot be negative."),
    ({"indicator": "gas-saved", "year": "2023", "value": "veel"}, "Enter a number"),
    ({"indicator": "gas-saved", "year": "1989", "value": "5"}, "between 1990 and 2100"),
    ({"indicator": "gas-saved", "year": "2101", "value": "5"}, "between 1990 and 2100"),
    ({"indicator": "gas-saved", "year": "", "value": "5"}, "Give the year"),
    ({"indicator": "", "year": "2023", "value": "5"}, "Choose an indicator."),
    ({"indicator": "nope", "year": "2023", "value": "5"}, "Choose an indicator from the list."),
    ({"indicator": "gas-saved", "year": "2023", "value": ""}, "Give the figure"),
    ({"indicator": "value-story", "year": "2023", "text": "  "}, "Write the story"),
    ({"indicator": "gas-saved", "year": "2023", "value": "1.234"}, "at most two decimals"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUT)
def test_bad_input_gets_a_clear_message_and_changes_nothing(valued, world, data, message):
    before = list(IndicatorValue.objects.values_list("pk", "value", "text", "year"))
    history = IndicatorValue.history.count()
    response = client_for(world.initiatief_member).post(
        "/en/c/publiek/initiatives/noord/values/", data
    )
    assert message in html_of(response)
    assert list(IndicatorValue.objects.values_list("pk", "value", "text", "year")) == before
    assert IndicatorValue.history.count() == history


def test_a_decimal_comma_is_read_as_a_decimal_point(valued, world):
    client_for(world.initiatief_member).post(
        "/c/publiek/initiatives/noord/values/",
        {"indicator": "volunteers", "year": "2023", "value": "12,5"},
    )
    assert IndicatorValue.objects.get(indicator__code="volunteers").value == Decimal("12.5")


def test_a_correction_keeps_the_previous_value_in_the_history(valued, world):
    client = client_for(world.initiatief_member)
    url = "/en/c/publiek/initiatives/noord/values/"
    data = {"indicator": "gas-saved", "year": "2023", "value": "1100", "source": "meter"}
    response = client.post(url, data)
    assert response.status_code == 302
    record = IndicatorValue.objects.get(initiative=valued["own"], indicator__code="gas-saved")
    assert record.value == Decimal(1100) and record.entered_by == world.initiatief_member
    versions = list(record.history.order_by("-history_id").values_list("value", flat=True))
    assert versions == [Decimal(1100), Decimal(1000)]
    html = html_of(client.get(url))
    previous = html[html.index("Previous values") :]
    assert previous.index("1,100") < previous.index("1,000")  # newest first
    assert world.initiatief_member.name in previous


def test_a_correction_starts_from_the_current_figure(valued, world):
    html = html_of(
        client_for(world.initiatief_member).get(
            "/en/c/publiek/initiatives/noord/values/?indicator=gas-saved&year=2023"
        )
    )
    assert re.search(r'name="value" value="1000', html)
    assert re.search(r'<option value="gas-saved" selected>', html)


def test_a_story_is_entered_as_text(valued, world):
    client_for(world.initiatief_member).post(
        "/en/c/publiek/initiatives/noord/values/",
        {"indicator": "value-story", "year": "2024", "value": "3", "text": "Een buurtavond."},
    )
    story = IndicatorValue.objects.get(indicator__code="value-story")
    assert story.text == "Een buurtavond." and story.value is None


def test_the_initiative_page_draws_its_own_chart_beside_its_table(valued):
    html = html_of(client_for(None).get("/en/c/publiek/initiatives/noord/"))
    assert html.count('role="img"') == 3  # members, gas saved, CO₂
    assert "Enter figures" not in html
    assert re.search(r'class="ss-chart__value"[^>]*>2<', html)  # 1,780 kg: 2 tonnes
    assert "CO₂ avoided (tonnes)" in html[html.index("<table") :]


# -- emission factors ---------------------------------------------------------------------


def test_everyone_sees_the_factors_with_unit_source_and_date(valued):
    html = html_of(client_for(None).get("/en/c/publiek/value/emission-factors/"))
    assert "kg CO₂/m³" in html and "ISSO 82" in html and "1 January 2020" in html
    assert "Add a newer factor" not in html


@pytest.mark.parametrize(
    "persona", ["outsider", "gemeente_member", "initiatief_member", "observer"]
)
def test_only_stewards_add_factors(valued, world, persona):
    response = client_for(world.persona(persona)).post(
        "/en/c/publiek/value/emission-factors/",
        {"value": "2", "source": "x", "valid_from": "2024-01-01"},
    )
    assert response.status_code == 404
    assert EmissionFactor.objects.filter(community=world.public).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value": "0", "source": "x", "valid_from": "2024-01-01"}, "more than 0"),
        ({"value": "-1", "source": "x", "valid_from": "2024-01-01"}, "more than 0"),
        ({"value": "2", "source": " ", "valid_from": "2024-01-01"}, "Name the source"),
        ({"value": "2", "source": "x", "valid_from": "2020-01-01"}, "already a factor"),
        ({"value": "2", "source": "x", "valid_from": ""}, "Fill in this field"),
    ],
)
def test_a_bad_factor_is_refused(valued, world, data, message):
    response = client_for(world.steward).post("/en/c/publiek/value/emission-factors/", data)
    assert message in html_of(response)
    assert EmissionFactor.objects.filter(community=world.public).count() == 1


# -- indicators ---------------------------------------------------------------------------


def test_stewards_add_an_indicator_with_a_unique_code(valued, world):
    client = client_for(world.steward)
    url = "/en/c/publiek/value/indicators/"
    data = {"code": "solar-panels", "name": "Solar panels", "unit": "panels", "kind": "number"}
    assert client.post(url, data).status_code == 302
    indicator = Indicator.objects.get(community=world.public, code="solar-panels")
    assert indicator.order == Indicator.objects.filter(community=world.public).count() - 1
    again = client.post(url, {**data, "name": "Other"})
    assert "Another indicator already uses this code." in html_of(again)
    assert Indicator.objects.filter(community=world.public, code="solar-panels").count() == 1


@pytest.mark.parametrize(
    "persona", ["outsider", "gemeente_member", "initiatief_member", "observer"]
)
def test_only_stewards_keep_the_indicators(valued, world, persona):
    client = client_for(world.persona(persona))
    response = client.post(
        "/en/c/publiek/value/indicators/", {"code": "x", "name": "X", "kind": "number"}
    )
    assert response.status_code == 404
    assert client.get("/en/c/publiek/value/indicators/gas-saved/edit/").status_code == 404
    assert not Indicator.objects.filter(code="x").exists()
    assert "Add an indicator" not in html_of(client.get("/en/c/publiek/value/indicators/"))


def test_defaults_are_shown_in_the_readers_language_and_stay_source_text(valued, world):
    indicator = Indicator.objects.get(community=world.public, code="gas-saved")
    client = client_for(world.steward)
    url = "/en/c/publiek/value/indicators/gas-saved/edit/"
    html = html_of(client.get(url))
    based_on = re.search(r'name="based_on" value="(\d*)"', html)
    data = {
        "name": "Gas saved",
        "unit": "m³/year",
        "description": "Measured at the meter.",
        "based_on": based_on.group(1) if based_on else "",
    }
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert indicator.name == "Gas saved"  # the English source, still translated for readers
    assert indicator.description == "Measured at the meter."


def test_an_indicator_edit_based_on_an_old_version_is_refused(valued, world):
    indicator = Indicator.objects.get(community=world.public, code="members")
    indicator.name = "Leden"
    indicator.save()
    stale = indicator.history.order_by("history_id").first().history_id
    indicator.name = "Members (paying)"
    indicator.save()
    response = client_for(world.steward).post(
        "/en/c/publiek/value/indicators/members/edit/",
        {"name": "Mine", "unit": "", "description": "", "based_on": stale},
    )
    assert "changed this while you were editing" in html_of(response)
    indicator.refresh_from_db()
    assert indicator.name == "Members (paying)"
