"""Reads of the catalogue administration (tenant administrator's pages). Every read takes the tenant."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404

from balai.core.documents import selectors as document_selectors
from balai.core.tenants.models import Tenant
from balai.core.workflow import selectors as workflow_selectors
from balai.core.workflow.models import WorkflowDefinition

from .models import PermitType, PermitTypeVersion


def permit_type_versions(*, permit_type: PermitType) -> list[PermitTypeVersion]:
    """Every version of a type's requirements, newest first, with who made it and `application_count`
    (applications pinned to it)."""
    return list(
        PermitTypeVersion.objects.filter(tenant_id=permit_type.tenant_id, permit_type=permit_type)
        .select_related("created_by")
        .annotate(application_count=Count("applications"))
        .order_by("-number")
    )


def permit_type_version_get(*, permit_type: PermitType, number: int) -> PermitTypeVersion:
    """One version of a type (of the type's own tenant); 404 when missing."""
    found = (
        PermitTypeVersion.objects.filter(tenant_id=permit_type.tenant_id, permit_type=permit_type, number=number)
        .select_related("created_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class WorkflowInfo:
    code: str
    label: str
    current: WorkflowDefinition | None  # None: the module's default, not copied to this tenant yet

    @property
    def overridden(self) -> bool:
        return self.current is not None and self.current.source == WorkflowDefinition.Source.OVERRIDE


def workflow_info(*, tenant: Tenant, code: str) -> WorkflowInfo | None:
    """The tenant's current version of workflow `code` and whether the tenant overrides it (None: unknown)."""
    try:
        summary = workflow_selectors.definition_summary(tenant=tenant, code=code)
    except Http404:
        return None
    return WorkflowInfo(code=code, label=summary.label, current=summary.current)


def permit_template(*, tenant: Tenant, kind: str):
    """The tenant's current document template for the permit's kind, or None (the built-in one is used)."""
    return document_selectors.template_current(tenant=tenant, kind=kind)
