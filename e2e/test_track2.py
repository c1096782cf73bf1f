"""Track 2 in the browser: a signal goes round the loop (raised, discussed, explored, an
adjustment decided, feedback, closed) and the dashboard counts it; every track 2 page passes
axe in Dutch and English."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.utils import timezone, translation
from django.utils.formats import localize
from django.utils.text import capfirst
from playwright.sync_api import BrowserContext, Locator, Page, expect

from e2e.helpers import Site, assert_no_horizontal_scrolling, check_a11y, label, log_in
from samenspel.accounts.models import User
from samenspel.communities.models import Membership, Organisation
from samenspel.core.models import Notification
from samenspel.initiatives.models import Initiative
from samenspel.learning import adjustments, services
from samenspel.learning.models import (
    Adjustment,
    AdjustmentStage,
    ExternalDevelopment,
    LoopEvent,
    PolicyObject,
    Signal,
    Theme,
)
from samenspel.learning.stages import (
    LOOP_ORDER,
    MOVE_ACTIONS,
    STAGE_MEANING,
    STEWARD_ACTIONS,
    Outcome,
    Stage,
)
from samenspel.learning.stats import DAY
from samenspel.practice.models import LearningQuestion, Session
from tests.initiative_factories import InitiativeFactory
from tests.mailbox import outbox

pytestmark = pytest.mark.e2e

COMMUNITY = "/c/publiek"
DAYS_TO_FEEDBACK_PER_QUARTER = "Median days to feedback per quarter"


@dataclass
class Track2:
    community_name: str
    initiative: Initiative  # listed, of the organisation world.initiatief_member belongs to
    theme: Theme  # one of the community's default themes
    policy_object: PolicyObject
    session: Session


@pytest.fixture
def track2(world) -> Track2:  # type: ignore[no-untyped-def]
    """The public community with its default themes, an initiative of the organisation of
    world.initiatief_member, a municipal department with a policy object, and a CoP session."""
    community = world.public
    cooperative = Organisation.objects.create(community=community, name="Warmtecoöperatie Noord")
    municipality = Organisation.objects.create(community=community, name="Gemeente Publiek")
    Membership.objects.filter(user=world.initiatief_member, community=community).update(
        organisation=cooperative, organisation_confirmed_at=timezone.now()
    )
    Membership.objects.filter(user=world.gemeente_member, community=community).update(
        organisation=municipality
    )
    User.objects.filter(pk=world.initiatief_member.pk).update(display_name="Ilse Initiatief")
    User.objects.filter(pk=world.gemeente_member.pk).update(display_name="Gijs Gemeente")
    User.objects.filter(pk=world.steward.pk).update(display_name="Fenna Facilitator")
    for user in (world.initiatief_member, world.gemeente_member, world.steward):
        user.refresh_from_db()
    initiative = InitiativeFactory(
        community=community, organisation=cooperative, name="Warmtenet Noord", slug="warmte-noord"
    )
    policy_object = PolicyObject.objects.create(
        community=community,
        kind="regel",
        name="Subsidieregeling duurzame warmte",
        department=municipality,
        reference="https://example.org/regelingen/duurzame-warmte",
    )
    starts = timezone.now().replace(hour=17, minute=30, second=0, microsecond=0)
    session = Session.objects.create(
        community=community,
        title="CoP-sessie over subsidies",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
    )
    return Track2(
        community_name=community.name,
        initiative=initiative,
        theme=Theme.objects.get(community=community, slug="gebiedsrecht"),
        policy_object=policy_object,
        session=session,
    )


# -- Texts as the page shows them in the site's language -----------------------------------


def in_language(site: Site, text: Callable[[], object]) -> str:
    with translation.override(site.language):
        return str(text())


def stage(site: Site, value: str) -> str:
    """A loop stage's name (some come with a context, so not through site._)."""
    return in_language(site, lambda: Stage(value).label)


def step_title(site: Site, value: str) -> str:
    """A step as the dashboard names it: numbered in the loop's order ("7. Closed"), the
    side paths without a number."""
    if value in LOOP_ORDER:
        return f"{LOOP_ORDER.index(value) + 1}. {stage(site, value)}"
    return stage(site, value)


def plural(site: Site, singular: str, several: str, number: int, **values: object) -> str:
    """A counted message (blocktranslate count) as the page shows it."""
    return in_language(site, lambda: translation.ngettext(singular, several, number) % values)


def inbox_link(site: Site, unread: int) -> re.Pattern[str]:
    """The header's link to the inbox, with the number of unread items if there are any."""
    inbox = re.escape(site._("Inbox"))
    if not unread:
        return re.compile(rf"^{inbox}$")
    return re.compile(rf"^{inbox}\s+{unread}\s+{re.escape(site._('unread'))}$")


def field(site: Site, verbose_name: str) -> re.Pattern[str]:
    """The label Django gives a model field: its verbose name, translated, capitalised."""
    return label(capfirst(site._(verbose_name)))


def move_form(page: Page, site: Site, to_stage: str) -> Locator:
    """The form on a signal's page that moves it to `to_stage` (its heading is the action
    of the person who takes it: "I'll take this up", or a steward's own wording)."""
    heading = page.get_by_role("heading", level=4, name=move_button(site, to_stage))
    return page.locator("form").filter(has=heading)


def move_button(site: Site, to_stage: str) -> re.Pattern[str]:
    """The action's name, as a member or as a steward takes it."""
    names = [
        in_language(site, lambda actions=actions: str(actions[to_stage]))
        for actions in (MOVE_ACTIONS, STEWARD_ACTIONS)
        if to_stage in actions
    ]
    return re.compile("^(" + "|".join(re.escape(name) for name in names) + ")$")


def expect_status(page: Page, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def now_at_stage(site: Site, to_stage: str) -> str:
    return site._("The signal is now at the stage “%(stage)s”.") % {"stage": stage(site, to_stage)}


def adjustment_now_at(site: Site, to_stage: str) -> str:
    return site._("The adjustment is now at the stage “%(stage)s”.") % {
        "stage": in_language(site, lambda: AdjustmentStage(to_stage).label)
    }


def signal_path(signal: Signal) -> str:
    return f"{COMMUNITY}/signals/{signal.pk}/"


# -- 1. The journey -----------------------------------------------------------------------

TITLE = "Subsidie strandt op de eigendomseis"
WHAT_HAPPENED = (
    "Onze coöperatie vroeg subsidie aan voor een warmtenet, maar de regeling eist dat de "
    "aanvrager eigenaar is van de grond. Geen enkele coöperatie in Noord voldoet daaraan."
)
ADJUSTMENT = "Eigendomseis vervalt voor energiecoöperaties"
PROPOSED = "Een recht van opstal of een gebruiksovereenkomst volstaat voor de aanvraag."


def test_a_signal_goes_round_the_loop_and_its_raisers_hear_the_outcome(
    page: Page, new_context: Callable[..., BrowserContext], site: Site, world, track2
):
    member = world.initiatief_member
    User.objects.filter(pk=member.pk).update(preferred_language=site.language)
    outbox_before = len(outbox())

    # a. An initiative member raises a signal for their initiative, with a theme.
    log_in(page, site.base_url, member)
    site.visit(page, f"{COMMUNITY}/signals/")
    expect(page.get_by_text(site._("No signal matches these filters."))).to_be_visible()
    page.get_by_role("link", name=site._("Raise a signal"), exact=True).click()
    expect(page.get_by_role("heading", level=2, name=site._("Raise a signal"))).to_be_visible()
    check_a11y(page)
    page.get_by_label(field(site, "title")).fill(TITLE)
    page.get_by_label(field(site, "what happened in practice")).fill(WHAT_HAPPENED)
    page.get_by_label(track2.theme.name, exact=True).check()
    page.get_by_label(track2.policy_object.name, exact=True).check()
    page.locator("#id_urgency").get_by_label(site._("High"), exact=True).check()
    # "For which initiative?" comes filled in with the member's own initiative.
    for_which = page.get_by_label(label(site._("For which initiative?")))
    expect(for_which).to_have_value(str(track2.initiative.pk))
    page.get_by_role("button", name=site._("Raise the signal")).click()
    expect_status(page, site._("Thank you. The community can see your signal and will pick it up."))
    expect(page.get_by_role("heading", level=2)).to_have_text(TITLE)
    facts = page.get_by_role("complementary")
    expect(facts).to_contain_text(track2.theme.name)
    expect(facts).to_contain_text(
        site._("for %(initiative)s") % {"initiative": track2.initiative.name}
    )
    expect(facts).to_contain_text(site._("Nobody yet"))  # no policy owner yet
    check_a11y(page)
    signal = Signal.objects.get(community=world.public, title=TITLE)
    assert signal.stage == Stage.GEMELD
    assert (signal.raised_by, signal.on_behalf_of) == (member, track2.initiative)
    assert list(signal.themes.all()) == [track2.theme]
    assert signal.urgency == "high"

    # b. A steward, in a browser of their own, says it was discussed in a CoP session.
    steward = new_context().new_page()
    log_in(steward, site.base_url, world.steward)
    site.visit(steward, signal_path(signal))
    discussed = move_form(steward, site, Stage.BESPROKEN)
    discussed.get_by_label(site._("Session"), exact=True).select_option(label=str(track2.session))
    discussed.get_by_role("button", name=move_button(site, Stage.BESPROKEN)).click()
    expect_status(steward, now_at_stage(site, Stage.BESPROKEN))
    expect(steward.get_by_role("main")).to_contain_text(f"{site._('Session:')} {track2.session}")
    check_a11y(steward)

    # c. A civil servant takes it up as its policy owner …
    civil_servant = new_context().new_page()
    log_in(civil_servant, site.base_url, world.gemeente_member)
    site.visit(civil_servant, signal_path(signal))
    explore = move_form(civil_servant, site, Stage.IN_VERKENNING)
    expect(explore).to_contain_text(site._("You become the person who takes care of it."))
    expect(explore.get_by_label(site._("Policy owner"), exact=True)).to_have_count(0)
    explore.get_by_role("button", name=move_button(site, Stage.IN_VERKENNING)).click()
    expect_status(civil_servant, now_at_stage(site, Stage.IN_VERKENNING))
    expect(civil_servant.get_by_role("complementary")).to_contain_text(world.gemeente_member.name)

    # … and proposes an adjustment of the policy object from the signal's page: the form
    # comes with the signal ticked.
    propose = move_form(civil_servant, site, Stage.AANPASSING_VOORGESTELD)
    propose.get_by_role("link", name=site._("Propose an adjustment"), exact=True).click()
    expect(
        civil_servant.get_by_role("heading", level=2, name=site._("Propose an adjustment"))
    ).to_be_visible()
    check_a11y(civil_servant)
    civil_servant.get_by_label(field(site, "policy object")).select_option(
        label=track2.policy_object.name
    )
    civil_servant.get_by_label(field(site, "title")).fill(ADJUSTMENT)
    civil_servant.get_by_label(field(site, "what it is now")).fill(
        "Alleen de eigenaar van de grond mag subsidie aanvragen."
    )
    civil_servant.get_by_label(field(site, "what it should become")).fill(PROPOSED)
    civil_servant.get_by_label(field(site, "why")).fill("Coöperaties bezitten zelden grond.")
    expect(civil_servant.get_by_label(field(site, "owner"))).to_have_value(
        str(world.gemeente_member.pk)
    )
    expect(civil_servant.get_by_label(TITLE, exact=True)).to_be_checked()
    civil_servant.get_by_role("button", name=site._("Save the adjustment")).click()
    expect_status(civil_servant, site._("The adjustment has been saved."))
    expect(civil_servant.get_by_role("heading", level=2)).to_have_text(ADJUSTMENT)
    answered = civil_servant.get_by_role("listitem").filter(
        has=civil_servant.get_by_role("link", name=TITLE, exact=True)
    )
    expect(answered).to_contain_text(stage(site, Stage.AANPASSING_VOORGESTELD))
    check_a11y(civil_servant)

    # d. It is a proposal; decided by the civil service, the signal is decided and fed back.
    expect(civil_servant.get_by_role("main")).to_contain_text(site._("Proposed"))
    decided = site._("Decided by civil servants")
    civil_servant.get_by_label(decided, exact=True).check()
    civil_servant.get_by_role("button", name=site._("Move"), exact=True).click()
    expect_status(civil_servant, adjustment_now_at(site, AdjustmentStage.BESLOTEN_AMBTELIJK))
    expect(answered).to_contain_text(stage(site, Stage.TERUGGEKOPPELD))
    check_a11y(civil_servant)

    # e. The initiative member finds the outcome in their inbox and follows it …
    feedback = site._("Decided: %(title)s — %(proposed)s") % {
        "title": ADJUSTMENT,
        "proposed": PROPOSED,
    }
    site.visit(page, "/accounts/inbox/")
    # Every step reached them: discussed, taken up, change proposed, decided, answered.
    expect(page.get_by_role("link", name=inbox_link(site, unread=5))).to_be_visible()
    for step in (
        site._("Discussed in the group: %(title)s") % {"title": TITLE},
        site._("%(name)s is taking this up: %(title)s")
        % {"name": world.gemeente_member.name, "title": TITLE},
        site._("A change has been proposed for: %(title)s") % {"title": TITLE},
        site._("A decision has been made on: %(title)s") % {"title": TITLE},
    ):
        expect(page.get_by_role("link", name=step, exact=True)).to_be_visible()
    outcome = site._("The municipality has responded to: %(title)s") % {"title": TITLE}
    item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=outcome))
    expect(item).to_contain_text(site._("Unread"))
    item.get_by_text(site._("Read the message")).click()
    expect(item.get_by_role("paragraph")).to_contain_text(feedback)
    check_a11y(page)
    item.get_by_role("link", name=outcome).click()
    expect(page).to_have_url(site.url(signal_path(signal)))
    expect(page.get_by_role("heading", level=2)).to_have_text(TITLE)
    expect(page.locator("#lead-time")).to_have_text(
        plural(site, "Feedback after %(days)s day.", "Feedback after %(days)s days.", 0, days=0)
    )
    expect(page.get_by_role("main")).to_contain_text(feedback)
    expect(page.get_by_role("link", name=inbox_link(site, unread=4))).to_be_visible()

    # … and confirms that the barrier is solved: the loop is closed.
    close = move_form(page, site, Stage.AFGESLOTEN)
    close.get_by_label(site._("Solved"), exact=True).check()
    close.get_by_label(site._("Note (optional)")).fill("Dank! Onze aanvraag gaat nu door.")
    close.get_by_role("button", name=move_button(site, Stage.AFGESLOTEN)).click()
    expect_status(page, now_at_stage(site, Stage.AFGESLOTEN))
    expect(page.get_by_role("main")).to_contain_text(f"{site._('Outcome:')} {site._('Solved')}")
    check_a11y(page)

    # f. The loop dashboard counts one closed loop, fed back within the day.
    page.get_by_role("navigation", name=site._("Community menu")).get_by_role(
        "link", name=site._("Loop"), exact=True
    ).click()
    expect(
        page.get_by_role(
            "heading", level=2, name=site._("The loop from practice to policy and back")
        )
    ).to_be_visible()
    check_a11y(page)
    signal.refresh_from_db()
    first_feedback = LoopEvent.objects.get(signal=signal, to_stage=Stage.TERUGGEKOPPELD)
    median = round((first_feedback.at - signal.raised_at).total_seconds() / DAY, 1)
    assert median == 0.0  # everything happened within a minute
    shown_median = in_language(site, lambda: localize(median))
    fed_back_at = timezone.localtime(first_feedback.at)
    quarter = site._("quarter %(quarter)s of %(year)s") % {
        "quarter": (fed_back_at.month - 1) // 3 + 1,
        "year": fed_back_at.year,
    }

    stages = page.get_by_role(
        "table", name=site._("Signals per stage, with the age of the oldest open signal")
    )
    for value in Stage.values:
        row = stages.get_by_role("row").filter(
            has=page.get_by_role("rowheader", name=step_title(site, value), exact=True)
        )
        meaning = in_language(site, lambda value=value: STAGE_MEANING[value])
        if value == Stage.AFGESLOTEN:
            expect(row.get_by_role("cell")).to_have_text([meaning, "1", "–", "–"])
        else:
            expect(row.get_by_role("cell").nth(1)).to_have_text("0")
    closed_node = page.locator("svg.ss-lemniscate").get_by_role(
        "link",
        name=plural(
            site,
            "%(stage)s: %(count)s signal",
            "%(stage)s: %(count)s signals",
            1,
            stage=step_title(site, Stage.AFGESLOTEN),
            count=1,
        ),
        exact=True,
    )
    expect(closed_node).to_have_attribute("href", re.compile(r"\?stage=afgesloten$"))

    lead_times = page.get_by_role("table", name=site._(DAYS_TO_FEEDBACK_PER_QUARTER))
    expect(lead_times.get_by_role("row")).to_have_count(2)  # the header and one quarter
    expect(
        lead_times.get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=quarter, exact=True))
        .get_by_role("cell")
    ).to_have_text(["1", shown_median])
    summary = site._("Median days from raised to feedback, per quarter: %(values)s.") % {
        "values": f"{quarter}: {shown_median}"
    }
    chart = page.get_by_role("img", name=summary, exact=True)
    expect(chart.locator(".ss-chart__bar")).to_have_count(1)
    expect(chart.locator(".ss-chart__value")).to_have_text(shown_median)

    themes = page.get_by_role(
        "table", name=site._("Open and closed signals and median days to feedback per theme")
    )
    expect(
        themes.get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=track2.theme.name, exact=True))
        .get_by_role("cell")
    ).to_have_text(["0", "1", shown_median])

    # The closed stage leads to the closed signals.
    closed_node.click()
    expect(page).to_have_url(re.compile(r"/signals/\?stage=afgesloten$"))
    results = page.locator("#results")
    expect(results.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    expect(page.locator("#result-count")).to_have_text(
        plural(site, "%(counter)s signal", "%(counter)s signals", 1, counter=1)
    )

    # The database agrees: every move is a loop event, and the outcome reached the raiser.
    signal.refresh_from_db()
    assert signal.stage == Stage.AFGESLOTEN
    assert signal.owner == world.gemeente_member
    events = list(signal.events.order_by("at", "pk"))
    assert [e.to_stage for e in events] == [
        Stage.GEMELD,
        Stage.BESPROKEN,
        Stage.IN_VERKENNING,
        Stage.AANPASSING_VOORGESTELD,
        Stage.BESLOTEN,
        Stage.TERUGGEKOPPELD,
        Stage.AFGESLOTEN,
    ]
    assert [e.actor for e in events] == [
        member,
        world.steward,
        world.gemeente_member,
        world.gemeente_member,
        world.gemeente_member,
        world.gemeente_member,
        member,
    ]
    assert events[1].session == track2.session
    adjustment = Adjustment.objects.get(community=world.public, title=ADJUSTMENT)
    assert adjustment.stage == AdjustmentStage.BESLOTEN_AMBTELIJK
    assert adjustment.policy_object == track2.policy_object
    assert list(adjustment.signals.all()) == [signal]
    assert all(e.adjustment == adjustment for e in events[3:6])
    assert events[5].note == feedback
    assert (events[6].outcome, events[6].closed_without_answer) == (Outcome.SOLVED, False)
    notification = Notification.objects.get(recipient=member, kind="loop-outcome")
    assert (notification.title, notification.always) == (outcome, True)
    assert notification.read_at is not None  # followed from the inbox
    # Links point at the server the change was made on (here the test's live server).
    assert notification.url == site.base_url + in_language(site, signal.get_absolute_url)
    mails = [m for m in outbox()[outbox_before:] if m.to == [member.email]]
    assert len(mails) == 5  # discussed, taken up, change proposed, decided, answered
    assert notification.url in mails[-1].body


# -- 2. Every track 2 page, in Dutch and in English, passes axe --------------------------

RAISED = "Aansluitvoorwaarden warmtenet onduidelijk"
FED_BACK = "Vergunning voor de warmtepomp duurt negen maanden"
DEVELOPMENT = "Wet collectieve warmte aangenomen"
DECIDED = "Vergunningtermijn van acht weken"


@dataclass
class Loop:
    raised: Signal  # just raised: a steward sees three move forms
    fed_back: Signal  # feedback given through a decided adjustment
    adjustment: Adjustment
    development: ExternalDevelopment


@pytest.fixture
def loop(world, track2, site) -> Loop:  # type: ignore[no-untyped-def]
    """Content for every page: a raised signal, one fed back through a decided adjustment
    (so the raiser has an outcome in their inbox), a learning question, a development."""
    User.objects.filter(pk=world.initiatief_member.pk).update(preferred_language=site.language)
    world.initiatief_member.refresh_from_db()
    community = world.public
    LearningQuestion.objects.create(community=community, question="Wat vraagt de regeling?")
    raised = services.raise_signal(
        community=community,
        actor=world.initiatief_member,
        title=RAISED,
        what_happened="Niemand kon ons zeggen welke voorwaarden gelden.",
        initiatives=[track2.initiative],
        themes=[track2.theme],
        policy_objects=[track2.policy_object],
        on_behalf_of=track2.initiative,
    )
    fed_back = services.raise_signal(
        community=community,
        actor=world.initiatief_member,
        title=FED_BACK,
        what_happened="De aanvraag lag negen maanden stil.",
        themes=[track2.theme],
        on_behalf_of=track2.initiative,
    )
    for actor, move in (
        (world.steward, services.Move(Stage.BESPROKEN, session_id=track2.session.pk)),
        (world.gemeente_member, services.Move(Stage.IN_VERKENNING)),
    ):
        services.move_signal(
            signal=fed_back, actor=actor, move=move, seen_event_id=fed_back.last_event_id
        )
    adjustment = adjustments.create_adjustment(
        community=community,
        actor=world.gemeente_member,
        policy_object=track2.policy_object,
        title=DECIDED,
        current="Geen termijn.",
        proposed="Binnen acht weken een besluit.",
        signals=[fed_back],
    )
    adjustment = adjustments.move_adjustment(
        adjustment=adjustment,
        actor=world.gemeente_member,
        to_stage=AdjustmentStage.BESLOTEN_AMBTELIJK,
    )
    fed_back.refresh_from_db()
    assert fed_back.stage == Stage.TERUGGEKOPPELD
    development = ExternalDevelopment.objects.create(
        community=community,
        title=DEVELOPMENT,
        description="Gemeenten krijgen een rol bij de aanwijzing van warmtebedrijven.",
        happened_on=date(2025, 6, 3),
        link="https://example.org/wet-collectieve-warmte",
        on_agenda=True,
        created_by=world.gemeente_member,
    )
    development.themes.set([track2.theme])
    return Loop(raised=raised, fed_back=fed_back, adjustment=adjustment, development=development)


@dataclass
class Visit:
    """A page to open, its main heading (a source text, or a function of the site), and
    optionally something more to see or do on it before axe looks again."""

    path: str
    heading: str | Callable[[Site], str]
    then: Callable[[Page, Site], None] | None = None
    level: int = 2


def visit_pages(page: Page, site: Site, community_name: str, visits: list[Visit]) -> None:
    for planned in visits:
        site.visit(page, planned.path)  # checks axe
        heading = planned.heading
        text = heading(site) if callable(heading) else site._(heading)
        expect(
            page.get_by_role("heading", level=planned.level, name=text, exact=True),
            f"the main heading of {page.url}",
        ).to_be_visible()
        if planned.path.startswith(COMMUNITY):
            expect(page.get_by_role("heading", level=1)).to_have_text(community_name)
        if planned.then is not None:
            planned.then(page, site)
            check_a11y(page)


def _literal(text: str) -> Callable[[Site], str]:
    return lambda site: text


def test_pages_for_a_steward(page: Page, site: Site, world, track2, loop):
    def dashboard(page: Page, site: Site) -> None:
        expect(page.get_by_role("table", name=site._(DAYS_TO_FEEDBACK_PER_QUARTER))).to_be_visible()
        expect(page.locator("svg.ss-lemniscate a")).to_have_count(len(Stage.values))

    def filter_by_stage(page: Page, site: Site) -> None:
        results = page.locator("#results")
        expect(results.get_by_role("link", name=FED_BACK, exact=True)).to_be_visible()
        page.get_by_label(label(site._("Stage"))).select_option(label=stage(site, Stage.GEMELD))
        expect(page).to_have_url(re.compile(r"/signals/\?(.+&)?stage=gemeld(&|$)"))
        expect(results.get_by_role("link", name=FED_BACK, exact=True)).to_have_count(0)
        expect(results.get_by_role("link", name=RAISED, exact=True)).to_be_visible()

    def three_moves(page: Page, site: Site) -> None:
        for to_stage in (Stage.BESPROKEN, Stage.IN_VERKENNING, Stage.NIET_OPGEPAKT):
            expect(move_form(page, site, to_stage)).to_be_visible()
        discussed = move_form(page, site, Stage.BESPROKEN)
        expect(discussed.get_by_label(site._("Learning question"), exact=True)).to_be_visible()

    def similar_signals(page: Page, site: Site) -> None:
        page.get_by_label(field(site, "title")).fill("Vergunning warmtepomp duurt lang")
        similar = page.locator("#similar-signals")
        # The first ranking in a process warms up the sentence encoder (about a second).
        expect(similar.get_by_role("link", name=FED_BACK, exact=True)).to_be_visible(timeout=10_000)

    def form_errors(page: Page, site: Site) -> None:
        page.get_by_role("button", name=site._("Save the adjustment")).click()
        expect(page.locator(".errorlist").first).to_be_visible()

    def settings_errors(page: Page, site: Site) -> None:
        page.get_by_label(field(site, "remind owners after (days in one stage)")).fill("0")
        page.get_by_role("button", name=site._("Save"), exact=True).click()
        expect(page.locator(".errorlist").first).to_be_visible()

    def movable(page: Page, site: Site) -> None:
        # The next stage is offered, and nothing is chosen in advance.
        expect(page.get_by_label(site._("Implemented"), exact=True)).not_to_be_checked()
        expect(page.get_by_role("link", name=FED_BACK, exact=True)).to_be_visible()

    def listed(text: str) -> Callable[[Page, Site], None]:
        return lambda page, site: expect(page.get_by_role("main")).to_contain_text(text)

    theme, policy_object = track2.theme, track2.policy_object
    log_in(page, site.base_url, world.steward)
    visit_pages(
        page,
        site,
        track2.community_name,
        [
            Visit(f"{COMMUNITY}/loop/", "The loop from practice to policy and back", dashboard),
            Visit(
                f"{COMMUNITY}/loop/settings/",
                "Waiting and answer times of the loop",
                settings_errors,
            ),
            Visit(f"{COMMUNITY}/signals/", "Signals", filter_by_stage),
            Visit(f"{COMMUNITY}/signals/?stage=teruggekoppeld", "Signals", listed(FED_BACK)),
            Visit(signal_path(loop.raised), _literal(RAISED), three_moves),
            Visit(f"{signal_path(loop.raised)}edit/", "Change the signal"),
            Visit(f"{COMMUNITY}/signals/new/", "Raise a signal", similar_signals),
            Visit(f"{COMMUNITY}/adjustments/", "Adjustments", listed(DECIDED)),
            Visit(f"{COMMUNITY}/adjustments/{loop.adjustment.pk}/", _literal(DECIDED), movable),
            Visit(f"{COMMUNITY}/adjustments/new/", "Propose an adjustment", form_errors),
            Visit(f"{COMMUNITY}/adjustments/{loop.adjustment.pk}/edit/", "Change the adjustment"),
            Visit(f"{COMMUNITY}/themes/", "Themes", listed(theme.name)),
            Visit(f"{COMMUNITY}/themes/new/", "New theme"),
            Visit(f"{COMMUNITY}/themes/{theme.pk}/edit/", "Edit theme"),
            Visit(f"{COMMUNITY}/policy-objects/", "Policy objects", listed(policy_object.name)),
            Visit(f"{COMMUNITY}/policy-objects/new/", "New policy object"),
            Visit(f"{COMMUNITY}/policy-objects/{policy_object.pk}/edit/", "Edit policy object"),
            Visit(f"{COMMUNITY}/developments/", "External developments", listed(DEVELOPMENT)),
            Visit(f"{COMMUNITY}/developments/new/", "New external development"),
            Visit(
                f"{COMMUNITY}/developments/{loop.development.pk}/edit/",
                "Edit external development",
            ),
        ],
    )


def test_pages_for_a_member_of_the_initiative(page: Page, site: Site, world, track2, loop):
    outcome = site._("The municipality has responded to: %(title)s") % {"title": FED_BACK}

    def inbox(page: Page, site: Site) -> None:
        item = page.get_by_role("listitem").filter(has=page.get_by_role("link", name=outcome))
        expect(item).to_contain_text(site._("Unread"))
        item.get_by_text(site._("Read the message")).click()
        expect(item.get_by_role("paragraph")).to_be_visible()

    def close_or_reopen(page: Page, site: Site) -> None:
        expect(move_form(page, site, Stage.AFGESLOTEN).get_by_role("radio")).to_have_count(
            len(Outcome.values)
        )
        expect(move_form(page, site, Stage.HEROPEND)).to_be_visible()

    def raise_errors(page: Page, site: Site) -> None:
        page.get_by_role("button", name=site._("Raise the signal")).click()
        expect(page.locator(".errorlist").first).to_be_visible()

    log_in(page, site.base_url, world.initiatief_member)
    visit_pages(
        page,
        site,
        track2.community_name,
        [
            Visit("/accounts/inbox/", "Inbox", inbox, level=1),
            Visit(signal_path(loop.fed_back), _literal(FED_BACK), close_or_reopen),
            Visit(f"{COMMUNITY}/signals/new/", "Raise a signal", raise_errors),
            Visit("/accounts/notifications/", "Notifications", level=1),
        ],
    )


# -- 3. A phone-sized screen --------------------------------------------------------------


def test_the_loop_pages_fit_a_phone(page: Page, site: Site, world, track2, loop):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, site.base_url, world.steward)  # the signal's page with its move forms
    pages = (f"{COMMUNITY}/loop/", f"{COMMUNITY}/signals/", f"{COMMUNITY}/loop/settings/")
    for path in (*pages, signal_path(loop.raised), signal_path(loop.fed_back)):
        site.visit(page, path)  # checks axe at this size too
        assert_no_horizontal_scrolling(page)
