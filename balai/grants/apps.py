from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    """Sabilulungan (hibah & bansos). Declares its roles and tenant settings; its pages arrive with the module."""

    name = "balai.grants"
    label = "grants"
    verbose_name = _("Sabilulungan")

    def ready(self) -> None:
        from balai.core.registry import ModuleManifest, Role, Setting, register_module

        register_module(
            ModuleManifest(
                code="grants",
                name=_("Sabilulungan (Hibah & Bansos)"),
                description=_("Usulan hibah dan bantuan sosial dari proposal sampai laporan pertanggungjawaban, terbuka untuk publik."),
                roles=(
                    Role("grants.secretariat", _("Sekretariat (kelengkapan)"), frozenset({"dashboard.view", "grants.check"})),
                    Role("grants.panel", _("Tim Pertimbangan"), frozenset({"dashboard.view", "grants.review"})),
                    Role("grants.opd_evaluator", _("Evaluator OPD"), frozenset({"dashboard.view", "grants.evaluate"})),
                    Role("grants.tapd", _("TAPD"), frozenset({"dashboard.view", "grants.budget"})),
                    Role("grants.finance", _("BKAD (pencairan)"), frozenset({"dashboard.view", "grants.disburse"})),
                ),
                settings=(
                    Setting("proposal_window_end_month", _("Bulan akhir pengajuan proposal"), int, 4, min_value=1, max_value=12),
                    Setting("lpj_deadline_day", _("Batas LPJ (tanggal, bulan Januari tahun berikutnya)"), int, 10, min_value=1, max_value=31),
                ),
            )
        )
