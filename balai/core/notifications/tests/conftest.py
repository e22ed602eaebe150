import pytest

from balai import celery_app
from balai.core.notifications.channels import LoggingSimulatorAdapter


@pytest.fixture(autouse=True)
def _in_process_tasks():
    # The embedded tier's behaviour, even on a machine whose REDIS_URL would send tasks to a broker.
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def sms_sent():
    LoggingSimulatorAdapter.clear()
    yield LoggingSimulatorAdapter.sent
    LoggingSimulatorAdapter.clear()
