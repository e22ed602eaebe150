"""Writes of the catalogue administration: thin wrappers over `services.permit_type_save`, so that each
page changes only its part of a permit type and keeps the rest as it is."""

from __future__ import annotations

from typing import Any

from .models import PermitType
from .services import permit_type_save

TYPE_ATTRS = (
    "code", "name", "description", "unit", "sla_days", "validity_months", "renewable", "renewal_window_days",
    "needs_appointment", "inspection", "inspection_rule", "needs_recommendation", "fiktif_positif", "escalation",
    "document_kind", "workflow_code", "is_published",
)


def permit_type_update(*, permit_type: PermitType, actor, note: str = "", **changes: Any) -> PermitType:
    """Save `permit_type` with `changes` (any keyword of `services.permit_type_save`), the rest unchanged.

    Guarantees those of `permit_type_save`: everything is checked again as a whole (a removed field still
    used by the fee or the inspection rule is refused); a change of form fields, documents or fee makes a
    new requirements version, while applications keep the version they pinned. Raises ValidationError
    keyed by parameter name.
    """
    current = permit_type.current_version
    kwargs: dict[str, Any] = {name: getattr(permit_type, name) for name in TYPE_ATTRS}
    kwargs.update(
        form_fields=list(current.form_fields) if current else [],
        documents=list(current.documents) if current else [],
        fee_model=current.fee_model if current else "none",
        fee_config=dict(current.fee_config) if current else {},
    )
    if "escalation" in changes and "workflow_code" not in changes:
        # A new escalation rule without a chosen workflow: the rule's own variant, as on creation.
        kwargs["workflow_code"] = None
    kwargs.update(changes)
    return permit_type_save(tenant=permit_type.tenant, actor=actor, permit_type=permit_type, note=note, **kwargs)
