"""The same delivery through RQ on Redis, as installations with several servers run it
(REDIS_URL set). This machine kind, like production, has Redis at 127.0.0.1:6379."""

import os

import pytest
from django.core import mail

from samenspel.core.models import DeliveryStatus, EmailDelivery
from samenspel.core.notifications import notify
from tests.mailbox import run_on_commit

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def rq_queue(settings):
    import django_rq
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}; the RQ backend needs it")
    # The "default" queue, in a Redis database of its own (15), emptied before and after.
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


def test_an_email_goes_through_rq(world, rq_queue):
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    notify(
        [world.gemeente_member],
        subject=lambda: "Via Redis",
        template="learning/email/new_signal.txt",
        context={"signal": None, "event": None, "url": "/"},
        community=world.public,
    )
    run_on_commit()
    assert rq_queue.count == 1
    SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job).work(burst=True)
    assert [m.subject for m in mail.outbox] == ["Via Redis"]
    assert EmailDelivery.objects.get().status == DeliveryStatus.SENT
