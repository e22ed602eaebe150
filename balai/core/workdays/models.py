from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balai.core.tenants.models import TenantOwned


class DayOff(TenantOwned):
    """A tenant's own change to the national calendar on one date.

    National holidays and cuti bersama come from the `holidays` package and are not stored; a row
    here adds a day off (a local holiday, or a cuti bersama the package does not know yet) or turns
    a national holiday or cuti bersama back into a working day (a cuti bersama cancelled late).
    """

    class Kind(models.TextChoices):
        LOCAL = "local", _("Libur daerah")
        COLLECTIVE = "collective", _("Cuti bersama tambahan")
        WORKING = "working", _("Tetap hari kerja")

    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("nama atau alasan"), max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("perubahan hari kerja")
        verbose_name_plural = _("perubahan hari kerja")
        # The unique index (tenant, date) also serves the per-year range lookups of the calendar.
        constraints = [
            models.UniqueConstraint(fields=["tenant", "date"], name="workdays_dayoff_tenant_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    @property
    def is_day_off(self) -> bool:
        return self.kind != self.Kind.WORKING
