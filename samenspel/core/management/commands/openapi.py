"""Write the API's OpenAPI document, as served at /api/v1/openapi.json, to a file or stdout."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from samenspel.api import api


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1 (for the ADR linter in `make lint`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("output", nargs="?", help="File to write; stdout without it.")

    def handle(self, *args: Any, output: str | None = None, **options: Any) -> None:
        document = json.dumps(api.get_openapi_schema(), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            self.stdout.write(document, ending="")
            return
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document, encoding="utf-8")
        self.stdout.write(f"Wrote {path}")
