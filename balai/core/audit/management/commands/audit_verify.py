"""`manage.py audit_verify [--tenant SLUG]`: exit 0 when every chain checked is intact, 1 when not."""

import sys

from django.core.management.base import BaseCommand, CommandError

from balai.core.audit.verify import verify_all, verify_chain
from balai.core.tenants.models import Tenant


class Command(BaseCommand):
    help = "Verify the audit hash chains (the platform chain and every tenant's, or one tenant's)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", metavar="SLUG", help="verify only this tenant's chain ('platform' for the platform chain)")
        parser.add_argument("--chunk-size", type=int, default=2000, help="entries read per batch")

    def handle(self, *args, tenant=None, chunk_size=2000, **options):
        if tenant is None:
            results = verify_all(chunk_size=chunk_size)
        elif tenant == "platform":
            results = [verify_chain(None, chunk_size=chunk_size)]
        else:
            found = Tenant.objects.filter(slug=tenant).first()
            if found is None:
                raise CommandError(f"No tenant with slug {tenant!r}.")
            results = [verify_chain(found, chunk_size=chunk_size)]

        for result in results:
            if result.ok:
                self.stdout.write(
                    self.style.SUCCESS("OK")
                    + f"      {result.chain_name}: {result.checked} entries intact, head seq {result.head_seq} "
                    f"{result.head_hash}, {result.digests_checked} published digests match"
                )
            else:
                broken = result.first_broken
                self.stdout.write(
                    self.style.ERROR("BROKEN")
                    + f"  {result.chain_name}: first broken entry id={broken.id} seq={broken.seq} "
                    f"action={broken.action or '-'}: {broken.reason} ({result.checked} entries before it intact)"
                )
        if not all(r.ok for r in results):
            sys.exit(1)
