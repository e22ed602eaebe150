"""Reads of Perizinan Online. Every read takes the tenant (or an object already fetched through one);
a foreign tenant's object is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404

from balai.core.tenants.models import Tenant
from balai.core.workflow import selectors as workflow_selectors
from balai.core.workflow.definitions import label_text

from .models import Application, ApplicationDocument, CorrectionRequest, Inspection, PermitType

_APP_RELATED = ("permit_type", "type_version", "workflow", "workflow__definition", "bill", "permit_document", "applicant")


# --- catalogue ---------------------------------------------------------------------------------------


def permit_types_public(*, tenant: Tenant) -> QuerySet[PermitType]:
    """The tenant's published permit types with their current requirements, by name."""
    return (
        PermitType.objects.filter(tenant=tenant, is_published=True, current_version__isnull=False)
        .select_related("current_version", "unit")
        .order_by("name")
    )


def permit_type_list(*, tenant: Tenant) -> QuerySet[PermitType]:
    """Every permit type of the tenant (administration), by name."""
    return PermitType.objects.filter(tenant=tenant).select_related("current_version", "unit").order_by("name")


def permit_type_get(*, tenant: Tenant, pk: int | None = None, code: str | None = None, public: bool = False) -> PermitType:
    """One permit type by pk or code; 404 when missing, foreign, or (with `public`) unpublished."""
    rows = PermitType.objects.filter(tenant=tenant).select_related("current_version", "unit")
    if public:
        rows = rows.filter(is_published=True, current_version__isnull=False)
    if pk is not None:
        found = rows.filter(pk=pk).first()
    elif code is not None:
        found = rows.filter(code=code).first()
    else:
        found = None
    if found is None:
        raise Http404
    return found


# --- applications ------------------------------------------------------------------------------------


def application_get(*, tenant: Tenant, pk: int) -> Application:
    """One of the tenant's applications (officers' pages); 404 when missing or foreign."""
    found = Application.objects.filter(tenant=tenant, pk=pk).select_related(*_APP_RELATED).first()
    if found is None:
        raise Http404
    return found


def application_for_applicant(*, tenant: Tenant, user, pk: int) -> Application:
    """One of `user`'s own applications in the tenant; 404 for anyone else's (same as missing)."""
    if user is None or not user.is_authenticated:
        raise Http404
    found = Application.objects.filter(tenant=tenant, pk=pk, applicant=user).select_related(*_APP_RELATED).first()
    if found is None:
        raise Http404
    return found


def applications_of_applicant(*, tenant: Tenant, user) -> QuerySet[Application]:
    """`user`'s applications in the tenant, newest first (drafts included)."""
    return (
        Application.objects.filter(tenant=tenant, applicant=user)
        .select_related("permit_type", "workflow", "workflow__definition", "bill", "permit_document")
        .order_by("-created_at")
    )


def application_by_registration_number(*, tenant: Tenant, number: str) -> Application | None:
    """The submitted application with this registration number in the tenant (public tracking), or None."""
    number = (number or "").strip().upper()
    if not number:
        return None
    return (
        Application.objects.filter(tenant=tenant, registration_number=number)
        .select_related("permit_type", "workflow", "workflow__definition", "permit_document")
        .first()
    )


def application_for_workflow(*, tenant: Tenant, instance) -> Application | None:
    """The application behind a workflow instance (for inbox rows)."""
    return Application.objects.filter(tenant=tenant, workflow=instance).select_related(*_APP_RELATED).first()


def office_inbox(*, tenant: Tenant, user, state: str | None = None, permit_type: PermitType | None = None, order: str = "due"):
    """The permit files `user` can act on now (by role, assigned to them or to nobody), by due date, then
    first in first out: the workflow engine's inbox narrowed to the permit workflows (every escalation
    variant) and optionally to a state or a permit type. Pair the rows with `applications_for_instances`."""
    from .workflow import ESCALATION_WORKFLOWS

    rows = workflow_selectors.inbox(
        tenant=tenant, user=user, state=state, queue=permit_type.code if permit_type is not None else None, order=order
    )
    return rows.filter(code__in=sorted(set(ESCALATION_WORKFLOWS.values())))


def applications_for_instances(*, tenant: Tenant, instances) -> dict[int, Application]:
    """Applications keyed by their workflow instance id, in one query (for inbox pages)."""
    ids = [i.pk for i in instances]
    rows = Application.objects.filter(tenant=tenant, workflow_id__in=ids).select_related("permit_type")
    return {row.workflow_id: row for row in rows}


def application_documents(*, application: Application, include_superseded: bool = False) -> list[ApplicationDocument]:
    """The application's uploaded files (current ones only unless asked), by requirement and time."""
    rows = ApplicationDocument.objects.filter(tenant_id=application.tenant_id, application=application)
    if not include_superseded:
        rows = rows.filter(status=ApplicationDocument.Status.CURRENT)
    return list(rows.select_related("file").order_by("requirement_code", "uploaded_at"))


def correction_open(*, application: Application) -> CorrectionRequest | None:
    """The unresolved correction request of a returned file (what the applicant may change), or None."""
    return (
        CorrectionRequest.objects.filter(tenant_id=application.tenant_id, application=application, resolved_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def inspections_of(*, application: Application) -> list[Inspection]:
    return list(
        Inspection.objects.filter(tenant_id=application.tenant_id, application=application)
        .prefetch_related("photos__file")
        .order_by("recorded_at")
    )


@dataclass(frozen=True)
class RequirementStatus:
    spec: dict
    document: ApplicationDocument | None

    @property
    def missing(self) -> bool:
        return bool(self.spec.get("mandatory")) and self.document is None


def requirement_statuses(*, application: Application) -> list[RequirementStatus]:
    """Each documentary requirement of the pinned version with its current upload (or None)."""
    current = {d.requirement_code: d for d in application_documents(application=application)}
    return [RequirementStatus(spec, current.get(spec["code"])) for spec in application.type_version.documents]


# --- tracking ----------------------------------------------------------------------------------------

OWNER_ACTIONS = frozenset({"submit", "resubmit", "withdraw"})
SYSTEM_ACTIONS = frozenset({"receive", "paid", "no_fee", "deem_approved", "deem_approved_final", "revoke"})


@dataclass(frozen=True)
class TrackingStep:
    at: datetime
    state: str
    label: str  # the state entered, e.g. "Verifikasi"
    action_label: str
    by: str  # "Pemohon", "Sistem" or the office (never an officer's name on public pages)
    note: str  # the officer's note: shown to the applicant only (empty on public pages)
    paused: bool  # the SLA clock stood still after this step (file with the applicant)
    sla_remaining_days: int | None


@dataclass(frozen=True)
class Tracking:
    registration_number: str
    permit_type: str
    state: str
    state_label: str
    is_paused: bool
    is_closed: bool
    submitted_at: datetime | None
    sla_days: int | None
    sla_remaining_days: int | None  # working days left on the file's SLA (negative when late)
    sla_colour: str  # "green" | "yellow" | "red" | "grey" (paused or stopped)
    due_date: date | None
    elapsed_days: int
    paused_days: int
    steps: list[TrackingStep]
    valid_until: date | None
    document_code: str  # the permit's verification code (for /verify/<code>/) once issued
    # The file's SLA clock has not started: its type counts it from when the verifier declares the file
    # complete, which has not happened yet (sla_remaining_days is then the whole SLA, unused).
    clock_not_started: bool = False
    # The field visit's date while the file waits for it: {"date": "2026-03-12", "from": "09:00" | "",
    # "to": "12:00" | ""} (never the officer), else None.
    inspection: dict | None = None


# The facts of a file that its tracking shows, kept as JSON on the application (`tracking_facts`) and
# rewritten inside every transition of its workflow (services.tracking_publish): public look-ups read
# one row and compute today's SLA from them without the history. Labels are kept as the definition
# states them (text or {"id": ..., "en": ...}) and put in the reader's language when read.
FACTS_VERSION = 1


def tracking_facts(*, application: Application, for_owner: bool = False, transitions: list | None = None) -> dict:
    """What the tracking of a submitted file shows, JSON-safe, as of its last transition (one query for
    the history). Public facts (the default) name the office and the role that acted, never an
    officer, and carry no notes; with `for_owner` the officers' notes are included. `transitions`
    (the file's history by seq) saves the query when fetched for many files at once."""
    from balai.core.documents.masking import mask_name
    from balai.core.workflow.models import Transition

    instance = application.workflow
    definition = instance.definition.parsed
    office = application.permit_type.unit.name if application.permit_type.unit_id else application.tenant.name
    steps = []
    if transitions is None:
        transitions = Transition.objects.filter(tenant_id=instance.tenant_id, instance=instance).order_by("seq")
    for row in transitions:
        if row.action in OWNER_ACTIONS:
            by = "applicant"
        elif row.action in SYSTEM_ACTIONS or not row.actor_label or row.actor_label == "Sistem":
            by = "system"
        else:
            by = "office"
        entered = definition.states.get(row.to_state)
        action = definition.actions.get(row.action)
        steps.append({
            "at": row.at.isoformat(), "state": row.to_state,
            "label": entered.label if entered else row.to_state, "action": action.label if action else row.action,
            "by": by, "note": row.comment if for_owner else "",
            "paused": bool(entered and entered.clock == "paused"), "left": row.sla_remaining_days,
        })
    state = definition.states[instance.state]
    return {
        "v": FACTS_VERSION,
        "number": application.registration_number,
        "type": application.permit_type.name,
        "office": office,
        "applicant": mask_name(application.applicant_name),
        "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
        "state": instance.state,
        "state_label": state.label,
        "state_clock": state.clock,
        "clock_waiting": instance.clock_waiting,
        "closed": instance.is_terminal or instance.state == "issued",
        "sla_days": instance.sla_days,
        "intervals": instance.clock_intervals,
        "steps": steps,
        "valid_until": application.valid_until.isoformat() if application.valid_until else None,
        "document_code": application.permit_document.code if application.permit_document_id else "",
        "inspection": _inspection_fact(application) if instance.state == "inspection" else None,
    }


def _inspection_fact(application: Application) -> dict | None:
    from .appointments.selectors_file import inspection_public_fact

    fact = inspection_public_fact(application)
    return None if fact is None else {k: fact[k] for k in ("date", "from", "to")}


def tracking_from_facts(facts: dict, *, calendar, now: datetime) -> Tracking:
    """The tracking as of `now` from stored facts (no query): today's SLA from the clock intervals."""
    from django.utils.translation import gettext

    by_label = {"applicant": gettext("Pemohon"), "system": gettext("Sistem"), "office": facts["office"]}
    steps = [
        TrackingStep(
            at=datetime.fromisoformat(step["at"]), state=step["state"], label=label_text(step["label"]),
            action_label=label_text(step["action"]), by=by_label[step["by"]], note=step["note"],
            paused=step["paused"], sla_remaining_days=step["left"],
        )
        for step in facts["steps"]
    ]
    status, elapsed, paused_days = workflow_selectors.file_clock(
        calendar=calendar, raw=facts["intervals"], sla_days=facts["sla_days"], state_clock=facts["state_clock"],
        at=now,
    )
    return Tracking(
        registration_number=facts["number"],
        permit_type=facts["type"],
        state=facts["state"],
        state_label=label_text(facts["state_label"]),
        is_paused=facts["state_clock"] == "paused",
        is_closed=facts["closed"],
        submitted_at=datetime.fromisoformat(facts["submitted_at"]) if facts["submitted_at"] else None,
        sla_days=facts["sla_days"],
        sla_remaining_days=status.remaining,
        sla_colour=status.colour,
        due_date=status.due_date,
        elapsed_days=elapsed,
        paused_days=paused_days,
        steps=steps,
        valid_until=date.fromisoformat(facts["valid_until"]) if facts["valid_until"] else None,
        document_code=facts["document_code"],
        clock_not_started=bool(facts.get("clock_waiting")) and not facts["closed"],
        inspection=facts.get("inspection"),
    )


def tracking_timeline(*, application: Application, for_owner: bool = False, now: datetime | None = None) -> Tracking:
    """The file's timeline with its SLA in working days, computed from its workflow history now.

    Public pages show the office and the role that acted, never an officer's name, and no notes; with
    `for_owner` the officers' notes (the reason of a return or a rejection) are included.
    """
    from balai.core.workdays.selectors import calendar_for
    from balai.core.workflow import clock

    if application.workflow_id is None:
        return Tracking(
            registration_number=application.registration_number, permit_type=application.permit_type.name,
            state="draft", state_label="Draf", is_paused=False, is_closed=False, submitted_at=None,
            sla_days=application.permit_type.sla_days, sla_remaining_days=application.permit_type.sla_days,
            sla_colour="grey", due_date=None, elapsed_days=0, paused_days=0, steps=[], valid_until=None,
            document_code="",
        )
    facts = tracking_facts(application=application, for_owner=for_owner)
    return tracking_from_facts(facts, calendar=calendar_for(application.tenant), now=now or clock.now())
