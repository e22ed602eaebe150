"""Walking a chain to prove it intact, or to find the first entry where it is not.

An entry is intact when its seq follows the previous one, its `prev_hash` is the previous entry's
hash, and its hash is the SHA-256 of its content. The chain as a whole must also agree with every
digest published for it (which catches a chain rewritten with every hash recomputed) and reach the
head recorded by the writers (which catches entries removed from the end).
"""

from __future__ import annotations

from dataclasses import dataclass

from balai.core.tenants.models import Tenant

from .models import GENESIS_HASH, AuditChainHead, AuditDigest, AuditEntry
from .services import chain_key


@dataclass(frozen=True)
class BrokenEntry:
    id: int | None  # None when no single entry can be named (entries missing at the end)
    seq: int | None
    action: str
    reason: str


@dataclass(frozen=True)
class VerifyResult:
    tenant: Tenant | None
    checked: int
    head_seq: int
    head_hash: str
    digests_checked: int
    first_broken: BrokenEntry | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken is None

    @property
    def chain_name(self) -> str:
        return self.tenant.slug if self.tenant is not None else "platform"


def verify_chain(tenant: Tenant | None = None, *, chunk_size: int = 2000) -> VerifyResult:
    """Check one chain (the platform chain when `tenant` is None), stopping at the first break."""
    # Read the recorded head before the entries: whatever it names was committed before the walk
    # begins, so appends that happen during the walk cannot be mistaken for a truncated chain.
    head = AuditChainHead.objects.filter(chain=chain_key(tenant)).values("seq", "hash").first()
    digests: dict[int, list[AuditDigest]] = {}
    for published in AuditDigest.objects.filter(tenant=tenant).order_by("day"):
        digests.setdefault(published.seq, []).append(published)

    checked, prev_hash, prev_seq = 0, GENESIS_HASH, 0
    at_head: AuditEntry | None = None

    def result(broken: BrokenEntry | None = None) -> VerifyResult:
        return VerifyResult(tenant, checked, prev_seq, prev_hash, sum(map(len, digests.values())), broken)

    def broken(entry: AuditEntry, reason: str) -> VerifyResult:
        return result(BrokenEntry(entry.pk, entry.seq, entry.action, reason))

    for published in digests.get(0, []):
        if published.head_hash != GENESIS_HASH:
            return result(BrokenEntry(None, 0, "", f"digest of {published.day} names an empty chain with a wrong hash"))

    entries = AuditEntry.objects.filter(tenant=tenant).order_by("seq")
    for entry in entries.iterator(chunk_size=chunk_size):
        if entry.seq != prev_seq + 1:
            return broken(entry, f"entries seq {prev_seq + 1}..{entry.seq - 1} are missing (deleted)")
        if entry.prev_hash != prev_hash:
            return broken(
                entry,
                f"prev_hash does not match the hash of entry seq {prev_seq} "
                "(that entry was rewritten and re-hashed, or this one was replaced)",
            )
        if entry.compute_hash() != entry.hash:
            return broken(entry, "content does not match its hash (the row was edited)")
        for published in digests.get(entry.seq, []):
            if published.head_hash != entry.hash:
                return broken(entry, f"hash differs from the digest published for {published.day.isoformat()}")
        if head is not None and entry.seq == head["seq"]:
            at_head = entry
        checked, prev_hash, prev_seq = checked + 1, entry.hash, entry.seq

    beyond = [d for seq, found in digests.items() if seq > prev_seq for d in found]
    if beyond:
        published = min(beyond, key=lambda d: d.seq)
        return result(
            BrokenEntry(
                None,
                prev_seq + 1,
                "",
                f"the chain ends at seq {prev_seq} but the digest of {published.day.isoformat()} "
                f"names seq {published.seq} (entries removed from the end)",
            )
        )
    if head is not None and head["seq"] > 0:
        if head["seq"] > prev_seq:
            return result(
                BrokenEntry(
                    None,
                    prev_seq + 1,
                    "",
                    f"the chain ends at seq {prev_seq} but its head records seq {head['seq']} (entries removed from the end)",
                )
            )
        if at_head is not None and at_head.hash != head["hash"]:
            return broken(at_head, "hash differs from the head recorded by the writers (the chain was rewritten)")
    return result()


def verify_all(*, chunk_size: int = 2000) -> list[VerifyResult]:
    """The platform chain, then every tenant's chain (inactive tenants too)."""
    tenants = [None, *Tenant.objects.order_by("code")]
    return [verify_chain(tenant, chunk_size=chunk_size) for tenant in tenants]
