"""Reading a chain as it stands, so that a test asserts relative to what was there before it began.

Creating a tenant (and other audited services the test world goes through) already writes entries,
so no chain is empty when a test starts; tests take the head first and count their own entries after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from balai.core.audit.models import GENESIS_HASH, AuditEntry
from balai.core.tenants.models import Tenant


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str


def head(tenant: Tenant | None) -> Head:
    """The last entry of the chain (the platform chain when `tenant` is None); seq 0 and the genesis hash if none."""
    last = AuditEntry.objects.filter(tenant=tenant).order_by("-seq").values("seq", "hash").first()
    return Head(last["seq"], last["hash"]) if last else Head(0, GENESIS_HASH)


def chain(tenant: Tenant | None, *, after: Head | None = None) -> list[AuditEntry]:
    """The chain's entries in order, or only those appended after `after`."""
    entries = AuditEntry.objects.filter(tenant=tenant).order_by("seq")
    if after is not None:
        entries = entries.filter(seq__gt=after.seq)
    return list(entries)
