from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitAppointmentsConfig(AppConfig):
    """Fair appointments and quotas of Perizinan Online: published capacity, one booking per NIK."""

    name = "balai.permits.appointments"
    label = "permit_appointments"
    verbose_name = _("Janji temu perizinan")
