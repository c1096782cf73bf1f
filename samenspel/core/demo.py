"""What the demo command (manage.py demo) hands to each app's demo.py, and the demo accounts'
shared constants.

An app takes part in the demo by having a `demo.py` with

    def load_demo(demo: DemoContext) -> None: ...      # add its example content
    def unload_demo(demo: DemoContext) -> None: ...    # optional: remove it again

The command calls every `unload_demo` in reverse INSTALLED_APPS order (so the apps above
remove what would protect the rows below), then every `load_demo` in INSTALLED_APPS order,
all in one transaction. Apps without a demo.py are skipped.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import OutputWrapper

# The example community every app adds to.
DEMO_SLUG = "zwolle"
# Every demo account has this password; the README says so.
DEMO_PASSWORD = "samenspel-demo"
DEMO_DOMAIN = "example.org"


def demo_email(name: str) -> str:
    """The email address of the demo account called `name` (steward, gemeente, admin, …)."""
    return f"{name}@{DEMO_DOMAIN}"


@dataclass
class DemoContext:
    """Passed along the apps in order; each app reads what the ones below it made."""

    stdout: OutputWrapper
    slug: str = DEMO_SLUG
    # The example Community; set by communities.demo (None while unloading).
    community: Any = None
    # The community's demo members (Users) by their email name: "steward", "gemeente", …
    people: dict[str, Any] = field(default_factory=dict)
