"""Helpers for the browser tests: every page visit is followed by an axe-core check."""

import re
from dataclasses import dataclass
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import Page, expect

from samenspel.accounts.models import User
from tests.mailbox import outbox

# axe impacts that fail a test; "moderate" and "minor" are reported by axe but allowed.
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


def axe_report(violations: list[dict]) -> str:
    """The violations as text a developer can act on: rule, help, and every failing node."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"  - {target}: {node['html'][:200]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"    {summary}")
    return "\n".join(lines)


def check_a11y(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    violations = _axe.run(page).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe found problems on {page.url}:\n{axe_report(blocking)}"


def visit(page: Page, url: str, *, status: int = 200) -> None:
    """Open a page, check the status it answered with, and check its accessibility."""
    response = page.goto(url)
    assert response is not None, url
    assert response.status == status, f"{url} answered {response.status}, expected {status}"
    check_a11y(page)


def assert_no_horizontal_scrolling(page: Page) -> None:
    """The document is no wider than the window: nothing makes the page scroll sideways."""
    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"{page.url} scrolls sideways: {widths}"


def log_in(page: Page, base_url: str, user: User) -> None:
    """Log the browser in without the form (the form has its own journey): reuse a session."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def link_in_last_email(to: str, path_pattern: str) -> str:
    """The first link in the newest email to `to` whose path matches `path_pattern`."""
    messages = [m for m in outbox() if to in m.to]
    assert messages, f"no email to {to}; outbox: {[m.to for m in outbox()]}"
    match = re.search(rf"https?://\S+?{path_pattern}", messages[-1].body)
    assert match, f"no link matching {path_pattern} in:\n{messages[-1].body}"
    return match.group(0)


def label(text: str) -> re.Pattern[str]:
    """A form label as Django renders it: the text, then an optional colon."""
    return re.compile(rf"^\s*{re.escape(text)}:?\s*$")


@dataclass
class Site:
    """The live server seen in one interface language."""

    base_url: str
    language: str

    def url(self, path: str) -> str:
        prefix = "" if self.language == settings.LANGUAGE_CODE else f"/{self.language}"
        return f"{self.base_url}{prefix}{path}"

    def _(self, message: str) -> str:
        """A message as this language shows it (the catalogues decide, as on the page)."""
        with translation.override(self.language):
            return translation.gettext(message)

    def visit(self, page: Page, path: str, *, status: int = 200) -> None:
        visit(page, self.url(path), status=status)
        expect(page.locator("html")).to_have_attribute("lang", self.language)


def tr(site: Site, message: Any) -> str:
    """A message, or a model's choice label, as the page shows it in this language; in
    Dutch it must be translated (English on a Dutch page is a missing translation, not a
    pass)."""

    def text() -> str:
        return translation.gettext(message) if isinstance(message, str) else str(message)

    with translation.override(site.language):
        shown = text()
    with translation.override("en"):
        english = text()
    if site.language == "nl":
        assert shown != english, f"no Dutch for {english!r}"
    return shown


# Steps of the group's practice that more than one journey takes.


def open_invitation(page: Page, site: Site, title: str) -> None:
    """From the member's messages, open the invitation to the session called `title`."""
    site.visit(page, "/accounts/inbox/")
    invitation = site._("Invitation: %(title)s on %(date)s") % {"title": title, "date": ""}
    page.get_by_role("link", name=invitation.rstrip()).first.click()
    expect(page.get_by_role("heading", level=2)).to_have_text(title)
    check_a11y(page)


def write_round(page: Page, site: Site, number: int, notes: str) -> None:
    """On a peer consultation's page: write down what round `number` brought, and save."""
    round_ = page.locator(f"#round-{number}")
    round_.get_by_label(label(site._("What was said"))).fill(notes)
    round_.get_by_role("button", name=site._("Save this round")).click()
    expect(page.locator(f"#round-{number} .ss-story")).to_contain_text(notes)


def answer_pulse(page: Page, site: Site, session_title: str, score: str) -> None:
    """On a session's page after it: open the pulse, give each question `score`, send it
    (back on the session's page)."""
    page.locator("#pulse-link a").click()
    check_a11y(page)
    for question in ("trust", "understanding", "usefulness"):
        page.locator(f"#id_{question}").get_by_label(score, exact=True).check()
    page.get_by_role("button", name=site._("Send without my name")).click()
    expect(page.get_by_role("heading", level=2)).to_have_text(session_title)
