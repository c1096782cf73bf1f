"""The initiatives resources of the API: the atlas list, registering, one initiative and its
changes, its figures, and the GeoJSON of a community and of the whole country."""

import gzip
import json
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from conftest import client_for
from samenspel.accounts.models import ApiToken
from samenspel.communities.models import Membership
from samenspel.initiatives.choices import Review
from samenspel.initiatives.defaults import ensure_defaults
from samenspel.initiatives.models import Indicator, IndicatorValue, Initiative, Neighbourhood
from tests.factories import CommunityFactory, OrganisationFactory
from tests.initiative_factories import InitiativeFactory
from tests.mailbox import outbox

PERSONAS = [
    "anonymous",
    "outsider",
    "gemeente_member",
    "initiatief_member",
    "observer",
    "steward",
    "admin",
]


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='test')[1]}"}


def as_persona(world, persona):
    return client_for(None if persona == "anonymous" else world.persona(persona))


def send(client, method, url, body, **headers):
    return getattr(client, method)(
        url, data=json.dumps(body), content_type="application/json", **headers
    )


def invalid_names(response):
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    return {item["name"] for item in response.json()["invalidParams"]}


@pytest.fixture
def own(world):
    """A listed initiative of the public community; initiatief_member is in its organisation."""
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation, organisation_confirmed_at=timezone.now()
    )
    return InitiativeFactory(
        community=world.public,
        organisation=organisation,
        name="Noord",
        slug="noord",
        contact_email="noord@example.org",
    )


@pytest.fixture
def hidden(world):
    return InitiativeFactory(community=world.private, name="Verborgen", slug="verborgen")


# -- the atlas list -----------------------------------------------------------------------------


def test_the_list_shows_listed_initiatives_with_camel_case_fields(world, own, client):
    InitiativeFactory(community=world.public, review=Review.PENDING, name="Nog niet")
    body = client.get("/api/v1/communities/publiek/initiatives").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["name"] == "Noord" and item["community"] == "publiek"
    assert item["organisation"]["name"] == "Warmte Noord"
    assert item["latitude"] == 52.5168 and item["longitude"] == 6.083
    assert item["url"].endswith("/c/publiek/initiatives/noord/")
    assert "/en/" not in item["url"]
    assert set(item) == {
        "id",
        "slug",
        "name",
        "community",
        "organisation",
        "pitch",
        "phase",
        "status",
        "legalForm",
        "solutions",
        "projectRole",
        "households",
        "neighbourhoods",
        "latitude",
        "longitude",
        "website",
        "contactEmail",
        "isExample",
        "createdAt",
        "updatedAt",
        "url",
    }


def test_the_contact_email_is_for_members_unless_made_public(world, own, client):
    url = "/api/v1/communities/publiek/initiatives"
    assert client.get(url).json()["items"][0]["contactEmail"] is None
    assert client_for(world.outsider).get(url).json()["items"][0]["contactEmail"] is None
    member = client_for(world.observer).get(url).json()
    assert member["items"][0]["contactEmail"] == "noord@example.org"
    own.contact_public = True
    own.save()
    assert client.get(url).json()["items"][0]["contactEmail"] == "noord@example.org"


def test_the_list_filters_by_phase_status_solution_neighbourhood_and_words(world, client):
    wijk = Neighbourhood.objects.create(community=world.public, name="Oost")
    east = InitiativeFactory(
        community=world.public, name="Oost Warm", phase="realisatie", solutions=["wko"]
    )
    east.neighbourhoods.add(wijk)
    InitiativeFactory(community=world.public, name="West", status="gestopt", pitch="Zon op daken")
    url = "/api/v1/communities/publiek/initiatives"

    def names(query):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, response.content
        return {item["name"] for item in response.json()["items"]}

    assert names("phase=realisatie") == {"Oost Warm"}
    assert names("status=gestopt") == {"West"}
    assert names("solution=wko") == {"Oost Warm"}
    assert names(f"neighbourhood={wijk.pk}") == {"Oost Warm"}
    assert names("q=daken") == {"West"}
    assert names("") == {"Oost Warm", "West"}
    assert client.get(f"{url}?neighbourhood={wijk.pk}").json()["items"][0]["neighbourhoods"] == [
        {"id": wijk.pk, "name": "Oost"}
    ]


def test_unknown_filter_values_are_400_with_every_invalid_param(world, client):
    response = client.get(
        "/api/v1/communities/publiek/initiatives?phase=bloei&solution=kernfusie&pageSize=0"
    )
    assert invalid_names(response) == {"phase", "solution", "pageSize"}


def test_the_list_pages_through_the_initiatives(world, client):
    for i in range(25):
        InitiativeFactory(community=world.public, name=f"I {i:02d}")
    url = "/api/v1/communities/publiek/initiatives"
    first = client.get(f"{url}?page=1&pageSize=10").json()
    third = client.get(f"{url}?page=3&pageSize=10").json()
    assert first["count"] == 25 and len(first["items"]) == 10 and len(third["items"]) == 5
    assert first["items"][0]["name"] == "I 00"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 404), ("outsider", 404), ("observer", 200), ("steward", 200), ("admin", 200)],
)
def test_a_private_atlas_is_404_to_outsiders(world, hidden, persona, status):
    client = as_persona(world, persona)
    for path in ("initiatives", "initiatives.geojson"):
        response = client.get(f"/api/v1/communities/besloten/{path}")
        assert response.status_code == status, path
    if status == 404:
        assert response["Content-Type"] == "application/problem+json"


def _many(world, number):
    organisation = OrganisationFactory(community=world.public)
    wijken = [
        Neighbourhood.objects.create(community=world.public, name=f"Wijk {i}") for i in range(3)
    ]
    for i in range(number):
        initiative = InitiativeFactory(
            community=world.public,
            organisation=organisation,
            name=f"Veel {i:03d}",
            contact_email=f"veel{i}@example.org",
        )
        initiative.neighbourhoods.set(wijken[: i % 3 + 1])


@pytest.mark.parametrize("number", [3, 40])
def test_list_queries_do_not_grow_with_the_data(
    world, client, django_assert_max_num_queries, number
):
    _many(world, number)
    url = "/api/v1/communities/publiek/initiatives?pageSize=50"
    with django_assert_max_num_queries(5):
        assert client.get(url).json()["count"] == number
    member = client_for(world.observer)
    with django_assert_max_num_queries(8):
        assert member.get(url).json()["count"] == number
    token = bearer(world.observer)
    with django_assert_max_num_queries(7):
        assert client_for(None).get(url, **token).json()["count"] == number


# -- registering ------------------------------------------------------------------------------


NEW = {
    "name": "Warmtegroep Zuid",
    "pitch": "Wij verkennen een warmtenet.",
    "phase": "verkenning",
    "legalForm": "geen",
    "solutions": ["net-lt", "teo"],
    "latitude": 52.5,
    "longitude": 6.123456789,
    "website": "warmtezuid.example.org",
    "contactEmail": "zuid@example.org",
}


def test_registering_waits_for_a_steward_who_is_emailed(world):
    response = send(
        client_for(None),
        "post",
        "/api/v1/communities/publiek/initiatives",
        NEW,
        **bearer(world.outsider),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["review"] == "pending" and body["phase"] == "verkenning"
    assert body["longitude"] == 6.123457  # rounded to six decimals, as stored
    assert body["website"] == "https://warmtezuid.example.org"
    # As on the web page: the contact is for members of the community, unless made public.
    assert body["contactEmail"] is None
    initiative = Initiative.objects.get(pk=body["id"])
    assert initiative.applicant == world.outsider and initiative.solutions == ["net-lt", "teo"]
    assert outbox()[-1].to == ["steward@example.org"]
    listed = client_for(None).get("/api/v1/communities/publiek/initiatives").json()
    assert listed["count"] == 0
    # The applicant sees it while it is being reviewed; other people do not.
    assert client_for(world.outsider).get(f"/api/v1/initiatives/{body['id']}").status_code == 200
    assert client_for(world.observer).get(f"/api/v1/initiatives/{body['id']}").status_code == 404


def test_registering_needs_a_login(world, client):
    response = send(client, "post", "/api/v1/communities/publiek/initiatives", NEW)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_registering_in_a_private_community_is_404_to_outsiders(world):
    response = send(
        client_for(world.outsider), "post", "/api/v1/communities/besloten/initiatives", NEW
    )
    assert response.status_code == 404
    member = send(
        client_for(world.observer), "post", "/api/v1/communities/besloten/initiatives", NEW
    )
    assert member.status_code == 201


def test_registering_a_taken_name_is_409(world, own):
    response = send(
        client_for(world.outsider),
        "post",
        "/api/v1/communities/publiek/initiatives",
        {**NEW, "name": "noord"},
    )
    assert response.status_code == 409
    assert response.json()["type"] == "urn:samenspel:problem:duplicate_name"


def test_registering_with_bad_input_names_every_problem_and_changes_nothing(world):
    client = client_for(world.outsider)
    url = "/api/v1/communities/publiek/initiatives"
    response = send(
        client,
        "post",
        url,
        {
            "name": "",
            "phase": "bloei",
            "latitude": 95,
            "longitude": 6,
            "solutions": ["kernfusie"],
            "website": "not a url",
            "contactEmail": "nobody",
            "legal_form": "geen",
        },
    )
    assert invalid_names(response) == {
        "name",
        "phase",
        "latitude",
        "solutions.0",
        "website",
        "contactEmail",
        "legal_form",
    }
    only_latitude = send(client, "post", url, {"name": "Zuid", "latitude": 52.5})
    assert invalid_names(only_latitude) == {"longitude"}
    unknown_wijk = send(client, "post", url, {"name": "Zuid", "neighbourhoods": [999999]})
    assert invalid_names(unknown_wijk) == {"neighbourhoods"}
    assert not Initiative.objects.exists()


# -- one initiative ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "listed", "pending", "private"),
    [
        ("anonymous", 200, 404, 404),
        ("outsider", 200, 404, 404),
        ("gemeente_member", 200, 404, 200),
        ("initiatief_member", 200, 404, 200),
        ("observer", 200, 404, 200),
        ("steward", 200, 200, 200),
        ("admin", 200, 200, 200),
    ],
)
def test_who_sees_an_initiative(world, own, hidden, persona, listed, pending, private):
    waiting = InitiativeFactory(community=world.public, review=Review.PENDING, name="Wacht")
    client = as_persona(world, persona)
    assert client.get(f"/api/v1/initiatives/{own.pk}").status_code == listed
    assert client.get(f"/api/v1/initiatives/{waiting.pk}").status_code == pending
    assert client.get(f"/api/v1/initiatives/{hidden.pk}").status_code == private
    assert client.get(f"/api/v1/initiatives/{hidden.pk}/indicators").status_code == private


def test_one_initiative_has_its_story_area_and_an_etag(world, own, client):
    own.story = "## Ons verhaal"
    own.review_note = "Mooi."
    own.save()
    response = client.get(f"/api/v1/initiatives/{own.pk}")
    body = response.json()
    assert body["story"] == "## Ons verhaal" and body["area"] is None
    assert body["review"] == "listed" and body["reviewNote"] is None
    assert response["ETag"].startswith('"')
    steward = client_for(world.steward).get(f"/api/v1/initiatives/{own.pk}").json()
    assert steward["reviewNote"] == "Mooi."
    assert client.get("/api/v1/initiatives/999999").status_code == 404


# -- changing an initiative -------------------------------------------------------------------


PATCH_STATUS = {
    "anonymous": 401,
    "outsider": 403,
    "gemeente_member": 403,
    "initiatief_member": 200,
    "observer": 403,
    "steward": 200,
    "admin": 200,
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_change_an_initiative(world, own, persona):
    response = send(
        as_persona(world, persona),
        "patch",
        f"/api/v1/initiatives/{own.pk}",
        {"phase": "realisatie"},
    )
    assert response.status_code == PATCH_STATUS[persona], response.content
    own.refresh_from_db()
    assert (own.phase == "realisatie") is (PATCH_STATUS[persona] == 200)


def test_a_patch_changes_only_what_is_sent_and_history_remembers_who(world, own):
    wijk = Neighbourhood.objects.create(community=world.public, name="Noordoost")
    other = OrganisationFactory(community=world.public, name="Buurtwarmte")
    area = {"type": "Polygon", "coordinates": [[[6, 52], [6.1, 52], [6.1, 52.1], [6, 52]]]}
    response = send(
        client_for(None),
        "patch",
        f"/api/v1/initiatives/{own.pk}",
        {
            "pitch": "Nieuw",
            "neighbourhoods": [wijk.pk],
            "area": area,
            "households": 250,
            "projectRole": "klankbordgroep",
        },
        **bearer(world.initiatief_member),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["pitch"] == "Nieuw" and body["name"] == "Noord" and body["phase"] == "verkenning"
    assert body["neighbourhoods"] == [{"id": wijk.pk, "name": "Noordoost"}]
    assert body["area"] == area and body["households"] == 250
    own.refresh_from_db()
    assert own.pitch == "Nieuw" and own.solutions == ["teo", "isolatie"]
    assert own.history.first().history_user == world.initiatief_member
    # Moving the initiative to another organisation hands out its keys: the stewards' act.
    url = f"/api/v1/initiatives/{own.pk}"
    moved = {"organisation": other.pk}
    refused = send(client_for(None), "patch", url, moved, **bearer(world.initiatief_member))
    assert refused.status_code == 403, refused.content
    response = send(client_for(None), "patch", url, moved, **bearer(world.steward))
    assert response.json()["organisation"]["name"] == "Buurtwarmte"


def test_a_patch_may_clear_the_location_but_only_as_a_pair(world, own):
    client = client_for(world.steward)
    url = f"/api/v1/initiatives/{own.pk}"
    assert invalid_names(send(client, "patch", url, {"latitude": None})) == {"latitude"}
    cleared = send(client, "patch", url, {"latitude": None, "longitude": None})
    assert cleared.status_code == 200
    assert cleared.json()["latitude"] is None


def test_a_patch_with_bad_input_names_every_problem_and_changes_nothing(world, own):
    before = own.history.count()
    response = send(
        client_for(world.steward),
        "patch",
        f"/api/v1/initiatives/{own.pk}",
        {
            "phase": "bloei",
            "latitude": -91,
            "solutions": ["teo", "kernfusie"],
            "area": {"type": "Point", "coordinates": [6, 52]},
            "name": None,
            "review": "listed",
            "projectRole": "baas",
            "households": -1,
        },
    )
    assert invalid_names(response) == {
        "phase",
        "latitude",
        "solutions.1",
        "area",
        "name",
        "review",
        "projectRole",
        "households",
    }
    # The reasons read as the message alone, in the language of the API (Dutch, as the site).
    reasons = {item["name"]: item["reason"] for item in response.json()["invalidParams"]}
    with translation.override("nl"):
        assert reasons["name"] == translation.gettext("This field cannot be null.")
        assert reasons["area"] == translation.gettext(
            "The shape must be a GeoJSON Polygon or MultiPolygon."
        )
    other_community = OrganisationFactory(community=CommunityFactory())
    response = send(
        client_for(world.steward),
        "patch",
        f"/api/v1/initiatives/{own.pk}",
        {"organisation": other_community.pk, "neighbourhoods": [999999]},
    )
    assert invalid_names(response) == {"organisation", "neighbourhoods"}
    assert own.history.count() == before


def test_a_patch_to_a_taken_name_is_409(world, own):
    InitiativeFactory(community=world.public, name="Zuid")
    response = send(
        client_for(world.steward), "patch", f"/api/v1/initiatives/{own.pk}", {"name": "ZUID"}
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    # Its own name, in other letters, is not taken.
    same = send(
        client_for(world.steward), "patch", f"/api/v1/initiatives/{own.pk}", {"name": "NOORD"}
    )
    assert same.status_code == 200


def test_if_match_refuses_to_overwrite_a_change_made_in_the_meantime(world, own):
    client = client_for(world.steward)
    url = f"/api/v1/initiatives/{own.pk}"
    etag = client.get(url)["ETag"]
    first = send(client, "patch", url, {"pitch": "Eerst"}, HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag
    late = send(client, "patch", url, {"pitch": "Later"}, HTTP_IF_MATCH=etag)
    assert late.status_code == 412
    assert late["Content-Type"] == "application/problem+json"
    own.refresh_from_db()
    assert own.pitch == "Eerst"
    fresh = send(client, "patch", url, {"pitch": "Later"}, HTTP_IF_MATCH=first["ETag"])
    assert fresh.status_code == 200


# -- figures ----------------------------------------------------------------------------------


def test_figures_per_indicator_and_year_with_co2_avoided(world, own, client):
    ensure_defaults(world.public)
    gas = Indicator.objects.get(community=world.public, code="gas-saved")
    homes = Indicator.objects.get(community=world.public, code="households-reached")
    for year, m3 in ((2022, "1000"), (2023, "2000")):
        IndicatorValue.objects.create(initiative=own, indicator=gas, year=year, value=Decimal(m3))
    IndicatorValue.objects.create(initiative=own, indicator=homes, year=2023, value=120)
    body = client.get(f"/api/v1/initiatives/{own.pk}/indicators").json()
    by_code = {indicator["code"]: indicator for indicator in body["indicators"]}
    assert [v["year"] for v in by_code["gas-saved"]["values"]] == [2022, 2023]
    assert by_code["gas-saved"]["values"][1]["value"] == 2000
    with translation.override("nl"):
        assert by_code["gas-saved"]["unit"] == translation.gettext("m³/year")
        assert by_code["gas-saved"]["name"] == translation.gettext("Gas saved")
    assert by_code["value-story"]["kind"] == "story" and by_code["value-story"]["values"] == []
    assert body["co2PerYear"] == [
        {"year": 2022, "gasSaved": 1000, "co2Kg": 1780},
        {"year": 2023, "gasSaved": 2000, "co2Kg": 3560},
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_enter_figures(world, own, persona):
    response = send(
        as_persona(world, persona),
        "post",
        f"/api/v1/initiatives/{own.pk}/indicators",
        {"indicatorCode": "members", "year": 2024, "value": 35, "source": "ledenlijst"},
    )
    expected = {200: 201}.get(PATCH_STATUS[persona], PATCH_STATUS[persona])
    assert response.status_code == expected, response.content
    assert IndicatorValue.objects.exists() is (expected == 201)


def test_entering_a_figure_twice_corrects_it(world, own):
    client = client_for(world.initiatief_member)
    url = f"/api/v1/initiatives/{own.pk}/indicators"
    first = send(client, "post", url, {"indicatorCode": "gas-saved", "year": 2024, "value": 10})
    assert first.status_code == 201
    assert first.json()["indicatorCode"] == "gas-saved" and first.json()["value"] == 10
    second = send(client, "post", url, {"indicatorCode": "gas-saved", "year": 2024, "value": 12.5})
    assert second.status_code == 200 and second.json()["value"] == 12.5
    record = IndicatorValue.objects.get()
    assert record.value == Decimal("12.50") and record.history.count() == 2
    assert record.entered_by == world.initiatief_member
    story = send(
        client, "post", url, {"indicatorCode": "value-story", "year": 2024, "text": "Samen."}
    )
    assert story.status_code == 201 and story.json()["value"] is None


def test_bad_figures_are_400_with_every_invalid_param(world, own):
    client = client_for(world.steward)
    url = f"/api/v1/initiatives/{own.pk}/indicators"
    response = send(
        client, "post", url, {"indicatorCode": "gas-saved", "year": 1800, "value": -5, "unit": "x"}
    )
    assert invalid_names(response) == {"year", "value", "unit"}
    assert invalid_names(
        send(client, "post", url, {"indicatorCode": "kernfusie", "year": 2024, "value": 1})
    ) == {"indicatorCode"}
    assert invalid_names(
        send(client, "post", url, {"indicatorCode": "members", "year": 2024, "text": "veel"})
    ) == {"value", "text"}
    assert invalid_names(
        send(client, "post", url, {"indicatorCode": "value-story", "year": 2024, "value": 3})
    ) == {"value", "text"}
    assert not IndicatorValue.objects.exists()


def test_figures_of_a_private_initiative_are_404_to_outsiders(world, hidden):
    response = send(
        client_for(world.outsider),
        "post",
        f"/api/v1/initiatives/{hidden.pk}/indicators",
        {"indicatorCode": "members", "year": 2024, "value": 1},
    )
    assert response.status_code == 404


def test_figures_queries_do_not_grow_with_the_data(
    world, own, client, django_assert_max_num_queries
):
    ensure_defaults(world.public)
    for indicator in Indicator.objects.filter(community=world.public, kind="number"):
        for year in range(2015, 2025):
            IndicatorValue.objects.create(
                initiative=own, indicator=indicator, year=year, value=year - 2000
            )
    with django_assert_max_num_queries(9):
        body = client.get(f"/api/v1/initiatives/{own.pk}/indicators").json()
    assert len(body["co2PerYear"]) == 10


# -- GeoJSON ----------------------------------------------------------------------------------


def assert_valid_feature_collection(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and "crs" not in feature
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert isinstance(lon, float) and isinstance(lat, float)
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert set(feature["properties"]) == {
            "id",
            "name",
            "slug",
            "community",
            "phase",
            "status",
            "solutions",
            "url",
        }
    return collection


def test_the_community_geojson_has_points_in_longitude_latitude_order(world, own, client):
    InitiativeFactory(community=world.public, name="Nergens", latitude=None, longitude=None)
    InitiativeFactory(community=world.public, name="Wacht", review=Review.PENDING)
    collection = assert_valid_feature_collection(
        client.get("/api/v1/communities/publiek/initiatives.geojson")
    )
    [feature] = collection["features"]
    assert feature["geometry"]["coordinates"] == [6.083, 52.5168]
    assert feature["properties"]["name"] == "Noord"
    assert feature["properties"]["community"] == "publiek"
    assert feature["properties"]["solutions"] == ["teo", "isolatie"]
    assert feature["properties"]["url"].endswith("/c/publiek/initiatives/noord/")
    filtered = client.get("/api/v1/communities/publiek/initiatives.geojson?phase=exploitatie")
    assert assert_valid_feature_collection(filtered)["features"] == []


def test_the_national_geojson_has_the_listed_initiatives_of_public_communities(
    world, own, hidden, client
):
    elsewhere = CommunityFactory(slug="elders", is_public=True)
    InitiativeFactory(community=elsewhere, name="Elders", latitude=Decimal("-33.9"), longitude=0)
    collection = assert_valid_feature_collection(client.get("/api/v1/initiatives/map.geojson"))
    names = {f["properties"]["name"]: f for f in collection["features"]}
    assert set(names) == {"Noord", "Elders"}
    assert names["Elders"]["geometry"]["coordinates"] == [0.0, -33.9]
    # Members of the private community see the same national map: public communities only.
    member = client_for(world.observer).get("/api/v1/initiatives/map.geojson")
    assert {
        f["properties"]["name"] for f in assert_valid_feature_collection(member)["features"]
    } == {
        "Noord",
        "Elders",
    }
    assert invalid_names(client.get("/api/v1/initiatives/map.geojson?status=slapend")) == {"status"}


def test_geojson_queries_do_not_grow_with_the_data(world, client, django_assert_max_num_queries):
    _many(world, 40)
    with django_assert_max_num_queries(2):
        national = client.get("/api/v1/initiatives/map.geojson")
    assert len(assert_valid_feature_collection(national)["features"]) == 40
    with django_assert_max_num_queries(2):
        community = client.get("/api/v1/communities/publiek/initiatives.geojson")
    assert len(assert_valid_feature_collection(community)["features"]) == 40
    # Served again from the cache: only the version is looked up.
    with django_assert_max_num_queries(1):
        assert client.get("/api/v1/initiatives/map.geojson").content == national.content


def test_geojson_answers_304_to_a_matching_etag(world, own, client):
    first = client.get("/api/v1/initiatives/map.geojson")
    again = client.get("/api/v1/initiatives/map.geojson", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_geojson_is_gzipped_for_clients_that_ask(world, own, client):
    plain = client.get("/api/v1/initiatives/map.geojson")
    assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"]
    for header in ("gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1"):
        packed = client.get("/api/v1/initiatives/map.geojson", HTTP_ACCEPT_ENCODING=header)
        assert packed["Content-Encoding"] == "gzip"
        assert packed["Content-Type"] == "application/geo+json"
        assert gzip.decompress(packed.content) == plain.content
        assert packed["ETag"] != plain["ETag"]
    refused = client.get("/api/v1/initiatives/map.geojson", HTTP_ACCEPT_ENCODING="gzip;q=0")
    assert "Content-Encoding" not in refused


# -- the cached copies follow every change ------------------------------------------------------


def test_changing_an_initiative_changes_the_geojson_at_once(world, own, client):
    national = "/api/v1/initiatives/map.geojson"
    community = "/api/v1/communities/publiek/initiatives.geojson"
    listing = "/api/v1/communities/publiek/initiatives"
    detail = f"/api/v1/initiatives/{own.pk}"
    for url in (national, community, listing, detail):
        assert b"Noord" in client.get(url).content
    assert client.get(listing)["X-Page-Cache"] == "hit"
    first_etag = client.get(national)["ETag"]

    response = send(
        client_for(world.steward), "patch", detail, {"name": "Noorderlicht", "longitude": 5.5}
    )
    assert response.status_code == 200

    for url in (national, community, listing, detail):
        body = client.get(url).content
        assert b"Noorderlicht" in body, url
    feature = json.loads(client.get(national).content)["features"][0]
    assert feature["geometry"]["coordinates"] == [5.5, 52.5168]
    assert client.get(national)["ETag"] != first_etag


def test_a_change_made_elsewhere_also_renews_the_geojson(world, own, client):
    national = "/api/v1/initiatives/map.geojson"
    assert len(json.loads(client.get(national).content)["features"]) == 1
    # Through the ORM, as the web pages do: the history record bumps the version.
    own.review = Review.DECLINED
    own.save()
    assert json.loads(client.get(national).content)["features"] == []
    added = InitiativeFactory(community=world.public, name="Nieuw")
    assert [f["id"] for f in json.loads(client.get(national).content)["features"]] == [added.pk]
    world.public.is_public = False
    world.public.save()
    assert json.loads(client.get(national).content)["features"] == []


def test_recording_a_figure_renews_the_cached_figures(world, own, client):
    ensure_defaults(world.public)
    url = f"/api/v1/initiatives/{own.pk}/indicators"
    assert client.get(url).json()["co2PerYear"] == []
    assert client.get(url)["X-Page-Cache"] == "hit"
    send(
        client_for(world.initiatief_member),
        "post",
        url,
        {"indicatorCode": "gas-saved", "year": 2024, "value": 100},
    )
    assert client.get(url).json()["co2PerYear"] == [{"year": 2024, "gasSaved": 100, "co2Kg": 178}]


# -- the OpenAPI document -----------------------------------------------------------------------


def test_the_document_describes_every_initiatives_path(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert set(paths["/communities/{slug}/initiatives"]) == {"get", "post"}
    assert set(paths["/initiatives/{id}"]) == {"get", "patch"}
    assert set(paths["/initiatives/{id}/indicators"]) == {"get", "post"}
    for path in ("/communities/{slug}/initiatives.geojson", "/initiatives/map.geojson"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert "application/geo+json" in content, path
    parameters = {p["name"] for p in paths["/communities/{slug}/initiatives"]["get"]["parameters"]}
    assert {"phase", "status", "solution", "neighbourhood", "q", "page", "pageSize"} <= parameters
