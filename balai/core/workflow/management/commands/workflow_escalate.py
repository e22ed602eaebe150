"""Run the workflow escalation rules on late files (the scheduler calls this, or its task, daily)."""

from django.core.management.base import BaseCommand, CommandError

from balai.core.tenants.models import Tenant
from balai.core.workflow.services import escalate_due


class Command(BaseCommand):
    help = "Run the escalation rules of every workflow on files past their due date (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="only this tenant (slug)")

    def handle(self, *args, **options):
        tenant = None
        if options.get("tenant"):
            tenant = Tenant.objects.filter(slug=options["tenant"]).first()
            if tenant is None:
                raise CommandError(f"No tenant with slug {options['tenant']!r}.")
        fired = escalate_due(tenant=tenant)
        for log in fired:
            self.stdout.write(f"{log.tenant_id} {log.instance_id} {log.rule}: {log.outcome}")
        self.stdout.write(self.style.SUCCESS(f"{len(fired)} escalation(s) fired."))
