"""Reads on the audit chain: published digests (public) and a tenant's entries (inspectors only)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from balai.core.tenants.models import Tenant

from .models import AuditDigest, AuditEntry


def latest_digests() -> list[AuditDigest]:
    """The latest published digest of the platform chain and of every active tenant (public)."""
    latest_day = AuditDigest.objects.filter(tenant=OuterRef("tenant")).order_by("-day").values("day")[:1]
    tenants = list(
        AuditDigest.objects.filter(tenant__isnull=False, tenant__is_active=True, day=Subquery(latest_day))
        .select_related("tenant")
        .order_by("tenant__code")
    )
    platform = AuditDigest.objects.filter(tenant=None).order_by("-day").first()
    return ([platform] if platform else []) + tenants


def tenant_digests(*, tenant: Tenant, limit: int = 30) -> list[AuditDigest]:
    """The tenant's most recent published digests, newest first (public)."""
    return list(AuditDigest.objects.filter(tenant=tenant).order_by("-day")[:limit])


def entry_list(*, tenant: Tenant, action: str | None = None) -> QuerySet[AuditEntry]:
    """The tenant's entries, newest first, optionally of one action. Not for public pages."""
    qs = AuditEntry.objects.filter(tenant=tenant).order_by("-seq")
    if action:
        qs = qs.filter(action=action)
    return qs


def entry_actions(*, tenant: Tenant) -> list[str]:
    return list(AuditEntry.objects.filter(tenant=tenant).order_by("action").values_list("action", flat=True).distinct())
