"""The registry of track 1: who may see, register, review and edit initiatives; the atlas."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership
from samenspel.initiatives import permissions
from samenspel.initiatives.choices import Review
from samenspel.initiatives.models import Initiative
from tests.factories import OrganisationFactory
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


@pytest.fixture
def own(world):
    """An initiative of the public community whose organisation the initiatief_member is in."""
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation, organisation_confirmed_at=timezone.now()
    )
    return InitiativeFactory(community=world.public, organisation=organisation, name="Noord")


# persona -> (view listed, edit, register, review, see contact)
EXPECTED = {
    "anonymous": (True, False, False, False, False),
    "outsider": (True, False, True, False, False),
    "gemeente_member": (True, False, True, False, True),
    "initiatief_member": (True, True, True, False, True),
    "observer": (True, False, True, False, True),
    "steward": (True, True, True, True, True),
    "admin": (True, True, True, True, True),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_initiative_permission_matrix(world, own, persona):
    user = world.persona(persona)
    view, edit, register, review, contact = EXPECTED[persona]
    own.contact_email = "noord@example.org"
    assert permissions.can_view_initiative(user, own) is view
    assert permissions.can_edit_initiative(user, own) is edit
    assert permissions.can_register_initiative(user, world.public) is register
    assert permissions.can_review_initiatives(user, world.public) is review
    assert permissions.can_see_contact(user, own) is contact


def test_the_municipality_side_has_no_extra_rights_over_initiatives(world, own):
    for predicate in (permissions.can_edit_initiative, permissions.can_view_initiative):
        assert predicate(world.gemeente_member, own) is False or predicate(
            world.gemeente_member, own
        ) == predicate(world.observer, own)


def test_an_initiative_under_review_is_only_seen_by_its_applicant_and_stewards(world):
    pending = InitiativeFactory(
        community=world.public, review=Review.PENDING, applicant=world.outsider
    )
    assert permissions.can_view_initiative(world.outsider, pending)
    assert permissions.can_view_initiative(world.steward, pending)
    assert not permissions.can_view_initiative(world.gemeente_member, pending)
    url = reverse("initiative", args=["publiek", pending.slug])
    assert client_for(world.gemeente_member).get(url).status_code == 404
    assert client_for(None).get("/en" + url).status_code == 404


def test_initiatives_of_a_private_community_are_404_to_outsiders(world):
    hidden = InitiativeFactory(community=world.private)
    url = reverse("initiative", args=["besloten", hidden.slug])
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.outsider).get("/c/besloten/initiatives/").status_code == 404
    assert client_for(world.observer).get(url).status_code == 200


def test_registering_an_initiative_waits_for_a_steward_who_is_emailed(world):
    client = client_for(world.outsider)
    response = client.post(
        "/en/c/publiek/initiatives/register/",
        {
            "name": "Warmtegroep Zuid",
            "pitch": "Wij verkennen een warmtenet.",
            "phase": "verkenning",
            "legal_form": "geen",
            "solutions": ["net-lt", "teo"],
            "latitude": "52.5",
            "longitude": "6.1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    initiative = Initiative.objects.get(name="Warmtegroep Zuid")
    assert initiative.review == Review.PENDING and initiative.applicant == world.outsider
    assert initiative.solutions == ["net-lt", "teo"]
    assert outbox()[-1].to == ["steward@example.org"]
    atlas = client_for(None).get("/en/c/publiek/initiatives/").content.decode()
    assert "Warmtegroep Zuid" not in atlas


def test_registering_with_bad_input_changes_nothing(world):
    InitiativeFactory(community=world.public, name="Bestaand")
    client = client_for(world.outsider)
    for data in (
        {"name": "bestaand", "phase": "verkenning", "legal_form": "geen"},
        {"name": "Nieuw", "phase": "onbekend", "legal_form": "geen"},
        {"name": "Nieuw", "phase": "verkenning", "legal_form": "geen", "latitude": "52.5"},
        {
            "name": "Nieuw",
            "phase": "verkenning",
            "legal_form": "geen",
            "latitude": "95",
            "longitude": "6",
        },
        {"name": "Nieuw", "phase": "verkenning", "legal_form": "geen", "solutions": ["kernfusie"]},
    ):
        response = client.post("/en/c/publiek/initiatives/register/", data)
        assert response.status_code == 200
        assert 'id="error-summary"' in response.content.decode()
    assert Initiative.objects.count() == 1


@pytest.mark.parametrize(
    ("decision", "note", "listed"),
    [
        ("listed", "", True),
        ("more-info", "Welke buurt?", False),
        ("declined", "Geen warmte.", False),
    ],
)
def test_a_steward_reviews_and_the_applicant_hears_either_way(world, decision, note, listed):
    pending = InitiativeFactory(
        community=world.public, review=Review.PENDING, applicant=world.outsider, name="Zuid"
    )
    client_for(world.steward).post(
        f"/c/publiek/initiatives/{pending.slug}/review/", {"decision": decision, "note": note}
    )
    pending.refresh_from_db()
    assert pending.review == decision
    assert outbox()[-1].to == ["outsider@example.org"]
    atlas = client_for(None).get("/c/publiek/initiatives/").content.decode()
    assert ("Zuid" in atlas) is listed


def test_asking_for_more_or_declining_needs_a_reason(world):
    pending = InitiativeFactory(community=world.public, review=Review.PENDING)
    client_for(world.steward).post(
        f"/c/publiek/initiatives/{pending.slug}/review/", {"decision": "declined", "note": ""}
    )
    pending.refresh_from_db()
    assert pending.review == Review.PENDING
    assert not outbox()


def test_only_stewards_review(world):
    pending = InitiativeFactory(community=world.public, review=Review.PENDING)
    for persona in ("gemeente_member", "initiatief_member", "outsider"):
        client = client_for(world.persona(persona))
        assert client.get("/c/publiek/initiatives/review/").status_code == 404
        client.post(f"/c/publiek/initiatives/{pending.slug}/review/", {"decision": "listed"})
    pending.refresh_from_db()
    assert pending.review == Review.PENDING


def test_members_of_the_initiative_edit_it_and_history_remembers(world, own):
    client = client_for(world.initiatief_member)
    form = client.get(f"/en/c/publiek/initiatives/{own.slug}/edit/")
    assert form.status_code == 200
    based_on = own.history.order_by("-history_id").first().history_id
    response = client.post(
        f"/en/c/publiek/initiatives/{own.slug}/edit/",
        {
            "name": "Noord",
            "pitch": "Nieuw verhaal",
            "phase": "ontwikkeling",
            "status": "actief",
            "legal_form": "cooperatie",
            "solutions": ["wko"],
            "based_on": based_on,
            "area": '{"type": "Polygon", "coordinates": [[[6,52],[6.1,52],[6.1,52.1],[6,52]]]}',
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    own.refresh_from_db()
    assert own.phase == "ontwikkeling" and own.area["type"] == "Polygon"
    assert own.history.first().history_user == world.initiatief_member
    assert (
        client_for(world.gemeente_member)
        .get(f"/c/publiek/initiatives/{own.slug}/edit/")
        .status_code
        == 404
    )


def test_a_bad_shape_is_refused(world, own):
    client = client_for(world.steward)
    based_on = own.history.order_by("-history_id").first().history_id
    response = client.post(
        f"/en/c/publiek/initiatives/{own.slug}/edit/",
        {
            "name": "Noord",
            "phase": "verkenning",
            "status": "actief",
            "legal_form": "geen",
            "based_on": based_on,
            "area": '{"type": "Polygon", "coordinates": [[[155000, 463000]]]}',
        },
    )
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.area is None


def test_the_atlas_filters_and_keeps_them_in_the_url(world, django_assert_max_num_queries):
    InitiativeFactory(community=world.public, name="Alpha", phase="verkenning", solutions=["teo"])
    InitiativeFactory(community=world.public, name="Beta", phase="realisatie", solutions=["wko"])
    InitiativeFactory(community=world.public, name="Gamma", phase="realisatie", status="gestopt")
    client = client_for(world.observer)
    html = client.get("/en/c/publiek/initiatives/?phase=realisatie").content.decode()
    assert "Beta" in html and "Gamma" in html and "Alpha" not in html
    html = client.get("/en/c/publiek/initiatives/?solution=wko").content.decode()
    assert "Beta" in html and "Alpha" not in html
    html = client.get("/en/c/publiek/initiatives/?q=alp").content.decode()
    assert "Alpha" in html and "Beta" not in html
    for _ in range(30):
        InitiativeFactory(community=world.public)
    with django_assert_max_num_queries(12):
        assert client.get("/c/publiek/initiatives/").status_code == 200


def test_the_atlas_map_data_holds_only_listed_initiatives_with_a_location(world):
    InitiativeFactory(community=world.public, name="Zichtbaar")
    InitiativeFactory(community=world.public, name="Wacht", review=Review.PENDING)
    InitiativeFactory(community=world.public, name="Zonder plek", latitude=None, longitude=None)
    html = client_for(None).get("/c/publiek/initiatives/").content.decode()
    data = html.split('id="atlas-points"', 1)[1]
    assert (
        "Zichtbaar" in data
        and "Wacht" not in data
        and "Zonder plek" not in data.split("</script>")[0]
    )


def test_the_national_atlas_shows_public_communities_only(world, django_assert_max_num_queries):
    InitiativeFactory(community=world.public, name="Openbaar")
    InitiativeFactory(community=world.private, name="Verborgen")
    with django_assert_max_num_queries(6):
        html = client_for(None).get("/atlas/").content.decode()
    assert "Openbaar" in html and "Verborgen" not in html


def test_the_initiative_page_shows_contact_to_members_only(world, own):
    own.contact_email = "noord@example.org"
    own.save()
    url = f"/c/publiek/initiatives/{own.slug}/"
    assert "noord@example.org" not in client_for(None).get(url).content.decode()
    assert "noord@example.org" in client_for(world.observer).get(url).content.decode()


def test_the_story_is_safe_markdown(world, own):
    own.story = "**Vet** <script>alert(1)</script> [link](javascript:alert(1))"
    own.save()
    html = client_for(None).get(f"/c/publiek/initiatives/{own.slug}/").content.decode()
    assert "<strong>Vet</strong>" in html
    assert "<script>alert(1)</script>" not in html and 'href="javascript' not in html
