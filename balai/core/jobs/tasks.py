"""Celery tasks of the jobs app: scheduled work of apps that ship no task of their own (see
CELERY_BEAT_SCHEDULE in settings; integrity's nightly checks are its own task) and an example job.

The scheduled tasks call their app's service, imported when they run, so that the schedule can name
work whose app is still being written; until the service exists the task logs that and does nothing.
If the owning app ships its own task under the same name, the first one Celery registers wins
(apps are discovered in INSTALLED_APPS order, so the owning app's).
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
import time
from typing import Any

from celery import shared_task

from .services import job_progress, job_task

logger = logging.getLogger("balai.jobs")

# schedule entry's task name -> the service it runs
SCHEDULED_SERVICES = {
    "balai.core.workflow.tasks.escalate_due": "balai.core.workflow.services.escalate_due",
    "balai.core.audit.tasks.digest_all_tenants": "balai.core.audit.services.digest_all_tenants",
}


def _service(path: str):
    module_name, attribute = path.rsplit(".", 1)
    if importlib.util.find_spec(module_name) is None:
        return None
    return getattr(importlib.import_module(module_name), attribute, None)


def run_scheduled(task_name: str) -> dict[str, Any]:
    """Run the service behind a schedule entry: once, or once per active tenant if it requires a `tenant`."""
    path = SCHEDULED_SERVICES[task_name]
    service = _service(path)
    if service is None:
        logger.info("scheduled %s skipped: %s does not exist yet", task_name, path)
        return {"skipped": path}
    tenant_parameter = inspect.signature(service).parameters.get("tenant")
    if tenant_parameter is not None and tenant_parameter.default is inspect.Parameter.empty:
        from balai.core.tenants.models import Tenant

        count = 0
        for tenant in Tenant.objects.filter(is_active=True).order_by("code"):
            try:
                service(tenant=tenant)
                count += 1
            except Exception:
                # One tenant's broken data must not stop the others' escalations or checks.
                logger.exception("scheduled %s failed for tenant %s", task_name, tenant.slug)
        return {"tenants": count}
    outcome = service()
    return {"ran": path, "count": len(outcome) if isinstance(outcome, list | tuple) else None}


@shared_task(name="balai.core.workflow.tasks.escalate_due", ignore_result=True)
def workflow_escalate_due():
    """Every 15 minutes: act on workflow instances whose SLA is breached (escalation rules)."""
    return run_scheduled("balai.core.workflow.tasks.escalate_due")


@shared_task(name="balai.core.audit.tasks.digest_all_tenants", ignore_result=True)
def audit_digest_all_tenants():
    """Daily at 00:15: publish yesterday's head hash of every audit chain."""
    return run_scheduled("balai.core.audit.tasks.digest_all_tenants")


EXAMPLE_TASK = "balai.core.jobs.tasks.example_count"
MAX_EXAMPLE_DELAY = 2.0


@job_task(EXAMPLE_TASK)
def example_count(job, *, steps: int = 10, delay: float = 0.0, fail_at: int | None = None):
    """An example long job, and the one the tests run: counts `steps`, reporting progress at each.

    `delay` (seconds, at most 2) waits at each step so a person can watch the bar move; `fail_at`
    makes it fail at that step, to show a failed job.
    """
    steps = max(0, min(int(steps), 10_000))
    for i in range(1, steps + 1):
        if fail_at is not None and i == fail_at:
            raise RuntimeError(f"example job told to fail at step {i}")
        if delay:
            time.sleep(min(float(delay), MAX_EXAMPLE_DELAY))
        job_progress(job.pk, done=i, total=steps, message=f"Langkah {i} dari {steps}")
    return {"summary": f"{steps} langkah selesai", "count": steps}
