from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_triggers(sender, using, **kwargs):
    # SQLite rebuilds a table to alter it and the rebuild drops its triggers; put them back.
    from django.db import connections

    from . import triggers

    triggers.install(connections[using])


class AuditConfig(AppConfig):
    name = "balai.core.audit"
    label = "audit"
    verbose_name = _("Jejak audit")

    def ready(self):
        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="balai.audit.ensure_triggers")
