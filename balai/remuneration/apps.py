from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemunerationConfig(AppConfig):
    """E-Remunerasi. Declares its roles and tenant settings; its pages arrive with the module."""

    name = "balai.remuneration"
    label = "remuneration"
    verbose_name = _("E-Remunerasi")

    def ready(self) -> None:
        from balai.core.registry import ModuleManifest, Role, Setting, register_module

        register_module(
            ModuleManifest(
                code="remuneration",
                name=_("E-Remunerasi (TPP)"),
                description=_("Catatan kerja harian dan presensi ASN menjadi tambahan penghasilan pegawai (TPP) bulanan."),
                roles=(
                    Role("remuneration.employee", _("Pegawai (pencatat aktivitas)"), frozenset({"dashboard.view", "remuneration.log"})),
                    Role("remuneration.supervisor", _("Atasan langsung"), frozenset({"dashboard.view", "remuneration.verify"})),
                    Role("remuneration.hr", _("BKPSDM"), frozenset({"dashboard.view", "remuneration.manage"})),
                    Role("remuneration.finance", _("BKAD (pembayaran)"), frozenset({"dashboard.view", "remuneration.export"})),
                ),
                settings=(
                    Setting("standard_minutes_per_month", _("Menit kerja standar per bulan"), int, 6000, min_value=1000, max_value=20000),
                    Setting("logging_window_days", _("Batas hari mencatat aktivitas"), int, 3, min_value=0, max_value=10),
                ),
            )
        )
