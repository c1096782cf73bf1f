"""manage.py seed_scale: synthetic data at national scale, for `make bench` and load checks.

Each app contributes its options, its clearing step and its seeding step from its own
scale.py (see samenspel/core/scale.py), found through the app registry, so this command
knows no app above core.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from samenspel.core.discovery import app_modules
from samenspel.core.scale import ScaleSeeder


class Command(BaseCommand):
    help = "Replace the synthetic national-scale data (communities scale-NNN, *@scale.example)."

    def add_arguments(self, parser: CommandParser) -> None:
        for module in app_modules("scale", hook="add_arguments"):
            module.add_arguments(parser)
        parser.add_argument("--seed", type=int, default=1, help="Random seed (1).")
        parser.add_argument("--clear", action="store_true", help="Only delete the synthetic data.")

    def handle(self, *args: object, **options: Any) -> None:
        if not options["clear"]:
            for module in app_modules("scale", hook="check_options"):
                module.check_options(options)
        started = time.monotonic()
        deleted: dict[str, int] = {}
        seeder = ScaleSeeder(options, stdout=self.stdout)
        with transaction.atomic():
            # The apps above first: their rows point at those of the apps below.
            for module in reversed(app_modules("scale", hook="clear_synthetic")):
                deleted.update(module.clear_synthetic())
            if not options["clear"]:
                for module in app_modules("scale", hook="seed"):
                    module.seed(seeder)
        removed = sum(n for label, n in deleted.items() if label.endswith((".User", ".Community")))
        summary = ", ".join(f"{n} {label}" for label, n in seeder.counts.items()) or "nothing"
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data: removed {removed} earlier communities and users, "
                f"created {summary} in {time.monotonic() - started:.1f} s."
            )
        )
