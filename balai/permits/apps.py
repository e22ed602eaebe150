from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    """Perizinan Online: roles, tenant settings, workflows, guards/effects, paid handler, demo catalogue."""

    name = "balai.permits"
    label = "permits"
    verbose_name = _("Perizinan Online")

    def ready(self) -> None:
        from balai.core.registry import ModuleManifest, Role, Setting, register_module

        register_module(
            ModuleManifest(
                code="permits",
                name=_("Perizinan Online"),
                description=_("Ajukan izin daerah, bayar retribusi, lacak berkas, dan unduh izin bertanda tangan elektronik."),
                roles=(
                    Role("permits.frontdesk", _("Petugas loket perizinan"), frozenset({"dashboard.view", "permits.counter", "permits.complaint_answer"})),
                    Role("permits.verifier", _("Verifikator perizinan"), frozenset({"dashboard.view", "permits.verify", "permits.complaint_answer"})),
                    Role("permits.inspector", _("Petugas survei lapangan"), frozenset({"dashboard.view", "permits.inspect"})),
                    Role("permits.approver", _("Pejabat pemberi persetujuan"), frozenset({"dashboard.view", "permits.approve", "permits.revoke", "permits.complaint_answer"})),
                    Role("permits.signer", _("Penandatangan izin"), frozenset({"dashboard.view", "permits.sign"})),
                ),
                settings=(
                    Setting("reschedules_allowed", _("Batas penjadwalan ulang janji temu"), int, 2, min_value=0, max_value=10),
                    Setting("agent_booking_cap", _("Batas pemesanan oleh kuasa per hari"), int, 5, min_value=0, max_value=100),
                ),
                entry_url_name="permits:public_catalogue",
                office_url_name="permits:office_inbox",
                admin_url_name="permits:catalogue_type_list",
                demo_loader=_demo_loader,
            )
        )
        from . import applicant_registry, hooks, services_complaints, stats_registry
        from .api import registry as api_registry

        hooks.register()
        applicant_registry.register()
        stats_registry.register()
        services_complaints.register()
        api_registry.register()


def _demo_loader(*, tenant, actor=None) -> None:
    from .appointments.demo import demo_appointments
    from .demo import demo_permit_catalogue

    demo_permit_catalogue(tenant=tenant, actor=actor)
    demo_appointments(tenant=tenant, actor=actor)
