"""Remind whoever must act next on signals that wait in one stage too long (see
learning/reminders.py). The worker runs this daily as a periodic job; the command is for
running it by hand."""

from typing import Any

from django.core.management.base import BaseCommand

from samenspel.learning.reminders import send_loop_reminders


class Command(BaseCommand):
    help = "Remind whoever must act next on signals that wait in one stage too long."

    def handle(self, *args: Any, **options: Any) -> None:
        count = send_loop_reminders()
        self.stdout.write(f"{count} signal(s) reminded.")
