"""Startup registrations of the statistics area: the module's integrity checks and the scheduled
refresh of the monthly statistics. Called from PermitsConfig.ready():

    from . import stats_registry

    stats_registry.register()
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="balai.permits.stats_refresh_all_tenants")
def refresh_statistics() -> int:
    """Scheduled (beat): recompute the current month's statistics of every tenant with the module on."""
    from .services_stats import stats_refresh_all_tenants

    return stats_refresh_all_tenants()


def register() -> None:
    """Register the permits integrity checks with core.integrity (idempotent)."""
    from balai.core.integrity.registry import register_check

    from .integrity import CHECKS

    for check in CHECKS:
        register_check(check)
