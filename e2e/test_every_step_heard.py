"""A journey per role (issue 9): a volunteer raises a signal; the steward and the civil
servant who follows its theme find it in My work and their messages; the civil servant
asks a question and takes it up; the volunteer answers and hears each step; another
initiative adds its weight; the signal is answered and closed. Every page passes axe (in
site.visit and check_a11y), in Dutch and in English."""

from collections.abc import Callable

from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from e2e.helpers import Site, check_a11y, label, log_in
from e2e.test_track2 import Track2, move_button, move_form, stage, track2  # noqa: F401
from samenspel.communities.models import Membership, Organisation
from samenspel.learning import following
from samenspel.learning.models import Signal, SignalMessage, SignalSupport
from samenspel.learning.stages import Stage
from tests.factories import MembershipFactory, UserFactory
from tests.initiative_factories import InitiativeFactory

TITLE = "Geen aansluiting op het warmtenet voor de school"
QUESTION = "Om welke school gaat het, en wie heeft de aanvraag gedaan?"
ANSWER = "De Regenboogschool; de coöperatie deed de aanvraag in september."


def test_every_role_hears_each_step_and_takes_the_next(
    page: Page,
    new_context: Callable[..., BrowserContext],
    site: Site,
    world,
    track2: Track2,  # noqa: F811
):
    for user in (world.initiatief_member, world.gemeente_member, world.steward):
        user.preferred_language = site.language
        user.save(update_fields=["preferred_language"])
    following.follow(actor=world.gemeente_member, subject=track2.theme)
    zuid = Organisation.objects.create(community=world.public, name="Energie Zuid")
    other_initiative = InitiativeFactory(
        community=world.public, organisation=zuid, name="Zuid Warm"
    )
    neighbour = UserFactory(display_name="Noor Nabuur", preferred_language=site.language)
    MembershipFactory(
        user=neighbour,
        community=world.public,
        organisation=zuid,
        organisation_confirmed_at=timezone.now(),
    )

    # 1. The volunteer raises the signal; "for which initiative?" is filled in.
    log_in(page, site.base_url, world.initiatief_member)
    site.visit(page, "/c/publiek/signals/new/")
    page.get_by_label(label(site._("title").capitalize())).fill(TITLE)
    page.get_by_label(label(site._("what happened in practice").capitalize())).fill(
        "De school wil aansluiten, maar de netbeheerder wacht op de gemeente."
    )
    expect(page.get_by_label(label(site._("For which initiative?")))).to_have_value(
        str(track2.initiative.pk)
    )
    page.get_by_label(track2.theme.name, exact=True).check()
    page.get_by_role("button", name=site._("Raise the signal")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(TITLE)
    check_a11y(page)
    signal = Signal.objects.get(title=TITLE)

    # 2. The steward and the civil servant who follows the theme find it in My work.
    steward = new_context().new_page()
    log_in(steward, site.base_url, world.steward)
    site.visit(steward, "/my-work/")
    to_take_up = steward.locator("section", has=steward.locator("#take-up-heading"))
    expect(to_take_up.get_by_role("link", name=TITLE)).to_be_visible()
    civil = new_context().new_page()
    log_in(civil, site.base_url, world.gemeente_member)
    site.visit(civil, "/my-work/")
    civil.locator("section", has=civil.locator("#take-up-heading")).get_by_role(
        "link", name=TITLE
    ).click()
    check_a11y(civil)
    site.visit(civil, "/accounts/inbox/")
    new_signal = site._("New signal: %(title)s") % {"title": TITLE}
    expect(civil.get_by_role("link", name=new_signal)).to_be_visible()

    # 3. The civil servant asks a question (the signal stays where it is) and takes it up.
    site.visit(civil, signal.get_absolute_url().removeprefix("/en"))
    civil.get_by_label(site._("Your question or answer")).fill(QUESTION)
    civil.get_by_role("button", name=site._("Post"), exact=True).click()
    expect(civil.locator(f"#message-{SignalMessage.objects.get().pk}")).to_contain_text(QUESTION)
    assert Signal.objects.get(pk=signal.pk).stage == Stage.GEMELD
    take_up = move_form(civil, site, Stage.IN_VERKENNING)
    take_up.get_by_role("button", name=move_button(site, Stage.IN_VERKENNING)).click()
    expect(civil.get_by_role("complementary")).to_contain_text(world.gemeente_member.name)
    check_a11y(civil)

    # 4. The volunteer sees both in their messages, and answers on the signal's page.
    site.visit(page, "/accounts/inbox/")
    message = site._("New message about: %(title)s") % {"title": TITLE}
    taken_up = site._("%(name)s is taking this up: %(title)s") % {
        "name": world.gemeente_member.name,
        "title": TITLE,
    }
    expect(page.get_by_role("link", name=message)).to_be_visible()
    expect(page.get_by_role("link", name=taken_up)).to_be_visible()
    check_a11y(page)
    page.get_by_role("link", name=message).click()
    page.get_by_label(site._("Your question or answer")).fill(ANSWER)
    page.get_by_role("button", name=site._("Post"), exact=True).click()
    expect(page.get_by_role("main")).to_contain_text(ANSWER)
    # Their My work shows where it stands and when the answer is due.
    site.visit(page, "/my-work/")
    raised = page.locator("section", has=page.locator("#raised-heading"))
    expect(raised.get_by_role("link", name=TITLE)).to_be_visible()
    expect(raised).to_contain_text(stage(site, Stage.IN_VERKENNING))

    # 5. Another initiative adds its weight.
    neighbour_page = new_context().new_page()
    log_in(neighbour_page, site.base_url, neighbour)
    site.visit(neighbour_page, signal.get_absolute_url().removeprefix("/en"))
    weight = neighbour_page.locator("#add-support")
    weight.get_by_role("button", name=site._("We run into this too")).click()
    expect(neighbour_page.locator("#supports")).to_contain_text(other_initiative.name)
    check_a11y(neighbour_page)
    assert SignalSupport.objects.filter(signal=signal).count() == 1

    # 6. The civil servant answers; the volunteer closes the loop.
    site.visit(civil, signal.get_absolute_url().removeprefix("/en"))
    answer = move_form(civil, site, Stage.TERUGGEKOPPELD)
    answer.get_by_label(site._("Note for the people who raised it (required)")).fill(
        "De gemeente geeft de netbeheerder deze week groen licht."
    )
    answer.get_by_role("button", name=move_button(site, Stage.TERUGGEKOPPELD)).click()
    expect(civil.get_by_role("status")).to_be_visible()
    site.visit(page, signal.get_absolute_url().removeprefix("/en"))
    close = move_form(page, site, Stage.AFGESLOTEN)
    close.get_by_label(site._("Solved"), exact=True).check()
    close.get_by_role("button", name=move_button(site, Stage.AFGESLOTEN)).click()
    expect(page.get_by_role("main")).to_contain_text(site._("Outcome:"))
    check_a11y(page)
    assert Signal.objects.get(pk=signal.pk).stage == Stage.AFGESLOTEN
    # The civil servant heard the close: every step reaches who is involved.
    site.visit(civil, "/accounts/inbox/")
    closed = site._("Closed: %(title)s") % {"title": TITLE}
    expect(civil.get_by_role("link", name=closed)).to_be_visible()
    assert Membership.objects.filter(user=neighbour).exists()
