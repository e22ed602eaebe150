"""A long job run in the background (an import, a monthly calculation, an export) and its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned


class JobRun(TenantOwned):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Sedang berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=80)
    label = models.CharField(_("nama pekerjaan"), max_length=200)
    task_name = models.CharField(_("tugas"), max_length=200)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("selesai"), default=0)
    total = models.PositiveIntegerField(_("jumlah"), null=True, blank=True)
    message = models.CharField(_("keterangan"), max_length=500, blank=True)
    # What the job produced, for the page to show: {"link": "/kota-serang/...", "summary": "..."}.
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")
        indexes = [
            models.Index(fields=["tenant", "started_by", "-created_at"], name="jobrun_starter_idx"),
            models.Index(fields=["tenant", "status", "-created_at"], name="jobrun_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == self.Status.DONE else None
        return min(100, self.done * 100 // self.total)
