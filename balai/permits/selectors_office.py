"""Reads of the back office: the officer's inbox of permit files, a file's first-in-first-out position,
the verification checklist and the walk-in applicant search. Every read takes the tenant."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from balai.core.accounts.models import User
from balai.core.accounts.selectors import membership_for
from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for
from balai.core.workflow import selectors as workflow_selectors
from balai.core.workflow.models import WorkflowInstance

from . import requirements
from .models import Application, PermitType
from .selectors import applications_for_instances
from .workflow import ESCALATION_WORKFLOWS

PERMIT_WORKFLOWS = tuple(sorted(set(ESCALATION_WORKFLOWS.values())))
# The module's roles (its manifest in apps.py), in the order of the workflow.
PERMIT_ROLES = ("permits.frontdesk", "permits.verifier", "permits.inspector", "permits.approver", "permits.signer")


# The inspectorate reads permit files (an integrity finding points at them) but decides nothing.
INSPECTORATE_PERM = "integrity.view"


def holds_permits_role(*, tenant: Tenant, user) -> bool:
    """Whether `user` holds one of the permits module's roles (its manifest) in the tenant: who works on
    permit files in the back office."""
    return bool(officer_permit_roles(tenant=tenant, user=user))


def may_open_files(*, tenant: Tenant, user) -> bool:
    """Whether `user` may open the back office's permit files and download what they hold (identity
    cards, drawings, inspection photos, receipts): holders of a permits role, and the inspectorate
    (read-only). Officers of other modules may not, although they hold "dashboard.view"."""
    if holds_permits_role(tenant=tenant, user=user):
        return True
    membership = membership_for(user=user, tenant=tenant)
    return membership is not None and INSPECTORATE_PERM in membership.permissions


def officer_permit_roles(*, tenant: Tenant, user) -> list[str]:
    """The permits roles `user` holds in the tenant, in the order of the workflow."""
    membership = membership_for(user=user, tenant=tenant)
    held = set(membership.roles) if membership is not None else set()
    return [r for r in PERMIT_ROLES if r in held]


# The inbox's unit choice: "" the officer's own units (the default), ALL_UNITS every unit, or a unit's id.
ALL_UNITS = "all"


@dataclass(frozen=True)
class UnitScope:
    """Which units' files an inbox shows: one unit (`unit_id`), the officer's own units (`own_units`, with
    the units below them), or every unit (both empty)."""

    unit_id: int | None = None
    own_units: frozenset[int] = frozenset()

    @property
    def is_own(self) -> bool:
        return self.unit_id is None and bool(self.own_units)


def inbox_unit_scope(*, tenant: Tenant, user, choice: str | int | None = "") -> UnitScope:
    """The inbox's units from the officer's choice: by default his own units, those where he holds a post
    (own or acting) and the units below them, from the organisation structure; "all" every unit; a unit
    id that unit. An officer with no post in the structure sees every unit. Two queries at most."""
    if choice == ALL_UNITS:
        return UnitScope()
    if choice not in (None, ""):
        return UnitScope(unit_id=int(choice))
    from balai.core.orgs.selectors import units_of_user

    return UnitScope(own_units=frozenset(units_of_user(tenant=tenant, user=user)))


def office_inbox(
    *,
    tenant: Tenant,
    user,
    role: str | None = None,
    state: str | None = None,
    type_code: str | None = None,
    unit_id: int | None = None,
    own_units: Collection[int] = (),
    mine: bool = False,
) -> QuerySet[WorkflowInstance]:
    """The open permit files `user` can act on (assigned to them or to nobody), by due date then by when
    they entered their step (first in, first out). `role` narrows to one of the user's roles; `state`,
    `type_code` (the permit type's code, the instance's queue), `unit_id` and `mine` (assigned to me)
    filter. `own_units` (see `inbox_unit_scope`) keeps the files of those units and the files no unit
    holds (a type without a responsible unit), so that no file drops out of every inbox. The query is
    built in at most two queries, whatever the number of files."""
    rows = workflow_selectors.inbox(
        tenant=tenant, user=user, roles={role} if role else None, unit=None, state=state or None,
    ).filter(code__in=PERMIT_WORKFLOWS)
    if type_code:
        rows = rows.filter(queue=type_code)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    elif own_units:
        rows = rows.filter(Q(unit_id__in=sorted(own_units)) | Q(unit__isnull=True))
    if mine:
        rows = rows.filter(assignee=user)
    return rows


@dataclass(frozen=True)
class InboxItem:
    instance: WorkflowInstance
    application: Application | None
    state_label: str
    sla: object  # balai.core.workflow.clock.SlaStatus of the current step
    mine: bool


def inbox_items(*, tenant: Tenant, user, instances) -> list[InboxItem]:
    """One page of inbox rows with their applications (one query) and SLA status (no query)."""
    instances = list(instances)
    apps = applications_for_instances(tenant=tenant, instances=instances)
    calendar = calendar_for(tenant)
    today = calendar.today()
    items = []
    for instance in instances:
        instance.tenant = tenant
        definition = instance.definition.parsed
        items.append(
            InboxItem(
                instance=instance,
                application=apps.get(instance.pk),
                state_label=definition.states[instance.state].name,
                sla=workflow_selectors.sla_status(instance, calendar=calendar, today=today),
                mine=instance.assignee_id is not None and instance.assignee_id == user.pk,
            )
        )
    return items


def inbox_states() -> list[tuple[str, str]]:
    """The officer steps of the permit workflow, for the inbox's state filter."""
    from balai.core.workflow.definitions import label_text

    from .workflow import BASE, OFFICER_STEPS

    labels = {s["code"]: label_text(s["label"]) for s in BASE["states"]}
    return [(code, labels[code]) for code in ("submitted", *OFFICER_STEPS)]


def earlier_in_queue(*, instance: WorkflowInstance) -> int:
    """How many files of the same type entered the same step before this one and are still there: the
    engine's own first-in-first-out count (taking this file first then needs a reason code)."""
    return WorkflowInstance.objects.filter(
        tenant_id=instance.tenant_id, code=instance.code, queue=instance.queue, state=instance.state,
        state_entered_at__lt=instance.state_entered_at,
    ).count()


@dataclass(frozen=True)
class ChecklistRow:
    kind: str  # "field" | "document"
    code: str
    label: str
    value: str  # the answer as people read it (fields) or "" (documents)
    document: object  # the current ApplicationDocument, or None
    mandatory: bool

    @property
    def key(self) -> str:
        return f"{self.kind}__{self.code}"


def verification_checklist(*, application: Application, documents: list | None = None) -> list[ChecklistRow]:
    """One row per requirement of the pinned version: each form field with its answer, then each document
    with its current upload. `documents` may pass the current uploads already read."""
    from .selectors import application_documents

    version = application.type_version
    current = {d.requirement_code: d for d in (documents if documents is not None else application_documents(application=application))}
    rows = [
        ChecklistRow(
            "field", spec["code"], spec["label"], requirements.display_value(spec, application.form_data.get(spec["code"])),
            None, bool(spec.get("required")),
        )
        for spec in version.form_fields
    ]
    rows += [
        ChecklistRow("document", spec["code"], spec["label"], "", current.get(spec["code"]), bool(spec.get("mandatory")))
        for spec in version.documents
    ]
    return rows


def counter_types(*, tenant: Tenant) -> QuerySet[PermitType]:
    """The permit types the counter may enter (the published ones with requirements), by name."""
    return (
        PermitType.objects.filter(tenant=tenant, is_published=True, current_version__isnull=False)
        .select_related("current_version")
        .order_by("name")
    )


def citizen_find(*, query: str) -> User | None:
    """An existing account by exact NIK (16 digits) or exact e-mail address, or None. Accounts are
    platform-wide (a person may deal with several Pemda), so the search is exact: no browsing."""
    query = (query or "").strip()
    if not query:
        return None
    if query.isdigit():
        return User.objects.filter(nik=query, is_active=True).first() if len(query) == 16 else None
    if "@" in query:
        return User.objects.filter(email__iexact=query, is_active=True).first()
    return None


def counter_application_get(*, tenant: Tenant, pk: int) -> Application:
    """A counter (walk-in) application of the tenant; 404 for an online one, a foreign or a missing one."""
    from django.http import Http404

    found = (
        Application.objects.filter(tenant=tenant, pk=pk, channel=Application.Channel.COUNTER)
        .select_related("permit_type", "type_version", "workflow", "workflow__definition", "applicant", "entered_by")
        .first()
    )
    if found is None:
        raise Http404
    return found
