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


# --- what a permit type may run on and issue --------------------------------------------------------


def permit_workflow_choices() -> list[tuple[str, str]]:
    """The permits workflow variants a type may run on (code, name), one per escalation rule
    (workflow.ESCALATION_WORKFLOWS). A tenant's own version of a variant (its override in the
    workflow administration) applies by itself to every type on that code."""
    from balai.core.workflow.definitions import label_text, registered_workflows

    from .workflow import ESCALATION_WORKFLOWS

    registered = registered_workflows()
    codes = [code for code in dict.fromkeys(ESCALATION_WORKFLOWS.values()) if code in registered]
    return [(code, label_text(registered[code].data.get("label")) or code) for code in codes]


def workflow_escalation(code: str) -> str | None:
    """The escalation rule (PermitType.Escalation) a permits workflow variant carries out on SLA breach."""
    from .workflow import ESCALATION_WORKFLOWS

    return {workflow: rule for rule, workflow in ESCALATION_WORKFLOWS.items()}.get(code)


def permit_document_kind_choices() -> list[tuple[str, str]]:
    """The document kinds a permit may be issued as (code, name): the permits kinds the documents
    registry knows, except the payment receipt. Each has its tenant template in the documents pages."""
    from balai.core.documents.kinds import kinds

    from .models import RECEIPT_DOCUMENT_KIND

    return [(k.code, k.name) for k in kinds() if k.code.startswith("permits.") and k.code != RECEIPT_DOCUMENT_KIND]

