"""Track 3, the council's route (issue 11): advice dossiers from a draft through the group's
endorsement to the council; the endorsement rule (one side alone cannot endorse; a side
counts once confirmed); the moves and who may make them; a decision that carries the
adjustments and signals of its dossier through the loop, so their raisers hear the outcome.
Who may do what is written out by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from samenspel.communities.models import Membership, OrganisationKind, Side
from samenspel.communities.services import CommunityError
from samenspel.core.models import Notification
from samenspel.council import permissions, services
from samenspel.council.models import (
    AdviceEvent,
    AdviceStage,
    CouncilAdvice,
    Endorsement,
    EndorsementRule,
    Instrument,
    OfferedTo,
    Outcome,
)
from samenspel.learning import adjustments as loop_adjustments
from samenspel.learning import services as loop
from samenspel.learning.models import AdjustmentStage, PolicyObject
from samenspel.learning.stages import Stage
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def cast(world):
    """Confirmed organisations for both sides: the gemeente member speaks for the
    municipality, the initiatief member for an initiative."""
    gemeente = OrganisationFactory(
        community=world.public, name="Gemeente", kind=OrganisationKind.GEMEENTE_AFDELING
    )
    noord = OrganisationFactory(
        community=world.public, name="Warmte Noord", kind=OrganisationKind.INITIATIEF
    )
    now = timezone.now()
    Membership.objects.filter(user=world.gemeente_member, community=world.public).update(
        organisation=gemeente, organisation_confirmed_at=now
    )
    Membership.objects.filter(user=world.initiatief_member, community=world.public).update(
        organisation=noord, organisation_confirmed_at=now
    )
    # A member who says she is of the municipality, without a confirmed organisation.
    unconfirmed = UserFactory(email="zegt-gemeente@example.org", display_name="Saskia Zegt")
    MembershipFactory(user=unconfirmed, community=world.public, side=Side.GEMEENTE)
    return {"unconfirmed": unconfirmed}


def start(world, actor=None, **links):
    return services.start_advice(
        actor=actor or world.initiatief_member,
        community=world.public,
        title="Garantstelling voor warmtenetten",
        question="Staat de gemeente borg voor leningen van coöperatieve warmtenetten?",
        advice="De groep adviseert: ja, tot 5 miljoen euro.",
        **links,
    )


def endorsed(world, advice, mover=None):
    services.endorse(actor=world.gemeente_member, advice=advice)
    services.endorse(actor=world.initiatief_member, advice=advice)
    return services.move_advice(
        actor=mover or world.initiatief_member, advice=advice, to_stage=AdviceStage.ONDERSCHREVEN
    )


def offered(world, advice):
    endorsed(world, advice)
    return services.move_advice(
        actor=world.initiatief_member,
        advice=advice,
        to_stage=AdviceStage.AANGEBODEN,
        offered_to=OfferedTo.RAAD,
        offered_on=timezone.localdate(),
        channel="Per brief aan de griffie",
    )


# (persona, start one, endorse, move a dossier they did not write, record a decision on it)
RIGHTS = [
    ("anonymous", False, False, False),
    ("outsider", False, False, False),
    ("gemeente_member", True, True, False),
    ("initiatief_member", True, True, True),  # the author in these tests
    ("observer", False, False, False),
    ("steward", True, True, True),
    ("admin", True, False, True),  # site admins keep the site, they endorse nothing
]


@pytest.mark.parametrize(("persona", "may_start", "may_endorse", "may_move"), RIGHTS)
def test_who_starts_endorses_and_moves_an_advice(
    world, cast, persona, may_start, may_endorse, may_move
):
    advice = start(world)
    user = world.persona(persona)
    assert permissions.can_write_advice(user, world.public) is may_start
    assert permissions.can_endorse(user, advice) is may_endorse
    assert permissions.can_move_advice(user, advice) is may_move
    assert permissions.can_record_decision(user, advice) is may_move
    assert permissions.can_change_advice(user, advice) is may_move


def test_co_authors_may_move_it_and_a_draft_only_changes_before_endorsement(world, cast):
    advice = start(world, co_authors=[world.gemeente_member])
    assert permissions.can_move_advice(world.gemeente_member, advice)
    assert set(advice.authors.all()) == {world.initiatief_member, world.gemeente_member}
    endorsed(world, advice)
    assert not permissions.can_change_advice(world.steward, advice)


def test_one_side_alone_cannot_endorse(world, cast):
    advice = start(world)
    services.endorse(actor=world.initiatief_member, advice=advice)
    services.endorse(actor=world.steward, advice=advice)  # facilitation counts for no side
    with pytest.raises(CommunityError) as refused:
        services.move_advice(
            actor=world.initiatief_member, advice=advice, to_stage=AdviceStage.ONDERSCHREVEN
        )
    assert refused.value.code == "endorsement_rule"
    assert CouncilAdvice.objects.get().stage == AdviceStage.CONCEPT
    services.endorse(actor=world.gemeente_member, advice=advice)
    services.move_advice(
        actor=world.initiatief_member, advice=advice, to_stage=AdviceStage.ONDERSCHREVEN
    )
    assert CouncilAdvice.objects.get().stage == AdviceStage.ONDERSCHREVEN


def test_a_chosen_side_counts_once_a_steward_confirms_it(world, cast):
    advice = start(world)
    services.endorse(actor=world.initiatief_member, advice=advice)
    saying = services.endorse(actor=cast["unconfirmed"], advice=advice)
    assert saying.side == Side.GEMEENTE and not saying.side_confirmed
    assert not services.endorsed_by_the_group(advice)
    with pytest.raises(CommunityError):
        services.confirm_side(actor=world.gemeente_member, endorsement=saying)
    services.confirm_side(actor=world.steward, endorsement=saying)
    assert services.endorsed_by_the_group(advice)


def test_a_community_may_ask_more_endorsers(world, cast):
    EndorsementRule.objects.create(community=world.public, gemeente=2, initiatief=1)
    advice = start(world)
    services.endorse(actor=world.initiatief_member, advice=advice)
    services.endorse(actor=world.gemeente_member, advice=advice)
    counts = {c.side: (c.confirmed, c.needed) for c in services.endorsement_counts(advice)}
    assert counts == {Side.GEMEENTE: (1, 2), Side.INITIATIEF: (1, 1)}
    assert not services.endorsed_by_the_group(advice)


def test_one_endorsement_per_member_and_withdrawing(world, cast):
    advice = start(world)
    services.endorse(actor=world.gemeente_member, advice=advice)
    with pytest.raises(CommunityError) as twice:
        services.endorse(actor=world.gemeente_member, advice=advice)
    assert twice.value.code == "already_endorsed"
    assert Endorsement.objects.count() == 1
    services.withdraw_endorsement(actor=world.gemeente_member, advice=advice)
    assert not Endorsement.objects.exists()


def test_the_stages_in_order_each_recorded(world, cast):
    advice = start(world)
    with pytest.raises(CommunityError) as skipping:
        services.move_advice(
            actor=world.initiatief_member, advice=advice, to_stage=AdviceStage.AANGEBODEN
        )
    assert skipping.value.code == "invalid_move"
    endorsed(world, advice)
    with pytest.raises(CommunityError) as no_date:
        services.move_advice(
            actor=world.initiatief_member, advice=advice, to_stage=AdviceStage.AANGEBODEN
        )
    assert no_date.value.code == "offer_required"
    services.move_advice(
        actor=world.initiatief_member,
        advice=advice,
        to_stage=AdviceStage.AANGEBODEN,
        offered_to=OfferedTo.RAAD,
        offered_on=timezone.localdate(),
    )
    services.move_advice(
        actor=world.steward, advice=advice, to_stage=AdviceStage.GEAGENDEERD, note="Raad 12 mei"
    )
    stages = list(AdviceEvent.objects.values_list("from_stage", "to_stage", "actor"))
    assert stages == [
        ("", AdviceStage.CONCEPT, world.initiatief_member.pk),
        (AdviceStage.CONCEPT, AdviceStage.ONDERSCHREVEN, world.initiatief_member.pk),
        (AdviceStage.ONDERSCHREVEN, AdviceStage.AANGEBODEN, world.initiatief_member.pk),
        (AdviceStage.AANGEBODEN, AdviceStage.GEAGENDEERD, world.steward.pk),
    ]
    assert advice.history.count() >= 4


def test_a_stale_move_is_a_conflict(world, cast):
    advice = start(world)
    endorsed(world, advice)
    with pytest.raises(CommunityError) as stale:
        services.move_advice(
            actor=world.initiatief_member,
            advice=advice,
            to_stage=AdviceStage.ONDERSCHREVEN,
            seen_stage=AdviceStage.CONCEPT,
        )
    assert stale.value.status in (400, 409)
    assert CouncilAdvice.objects.get().stage == AdviceStage.ONDERSCHREVEN


def _signal_and_adjustment(world):
    signal = loop.raise_signal(
        actor=world.initiatief_member,
        community=world.public,
        title="Geen garantie voor ons warmtenet",
        what_happened="De bank wil een garantie van de gemeente.",
    )
    direct = loop.raise_signal(
        actor=world.initiatief_member,
        community=world.public,
        title="De lening komt niet rond",
        what_happened="Zonder borg geen lening.",
    )
    # The civil servant takes the first one up, and proposes an adjustment that answers it.
    loop.move_signal(
        actor=world.gemeente_member,
        signal=signal,
        move=loop.Move(to_stage=Stage.IN_VERKENNING),
        seen_event_id=None,
    )
    policy = PolicyObject.objects.create(
        community=world.public, name="Garantieregeling", kind="instrument"
    )
    adjustment = loop_adjustments.create_adjustment(
        actor=world.gemeente_member,
        community=world.public,
        policy_object=policy,
        title="Garantieregeling voor coöperaties",
        proposed="De gemeente staat borg tot 5 miljoen.",
        owner=world.gemeente_member,
        signals=[signal],
    )
    assert adjustment.stage == AdjustmentStage.VOORGESTELD
    signal.refresh_from_db()
    assert signal.stage == Stage.AANPASSING_VOORGESTELD
    return signal, direct, adjustment


def test_an_adopted_decision_carries_its_adjustments_and_signals_to_feedback(world, cast):
    signal, direct, adjustment = _signal_and_adjustment(world)
    # The dossier's author is not the adjustment's owner: the decision is the warrant.
    advice = start(world, adjustments=[adjustment], signals=[direct])
    offered(world, advice)
    Notification.objects.all().delete()
    decision = services.record_decision(
        actor=world.initiatief_member,
        advice=advice,
        outcome=Outcome.VASTGESTELD,
        instrument=Instrument.RAADSVOORSTEL,
        decided_on=timezone.localdate(),
        text="De raad stelt de garantieregeling vast.",
        reference="RV-2026-17",
        link="https://raad.example.org/besluit/17",
    )
    advice.refresh_from_db()
    adjustment.refresh_from_db()
    assert advice.stage == AdviceStage.BESLUIT
    assert adjustment.stage == AdjustmentStage.BESLOTEN_RAAD
    assert adjustment.decision_link == "https://raad.example.org/besluit/17"
    for moved in (signal, direct):
        moved.refresh_from_db()
        assert moved.stage == Stage.TERUGGEKOPPELD
        decided = moved.events.get(to_stage=Stage.BESLOTEN)
        assert decided.decision_basis == "raad"
        assert decided.actor == world.initiatief_member
    assert "RV-2026-17" in direct.events.get(to_stage=Stage.BESLOTEN).decision_reference
    # Through the adjustment too, the answer says what the council decided.
    answer = signal.events.get(to_stage=Stage.TERUGGEKOPPELD).note
    assert "De raad stelt de garantieregeling vast." in answer
    assert "Garantieregeling voor coöperaties" in answer
    # Feedback reached who raised them (here the author, who is never told of their own
    # step) — and the others involved: the dossier's endorsers hear the decision.
    assert Notification.objects.filter(recipient=world.gemeente_member).exists()
    assert decision.is_adopted


def test_a_rejection_answers_the_signals_with_the_reason(world, cast):
    signal, direct, adjustment = _signal_and_adjustment(world)
    advice = start(world, actor=world.steward, adjustments=[adjustment], signals=[direct])
    offered_by_steward = endorsed(world, advice, mover=world.steward)
    services.move_advice(
        actor=world.steward,
        advice=offered_by_steward,
        to_stage=AdviceStage.AANGEBODEN,
        offered_to=OfferedTo.RAAD,
        offered_on=timezone.localdate(),
    )
    Notification.objects.all().delete()
    services.record_decision(
        actor=world.steward,
        advice=advice,
        outcome=Outcome.VERWORPEN,
        instrument=Instrument.RAADSVOORSTEL,
        decided_on=timezone.localdate(),
        text="De raad wil eerst een risicoanalyse.",
    )
    for moved in (signal, direct):
        moved.refresh_from_db()
        assert moved.stage == Stage.NIET_OPGEPAKT
        assert "risicoanalyse" in moved.last_event.note
    adjustment.refresh_from_db()
    assert adjustment.stage == AdjustmentStage.VOORGESTELD
    raiser_news = Notification.objects.filter(recipient=world.initiatief_member, always=True)
    assert raiser_news.count() == 2


def test_a_postponed_decision_keeps_the_dossier_where_it_is(world, cast):
    _signal, direct, _adjustment = _signal_and_adjustment(world)
    advice = start(world, signals=[direct])
    offered(world, advice)
    services.record_decision(
        actor=world.initiatief_member,
        advice=advice,
        outcome=Outcome.AANGEHOUDEN,
        instrument=Instrument.RAADSVOORSTEL,
        decided_on=timezone.localdate(),
    )
    advice.refresh_from_db()
    direct.refresh_from_db()
    assert advice.stage == AdviceStage.AANGEBODEN
    assert direct.stage == Stage.GEMELD
    assert advice.decisions.count() == 1


def test_who_may_not_record_a_decision_changes_nothing(world, cast):
    _signal, direct, _adjustment = _signal_and_adjustment(world)
    advice = start(world, signals=[direct])
    offered(world, advice)
    for person in (world.gemeente_member, world.observer, world.outsider):
        with pytest.raises(CommunityError) as refused:
            services.record_decision(
                actor=person,
                advice=advice,
                outcome=Outcome.VASTGESTELD,
                instrument=Instrument.MOTIE,
                decided_on=timezone.localdate(),
            )
        assert refused.value.status == 403
    direct.refresh_from_db()
    assert direct.stage == Stage.GEMELD and not advice.decisions.exists()


def test_a_decision_needs_an_offered_advice_and_a_web_link(world, cast):
    advice = start(world)
    with pytest.raises(CommunityError) as early:
        services.record_decision(
            actor=world.initiatief_member,
            advice=advice,
            outcome=Outcome.VASTGESTELD,
            instrument=Instrument.MOTIE,
            decided_on=timezone.localdate(),
        )
    assert early.value.code == "not_offered"
    offered(world, advice)
    with pytest.raises(CommunityError) as bad_link:
        services.record_decision(
            actor=world.initiatief_member,
            advice=advice,
            outcome=Outcome.VASTGESTELD,
            instrument=Instrument.MOTIE,
            decided_on=timezone.localdate(),
            link="javascript:alert(1)",
        )
    assert bad_link.value.code == "invalid_link"
    assert not advice.decisions.exists()


def test_a_warrant_covers_only_what_its_dossier_names(world, cast):
    signal, direct, adjustment = _signal_and_adjustment(world)
    advice = start(world, signals=[direct])
    offered(world, advice)
    decision = services.record_decision(
        actor=world.initiatief_member,
        advice=advice,
        outcome=Outcome.AANGEHOUDEN,
        instrument=Instrument.MOTIE,
        decided_on=timezone.localdate(),
    )
    assert permissions.decision_warrant(world.initiatief_member, direct, decision)
    assert not permissions.decision_warrant(world.initiatief_member, signal, decision)
    assert not permissions.decision_warrant(world.initiatief_member, adjustment, decision)
    assert not permissions.decision_warrant(world.gemeente_member, direct, decision)


# Pages.


def test_the_pages_for_visitors_members_and_authors(world, cast):
    advice = start(world)
    url = advice.get_absolute_url()
    visitor = client_for(None).get(url).content.decode()
    assert "Staat de gemeente borg" in visitor
    assert 'action="/c/publiek/advices/' not in visitor
    member = client_for(world.gemeente_member).get(url).content.decode()
    assert f'action="/c/publiek/advices/{advice.pk}/endorse/"' in member
    assert f"/c/publiek/advices/{advice.pk}/edit/" not in member
    author = client_for(world.initiatief_member).get(url).content.decode()
    assert f"/c/publiek/advices/{advice.pk}/edit/" in author
    assert client_for(None).get("/c/besloten/advices/").status_code == 404
    listing = client_for(None).get("/c/publiek/advices/").content.decode()
    assert "Garantstelling voor warmtenetten" in listing


def test_through_the_pages_from_draft_to_decision(world, cast):
    _signal, direct, _adjustment = _signal_and_adjustment(world)
    author = client_for(world.initiatief_member)
    response = author.post(
        "/c/publiek/advices/new/",
        {
            "title": "Borg voor warmtenetten",
            "question": "Staat de gemeente borg?",
            "advice": "Ja.",
            "signals": [direct.pk],
            "authors": [world.gemeente_member.pk],
        },
    )
    advice = CouncilAdvice.objects.get()
    assert response["Location"] == advice.get_absolute_url()
    base = f"/c/publiek/advices/{advice.pk}"
    author.post(f"{base}/endorse/")
    client_for(world.gemeente_member).post(f"{base}/endorse/")
    author.post(f"{base}/move/", {"to_stage": "onderschreven", "seen_stage": "concept"})
    author.post(
        f"{base}/move/",
        {
            "to_stage": "aangeboden",
            "seen_stage": "onderschreven",
            "offered_to": "raad",
            "offered_on": timezone.localdate().isoformat(),
        },
    )
    assert CouncilAdvice.objects.get().stage == AdviceStage.AANGEBODEN
    author.post(
        f"{base}/decision/",
        {
            "outcome": "vastgesteld",
            "instrument": "motie",
            "decided_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "text": "Aangenomen.",
        },
    )
    assert CouncilAdvice.objects.get().stage == AdviceStage.BESLUIT
    direct.refresh_from_db()
    assert direct.stage == Stage.TERUGGEKOPPELD
    page = author.get(base + "/").content.decode()
    assert "Aangenomen." in page and 'id="decision-' in page


def test_a_refused_move_through_the_page_says_why_and_changes_nothing(world, cast):
    advice = start(world)
    response = client_for(world.initiatief_member).post(
        f"/c/publiek/advices/{advice.pk}/move/",
        {"to_stage": "onderschreven", "seen_stage": "concept"},
        follow=True,
    )
    page = response.content.decode()
    assert "not endorsed it yet" in page or "nog niet onderschreven" in page
    assert CouncilAdvice.objects.get().stage == AdviceStage.CONCEPT


def test_the_pdf_holds_the_question_the_advice_and_both_sides_endorsers(world, cast):
    from io import BytesIO

    from pypdf import PdfReader

    _signal, direct, _adjustment = _signal_and_adjustment(world)
    advice = start(world, signals=[direct])
    endorsed(world, advice)
    response = client_for(None).get(f"/c/publiek/advices/{advice.pk}/advice.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4: 210 mm
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Staat de gemeente borg voor leningen van coöperatieve warmtenetten?" in flat
    assert world.gemeente_member.name in flat and world.initiatief_member.name in flat
    assert "Zonder borg geen lena" not in flat and "Zonder borg geen lening." in flat
    assert "1 van de 1" in flat or "1 of the 1" in flat
    assert "Pagina 1" in flat or "Page 1" in flat
    assert client_for(None).get(f"/c/besloten/advices/{advice.pk}/advice.pdf").status_code == 404


def test_an_advice_on_a_sessions_agenda(world, cast, django_assert_max_num_queries):
    from samenspel.practice import sessions as practice
    from samenspel.practice.models import AgendaItem

    advice = start(world)
    starts = timezone.now() + timedelta(days=3)
    session = practice.plan_session(
        actor=world.steward,
        community=world.public,
        title="Bijeenkomst",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Zaal",
    )
    steward = client_for(world.steward)
    form = steward.get(session.get_absolute_url()).content.decode()
    assert 'name="subject_advice"' in form
    steward.post(f"/c/publiek/sessions/{session.pk}/agenda/", {"subject_advice": advice.pk})
    item = AgendaItem.objects.get()
    assert item.subject == advice and item.title == advice.title
    page = client_for(None).get(session.get_absolute_url()).content.decode()
    assert f'href="/c/publiek/advices/{advice.pk}/"' in page
    advice_page = client_for(None).get(advice.get_absolute_url()).content.decode()
    assert 'id="advice-sessions"' in advice_page
    api = client_for(None).get(f"/api/v1/sessions/{session.pk}").json()
    assert api["agenda"][0]["subjectKind"] == "advice"
    assert api["agenda"][0]["subjectId"] == advice.pk
    # An advice of another community is refused, and nothing is added.
    other = services.start_advice(
        actor=world.steward,
        community=world.private,
        title="Elders",
        question="Elders?",
    )
    with pytest.raises(CommunityError):
        practice.add_agenda_item(actor=world.steward, session=session, subject=other)
    assert AgendaItem.objects.count() == 1
