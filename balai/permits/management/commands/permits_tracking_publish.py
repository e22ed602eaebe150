"""`manage.py permits_tracking_publish`: write the public tracking facts of files that have none."""

from django.core.management.base import BaseCommand, CommandError

from balai.core.tenants.models import Tenant
from balai.permits.services_tracking import tracking_publish_all


class Command(BaseCommand):
    help = (
        "Publish the public tracking facts of submitted permit files that were never published (rows "
        "from before the facts existed, bulk imports). Idempotent; transitions keep them current after."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="Only this tenant (its slug).")
        parser.add_argument("--all", action="store_true", help="Rewrite every file's facts, not only missing ones.")

    def handle(self, *args, **options):
        tenants = Tenant.objects.order_by("slug")
        if options["tenant"]:
            tenants = tenants.filter(slug=options["tenant"])
            if not tenants.exists():
                raise CommandError(f"No tenant with slug {options['tenant']!r}.")
        for tenant in tenants:
            done = tracking_publish_all(tenant=tenant, only_missing=not options["all"])
            if done:
                self.stdout.write(f"{tenant.slug}: {done} file(s) published.")
