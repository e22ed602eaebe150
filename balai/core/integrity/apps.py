from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "balai.core.integrity"
    label = "integrity"
    verbose_name = _("Integritas")

    def ready(self) -> None:
        from .checks import CORE_CHECKS
        from .registry import register_check

        for check in CORE_CHECKS:
            register_check(check)
