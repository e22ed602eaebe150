"""Blobs left without a record (a caller's transaction rolled back) are swept; recorded ones never are."""

import os
import time
from io import StringIO

from django.core.management import call_command

from balai.core.files import services
from balai.core.files.storage import file_storage

from .factories import pdf_bytes


def test_it_removes_old_orphans_and_keeps_recorded_and_fresh_files(world, settings):
    storage = file_storage()
    kept = services.file_store(
        tenant=world.serang.tenant, upload=pdf_bytes(), name="izin.pdf",
        purpose="permits.requirement", actor=world.serang.people["citizen"],
    )
    old_orphan = storage.save("kota-serang/2026/01/orphan.pdf", pdf_bytes_file())
    fresh_orphan = storage.save("kota-serang/2026/11/fresh.pdf", pdf_bytes_file())
    two_days_ago = time.time() - 48 * 3600
    for key in (old_orphan, kept.storage_key):
        os.utime(storage.path(key), (two_days_ago, two_days_ago))

    out = StringIO()
    call_command("files_sweep", "--dry-run", stdout=out)
    assert "would remove kota-serang/2026/01/orphan.pdf" in out.getvalue() and storage.exists(old_orphan)

    call_command("files_sweep", stdout=StringIO())
    assert not storage.exists(old_orphan)
    assert storage.exists(fresh_orphan) and storage.exists(kept.storage_key)


def pdf_bytes_file():
    from django.core.files.base import ContentFile

    return ContentFile(pdf_bytes())
