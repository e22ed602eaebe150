"""Writes on files: store an upload or a generated file, delete one where its module allows.

Every stored file was checked by content (kinds.check_upload), hashed with SHA-256 while read in
chunks, written to the "balai_files" storage under a key made of the tenant, the month and a random
id (never the name a person gave it), and recorded as a StoredFile in the same transaction as its
audit entry.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from balai.core.audit.services import audit_record
from balai.core.tenants.models import Tenant

from . import rules
from .kinds import DEFAULT_POLICY, KINDS, MB, CheckedUpload, UploadPolicy, as_file, check_upload
from .models import StoredFile
from .storage import file_storage

log = logging.getLogger(__name__)

PURPOSE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
NAME_MAX = 150
# Files the system generates are checked too (a broken PDF is a bug), against a generous cap.
GENERATED_MAX_BYTES = 100 * MB


def clean_name(name: str | None) -> str:
    """A person's file name made safe to keep and to send back in Content-Disposition.

    Drops any folder part, control and invisible formatting characters (such as the right-to-left
    override that makes `gpj.exe` read as `exe.jpg`), characters that no file system accepts, and
    leading dots; caps the length while keeping the extension.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = re.sub(r'[<>:"|?*;]', "", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if len(text) > NAME_MAX:
        stem, ext = os.path.splitext(text)
        ext = ext[:12]
        text = stem[: NAME_MAX - len(ext)].rstrip(" .") + ext
    return text or "berkas"


def _check_purpose(purpose: str) -> None:
    if not PURPOSE_RE.match(purpose) or len(purpose) > 64:
        raise ValueError(f"File purpose {purpose!r} must be a dotted code such as 'permits.requirement'.")


def _storage_key(tenant: Tenant, public_id: uuid.UUID, extension: str) -> str:
    now = timezone.now()
    return f"{tenant.slug}/{now:%Y}/{now:%m}/{public_id.hex}.{extension}"


def _remove_blob(key: str) -> None:
    try:
        file_storage().delete(key)
    except Exception:  # noqa: BLE001 - the caller's error matters more; the sweep command finds leftovers
        log.exception("Could not remove the stored blob %s", key)


def _persist(*, tenant: Tenant, file, checked: CheckedUpload, name: str, purpose: str, actor) -> StoredFile:
    public_id = uuid.uuid4()
    file.seek(0)
    key = file_storage().save(_storage_key(tenant, public_id, checked.kind.extension), file)
    try:
        with transaction.atomic():
            stored = StoredFile.objects.create(
                tenant=tenant,
                public_id=public_id,
                purpose=purpose,
                original_name=clean_name(name),
                kind=checked.kind.code,
                content_type=checked.kind.content_type,
                size=checked.size,
                sha256=checked.sha256,
                storage_key=key,
                uploaded_by=actor if actor is not None and actor.is_authenticated else None,
            )
            audit_record(
                tenant=tenant,
                actor=actor,
                action="files.store",
                obj=stored,
                object_id=str(public_id),
                data={"purpose": purpose, "kind": checked.kind.code, "size": checked.size, "sha256": checked.sha256},
            )
    except BaseException:
        # Nothing half-saved: a blob without its row is removed at once.
        _remove_blob(key)
        raise
    return stored


def file_store(
    *,
    tenant: Tenant,
    upload,
    purpose: str,
    actor,
    name: str | None = None,
    policy: UploadPolicy = DEFAULT_POLICY,
) -> StoredFile:
    """Check an upload by its content against `policy`, store it privately and record it.

    `upload` is an UploadedFile (or any Django File) or bytes with `name`. Guarantees: the recorded
    kind, content type and extension are those of the content, whatever the name says; `sha256` and
    `size` are those of the stored bytes; the blob's key holds no part of the person's file name; when
    the database write fails the blob is removed. Raises `UploadRefused` (a ValidationError with a
    message for the person) when the content is not acceptable; nothing is stored then.

    Called inside a caller's transaction that later rolls back, the blob stays without a row until
    `manage.py files_sweep` removes it.
    """
    _check_purpose(purpose)
    name = name or getattr(upload, "name", None) or "berkas"
    file = as_file(upload, name)
    checked = check_upload(file, name=name, policy=policy)
    return _persist(tenant=tenant, file=file, checked=checked, name=name, purpose=purpose, actor=actor)


def file_store_bytes(*, tenant: Tenant, data: bytes, name: str, purpose: str, kind: str, actor) -> StoredFile:
    """Store a file the system generated (an issued PDF, an export) after checking it really is `kind`.

    Same guarantees as `file_store`; the cap is GENERATED_MAX_BYTES. A refusal here means a bug in the
    generator, so it is raised as is.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown file kind {kind!r}; expected one of {sorted(KINDS)}.")
    return file_store(
        tenant=tenant,
        upload=data,
        name=name,
        purpose=purpose,
        actor=actor,
        policy=UploadPolicy(kinds=frozenset({kind}), max_bytes=GENERATED_MAX_BYTES),
    )


def file_delete(*, tenant: Tenant, stored_file: StoredFile, actor) -> None:
    """Delete a file where its module allows it: the row now, the blob once the transaction commits.

    Guarantees: a file of another tenant, one of an issued document, or one that a registered delete
    guard protects is never deleted (ValidationError with the reason); the deletion is audited.
    """
    if stored_file.tenant_id != tenant.pk:
        raise ValueError("This file belongs to another tenant.")
    reason = rules.delete_refusal(stored_file)
    if reason:
        raise ValidationError(reason, code="protected")
    key = stored_file.storage_key
    with transaction.atomic():
        audit_record(
            tenant=tenant,
            actor=actor,
            action="files.delete",
            obj=stored_file,
            object_id=str(stored_file.public_id),
            data={"purpose": stored_file.purpose, "sha256": stored_file.sha256},
        )
        stored_file.delete()
        transaction.on_commit(lambda: _remove_blob(key))
