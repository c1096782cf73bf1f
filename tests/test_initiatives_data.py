"""Data in and out: neighbourhoods (by hand and from GeoJSON), CSV exports of initiatives and
indicator values, and the CSV imports that apply whole or not at all."""

import csv
import io
import json
from decimal import Decimal

import factory
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import clear_caches, client_for
from samenspel.initiatives.choices import Review
from samenspel.initiatives.defaults import ensure_defaults
from samenspel.initiatives.importers import figures, neighbourhoods, registry
from samenspel.initiatives.models import Indicator, IndicatorValue, Initiative, Neighbourhood
from tests.factories import CommunityFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """These tests read the services' messages in English, the source language."""
    from django.utils import translation

    with translation.override("en"):
        yield


# -- factories and helpers -----------------------------------------------------------------


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Buurt {n}")
    homes = 400


class DataInitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Warmte {n}")
    slug = factory.Sequence(lambda n: f"warmte-{n}")
    pitch = "Samen van het gas af."
    review = Review.LISTED
    solutions = factory.LazyFunction(lambda: ["teo", "isolatie"])


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[6.08, 52.51], [6.09, 52.51], [6.09, 52.52], [6.08, 52.52], [6.08, 52.51]]],
}
RD_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[203000, 502000], [204000, 502000], [204000, 503000], [203000, 503000], [203000, 502000]]
    ],
}


def feature(properties, geometry=None):
    return {"type": "Feature", "properties": properties, "geometry": geometry or SQUARE}


def geojson(*features, **extra) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features), **extra}).encode()


def csv_bytes(rows, delimiter=",", encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def upload(client, url, content: bytes, name="data.csv"):
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def read_export(response) -> list[dict[str, str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content.removeprefix("\ufeff"))))


def problems(report) -> set[tuple[int | None, str]]:
    return {(problem.row, problem.column) for problem in report.errors}


@pytest.fixture
def atlas(world):
    """Two listed initiatives, one waiting for review, a neighbourhood and an organisation."""
    community = world.public
    ensure_defaults(community)
    noord = NeighbourhoodFactory(community=community, name="Noord", homes=1200, area=SQUARE)
    organisation = OrganisationFactory(community=community, name="Coöperatie Noord")
    first = DataInitiativeFactory(
        community=community,
        name="Noordwarmte",
        slug="noordwarmte",
        phase="realisatie",
        households=800,
        latitude=Decimal("52.516800"),
        longitude=Decimal("6.083000"),
        organisation=organisation,
        contact_email="noord@example.org",
        contact_public=False,
        website="https://noord.example.org",
    )
    first.neighbourhoods.set([noord])
    second = DataInitiativeFactory(
        community=community,
        name="=Zuid Energie",  # would be a formula in a spreadsheet
        slug="zuid",
        contact_email="zuid@example.org",
        contact_public=True,
    )
    pending = DataInitiativeFactory(community=community, slug="wacht", review=Review.PENDING)
    gas = Indicator.objects.get(community=community, code="gas-saved")
    IndicatorValue.objects.create(
        initiative=first, indicator=gas, year=2023, value=Decimal("1500"), source="meter"
    )
    IndicatorValue.objects.create(initiative=pending, indicator=gas, year=2023, value=Decimal("99"))
    return {"first": first, "second": second, "pending": pending, "noord": noord}


# -- neighbourhoods ------------------------------------------------------------------------


def test_the_neighbourhoods_page_lists_name_homes_shape_and_listed_initiatives(world, atlas):
    NeighbourhoodFactory(community=world.public, name="Zuid", homes=None)
    atlas["pending"].neighbourhoods.set([atlas["noord"]])
    response = client_for(None).get("/en/c/publiek/neighbourhoods/")
    assert response.status_code == 200
    rows = {n.name: n for n in response.context["neighbourhoods"]}
    assert rows["Noord"].homes == 1200 and rows["Noord"].has_shape
    assert rows["Noord"].initiative_count == 1  # the one under review does not count
    assert not rows["Zuid"].has_shape and rows["Zuid"].initiative_count == 0
    html = response.content.decode()
    assert "<caption" in html and 'scope="col"' in html
    assert "Import neighbourhoods" not in html  # visitors get no steward tools


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 404), ("outsider", 404), ("observer", 200), ("steward", 200), ("admin", 200)],
)
def test_a_private_communitys_data_pages_are_404_to_outsiders(world, persona, status):
    client = client_for(None if persona == "anonymous" else world.persona(persona))
    for url in ("neighbourhoods/", "initiatives/export.csv", "values/export.csv"):
        assert client.get(f"/c/besloten/{url}").status_code == status


def test_the_neighbourhoods_page_uses_a_fixed_number_of_queries(
    world, atlas, django_assert_max_num_queries
):
    client = client_for(world.steward)
    client.get("/c/publiek/neighbourhoods/")
    clear_caches()  # measure fresh renders, before and after
    with CaptureQueriesContext(connection) as few:
        client.get("/c/publiek/neighbourhoods/")
    for n in range(30):
        area = SQUARE if n % 2 else None
        neighbourhood = NeighbourhoodFactory(community=world.public, area=area)
        DataInitiativeFactory(community=world.public).neighbourhoods.set([neighbourhood])
    clear_caches()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/c/publiek/neighbourhoods/")
    assert len(response.context["neighbourhoods"]) == 31


def test_a_steward_adds_and_edits_a_neighbourhood(world):
    client = client_for(world.steward)
    response = client.post(
        "/en/c/publiek/neighbourhoods/new/",
        {"name": "Assendorp", "homes": "2100", "area": json.dumps(SQUARE)},
    )
    assert response.status_code == 302
    assendorp = Neighbourhood.objects.get(community=world.public, name="Assendorp")
    assert assendorp.homes == 2100 and assendorp.area["type"] == "Polygon"
    based_on = assendorp.history.latest().history_id
    response = client.post(
        f"/en/c/publiek/neighbourhoods/{assendorp.pk}/edit/",
        {"name": "Assendorp", "homes": "2200", "area": "", "based_on": based_on},
    )
    assert response.status_code == 302
    assendorp.refresh_from_db()
    assert assendorp.homes == 2200 and assendorp.area is None
    assert assendorp.history.count() == 2


def test_the_neighbourhood_form_checks_the_shape_and_the_name(world):
    NeighbourhoodFactory(community=world.public, name="Dieze")
    client = client_for(world.steward)
    response = client.post(
        "/en/c/publiek/neighbourhoods/new/",
        {"name": "dieze", "homes": "", "area": json.dumps(RD_SQUARE)},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "already a neighbourhood" in errors["name"][0]
    assert "WGS 84" in errors["area"][0]
    assert Neighbourhood.objects.filter(community=world.public).count() == 1


@pytest.mark.parametrize("persona", ["gemeente_member", "initiatief_member", "observer"])
def test_only_stewards_keep_neighbourhoods(world, persona):
    client = client_for(world.persona(persona))
    assert client.get("/c/publiek/neighbourhoods/new/").status_code == 404
    response = upload(client, "/c/publiek/neighbourhoods/import/", geojson(feature({"name": "X"})))
    assert response.status_code == 404
    assert not Neighbourhood.objects.exists()


def test_a_geojson_file_creates_and_updates_neighbourhoods(world, atlas):
    content = geojson(
        feature({"naam": "noord", "woningen": 1300}),
        feature({"buurtnaam": "Holtenbroek", "aantal_woningen": "900"}),
        feature(
            {"wijknaam": "Stadshagen"},
            {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]},
        ),
    )
    response = upload(
        client_for(world.steward), "/en/c/publiek/neighbourhoods/import/", content, "b.geojson"
    )
    assert response.status_code == 302
    found = {n.name: n for n in Neighbourhood.objects.filter(community=world.public)}
    assert set(found) == {"noord", "Holtenbroek", "Stadshagen"}
    assert found["noord"].pk == atlas["noord"].pk and found["noord"].homes == 1300
    assert found["Holtenbroek"].homes == 900 and found["Stadshagen"].homes is None
    assert found["Stadshagen"].area["type"] == "MultiPolygon"
    assert found["Holtenbroek"].history.count() == 1
    assert found["noord"].history.filter(history_type="~").exists()


def test_a_geojson_file_with_any_problem_changes_nothing_and_says_which_feature(world, atlas):
    world.public.refresh_from_db()
    before = world.public.content_version
    content = geojson(
        feature({"name": "Nieuw"}),
        feature({"naam": ""}),
        feature(
            {"name": "Ring"}, {"type": "Polygon", "coordinates": [[[6, 52], [7, 52], [6, 52]]]}
        ),
        feature({"name": "Negatief", "woningen": -5}),
        feature({"name": "Nieuw"}),
        feature({"name": "Lijn"}, {"type": "LineString", "coordinates": [[6, 52], [7, 52]]}),
    )
    response = upload(client_for(world.steward), "/en/c/publiek/neighbourhoods/import/", content)
    assert response.status_code == 200
    report = response.context["report"]
    assert problems(report) == {
        (2, "name"),
        (3, "geometry"),
        (4, "woningen"),
        (5, "name"),
        (6, "geometry"),
    }
    html = response.content.decode()
    assert "Nothing has been changed" in html and "also on feature 1" in html
    assert set(Neighbourhood.objects.values_list("name", flat=True)) == {"Noord"}
    world.public.refresh_from_db()
    assert world.public.content_version == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"{not json", "not valid JSON"),
        (json.dumps(feature({"name": "X"})).encode(), "must be a GeoJSON FeatureCollection"),
        (geojson(), "has no features"),
        (
            geojson(
                feature({"name": "X"}, RD_SQUARE),
                crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
            ),
            "EPSG:28992",
        ),
    ],
)
def test_a_geojson_file_that_is_not_usable_is_refused(world, content, expected):
    report = neighbourhoods.import_neighbourhoods(
        actor=world.steward, community=world.public, data=content
    )
    assert not report.ok
    assert expected in report.errors[0].message
    assert not Neighbourhood.objects.exists()


def test_coordinates_in_rd_new_metres_are_recognised(world):
    report = neighbourhoods.import_neighbourhoods(
        actor=world.steward,
        community=world.public,
        data=geojson(feature({"name": "X"}, RD_SQUARE)),
    )
    assert problems(report) == {(1, "geometry")}
    assert "RD New" in report.errors[0].message
    assert any("EPSG:28992" in notice for notice in report.notices)


def test_a_wgs84_crs_member_is_accepted(world):
    content = geojson(
        feature({"name": "X"}),
        crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
    )
    assert (
        neighbourhoods.import_neighbourhoods(
            actor=world.steward, community=world.public, data=content
        ).created
        == 1
    )


# -- exports -------------------------------------------------------------------------------


def test_the_initiatives_export_has_the_listed_initiatives_in_excel_friendly_csv(world, atlas):
    response = client_for(None).get("/c/publiek/initiatives/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_export(response)
    assert list(rows[0]) == registry.INITIATIVE_COLUMNS
    assert [row["slug"] for row in rows] == ["zuid", "noordwarmte"]  # by name; '=' sorts first
    noord = rows[1]
    assert noord["phase"] == "realisatie" and noord["solutions"] == "teo;isolatie"
    assert noord["neighbourhoods"] == "Noord" and noord["households"] == "800"
    assert noord["latitude"] == "52.516800" and noord["organisation"] == "Coöperatie Noord"
    assert rows[0]["name"] == "'=Zuid Energie"  # no formula in a spreadsheet


@pytest.mark.parametrize(
    ("persona", "noord_contact"),
    [("anonymous", ""), ("outsider", ""), ("observer", "noord@example.org")],
)
def test_contact_emails_are_exported_only_to_who_may_see_them(world, atlas, persona, noord_contact):
    user = None if persona == "anonymous" else world.persona(persona)
    rows = {
        r["slug"]: r for r in read_export(client_for(user).get("/c/publiek/initiatives/export.csv"))
    }
    assert rows["noordwarmte"]["contact_email"] == noord_contact
    assert rows["zuid"]["contact_email"] == "zuid@example.org"  # public contact


def test_the_values_export_has_the_values_of_listed_initiatives(world, atlas):
    rows = read_export(client_for(None).get("/c/publiek/values/export.csv"))
    assert rows == [
        {
            "initiative": "noordwarmte",
            "indicator": "gas-saved",
            "year": "2023",
            "value": "1500.00",
            "text": "",
            "source": "meter",
        }
    ]


def test_the_exports_use_a_fixed_number_of_queries(world, atlas, django_assert_max_num_queries):
    client = client_for(world.observer)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get("/c/publiek/initiatives/export.csv")
            client.get("/c/publiek/values/export.csv")
        counts.append(len(queries.captured_queries))
        gas = Indicator.objects.get(community=world.public, code="gas-saved")
        for n in range(20):
            initiative = DataInitiativeFactory(community=world.public)
            initiative.neighbourhoods.set([atlas["noord"]])
            IndicatorValue.objects.create(initiative=initiative, indicator=gas, year=2024, value=n)
    with django_assert_max_num_queries(counts[0]):
        export = client.get("/c/publiek/initiatives/export.csv")
        client.get("/c/publiek/values/export.csv")
    assert len(read_export(export)) == 42


# -- importing initiatives -----------------------------------------------------------------

HEADER = ["slug", "name", "phase", "status", "legal_form", "solutions", "households"]


def test_a_steward_imports_new_and_changed_initiatives(world, atlas):
    content = csv_bytes(
        [
            [*HEADER, "neighbourhoods", "latitude", "longitude", "organisation"],
            [
                "noordwarmte",
                "Noordwarmte",
                "exploitatie",
                "actief",
                "cooperatie",
                "teo",
                "900",
                "Noord",
                "52.5",
                "6.1",
                "coöperatie noord",
            ],
            ["", "Warmte Westenholte", "orientatie", "", "", "", "", "noord", "", "", ""],
            [
                "dieze-nieuw",
                "Dieze Nieuw",
                "VERKENNING",
                "Actief",
                "stichting",
                "wko; inkoop",
                "120",
                "",
                "",
                "",
                "",
            ],
        ]
    )
    response = upload(client_for(world.steward), "/en/c/publiek/initiatives/import/", content)
    assert response.status_code == 302
    first = Initiative.objects.get(pk=atlas["first"].pk)
    assert (first.phase, first.legal_form, first.solutions, first.households) == (
        "exploitatie",
        "cooperatie",
        ["teo"],
        900,
    )
    assert first.latitude == Decimal("52.5") and first.history.latest().history_type == "~"
    west = Initiative.objects.get(community=world.public, name="Warmte Westenholte")
    assert west.slug == "warmte-westenholte" and west.review == Review.LISTED
    assert west.phase == "orientatie" and west.status == "actief"  # empty keeps the default
    assert list(west.neighbourhoods.values_list("name", flat=True)) == ["Noord"]
    dieze = Initiative.objects.get(community=world.public, slug="dieze-nieuw")
    assert dieze.phase == "verkenning" and dieze.solutions == ["wko", "inkoop"]
    # History is kept, with the neighbourhoods as they were saved.
    record = west.history.get()
    assert record.history_user == world.steward
    assert [n.neighbourhood_id for n in record.neighbourhoods.all()] == [atlas["noord"].pk]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Imported: 2 new, 1 changed, 0 unchanged." in messages


def test_a_row_with_a_problem_means_nothing_is_imported(world, atlas):
    world.public.refresh_from_db()
    before = world.public.content_version
    content = csv_bytes(
        [
            HEADER,
            ["noordwarmte", "Noordwarmte", "exploitatie", "", "", "", ""],
            ["nieuw", "Nieuw", "", "", "", "", "-3"],
        ]
    )
    response = upload(client_for(world.steward), "/en/c/publiek/initiatives/import/", content)
    assert response.status_code == 200
    assert problems(response.context["report"]) == {(3, "households")}
    html = response.content.decode()
    assert "Nothing has been changed" in html and "cannot be negative" in html
    assert Initiative.objects.get(pk=atlas["first"].pk).phase == "realisatie"
    assert not Initiative.objects.filter(slug="nieuw").exists()
    world.public.refresh_from_db()
    assert world.public.content_version == before


def test_every_kind_of_row_problem_is_reported_with_row_and_column(world, atlas):
    DataInitiativeFactory(community=world.public, name="Bezet", slug="bezet")
    content = csv_bytes(
        [
            [
                *HEADER,
                "latitude",
                "longitude",
                "neighbourhoods",
                "organisation",
                "website",
                "contact_email",
                "project_role",
            ],
            ["a", "A", "fase-x", "", "", "", "", "", "", "", "", "", "", ""],
            ["b", "B", "", "weg", "", "", "", "", "", "", "", "", "", ""],
            ["c", "C", "", "", "bv", "", "", "", "", "", "", "", "", ""],
            ["d", "D", "", "", "", "teo;kernfusie", "", "", "", "", "", "", "", ""],
            ["e", "E", "", "", "", "", "veel", "", "", "", "", "", "", ""],
            ["f", "F", "", "", "", "", "-1", "", "", "", "", "", "", ""],
            ["g", "G", "", "", "", "", "", "91", "6", "", "", "", "", ""],
            ["h", "H", "", "", "", "", "", "52", "", "", "", "", "", ""],
            ["a", "I", "", "", "", "", "", "", "", "", "", "", "", ""],
            ["j", "a", "", "", "", "", "", "", "", "", "", "", "", ""],
            ["k", "Bezet", "", "", "", "", "", "", "", "", "", "", "", ""],
            ["l", "L", "", "", "", "", "", "", "", "Nergens", "", "", "", ""],
            ["m", "M", "", "", "", "", "", "", "", "", "Niemand", "", "", ""],
            ["n", "N", "", "", "", "", "", "", "", "", "", "geen adres", "", ""],
            ["o", "O", "", "", "", "", "", "", "", "", "", "", "niet@", ""],
            ["p", "P", "", "", "", "", "", "", "", "", "", "", "", "baas"],
            ["Q R", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            ["export", "Export", "", "", "", "", "", "", "", "", "", "", "", ""],
        ]
    )
    report = registry.import_initiatives(actor=world.steward, community=world.public, data=content)
    assert problems(report) == {
        (2, "phase"),
        (3, "status"),
        (4, "legal_form"),
        (5, "solutions"),
        (6, "households"),
        (7, "households"),
        (8, "latitude"),
        (9, "latitude, longitude"),
        (10, "slug"),  # duplicate slug in the file
        (11, "name"),  # duplicate name in the file (case does not matter)
        (12, "name"),  # another initiative's name
        (13, "neighbourhoods"),
        (14, "organisation"),
        (15, "website"),
        (16, "contact_email"),
        (17, "project_role"),
        (18, "slug"),
        (18, "name"),
        (19, "slug"),  # reserved
    }
    messages = {(p.row, p.column): p.message for p in report.errors}
    assert "fase-x" in messages[(2, "phase")] and "orientatie" in messages[(2, "phase")]
    assert "kernfusie" in messages[(5, "solutions")]
    assert "also on row 2" in messages[(10, "slug")]
    assert "bezet" in messages[(12, "name")]
    assert Initiative.objects.filter(community=world.public).count() == 4


def test_a_file_without_the_required_column_or_with_tabs_is_refused(world):
    report = registry.import_initiatives(
        actor=world.steward, community=world.public, data=csv_bytes([["slug", "pitch"], ["a", "b"]])
    )
    assert problems(report) == {(1, "name")}
    report = registry.import_initiatives(
        actor=world.steward,
        community=world.public,
        data=csv_bytes([["slug", "name"], ["a", "A"]], delimiter="\t"),
    )
    assert "tabs" in report.errors[0].message
    report = registry.import_initiatives(actor=world.steward, community=world.public, data=b"")
    assert "empty" in report.errors[0].message
    report = registry.import_initiatives(
        actor=world.steward, community=world.public, data=csv_bytes([["name"]])
    )
    assert "no data" in report.errors[0].message
    assert not Initiative.objects.exists()


def test_a_dutch_excel_file_with_semicolons_and_decimal_commas_is_read(world):
    content = csv_bytes(
        [
            ["naam", "latitude", "longitude", "huishoudens"],
            ["Café Warmte", "52,5168", "6,083", "1.200"],
        ],
        delimiter=";",
        encoding="cp1252",
    )
    report = registry.import_initiatives(actor=world.steward, community=world.public, data=content)
    assert report.ok, report.errors
    assert any("Windows-1252" in notice for notice in report.notices)
    initiative = Initiative.objects.get(community=world.public)
    assert initiative.name == "Café Warmte" and initiative.households == 1200
    assert initiative.latitude == Decimal("52.5168") and initiative.longitude == Decimal("6.083")


def test_utf8_with_and_without_bom_are_the_same_and_utf16_is_refused(world):
    rows = [["name", "pitch"], ["Zoë", "ë"]]
    with_bom = b"\xef\xbb\xbf" + csv_bytes(rows)
    assert (
        registry.import_initiatives(
            actor=world.steward, community=world.public, data=with_bom
        ).created
        == 1
    )
    assert registry.import_initiatives(
        actor=world.steward, community=world.public, data=csv_bytes(rows)
    ).errors  # name taken
    assert Initiative.objects.get().name == "Zoë"
    report = registry.import_initiatives(
        actor=world.steward, community=world.public, data="\ufeffname\r\nX\r\n".encode("utf-16")
    )
    assert "UTF-16" in report.errors[0].message


def test_the_export_of_initiatives_imports_back_unchanged(world, atlas):
    steward = client_for(world.steward)
    exported = steward.get("/c/publiek/initiatives/export.csv").content
    report = registry.import_initiatives(actor=world.steward, community=world.public, data=exported)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Initiative.objects.get(slug="zuid").name == "=Zuid Energie"
    # Into another community: the same initiatives, new there.
    other = CommunityFactory(slug="elders")
    NeighbourhoodFactory(community=other, name="Noord")
    OrganisationFactory(community=other, name="Coöperatie Noord")
    report = registry.import_initiatives(actor=world.admin, community=other, data=exported)
    assert report.created == 2, report.errors
    copy = Initiative.objects.get(community=other, slug="noordwarmte")
    assert copy.latitude == atlas["first"].latitude and copy.households == 800
    assert copy.organisation.name == "Coöperatie Noord"
    assert copy.contact_email == "noord@example.org"


def test_importing_initiatives_needs_no_query_per_row(world, atlas):
    def run(count: int) -> int:
        rows = [["slug", "name", "neighbourhoods"]] + [
            [f"n{count}-{i}", f"N {count} {i}", "Noord"] for i in range(count)
        ]
        with CaptureQueriesContext(connection) as queries:
            report = registry.import_initiatives(
                actor=world.steward, community=world.public, data=csv_bytes(rows)
            )
        assert report.created == count
        return len(queries.captured_queries)

    # Bulk writes come in batches (on SQLite a few dozen rows each), never a query per row.
    assert run(120) <= run(3) + 8


@pytest.mark.parametrize(
    "persona", ["gemeente_member", "initiatief_member", "observer", "outsider"]
)
def test_only_stewards_import_csv(world, persona):
    client = client_for(world.persona(persona))
    for url in ("/c/publiek/initiatives/import/", "/c/publiek/values/import/"):
        assert client.get(url).status_code == 404
        assert upload(client, url, csv_bytes([["name"], ["X"]])).status_code == 404
    assert not Initiative.objects.exists()


def test_visitors_are_sent_to_log_in_before_importing(world):
    response = client_for(None).get("/c/publiek/initiatives/import/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_import_pages_show_the_columns_and_codes(world):
    client = client_for(world.steward)
    html = client.get("/en/c/publiek/initiatives/import/").content.decode()
    assert "net-lt" in html and "bv-cooperatie" in html and 'enctype="multipart/form-data"' in html
    html = client.get("/en/c/publiek/values/import/").content.decode()
    assert "gas-saved" in html


def test_the_atlas_links_to_the_data_pages(world):
    html = client_for(None).get("/en/c/publiek/initiatives/").content.decode()
    assert "/en/c/publiek/initiatives/export.csv" in html and "/neighbourhoods/" in html
    assert "/initiatives/import/" not in html
    html = client_for(world.steward).get("/en/c/publiek/initiatives/").content.decode()
    assert "/en/c/publiek/initiatives/import/" in html and "/values/import/" in html


# -- importing indicator values ------------------------------------------------------------


def test_a_steward_imports_indicator_values(world, atlas):
    content = csv_bytes(
        [
            ["initiative", "indicator", "year", "value", "text", "source"],
            ["noordwarmte", "gas-saved", "2023", "1600", "", "meter"],
            ["noordwarmte", "gas-saved", "2024", "1700.5", "", ""],
            ["zuid", "value-story", "2024", "", "Een buurtfeest.", "nieuwsbrief"],
        ]
    )
    response = upload(client_for(world.steward), "/en/c/publiek/values/import/", content)
    assert response.status_code == 302
    values = {
        (v.initiative.slug, v.indicator.code, v.year): v
        for v in IndicatorValue.objects.select_related("initiative", "indicator")
    }
    updated = values[("noordwarmte", "gas-saved", 2023)]
    assert updated.value == Decimal("1600") and updated.entered_by == world.steward
    assert updated.history.count() == 2  # the 1500 stays in the history
    assert values[("noordwarmte", "gas-saved", 2024)].value == Decimal("1700.50")
    assert values[("zuid", "value-story", 2024)].text == "Een buurtfeest."
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Imported: 2 new, 1 changed, 0 unchanged." in messages


def test_every_kind_of_value_problem_is_reported(world, atlas):
    content = csv_bytes(
        [
            ["initiative", "indicator", "year", "value", "text"],
            ["noordwarmte", "gas-saved", "2023", "1600", ""],
            ["onbekend", "gas-saved", "2023", "1", ""],
            ["noordwarmte", "kernfusie", "2023", "1", ""],
            ["noordwarmte", "members", "1989", "1", ""],
            ["noordwarmte", "members", "twintig", "1", ""],
            ["noordwarmte", "members", "2020", "-1", ""],
            ["noordwarmte", "members", "2021", "veel", ""],
            ["noordwarmte", "gas-saved", "2023", "1700", ""],
            ["noordwarmte", "members", "2022", "", ""],
            ["noordwarmte", "value-story", "2022", "5", ""],
            ["", "", "", "1", ""],
        ]
    )
    report = figures.import_values(actor=world.steward, community=world.public, data=content)
    assert problems(report) == {
        (3, "initiative"),
        (4, "indicator"),
        (5, "year"),
        (6, "year"),
        (7, "value"),
        (8, "value"),
        (9, "year"),  # same initiative, indicator and year as row 2
        (10, "value"),
        (11, "value"),
        (12, "initiative"),
        (12, "indicator"),
        (12, "year"),
    }
    assert IndicatorValue.objects.get(initiative=atlas["first"]).value == Decimal("1500")
    report = figures.import_values(
        actor=world.steward,
        community=world.public,
        data=csv_bytes([["initiative", "year", "value"]]),
    )
    assert problems(report) == {(1, "indicator")}


def test_the_values_export_imports_back_unchanged(world, atlas):
    exported = client_for(world.steward).get("/c/publiek/values/export.csv").content
    report = figures.import_values(actor=world.steward, community=world.public, data=exported)
    assert (report.ok, report.created, report.updated, report.unchanged) == (True, 0, 0, 1)


def test_ten_thousand_values_are_imported_in_bulk_with_history(world):
    community = world.public
    ensure_defaults(community)
    initiatives = [
        DataInitiativeFactory(community=community, slug=f"bulk-{i}", name=f"Bulk {i}")
        for i in range(50)
    ]
    codes = list(
        Indicator.objects.filter(community=community, kind="number").values_list("code", flat=True)
    )[:5]
    rows = [["initiative", "indicator", "year", "value", "source"]] + [
        [initiative.slug, code, str(year), f"{i * 3 + year}.25", "bench"]
        for i, initiative in enumerate(initiatives)
        for code in codes
        for year in range(2001, 2041)
    ]
    assert len(rows) == 10_001
    content = csv_bytes(rows)
    with CaptureQueriesContext(connection) as queries:
        report = figures.import_values(actor=world.steward, community=community, data=content)
    assert report.ok and report.created == 10_000
    assert len(queries.captured_queries) < 400  # batches, not a query per row
    assert IndicatorValue.objects.filter(initiative__community=community).count() == 10_000
    assert IndicatorValue.history.filter(source="bench").count() == 10_000
    sample = IndicatorValue.objects.get(
        initiative=initiatives[7], indicator__code=codes[2], year=2030
    )
    assert sample.value == Decimal("2051.25")
    # The same file again changes nothing; with other values it updates all, with history.
    assert (
        figures.import_values(actor=world.steward, community=community, data=content).unchanged
        == 10_000
    )
    changed = csv_bytes([rows[0]] + [[*row[:3], "1", row[4]] for row in rows[1:]])
    report = figures.import_values(actor=world.steward, community=community, data=changed)
    assert report.updated == 10_000
    assert IndicatorValue.history.filter(history_type="~").count() == 10_000
    assert not IndicatorValue.objects.exclude(value=1).filter(initiative__community=community)


def test_an_import_makes_visitors_see_the_new_data(world, atlas, client):
    first = client.get("/c/publiek/values/export.csv")
    assert first["X-Page-Cache"] == "miss"
    assert client.get("/c/publiek/values/export.csv")["X-Page-Cache"] == "hit"
    content = csv_bytes(
        [["initiative", "indicator", "year", "value"], ["zuid", "members", "2024", "12"]]
    )
    assert figures.import_values(actor=world.steward, community=world.public, data=content).ok
    fresh = client.get("/c/publiek/values/export.csv")
    assert fresh["X-Page-Cache"] == "miss"
    assert "zuid,members,2024,12.00" in fresh.content.decode()


def test_an_upload_without_a_file_or_with_a_broken_row_is_explained(world):
    client = client_for(world.steward)
    response = client.post("/en/c/publiek/values/import/", {})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    content = b"name,pitch\r\nA,one\r\nB,two,three\r\n"
    report = registry.import_initiatives(actor=world.steward, community=world.public, data=content)
    assert problems(report) == {(3, "")}
    assert "double quotes" in report.errors[0].message
    assert not Initiative.objects.exists()


def test_a_steward_removes_a_neighbourhood_and_its_initiatives_stay(world):
    from tests.initiative_factories import InitiativeFactory

    dieze = NeighbourhoodFactory(community=world.public, name="Dieze")
    initiative = InitiativeFactory(community=world.public)
    initiative.neighbourhoods.add(dieze)
    url = f"/en/c/publiek/neighbourhoods/{dieze.pk}/delete/"
    assert client_for(world.gemeente_member).post(url, {"confirm": "yes"}).status_code == 404
    steward = client_for(world.steward)
    form = steward.get(f"/en/c/publiek/neighbourhoods/{dieze.pk}/edit/").content.decode()
    assert "1 initiative lies in it" in form and url in form
    unconfirmed = steward.post(url, follow=True)
    assert "Tick the box" in unconfirmed.content.decode()
    assert Neighbourhood.objects.filter(pk=dieze.pk).exists()
    response = steward.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert not Neighbourhood.objects.filter(pk=dieze.pk).exists()
    assert Initiative.objects.filter(pk=initiative.pk).exists()
    assert not initiative.neighbourhoods.exists()
