"""Who may change an initiative, said by the services themselves: the registrant keeps their
initiative once it is listed, an organisation counts only once confirmed, every entry point
goes through the same service, and reading a page writes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership, Role, Side
from samenspel.communities.services import CommunityError
from samenspel.initiatives import defaults, permissions, services
from samenspel.initiatives.choices import RequestStatus, Review
from samenspel.initiatives.importers import registry
from samenspel.initiatives.models import (
    EmissionFactor,
    Indicator,
    IndicatorValue,
    Initiative,
    PhaseCriterion,
    SupportOffer,
    SupportRequest,
)
from tests.factories import CommunityFactory, OrganisationFactory
from tests.initiative_factories import InitiativeFactory

REGISTRATION = {
    "name": "Warmtegroep Zuid",
    "pitch": "Wij verkennen een warmtenet.",
    "phase": "verkenning",
    "legal_form": "geen",
    "solutions": ["net-lt"],
}


def _edit(client, initiative, **changes):
    based_on = initiative.history.order_by("-history_id").first().history_id
    data = {
        "name": initiative.name,
        "pitch": initiative.pitch,
        "phase": initiative.phase,
        "status": initiative.status,
        "legal_form": initiative.legal_form,
        "based_on": based_on,
        **changes,
    }
    return client.post(
        f"/en/c/{initiative.community.slug}/initiatives/{initiative.slug}/edit/", data
    )


# -- hole 7: the registrant is locked out -------------------------------------------------


@pytest.mark.parametrize("persona", ["outsider", "initiatief_member"])
def test_the_registrant_edits_and_enters_figures_after_listing(world, persona):
    registrant = world.persona(persona)
    client = client_for(registrant)
    response = client.post("/en/c/publiek/initiatives/register/", REGISTRATION)
    assert response.status_code == 302, response.content.decode()[:2000]
    initiative = Initiative.objects.get(name="Warmtegroep Zuid")

    response = client_for(world.steward).post(
        f"/en/c/publiek/initiatives/{initiative.slug}/review/", {"decision": "listed"}
    )
    initiative.refresh_from_db()
    assert initiative.review == Review.LISTED

    response = _edit(client, initiative, pitch="Nu met een warmtenet.")
    assert response.status_code == 302, response.content.decode()[:3000]
    initiative.refresh_from_db()
    assert initiative.pitch == "Nu met een warmtenet."

    response = client.post(
        f"/en/c/publiek/initiatives/{initiative.slug}/values/",
        {"indicator": "members", "year": "2024", "value": "12"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert IndicatorValue.objects.get(initiative=initiative).value == 12


def test_listing_makes_the_registrant_the_first_confirmed_member_of_its_organisation(world):
    initiative = services.register_initiative(
        actor=world.outsider, community=world.public, name="Zon Oost", phase="verkenning"
    )
    services.review_initiative(actor=world.steward, initiative=initiative, decision="listed")
    initiative.refresh_from_db()
    assert initiative.organisation is not None
    assert initiative.organisation.name == "Zon Oost"
    membership = Membership.objects.active().get(user=world.outsider, community=world.public)
    assert membership.side == Side.INITIATIEF and membership.role == Role.LID
    assert membership.confirmed_organisation_id == initiative.organisation_id
    assert membership.organisation_confirmed_by == world.steward


def test_listing_keeps_an_organisation_the_initiative_already_has(world):
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    initiative = InitiativeFactory(
        community=world.public,
        organisation=organisation,
        review=Review.PENDING,
        applicant=world.initiatief_member,
    )
    services.review_initiative(actor=world.steward, initiative=initiative, decision="listed")
    membership = Membership.objects.active().get(
        user=world.initiatief_member, community=world.public
    )
    assert membership.confirmed_organisation_id == organisation.pk
    assert membership.side == Side.INITIATIEF  # an existing member keeps their side


def test_asking_for_more_does_not_give_the_organisation(world):
    initiative = InitiativeFactory(
        community=world.public, review=Review.PENDING, applicant=world.outsider
    )
    services.review_initiative(
        actor=world.steward, initiative=initiative, decision="more-info", note="Welke buurt?"
    )
    assert not Membership.objects.filter(user=world.outsider, community=world.public).exists()


# -- an organisation counts once confirmed ------------------------------------------------


@pytest.fixture
def unconfirmed(world):
    """The initiatief_member chose Warmte Noord, but nobody confirmed it yet."""
    organisation = OrganisationFactory(community=world.public, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=organisation, organisation_confirmed_at=None
    )
    return InitiativeFactory(community=world.public, organisation=organisation, name="Noord")


def test_an_unconfirmed_organisation_grants_no_edit(world, unconfirmed):
    assert not permissions.can_edit_initiative(world.initiatief_member, unconfirmed)
    assert _edit(client_for(world.initiatief_member), unconfirmed).status_code == 404
    with pytest.raises(CommunityError) as caught:
        services.change_initiative(
            actor=world.initiatief_member, initiative=unconfirmed, fields={"pitch": "Van mij"}
        )
    assert caught.value.status == 403
    unconfirmed.refresh_from_db()
    assert unconfirmed.pitch != "Van mij"


def test_an_unconfirmed_organisation_decides_no_support(world, unconfirmed):
    offer = SupportOffer.objects.create(
        community=world.public,
        phase="verkenning",
        name="Budget",
        offered_by=unconfirmed.organisation,
    )
    request = SupportRequest.objects.create(
        initiative=InitiativeFactory(community=world.public), offer=offer, message="Graag"
    )
    assert not permissions.can_decide_support(world.initiatief_member, offer)
    with pytest.raises(CommunityError) as caught:
        services.decide_support(actor=world.initiatief_member, request=request, grant=True)
    assert caught.value.status == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation_confirmed_at=timezone.now()
    )
    member = type(world.initiatief_member).objects.get(pk=world.initiatief_member.pk)
    assert permissions.can_decide_support(member, offer)


# -- the services check their own keys ----------------------------------------------------


def test_no_entry_point_skips_the_edit_rule(world):
    initiative = InitiativeFactory(community=world.public, name="Noord")
    with pytest.raises(CommunityError) as caught:
        services.change_initiative(
            actor=world.gemeente_member, initiative=initiative, fields={"pitch": "Gekaapt"}
        )
    assert caught.value.status == 403
    indicator = Indicator.objects.get(community=world.public, code="members")
    with pytest.raises(CommunityError):
        services.record_value(
            actor=world.gemeente_member,
            initiative=initiative,
            indicator=indicator,
            year=2024,
            value=1,
        )
    with pytest.raises(CommunityError):
        services.review_initiative(
            actor=world.initiatief_member, initiative=initiative, decision="declined", note="x"
        )
    assert not IndicatorValue.objects.exists()


def test_a_stale_version_is_refused(world):
    initiative = InitiativeFactory(community=world.public, name="Noord")
    seen = initiative.history.order_by("-history_id").first().history_id
    services.change_initiative(
        actor=world.steward, initiative=initiative, fields={"pitch": "Eerst"}, seen_version=seen
    )
    with pytest.raises(CommunityError) as caught:
        services.change_initiative(
            actor=world.steward,
            initiative=initiative,
            fields={"pitch": "Daarna"},
            seen_version=seen,
        )
    assert caught.value.status == 412
    initiative.refresh_from_db()
    assert initiative.pitch == "Eerst"


# -- no writes on GET ---------------------------------------------------------------------


def test_a_new_community_starts_with_the_catalogue(db):
    community = CommunityFactory()
    assert Indicator.objects.filter(community=community).count() == len(defaults.INDICATORS)
    assert PhaseCriterion.objects.filter(community=community).count() == len(defaults.CRITERIA)
    assert SupportOffer.objects.filter(community=community).count() == len(defaults.SUPPORT)
    assert EmissionFactor.objects.filter(community=community).count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/en/c/{c}/initiatives/{i}/",
        "/en/c/{c}/value/",
        "/en/c/{c}/value/indicators/",
        "/en/c/{c}/value/emission-factors/",
        "/en/c/{c}/growth/",
        "/en/c/{c}/initiatives/review/",
        "/en/c/{c}/values/import/",
        "/api/v1/initiatives/{pk}/indicators",
    ],
)
def test_reading_a_page_writes_nothing(world, url):
    community = world.public
    # A community from before the catalogue was made at creation.
    for model in (Indicator, PhaseCriterion, SupportOffer, EmissionFactor):
        model.objects.filter(community=community).delete()
    initiative = InitiativeFactory(community=community, name="Noord")
    client = client_for(world.steward)
    address = url.format(c=community.slug, i=initiative.slug, pk=initiative.pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []
    assert not Indicator.objects.filter(community=community).exists()


def test_the_migration_gives_existing_communities_the_catalogue(db):
    community = CommunityFactory()
    Indicator.objects.filter(community=community).delete()
    PhaseCriterion.objects.filter(community=community).delete()
    SupportOffer.objects.filter(community=community).delete()
    EmissionFactor.objects.filter(community=community).delete()
    defaults.add_missing_defaults()
    assert Indicator.objects.filter(community=community).count() == len(defaults.INDICATORS)
    assert EmissionFactor.objects.filter(community=community).count() == 1
    defaults.add_missing_defaults()  # a second run adds nothing
    assert Indicator.objects.filter(community=community).count() == len(defaults.INDICATORS)


# -- imports are services too -------------------------------------------------------------


def test_only_stewards_import_and_a_refused_import_writes_nothing(world):
    content = b"name;pitch\r\nZon Noord;Panelen\r\n"
    for persona in ("initiatief_member", "gemeente_member", "outsider"):
        with pytest.raises(CommunityError) as caught:
            registry.import_initiatives(
                actor=world.persona(persona), community=world.public, data=content
            )
        assert caught.value.status == 403
    assert not Initiative.objects.exists()
    report = registry.import_initiatives(actor=world.steward, community=world.public, data=content)
    assert report.created == 1


def test_an_import_checks_rows_with_the_models_own_limits(world):
    longest = Initiative._meta.get_field("name").max_length
    content = f"name;website\r\n{'x' * (longest + 1)};\r\nGoed;geen adres\r\n".encode()
    report = registry.import_initiatives(actor=world.steward, community=world.public, data=content)
    assert {(p.row, p.column) for p in report.errors} == {(2, "name"), (3, "website")}
    assert not Initiative.objects.exists()
