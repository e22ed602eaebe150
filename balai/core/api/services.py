"""Writes on API tokens and idempotency records."""

from __future__ import annotations

import datetime
import hashlib
import secrets
import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.audit.services import audit_record
from balai.core.tenants.models import Tenant

from .models import TOKEN_PREFIX, ApiToken, IdempotencyRecord
from .scopes import scopes as registered_scopes

_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
IDEMPOTENCY_TTL = datetime.timedelta(hours=24)


def secret_hash(secret: str) -> str:
    # The secret carries 256 random bits: a fast hash is enough, and lets every request check it cheaply.
    return hashlib.sha256(secret.encode()).hexdigest()


def _clean_token_fields(*, kind: str, user, client_name: str, scopes: list[str], expires_at) -> dict:
    errors: dict[str, str] = {}
    client_name = " ".join((client_name or "").split())
    if kind == ApiToken.Kind.CLIENT:
        if not client_name:
            errors["client_name"] = _("Tulis nama aplikasi yang akan memakai token ini, misalnya SIMDA Keuangan.")
        elif len(client_name) > 120:
            errors["client_name"] = _("Nama klien paling panjang 120 karakter.")
    elif kind == ApiToken.Kind.USER:
        if user is None:
            errors["user"] = _("Token pribadi harus dimiliki seseorang.")
        client_name = ""
    else:
        errors["kind"] = _("Jenis token tidak dikenal.")
    known = {s.code for s in registered_scopes()}
    scopes = sorted(set(scopes or []))
    unknown = [s for s in scopes if s not in known]
    if not scopes:
        errors["scopes"] = _("Pilih paling sedikit satu cakupan yang diperlukan aplikasi.")
    elif unknown:
        errors["scopes"] = _("Cakupan tidak dikenal: %(names)s. Pilih dari daftar.") % {"names": ", ".join(unknown)}
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = _("Tanggal berakhir harus di masa depan.")
    if errors:
        raise ValidationError(errors)
    return {"client_name": client_name, "scopes": scopes}


@transaction.atomic
def token_create(
    *,
    tenant: Tenant,
    kind: str,
    scopes: list[str],
    actor,
    user=None,
    client_name: str = "",
    name: str = "",
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for one tenant and return it with its whole secret, which is never stored.

    Guarantees: only the SHA-256 of the secret is kept; the scopes are registered ones; a personal
    token belongs to `user`, a client token to no person; the creation is on the audit chain.
    """
    fields = _clean_token_fields(kind=kind, user=user, client_name=client_name, scopes=scopes, expires_at=expires_at)
    for _attempt in range(5):
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _i in range(8))
        secret = secrets.token_urlsafe(32)
        raw = f"{TOKEN_PREFIX}_{prefix}_{secret}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    tenant=tenant,
                    kind=kind,
                    user=user if kind == ApiToken.Kind.USER else None,
                    name=" ".join((name or "").split())[:120],
                    key_prefix=prefix,
                    key_hash=secret_hash(secret),
                    created_by=actor,
                    expires_at=expires_at,
                    **fields,
                )
            break
        except IntegrityError:  # the prefix is taken: draw again
            continue
    else:  # pragma: no cover - five collisions of 41 random bits
        raise RuntimeError("Could not draw a free token prefix.")
    audit_record(
        tenant=tenant,
        actor=actor,
        action="api.token_create",
        obj=token,
        object_repr=token.masked,
        data={"kind": kind, "scopes": token.scopes, "holder": token.holder[:120]},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    """Revoke a token at once; revoking a revoked token changes nothing. Recorded on the audit chain."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, tenant=token.tenant)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor if getattr(actor, "pk", None) else None
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(tenant=token.tenant, actor=actor, action="api.token_revoke", obj=token, object_repr=token.masked)
    return token


def token_touch(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Note that the token was used; at most one write a minute per token."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def idempotency_records_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the idempotency records older than 24 hours (for the scheduler). Returns how many went."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_TTL
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
