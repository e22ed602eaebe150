from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitAppointmentsConfig(AppConfig):
    """Fair appointments and quotas of Perizinan Online: published capacity, one booking per NIK."""

    name = "balai.permits.appointments"
    label = "permit_appointments"
    verbose_name = _("Janji temu perizinan")

    def ready(self) -> None:
        from balai.core.files.rules import register_download_rule

        from . import checks, guards, services_file
        from .access import may_download_power_of_attorney

        checks.register()
        guards.register()
        services_file.register_templates()
        # Longer than the permits module's "permits." prefix, so this rule decides for these letters.
        register_download_rule("permits.appointments.", may_download_power_of_attorney)
