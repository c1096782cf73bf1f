"""The growth path and support: catalogue, an initiative's criteria and requests, deciding
support, needs and offers with their matching, and mentorships — with who may do what."""

from dataclasses import dataclass

import factory
import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Community, Membership, Organisation, Role, Side
from samenspel.communities.services import CommunityError
from samenspel.initiatives import growth, services
from samenspel.initiatives.choices import ExchangeKind, Phase, RequestStatus, Review
from samenspel.initiatives.defaults import ensure_defaults
from samenspel.initiatives.models import (
    CriterionCheck,
    Exchange,
    Initiative,
    Mentorship,
    PhaseCriterion,
    SupportOffer,
    SupportRequest,
)
from tests.factories import CommunityFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.mailbox import outbox


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    """These tests read the services' messages in English, the source language."""
    from django.utils import translation

    with translation.override("en"):
        yield


ALL_PERSONAS = [
    "anonymous",
    "outsider",
    "observer",
    "gemeente_member",
    "initiatief_member",
    "steward",
    "admin",
]


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Initiative {n}")
    slug = factory.Sequence(lambda n: f"initiative-{n}")
    phase = Phase.ORIENTATIE
    review = Review.LISTED


class ExchangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exchange

    initiative = factory.SubFactory(InitiativeFactory)
    kind = ExchangeKind.NEED
    title = factory.Sequence(lambda n: f"Exchange {n}")


@dataclass
class Growth:
    community: Community
    gemeente: Organisation
    starter_org: Organisation
    starter: Initiative  # orientation; the initiatief_member's initiative
    established: Initiative  # development, of another organisation
    offer: SupportOffer  # offered by the municipality's organisation


@pytest.fixture
def grow(world) -> Growth:
    community = world.public
    ensure_defaults(community)
    gemeente = OrganisationFactory(community=community, name="Gemeente Publiek")
    starter_org = OrganisationFactory(community=community, name="Buurtwarmte Oost")
    Membership.objects.filter(user=world.gemeente_member, community=community).update(
        organisation=gemeente, organisation_confirmed_at=timezone.now()
    )
    Membership.objects.filter(user=world.initiatief_member, community=community).update(
        organisation=starter_org, organisation_confirmed_at=timezone.now()
    )
    starter = InitiativeFactory(
        community=community,
        organisation=starter_org,
        name="Buurtwarmte Oost",
        slug="oost",
        phase=Phase.ORIENTATIE,
        solutions=["net-lt"],
    )
    established = InitiativeFactory(
        community=community,
        organisation=OrganisationFactory(community=community, name="Warmte West"),
        name="Warmte West",
        slug="west",
        phase=Phase.ONTWIKKELING,
        solutions=["net-lt", "teo"],
    )
    offer = SupportOffer.objects.create(
        community=community,
        phase=Phase.ORIENTATIE,
        name="Kickstart budget",
        description="Money for a first residents' evening.",
        offered_by=gemeente,
        order=100,
    )
    return Growth(community, gemeente, starter_org, starter, established, offer)


def client_of(world, persona):
    return client_for(None if persona == "anonymous" else world.persona(persona))


def refused(response) -> bool:
    # Visitors are sent to the login page; everyone else without the key gets a 404.
    return response.status_code in (302, 404) and (
        response.status_code == 404 or "/accounts/login/" in response["Location"]
    )


def latest_version(instance) -> object:
    record = instance.history.order_by("-history_id").first()
    return record.history_id if record else ""


def criterion(community, phase=Phase.ORIENTATIE) -> PhaseCriterion:
    return PhaseCriterion.objects.filter(community=community, phase=phase).first()


# -- the catalogue ------------------------------------------------------------------------


def test_the_growth_path_shows_every_phase_with_its_criteria_and_support(grow, client):
    response = client.get("/en/c/publiek/growth/")
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(label) for label in ("Orientation", "Exploration", "Development")]
    assert positions == sorted(positions)
    assert "The group has its own name" in html  # a default, shown in the reader's language
    assert "Kickstart budget" in html  # typed by the community, shown as typed
    assert "Offered by Gemeente Publiek" in html
    assert 'href="/en/c/publiek/growth/" aria-current="page"' in html


def test_the_growth_path_gives_a_new_community_its_defaults(db, client):
    community = CommunityFactory(slug="nieuw")
    assert client.get("/en/c/nieuw/growth/").status_code == 200
    assert PhaseCriterion.objects.filter(community=community).count() > 0
    assert SupportOffer.objects.filter(community=community).count() > 0


def test_a_private_growth_path_answers_404_to_outsiders(world):
    for persona, status in (("anonymous", 404), ("outsider", 404), ("observer", 200)):
        assert client_of(world, persona).get("/en/c/besloten/growth/").status_code == status


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_only_stewards_keep_the_catalogue(world, grow, persona):
    client = client_of(world, persona)
    before = PhaseCriterion.objects.count()
    response = client.post(
        "/en/c/publiek/growth/criteria/new/", {"phase": "verkenning", "text": "A plan exists"}
    )
    offer_response = client.post(
        "/en/c/publiek/growth/support/new/",
        {"phase": "verkenning", "name": "Advice", "description": "", "offered_by": ""},
    )
    if persona in ("steward", "admin"):
        assert response.status_code == 302 and offer_response.status_code == 302
        assert PhaseCriterion.objects.count() == before + 1
        assert SupportOffer.objects.filter(name="Advice").exists()
    else:
        assert refused(response) and refused(offer_response)
        assert PhaseCriterion.objects.count() == before
        assert not SupportOffer.objects.filter(name="Advice").exists()


def test_a_steward_edits_a_criterion_and_an_outdated_edit_is_refused(world, grow):
    client = client_for(world.steward)
    item = criterion(grow.community)
    url = f"/en/c/publiek/growth/criteria/{item.pk}/"
    based_on = latest_version(item)  # defaults are created without history: ""
    data = {"phase": "orientatie", "text": "Heeft een eigen naam", "based_on": based_on}
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.text == "Heeft een eigen naam"
    stale = client.post(url, {**data, "text": "Overwritten"})
    assert stale.status_code == 200
    assert "changed this while you were editing" in stale.content.decode()
    item.refresh_from_db()
    assert item.text == "Heeft een eigen naam"


def test_a_steward_edits_a_support_offer_and_names_who_offers_it(world, grow):
    client = client_for(world.steward)
    url = f"/en/c/publiek/growth/support/{grow.offer.pk}/"
    based_on = latest_version(grow.offer)
    response = client.post(
        url,
        {
            "phase": "verkenning",
            "name": "Kickstart",
            "description": "",
            "offered_by": grow.starter_org.pk,
            "based_on": based_on,
        },
    )
    assert response.status_code == 302
    grow.offer.refresh_from_db()
    assert (grow.offer.name, grow.offer.phase) == ("Kickstart", "verkenning")
    assert grow.offer.offered_by == grow.starter_org


def test_an_offer_cannot_name_an_organisation_of_another_community(world, grow):
    stranger = OrganisationFactory(community=world.private)
    based_on = latest_version(grow.offer)
    response = client_for(world.steward).post(
        f"/en/c/publiek/growth/support/{grow.offer.pk}/",
        {"phase": "orientatie", "name": "X", "offered_by": stranger.pk, "based_on": based_on},
    )
    assert response.status_code == 200
    grow.offer.refresh_from_db()
    assert grow.offer.name == "Kickstart budget"


def test_a_steward_reorders_criteria_within_a_phase(world, grow):
    first, second = PhaseCriterion.objects.filter(
        community=grow.community, phase=Phase.ORIENTATIE
    ).order_by("order", "pk")
    client = client_for(world.steward)
    response = client.post(f"/en/c/publiek/growth/criteria/{second.pk}/move/", {"direction": "up"})
    assert response.status_code == 302
    ordered = list(
        PhaseCriterion.objects.filter(community=grow.community, phase=Phase.ORIENTATIE)
        .order_by("order", "pk")
        .values_list("pk", flat=True)
    )
    assert ordered == [second.pk, first.pk]
    # The first cannot move further up; nothing changes.
    client.post(f"/en/c/publiek/growth/criteria/{second.pk}/move/", {"direction": "up"})
    assert (
        list(
            PhaseCriterion.objects.filter(community=grow.community, phase=Phase.ORIENTATIE)
            .order_by("order", "pk")
            .values_list("pk", flat=True)
        )
        == ordered
    )


def test_moving_items_of_another_community_is_not_found(world, grow):
    ensure_defaults(world.private)
    foreign = criterion(world.private)
    response = client_for(world.steward).post(
        f"/en/c/publiek/growth/criteria/{foreign.pk}/move/", {"direction": "down"}
    )
    assert response.status_code == 404


def test_reordering_support_offers_with_equal_numbers_still_moves(world, grow):
    a = SupportOffer.objects.create(community=grow.community, phase="realisatie", name="A")
    b = SupportOffer.objects.create(community=grow.community, phase="realisatie", name="B")
    SupportOffer.objects.filter(pk__in=[a.pk, b.pk]).update(order=7)
    default = SupportOffer.objects.get(community=grow.community, name="Municipal guarantee")
    assert growth.move_in_catalogue(actor=world.steward, item=b, up=True)
    names = list(
        SupportOffer.objects.filter(community=grow.community, phase="realisatie")
        .order_by("order", "pk")
        .values_list("name", flat=True)
    )
    assert names.index("B") < names.index("A")
    assert default.name in names


# -- an initiative's growth page ----------------------------------------------------------


def test_the_initiative_growth_page_shows_its_phase_and_what_is_next(world, grow, client):
    grow.starter.phase = Phase.VERKENNING
    grow.starter.save()
    met = criterion(grow.community, Phase.VERKENNING)
    CriterionCheck.objects.create(initiative=grow.starter, criterion=met)
    html = client.get("/en/c/publiek/initiatives/oost/growth/").content.decode()
    stepper = html[html.index('<ol class="ss-stepper"') : html.index("</ol>")]
    assert stepper.count("<li") == 5
    assert stepper.count('aria-current="step"') == 1
    current = stepper[stepper.index('aria-current="step"') :]
    assert current.index("Exploration") < current.index("</li>")
    next_part = html[html.index("What is next") : html.index("Support for this phase")]
    assert "To complete the current phase: Exploration / feasibility" in next_part
    assert "To reach the next phase: Development" in next_part
    # How many are left, with a link to the phase: each criterion is listed in one place.
    assert 'href="#phase-2"' in next_part and "still to meet" in next_part
    assert "Several activities have been organised for residents" not in next_part
    for text in ("Several activities have been organised for residents", met.text):
        assert html.count(text) == 1
    assert 'id="phase-2"' in html
    support = html[html.index("Support for this phase") : html.index("Criteria per phase")]
    assert "Process money" in support and "Kickstart budget" not in support
    assert "Support requests" not in html.split("Criteria per phase")[0].split("</nav>")[-1]


def test_the_initiative_page_links_to_its_growth_page(world, grow, client):
    html = client.get("/en/c/publiek/initiatives/oost/").content.decode()
    assert 'href="/en/c/publiek/initiatives/oost/growth/"' in html


def test_an_unlisted_initiative_growth_page_is_not_shown_to_others(world, grow):
    grow.starter.review = Review.PENDING
    grow.starter.save()
    url = "/en/c/publiek/initiatives/oost/growth/"
    assert client_of(world, "gemeente_member").get(url).status_code == 404
    assert client_of(world, "anonymous").get(url).status_code == 404
    assert client_of(world, "initiatief_member").get(url).status_code == 200


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_who_may_tick_criteria(world, grow, persona):
    ids = [c.pk for c in PhaseCriterion.objects.filter(community=grow.community)[:2]]
    response = client_of(world, persona).post(
        "/en/c/publiek/initiatives/oost/growth/criteria/", {"criteria": ids}
    )
    checked = CriterionCheck.objects.filter(initiative=grow.starter).count()
    if persona in ("initiatief_member", "steward", "admin"):
        assert response.status_code == 302
        assert checked == 2
    else:
        assert refused(response)
        assert checked == 0


def test_unticking_a_criterion_keeps_its_history(world, grow):
    first, second = PhaseCriterion.objects.filter(community=grow.community)[:2]
    client = client_for(world.initiatief_member)
    url = "/en/c/publiek/initiatives/oost/growth/criteria/"
    client.post(url, {"criteria": [first.pk, second.pk]})
    client.post(url, {"criteria": [second.pk]})
    assert list(
        CriterionCheck.objects.filter(initiative=grow.starter).values_list(
            "criterion_id", flat=True
        )
    ) == [second.pk]
    records = CriterionCheck.history.filter(criterion_id=first.pk).order_by("history_id")
    assert [r.history_type for r in records] == ["+", "-"]
    assert records.last().history_user == world.initiatief_member
    html = client.get("/en/c/publiek/initiatives/oost/growth/").content.decode()
    assert f'value="{second.pk}" id="criterion-{second.pk}" checked' in html
    assert f"by {world.initiatief_member.name}" in html


def test_ticking_criteria_of_another_community_changes_nothing(world, grow):
    ensure_defaults(world.private)
    own = criterion(grow.community)
    CriterionCheck.objects.create(initiative=grow.starter, criterion=own)
    client = client_for(world.initiatief_member)
    url = "/en/c/publiek/initiatives/oost/growth/criteria/"
    for bad in ([criterion(world.private).pk], ["not-a-number"], [987654]):
        response = client.post(url, {"criteria": bad}, follow=True)
        assert response.status_code == 200
        assert list(
            CriterionCheck.objects.filter(initiative=grow.starter).values_list(
                "criterion_id", flat=True
            )
        ) == [own.pk]


# -- asking for support ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_who_may_request_support(world, grow, persona):
    client = client_of(world, persona)
    url = "/en/c/publiek/initiatives/oost/growth/support/"
    page = client.get(url)
    response = client.post(url, {"offer": grow.offer.pk, "message": "For our first evening."})
    count = SupportRequest.objects.filter(initiative=grow.starter).count()
    if persona in ("initiatief_member", "steward", "admin"):
        assert page.status_code == 200
        assert response.status_code == 302
        assert count == 1
    else:
        assert refused(page) and refused(response)
        assert count == 0


def test_a_support_request_needs_a_message_and_an_offer_of_this_community(world, grow):
    ensure_defaults(world.private)
    foreign = SupportOffer.objects.filter(community=world.private).first()
    client = client_for(world.initiatief_member)
    url = "/en/c/publiek/initiatives/oost/growth/support/"
    for data in (
        {"offer": grow.offer.pk, "message": "   "},
        {"offer": foreign.pk, "message": "Please"},
        {"offer": "x", "message": "Please"},
        {"message": "Please"},
    ):
        response = client.post(url, data)
        assert response.status_code == 200
    assert not SupportRequest.objects.exists()
    assert not outbox()


def test_requesting_support_tells_the_organisation_that_decides(world, grow):
    client = client_for(world.initiatief_member)
    url = "/en/c/publiek/initiatives/oost/growth/support/"
    client.post(url, {"offer": grow.offer.pk, "message": "For our first evening."})
    assert [m.to for m in outbox()] == [[world.gemeente_member.email]]
    assert "For our first evening." in outbox()[0].body
    # Asking twice while the first is waiting is refused.
    again = client.post(url, {"offer": grow.offer.pk, "message": "Again"})
    assert again.status_code == 200
    assert "already asked" in again.content.decode()
    assert SupportRequest.objects.count() == 1


def test_the_initiative_sees_its_requests_with_status_and_reason(world, grow):
    support_request = services.request_support(
        actor=world.initiatief_member,
        initiative=grow.starter,
        offer_id=grow.offer.pk,
        message="For our first evening.",
    )
    services.decide_support(
        actor=world.gemeente_member,
        request=support_request,
        grant=False,
        reason="The budget for this year is spent.",
    )
    url = "/en/c/publiek/initiatives/oost/growth/"
    html = client_for(world.initiatief_member).get(url).content.decode()
    assert "Kickstart budget" in html
    assert "Declined" in html
    assert "The budget for this year is spent." in html
    assert (
        "The budget for this year is spent."
        not in client_of(world, "anonymous").get(url).content.decode()
    )


# -- deciding support -----------------------------------------------------------------------


def _pending(world, grow) -> SupportRequest:
    return SupportRequest.objects.create(
        initiative=grow.starter,
        offer=grow.offer,
        message="For our first evening.",
        requested_by=world.initiatief_member,
    )


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_who_may_decide_support(world, grow, persona):
    support_request = _pending(world, grow)
    client = client_of(world, persona)
    page = client.get("/en/c/publiek/growth/requests/")
    response = client.post(
        f"/en/c/publiek/growth/requests/{support_request.pk}/decide/", {"decision": "grant"}
    )
    support_request.refresh_from_db()
    # The key-holder decides: stewards, and the members of the organisation offering it.
    if persona in ("gemeente_member", "steward", "admin"):
        assert page.status_code == 200
        assert "For our first evening." in page.content.decode()
        assert response.status_code == 302
        assert support_request.status == RequestStatus.GRANTED
    else:
        assert refused(page) and refused(response)
        assert support_request.status == RequestStatus.PENDING


def test_a_member_of_the_offering_organisation_decides_only_its_own_support(world, grow):
    stewards_offer = SupportOffer.objects.get(community=grow.community, name="Meeting space")
    other = SupportRequest.objects.create(
        initiative=grow.starter, offer=stewards_offer, message="A room, please"
    )
    client = client_for(world.gemeente_member)
    html = client.get("/en/c/publiek/growth/requests/").content.decode()
    assert "A room, please" not in html
    response = client.post(
        f"/en/c/publiek/growth/requests/{other.pk}/decide/", {"decision": "grant"}
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == RequestStatus.PENDING


def test_declining_requires_a_reason(world, grow):
    support_request = _pending(world, grow)
    client = client_for(world.gemeente_member)
    url = f"/en/c/publiek/growth/requests/{support_request.pk}/decide/"
    response = client.post(url, {"decision": "decline", "reason": "  "}, follow=True)
    assert "Give a reason" in response.content.decode()
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.PENDING
    assert not outbox()
    client.post(url, {"decision": "decline", "reason": "Not in this phase."})
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.DECLINED
    assert support_request.reason == "Not in this phase."
    assert support_request.decided_by == world.gemeente_member


def test_a_decided_request_cannot_be_decided_again(world, grow):
    support_request = _pending(world, grow)
    client = client_for(world.steward)
    url = f"/en/c/publiek/growth/requests/{support_request.pk}/decide/"
    client.post(url, {"decision": "grant"})
    sent = len(outbox())
    response = client.post(url, {"decision": "decline", "reason": "Changed my mind"}, follow=True)
    assert "already been decided" in response.content.decode()
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.GRANTED
    assert len(outbox()) == sent
    with pytest.raises(CommunityError):
        services.decide_support(actor=world.steward, request=support_request, grant=True)


def test_a_bad_decision_changes_nothing(world, grow):
    support_request = _pending(world, grow)
    client = client_for(world.steward)
    for data in ({"decision": "maybe"}, {}):
        client.post(f"/en/c/publiek/growth/requests/{support_request.pk}/decide/", data)
    assert client.post("/en/c/publiek/growth/requests/999999/decide/").status_code == 404
    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.PENDING


def test_the_initiative_is_emailed_the_decision_in_each_members_language(world, grow):
    world.initiatief_member.preferred_language = "en"
    world.initiatief_member.save()
    dutch = UserFactory(email="nl@example.org", preferred_language="nl")
    MembershipFactory(user=dutch, community=grow.community, organisation=grow.starter_org)
    watcher = UserFactory(email="watcher@example.org")
    MembershipFactory(
        user=watcher,
        community=grow.community,
        organisation=grow.starter_org,
        role=Role.WAARNEMER,
        side=Side.OVERIG,
    )
    support_request = _pending(world, grow)
    client_for(world.gemeente_member).post(
        f"/en/c/publiek/growth/requests/{support_request.pk}/decide/",
        {"decision": "decline", "reason": "Not this year."},
    )
    by_address = {m.to[0]: m for m in outbox()}
    assert set(by_address) == {world.initiatief_member.email, dutch.email}
    english, dutch_mail = by_address[world.initiatief_member.email], by_address[dutch.email]
    assert "Decision: Declined" in english.body
    assert "Afgewezen" in dutch_mail.body and "Declined" not in dutch_mail.body
    assert "Not this year." in english.body and "Not this year." in dutch_mail.body
    assert "/en/c/publiek/initiatives/oost/growth/" in english.body
    assert "/en/" not in dutch_mail.body
    assert "/c/publiek/initiatives/oost/growth/" in dutch_mail.body


# -- needs and offers -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_who_may_post_and_close_needs_and_offers(world, grow, persona):
    client = client_of(world, persona)
    response = client.post(
        "/en/c/publiek/exchange/new/",
        {
            "initiative": grow.starter.pk,
            "kind": "need",
            "title": "Who has done a feasibility study?",
            "description": "",
            "solution": "net-lt",
            "phase": "verkenning",
        },
    )
    existing = ExchangeFactory(initiative=grow.starter, title="Old need")
    close = client.post(f"/en/c/publiek/exchange/{existing.pk}/close/")
    existing.refresh_from_db()
    posted = Exchange.objects.filter(title="Who has done a feasibility study?").exists()
    if persona in ("initiatief_member", "steward", "admin"):
        assert response.status_code == 302 and posted
        assert close.status_code == 302 and not existing.is_open
    else:
        assert refused(response) and not posted
        assert refused(close) and existing.is_open


def test_a_member_posts_only_for_their_own_initiative(world, grow):
    client = client_for(world.initiatief_member)
    response = client.post(
        "/en/c/publiek/exchange/new/",
        {"initiative": grow.established.pk, "kind": "offer", "title": "Not ours"},
    )
    assert response.status_code == 200
    assert not Exchange.objects.exists()
    theirs = ExchangeFactory(initiative=grow.established)
    assert client.post(f"/en/c/publiek/exchange/{theirs.pk}/close/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open


def test_bad_exchange_input_changes_nothing(world, grow):
    client = client_for(world.initiatief_member)
    for data in (
        {"initiative": grow.starter.pk, "kind": "gift", "title": "X"},
        {"initiative": grow.starter.pk, "kind": "need", "title": "  "},
        {"initiative": grow.starter.pk, "kind": "need", "title": "X", "solution": "coal"},
        {"initiative": grow.starter.pk, "kind": "need", "title": "X", "phase": "done"},
    ):
        assert client.post("/en/c/publiek/exchange/new/", data).status_code == 200
    assert not Exchange.objects.exists()


def test_the_exchange_lists_open_items_of_listed_initiatives_and_filters(world, grow, client):
    ExchangeFactory(initiative=grow.starter, title="Need a calculation", solution="net-lt")
    ExchangeFactory(initiative=grow.established, kind=ExchangeKind.OFFER, title="Our business case")
    ExchangeFactory(initiative=grow.starter, title="Closed one", is_open=False)
    hidden = InitiativeFactory(community=grow.community, review=Review.PENDING)
    ExchangeFactory(initiative=hidden, title="Of a registration")
    ExchangeFactory(
        initiative=InitiativeFactory(community=world.private), title="Of another community"
    )
    html = client.get("/en/c/publiek/exchange/").content.decode()
    assert "Need a calculation" in html and "Our business case" in html
    for absent in ("Closed one", "Of a registration", "Of another community"):
        assert absent not in html
    offers = client.get("/en/c/publiek/exchange/?kind=offer").content.decode()
    assert "Our business case" in offers and "Need a calculation" not in offers
    by_solution = client.get("/en/c/publiek/exchange/?solution=net-lt").content.decode()
    assert "Need a calculation" in by_solution and "Our business case" not in by_solution
    partial = client.get("/en/c/publiek/exchange/?kind=need", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="results">')


def test_a_need_shows_matching_offers_first(world, grow, client):
    need = ExchangeFactory(
        initiative=grow.starter, title="Help with LT network", solution="net-lt", phase="orientatie"
    )
    other = InitiativeFactory(community=grow.community, phase=Phase.ORIENTATIE, solutions=[])
    ExchangeFactory(initiative=other, kind=ExchangeKind.OFFER, title="Unrelated offer")
    ExchangeFactory(
        initiative=grow.established, kind=ExchangeKind.OFFER, title="LT know-how", solution="net-lt"
    )
    html = client.get(f"/en/c/publiek/exchange/{need.pk}/").content.decode()
    assert html.index("LT know-how") < html.index("Unrelated offer")
    helpers = html[html.index("Initiatives that may help") :]
    assert "Warmte West" in helpers


# -- matching, on its own -------------------------------------------------------------------


def _initiative(pk, phase, solutions=()):
    return Initiative(pk=pk, name=f"I{pk}", phase=phase, solutions=list(solutions))


def _item(pk, initiative, kind, solution="", phase=""):
    return Exchange(pk=pk, initiative=initiative, kind=kind, solution=solution, phase=phase)


def test_matching_scores_solution_then_phase_then_experience():
    asker = _initiative(1, Phase.ORIENTATIE, ["net-lt"])
    need = _item(10, asker, ExchangeKind.NEED, solution="net-lt")
    same_solution = _item(11, _initiative(2, Phase.REALISATIE), "offer", solution="net-lt")
    same_phase = _item(12, _initiative(3, Phase.ORIENTATIE), "offer", solution="wko")
    further = _item(13, _initiative(4, Phase.EXPLOITATIE), "offer", solution="wko")
    nothing = _item(
        14, _initiative(5, Phase.ORIENTATIE), "offer", solution="wko", phase="realisatie"
    )
    via_initiative = _item(15, _initiative(6, Phase.ORIENTATIE, ["net-lt"]), "offer")
    own = _item(16, asker, "offer", solution="net-lt")

    assert growth.match_score(need, same_solution) == growth.SAME_SOLUTION + growth.FURTHER_ALONG
    assert growth.match_score(need, same_phase) == growth.SAME_PHASE
    assert growth.match_score(need, further) == growth.FURTHER_ALONG
    assert growth.match_score(need, nothing) == 0
    # An offer without a solution of its own counts its initiative's solutions.
    assert growth.match_score(need, via_initiative) == growth.SAME_SOLUTION + growth.SAME_PHASE

    ranked = growth.rank_matches(
        need, [nothing, further, same_phase, own, same_solution, via_initiative]
    )
    assert [m.pk for m in ranked] == [15, 11, 12, 13, 14]  # own initiative's offer left out


def test_matching_keeps_the_given_order_between_equal_scores():
    need = _item(10, _initiative(1, Phase.VERKENNING), ExchangeKind.NEED)
    newer = _item(11, _initiative(2, Phase.VERKENNING), "offer")
    older = _item(12, _initiative(3, Phase.VERKENNING), "offer")
    assert [m.pk for m in growth.rank_matches(need, [newer, older])] == [11, 12]


def test_matching_initiatives_share_the_solution_or_the_phase():
    asker = _initiative(1, Phase.VERKENNING)
    need = _item(10, asker, ExchangeKind.NEED, solution="teo")
    candidates = [
        asker,
        _initiative(2, Phase.ONTWIKKELING, ["teo"]),
        _initiative(3, Phase.VERKENNING),
        _initiative(4, Phase.EXPLOITATIE, ["wko"]),  # only further along: not shown
        _initiative(5, Phase.VERKENNING, ["teo"]),
    ]
    assert [i.pk for i in growth.rank_initiatives(need, candidates)] == [5, 2, 3]
    assert len(growth.rank_initiatives(need, candidates, limit=1)) == 1


# -- mentorships ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL_PERSONAS)
def test_who_may_pair_and_end_mentorships(world, grow, persona):
    client = client_of(world, persona)
    response = client.post(
        "/en/c/publiek/growth/mentorships/new/",
        {"mentor": grow.established.pk, "mentee": grow.starter.pk, "note": "Monthly call"},
    )
    existing = Mentorship.objects.create(
        mentor=grow.established,
        mentee=InitiativeFactory(community=grow.community, phase=Phase.VERKENNING),
    )
    end = client.post(f"/en/c/publiek/growth/mentorships/{existing.pk}/end/")
    existing.refresh_from_db()
    paired = Mentorship.objects.filter(mentee=grow.starter).exists()
    if persona in ("steward", "admin"):
        assert response.status_code == 302 and paired
        assert end.status_code == 302 and existing.ended_at is not None
    else:
        assert refused(response) and not paired
        assert refused(end) and existing.ended_at is None


def test_mentorship_rules(world, grow):
    explorer = InitiativeFactory(community=grow.community, phase=Phase.VERKENNING)
    with pytest.raises(CommunityError, match="itself"):
        growth.pair_mentors(actor=world.steward, mentor=grow.established, mentee=grow.established)
    with pytest.raises(CommunityError, match="development phase or later"):
        growth.pair_mentors(actor=world.steward, mentor=explorer, mentee=grow.starter)
    with pytest.raises(CommunityError, match="orientation or exploration"):
        growth.pair_mentors(
            actor=world.steward,
            mentor=grow.established,
            mentee=InitiativeFactory(community=grow.community, phase=Phase.REALISATIE),
        )
    with pytest.raises(CommunityError, match="this community"):
        growth.pair_mentors(
            actor=world.steward,
            mentor=InitiativeFactory(community=world.private, phase=Phase.EXPLOITATIE),
            mentee=grow.starter,
        )
    with pytest.raises(CommunityError, match="listed"):
        growth.pair_mentors(
            actor=world.steward,
            mentor=grow.established,
            mentee=InitiativeFactory(community=grow.community, review=Review.PENDING),
        )
    growth.pair_mentors(actor=world.steward, mentor=grow.established, mentee=grow.starter)
    with pytest.raises(CommunityError, match="already paired"):
        growth.pair_mentors(actor=world.steward, mentor=grow.established, mentee=grow.starter)
    assert Mentorship.objects.count() == 1


def test_bad_pairing_input_changes_nothing(world, grow):
    explorer = InitiativeFactory(community=grow.community, phase=Phase.VERKENNING)
    client = client_for(world.steward)
    for data in (
        {"mentor": explorer.pk, "mentee": grow.starter.pk},  # mentor too early
        {"mentor": grow.established.pk, "mentee": grow.established.pk},  # itself
        {"mentor": grow.established.pk, "mentee": "x"},
        {"mentor": grow.established.pk},
    ):
        response = client.post("/en/c/publiek/growth/mentorships/new/", data)
        assert response.status_code == 400
    assert not Mentorship.objects.exists()


def test_ending_a_mentorship_keeps_it_and_both_growth_pages_show_it(world, grow, client):
    mentorship = growth.pair_mentors(
        actor=world.steward, mentor=grow.established, mentee=grow.starter, note="Calls"
    )
    mentee_page = client.get("/en/c/publiek/initiatives/oost/growth/").content.decode()
    mentor_page = client.get("/en/c/publiek/initiatives/west/growth/").content.decode()
    assert "Mentored by" in mentee_page and "Warmte West" in mentee_page
    assert "Mentors" in mentor_page and "Buurtwarmte Oost" in mentor_page
    client_for(world.steward).post(f"/en/c/publiek/growth/mentorships/{mentorship.pk}/end/")
    mentorship.refresh_from_db()
    assert mentorship.ended_at is not None
    assert Mentorship.objects.filter(pk=mentorship.pk).exists()
    with pytest.raises(CommunityError):
        growth.end_mentorship(actor=world.steward, mentorship=mentorship)
    html = client.get("/en/c/publiek/growth/mentorships/").content.decode()
    assert "Earlier mentorships" in html and "Warmte West" in html


# -- pages stay cheap -----------------------------------------------------------------------


def test_list_pages_use_a_fixed_number_of_queries(world, grow, django_assert_max_num_queries):
    for n in range(15):
        initiative = InitiativeFactory(
            community=grow.community, organisation=grow.starter_org, phase=Phase.VERKENNING
        )
        ExchangeFactory(initiative=initiative, solution="net-lt")
        ExchangeFactory(initiative=initiative, kind=ExchangeKind.OFFER)
        request = SupportRequest.objects.create(
            initiative=initiative, offer=grow.offer, message="m", requested_by=world.steward
        )
        if n % 2:
            services_decide(request, world)
        Mentorship.objects.create(mentor=grow.established, mentee=initiative)
        CriterionCheck.objects.create(initiative=grow.starter, criterion=criterion(grow.community))
        CriterionCheck.objects.filter(initiative=grow.starter).delete()
    need = Exchange.objects.filter(kind=ExchangeKind.NEED).first()
    for persona in ("anonymous", "steward", "initiatief_member", "gemeente_member"):
        client = client_of(world, persona)
        urls = [
            "/en/c/publiek/growth/",
            "/en/c/publiek/exchange/",
            f"/en/c/publiek/exchange/{need.pk}/",
            "/en/c/publiek/growth/mentorships/",
            "/en/c/publiek/initiatives/oost/growth/",
            "/en/c/publiek/initiatives/west/growth/",
        ]
        if persona in ("steward", "gemeente_member"):
            urls.append("/en/c/publiek/growth/requests/")
        for url in urls:
            with django_assert_max_num_queries(16):
                assert client.get(url).status_code == 200, url


def services_decide(request, world):
    services.decide_support(actor=world.steward, request=request, grant=True)


def test_visitors_share_a_cached_growth_path_that_follows_every_change(world, grow, client):
    assert client.get("/en/c/publiek/growth/")["X-Page-Cache"] == "miss"
    assert client.get("/en/c/publiek/growth/")["X-Page-Cache"] == "hit"
    item = criterion(grow.community)
    client_for(world.steward).post(
        f"/en/c/publiek/growth/criteria/{item.pk}/",
        {"phase": item.phase, "text": "Has a name of its own", "based_on": latest_version(item)},
    )
    fresh = client.get("/en/c/publiek/growth/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "Has a name of its own" in fresh.content.decode()


def test_either_initiative_may_end_its_mentorship(world, grow):
    mentorship = growth.pair_mentors(
        actor=world.steward, mentor=grow.established, mentee=grow.starter
    )
    url = f"/en/c/publiek/growth/mentorships/{mentorship.pk}/end/"
    page = client_of(world, "initiatief_member").get("/en/c/publiek/growth/mentorships/")
    assert url in page.content.decode()  # a member of the mentee's initiative sees "End"
    assert (
        url
        not in client_of(world, "gemeente_member")
        .get("/en/c/publiek/growth/mentorships/")
        .content.decode()
    )
    assert refused(client_of(world, "gemeente_member").post(url))
    mentorship.refresh_from_db()
    assert mentorship.ended_at is None
    assert client_of(world, "initiatief_member").post(url).status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.ended_at is not None
