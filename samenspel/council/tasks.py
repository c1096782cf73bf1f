"""Background work of the council's route, run by the worker (core.periodic)."""

from django_tasks import task

from samenspel.council.reminders import remind_overdue_commitments


@task()
def commitment_reminders() -> int:
    return remind_overdue_commitments()
