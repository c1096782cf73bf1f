"""A live workshop (issue 13) in the browser, in Dutch and English: four pages open at once
(the facilitator's console, the projector and two participants' phones) play the built-in
Komedie through all four acts, and every screen follows by itself (it polls about once a
second; the test never sleeps, Playwright's expectations wait).

The steward makes the workshop from the community's Workshops tab (the Komedie, open to
anyone with the code, cards held until revealed) and opens the doors. The projector (its
link from the console, no login) shows the code and a QR code. Two guests join on their
phones with the code, a name and a side (municipality, initiative); the projector counts
them without reloading. In act 1 each sees only the question for their own side and posts
a card: held, so neither sees the other's card, the projector counts them, the console
shows both as they come in. "Show all cards" puts both on every screen in the writer's
column. The facilitator groups them with the keyboard's controls (tick each, name the
group, the button): the group shows everywhere; hides one card: it leaves the projector
and the phones (its writer's too, also after a reload), and stays marked on the console;
opens the voting: a vote on the group counts 1 on the projector and the voter has one vote
less. Acts 2, 3 and 4 each get a card, revealed on the projector. "End the workshop"
thanks the participants with a link to the report, which shows the cards of every act
(the hidden one left out); its PDF is a PDF. axe runs on the projector and on the phones:
at the welcome, and in an act with cards and voting open; on the console too.

The world is conftest.py's `world`: the public community "publiek" with its steward."""

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Locator, Page, expect

from e2e.helpers import Site, assert_no_horizontal_scrolling, check_a11y, label, log_in, tr
from samenspel.workshops.komedie import KOMEDIE
from samenspel.workshops.models import Audience, ParticipantSide, Workshop, WorkshopStatus

TITLE = "De Komedie in de raadszaal"
GROUP = "Traag en haastig"
PHONE = {"width": 390, "height": 844}
ACTS = KOMEDIE["acts"]
MUNICIPALITY_PROMPT, INITIATIVE_PROMPT = (prompt["text"] for prompt in ACTS[0]["prompts"])
# Act 1: one card from each side. Acts 2-4: one card each, from either side in turn.
MUNICIPALITY_CARD = "Initiatieven willen alles meteen."
INITIATIVE_CARD = "De gemeente doet alles traag."
LATER_CARDS = {
    2: "De buurt kent zichzelf het best.",
    3: "De subsidieregeling past niet bij een coöperatie.",
    4: "Elk jaar een avond met de raad.",
}


def same(site: Site, message: str) -> str:
    """A message that Dutch writes as English does ("Workshops", "Code"), which tr would take
    for a missing translation."""
    return site._(message)


def saved(page: Page, site: Site, message: str, **values: str) -> None:
    """The page confirms what was done with `message` (and shows no error)."""
    expect(page.get_by_role("status")).to_contain_text(tr(site, message) % values)
    expect(page.locator(".utrecht-alert--error")).to_have_count(0)


def card(page: Page, text: str) -> Locator:
    """The card with this text on the page's board (groups and columns)."""
    return page.locator("#cards [data-card]").filter(has_text=text)


def column(page: Page, side: str) -> Locator:
    """The texts of the cards in the column of one side (outside the groups)."""
    return page.locator(f'[data-column="{side}"] [data-card] [data-text]')


def group(page: Page, title: str) -> Locator:
    return page.locator("[data-cluster-box]").filter(
        has=page.locator("[data-title]", has_text=title)
    )


def grouped(page: Page, title: str) -> Locator:
    """The texts of the cards in the group with this title."""
    return group(page, title).locator("[data-card] [data-text]")


def act_heading(page: Page, position: int) -> None:
    """The page shows act `position` (it reloaded itself when the act began)."""
    expect(page.get_by_role("heading", level=1)).to_have_text(ACTS[position - 1]["title"])


def post_card(phone: Page, site: Site, text: str) -> None:
    """Write a card and post it (fetch: the page stays, the textarea empties, the card is
    there, marked as one's own)."""
    box = phone.get_by_label(tr(site, "Your card"))
    box.fill(text)
    phone.get_by_role("button", name=tr(site, "Post card")).click()
    expect(box).to_have_value("")
    expect(card(phone, text)).to_have_class(re.compile(r"\bss-wcard--mine\b"))
    expect(phone.locator("[data-card-error]")).to_have_text("")


def control(console: Page, site: Site, button: str, done: str, **values: str) -> None:
    """One of the console's buttons; the console answers with `done`."""
    console.get_by_role("button", name=tr(site, button), exact=True).click()
    saved(console, site, done, **values)


def test_a_workshop_played_through_four_acts_on_four_screens(
    page: Page,
    new_context: Callable[..., BrowserContext],
    site: Site,
    world,
):
    community, steward = world.public, world.steward
    steward.display_name = "Saskia Steward"
    steward.preferred_language = site.language
    steward.save(update_fields=["display_name", "preferred_language"])
    console = page

    # 0. The steward makes a workshop from the Komedie, from the community's Workshops tab …
    log_in(console, site.base_url, steward)
    site.visit(console, f"/c/{community.slug}/")
    menu = console.get_by_role("navigation", name=tr(site, "Community menu"))
    menu.get_by_role("link", name=same(site, "Workshops"), exact=True).click()
    expect(console.get_by_role("heading", level=2).first).to_have_text(same(site, "Workshops"))
    check_a11y(console)
    console.get_by_role("link", name=tr(site, "New workshop"), exact=True).click()
    expect(console.get_by_role("heading", level=2)).to_have_text(tr(site, "New workshop"))
    check_a11y(console)
    console.get_by_label(label(tr(site, "Title"))).fill(TITLE)
    console.get_by_role("group", name=label(tr(site, "Template"))).get_by_role(
        "radio", name=tr(site, KOMEDIE["label"])
    ).check()
    console.get_by_role("group", name=label(tr(site, "Who may join?"))).get_by_role(
        "radio", name=tr(site, Audience.OPEN.label)
    ).check()
    expect(console.get_by_label(tr(site, "Keep cards hidden until I reveal them"))).to_be_checked()
    console.get_by_role("button", name=tr(site, "Make the workshop")).click()
    saved(console, site, "The workshop is ready. Open the doors when people arrive.")
    expect(console.get_by_role("heading", level=2)).to_contain_text(TITLE)
    check_a11y(console)
    workshop = Workshop.objects.get()
    assert (workshop.template_name, workshop.audience, workshop.hold_cards) == (
        "De Komedie",
        Audience.OPEN,
        True,
    )
    code = workshop.code
    expect(console.locator(".ss-code")).to_have_text(code)

    # … and opens the doors.
    control(console, site, "Open the doors", "The doors are open: people can join.")
    expect(console.locator("[data-status]")).to_have_text(tr(site, WorkshopStatus.RUNNING.label))
    check_a11y(console)

    # 1. The projector: the console's link (a new window), in a browser without a login.
    link = console.locator("#projector-link")
    expect(link).to_have_attribute("target", "_blank")
    projector = new_context().new_page()
    projector.goto(site.base_url + str(link.get_attribute("href")))
    expect(projector.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(projector.locator(".ss-join-code")).to_have_text(code)
    qr = projector.get_by_role("img", name=tr(site, "QR code: scan it to join"))
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0"), "no QR image"
    expect(projector.locator("[data-participants]")).to_have_text("0")
    check_a11y(projector)

    # 2. Two guests join on their phones: the code (in lower case), a name and a side.
    phones: dict[str, Page] = {}
    for count, (side, name) in enumerate(
        ((ParticipantSide.GEMEENTE, "Gert"), (ParticipantSide.INITIATIEF, "Ilse")), start=1
    ):
        phone = new_context(viewport=PHONE).new_page()
        site.visit(phone, "/w/")
        phone.get_by_label(label(same(site, "Code"))).fill(code.lower())
        phone.get_by_role("button", name=tr(site, "Go on")).click()
        expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
        check_a11y(phone)
        phone.get_by_label(label(tr(site, "Your name, as others see it"))).fill(name)
        phone.get_by_role("group", name=label(tr(site, "Where do you stand?"))).get_by_role(
            "radio", name=tr(site, side.label), exact=True
        ).check()
        phone.get_by_role("button", name=tr(site, "Join"), exact=True).click()
        expect(phone.get_by_role("heading", level=1)).to_have_text(
            tr(site, "Welcome, %(name)s") % {"name": name}
        )
        expect(phone.locator(".ss-play__who")).to_have_text(f"{name} · {tr(site, side.label)}")
        check_a11y(phone)
        assert_no_horizontal_scrolling(phone)
        # The projector and the console count who joined, without reloading.
        expect(projector.locator("[data-participants]")).to_have_text(str(count))
        expect(console.locator("[data-participants]")).to_have_text(str(count))
        phones[side] = phone
    gert, ilse = phones[ParticipantSide.GEMEENTE], phones[ParticipantSide.INITIATIEF]
    # The one who joined first sees the second come in too.
    expect(gert.locator("[data-participants]")).to_have_text("2")

    # 3. Act 1 begins: every screen changes by itself.
    control(console, site, "Begin the first act", "On to the next act.")
    for screen in (projector, gert, ilse):
        act_heading(screen, 1)
    expect(projector.locator(".ss-prompts li")).to_have_count(2)
    # Each side is asked about the other: a participant sees their own side's question only.
    expect(gert.locator(".ss-prompt")).to_have_text(MUNICIPALITY_PROMPT)
    expect(ilse.locator(".ss-prompt")).to_have_text(INITIATIVE_PROMPT)
    expect(gert.get_by_text(INITIATIVE_PROMPT)).to_have_count(0)
    expect(ilse.get_by_text(MUNICIPALITY_PROMPT)).to_have_count(0)
    check_a11y(projector)

    # Both post a card. The cards are held: each phone shows its own only, the projector
    # counts them, the console shows both as they come in.
    post_card(gert, site, MUNICIPALITY_CARD)
    post_card(ilse, site, INITIATIVE_CARD)
    for screen in (projector, gert, ilse, console):
        expect(screen.locator("[data-card-count]")).to_have_text("2")
    expect(card(console, MUNICIPALITY_CARD)).to_be_visible()
    expect(card(console, INITIATIVE_CARD)).to_be_visible()
    expect(card(gert, INITIATIVE_CARD)).to_have_count(0)
    expect(card(ilse, MUNICIPALITY_CARD)).to_have_count(0)
    expect(projector.locator("#cards [data-card]")).to_have_count(0)
    expect(projector.get_by_text(MUNICIPALITY_CARD)).to_have_count(0)
    check_a11y(gert)

    # 4. "Show all cards": every screen shows both, each in the column of the writer's side.
    control(console, site, "Show all cards", "All cards are shown.")
    for screen in (projector, gert, ilse, console):
        expect(column(screen, ParticipantSide.GEMEENTE)).to_have_text([MUNICIPALITY_CARD])
        expect(column(screen, ParticipantSide.INITIATIEF)).to_have_text([INITIATIVE_CARD])
    expect(gert.get_by_role("heading", level=2)).to_have_text(tr(site, "All cards"))

    # 5. The facilitator ticks both cards and groups them, with a name: the group shows on
    #    every screen, both cards in it.
    for text in (MUNICIPALITY_CARD, INITIATIVE_CARD):
        card(console, text).get_by_role("checkbox").check()
    console.get_by_label(tr(site, "Name of the new group")).fill(GROUP)
    control(console, site, "Put in the group", "Grouped in “%(title)s”.", title=GROUP)
    for screen in (console, projector, gert, ilse):
        expect(grouped(screen, GROUP)).to_have_text([MUNICIPALITY_CARD, INITIATIVE_CARD])
        expect(screen.locator("[data-column] [data-card]")).to_have_count(0)

    # 6. … hides one card: it leaves the projector and the phones (its writer's too), and
    #    stays on the console, marked.
    card(console, MUNICIPALITY_CARD).get_by_role(
        "button", name=tr(site, "Hide"), exact=True
    ).click()
    saved(console, site, "The card is hidden.")
    hidden = card(console, MUNICIPALITY_CARD)
    expect(hidden).to_have_class(re.compile(r"\bss-wcard--hidden\b"))
    expect(hidden).to_contain_text(tr(site, "Hidden by the facilitator"))
    expect(hidden.get_by_role("button", name=tr(site, "Show again"))).to_be_visible()
    check_a11y(console)
    for screen in (projector, gert, ilse):
        expect(screen.get_by_text(MUNICIPALITY_CARD)).to_have_count(0)
        expect(grouped(screen, GROUP)).to_have_text([INITIATIVE_CARD])
        expect(screen.locator("[data-card-count]")).to_have_text("1")

    # 7. The voting opens; Gert votes on the group: the projector counts 1, he has one less.
    control(console, site, "Open the voting", "Voting is open.")
    expect(projector.locator(".ss-lead")).to_contain_text(tr(site, "Voting is open"))
    # (The phones loaded themselves anew: the hidden card stays away, from its writer too.)
    expect(gert.get_by_text(MUNICIPALITY_CARD)).to_have_count(0)
    votes_left = gert.locator("[data-votes-left]")
    expect(votes_left).to_have_text(str(workshop.votes_per_participant))
    check_a11y(gert)  # an act with cards, voting open
    check_a11y(projector)
    on_the_group = group(gert, GROUP).locator(":scope > [data-vote-form]")  # not its cards'
    vote = f"{tr(site, 'Vote')} {tr(site, 'on this group')}"
    on_the_group.get_by_role("button", name=vote).click()
    expect(votes_left).to_have_text(str(workshop.votes_per_participant - 1))
    expect(on_the_group.locator("[data-my-votes]")).to_have_text("1")
    expect(on_the_group.get_by_role("button", name=tr(site, "Take back"))).to_be_visible()
    expect(group(projector, GROUP).locator("h3 [data-votes]")).to_have_text("1")
    expect(group(ilse, GROUP).locator("h3 [data-votes]")).to_have_text("1")
    expect(group(console, GROUP).locator("h3 [data-votes]")).to_have_text("1")
    expect(gert.locator("[data-vote-error]")).to_have_text("")
    check_a11y(gert)

    # 8. Acts 2, 3 and 4: a card in each, from either side in turn, shown on the projector.
    for position, text in LATER_CARDS.items():
        control(console, site, "Next act", "On to the next act.")
        for screen in (projector, gert, ilse):
            act_heading(screen, position)
        writer = gert if position % 2 else ilse
        # Everyone answers every question now: the first is chosen unless one picks another.
        questions = writer.get_by_role(
            "group", name=tr(site, "Which question do you answer?")
        ).get_by_role("radio")
        expect(questions).to_have_count(len(ACTS[position - 1]["prompts"]))
        expect(questions.first).to_be_checked()
        questions.last.check()
        post_card(writer, site, text)
        expect(projector.locator("[data-card-count]")).to_have_text("1")
        expect(projector.get_by_text(text)).to_have_count(0)  # held until shown
        control(console, site, "Show all cards", "All cards are shown.")
        writer_side = ParticipantSide.GEMEENTE if writer is gert else ParticipantSide.INITIATIEF
        expect(column(projector, writer_side)).to_have_text([text])
        expect(card(gert if writer is ilse else ilse, text)).to_be_visible()
    check_a11y(projector)

    # 9. The end: the phones thank the participants and link to the report; so does the
    #    projector.
    control(console, site, "End the workshop", "The workshop has ended. The code no longer works.")
    expect(projector.get_by_role("heading", level=1)).to_have_text(
        tr(site, "Thank you for playing!")
    )
    for phone in (gert, ilse):
        expect(phone.get_by_role("heading", level=1)).to_have_text(tr(site, "Thank you!"))
        expect(phone.get_by_role("link", name=tr(site, "Read the report"))).to_be_visible()
        check_a11y(phone)
    check_a11y(projector)
    ilse.get_by_role("link", name=tr(site, "Read the report")).click()
    expect(ilse.get_by_role("heading", level=2)).to_have_text(f"{tr(site, 'Report')}: {TITLE}")
    check_a11y(ilse)

    # The report, as the steward: the cards of every act (not the hidden one); the PDF.
    console.get_by_role("link", name=tr(site, "Report and harvest")).click()
    expect(console.get_by_role("heading", level=2)).to_have_text(f"{tr(site, 'Report')}: {TITLE}")
    acts = console.locator(".ss-report-act")
    expect(acts.locator("h3")).to_have_count(4)
    expect(acts.nth(0)).to_contain_text(INITIATIVE_CARD)
    expect(acts.nth(0)).to_contain_text(GROUP)
    for position, text in LATER_CARDS.items():
        expect(acts.nth(position - 1)).to_contain_text(ACTS[position - 1]["title"])
        expect(acts.nth(position - 1)).to_contain_text(text)
    expect(console.get_by_role("main")).not_to_contain_text(MUNICIPALITY_CARD)
    check_a11y(console)
    pdf_link = console.get_by_role("link", name=tr(site, "Download as PDF (A4)"))
    answer = console.request.get(site.base_url + str(pdf_link.get_attribute("href")))
    assert answer.status == 200, answer.status
    assert answer.headers["content-type"] == "application/pdf", answer.headers
    assert answer.body().startswith(b"%PDF"), answer.body()[:20]
