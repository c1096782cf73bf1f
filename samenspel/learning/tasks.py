"""Background work of the loop: the daily reminders, run by the worker (core.periodic)."""

from django_tasks import task

from samenspel.learning.reminders import send_loop_reminders


@task()
def loop_reminders() -> int:
    return send_loop_reminders()
