"""Keeps each submitted file's public tracking facts (`Application.tracking_facts`) up to date.

Public tracking is the busiest public page: people look their file up again and again, and bots try
numbers. Instead of reading the workflow history on every look-up, the facts tracking shows are
written inside every transition of the file's workflow (`on_workflow_change`, registered with the
engine), in the same transaction, so a look-up reads one row and computes only today's SLA.

Files that were never published (rows written before this existed, or by a bulk import) are published
on their first look-up (`tracking_facts_of`) or all at once by `manage.py permits_tracking_publish`.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from balai.core.tenants.models import Tenant
from balai.core.workflow.models import Transition, WorkflowInstance

from . import selectors, tracking_cache
from .models import Application

_RELATED = ("permit_type", "permit_type__unit", "workflow", "workflow__definition", "permit_document", "tenant")


def tracking_publish(*, application: Application) -> dict:
    """Write the file's current public facts (an unsubmitted draft has none) and return them."""
    if application.workflow_id is None or not application.registration_number:
        return {}
    facts = selectors.tracking_facts(application=application)
    Application.objects.filter(pk=application.pk, tenant_id=application.tenant_id).update(tracking_facts=facts)
    application.tracking_facts = facts
    return facts


def on_workflow_change(*, instance: WorkflowInstance) -> None:
    """The workflow engine's `on_change` for the permit workflows (inside the transition)."""
    application = (
        Application.objects.filter(tenant_id=instance.tenant_id, workflow_id=instance.pk).select_related(*_RELATED).first()
    )
    if application is not None:
        application.workflow = instance
        tracking_publish(application=application)
        tracking_cache.forget_on_commit(tenant_id=application.tenant_id, number=application.registration_number)


def tracking_publish_all(*, tenant: Tenant, only_missing: bool = True, batch: int = 500) -> int:
    """Publish the facts of the tenant's submitted files (those never published, unless `only_missing`
    is False); returns how many. Idempotent; each batch is one transaction of three queries."""
    rows = Application.objects.filter(tenant=tenant, workflow__isnull=False).exclude(registration_number="")
    if only_missing:
        rows = rows.filter(tracking_facts={})
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            applications = list(
                Application.objects.filter(tenant=tenant, pk__in=ids[start : start + batch]).select_related(*_RELATED)
            )
            history: dict[int, list[Transition]] = defaultdict(list)
            for row in Transition.objects.filter(
                tenant=tenant, instance_id__in=[a.workflow_id for a in applications]
            ).order_by("instance_id", "seq"):
                history[row.instance_id].append(row)
            for application in applications:
                application.tracking_facts = selectors.tracking_facts(
                    application=application, transitions=history[application.workflow_id]
                )
            Application.objects.bulk_update(applications, ["tracking_facts"])
    return len(ids)
