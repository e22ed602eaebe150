"""Writes of the workflow engine. The only way a case changes state in Balai.

- `instance_start` puts a module's case object on its workflow (the tenant's current version, pinned).
- `transition` moves it: checks, locks, records the history row, the audit entry and the notifications.
- `instance_assign` / `assign_balanced` hand a file to an officer; `escalate_due` acts on late files.
- `definition_current` / `definition_override` manage a tenant's versions of a definition.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from balai.core.accounts.models import Membership, User
from balai.core.audit.services import audit_record, audit_refusal_soon
from balai.core.tenants.models import Tenant
from balai.core.workdays.selectors import calendar_for

from . import clock
from .definitions import (
    OWNER,
    PSEUDO_ROLES,
    SYSTEM,
    UNIT_HEAD,
    Action,
    Definition,
    DefinitionInvalid,
    definition_validate,
    digest_of,
    effect,
    guard,
    registered_workflows,
)
from .invariants import invariant_errors
from .models import AssignmentLog, EscalationLog, Transition, WorkflowDefinition, WorkflowInstance

logger = logging.getLogger("balai.workflow")

TENANT_ADMIN_ROLE = "core.tenant_admin"
MAX_COMMENT = 4000
MAX_DOCUMENTS = 50


class WorkflowError(Exception):
    """A refused workflow operation; `message` says what is missing and what to do, `code` is stable."""

    code = "workflow"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class TransitionDenied(WorkflowError):
    """A transition that may not happen. `audited` tells whether the refusal is on the audit chain yet
    (False when `transition` ran inside the caller's transaction: it is then recorded if that commits)."""

    code = "denied"
    audited = False


class AssignmentRefused(WorkflowError):
    code = "assignment"


# --- small helpers -----------------------------------------------------------------------------------


def _label(user) -> str:
    if user is None:
        return _("Sistem")
    name = getattr(user, "full_name", "") or ""
    return (name or getattr(user, "email", "") or str(user))[:200]


def _roles_of(*, tenant: Tenant, user) -> set[str]:
    """The actor's roles in the tenant, read fresh (not from a request cache): the system holds "system"."""
    if user is None:
        return {SYSTEM}
    if not getattr(user, "is_active", False):
        return set()
    roles = (
        Membership.objects.filter(tenant=tenant, user=user, is_active=True).values_list("roles", flat=True).first()
    )
    return set(roles or [])


def holders_of(*, tenant: Tenant, roles: Iterable[str]) -> list[User]:
    """Active users holding any of `roles` (real role codes) in the tenant, by id."""
    wanted = {r for r in roles if r not in PSEUDO_ROLES}
    if not wanted:
        return []
    # Text match on the JSON list narrows the rows on every database; the exact test is done here.
    query = Q()
    for role in wanted:
        query |= Q(roles__icontains=f'"{role}"')
    rows = (
        Membership.objects.filter(query, tenant=tenant, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    )
    return [m.user for m in rows if wanted & set(m.roles)]


def _notify(*, tenant: Tenant, recipients: Iterable, template: str, context: dict, actor=None) -> None:
    """Queue notifications in the caller's transaction (sent after commit by the notifications app).

    A no-op when the notifications app offers no `notify` (so the engine works without it)."""
    seen: set[int] = set()
    people = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        people.append(user)
    if not people:
        return
    try:
        from balai.core.notifications.services import notify
    except ImportError:
        return
    notify(tenant=tenant, recipients=people, template=template, context=context, actor=actor)


def _context(instance: WorkflowInstance, definition: Definition, **extra) -> dict[str, Any]:
    """The context of the workflow notification templates (see balai.core.notifications.defaults)."""
    from django.utils import formats

    registered = registered_workflows().get(instance.code)
    link = ""
    if registered is not None and registered.subject_url is not None:
        link = registered.subject_url(instance)
    return {
        "reference": instance.title,
        "case_title": definition.name,
        "state_to": definition.states[instance.state].name,
        "state": instance.state,
        "workflow": definition.code,
        "instance_id": instance.pk,
        "due_date": formats.date_format(instance.due_date, "j F Y") if instance.due_date else "",
        "link": link,
        **extra,
    }


# --- definitions -------------------------------------------------------------------------------------


def definition_current(*, tenant: Tenant, code: str) -> WorkflowDefinition:
    """The version new instances of `code` start on in this tenant.

    Guarantees: a tenant override stays current until replaced; a tenant without an override runs the
    module's current default, copied as a new version when first used or when the module changed it.
    Raises LookupError for a workflow no module registered, DefinitionInvalid when the default fails the
    full check (unknown roles, guards or effects).
    """
    registered = registered_workflows().get(code)
    active = WorkflowDefinition.objects.filter(tenant=tenant, code=code, is_active=True).first()
    if active is not None and (
        active.source == WorkflowDefinition.Source.OVERRIDE or registered is None or active.digest == registered.digest
    ):
        return active
    if registered is None:
        raise LookupError(f"No workflow {code!r} is registered.")
    errors = definition_validate(registered.data)
    if errors:
        raise DefinitionInvalid(errors)
    try:
        with transaction.atomic():
            return _definition_add(
                tenant=tenant, code=code, data=registered.data, source=WorkflowDefinition.Source.DEFAULT, actor=None,
                note=_("Bawaan modul"),
            )
    except IntegrityError:
        # Someone else copied it at the same moment; theirs is as good.
        return WorkflowDefinition.objects.get(tenant=tenant, code=code, is_active=True)


def _definition_add(*, tenant, code, data, source, actor, note) -> WorkflowDefinition:
    rows = WorkflowDefinition.objects.select_for_update().filter(tenant=tenant, code=code)
    latest = rows.order_by("-version").values_list("version", flat=True).first() or 0
    rows.filter(is_active=True).update(is_active=False)
    row = WorkflowDefinition.objects.create(
        tenant=tenant, code=code, version=latest + 1, definition=data, digest=digest_of(data), source=source,
        is_active=True, note=note[:300], created_by=actor,
    )
    audit_record(
        tenant=tenant, actor=actor, action="workflow.definition_version", obj=row,
        data={"code": code, "version": row.version, "source": source, "digest": row.digest},
    )
    return row


@transaction.atomic
def definition_override(*, tenant: Tenant, code: str, data: Any, actor, note: str = "") -> WorkflowDefinition:
    """Save `data` as the tenant's new current version of workflow `code`.

    Guarantees: the data passed the full validator and keeps the invariants the module registered with
    its workflow (a required guard, a separation of duties: DefinitionInvalid lists every problem
    otherwise, nothing saved); running instances keep the version they started on; the change is audited. Saving the module's own
    default marks the version as "default", so later module updates reach this tenant again.
    """
    registered = registered_workflows().get(code)
    if registered is None:
        raise DefinitionInvalid([_("Tidak ada modul yang memakai alur \"%(code)s\".") % {"code": code}])
    errors = definition_validate(data, expected_code=code)
    if not errors:
        errors = invariant_errors(registered.invariants, data)
    if errors:
        raise DefinitionInvalid(errors)
    source = (
        WorkflowDefinition.Source.DEFAULT if digest_of(data) == registered.digest else WorkflowDefinition.Source.OVERRIDE
    )
    return _definition_add(tenant=tenant, code=code, data=data, source=source, actor=actor, note=note)


# --- instances ---------------------------------------------------------------------------------------


def _set_clock_and_due(
    instance: WorkflowInstance, definition: Definition, calendar, *, at: datetime, action: str | None = None
) -> None:
    """The clock and due date on entering the current state (by `action`; None at the start).

    A file whose clock waits for one of its `clock_starts_on` actions keeps it stopped until that
    action; then the clock starts, even if the state entered pauses or stops it at once (recorded as a
    period of no length, so that `sla_started_at` and the pauses after it are true)."""
    if not instance.clock_waiting or action in instance.clock_starts_on:
        starts_now = instance.clock_waiting
        instance.clock_intervals = clock.enter_clock(
            instance.clock_intervals, definition.states[instance.state].clock, at
        )
        if starts_now and not clock.is_running(instance.clock_intervals):
            instance.clock_intervals = clock.started_and_held(instance.clock_intervals, at)
        if instance.sla_started_at is None and (starts_now or clock.is_running(instance.clock_intervals)):
            instance.sla_started_at = at
    instance.due_date, instance.due_sla_days = clock.due(
        calendar, definition, state=instance.state, entered_at=instance.state_entered_at,
        raw=instance.clock_intervals, sla_days=instance.sla_days,
    )


@transaction.atomic
def instance_start(
    *,
    tenant: Tenant,
    code: str,
    subject: models.Model,
    actor,
    owner=None,
    unit=None,
    queue: str = "",
    sla_days: int | None = None,
    title: str | None = None,
    clock_starts_on: Sequence[str] = (),
) -> WorkflowInstance:
    """Put `subject` (a module's saved case object) on the tenant's current version of workflow `code`.

    Guarantees: the instance pins that version; it starts in the start state with the clock that state
    declares; `sla_days` (else the definition's) is the file's SLA; one instance per subject and workflow
    (IntegrityError otherwise); the start is audited. With `clock_starts_on` (action codes), the file's
    clock stays stopped until one of those actions is performed (SLA counted "from when the documents
    are complete"); codes the pinned version does not have are dropped, and with none left the clock
    runs as the states declare.
    """
    if subject.pk is None:
        raise ValueError("Save the subject before starting its workflow.")
    if getattr(subject, "tenant_id", tenant.pk) != tenant.pk or (unit is not None and unit.tenant_id != tenant.pk):
        raise ValueError("The subject and the unit must belong to the instance's tenant.")
    row = definition_current(tenant=tenant, code=code)
    definition = row.parsed
    at = clock.now()
    instance = WorkflowInstance(
        tenant=tenant,
        definition=row,
        code=code,
        queue=queue,
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        title=(title or str(subject))[:200],
        state=definition.start.code,
        owner=owner,
        unit=unit,
        sla_days=sla_days if sla_days is not None else definition.sla_days,
        clock_starts_on=[a for a in dict.fromkeys(clock_starts_on) if a in definition.actions],
        state_entered_at=at,
        created_at=at,
        updated_at=at,
    )
    _set_clock_and_due(instance, definition, calendar_for(tenant), at=at)
    instance.save()
    audit_record(
        tenant=tenant, actor=actor, action="workflow.instance_start", obj=instance,
        data={
            "code": code, "version": row.version, "state": instance.state,
            "subject": f"{subject._meta.label_lower}:{subject.pk}", "clock_starts_on": instance.clock_starts_on,
        },
    )
    if definition.start.assign in ("balanced", "previous"):
        _auto_assign(instance, definition, actor=actor, at=at)
    _changed(instance)
    return instance


# --- transitions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    """What `check_action` found: None when allowed, else the refusal."""

    denied: TransitionDenied | None
    via: str = ""  # "role", "owner" or "system"


def check_action(
    *,
    instance: WorkflowInstance,
    definition: Definition,
    action: Action,
    actor,
    roles: set[str],
    inputs: bool = True,
    comment: str = "",
    documents: Sequence = (),
    reason_code: str = "",
    data: dict | None = None,
) -> _Check:
    """Whether `actor` (holding `roles` in the tenant) may perform `action` on `instance` now.

    With `inputs=False` the comment, documents and reason code are not checked (for listing actions).
    Used by `transition` under the row lock and by the selectors for what to offer.
    """

    def deny(code: str, message: str) -> _Check:
        return _Check(TransitionDenied(message, code=code))

    state = definition.states[instance.state]
    if state.terminal:
        return deny(
            "terminal",
            _("Berkas sudah selesai dengan status «%(state)s»; tidak ada aksi lagi.") % {"state": state.name},
        )
    if instance.state not in action.sources:
        return deny(
            "state",
            _("«%(action)s» tidak dapat dilakukan karena berkas sekarang berstatus «%(state)s». Muat ulang halaman untuk melihat aksi yang tersedia.")
            % {"action": action.name, "state": state.name},
        )
    via = ""
    if actor is None:
        if SYSTEM in action.roles:
            via = "system"
    else:
        if set(action.real_roles) & roles:
            via = "role"
        elif OWNER in action.roles and instance.owner_id is not None and instance.owner_id == actor.pk:
            via = "owner"
    if not via:
        return deny(
            "role",
            _("Anda tidak memegang peran yang boleh melakukan «%(action)s» pada berkas ini. Minta petugas yang berwenang.")
            % {"action": action.name},
        )
    if via == "role":
        if action.assignee_only and instance.assignee_id is None:
            return deny(
                "unassigned",
                _("«%(action)s» hanya boleh dilakukan petugas yang ditugaskan, dan berkas ini belum ditugaskan. Tugaskan dulu.")
                % {"action": action.name},
            )
        if instance.assignee_id is not None and instance.assignee_id != actor.pk:
            return deny(
                "assignee",
                _("Berkas ini ditugaskan kepada %(name)s; hanya petugas itu yang dapat melakukan «%(action)s». Minta penugasan ulang bila perlu.")
                % {"name": _label(instance.assignee), "action": action.name},
            )
    if action.forbid_same_actor_as and actor is not None:
        done = (
            Transition.objects.filter(
                tenant_id=instance.tenant_id, instance=instance, actor=actor, action__in=action.forbid_same_actor_as
            )
            .values_list("action", flat=True)
            .first()
        )
        if done:
            other = definition.actions[done].name if done in definition.actions else done
            return deny(
                "separation",
                _("Anda sudah melakukan «%(other)s» pada berkas ini, jadi tidak boleh juga melakukan «%(action)s» (pemisahan tugas). Serahkan kepada petugas lain.")
                % {"other": other, "action": action.name},
            )
    if inputs:
        if "comment" in action.requires and not (comment or "").strip():
            return deny(
                "comment",
                _("Tulis catatan untuk «%(action)s»: jelaskan alasannya agar pemohon dan petugas berikutnya mengerti.")
                % {"action": action.name},
            )
        if "documents" in action.requires and not documents:
            return deny("documents", _("Lampirkan dokumen untuk «%(action)s».") % {"action": action.name})
        if "reason_code" in action.requires and not (reason_code or "").strip():
            return deny("reason_code", _("Pilih kode alasan untuk «%(action)s».") % {"action": action.name})
        if action.fifo and not (reason_code or "").strip():
            earlier = WorkflowInstance.objects.filter(
                tenant_id=instance.tenant_id, code=instance.code, queue=instance.queue, state=instance.state,
                state_entered_at__lt=instance.state_entered_at,
            ).count()
            if earlier:
                return deny(
                    "fifo",
                    _("Ada %(n)s berkas lebih awal di antrean yang sama yang belum diproses. Proses berkas itu dulu, atau isi kode alasan untuk mendahulukan berkas ini.")
                    % {"n": earlier},
                )
    for name in action.guards:
        message = guard(name)(instance=instance, action=action, actor=actor, data=data or {})
        if message:
            return deny("guard", str(message))
    return _Check(None, via)


def _document_refs(tenant: Tenant, documents: Sequence) -> list[str]:
    from balai.core.files.models import StoredFile

    refs = []
    for doc in documents:
        if isinstance(doc, StoredFile):
            if doc.tenant_id != tenant.pk:
                raise TransitionDenied(_("Dokumen yang dilampirkan bukan milik Pemda ini."), code="documents")
            refs.append(str(doc.public_id))
        elif isinstance(doc, uuid.UUID | str) and str(doc).strip():
            refs.append(str(doc).strip()[:200])
        else:
            raise TransitionDenied(_("Lampiran dokumen tidak dikenali."), code="documents")
    if len(refs) > MAX_DOCUMENTS:
        raise TransitionDenied(
            _("Paling banyak %(n)s dokumen per langkah.") % {"n": MAX_DOCUMENTS}, code="documents"
        )
    return refs


def _copy_into(target: WorkflowInstance, source: WorkflowInstance) -> None:
    for f in WorkflowInstance._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    for cached in ("assignee", "owner", "definition"):
        if WorkflowInstance._meta.get_field(cached).is_cached(source):
            setattr(target, cached, getattr(source, cached))


def transition(
    *,
    instance: WorkflowInstance,
    action: str,
    actor,
    comment: str = "",
    documents: Sequence = (),
    data: dict | None = None,
    reason_code: str = "",
    expected_version: int | None = None,
    request=None,
) -> Transition:
    """Perform `action` on `instance` as `actor` (None: the system) and return the history row.

    Guarantees, in one transaction with the instance row locked: the action leaves the current state;
    the actor holds one of its roles in the instance's tenant (or is the owner for "owner", or is the
    system for "system"); an assigned file is acted on only by its assignee; segregation of duties,
    comment/documents/reason-code requirements, first-in-first-out and the module's guards hold; then
    the state, the SLA clock (paused, resumed), the due date and the assignee change, one `Transition`
    row with the next seq is written, the module's effects run, the audit entry is appended and the
    notifications are queued to go out after commit. `expected_version` (what the form showed) refuses
    a stale attempt. Any refusal raises TransitionDenied with a message saying what is missing; when
    called outside a transaction, the refusal is first committed to the audit chain.
    `instance` is updated in place.
    """
    try:
        with transaction.atomic():
            return _transition(
                instance=instance, action=action, actor=actor, comment=comment, documents=documents,
                data=data, reason_code=reason_code, expected_version=expected_version, request=request,
            )
    except TransitionDenied as denied:
        _audit_refusal(denied, instance=instance, action=action, actor=actor, request=request)
        raise


def _audit_refusal(denied: TransitionDenied, *, instance, action, actor, request) -> None:
    kwargs = dict(
        tenant=instance.tenant, actor=actor, action="workflow.transition_refused", obj=instance,
        data={"code": instance.code, "action": str(action)[:60], "state": instance.state, "reason": denied.code},
        request=request,
    )
    denied.audited = audit_refusal_soon(**kwargs)


def _transition(
    *, instance, action, actor, comment, documents, data, reason_code, expected_version, request
) -> Transition:
    locked = (
        WorkflowInstance.objects.select_for_update(of=("self",))
        .select_related("definition")
        .get(pk=instance.pk, tenant_id=instance.tenant_id)
    )
    tenant = instance.tenant
    definition = locked.definition.parsed
    if expected_version is not None and locked.version != expected_version:
        raise TransitionDenied(
            _("Berkas ini sudah berubah sejak halaman dibuka (oleh orang lain atau di tab lain). Muat ulang halaman lalu coba lagi."),
            code="stale",
        )
    act = definition.actions.get(action)
    if act is None:
        raise TransitionDenied(
            _("Aksi «%(action)s» tidak ada di alur ini.") % {"action": action}, code="unknown_action"
        )
    comment = (comment or "").strip()[:MAX_COMMENT]
    refs = _document_refs(tenant, documents)
    reason_code = (reason_code or "").strip()[:60]
    checked = check_action(
        instance=locked, definition=definition, action=act, actor=actor,
        roles=_roles_of(tenant=tenant, user=actor), comment=comment, documents=refs, reason_code=reason_code,
        data=data,
    )
    if checked.denied is not None:
        raise checked.denied

    at = clock.now()
    calendar = calendar_for(tenant)
    leaving = definition.states[locked.state]
    file_left = clock.file_remaining(calendar, locked.clock_intervals, locked.sla_days, at) if locked.sla_days is not None else None
    step_left = clock.step_remaining(calendar, locked.state_entered_at, leaving.sla_days, at)
    target = definition.states[act.target]
    from_state = locked.state
    seq = locked.state_entered_seq + 1

    locked.state = target.code
    locked.is_terminal = target.terminal
    locked.state_entered_at = at
    locked.state_entered_seq = seq
    locked.closed_at = at if target.terminal else None
    locked.version += 1
    locked.updated_at = at
    previous_assignee = locked.assignee
    if target.assign != "keep" or target.terminal:
        locked.assignee, locked.assigned_at = None, None
    _set_clock_and_due(locked, definition, calendar, at=at, action=act.code)
    locked.save(
        update_fields=[
            "state", "is_terminal", "state_entered_at", "state_entered_seq", "closed_at", "version", "updated_at",
            "assignee", "assigned_at", "clock_intervals", "sla_started_at", "due_date", "due_sla_days",
        ]
    )
    row = Transition.objects.create(
        tenant=tenant, instance=locked, seq=seq, action=act.code, from_state=from_state, to_state=target.code,
        actor=actor, actor_label=_label(actor), at=at, comment=comment, documents=refs, data=data or {},
        reason_code=reason_code, sla_remaining_days=file_left, step_remaining_days=step_left,
    )
    if not target.terminal and target.assign in ("balanced", "previous"):
        _auto_assign(locked, definition, actor=actor, at=at, previous=previous_assignee)
    for name in act.effects:
        effect(name)(instance=locked, transition=row, actor=actor, data=data or {})
    audit_record(
        tenant=tenant, actor=actor, action="workflow.transition", obj=locked,
        before={"state": from_state}, after={"state": target.code},
        data={
            "code": locked.code, "version": locked.definition.version, "action": act.code, "from": from_state,
            "to": target.code, "seq": seq, "reason_code": reason_code, "documents": len(refs),
            "sla_remaining_days": file_left,
        },
        request=request,
    )
    _notify(
        tenant=tenant, recipients=_recipients(locked, act.notify), template="workflow.transition",
        context=_context(
            locked, definition, action=act.code, action_label=act.name, state_from=leaving.name,
            actor_name=_label(actor), comment=comment,
        ),
        actor=actor,
    )
    _changed(locked)
    _copy_into(instance, locked)
    return row


def _changed(instance: WorkflowInstance) -> None:
    registered = registered_workflows().get(instance.code)
    if registered is not None and registered.on_change is not None:
        registered.on_change(instance=instance)


def _recipients(instance: WorkflowInstance, who: Iterable[str]) -> list:
    found, roles = [], []
    for item in who:
        if item == "owner":
            found.append(instance.owner)
        elif item == "assignee":
            found.append(instance.assignee)
        else:
            roles.append(item)
    if roles:
        found += holders_of(tenant=instance.tenant, roles=roles)
    return found


# --- assignment --------------------------------------------------------------------------------------


def _workloads(*, tenant: Tenant, user_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        WorkflowInstance.objects.filter(tenant=tenant, is_terminal=False, assignee_id__in=list(user_ids))
        .values("assignee_id")
        .annotate(n=Count("id"))
    )
    return {r["assignee_id"]: r["n"] for r in rows}


def _pick(*, tenant: Tenant, roles: Iterable[str], unit=None, exclude: set[int] = frozenset(), strict_unit=True):
    candidates = [u for u in holders_of(tenant=tenant, roles=roles) if u.pk not in exclude]
    if unit is not None:
        from balai.core.orgs.selectors import unit_user_ids

        in_unit = unit_user_ids(tenant=tenant, unit=unit, on=calendar_for(tenant).today(), with_sub_units=False)
        narrowed = [u for u in candidates if u.pk in in_unit]
        candidates = narrowed if (narrowed or strict_unit) else candidates
    if not candidates:
        return None
    load = _workloads(tenant=tenant, user_ids=[u.pk for u in candidates])
    return min(candidates, key=lambda u: (load.get(u.pk, 0), u.pk))


def _write_assignment(instance, *, to_user, actor, reason, automatic, at) -> AssignmentLog:
    from_user = instance.assignee
    instance.assignee, instance.assigned_at = to_user, (at if to_user else None)
    instance.version += 1
    instance.updated_at = at
    instance.save(update_fields=["assignee", "assigned_at", "version", "updated_at"])
    log = AssignmentLog.objects.create(
        tenant_id=instance.tenant_id, instance=instance, state=instance.state, from_user=from_user, to_user=to_user,
        reason=reason[:300], automatic=automatic, actor=actor, actor_label=_label(actor), at=at,
    )
    audit_record(
        tenant=instance.tenant, actor=actor,
        action="workflow.reassign" if from_user is not None else "workflow.assign", obj=instance,
        data={
            "state": instance.state, "from_user": from_user.pk if from_user else None,
            "to_user": to_user.pk if to_user else None, "reason": reason[:200], "automatic": automatic,
        },
    )
    definition = instance.definition.parsed
    _notify(
        tenant=instance.tenant, recipients=[to_user], template="workflow.assigned",
        context=_context(instance, definition, reason=reason[:200]), actor=actor,
    )
    return log


def _auto_assign(instance, definition: Definition, *, actor, at, previous=None) -> None:
    state = definition.states[instance.state]
    roles = definition.state_roles(state.code)
    chosen = None
    if state.assign == "previous":
        last = (
            Transition.objects.filter(
                tenant_id=instance.tenant_id, instance=instance, from_state=state.code, actor__isnull=False
            )
            .order_by("-seq")
            .values_list("actor_id", flat=True)
            .first()
        )
        if last is not None:
            chosen = next((u for u in holders_of(tenant=instance.tenant, roles=roles) if u.pk == last), None)
    if chosen is None:
        chosen = _pick(tenant=instance.tenant, roles=roles, unit=instance.unit, strict_unit=False)
    if chosen is not None and chosen.pk != instance.assignee_id:
        _write_assignment(
            instance, to_user=chosen, actor=actor, reason=_("Penugasan otomatis"), automatic=True, at=at
        )


def may_assign(instance: WorkflowInstance, definition: Definition, actor) -> bool:
    """Whether `actor` (None: the system) may hand the file out: a holder of a role that acts in its current
    state, or the tenant's administrator."""
    if actor is None:
        return True
    roles = _roles_of(tenant=instance.tenant, user=actor)
    return bool(roles & (definition.state_roles(instance.state) | {TENANT_ADMIN_ROLE}))


@transaction.atomic
def instance_assign(*, instance: WorkflowInstance, assignee, actor, reason: str = "") -> WorkflowInstance:
    """Give the file to `assignee` (None: back to the shared inbox), recording who, when and why.

    Guarantees: the assignee holds a role that can act in the file's current state in this tenant; the
    actor holds one of those roles or administers the tenant; taking a file from someone (reassignment
    or release) needs a reason; the change is logged, audited and the new assignee notified after
    commit. Assigning the current assignee again changes nothing. Raises AssignmentRefused.
    """
    locked = (
        WorkflowInstance.objects.select_for_update(of=("self",))
        .select_related("definition", "assignee")
        .get(pk=instance.pk, tenant_id=instance.tenant_id)
    )
    definition = locked.definition.parsed
    if locked.is_terminal:
        raise AssignmentRefused(_("Berkas sudah selesai; tidak dapat ditugaskan lagi."))
    if not may_assign(locked, definition, actor):
        raise AssignmentRefused(_("Anda tidak berwenang menugaskan berkas ini."), code="forbidden")
    new_id = assignee.pk if assignee is not None else None
    if new_id == locked.assignee_id:
        _copy_into(instance, locked)
        return instance
    if assignee is not None:
        roles = definition.state_roles(locked.state)
        if not (_roles_of(tenant=locked.tenant, user=assignee) & roles):
            raise AssignmentRefused(
                _("%(name)s tidak memegang peran yang dapat memproses berkas pada status «%(state)s» di Pemda ini.")
                % {"name": _label(assignee), "state": definition.states[locked.state].name},
                code="assignee_role",
            )
    reason = (reason or "").strip()
    if locked.assignee_id is not None and not reason:
        raise AssignmentRefused(
            _("Tulis alasan penugasan ulang: berkas ini sedang dipegang %(name)s.") % {"name": _label(locked.assignee)},
            code="reason",
        )
    _write_assignment(locked, to_user=assignee, actor=actor, reason=reason, automatic=False, at=clock.now())
    _copy_into(instance, locked)
    return instance


@transaction.atomic
def assign_balanced(
    *, instance: WorkflowInstance, role: str | None = None, unit=None, actor=None, reason: str = ""
) -> User | None:
    """Assign the file to the holder of `role` (default: the roles that can act in its state) with the
    fewest open assigned files, within `unit` when given (its current staff, from the organisation
    structure). Returns the chosen user, or None when nobody qualifies (the file stays as it was)."""
    locked = (
        WorkflowInstance.objects.select_for_update(of=("self",))
        .select_related("definition", "assignee")
        .get(pk=instance.pk, tenant_id=instance.tenant_id)
    )
    definition = locked.definition.parsed
    roles = [role] if role else sorted(definition.state_roles(locked.state))
    chosen = _pick(tenant=locked.tenant, roles=roles, unit=unit)
    if chosen is None or chosen.pk == locked.assignee_id:
        _copy_into(instance, locked)
        return chosen
    _write_assignment(
        locked, to_user=chosen, actor=actor, reason=reason or _("Penugasan berimbang beban kerja"),
        automatic=actor is None, at=clock.now(),
    )
    _copy_into(instance, locked)
    return chosen


# --- escalation --------------------------------------------------------------------------------------


def escalate_due(*, tenant: Tenant | None = None, now: datetime | None = None) -> list[EscalationLog]:
    """Run the escalation rules on files past their due date (all active tenants when `tenant` is None).

    A rule on the "step" basis counts from the file's due date (the earlier of the step's SLA and the
    file's); a rule on the "file" basis only from the file's own SLA on its clock (never while the clock
    is paused or stopped, never for a file without an SLA), however late the step is: a step breach alone
    never triggers it. Guarantees: a rule fires at most once per visit of a state (a unique row claims it), each file in
    its own transaction, so one failure (logged) does not stop the others; each firing is audited. Idempotent:
    running it again the same day does nothing more. Returns the escalations that fired.
    """
    at = now or clock.now()
    tenants = [tenant] if tenant is not None else list(Tenant.objects.filter(is_active=True))
    fired: list[EscalationLog] = []
    for current in tenants:
        calendar = calendar_for(current)
        today = calendar.local_date(at)
        late = list(
            WorkflowInstance.objects.filter(tenant=current, is_terminal=False, due_date__lt=today)
            .select_related("definition")
            .order_by("due_date", "pk")
        )
        done = set(
            EscalationLog.objects.filter(
                tenant=current, instance__is_terminal=False, instance__due_date__lt=today
            ).values_list("instance_id", "rule", "entered_seq")
        )
        for instance in late:
            definition = instance.definition.parsed
            days_late = {
                "step": calendar.working_days_between(instance.due_date, today),
                "file": clock.file_days_late(calendar, instance.clock_intervals, instance.sla_days, today),
            }
            for rule in definition.escalations_for(instance.state):
                late_by = days_late.get(rule.basis)
                if late_by is None or late_by <= rule.after_days:
                    continue
                if (instance.pk, rule.code, instance.state_entered_seq) in done:
                    continue
                try:
                    log = _escalate(instance, rule, at=at)
                except Exception:
                    # One file's broken module hook must not stop the other files' escalations.
                    logger.exception("escalation %s failed for workflow instance %s", rule.code, instance.pk)
                    continue
                if log is not None:
                    fired.append(log)
    return fired


def unit_head_of(instance: WorkflowInstance) -> tuple[list[User], str]:
    """Who the escalation recipient "unit_head" is for this file, and how to name them in the log: the head
    of the file's unit (organisation structure, today), else the head of the nearest unit above it that has
    one with an active account, else the tenant's administrators (a file without a unit goes to them)."""
    from balai.core.orgs.selectors import unit_head_upward

    tenant = instance.tenant
    if instance.unit_id is not None:
        found = unit_head_upward(tenant=tenant, unit=instance.unit, on=calendar_for(tenant).today())
        if found is not None:
            unit_name, user = found
            return [user], _("kepala %(unit)s (%(name)s)") % {"unit": unit_name, "name": _label(user)}
    return holders_of(tenant=tenant, roles=[TENANT_ADMIN_ROLE]), _("administrator Pemda (tidak ada kepala unit)")


def _escalate(instance: WorkflowInstance, rule, *, at) -> EscalationLog | None:
    with transaction.atomic():
        locked = (
            WorkflowInstance.objects.select_for_update(of=("self",))
            .select_related("definition", "assignee")
            .get(pk=instance.pk, tenant_id=instance.tenant_id)
        )
        if locked.state != rule.state or locked.state_entered_seq != instance.state_entered_seq:
            return None
        try:
            with transaction.atomic():
                log = EscalationLog.objects.create(
                    tenant_id=locked.tenant_id, instance=locked, rule=rule.code, state=locked.state,
                    entered_seq=locked.state_entered_seq, do=rule.do, fired_at=at,
                )
        except IntegrityError:
            return None
        definition = locked.definition.parsed
        outcome = ""
        if rule.do == "notify":
            roles = [r for r in rule.notify_roles if r != UNIT_HEAD]
            recipients = holders_of(tenant=locked.tenant, roles=roles) + [locked.assignee]
            named = list(roles)
            if UNIT_HEAD in rule.notify_roles:
                heads, whom = unit_head_of(locked)
                recipients += heads
                named.append(whom)
            _notify(
                tenant=locked.tenant, recipients=recipients, template="workflow.escalated",
                context=_context(locked, definition, rule=rule.code, state_from=""),
            )
            outcome = _("Diberitahukan kepada %(roles)s.") % {"roles": ", ".join(named)}
        elif rule.do == "reassign":
            exclude = {locked.assignee_id} if locked.assignee_id else set()
            chosen = _pick(
                tenant=locked.tenant, roles=definition.state_roles(locked.state), unit=locked.unit, exclude=exclude,
                strict_unit=False,
            )
            if chosen is None:
                outcome = _("Tidak ada petugas lain untuk menerima berkas.")
            else:
                _write_assignment(
                    locked, to_user=chosen, actor=None, reason=_("Eskalasi: tenggat terlewati"), automatic=True, at=at
                )
                outcome = _("Dialihkan kepada %(name)s.") % {"name": _label(chosen)}
        elif rule.do == "auto_action":
            try:
                row = transition(
                    instance=locked, action=rule.action, actor=None,
                    comment=_("Otomatis: tenggat terlewati (%(rule)s).") % {"rule": rule.code},
                )
            except TransitionDenied as denied:
                outcome = denied.message
            else:
                outcome = _("Aksi otomatis %(action)s (langkah %(seq)s).") % {"action": rule.action, "seq": row.seq}
        log.outcome = outcome[:300]
        log.save(update_fields=["outcome"])
        audit_record(
            tenant=locked.tenant, actor=None, action="workflow.escalate", obj=locked,
            data={"rule": rule.code, "do": rule.do, "state": rule.state, "outcome": log.outcome},
        )
        return log
