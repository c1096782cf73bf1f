"""manage.py seed_scale: synthetic data with the asked-for counts, a steward everywhere, and
a re-run that replaces the earlier data instead of adding to it."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from samenspel.accounts.models import User
from samenspel.communities.models import Community, Membership, Organisation, Role
from samenspel.initiatives.choices import IndicatorKind, Review
from samenspel.initiatives.models import EmissionFactor, Indicator, IndicatorValue, Initiative
from samenspel.initiatives.scale import NL_BOUNDS
from tests.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.initiative_factories import InitiativeFactory

pytestmark = pytest.mark.django_db


def seed(
    communities: int,
    members: int,
    initiatives: int = 12,
    years: int = 2,
    signals: int = 0,
    sessions: int = 0,
    glossary_terms: int = 0,
    lessons: int = 0,
    pulses: int = 0,
    advices: int = 0,
    commitments: int = 0,
    council_meetings: int = 0,
    arrangements: int = 0,
    accord_versions: int = 0,
    accord_amendments: int = 0,
    accord_endorsements: int = 0,
    workshop_participants: int = 0,
    workshop_cards: int = 0,
) -> None:
    call_command(
        "seed_scale",
        "--communities",
        str(communities),
        "--members",
        str(members),
        "--initiatives",
        str(initiatives),
        "--years",
        str(years),
        "--signals",
        str(signals),
        "--sessions",
        str(sessions),
        "--glossary-terms",
        str(glossary_terms),
        "--lessons",
        str(lessons),
        "--pulses",
        str(pulses),
        "--advices",
        str(advices),
        "--commitments",
        str(commitments),
        "--council-meetings",
        str(council_meetings),
        "--arrangements",
        str(arrangements),
        "--accord-versions",
        str(accord_versions),
        "--accord-amendments",
        str(accord_amendments),
        "--accord-endorsements",
        str(accord_endorsements),
        "--workshop-participants",
        str(workshop_participants),
        "--workshop-cards",
        str(workshop_cards),
        "--seed",
        "7",
        stdout=StringIO(),
    )


def synthetic_communities():  # type: ignore[no-untyped-def]
    return Community.objects.filter(slug__regex=r"^scale-[0-9]+$")


def synthetic() -> tuple[int, int, int]:
    communities = synthetic_communities()
    return (
        communities.count(),
        User.objects.filter(email__endswith="@scale.example").count(),
        Membership.objects.active().filter(community__in=communities).count(),
    )


def test_counts_and_a_steward_in_every_community():
    seed(5, 60)

    assert synthetic() == (5, 60, 60)
    communities = synthetic_communities()
    stewards = Count(
        "memberships",
        filter=Q(memberships__role=Role.STEWARD, memberships__left_at__isnull=True),
    )
    assert not communities.annotate(stewards=stewards).filter(stewards=0).exists()
    assert all(c.is_example and "(synthetic)" in c.name for c in communities)
    assert communities.filter(slug="scale-001", is_public=True).exists()
    assert Organisation.objects.filter(community__in=communities).count() >= 2 * 5
    # Every person has exactly one membership.
    assert (
        not User.objects.annotate(n=Count("memberships"))
        .filter(email__endswith="@scale.example", n__gt=1)
        .exists()
    )
    # History is written, so the activity feed has something to show.
    assert Membership.history.filter(community_id__in=communities.values("pk")).count() == 60


def test_rerun_replaces_instead_of_duplicating():
    kept = CommunityFactory(slug="scale-up-zwolle", name="Not synthetic")
    person = MembershipFactory(community=kept).user
    outsider = UserFactory(email="someone@example.org")
    seed(5, 60)

    seed(4, 40)

    assert synthetic() == (4, 40, 40)
    assert Community.objects.filter(pk=kept.pk).exists()
    assert User.objects.filter(pk__in=[person.pk, outsider.pk]).count() == 2
    synthetic_history = Community.history.filter(slug__regex=r"^scale-[0-9]+$")
    assert synthetic_history.count() == 4
    assert Membership.history.filter(community_id__in=synthetic_history.values("id")).count() == 40


def test_needs_a_member_per_community():
    with pytest.raises(CommandError):
        seed(10, 5)


def synthetic_initiatives():  # type: ignore[no-untyped-def]
    return Initiative.objects.filter(community__in=synthetic_communities())


def test_initiatives_are_listed_synthetic_placed_in_the_netherlands_and_organised():
    seed(6, 80, initiatives=40, years=3)

    initiatives = synthetic_initiatives().select_related("community", "organisation")
    assert initiatives.count() == 40
    west, south, east, north = NL_BOUNDS
    for initiative in initiatives:
        assert initiative.review == Review.LISTED and initiative.is_example
        assert initiative.name.endswith("(synthetic)") and initiative.name.startswith("Initiative ")
        assert west <= initiative.longitude <= east and south <= initiative.latitude <= north
        assert initiative.organisation.community_id == initiative.community_id
        assert 1 <= len(initiative.solutions) <= 3
    # Most are in public communities, and the largest public one (the bench's) has several.
    public = initiatives.filter(community__is_public=True).count()
    assert public > 40 - public
    assert initiatives.filter(community__slug="scale-001").count() >= 5
    # The history is written, so the atlas shows up in the activity feed.
    assert (
        Initiative.history.filter(community_id__in=synthetic_communities().values("pk")).count()
        == 40
    )


def test_every_community_has_the_default_catalogue_and_every_initiative_its_figures():
    seed(4, 40, initiatives=10, years=3)

    communities = synthetic_communities()
    numbers = Indicator.objects.filter(community__in=communities, kind=IndicatorKind.NUMBER)
    assert numbers.count() == 4 * 7
    assert Indicator.objects.filter(community__in=communities).count() == 4 * 8
    assert EmissionFactor.objects.filter(community__in=communities).count() == 4
    values = IndicatorValue.objects.filter(initiative__in=synthetic_initiatives())
    assert values.count() == 10 * 7 * 3
    assert not values.filter(value__lt=0).exists()
    # A value belongs to an indicator of its own initiative's community.
    assert not values.exclude(indicator__community=F("initiative__community")).exists()
    years = sorted(set(values.values_list("year", flat=True)))
    assert len(years) == 3 and years[-1] < timezone.now().year


def test_the_api_and_atlas_answer_for_seeded_initiatives(client):
    seed(4, 40, initiatives=10, years=2)

    national = client.get("/api/v1/initiatives/map.geojson")
    assert national.status_code == 200
    public = synthetic_initiatives().filter(community__is_public=True).count()
    assert len(national.json()["features"]) == public
    initiative = synthetic_initiatives().filter(community__slug="scale-001").first()
    assert client.get(f"/api/v1/initiatives/{initiative.pk}/indicators").status_code == 200
    assert client.get("/en/c/scale-001/initiatives/").status_code == 200
    assert client.get(f"/en/c/scale-001/initiatives/{initiative.slug}/").status_code == 200


def test_rerun_replaces_initiatives_and_their_figures():
    kept = InitiativeFactory(name="Not synthetic")
    seed(5, 60, initiatives=12, years=2)

    seed(4, 40, initiatives=8, years=1)

    assert synthetic_initiatives().count() == 8
    assert IndicatorValue.objects.count() == 8 * 7
    assert Initiative.objects.filter(pk=kept.pk).exists()
    historical = Initiative.history.filter(name__endswith="(synthetic)")
    assert historical.count() == 8


def test_no_initiatives_and_no_years_are_allowed():
    seed(3, 30, initiatives=0, years=0)

    assert not synthetic_initiatives().exists()
    assert Indicator.objects.filter(community__in=synthetic_communities()).count() == 3 * 8


def test_signals_walk_the_loop_and_are_found_by_search_and_similar():
    from samenspel.learning.models import LoopEvent, Signal
    from samenspel.learning.search import search_signals
    from samenspel.learning.similar import similar_signals
    from samenspel.learning.stages import MOVES

    seed(4, 20, initiatives=2, years=1, signals=300)
    signals = Signal.objects.filter(community__in=synthetic_communities())
    assert signals.count() == 300
    assert not signals.filter(last_event__isnull=True).exists()
    assert all("synthetic" in title for title in signals.values_list("title", flat=True))
    events = LoopEvent.objects.filter(signal__in=signals)
    assert 300 <= events.count() <= 300 * 9
    for event in events.exclude(from_stage="")[:200]:
        assert event.to_stage in MOVES[event.from_stage]
    newest = LoopEvent.objects.filter(signal=OuterRef("pk")).order_by("-at", "-pk")
    assert not signals.exclude(last_event=Subquery(newest.values("pk")[:1])).exists()
    assert all(s.themes.count() == 1 for s in signals[:20])
    assert search_signals(signals, "warmtenet").exists()
    community = synthetic_communities().order_by("slug").first()
    assert similar_signals(community, "vergunning voor het warmtenet")
    # A re-run replaces the signals and their events instead of adding to them.
    seed(4, 20, initiatives=2, years=1, signals=100)
    assert Signal.objects.filter(community__in=synthetic_communities()).count() == 100
    assert (
        not LoopEvent.objects.filter(signal__community__slug__startswith="scale-")
        .exclude(signal__in=Signal.objects.all())
        .exists()
    )


def snapshot() -> list[tuple[object, ...]]:
    communities = list(synthetic_communities().order_by("slug").values_list("slug", "is_public"))
    members = list(
        Membership.objects.filter(community__in=synthetic_communities())
        .order_by("user__email")
        .values_list("user__email", "organisation__name", "side", "role")
    )
    initiatives = list(
        synthetic_initiatives().order_by("slug").values_list("slug", "latitude", "phase")
    )
    return [*communities, *members, *initiatives]


def test_the_same_seed_gives_the_same_data_and_organisations_are_confirmed():
    seed(4, 40, initiatives=10, years=1, signals=20)
    first = snapshot()

    seed(4, 40, initiatives=10, years=1, signals=20)

    assert snapshot() == first
    with_organisation = Membership.objects.filter(
        community__in=synthetic_communities(), organisation__isnull=False
    )
    assert with_organisation.exists()
    assert all(m.confirmed_organisation_id == m.organisation_id for m in with_organisation)


def test_sessions_are_spread_with_their_agendas_and_replaced_on_a_rerun():
    from samenspel.practice.models import ActionPoint, AgendaItem, Session

    seed(communities=5, members=40, sessions=60)
    seed(communities=5, members=40, sessions=60)

    sessions = Session.objects.filter(community__in=synthetic_communities())
    assert sessions.count() == 60
    assert AgendaItem.objects.filter(session__in=sessions).count() == 180
    assert ActionPoint.objects.filter(session__in=sessions).count() == 60
    per_community = sorted(
        sessions.values("community").annotate(n=Count("pk")).values_list("n", flat=True),
        reverse=True,
    )
    assert per_community[0] > per_community[-1]  # the long tail
    assert sessions.filter(starts_at__gt=timezone.now()).exists()  # some are still to come
    assert all("(synthetic)" in title for title in sessions.values_list("title", flat=True))


def test_glossary_terms_and_lessons_are_spread_and_replaced_on_a_rerun():
    from samenspel.practice.models import GlossaryTerm, Lesson, TermStatus

    seed(communities=4, members=30, glossary_terms=40, lessons=50)
    seed(communities=4, members=30, glossary_terms=40, lessons=50)

    terms = GlossaryTerm.objects.filter(community__in=synthetic_communities())
    assert terms.count() == 40
    agreed = terms.filter(status=TermStatus.AGREED)
    assert agreed.exists() and not agreed.filter(definition="").exists()
    assert Lesson.objects.filter(community__in=synthetic_communities()).count() == 50


def pulse_snapshot() -> list[tuple[object, ...]]:
    from samenspel.practice.models import PulseResponse

    return list(
        PulseResponse.objects.filter(session__community__in=synthetic_communities())
        .order_by("pk")
        .values_list("pk", "session__title", "side", "trust", "understanding", "usefulness")
    )


def test_pulses_are_anonymous_spread_over_past_sessions_and_replaced_on_a_rerun():
    from samenspel.communities.models import Side
    from samenspel.practice.models import PulseReceipt, PulseResponse, Session

    seed(communities=4, members=40, sessions=40, pulses=300)
    first = pulse_snapshot()
    seed(communities=4, members=40, sessions=40, pulses=300)

    pulses = PulseResponse.objects.filter(session__community__in=synthetic_communities())
    assert pulses.count() == 300 == PulseResponse.objects.count()
    assert pulse_snapshot() == first  # the same seed, the same answers
    assert not PulseReceipt.objects.exists()  # nobody is linked to an answer
    sessions = Session.objects.filter(community__in=synthetic_communities())
    over = sessions.filter(ends_at__lt=timezone.now())
    assert not pulses.exclude(session__in=over).exists()  # only after a session
    assert pulses.values("session").distinct().count() == over.count()
    assert {side for side in pulses.values_list("side", flat=True)} == set(Side.values)
    for question in ("trust", "understanding", "usefulness"):
        assert set(pulses.values_list(question, flat=True)) <= {1, 2, 3, 4, 5}
    assert pulses.exclude(comment="").exists() and pulses.filter(comment="").exists()

    seed(communities=4, members=40, sessions=40, pulses=120)

    assert PulseResponse.objects.count() == 120
    seed(communities=4, members=40, sessions=40, pulses=0)
    assert not PulseResponse.objects.exists()


def council_snapshot() -> list[tuple[object, ...]]:
    from samenspel.council.models import AdviceEvent, Commitment, CouncilAdvice, Endorsement

    advices = CouncilAdvice.objects.filter(community__in=synthetic_communities())
    # Without times: they count from now.
    return [
        *advices.order_by("pk").values_list("title", "stage", "created_by__email"),
        *Endorsement.objects.filter(advice__in=advices)
        .order_by("pk")
        .values_list("advice__title", "user__email", "side"),
        *AdviceEvent.objects.filter(advice__in=advices)
        .order_by("pk")
        .values_list("advice__title", "to_stage"),
        *Commitment.objects.filter(advice__in=advices)
        .order_by("pk")
        .values_list("description", "status", "owner__email"),
    ]


def test_advice_dossiers_walk_the_route_and_are_replaced_on_a_rerun():
    from samenspel.communities.models import Side
    from samenspel.council.models import (
        ADOPTED,
        AdviceEvent,
        AdviceStage,
        Arrangement,
        Commitment,
        CommitmentStatus,
        CouncilAdvice,
        CouncilDecision,
        CouncilMeeting,
        Endorsement,
        MeetingItem,
    )
    from samenspel.council.scale import ROUTE
    from samenspel.learning.models import Signal

    def counts() -> tuple[int, ...]:
        advices = CouncilAdvice.objects.filter(community__in=synthetic_communities())
        return (
            advices.count(),
            Commitment.objects.filter(advice__in=advices).count(),
            CouncilMeeting.objects.filter(community__in=synthetic_communities()).count(),
            Arrangement.objects.filter(community__in=synthetic_communities()).count(),
        )

    options = {"communities": 4, "members": 60, "initiatives": 2, "years": 1, "signals": 160}
    seed(**options, advices=300, commitments=500, council_meetings=30, arrangements=20)
    first = council_snapshot()
    seed(**options, advices=300, commitments=500, council_meetings=30, arrangements=20)

    assert counts() == (300, 500, 30, 20)
    assert council_snapshot() == first  # the same seed, the same dossiers
    advices = CouncilAdvice.objects.filter(community__in=synthetic_communities())
    assert set(advices.values_list("stage", flat=True)) == set(AdviceStage.values)
    assert all("(synthetic)" in t for t in advices.values_list("title", flat=True))
    assert not CouncilAdvice.history.exists()  # no history: nobody's edits
    # One author each, a member of its community; the events walk the route to its stage.
    authors = CouncilAdvice.authors.through.objects.filter(counciladvice__in=advices)
    assert authors.count() == 300
    assert not authors.exclude(user__memberships__community=F("counciladvice__community")).exists()
    for advice in advices.prefetch_related("events")[:60]:
        steps = [e.to_stage for e in advice.events.all()]
        assert steps[0] == AdviceStage.CONCEPT and steps[-1] == advice.stage
        assert [ROUTE.index(s) for s in steps] == sorted(ROUTE.index(s) for s in steps)
        assert [e.from_stage for e in advice.events.all()] == ["", *steps[:-1]]
    assert AdviceEvent.objects.filter(advice__in=advices).count() > 300
    # Two confirmed endorsements of different members, one per side, past concept.
    past_concept = advices.exclude(stage=AdviceStage.CONCEPT)
    endorsements = Endorsement.objects.filter(advice__in=advices)
    assert endorsements.count() == 2 * past_concept.count()
    assert not endorsements.filter(advice__stage=AdviceStage.CONCEPT).exists()
    assert not endorsements.filter(side_confirmed_at__isnull=True).exists()
    for advice in past_concept.prefetch_related("endorsements")[:40]:
        sides = sorted(e.side for e in advice.endorsements.all())
        assert sides == [Side.GEMEENTE, Side.INITIATIEF]
        assert len({e.user_id for e in advice.endorsements.all()}) == 2
    # A decision for the decided ones, mostly adopted; commitments only after an adoption.
    decided = advices.filter(stage__in=["besluit", "opvolging", "afgerond"])
    decisions = CouncilDecision.objects.filter(advice__in=advices)
    assert decisions.count() == decided.count()
    assert decisions.filter(outcome__in=ADOPTED).count() > decisions.count() / 2
    commitments = Commitment.objects.filter(advice__in=advices)
    assert not commitments.exclude(decision__outcome__in=ADOPTED).exists()
    assert not commitments.exclude(decision__advice=F("advice")).exists()
    assert commitments.overdue().exists()
    assert not commitments.filter(status=CommitmentStatus.OPEN, owner__isnull=False).exists()
    # On the agendas: every dossier that went there, at a meeting of its own community.
    items = MeetingItem.objects.filter(advice__in=advices)
    assert (
        items.count()
        == advices.filter(stage__in=["geagendeerd", "besluit", "opvolging", "afgerond"]).count()
    )
    assert not items.exclude(meeting__community=F("advice__community")).exists()
    register = Arrangement.objects.filter(community__in=synthetic_communities())
    assert not register.exclude(decision__outcome__in=ADOPTED).exists()
    # The bench's dossier: the largest community's first, completed, with 50 signals.
    bench = advices.filter(community__slug="scale-001").order_by("pk").first()
    assert bench.stage == AdviceStage.AFGEROND
    assert bench.signals.count() == 50
    assert not bench.signals.exclude(community=bench.community).exists()

    seed(**options, advices=40, commitments=60, council_meetings=5, arrangements=3)

    assert counts() == (40, 60, 5, 3)
    seed(**options)
    assert counts() == (0, 0, 0, 0)
    assert not Endorsement.objects.exists() and not AdviceEvent.objects.exists()
    assert not CouncilDecision.objects.exists() and not MeetingItem.objects.exists()
    assert Signal.objects.filter(community__in=synthetic_communities()).count() == 160


def test_the_council_pages_answer_for_seeded_dossiers(client):
    from samenspel.council.models import CouncilAdvice

    seed(
        3,
        30,
        initiatives=2,
        years=1,
        signals=60,
        advices=60,
        commitments=80,
        council_meetings=6,
        arrangements=5,
    )

    advice = CouncilAdvice.objects.filter(community__slug="scale-001").order_by("pk").first()
    for path in (
        "/en/c/scale-001/advices/",
        f"/en/c/scale-001/advices/{advice.pk}/",
        "/en/c/scale-001/register/",
        "/en/c/scale-001/council-meetings/",
        "/c/scale-001/calendar.ics",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    assert b"(synthetic)" in client.get("/en/c/scale-001/register/").content


def test_a_seeded_dossier_page_costs_as_many_queries_however_many_signals_it_answers(
    django_assert_max_num_queries, django_assert_num_queries
):
    import re

    from django.core.cache import cache, caches

    from conftest import client_for
    from samenspel.council import services
    from samenspel.council.models import CouncilAdvice, Endorsement
    from samenspel.council.views.advices import _linked_signals
    from samenspel.learning.models import Adjustment, PolicyObject, Signal

    seed(3, 30, initiatives=2, years=1, signals=200, advices=40, commitments=60,
         council_meetings=4, arrangements=3)  # fmt: skip
    advice = CouncilAdvice.objects.filter(community__slug="scale-001").order_by("pk").first()
    community = advice.community
    path = f"/en/c/{community.slug}/advices/{advice.pk}/"
    visitor = client_for(None)

    def shown() -> list[int]:
        cache.clear()
        caches["versioned"].clear()
        page = visitor.get(path).content.decode()
        listed = page.split('id="advice-signals"')[1].split("</ul>")[0]
        return [int(pk) for pk in re.findall(rf"/c/{community.slug}/signals/(\d+)/", listed)]

    with django_assert_max_num_queries(25) as fifty:  # it was 84, one per signal
        assert len(shown()) == 50
    # An adjustment that answers 40 more, 10 of them named by the dossier too.
    named = list(advice.signals.order_by("pk").values_list("pk", flat=True))
    others = Signal.objects.filter(community=community).exclude(pk__in=named).order_by("pk")
    adjustment = Adjustment.objects.create(
        community=community,
        policy_object=PolicyObject.objects.create(community=community, name="Regeling"),
        title="Aanpassing (synthetic)",
        proposed="Anders (synthetic)",
    )
    adjustment.signals.set([*named[:10], *others[:30]])
    advice.adjustments.add(adjustment)

    with django_assert_max_num_queries(len(fifty.captured_queries)):
        ids = shown()
    assert (
        ids
        == [s.pk for s in services.linked_signals(advice)]
        == [s.pk for s in _linked_signals(advice)]
    )
    assert len(ids) == 80

    # A member who neither wrote nor endorsed it: a repeat visit costs the session, the
    # user and the community, as every shared member page (without Redis).
    reader = (
        community.memberships.filter(role="lid")
        .exclude(user__in=advice.authors.all())
        .exclude(user__in=Endorsement.objects.filter(advice=advice).values("user"))
        .order_by("pk")
        .first()
        .user
    )
    member = client_for(reader)
    assert member.get(path)["X-Page-Cache"] == "member-miss"
    with django_assert_num_queries(3):
        assert member.get(path)["X-Page-Cache"] == "member-hit"


def accord_snapshot() -> list[tuple[object, ...]]:
    from samenspel.accords.models import Amendment, Article, Endorsement

    accords = {"version__accord__community__in": synthetic_communities()}
    # Without times (they count from now) and keys (drawn, but compared by their texts).
    return [
        *Article.objects.filter(**accords)
        .order_by("version__accord__community__slug", "version__number", "kind", "position")
        .values_list("version__number", "kind", "position", "title", "text"),
        *Amendment.objects.filter(accord__community__in=synthetic_communities())
        .order_by("pk")
        .values_list("based_on__number", "action", "about", "text", "status", "proposed_by__email"),
        *Endorsement.objects.filter(**accords)
        .order_by("pk")
        .values_list("version__number", "user__email", "side", "organisation__name"),
    ]


def test_an_accord_with_its_versions_amendments_and_endorsements_replaced_on_a_rerun():
    from samenspel.accords import diff
    from samenspel.accords.models import (
        Accord,
        AccordVersion,
        Amendment,
        AmendmentStatus,
        Article,
        Endorsement,
    )
    from samenspel.accords.services import ready_to_publish

    def counts() -> tuple[int, ...]:
        accords = Accord.objects.filter(community__in=synthetic_communities())
        return (
            accords.count(),
            AccordVersion.objects.filter(accord__in=accords).count(),
            Amendment.objects.filter(accord__in=accords).count(),
            Endorsement.objects.filter(version__accord__in=accords).count(),
        )

    options = {"communities": 4, "members": 80, "initiatives": 2, "years": 1}
    accord = {"accord_versions": 12, "accord_amendments": 90, "accord_endorsements": 250}
    seed(**options, **accord)
    first = accord_snapshot()
    seed(**options, **accord)

    assert accord_snapshot() == first  # the same seed, the same accord
    # The largest community's accord has the asked-for counts; three others a small one.
    big = Accord.objects.get(community__slug="scale-001")
    versions = list(big.versions.order_by("number"))
    assert [v.number for v in versions] == list(range(1, 13))
    assert all(v.is_published for v in versions)
    assert big.amendments.count() == 90
    assert Endorsement.objects.filter(version__accord=big).count() == 250
    assert counts() == (4, 12 + 3 * 3, 90 + 3 * 8, 250 + 3 * 20)
    assert "(synthetic)" in big.title and big.is_example
    assert not Article.objects.filter(version__accord=big).exclude(title__contains="(synthetic)")
    # About fifteen articles in every version; version 12 differs from version 1.
    for version in versions:
        assert 12 <= version.articles.count() <= 17
    changes = diff.version_diff(versions[0], versions[-1])
    statuses = {change.status for change in changes.articles}
    assert "changed" in statuses and changes.changed
    # Amendments: adopted ones name the version that published them, two wait, some are
    # open on the current version, the rest rejected (with a reason) or withdrawn.
    adopted = big.amendments.filter(published_in__isnull=False).select_related("based_on")
    assert adopted.count() >= 11
    assert all(a.published_in.number == a.based_on.number + 1 for a in adopted)
    assert not adopted.exclude(status__in=["aangenomen", "aangenomen-gewijzigd"]).exists()
    assert len(ready_to_publish(big)) == 2
    open_ones = big.amendments.filter(status=AmendmentStatus.OPEN)
    assert open_ones.exists() and not open_ones.exclude(based_on=versions[-1]).exists()
    assert not big.amendments.filter(status="verworpen", decision_note="").exists()
    assert big.amendments.filter(status="ingetrokken").exists()
    for version in versions[1:]:
        for amendment in version.published_amendments.all():
            assert str(amendment) in version.notes
    # Endorsements: the current version has the most, by members of the community, each
    # once per version (and an organisation once), for an organisation only if confirmed.
    per_version = [v.endorsements.count() for v in versions]
    assert per_version[-1] == max(per_version)
    endorsements = Endorsement.objects.filter(version__accord=big)
    assert not endorsements.exclude(
        user__memberships__community=big.community, user__memberships__side=F("side")
    ).exists()
    personal = endorsements.filter(organisation__isnull=True)
    assert personal.values("version", "user").distinct().count() == personal.count()
    for_organisation = endorsements.filter(organisation__isnull=False)
    assert for_organisation.exists()
    assert (
        for_organisation.values("version", "organisation").distinct().count()
        == for_organisation.count()
    )
    assert not for_organisation.exclude(
        user__memberships__organisation=F("organisation"),
        user__memberships__organisation_confirmed_at__isnull=False,
    ).exists()
    assert for_organisation.filter(confirmed_at__isnull=True).count() == 1  # waits

    seed(**options, accord_versions=3, accord_amendments=10, accord_endorsements=30)

    assert counts() == (4, 3 + 3 * 3, 10 + 3 * 8, 30 + 3 * 20)
    seed(**options)
    assert counts() == (0, 0, 0, 0)
    assert not Article.objects.exists() and not Amendment.objects.exists()


def test_the_accord_pages_answer_for_the_seeded_accord(client):
    from samenspel.accords.models import Accord

    seed(3, 40, initiatives=2, years=1, accord_versions=8, accord_amendments=40,
         accord_endorsements=120)  # fmt: skip

    accord = Accord.objects.get(community__slug="scale-001")
    base = f"/en/c/scale-001/accords/{accord.pk}"
    for path in (
        f"{base}/",
        f"{base}/versions/8/",
        f"{base}/versions/8/?side=initiatief",
        f"{base}/diff/?from=1&to=8",
        f"/api/v1/accords/{accord.pk}/diff?from=1&to=8",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"(synthetic)" in response.content, path


def test_a_large_workshop_with_its_cards_groups_and_votes_replaced_on_a_rerun():
    from samenspel.workshops.models import Card, Cluster, Participant, Vote, Workshop

    seed(3, 30, workshop_participants=40, workshop_cards=400)
    workshop = Workshop.objects.get(community__in=synthetic_communities())
    assert workshop.is_example and "(synthetic)" in workshop.title
    assert workshop.acts.count() == 4
    assert Participant.objects.filter(workshop=workshop).count() == 40
    assert Card.objects.filter(workshop=workshop).count() == 400
    assert Vote.objects.filter(act__workshop=workshop).count() == 40 * 3 * 4
    # the counts kept on cards and groups are the votes they hold
    held = sum(Card.objects.filter(workshop=workshop).values_list("votes", flat=True))
    grouped = sum(Cluster.objects.filter(workshop=workshop).values_list("votes", flat=True))
    assert held + grouped == 40 * 3 * 4
    assert workshop.revision == max(Card.objects.values_list("revision", flat=True))
    # being played, its last act open for votes; the bench reads participant 1's screen
    from samenspel.workshops.scale import participant_token
    from samenspel.workshops.services import participant_by_token

    assert workshop.is_running and workshop.current_position == 4 and workshop.code_works()
    assert participant_by_token(participant_token(workshop, 1)).workshop_id == workshop.pk

    seed(3, 30, workshop_participants=40, workshop_cards=400)
    assert Workshop.objects.filter(community__in=synthetic_communities()).count() == 1
    assert Card.objects.count() == 400
