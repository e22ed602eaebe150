"""Workflow data: a tenant's definition versions, the running instances, and their history.

Only `services.py` writes these tables. A module's case object (a permit application, a grant proposal,
a monthly report) holds a OneToOne/FK to its `WorkflowInstance` and reads the state from it.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned

from .definitions import Definition, parse

_PARSED: dict[str, Definition] = {}


class WorkflowDefinition(TenantOwned):
    """One version of a tenant's definition of a workflow. Instances pin the version they started on.

    Version 1 is the module's default, copied on first use; a tenant override is a new version. At most
    one version per tenant and code is active (the one new instances start on); older ones stay for the
    instances pinned to them.
    """

    class Source(models.TextChoices):
        DEFAULT = "default", _("Bawaan modul")
        OVERRIDE = "override", _("Diubah Pemda")

    code = models.CharField(_("kode alur"), max_length=80)
    version = models.PositiveIntegerField(_("versi"))
    definition = models.JSONField(_("definisi"))
    digest = models.CharField(max_length=64)
    source = models.CharField(_("asal"), max_length=10, choices=Source.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("definisi alur kerja")
        verbose_name_plural = _("definisi alur kerja")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "code", "version"], name="workflow_definition_version_unique"),
            models.UniqueConstraint(
                fields=["tenant", "code"], condition=Q(is_active=True), name="workflow_definition_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @cached_property
    def parsed(self) -> Definition:
        # Stored versions were validated when saved; roles removed since then must not break old files.
        # Versions never change, so their parsed form is shared across requests by digest.
        found = _PARSED.get(self.digest)
        if found is None:
            found = parse(self.definition, check_registry=False)
            if len(_PARSED) > 512:
                _PARSED.clear()
            _PARSED[self.digest] = found
        return found


class WorkflowInstance(TenantOwned):
    """One case moving through a workflow: its state, who holds it, and its SLA clock.

    The clock: `clock_intervals` lists the running periods of the file's SLA as [start, end] ISO instants
    (end null while running); paused and stopped states close the open period. `due_date` is the date by
    which the current step must be done: the earlier of the step's SLA (from `state_entered_at`) and the
    file's SLA (`sla_days` over the running periods), recomputed at each transition; null when neither
    runs. `version` increases at every change, for optimistic checks by forms.

    `clock_starts_on` (action codes, usually empty) holds the file's clock back: until one of those
    actions is performed the clock stays stopped whatever the states declare (a service whose SLA
    counts "from when the documents are complete", not from submission); `sla_started_at` records when
    it started.
    """

    definition = models.ForeignKey(WorkflowDefinition, on_delete=models.PROTECT, related_name="instances")
    code = models.CharField(_("kode alur"), max_length=80)
    # A module's queue inside the workflow (e.g. the permit type), for first-in-first-out checks and filters.
    queue = models.CharField(_("antrean"), max_length=80, blank=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField(_("berkas"), max_length=200)
    state = models.CharField(_("status"), max_length=60)
    is_terminal = models.BooleanField(default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pemohon"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sla_days = models.PositiveSmallIntegerField(_("SLA (hari kerja)"), null=True, blank=True)
    clock_intervals = models.JSONField(default=list, blank=True)
    sla_started_at = models.DateTimeField(null=True, blank=True)
    clock_starts_on = models.JSONField(default=list, blank=True)
    state_entered_at = models.DateTimeField()
    # seq of the transition that entered the current state (0: the start state); the next seq is this + 1.
    state_entered_seq = models.PositiveIntegerField(default=0)
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    due_sla_days = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "state_entered_at"]
        verbose_name = _("berkas alur kerja")
        verbose_name_plural = _("berkas alur kerja")
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "subject_type", "subject_id", "code"], name="workflow_instance_subject_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "state", "due_date"], name="workflow_inst_state_due"),
            models.Index(fields=["tenant", "is_terminal", "due_date"], name="workflow_inst_open_due"),
            models.Index(fields=["tenant", "assignee", "is_terminal"], name="workflow_inst_assignee"),
            models.Index(fields=["tenant", "code", "queue", "state", "state_entered_at"], name="workflow_inst_queue"),
            models.Index(fields=["tenant", "unit", "state"], name="workflow_inst_unit"),
            models.Index(fields=["tenant", "owner"], name="workflow_inst_owner"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def current_state(self):
        return self.definition.parsed.states[self.state]

    @property
    def is_paused(self) -> bool:
        return self.current_state.clock == "paused"

    @property
    def clock_waiting(self) -> bool:
        """The file's clock has not started yet: it waits for one of the `clock_starts_on` actions."""
        return bool(self.clock_starts_on) and self.sla_started_at is None


class Transition(TenantOwned):
    """One step a file took: who moved it from where to where, when, why, and how much SLA was left.

    `sla_remaining_days` is what remained of the file's SLA at that moment (negative when late; null
    without a file SLA); `step_remaining_days` the same for the step being left.
    """

    instance = models.ForeignKey(WorkflowInstance, on_delete=models.PROTECT, related_name="transitions")
    seq = models.PositiveIntegerField()
    action = models.CharField(_("aksi"), max_length=60)
    from_state = models.CharField(_("dari"), max_length=60)
    to_state = models.CharField(_("ke"), max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("oleh"), max_length=200, blank=True)
    at = models.DateTimeField(_("waktu"))
    comment = models.TextField(_("catatan"), blank=True)
    documents = models.JSONField(_("dokumen"), default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)
    reason_code = models.CharField(_("kode alasan"), max_length=60, blank=True)
    sla_remaining_days = models.IntegerField(null=True, blank=True)
    step_remaining_days = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["instance", "seq"]
        verbose_name = _("riwayat alur")
        verbose_name_plural = _("riwayat alur")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "instance", "seq"], name="workflow_transition_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "actor", "action"], name="workflow_transition_actor"),
            models.Index(fields=["tenant", "at"], name="workflow_transition_at"),
        ]

    def __str__(self) -> str:
        return f"{self.instance_id}#{self.seq} {self.action}: {self.from_state} → {self.to_state}"


class AssignmentLog(TenantOwned):
    """Who held a file before and after an (re)assignment, who decided it and why."""

    instance = models.ForeignKey(WorkflowInstance, on_delete=models.PROTECT, related_name="assignments")
    state = models.CharField(max_length=60)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    automatic = models.BooleanField(default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["instance", "at", "pk"]
        indexes = [models.Index(fields=["tenant", "instance", "at"], name="workflow_assign_instance")]


class EscalationLog(TenantOwned):
    """An escalation rule that fired for one visit of a state (so that it fires only once)."""

    instance = models.ForeignKey(WorkflowInstance, on_delete=models.PROTECT, related_name="escalations")
    rule = models.CharField(max_length=120)
    state = models.CharField(max_length=60)
    entered_seq = models.PositiveIntegerField()
    do = models.CharField(max_length=20)
    outcome = models.CharField(max_length=300, blank=True)
    fired_at = models.DateTimeField()

    class Meta:
        ordering = ["fired_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "instance", "rule", "entered_seq"], name="workflow_escalation_once"
            ),
        ]
