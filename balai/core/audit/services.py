"""Writes on the audit chain: record an event, record an officer's read of personal data, publish digests.

How to audit a change, inside the service that makes it (the entry commits or rolls back with it):

    @transaction.atomic
    def unit_rename(*, tenant, unit, name, actor) -> Unit:
        before = audit.snapshot(unit, ["name"])
        unit.name = name
        unit.save(update_fields=["name"])
        audit_record(tenant=tenant, actor=actor, action="orgs.unit_rename", obj=unit,
                     before=before, after=audit.snapshot(unit, ["name"]))
        return unit

Appending locks the chain's head row until the caller's transaction ends, so every write of a tenant
that is audited is serialised behind it: record the entry late in the service, just before returning.
A refusal that must be remembered even though the caller then raises goes through `audit_refusal`,
which commits on its own and therefore must be called outside any transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from balai.core.ratelimit import client_ip
from balai.core.tenants.models import Tenant

from .models import GENESIS_HASH, AuditChainHead, AuditDigest, AuditEntry, sha256_hex

ACTION_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
# The `data` of an entry is for small facts (changed field names, a reason), not for documents.
MAX_DATA_BYTES = 8192
PERSONAL_DATA_READ = "privacy.personal_data_read"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def chain_key(tenant: Tenant | None) -> int:
    return tenant.pk if tenant is not None else 0


def chain_timezone(tenant: Tenant | None) -> ZoneInfo:
    return ZoneInfo(tenant.timezone if tenant is not None and tenant.timezone else settings.TIME_ZONE)


def _normalise(value: Any, *, what: str) -> Any:
    """The value as it will read back from a JSON column: str keys, no tuples, no Decimal, no float."""
    normalised = json.loads(json.dumps(value, cls=DjangoJSONEncoder))

    def walk(item: Any) -> None:
        if isinstance(item, float):
            # A JSON column may give a float back in another form (1e20 comes back as an integer on
            # PostgreSQL), which would break the hash; write amounts as int and rates as str.
            raise ValueError(f"{what} must not contain floats; use int or str.")
        if isinstance(item, dict):
            for v in item.values():
                walk(v)
        elif isinstance(item, list):
            for v in item:
                walk(v)

    walk(normalised)
    return normalised


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of an object as JSON-ready values, for `before=` / `after=`.

    Foreign keys may be named by field name (`parent`) or attname (`parent_id`); both give the id.
    """
    found = {}
    by_attname = {f.attname: f for f in obj._meta.concrete_fields}
    for name in fields:
        field = by_attname.get(name) or obj._meta.get_field(name)
        found[name] = getattr(obj, field.attname)
    return _normalise(found, what="A snapshot")


def digest(value: Mapping[str, Any] | str | None) -> str:
    """SHA-256 of a canonical JSON of `value`; a 64-hex string is taken as an existing digest."""
    if value is None:
        return ""
    if isinstance(value, str):
        if not _HEX64.match(value):
            raise ValueError("A digest given as text must be 64 lower-case hex characters.")
        return value
    return sha256_hex(_normalise(dict(value), what="A before/after value"))


def _actor_fields(actor) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    name = getattr(actor, "full_name", "") or ""
    email = getattr(actor, "email", "") or ""
    label = f"{name} <{email}>" if name and email else (name or email or str(actor))
    return actor.pk, label[:200]


def _lock_head(tenant: Tenant | None) -> AuditChainHead:
    # select_for_update serialises appends on PostgreSQL; on SQLite every write transaction is
    # already IMMEDIATE (settings), so the whole database is the lock. The unique (tenant, seq)
    # constraint is the last guard on both.
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        chain=chain_key(tenant), defaults={"tenant": tenant}
    )
    return head


def audit_record(
    *,
    tenant: Tenant | None,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    data: Mapping[str, Any] | None = None,
    before: Mapping[str, Any] | str | None = None,
    after: Mapping[str, Any] | str | None = None,
    request=None,
) -> AuditEntry:
    """Append one entry to the tenant's chain (the platform chain when `tenant` is None).

    Guarantees: the entry gets the next `seq` of its chain and links to the entry before it, even
    with concurrent writers; it is part of the caller's transaction, so it exists if and only if
    the change it describes was committed. Call it inside the service's `transaction.atomic` (it
    opens one itself when called outside any). `actor` is a user, or None for the system. `before`
    and `after` are dicts of the object's relevant fields (see `snapshot`) and only their digests are
    kept; when both are given, `data["changed"]` lists the fields that differ. `data` must be small
    JSON without floats. Raises ValueError on a malformed action or data.
    """
    if not ACTION_RE.match(action) or len(action) > 80:
        raise ValueError(f"Audit action {action!r} must be a dotted code such as 'orgs.unit_create'.")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = str(obj) if object_repr is None else object_repr
    object_id = "" if object_id is None else str(object_id)
    if len(object_id) > 64:
        raise ValueError("An audited object id must be at most 64 characters.")
    payload = _normalise(dict(data or {}), what="Audit data")
    if isinstance(before, Mapping) and isinstance(after, Mapping) and "changed" not in payload:
        old, new = _normalise(dict(before), what="before"), _normalise(dict(after), what="after")
        payload["changed"] = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    if len(json.dumps(payload)) > MAX_DATA_BYTES:
        raise ValueError(f"Audit data is limited to {MAX_DATA_BYTES} bytes; keep documents elsewhere.")
    actor_id, actor_label = _actor_fields(actor)

    with transaction.atomic(savepoint=False):
        head = _lock_head(tenant)
        entry = AuditEntry(
            tenant=tenant,
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=(object_type or "")[:100],
            object_id=object_id,
            object_repr=(object_repr or "")[:200],
            data=payload,
            before_digest=digest(before),
            after_digest=digest(after),
            ip=client_ip(request),
            prev_hash=head.hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        head.seq, head.hash, head.updated_at = entry.seq, entry.hash, entry.created_at
        head.save(update_fields=["seq", "hash", "updated_at"])
    return entry


def audit_refusal(**kwargs) -> AuditEntry:
    """Record a refusal that matters (a denied transition, a blocked login) so that it stays recorded.

    Takes the arguments of `audit_record`. It commits at once, independently of what the caller does
    next (typically raise), and so refuses to run inside another transaction (RuntimeError).
    """
    with transaction.atomic(durable=True):
        return audit_record(**kwargs)


def in_callers_transaction() -> bool:
    """Whether a caller's transaction is open (a test case's own wrapping one does not count: the same
    test Django applies to durable blocks)."""
    blocks = transaction.get_connection().atomic_blocks
    return bool(blocks) and not getattr(blocks[-1], "_from_testcase", False)


def audit_refusal_soon(**kwargs) -> bool:
    """`audit_refusal` now, or when the caller's open transaction commits (it may catch the refusal and
    go on). Returns whether the entry was written now."""
    if in_callers_transaction():
        transaction.on_commit(lambda: audit_refusal(**kwargs))
        return False
    audit_refusal(**kwargs)
    return True


def audit_personal_data_read(
    *, tenant: Tenant, actor, subject: models.Model, fields: Iterable[str], purpose: str, request=None
) -> AuditEntry:
    """Record that an officer saw personal data (NIK, birth date, address...) of `subject`.

    Only the names of the fields and the purpose are kept, never the values. Call it from the view
    that shows the data, for each subject shown.
    """
    names = sorted({str(f) for f in fields})
    if not names:
        raise ValueError("Name the personal-data fields that were read.")
    if not purpose or not purpose.strip():
        raise ValueError("State the purpose of reading personal data.")
    return audit_record(
        tenant=tenant,
        actor=actor,
        action=PERSONAL_DATA_READ,
        obj=subject,
        data={"fields": names, "purpose": purpose.strip()[:200]},
        request=request,
    )


def day_bounds(tenant: Tenant | None, day: date) -> tuple[datetime, datetime]:
    """Start and end (exclusive) of a calendar day in the chain's time zone, as aware datetimes."""
    tz = chain_timezone(tenant)
    return datetime.combine(day, time.min, tz), datetime.combine(day + timedelta(days=1), time.min, tz)


def audit_digest_publish(*, tenant: Tenant | None, day: date) -> AuditDigest:
    """Publish the head of the chain at the end of `day` (in the tenant's time zone).

    Idempotent: publishing the same day again returns the digest already published, unchanged.
    Only days that have ended can be published (ValueError otherwise), so a digest never covers
    half a day. A chain still empty then is published as seq 0 with the genesis hash.
    """
    if day >= timezone.localdate(timezone=chain_timezone(tenant)):
        raise ValueError(f"The day {day.isoformat()} has not ended yet in this tenant's time zone.")
    existing = AuditDigest.objects.filter(tenant=tenant, day=day).first()
    if existing is not None:
        return existing
    start, end = day_bounds(tenant, day)
    upto = AuditEntry.objects.filter(tenant=tenant, created_at__lt=end)
    head = upto.order_by("-seq").values("seq", "hash").first() or {"seq": 0, "hash": GENESIS_HASH}
    try:
        with transaction.atomic():
            return AuditDigest.objects.create(
                tenant=tenant,
                day=day,
                seq=head["seq"],
                head_hash=head["hash"],
                entries=upto.filter(created_at__gte=start).count(),
                created_at=timezone.now(),
            )
    except IntegrityError:
        # Published concurrently by another worker: theirs stands.
        return AuditDigest.objects.get(tenant=tenant, day=day)


def digest_all_tenants(day: date | None = None) -> list[AuditDigest]:
    """Publish the digest of the platform chain and of every active tenant's chain.

    `day` defaults to yesterday in each chain's own time zone (what a nightly job wants).
    """
    published = []
    for tenant in [None, *Tenant.objects.filter(is_active=True).order_by("code")]:
        the_day = day or timezone.localdate(timezone=chain_timezone(tenant)) - timedelta(days=1)
        published.append(audit_digest_publish(tenant=tenant, day=the_day))
    return published
