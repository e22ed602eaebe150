from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    name = "balai.core.parties"
    label = "parties"
    verbose_name = _("Badan usaha dan organisasi")

    def ready(self) -> None:
        from .notices import register_templates

        register_templates()
