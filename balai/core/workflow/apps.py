from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "balai.core.workflow"
    label = "workflow"
    verbose_name = _("Alur kerja")

    def ready(self) -> None:
        from django.core import checks

        from .checks import check_registered_workflows
        from .notices import register_templates

        checks.register(check_registered_workflows)
        register_templates()
