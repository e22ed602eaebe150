"""Findings of the red-flag checks, their triage notes, and the runs that raised them.

A finding is one problem, keyed by (tenant, check, fingerprint), so that a check run again finds the
same row instead of adding another. Its status changes only through `services.finding_triage` (and
the reopening rule in `services.checks_run`), each change leaving a `FindingNote`.

Who a finding concerns is kept twice, on purpose: `Finding.concerns` is the list as the check reported
it (shown and audited), and one `FindingConcern` row per person is what the selectors filter on to
hide the finding from them (a JSON containment query is not portable to SQLite).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned


class Severity(models.TextChoices):
    LOW = "low", _("Rendah")
    MEDIUM = "medium", _("Sedang")
    HIGH = "high", _("Tinggi")


class CheckRun(TenantOwned):
    """One run of some or all checks for one tenant, scheduled or asked for by an inspector."""

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        ON_DEMAND = "on_demand", _("Atas permintaan")

    started_at = models.DateTimeField(_("mulai"))
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    trigger = models.CharField(_("pemicu"), max_length=10, choices=Trigger.choices)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dijalankan oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Codes of the checks that ran; checks of modules the tenant has switched off are in `skipped`.
    checks = models.JSONField(_("pemeriksaan"), default=list)
    skipped = models.JSONField(_("dilewati"), default=list)
    findings_new = models.PositiveIntegerField(_("temuan baru"), default=0)
    findings_seen = models.PositiveIntegerField(_("temuan terlihat lagi"), default=0)
    findings_reopened = models.PositiveIntegerField(_("temuan dibuka kembali"), default=0)
    # {check code: "ExceptionType: message"} for each check that raised.
    errors = models.JSONField(_("galat"), default=dict)

    class Meta:
        verbose_name = _("pemeriksaan integritas")
        verbose_name_plural = _("pemeriksaan integritas")
        indexes = [models.Index(fields=["tenant", "started_at"], name="integrity_run_tenant_started")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.started_at:%Y-%m-%d %H:%M}"


class CheckCursor(TenantOwned):
    """When the last error-free run of a check for a tenant started: the `since` of its next run."""

    check_code = models.CharField(max_length=80)
    last_success_started_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "check_code"], name="integrity_cursor_unique")]


class Finding(TenantOwned):
    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        EXPLAINED = "explained", _("Dijelaskan")
        ESCALATED = "escalated", _("Ditingkatkan")
        DISMISSED = "dismissed", _("Diabaikan")

    # Status changes an inspector may make; keeping the status (to add a note) is always allowed.
    # An explained or dismissed finding is reopened by a run when its evidence changes (services).
    TRANSITIONS = {
        Status.OPEN: {Status.EXPLAINED, Status.ESCALATED, Status.DISMISSED},
        Status.EXPLAINED: {Status.OPEN, Status.ESCALATED},
        Status.DISMISSED: {Status.OPEN, Status.ESCALATED},
        Status.ESCALATED: {Status.EXPLAINED, Status.DISMISSED},
    }

    check_code = models.CharField(_("pemeriksaan"), max_length=80)
    module = models.CharField(_("modul"), max_length=40)
    severity = models.CharField(_("tingkat"), max_length=6, choices=Severity.choices)
    subject_type = models.ForeignKey(ContentType, verbose_name=_("jenis objek"), on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(_("id objek"), max_length=64)
    subject_repr = models.CharField(_("objek"), max_length=200)
    summary = models.TextField(_("ringkasan"))
    # [{"label", "url", "type", "id", "repr"}] as normalised by the services.
    evidence = models.JSONField(_("bukti"), default=list)
    # SHA-256 of the evidence and concerns: a change reopens an explained or dismissed finding.
    evidence_digest = models.CharField(max_length=64)
    concerns = models.JSONField(_("orang yang bersangkutan"), default=list)
    fingerprint = models.CharField(max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    first_seen_at = models.DateTimeField(_("pertama ditemukan"))
    last_seen_at = models.DateTimeField(_("terakhir terlihat"))
    status_changed_at = models.DateTimeField(_("status diubah"), null=True, blank=True)
    run = models.ForeignKey(CheckRun, verbose_name=_("ditemukan oleh"), on_delete=models.PROTECT, related_name="findings")
    last_run = models.ForeignKey(CheckRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("temuan")
        verbose_name_plural = _("temuan")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "check_code", "fingerprint"], name="integrity_finding_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "status", "last_seen_at"], name="integrity_finding_status"),
            models.Index(fields=["tenant", "check_code", "status"], name="integrity_finding_check"),
            models.Index(fields=["tenant", "module", "status"], name="integrity_finding_module"),
            models.Index(fields=["tenant", "severity", "status"], name="integrity_finding_severity"),
            models.Index(fields=["tenant", "first_seen_at"], name="integrity_finding_first_seen"),
            models.Index(fields=["tenant", "run"], name="integrity_finding_run"),
        ]

    def __str__(self) -> str:
        return f"{self.check_code} #{self.pk}"


class FindingConcern(TenantOwned):
    """One person a finding concerns; the selectors hide the finding from them."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="concerned")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "finding", "user"], name="integrity_concern_unique")]
        indexes = [models.Index(fields=["tenant", "user", "finding"], name="integrity_concern_user")]


class FindingNote(TenantOwned):
    """A triage note, or a note the system writes when a run reopens a finding (author None)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penulis"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    text = models.TextField(_("catatan"))
    status_from = models.CharField(_("status sebelumnya"), max_length=10, choices=Finding.Status.choices)
    status_to = models.CharField(_("status baru"), max_length=10, choices=Finding.Status.choices)
    # The evidence before a run replaced it (reopen notes only).
    evidence_before = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(_("waktu"))

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["tenant", "finding", "at"], name="integrity_note_finding")]

    @property
    def changed_status(self) -> bool:
        return self.status_from != self.status_to
