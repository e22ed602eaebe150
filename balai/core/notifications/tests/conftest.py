import pytest

from balai import celery_app
from balai.core.notifications.channels import LoggingSimulatorAdapter


@pytest.fixture(autouse=True)
def _in_process_tasks():
    # The embedded tier's behaviour, even on a machine whose REDIS_URL would send tasks to a broker.
    # The app reads Django settings under the CELERY_ namespace, so the prefixed key is the one that counts.
    eager = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = eager


@pytest.fixture(autouse=True)
def sms_sent():
    LoggingSimulatorAdapter.clear()
    yield LoggingSimulatorAdapter.sent
    LoggingSimulatorAdapter.clear()
