"""The living accord (issue 12): published versions never change, even through the ORM's
update(); amendments are decided by consent (an objection blocks adoption until it is
resolved); a new version is published from the adopted amendments and earlier endorsers
are asked again; one endorsement per person or organisation per version (a database
constraint, also under concurrent requests); word-level differences on hand-made cases.
Who may do what is written out by hand."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from conftest import client_for
from samenspel.accords import diff, permissions, services
from samenspel.accords.models import (
    PREAMBLE,
    AccordVersion,
    Amendment,
    AmendmentAction,
    AmendmentStatus,
    Article,
    ArticleKind,
    Endorsement,
    PublishedVersionError,
)
from samenspel.communities.models import Membership
from samenspel.communities.services import CommunityError
from samenspel.core.models import Notification
from tests.factories import OrganisationFactory

P, F = ArticleKind.PRINCIPLE, ArticleKind.FORM
TEXT = [
    (P, "We hebben elkaar nodig", "Gemeente en initiatieven kunnen het niet alleen."),
    (P, "Initiatieven zijn volwaardig partner", "Ze praten mee vanaf het begin."),
    (F, "Samen leren uit de praktijk", "We bespreken casussen in de groep."),
]


@pytest.fixture
def accord(world):
    accord = services.start_accord(
        actor=world.steward,
        community=world.public,
        title="Het Akkoord",
        preamble="Dit akkoord is een begin.",
        articles=TEXT,
    )
    services.publish_draft(actor=world.steward, version=accord.versions.get())
    return accord


def first_key(accord, number=1):
    return str(accord.versions.get(number=number).articles.order_by("kind", "position")[0].key)


def propose(world, accord, actor=None, **fields):
    defaults = {
        "action": AmendmentAction.CHANGE,
        "target": first_key(accord),
        "text": "Gemeente en initiatieven hebben elkaar echt nodig.",
        "rationale": "Het mag sterker.",
    }
    return services.propose_amendment(
        actor=actor or world.initiatief_member, accord=accord, **{**defaults, **fields}
    )


def after_consent(amendment):
    return time_machine.travel(amendment.objections_until + timedelta(minutes=1))


# (persona, start an accord, take part: propose/comment/object/endorse, decide and publish)
RIGHTS = [
    ("anonymous", False, False, False),
    ("outsider", False, False, False),
    ("gemeente_member", False, True, False),
    ("initiatief_member", False, True, False),
    ("observer", False, False, False),
    ("steward", True, True, True),
    ("admin", True, True, True),
]


@pytest.mark.parametrize(("persona", "may_start", "may_take_part", "may_decide"), RIGHTS)
def test_who_may_do_what(world, accord, persona, may_start, may_take_part, may_decide):
    user = world.persona(persona)
    amendment = propose(world, accord)
    assert permissions.can_start_accord(user, world.public) is may_start
    assert permissions.can_take_part(user, world.public) is may_take_part
    assert permissions.can_object(user, amendment) is may_take_part
    assert permissions.can_decide_amendment(user, amendment) is may_decide
    assert permissions.can_publish(user, accord) is may_decide


def test_a_published_version_never_changes(world, accord):
    version = accord.versions.get()
    version.preamble = "Anders"
    with pytest.raises(PublishedVersionError):
        version.save()
    with pytest.raises(PublishedVersionError):
        AccordVersion.objects.filter(pk=version.pk).update(preamble="Anders")
    with pytest.raises(PublishedVersionError):
        AccordVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(PublishedVersionError):
        version.delete()
    article = version.articles.first()
    article.text = "Anders"
    with pytest.raises(PublishedVersionError):
        article.save()
    with pytest.raises(PublishedVersionError):
        Article.objects.filter(version=version).update(text="Anders")
    with pytest.raises(PublishedVersionError):
        Article.objects.filter(version=version).delete()
    assert AccordVersion.objects.get().preamble == "Dit akkoord is een begin."
    assert not Article.objects.filter(text="Anders").exists()
    with pytest.raises(CommunityError):
        services.write_draft(actor=world.steward, version=version, preamble="x", articles=TEXT)


def test_an_objection_blocks_adoption_until_it_is_resolved(world, accord):
    amendment = propose(world, accord)
    objection = services.object_to(
        actor=world.gemeente_member, amendment=amendment, reason="Dan lijkt het of we niets kunnen."
    )
    with after_consent(amendment):
        with pytest.raises(CommunityError) as blocked:
            services.decide_amendment(
                actor=world.steward, amendment=amendment, status=AmendmentStatus.ADOPTED
            )
        assert blocked.value.code == "objection_open"
        assert Amendment.objects.get().status == AmendmentStatus.OPEN
        services.resolve_objection(
            actor=world.gemeente_member, objection=objection, resolution="Na het gesprek: prima."
        )
        services.decide_amendment(
            actor=world.steward, amendment=amendment, status=AmendmentStatus.ADOPTED
        )
    assert Amendment.objects.get().status == AmendmentStatus.ADOPTED


def test_adoption_waits_for_the_consent_period_and_objections_end_with_it(world, accord):
    amendment = propose(world, accord)
    with pytest.raises(CommunityError) as early:
        services.decide_amendment(
            actor=world.steward, amendment=amendment, status=AmendmentStatus.ADOPTED
        )
    assert early.value.code == "consent_open"
    with after_consent(amendment), pytest.raises(CommunityError):
        services.object_to(actor=world.gemeente_member, amendment=amendment, reason="Te laat")


def test_rejecting_needs_a_reason_and_withdrawing_is_for_the_proposer(world, accord):
    amendment = propose(world, accord)
    with pytest.raises(CommunityError):
        services.decide_amendment(
            actor=world.steward, amendment=amendment, status=AmendmentStatus.REJECTED
        )
    with pytest.raises(CommunityError):
        services.decide_amendment(
            actor=world.gemeente_member, amendment=amendment, status=AmendmentStatus.WITHDRAWN
        )
    services.decide_amendment(
        actor=world.initiatief_member, amendment=amendment, status=AmendmentStatus.WITHDRAWN
    )
    assert Amendment.objects.get().status == AmendmentStatus.WITHDRAWN


def test_publishing_version_two_from_the_adopted_amendments(world, accord):
    services.endorse(actor=world.gemeente_member, version=accord.current_version())
    changed = propose(world, accord)
    added = propose(
        world,
        accord,
        action=AmendmentAction.ADD,
        target="",
        kind=F,
        title="Een vast aanspreekpunt",
        text="Elk initiatief weet wie het belt.",
    )
    removed = propose(
        world,
        accord,
        action=AmendmentAction.REMOVE,
        target=first_key(accord)
        if False
        else str(accord.current_version().articles.get(title="Samen leren uit de praktijk").key),
        text="",
    )
    preamble = propose(world, accord, target=PREAMBLE, text="Dit akkoord groeit mee.")
    rejected = propose(world, accord, text="Iets anders")
    with after_consent(rejected):
        for amendment in (changed, added, removed, preamble):
            services.decide_amendment(
                actor=world.steward, amendment=amendment, status=AmendmentStatus.ADOPTED
            )
        services.decide_amendment(
            actor=world.steward, amendment=rejected, status=AmendmentStatus.REJECTED, note="Nee"
        )
    Notification.objects.all().delete()
    second = services.publish_version(actor=world.steward, accord=accord, notes="Na een jaar.")
    assert second.number == 2 and second.is_published
    assert accord.current_version() == second
    assert second.preamble == "Dit akkoord groeit mee."
    titles = list(second.articles.order_by("kind", "position").values_list("title", flat=True))
    assert titles == [
        "We hebben elkaar nodig",
        "Initiatieven zijn volwaardig partner",
        "Een vast aanspreekpunt",
    ]
    assert second.articles.get(title="We hebben elkaar nodig").text.endswith("echt nodig.")
    # The first article keeps its key, so the versions can be compared.
    assert str(second.articles.get(title="We hebben elkaar nodig").key) == first_key(accord)
    for amendment in (changed, added, removed, preamble):
        assert str(amendment) in second.notes or amendment.get_action_display() in second.notes
    assert Amendment.objects.get(pk=rejected.pk).published_in is None
    assert accord.versions.get(number=1).preamble == "Dit akkoord is een begin."
    # Who endorsed version 1 is asked to endorse version 2.
    asked = Notification.objects.filter(recipient=world.gemeente_member)
    assert asked.count() == 1 and "2" in asked.get().title
    with pytest.raises(CommunityError):
        services.publish_version(actor=world.steward, accord=accord)  # nothing adopted


def test_two_amendments_on_one_article_are_both_kept_and_the_later_sees_the_earlier(world, accord):
    earlier = propose(world, accord)
    later = propose(world, accord, actor=world.gemeente_member, text="Een andere tekst.")
    assert services.conflicts(later) == [earlier]
    assert services.conflicts(earlier) == []
    page = client_for(None).get(later.get_absolute_url()).content.decode()
    assert earlier.get_absolute_url() in page


def test_one_endorsement_per_person_and_organisation_per_version(world, accord):
    version = accord.current_version()
    services.endorse(actor=world.gemeente_member, version=version)
    with pytest.raises(CommunityError) as twice:
        services.endorse(actor=world.gemeente_member, version=version)
    assert twice.value.code == "already_endorsed"
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(version=version, user=world.gemeente_member, side="gemeente")
    # For an organisation: only the one the member is confirmed for, once per version.
    gemeente = OrganisationFactory(community=world.public, name="Gemeente")
    for person in (world.gemeente_member, world.observer):
        Membership.objects.filter(user=person, community=world.public).update(
            organisation=gemeente, organisation_confirmed_at=timezone.now()
        )
        person.__dict__.pop("_membership_cache", None)  # as a new request would
    for_organisation = services.endorse(
        actor=world.gemeente_member, version=version, organisation=gemeente
    )
    assert not for_organisation.counts  # until a steward confirms it
    services.confirm_endorsement(actor=world.steward, endorsement=for_organisation)
    for_organisation.refresh_from_db()
    assert for_organisation.counts
    other = OrganisationFactory(community=world.public, name="Anders")
    with pytest.raises(CommunityError):
        services.endorse(actor=world.initiatief_member, version=version, organisation=other)
    # Withdrawn, then endorsed again: the withdrawn one stays on record.
    services.withdraw_endorsement(actor=world.gemeente_member, version=version)
    services.endorse(actor=world.gemeente_member, version=version)
    assert (
        Endorsement.objects.filter(user=world.gemeente_member, withdrawn_at__isnull=False).count()
        == 2
    )


@pytest.mark.django_db(transaction=True)
def test_the_constraint_holds_under_concurrent_requests(world):
    accord = services.start_accord(
        actor=world.steward, community=world.public, title="Akkoord", articles=TEXT
    )
    services.publish_draft(actor=world.steward, version=accord.versions.get())
    version = accord.current_version()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def endorse_once() -> None:
        try:
            barrier.wait(timeout=10)
            services.endorse(actor=world.initiatief_member, version=version)
            results.append("ok")
        except CommunityError as error:
            results.append(error.code)
        except OperationalError:
            # SQLite lets one writer at a time: the other waits, or gives up locked.
            results.append("locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=endorse_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    expected = [["already_endorsed", "ok"]]
    if connection.vendor == "sqlite":
        expected.append(["locked", "ok"])
    assert sorted(results) in expected
    assert Endorsement.objects.filter(version=version, withdrawn_at__isnull=True).count() == 1


def _ops(segments):
    return [(s.op, s.text) for s in segments]


def test_word_diff_insert_delete_and_whitespace():
    assert _ops(diff.word_diff("samen leren", "samen blijven leren")) == [
        ("equal", "samen "),
        ("insert", "blijven "),
        ("equal", "leren"),
    ]
    assert _ops(diff.word_diff("we leren echt samen", "we leren samen")) == [
        ("equal", "we leren "),
        ("delete", "echt "),
        ("equal", "samen"),
    ]
    # Only whitespace changed: no difference reported.
    assert {s.op for s in diff.word_diff("samen  leren\n", "samen leren ")} == {"equal"}
    assert _ops(diff.word_diff("a b", "a c")) == [("equal", "a "), ("delete", "b"), ("insert", "c")]


def test_version_diff_finds_changes_additions_removals_and_moves(world, accord):
    one = accord.current_version()
    keys = [str(a.key) for a in one.articles.order_by("kind", "position")]
    # Move the second principle before the first (a new first principle is added before it).
    added = propose(
        world,
        accord,
        action=AmendmentAction.ADD,
        target="",
        kind=P,
        title="Nieuw",
        text="Nieuw uitgangspunt.",
    )
    removed = propose(world, accord, action=AmendmentAction.REMOVE, target=keys[0], text="")
    with after_consent(removed):
        for amendment in (added, removed):
            services.decide_amendment(
                actor=world.steward, amendment=amendment, status=AmendmentStatus.ADOPTED
            )
    two = services.publish_version(actor=world.steward, accord=accord)
    result = diff.version_diff(one, two)
    by_key = {change.key: change for change in result.articles}
    assert by_key[keys[0]].status == "removed"
    assert by_key[keys[1]].status == "same" and by_key[keys[1]].moved  # 2nd became 1st
    assert [c.status for c in result.articles if c.status == "added"] == ["added"]
    assert result.changed
    same = diff.version_diff(two, two)
    assert not same.changed


def test_the_diff_page_marks_changes_in_words_not_only_colour(world, accord):
    amendment = propose(world, accord)
    with after_consent(amendment):
        services.decide_amendment(
            actor=world.steward, amendment=amendment, status=AmendmentStatus.ADOPTED
        )
    services.publish_version(actor=world.steward, accord=accord)
    page = (
        client_for(None).get(f"/c/publiek/accords/{accord.pk}/diff/?from=1&to=2").content.decode()
    )
    assert "<ins" in page and "<del" in page
    assert "Ingevoegd" in page or "Inserted" in page
    api = client_for(None).get(f"/api/v1/accords/{accord.pk}/diff?from=1&to=2").json()
    ops = {s["op"] for change in api["articles"] for s in change["text"]}
    assert {"insert", "delete"} <= ops or "insert" in ops


def test_through_the_pages_propose_object_resolve_adopt_publish_endorse(world, accord):
    member = client_for(world.initiatief_member)
    objector = client_for(world.gemeente_member)
    steward = client_for(world.steward)
    base = f"/c/publiek/accords/{accord.pk}"
    key = first_key(accord)
    form = member.get(f"{base}/amendments/new/?target={key}").content.decode()
    assert f'value="{key}" selected' in form
    member.post(
        f"{base}/amendments/new/",
        {"part": key, "action": "wijzigen", "text": "Nieuwe tekst.", "rationale": "Beter."},
    )
    amendment = Amendment.objects.get()
    assert str(amendment).endswith("We hebben elkaar nodig")
    page = f"{base}/amendments/{amendment.pk}"
    member.post(f"{page}/comments/", {"text": "Goed idee."})
    objector.post(f"{page}/objections/", {"reason": "Te stellig."})
    assert amendment.comments.count() == 1 and amendment.objections.count() == 1
    with after_consent(amendment):
        # Signed in anew: two weeks on, the earlier sessions have expired.
        steward, objector = client_for(world.steward), client_for(world.gemeente_member)
        refused = steward.post(f"{page}/decision/", {"status": "aangenomen"}, follow=True)
        assert (
            "not resolved" in refused.content.decode()
            or "niet opgelost" in refused.content.decode()
        )
        assert Amendment.objects.get().status == AmendmentStatus.OPEN
        objection = amendment.objections.get()
        objector.post(f"{page}/objections/{objection.pk}/resolve/", {"resolution": "Besproken."})
        steward.post(f"{page}/decision/", {"status": "aangenomen"})
    assert Amendment.objects.get().status == AmendmentStatus.ADOPTED
    steward.post(f"{base}/publish/", {"notes": ""})
    assert accord.current_version().number == 2
    member.post(f"{base}/endorse/")
    assert Endorsement.objects.filter(version__number=2, user=world.initiatief_member).exists()
    shown = client_for(None).get(f"{base}/").content.decode()
    assert world.initiatief_member.name in shown.split('id="endorsers"')[1]


def test_the_accord_page_costs_as_many_queries_however_many_endorse_and_amend_it(
    world, accord, django_assert_max_num_queries, django_assert_num_queries
):
    from conftest import clear_caches
    from tests.factories import MembershipFactory

    version = accord.current_version()
    path = f"/en/c/publiek/accords/{accord.pk}/"
    visitor = client_for(None)
    # One endorser on each side, and one amendment open and one decided.
    for person in (world.gemeente_member, world.initiatief_member, world.steward):
        services.endorse(actor=person, version=version)
    propose(world, accord)
    services.decide_amendment(
        actor=world.initiatief_member, amendment=propose(world, accord), status="ingetrokken"
    )

    def shown() -> str:
        clear_caches()
        return visitor.get(path).content.decode()

    shown()
    # 14 on SQLite: the community's version and the community, the accord, its current
    # version and articles, the endorsers' counts and the first of each side (3), the open,
    # decided and waiting amendments, the versions and the glossary's terms; none per
    # endorser or amendment.
    with django_assert_max_num_queries(15) as few:
        shown()
    # Thirty more endorsers and twenty more amendments: not a query more.
    for n in range(30):
        side = ("gemeente", "initiatief", "overig")[n % 3]
        person = MembershipFactory(community=world.public, side=side).user
        services.endorse(actor=person, version=version)
        if n % 3 == 0:
            propose(world, accord, actor=person)
        elif n % 3 == 1:
            amendment = propose(world, accord, actor=person)
            services.decide_amendment(actor=person, amendment=amendment, status="ingetrokken")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = shown()
    endorsers = page.split('id="endorsers"')[1].split("<h3")[0]
    assert "Municipality (11)" in endorsers and "Initiative (11)" in endorsers
    assert "Others (11)" in endorsers
    # The first ten of a side are named; all of them are on the version's page, by side.
    assert endorsers.count("<li>") == 30
    assert f"/accords/{accord.pk}/versions/1/?side=gemeente" in endorsers
    side_page = visitor.get(f"/en/c/publiek/accords/{accord.pk}/versions/1/?side=gemeente")
    listed = side_page.content.decode().split('id="endorsers"')[1].split("</ul>")[0]
    assert world.gemeente_member.name in listed and listed.count("<li>") == 11

    # A member who takes part: a repeat visit costs the session, the user and the community,
    # as every shared member page (without Redis); their endorsement shows as theirs.
    reader = client_for(world.gemeente_member)
    first = reader.get(path)
    assert first["X-Page-Cache"] == "member-miss"
    assert 'id="my-endorsement"' in first.content.decode()
    with django_assert_num_queries(3):
        assert reader.get(path)["X-Page-Cache"] == "member-hit"
    # Another member of the same kind who has not endorsed it gets their own copy.
    other = MembershipFactory(community=world.public, side="gemeente").user
    page = client_for(other).get(path).content.decode()
    assert 'id="my-endorsement"' not in page and "I endorse this version" in page


def test_a_steward_sets_the_consent_period_new_amendments_get(world, accord):
    client = client_for(world.steward)
    client.post("/c/publiek/accords/consent-period/", {"days": 3})
    assert services.consent_days(world.public) == 3
    amendment = propose(world, accord)
    span = amendment.objections_until - amendment.proposed_at
    assert timedelta(days=2, hours=23) < span <= timedelta(days=3, minutes=1)
    client_for(world.gemeente_member).post("/c/publiek/accords/consent-period/", {"days": 60})
    assert services.consent_days(world.public) == 3
    with pytest.raises(CommunityError):
        services.set_consent_days(actor=world.steward, community=world.public, days=0)
    page = client_for(None).get("/c/publiek/accords/").content.decode()
    assert 'id="consent-period"' in page
