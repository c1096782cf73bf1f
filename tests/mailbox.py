"""Email in tests goes the way it goes in production: a change writes an EmailDelivery in
its transaction, the commit enqueues a task on the database queue, and a worker sends it.

A test runs inside a transaction that never commits, so `outbox()` does what the commit
and the worker would do: it runs the on-commit callbacks of the savepoints that were kept
(those of rolled-back savepoints are already gone), then lets a real `db_worker` take
every task that is due, and returns Django's locmem outbox."""

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from django.core import mail
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker


def run_on_commit(using: str = "default") -> None:
    connection = connections[using]
    while connection.run_on_commit:
        _savepoints, callback, _robust = connection.run_on_commit.pop(0)
        callback()


@contextmanager
def keep_test_connection() -> Iterator[None]:
    """Workers close stale database connections between tasks; in a test that connection
    holds the test's transaction, so (like Django's test client) it must stay open."""
    with (
        mock.patch("django.db.close_old_connections"),
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
    ):
        yield


def run_worker() -> None:
    """One batch of the database queue's own worker, in this process and transaction.
    (Like Django's test client, it must not close the test's connection between tasks.)"""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    with keep_test_connection():
        worker.run()


def outbox() -> list[mail.EmailMessage]:
    """Everything sent so far, after committing and working off the queue."""
    run_on_commit()
    run_worker()
    return mail.outbox


def clear_outbox() -> None:
    """Send what is due so far and forget it: a test then looks only at what follows."""
    outbox()
    mail.outbox.clear()
