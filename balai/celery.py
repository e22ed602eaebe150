"""The Celery application: background and scheduled work.

Configured from Django settings under the `CELERY_` prefix (see the `# --- jobs ---` block of
settings.py). With a broker (`BALAI_BROKER_URL`, else `REDIS_URL`) tasks go to a queue that
`celery -A balai worker` consumes and `celery -A balai beat` feeds on schedule; without one (the
embedded tier) `CELERY_TASK_ALWAYS_EAGER` runs every task in-process, at the point it is queued,
so the demo needs nothing else running.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balai.settings")

app = Celery("balai")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Finds `tasks.py` in every installed app once Django's app registry is ready.
app.autodiscover_tasks()
