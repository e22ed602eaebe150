"""Precomputed monthly statistics of Perizinan Online (imported at the end of models.py).

The public statistics page and the head of office's dashboard read only these rows, a few per permit
type and month, so that their cost does not grow with the number of applications. `services_stats.
stats_refresh(tenant=, month=)` recomputes one month from the applications, their workflow history,
bills and surveys; it is idempotent (the month's rows are replaced as a whole).

Processing times are kept as a histogram `{"<working days>": count}` besides the month's median and
90th percentile, so that a year, several types or a unit can be summarised exactly by adding
histograms (medians do not add up).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned


class PermitMonthlyStat(TenantOwned):
    """One permit type in one month (the tenant's calendar month, `month` is its first day).

    received: applications submitted in the month; issued / rejected: decisions taken in the month;
    p50 / p90: median and 90th percentile of the working days from submission to decision of the
    month's decisions, time with the applicant (returned, awaiting payment) excluded; sla_met of
    sla_total decisions came within the file's SLA; retribution: paid bills of the month, rupiah;
    skm_*: satisfaction surveys answered in the month (count and the sum of each element's answers).
    """

    permit_type = models.ForeignKey("permits.PermitType", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("bulan"))
    received = models.PositiveIntegerField(_("diterima"), default=0)
    issued = models.PositiveIntegerField(_("terbit"), default=0)
    rejected = models.PositiveIntegerField(_("ditolak"), default=0)
    p50_days = models.DecimalField(_("median hari kerja"), max_digits=7, decimal_places=1, null=True, blank=True)
    p90_days = models.DecimalField(_("persentil 90 hari kerja"), max_digits=7, decimal_places=1, null=True, blank=True)
    durations = models.JSONField(default=dict, blank=True)  # {"<working days>": decisions}
    sla_met = models.PositiveIntegerField(default=0)
    sla_total = models.PositiveIntegerField(default=0)
    retribution = models.BigIntegerField(_("retribusi diterima (rupiah)"), default=0)
    skm_respondents = models.PositiveIntegerField(default=0)
    skm_u1 = models.PositiveIntegerField(default=0)
    skm_u2 = models.PositiveIntegerField(default=0)
    skm_u3 = models.PositiveIntegerField(default=0)
    skm_u4 = models.PositiveIntegerField(default=0)
    skm_u5 = models.PositiveIntegerField(default=0)
    skm_u6 = models.PositiveIntegerField(default=0)
    skm_u7 = models.PositiveIntegerField(default=0)
    skm_u8 = models.PositiveIntegerField(default=0)
    skm_u9 = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month", "permit_type"]
        verbose_name = _("statistik bulanan izin")
        verbose_name_plural = _("statistik bulanan izin")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "permit_type", "month"], name="permits_monthly_stat_unique"),
        ]
        indexes = [models.Index(fields=["tenant", "month"], name="permits_monthly_stat_month")]

    def __str__(self) -> str:
        return f"{self.permit_type_id} {self.month:%Y-%m}"

    @property
    def skm_sums(self) -> list[int]:
        return [getattr(self, f"skm_u{i}") for i in range(1, 10)]


class PermitOfficerMonthlyStat(TenantOwned):
    """What one officer did in one month on files of one unit: steps finished (`actions`) on `files`
    distinct files, the working days each step took (histogram), and how many finished after the step's
    own SLA (`breaches`)."""

    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("bulan"))
    files = models.PositiveIntegerField(default=0)
    actions = models.PositiveIntegerField(default=0)
    breaches = models.PositiveIntegerField(default=0)
    durations = models.JSONField(default=dict, blank=True)  # {"<working days>": steps}
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["month", "officer"]
        verbose_name = _("statistik bulanan petugas izin")
        verbose_name_plural = _("statistik bulanan petugas izin")
        indexes = [models.Index(fields=["tenant", "month"], name="permits_officer_stat_month")]
