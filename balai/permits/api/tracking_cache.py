"""A short-lived cache of the public tracking answer, so that the busiest public endpoint costs about
as much as a bare view.

The answer of `track/<number>/` (its rendered JSON) is kept per tenant and registration number for the tenant's day (the
SLA counts change with the date) and at most `SECONDS`. A new transition of the file deletes it when
its transaction commits (every change tracking shows, from a return to a revocation, is a transition).
With a per-process cache (locmem, several workers) another worker may answer from its own copy until
it expires: public tracking is then at most `SECONDS` behind. Misses (unknown numbers) are not kept.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

SECONDS = 60
PREFIX = "permits:api:track"


def normalise(number: str) -> str:
    return "".join((number or "").split()).upper()


def key(tenant_id: int, number: str) -> str:
    return f"{PREFIX}:{tenant_id}:{normalise(number)}"


def get(tenant_id: int, number: str, day: str) -> bytes | None:
    found = cache.get(key(tenant_id, number))
    if found and found.get("day") == day:
        return found["body"]
    return None


def put(tenant_id: int, number: str, day: str, body: bytes) -> None:
    cache.set(key(tenant_id, number), {"day": day, "body": body}, SECONDS)


def forget_instance(*, tenant_id: int, instance_id: int) -> None:
    from balai.permits.models import Application

    numbers = Application.objects.filter(tenant_id=tenant_id, workflow_id=instance_id).exclude(
        registration_number=""
    ).values_list("registration_number", flat=True)
    keys = [key(tenant_id, n) for n in numbers]
    if keys:
        cache.delete_many(keys)


def _on_transition(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    tenant_id, instance_id = instance.tenant_id, instance.instance_id
    transaction.on_commit(lambda: forget_instance(tenant_id=tenant_id, instance_id=instance_id))


def connect() -> None:
    from django.db.models.signals import post_save

    from balai.core.workflow.models import Transition

    post_save.connect(_on_transition, sender=Transition, dispatch_uid="permits_api_tracking_cache")
