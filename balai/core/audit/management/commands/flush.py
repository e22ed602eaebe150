"""Django's `flush`, able to empty the append-only audit tables.

Flushing removes every row of every table by definition (Django's test runner does it after each
transactional test). The audit tables' triggers refuse that, so they are lifted for the flush and
restored after it; outside `flush` they stay in force.
"""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

from balai.core.audit import triggers


class Command(FlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with triggers.lifted(connection):
            return super().handle(**options)
