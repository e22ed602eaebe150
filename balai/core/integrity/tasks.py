"""Background tasks of the integrity engine. The schedule (balai.core.jobs) runs `run_scheduled_checks`."""

from celery import shared_task


@shared_task(name="balai.core.integrity.tasks.run_scheduled_checks", ignore_result=True)
def run_scheduled_checks() -> dict:
    """Run every registered check for every active tenant; returns a small summary for the worker log."""
    from .services import run_all_tenants

    runs = run_all_tenants()
    return {
        "tenants": len(runs),
        "new": sum(r.findings_new for r in runs),
        "failed_checks": sum(len(r.errors) for r in runs),
    }
