"""Background work of the group's practice, run by the worker (core.periodic)."""

from django_tasks import task

from samenspel.practice.reminders import (
    ask_what_visits_taught,
    remind_overdue_action_points,
    remind_sessions_of_tomorrow,
)


@task()
def session_reminders() -> int:
    return remind_sessions_of_tomorrow()


@task()
def action_point_reminders() -> int:
    return remind_overdue_action_points()


@task()
def visit_follow_ups() -> int:
    return ask_what_visits_taught()
