"""Every page, as the persona who uses it, in Dutch and in English, checked with axe-core."""

import re

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import Page, expect

from e2e.helpers import Site, check_a11y, label, log_in, visit
from samenspel.communities import services
from samenspel.communities.models import Side

pytestmark = pytest.mark.e2e


def test_the_stylesheets_load(page: Page, live_server):
    visit(page, live_server.url + "/")
    header = page.get_by_role("banner")
    # samenspel.css draws the bar in the primary colour of tokens.css (#0b5d5b) …
    expect(header).to_have_css("border-bottom-color", "rgb(11, 93, 91)")
    expect(header).to_have_css("border-bottom-width", "4px")
    # … and the NL Design System button gets its size from Utrecht's CSS and the tokens.
    expect(page.get_by_role("link", name="English")).to_have_css("min-height", "44px")


def test_home_anonymous(page: Page, site: Site, world):
    site.visit(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Samenspel")
    expect(page.get_by_role("heading", name=site._("Public communities"))).to_be_visible()
    expect(page.get_by_role("link", name="Publiek")).to_be_visible()
    expect(page.get_by_role("link", name="Besloten")).to_have_count(0)


def test_home_logged_in(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/")
    expect(page.get_by_role("heading", name=site._("My communities"))).to_be_visible()
    expect(page.get_by_role("link", name="Besloten")).to_be_visible()
    expect(page.get_by_role("button", name=site._("Log out"))).to_be_visible()


def test_community_home(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/besloten/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Besloten")
    nav = page.get_by_role("navigation", name=site._("Community menu"))
    expect(nav.get_by_role("link", name=site._("Overview"))).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("link", name=site._("Edit details"))).to_be_visible()


def test_member_directory(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/besloten/members/")
    expect(page.get_by_role("heading", name=site._("Members"), level=2)).to_be_visible()
    main = page.get_by_role("main")
    for person in (world.gemeente_member, world.initiatief_member, world.observer):
        expect(main.get_by_text(person.email)).to_be_visible()


def test_invite_page(page: Page, site: Site, world):
    services.invite(
        community=world.private,
        invited_by=world.steward,
        email="open@example.org",
        side=Side.GEMEENTE,
        base_url=site.base_url,
    )
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/besloten/invite/")
    expect(page.get_by_role("heading", name=site._("Invite someone"))).to_be_visible()
    expect(page.get_by_label(label(site._("Email address")))).to_be_editable()
    expect(page.get_by_role("heading", name=site._("Open invitations"))).to_be_visible()
    expect(page.get_by_role("main").get_by_text("open@example.org").first).to_be_visible()


def test_join_requests_page(page: Page, site: Site, world):
    services.request_to_join(
        community=world.public, user=world.outsider, side=Side.INITIATIEF, motivation="Graag!"
    )
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/publiek/requests/")
    expect(page.get_by_role("heading", name=site._("Join requests"), level=2)).to_be_visible()
    name = world.outsider.name
    expect(page.get_by_role("main")).to_contain_text("Graag!")  # the motivation
    expect(page.get_by_role("button", name=re.compile(name))).to_have_count(1)  # approve
    # Declining opens a form that asks for the reason the applicant will read.
    page.get_by_text(site._("Decline %(name)s") % {"name": name}).first.click()
    reason = page.get_by_label(site._("Why? The applicant reads this."))
    expect(reason).to_be_visible()
    check_a11y(page)
    expect(page.get_by_role("button", name=re.compile(name))).to_have_count(2)


def test_join_page_for_an_outsider(page: Page, site: Site, world):
    log_in(page, site.base_url, world.outsider)
    site.visit(page, "/c/publiek/join/")
    page.get_by_label(label(site._("Your side"))).select_option("initiatief")
    page.get_by_label(site._("Why do you want to join?")).fill("We isoleren samen.")
    page.get_by_role("button", name=site._("Send request")).click()
    expect(page.get_by_role("status")).to_contain_text(
        site._("Your request has been sent. A steward will answer it soon.")
    )
    check_a11y(page)


def test_leave_page(page: Page, site: Site, world):
    log_in(page, site.base_url, world.initiatief_member)
    site.visit(page, "/c/publiek/leave/")
    expect(page.get_by_role("heading", name=site._("Leave this community"))).to_be_visible()
    expect(page.get_by_role("button", name=site._("Leave"), exact=True)).to_be_visible()


def test_edit_community_page(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/publiek/edit/")
    expect(page.get_by_role("heading", name=site._("Edit details"))).to_be_visible()
    expect(page.get_by_role("textbox").first).to_have_value("Publiek")


def test_new_community_page(page: Page, site: Site, world):
    log_in(page, site.base_url, world.outsider)
    site.visit(page, "/c/new/")
    expect(page.get_by_role("heading", name=site._("Start a new community"))).to_be_visible()
    expect(page.get_by_label(label(site._("Your side")))).to_be_visible()


def test_profile_page(page: Page, site: Site, world):
    log_in(page, site.base_url, world.gemeente_member)
    site.visit(page, "/accounts/profile/")
    expect(page.get_by_role("heading", name=site._("My profile"), level=1)).to_be_visible()
    expect(page.get_by_role("main").get_by_text("gemeente@example.org")).to_be_visible()
    expect(page.get_by_role("link", name="Besloten")).to_be_visible()


def test_api_tokens_page_shows_a_new_token_once(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/accounts/tokens/")
    page.get_by_label(label(site._("Name"))).fill("monitorscript")
    page.get_by_role("button", name=site._("Create token")).click()
    shown = page.locator("#new-token")
    expect(shown).to_be_visible()
    token = shown.inner_text().strip()
    assert len(token) >= 32
    check_a11y(page)

    site.visit(page, "/accounts/tokens/")
    expect(page.get_by_role("cell", name="monitorscript", exact=True)).to_be_visible()
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_text(token)).to_have_count(0)


def test_login_page(page: Page, site: Site, world):
    site.visit(page, "/accounts/login/")
    expect(page.get_by_label(label(site._("Email")))).to_be_visible()
    expect(page.get_by_label(label(site._("Password")))).to_be_visible()


def test_signup_page(page: Page, site: Site, world):
    site.visit(page, "/accounts/signup/")
    expect(page.get_by_role("heading", name=site._("Sign Up"), level=1)).to_be_visible()
    expect(page.get_by_label(label(site._("Password (again)")))).to_be_visible()


def test_password_reset_page(page: Page, site: Site, world):
    site.visit(page, "/accounts/password/reset/")
    page.get_by_label(label(site._("Email"))).fill(world.outsider.email)
    page.get_by_role("button", name=site._("Reset My Password")).click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    check_a11y(page)


def test_password_change_page(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/accounts/password/change/")
    expect(page.get_by_label(label(site._("Current Password")))).to_be_visible()
    expect(page.get_by_role("button", name=site._("Change Password"))).to_be_visible()


def test_email_management_page(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/accounts/email/")
    expect(page.get_by_label(label(site._("Current email")))).to_have_value(world.steward.email)


def test_invitation_page(page: Page, site: Site, world):
    # The link is made in the inviter's language; make it in the default one, without prefix.
    with translation.override(settings.LANGUAGE_CODE):
        issued = services.invite(
            community=world.private,
            invited_by=world.steward,
            email="new@example.org",
            side=Side.INITIATIEF,
            message="Welkom!",
            base_url=site.base_url,
        )
    site.visit(page, issued.url.removeprefix(site.base_url))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Besloten")
    expect(page.get_by_role("link", name=site._("Sign up"), exact=True).last).to_be_visible()


def test_an_invalid_invitation_link(page: Page, site: Site, world):
    site.visit(page, "/c/invitations/not-a-real-token/", status=404)
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("link", name=site._("To the home page"), exact=True)).to_be_visible()


def test_api_documentation_renders(page: Page, live_server):
    # Third-party Swagger UI: it must render from our own static files; axe is not asserted.
    response = page.goto(live_server.url + "/api/v1/docs")
    assert response is not None and response.ok
    expect(page.get_by_role("heading", level=1)).to_contain_text("Samenspel")
    expect(page.get_by_role("heading", name="communities", level=3)).to_be_visible()


def test_the_axe_check_reports_what_it_finds(page: Page):
    # Guards the guard: a page with a real problem must fail check_a11y, with the details.
    page.set_content(
        '<html lang="nl"><head><title>Proef</title></head><body><main>'
        '<h1>Proef</h1><input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError, match=r"label \(critical\).*\n.*\n  - input"):
        check_a11y(page)


def test_organisations_page_and_form(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/publiek/organisations/")
    page.get_by_role("link", name=site._("Add an organisation")).click()
    expect(page.get_by_role("heading", name=site._("Add an organisation"))).to_be_visible()
    check_a11y(page)
    page.get_by_label(label(site._("name").capitalize())).fill("Energiecoöperatie Noord")
    page.get_by_role("button", name=site._("Save")).click()
    expect(page.get_by_text("Energiecoöperatie Noord", exact=True)).to_be_visible()
    check_a11y(page)


def test_my_membership_page(page: Page, site: Site, world):
    log_in(page, site.base_url, world.initiatief_member)
    site.visit(page, "/c/publiek/membership/")
    expect(page.get_by_role("heading", name=site._("My membership"))).to_be_visible()
    expect(page.get_by_label(label(site._("side").capitalize()))).to_have_value("initiatief")


def test_activity_page(page: Page, site: Site, world):
    log_in(page, site.base_url, world.observer)
    site.visit(page, "/c/publiek/")
    page.get_by_role("link", name=site._("All activity")).click()
    expect(page.get_by_role("heading", name=site._("Activity"), level=2)).to_be_visible()
    expect(page.locator(".ss-activity li").first).to_be_visible()
    check_a11y(page)


def test_searching_communities_updates_the_list_in_place(page: Page, site: Site, world):
    site.visit(page, "/")
    page.get_by_label(label(site._("Search by name or municipality"))).fill("Publ")
    expect(page).to_have_url(re.compile(r"\?q=Publ$"))
    expect(page.get_by_role("link", name="Publiek")).to_be_visible()
    page.get_by_label(label(site._("Search by name or municipality"))).fill("nergens")
    expect(page.get_by_role("status")).to_contain_text("nergens")
    check_a11y(page)


def test_filtering_members_by_side_updates_the_list_in_place(page: Page, site: Site, world):
    log_in(page, site.base_url, world.steward)
    site.visit(page, "/c/publiek/members/")
    page.get_by_label(label(site._("Side"))).select_option("gemeente")
    expect(page).to_have_url(re.compile(r"\?side=gemeente$"))
    main = page.get_by_role("main")
    expect(main.get_by_text(world.gemeente_member.email)).to_be_visible()
    expect(main.get_by_text(world.initiatief_member.email)).to_have_count(0)
    check_a11y(page)
