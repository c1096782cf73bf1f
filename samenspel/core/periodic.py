"""Periodic jobs without a hand-made cron: apps register their jobs here (in their
AppConfig.ready), and the worker (`manage.py worker`) enqueues each job once per period.
A row per job and period, under a unique constraint, makes sure that several workers
enqueue it once."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks.base import Task

from samenspel.core.models import PeriodicRun


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    # Every `minutes` minutes, or (minutes=0) daily from `hour` o'clock local time on.
    minutes: int = 0
    hour: int = 7

    def period(self, now: datetime) -> str | None:
        """The period `now` falls in, or None when the job is not due yet today."""
        local = timezone.localtime(now)
        if self.minutes:
            return str(int(now.timestamp()) // (self.minutes * 60))
        if local.hour < self.hour:
            return None
        return local.date().isoformat()


JOBS: dict[str, Job] = {}
KEEP_RUNS = timedelta(days=7)


def register(name: str, task: Task, *, minutes: int = 0, hour: int = 7) -> None:
    JOBS[name] = Job(name=name, task=task, minutes=minutes, hour=hour)


def enqueue_due_jobs(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose current period has not been enqueued yet."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS.values():
        period = job.period(now)
        if period is None:
            continue
        try:
            with transaction.atomic():
                PeriodicRun.objects.create(job=job.name, period=period, enqueued_at=now)
        except IntegrityError:
            continue  # another worker enqueued it for this period
        job.task.enqueue()
        enqueued.append(job.name)
    PeriodicRun.objects.filter(enqueued_at__lt=now - KEEP_RUNS).delete()
    return enqueued
