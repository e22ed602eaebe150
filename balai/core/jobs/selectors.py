"""Reads on background jobs. A job is seen by the person who started it and by the tenant's administrators."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from balai.core.accounts.selectors import user_has_perm
from balai.core.tenants.models import Tenant

from .models import JobRun

ADMIN_PERM = "tenants.manage"


def job_list_for_viewer(*, tenant: Tenant, viewer) -> QuerySet[JobRun]:
    """The jobs the viewer may see in this tenant, newest first: their own, or all for an administrator."""
    rows = JobRun.objects.filter(tenant=tenant).select_related("started_by").order_by("-created_at", "-pk")
    if user_has_perm(user=viewer, tenant=tenant, perm=ADMIN_PERM):
        return rows
    return rows.filter(started_by=viewer)


def job_get_for_viewer(*, tenant: Tenant, viewer, pk: int) -> JobRun:
    """One job of this tenant the viewer may see; 404 for another tenant's, or for someone else's job."""
    job = job_list_for_viewer(tenant=tenant, viewer=viewer).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
