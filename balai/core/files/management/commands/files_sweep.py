"""Remove stored blobs that no StoredFile row points at (left by a caller's transaction that rolled back).

Only blobs older than --older-than-hours are touched, so that an upload whose row is not committed yet
is never taken for an orphan. `--dry-run` lists them without removing anything.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from balai.core.files.models import StoredFile
from balai.core.files.storage import file_storage
from balai.core.tenants.models import Tenant


def walk(storage, folder: str = ""):
    dirs, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for name in dirs:
        yield from walk(storage, f"{folder}/{name}" if folder else name)


class Command(BaseCommand):
    help = "Remove stored files that no record points at (older than a day by default)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-hours", type=int, default=24)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, older_than_hours: int, dry_run: bool, **options):
        storage = file_storage()
        cutoff = timezone.now() - timedelta(hours=older_than_hours)
        tenants = {t.slug: t for t in Tenant.objects.all()}
        orphans = []
        for key in walk(storage):
            tenant = tenants.get(key.split("/", 1)[0])
            known = tenant is not None and StoredFile.objects.filter(tenant=tenant, storage_key=key).exists()
            if not known and storage.get_modified_time(key) < cutoff:
                orphans.append(key)
        for key in orphans:
            self.stdout.write(f"{'would remove' if dry_run else 'removed'} {key}")
            if not dry_run:
                storage.delete(key)
        self.stdout.write(f"{len(orphans)} orphaned file(s){' found' if dry_run else ' removed'}.")
