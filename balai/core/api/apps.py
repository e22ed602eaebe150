from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "balai.core.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the OpenAPI description of the token authentication)
        from .scopes import CORE_SCOPES, register_scope

        for scope in CORE_SCOPES:
            register_scope(scope)
