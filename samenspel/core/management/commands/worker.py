"""The background worker: sends queued emails and runs the periodic jobs.

    manage.py worker            # run until stopped (production: one or more of these)
    manage.py worker --once     # enqueue due periodic jobs, work off the queue, exit

With the database queue (the default) it runs django-tasks-db's worker; with RQ (REDIS_URL
set) it runs the RQ worker with its scheduler for retries. Either way it enqueues the
periodic jobs (loop reminders, the email sweep, …) once per period: no cron is needed.
"""

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string

from samenspel.core.periodic import enqueue_due_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Send queued emails and run periodic jobs (loop reminders and others)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Work off what is due now, then exit."
        )

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        backend = str(settings.TASKS["default"]["BACKEND"])
        if backend.startswith("django_tasks_rq"):
            self.run_rq(once)
        else:
            self.run_database_queue(once)

    def run_database_queue(self, once: bool) -> None:
        from django.db import close_old_connections
        from django_tasks_db.management.commands.db_worker import Worker

        interval = settings.WORKER_INTERVAL
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write("Worker started (database queue).")
        while worker.running:
            close_old_connections()
            enqueue_due_jobs()
            worker.run()
            if once:
                return
            time.sleep(interval)

    def run_rq(self, once: bool) -> None:
        import django_rq

        enqueue_due_jobs()
        if not once:

            def schedule() -> None:
                while True:
                    time.sleep(max(settings.WORKER_INTERVAL, 30))
                    try:
                        enqueue_due_jobs()
                    except Exception:
                        logger.exception("Could not enqueue the periodic jobs")

            threading.Thread(target=schedule, daemon=True).start()
        self.stdout.write("Worker started (RQ).")
        worker = django_rq.get_worker("default")
        worker.work(burst=once, with_scheduler=True)
