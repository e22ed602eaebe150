"""`manage.py integrity_run [--tenant SLUG] [--check CODE ...]`: run integrity checks now.

Exits 0 when every check ran, 1 when any check raised (its error is printed and recorded on the run).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from balai.core.integrity import registry
from balai.core.integrity.models import CheckRun
from balai.core.integrity.services import checks_run
from balai.core.tenants.models import Tenant


class Command(BaseCommand):
    help = "Run the registered integrity checks for every active tenant, or for one."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG", help="run only for this tenant")
        parser.add_argument(
            "--check", metavar="CODE", action="append", dest="codes", help="run only this check (repeatable)"
        )

    def handle(self, *args, tenant=None, codes=None, **options):
        for code in codes or []:
            try:
                registry.check(code)
            except LookupError:
                known = ", ".join(c.code for c in registry.checks())
                raise CommandError(f"No integrity check {code!r}. Registered checks: {known}.") from None
        if tenant is None:
            tenants = list(Tenant.objects.filter(is_active=True).order_by("code"))
        else:
            found = Tenant.objects.filter(slug=tenant).first()
            if found is None:
                raise CommandError(f"No tenant with slug {tenant!r}.")
            tenants = [found]

        failed = False
        for each in tenants:
            # An operator at the console asked for it: on demand, with no user to name.
            run = checks_run(tenant=each, codes=codes, trigger=CheckRun.Trigger.ON_DEMAND)
            line = (
                f"{each.slug}: run #{run.pk}, {len(run.checks)} checks, {run.findings_new} new, "
                f"{run.findings_seen} seen again, {run.findings_reopened} reopened"
            )
            if run.skipped:
                line += f", skipped (module off): {', '.join(run.skipped)}"
            self.stdout.write((self.style.ERROR("FAILED ") if run.errors else self.style.SUCCESS("OK ")) + line)
            for code, error in sorted(run.errors.items()):
                self.stdout.write(f"    {code}: {error}")
            failed = failed or bool(run.errors)
        if failed:
            sys.exit(1)
