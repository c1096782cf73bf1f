"""Browser tests: Playwright drives Debian's chromium against pytest-django's live_server.

Every page a test opens is checked with axe-core (see e2e/helpers.py: `visit`, `check_a11y`).
"""

import os

# Playwright's sync API runs an event loop in the test thread, so Django would refuse the
# test's own ORM calls (factories, assertions) as "async unsafe". Browser tests only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest
from playwright.sync_api import expect

from e2e.helpers import Site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    """Debian's chromium, never a downloaded one (`playwright install` is not used)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def _quick_expectations():  # type: ignore[no-untyped-def]
    # live_server answers within milliseconds; a failing expectation need not wait 5 s.
    expect.set_options(timeout=4000)


@pytest.fixture(params=["nl", "en"])
def site(request, live_server) -> Site:  # type: ignore[no-untyped-def]
    """The live server in each interface language: a test using it runs once per language."""
    return Site(base_url=live_server.url, language=request.param)
