"""Policy makers in practice (meelopen, issue 10 §4) in the browser, in Dutch and English,
axe on every page and after each change: the initiative's own person invites a civil
servant to a residents' evening today; the civil servant finds the invitation in their
inbox, writes down what they learned, a lesson shared with everyone and a signal, each
listed on the visit's page; the initiative sees the visit on its page and hears what was
learned; an anonymous visitor finds the shared lesson of the private group in the national
list and reads it without the group's menu; on a phone the visit's page fits the screen.

The group is private (world.private), so the lesson's page for an outsider is the page
shared lessons have, not the group's own."""

import re
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import BrowserContext, Page, expect

from e2e.helpers import Site, check_a11y, label, log_in, tr
from samenspel.accounts.models import User
from samenspel.communities.models import Membership
from samenspel.initiatives.models import Initiative
from samenspel.learning.models import Signal
from samenspel.practice.models import FieldVisit, Lesson, VisitKind
from tests.factories import OrganisationFactory
from tests.initiative_factories import InitiativeFactory

INITIATIVE = "Noord warm"
ABOUT = "De bewonersavond over de aansluitkosten van het warmtenet"
NOTES = "Bewoners willen eerst weten wat de aansluiting per huis kost."
LESSON = "Begin een bewonersavond met de kosten per huis"
LESSON_TEXT = "Wie de kosten niet kent, hoort de rest van het verhaal niet."
SIGNAL = "De subsidieregeling noemt geen bedrag per aansluiting"
SIGNAL_TEXT = "Op de bewonersavond kon niemand zeggen hoeveel subsidie een huis krijgt."


def assert_fits_the_screen(page: Page) -> None:
    """Nothing makes the page scroll sideways: the scrolling element is no wider than what
    it shows."""
    widths = page.evaluate(
        "() => ({scroll: document.scrollingElement.scrollWidth,"
        " client: document.scrollingElement.clientWidth})"
    )
    assert widths["client"] <= page.viewport_size["width"], widths  # the narrow screen holds
    assert widths["scroll"] <= widths["client"], f"{page.url} scrolls sideways: {widths}"


def noord_warm(world, site: Site) -> Initiative:
    """Noord warm, in the private group: the initiative of the initiatief member (confirmed).
    The initiatief member and the gemeente member read the site in `site`'s language."""
    for user, name in (
        (world.initiatief_member, "Ilse Initiatief"),
        (world.gemeente_member, "Gert Gemeente"),
    ):
        user.display_name = name
        user.preferred_language = site.language
        user.save(update_fields=["display_name", "preferred_language"])
    noord = OrganisationFactory(community=world.private, name="Warmte Noord")
    Membership.objects.filter(user=world.initiatief_member, community=world.private).update(
        organisation=noord, organisation_confirmed_at=timezone.now()
    )
    return InitiativeFactory(
        community=world.private, organisation=noord, name=INITIATIVE, slug="noord-warm"
    )


def initiative_page(initiative: Initiative) -> str:
    return f"/c/{initiative.community.slug}/initiatives/{initiative.slug}/"


def test_a_civil_servant_joins_an_initiative_and_what_it_taught_goes_round(
    page: Page,
    new_context: Callable[..., BrowserContext],
    site: Site,
    world,
    time_machine,
):
    community = world.private
    own, civil_servant = world.initiatief_member, world.gemeente_member
    initiative = noord_warm(world, site)
    initiative_path = initiative_page(initiative)
    today = timezone.localdate()
    with translation.override(site.language):
        day = date_format(today, "j F Y")
    joining = tr(site, "Joining %(initiative)s") % {"initiative": INITIATIVE}
    evening = tr(site, "A residents' evening")

    def browser_for(user: User | None) -> Page:
        opened = new_context().new_page()
        if user is not None:
            log_in(opened, site.base_url, user)
        return opened

    # 1. The initiative's own person opens its page: the section to join it, no visit yet …
    log_in(page, site.base_url, own)
    site.visit(page, initiative_path)
    section = page.locator("#initiative-visits")
    expect(section.get_by_role("heading", level=3)).to_have_text(tr(site, "Join this initiative"))
    expect(section.get_by_role("heading", name=tr(site, "Coming up"))).to_have_count(0)
    section.get_by_role("link", name=tr(site, "Plan a visit, or invite someone")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(tr(site, "Join an initiative"))
    check_a11y(page)

    # … and invites the civil servant to a residents' evening today.
    expect(page.get_by_label(label(tr(site, "Which initiative?")))).to_have_value(
        str(initiative.pk)
    )
    page.get_by_label(label(tr(site, "Who joins?"))).select_option(label=civil_servant.name)
    page.locator("#id_kind").get_by_role("radio", name=evening, exact=True).check()
    page.get_by_label(label(tr(site, "Date"))).fill(today.isoformat())
    page.get_by_label(label(tr(site, "What happens there"))).fill(ABOUT)
    page.get_by_role("button", name=tr(site, "Plan the visit")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(joining)
    planned = tr(site, "The visit is planned. The people of %(initiative)s have been told.")
    expect(page.get_by_role("status")).to_contain_text(planned % {"initiative": INITIATIVE})
    facts = page.locator("#visit-facts")
    expect(facts).to_contain_text(f"{evening}: {ABOUT}")
    expect(facts.locator("time")).to_have_attribute("datetime", today.isoformat())
    expect(facts).to_contain_text(civil_servant.name)
    check_a11y(page)
    visit = FieldVisit.objects.get()
    assert (visit.visitor, visit.planned_by) == (civil_servant, own)
    visit_path = f"/c/{community.slug}/visits/{visit.pk}/"

    # 2. The civil servant finds the invitation in their inbox and follows it.
    civil = browser_for(civil_servant)
    site.visit(civil, "/accounts/inbox/")
    invitation = tr(site, "%(name)s joins %(initiative)s on %(date)s") % {
        "name": civil_servant.name,
        "initiative": INITIATIVE,
        "date": day,
    }
    civil.get_by_role("link", name=invitation, exact=True).click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(joining)
    expect(civil.locator("#visit-facts")).to_contain_text(ABOUT)
    check_a11y(civil)

    # They write down what they learned (the visit is today: the form is open) …
    civil.get_by_label(label(tr(site, "What did you see and learn?"))).fill(NOTES)
    learned = civil.locator("section[aria-labelledby=learned-heading]")
    learned.get_by_role("button", name=tr(site, "Save")).click()
    expect(civil.locator("#visit-notes")).to_have_text(NOTES)
    expect(civil.get_by_role("status")).to_contain_text(
        tr(site, "Saved. The people of the initiative can read what you learned.")
    )
    expect(learned.locator("summary")).to_have_text(tr(site, "Change what you wrote"))
    check_a11y(civil)

    # … a lesson from the visit, shared with everyone …
    next_steps = civil.locator("#visit-next")
    write_lesson = next_steps.get_by_role("link", name=tr(site, "Write down a lesson"))
    expect(write_lesson).to_have_attribute("href", re.compile(rf"\?visit={visit.pk}$"))
    write_lesson.click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(tr(site, "Write down a lesson"))
    check_a11y(civil)
    expect(civil.get_by_label(label(tr(site, "Visit to an initiative")))).to_have_value(
        str(visit.pk)
    )
    civil.get_by_label(label(tr(site, "What did you learn?"))).fill(LESSON)
    civil.get_by_label(label(tr(site, "Tell more"))).fill(LESSON_TEXT)
    civil.get_by_label(label(tr(site, "Others may read it too"))).check()
    civil.get_by_role("button", name=tr(site, "Save")).click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(joining)
    expect(civil.get_by_role("status")).to_contain_text(
        tr(site, "The lesson is written down. Thank you.")
    )
    came = civil.locator("#from-visit")
    expect(
        civil.get_by_role("heading", level=3, name=tr(site, "What came from this visit"))
    ).to_be_visible()
    lesson_line = came.locator("li", has_text=LESSON)
    expect(lesson_line.locator(".ss-badge")).to_have_text(tr(site, "Lesson"))
    check_a11y(civil)
    lesson = Lesson.objects.get()
    assert (lesson.visit, lesson.is_public) == (visit, True)

    # … and a signal about what the evening showed, through the loop's own form.
    next_steps.get_by_role("link", name=tr(site, "Raise a signal")).click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(
        tr(site, "Raise a signal from this visit")
    )
    check_a11y(civil)
    civil.get_by_label(label(site._("title").capitalize())).fill(SIGNAL)
    civil.get_by_label(label(site._("what happened in practice").capitalize())).fill(SIGNAL_TEXT)
    expect(civil.get_by_label(label(tr(site, "For which initiative?")))).to_have_value(
        str(initiative.pk)
    )
    civil.get_by_role("button", name=tr(site, "Raise the signal")).click()
    expect(civil.get_by_role("heading", level=2)).to_have_text(SIGNAL)
    expect(civil.get_by_role("status")).to_contain_text(
        tr(site, "Thank you. The signal is raised and linked to the visit.")
    )
    check_a11y(civil)
    signal = Signal.objects.get()
    assert list(signal.initiatives.all()) == [initiative]

    # Back on the visit's page, the signal is listed beside the lesson.
    site.visit(civil, visit_path)
    signal_line = came.locator("li", has_text=SIGNAL)
    expect(signal_line.locator(".ss-badge").first).to_have_text(tr(site, "Signal"))
    expect(signal_line.get_by_role("link", name=SIGNAL)).to_have_attribute(
        "href", site.url(signal.get_absolute_url()).removeprefix(site.base_url)
    )
    expect(came.locator(":scope > li")).to_have_count(2)

    # 3. The initiative sees the visit on its page, with what was learned written down …
    site.visit(page, initiative_path)
    coming = section.locator("h4", has_text=tr(site, "Coming up")).locator("+ ul > li")
    expect(coming).to_have_count(1)
    expect(coming.get_by_role("link", name=evening)).to_have_attribute(
        "href", site.url(visit_path).removeprefix(site.base_url)
    )
    expect(coming).to_contain_text(tr(site, "%(name)s joins") % {"name": civil_servant.name})
    expect(coming).to_contain_text(tr(site, "What was learned is written down."))

    # … and hears it in their inbox (not of the visit they planned themselves).
    site.visit(page, "/accounts/inbox/")
    heard = tr(site, "What %(name)s learned at %(initiative)s") % {
        "name": civil_servant.name,
        "initiative": INITIATIVE,
    }
    expect(page.get_by_role("link", name=invitation)).to_have_count(0)
    page.get_by_role("link", name=heard, exact=True).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(joining)
    expect(page.locator("#visit-notes")).to_have_text(NOTES)
    check_a11y(page)

    # The next day, the initiative's page lists it among the earlier visits.
    time_machine.move_to(timezone.now() + timedelta(days=1))
    site.visit(page, initiative_path)
    expect(section.get_by_role("heading", name=tr(site, "Coming up"))).to_have_count(0)
    earlier = section.locator("h4", has_text=tr(site, "Earlier visits")).locator("+ ul > li")
    expect(earlier).to_have_count(1)
    expect(earlier.get_by_role("link", name=evening)).to_have_attribute(
        "href", site.url(visit_path).removeprefix(site.base_url)
    )
    expect(earlier).to_contain_text(tr(site, "%(name)s joined") % {"name": civil_servant.name})

    # 4. Anyone finds the shared lesson in the national list, and reads it: a lesson of the
    #    private group, without the group's menu and without the visit it came from.
    anonymous = browser_for(None)
    site.visit(anonymous, "/lessons/")
    shared = anonymous.locator("#lessons > li", has_text=LESSON)
    expect(shared).to_contain_text(community.name)
    shared.get_by_role("link", name=LESSON).click()
    expect(anonymous).to_have_url(site.url(f"/c/{community.slug}/lessons/{lesson.pk}/"))
    expect(anonymous.locator("#lesson-title")).to_have_text(LESSON)
    expect(anonymous.locator("#lesson-text")).to_have_text(LESSON_TEXT)
    expect(anonymous.get_by_role("main")).to_contain_text(
        tr(site, "A lesson shared by %(name)s") % {"name": community.name}
    )
    expect(anonymous.get_by_text(tr(site, "Shared with everyone"), exact=True)).to_be_visible()
    expect(anonymous.get_by_role("navigation", name=tr(site, "Community menu"))).to_have_count(0)
    main = anonymous.get_by_role("main")
    expect(main.get_by_role("link", name=tr(site, "Lessons from practice"))).to_be_visible()
    expect(main.locator(f'a[href*="/c/{community.slug}/"]')).to_have_count(0)
    check_a11y(anonymous)

    # 5. On a phone, the visit's page does not scroll sideways.
    civil.set_viewport_size({"width": 390, "height": 800})
    site.visit(civil, visit_path)
    expect(civil.locator("#visit-notes")).to_have_text(NOTES)
    assert_fits_the_screen(civil)


def test_the_kind_of_activity_is_a_radio_group_named_by_its_question(page: Page, site: Site, world):
    initiative = noord_warm(world, site)
    log_in(page, site.base_url, world.initiatief_member)
    site.visit(page, f"/c/{initiative.community.slug}/visits/new/?initiative={initiative.slug}")
    kinds = page.get_by_role("group", name=label(tr(site, "What do you join?")))
    expect(kinds.get_by_role("radio")).to_have_count(len(VisitKind.choices), timeout=1000)
