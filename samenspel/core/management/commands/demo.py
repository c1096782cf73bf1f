"""manage.py demo: (re)load the example community 'zwolle', built on the Zwolle CoP (2020–2021).

Each app adds its own part from its demo.py (see samenspel/core/demo.py), found through the
app registry, so this command knows no app above core. Everything it creates is example
content: the people are invented, and texts say so.
"""

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from samenspel.core.demo import DEMO_DOMAIN, DEMO_PASSWORD, DemoContext
from samenspel.core.discovery import app_modules


class Command(BaseCommand):
    help = "Load (or reload) the example community 'zwolle' with demo accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only load when the database has no communities yet.",
        )

    @transaction.atomic
    def handle(self, *args: object, if_empty: bool = False, **options: object) -> None:
        if if_empty and any(module.has_data() for module in app_modules("demo", hook="has_data")):
            self.stdout.write("The database has data already; the demo was not loaded.")
            return
        demo = DemoContext(stdout=self.stdout)
        # Top down: the apps above remove what protects the rows of the apps below.
        for module in reversed(app_modules("demo", hook="unload_demo")):
            module.unload_demo(demo)
        for module in app_modules("demo", hook="load_demo"):
            module.load_demo(demo)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the example community '{demo.slug}' with {len(demo.people)} members. "
                f"Demo accounts: *@{DEMO_DOMAIN}, password '{DEMO_PASSWORD}'."
            )
        )
