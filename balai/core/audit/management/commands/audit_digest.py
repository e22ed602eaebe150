"""`manage.py audit_digest [--day YYYY-MM-DD]`: publish the daily head of every chain (for a nightly job)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from balai.core.audit.services import digest_all_tenants


class Command(BaseCommand):
    help = "Publish the audit chains' daily digests (default: yesterday in each tenant's time zone)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="the day to publish, YYYY-MM-DD")

    def handle(self, *args, day=None, **options):
        try:
            the_day = date.fromisoformat(day) if day else None
            published = digest_all_tenants(the_day)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for digest in published:
            name = digest.tenant.slug if digest.tenant_id else "platform"
            self.stdout.write(f"{name} {digest.day.isoformat()} seq {digest.seq} {digest.head_hash} ({digest.entries} entries)")
