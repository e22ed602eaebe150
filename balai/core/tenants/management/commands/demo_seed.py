from django.conf import settings
from django.core.management.base import BaseCommand

from balai.core.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Load the demo tenants, offices, officers and citizens (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="where the demo is served")

    def handle(self, *args, base_url: str, **options):
        accounts, links = demo_seed()
        base = base_url.rstrip("/")
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS("Balai demo"))
        out.write(f"  {base}/   (choose a region)   health: {base}/healthz")
        out.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        if settings.WAIVE_OFFICER_2FA:
            out.write(self.style.WARNING("  Officers' two-factor step is WAIVED in this demo (BALAI_DEMO_WAIVE_2FA=0 turns it on)."))
        current = None
        for account in accounts:
            if account.tenant != current:
                current = account.tenant
                out.write("")
                out.write(self.style.MIGRATE_HEADING(f"  {current.name}  {base}/{current.slug}/"))
            out.write(f"    {account.role:<22} {account.email:<48} {account.name}")
        if links:
            out.write("")
            out.write(self.style.MIGRATE_HEADING("  Try the shared services"))
            for link in links:
                out.write(f"    {link.tenant.name:<16} {link.label:<28} {base}{link.path}")
        out.write("")
