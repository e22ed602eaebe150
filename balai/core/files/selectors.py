"""Reads on files: always within a tenant (who may download a file is decided in `rules`)."""

from __future__ import annotations

import uuid

from balai.core.tenants.models import Tenant

from .models import StoredFile
from .storage import file_storage


def stored_file_get(*, tenant: Tenant, public_id: uuid.UUID | str) -> StoredFile | None:
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return StoredFile.objects.filter(tenant=tenant, public_id=public_id).first()


def stored_files_by_sha256(*, tenant: Tenant, sha256: str) -> list[StoredFile]:
    return list(StoredFile.objects.filter(tenant=tenant, sha256=sha256.lower()).order_by("created_at"))


def stored_file_open(stored_file: StoredFile):
    """The stored bytes as an open binary file (the caller closes it)."""
    return file_storage().open(stored_file.storage_key, "rb")
