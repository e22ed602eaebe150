"""System check: every workflow a module registered passes the full validator once all apps are ready
(roles, guards and effects may be registered by apps loaded after the module)."""

from django.core import checks


def check_registered_workflows(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from .definitions import definition_validate, registered_workflows

    found = []
    for code, entry in registered_workflows().items():
        for error in definition_validate(entry.data):
            found.append(checks.Error(f"Workflow {code}: {error}", id="workflow.E001"))
    return found
