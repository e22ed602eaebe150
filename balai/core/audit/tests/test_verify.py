"""audit_verify: an intact chain passes; an edited, deleted, re-ordered or rewritten entry is named."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from balai.core.audit.models import AuditChainHead, AuditEntry
from balai.core.audit.services import audit_digest_publish, audit_record, chain_timezone
from balai.core.audit.verify import verify_chain

from .chains import chain, head
from .tamper import execute, tamper, triggers_lifted


def _chain(tenant, n=6, *, actor=None):
    return [audit_record(tenant=tenant, actor=actor, action="orgs.unit_create", object_id=i, data={"i": i}) for i in range(n)]


def _verify(*args):
    out = StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def _rehash(entry_id):
    """Recompute an entry's hash from its (tampered) content, as a careful attacker would."""
    entry = AuditEntry.objects.get(pk=entry_id)
    tamper("UPDATE audit_auditentry SET hash = %s WHERE id = %s", [entry.compute_hash(), entry_id])


def test_it_passes_intact_chains_and_exits_0(world):
    serang, cilegon, platform = head(world.serang.tenant), head(world.cilegon.tenant), head(None)
    on_serang = _chain(world.serang.tenant)
    on_cilegon = _chain(world.cilegon.tenant, 3)
    code, out = _verify()
    assert code == 0
    assert f"OK      kota-serang: {serang.seq + 6} entries intact, head seq {serang.seq + 6} {on_serang[-1].hash}" in out
    assert f"OK      kota-cilegon: {cilegon.seq + 3} entries intact, head seq {cilegon.seq + 3} {on_cilegon[-1].hash}" in out
    assert f"OK      platform: {platform.seq} entries intact, head seq {platform.seq} {platform.hash}" in out
    assert "BROKEN" not in out


def test_editing_one_row_makes_it_exit_1_and_name_the_row(world):
    base = head(world.serang.tenant)
    entries = _chain(world.serang.tenant)
    victim = entries[3]
    assert victim.seq == base.seq + 4
    assert tamper("UPDATE audit_auditentry SET data = %s WHERE id = %s", ['{"i": 99}', victim.pk]) == 1

    result = verify_chain(world.serang.tenant)
    assert not result.ok
    assert (result.first_broken.id, result.first_broken.seq) == (victim.pk, victim.seq)
    assert "edited" in result.first_broken.reason
    assert result.checked == victim.seq - 1

    code, out = _verify("--tenant", "kota-serang")
    assert code == 1
    assert f"BROKEN  kota-serang: first broken entry id={victim.pk} seq={victim.seq} action=orgs.unit_create" in out
    assert f"({victim.seq - 1} entries before it intact)" in out


def test_it_only_fails_the_chain_that_was_touched(world):
    _chain(world.serang.tenant)
    base = head(world.cilegon.tenant)
    cilegon = _chain(world.cilegon.tenant)
    tamper("UPDATE audit_auditentry SET actor_label = 'orang lain' WHERE id = %s", [cilegon[0].pk])
    code, out = _verify()
    assert code == 1
    assert "OK      kota-serang" in out and "OK      platform" in out
    assert f"BROKEN  kota-cilegon: first broken entry id={cilegon[0].pk} seq={base.seq + 1} " in out
    assert _verify("--tenant", "kota-serang")[0] == 0


def test_an_edited_row_whose_hash_was_recomputed_breaks_the_link_to_it(world):
    base = head(world.serang.tenant)
    entries = _chain(world.serang.tenant)
    tamper("UPDATE audit_auditentry SET object_repr = 'palsu' WHERE id = %s", [entries[2].pk])
    _rehash(entries[2].pk)
    broken = verify_chain(world.serang.tenant).first_broken
    assert (broken.id, broken.seq) == (entries[3].pk, base.seq + 4)
    assert f"entry seq {base.seq + 3} " in broken.reason


def test_a_deleted_row_leaves_a_gap_that_is_named(world):
    base = head(world.serang.tenant)
    entries = _chain(world.serang.tenant)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    broken = verify_chain(world.serang.tenant).first_broken
    assert (broken.id, broken.seq) == (entries[3].pk, base.seq + 4)
    assert f"seq {base.seq + 3}..{base.seq + 3} are missing" in broken.reason


def test_rows_removed_from_the_end_are_noticed(world):
    base = head(world.serang.tenant)
    entries = _chain(world.serang.tenant)
    tamper("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [entries[4].pk, entries[5].pk])
    result = verify_chain(world.serang.tenant)
    assert not result.ok and result.checked == base.seq + 4
    assert f"ends at seq {base.seq + 4} but its head records seq {base.seq + 6}" in result.first_broken.reason


def test_re_ordered_entries_are_caught(world):
    entries = _chain(world.serang.tenant)
    a, b = entries[1], entries[2]
    free = head(world.serang.tenant).seq + 1000
    with triggers_lifted():
        # Swap the test's 2nd and 3rd entries (through a free number, because (tenant, seq) is unique).
        execute("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [free, a.pk])
        execute("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [a.seq, b.pk])
        execute("UPDATE audit_auditentry SET seq = %s WHERE id = %s", [b.seq, a.pk])
    broken = verify_chain(world.serang.tenant).first_broken
    assert (broken.id, broken.seq) == (b.pk, a.seq)


def test_a_replaced_hash_is_caught(world):
    base = head(world.serang.tenant)
    entries = _chain(world.serang.tenant)
    tamper("UPDATE audit_auditentry SET hash = %s WHERE id = %s", ["f" * 64, entries[1].pk])
    broken = verify_chain(world.serang.tenant).first_broken
    assert (broken.id, broken.seq) == (entries[1].pk, base.seq + 2)


def test_a_fully_recomputed_chain_contradicts_the_published_digest(world):
    tenant = world.serang.tenant
    base = head(tenant)
    # The test's entries are written on the days after the world was set up, so that the chain's
    # time stamps grow with its seq: 4 entries tomorrow, a digest of tomorrow, 2 more the day after.
    tomorrow, day_after = timezone.now() + timedelta(days=1), timezone.now() + timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=tomorrow):
        entries = _chain(tenant, 4)
    with mock.patch("django.utils.timezone.now", return_value=day_after):
        digest = audit_digest_publish(tenant=tenant, day=timezone.localdate(tomorrow, timezone=chain_timezone(tenant)))
        assert digest.seq == base.seq + 4 and digest.head_hash == entries[-1].hash and digest.entries == 4
        _chain(tenant, 2)

    # The attacker edits entry 2, then recomputes every hash and link after it, and the head too.
    tamper("UPDATE audit_auditentry SET data = %s WHERE id = %s", ['{"i": 42}', entries[1].pk])
    prev = None
    for entry in AuditEntry.objects.filter(tenant=tenant).order_by("seq"):
        if prev is not None:
            entry.prev_hash = prev
        new_hash = entry.compute_hash()
        tamper("UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE id = %s", [entry.prev_hash, new_hash, entry.pk])
        prev = new_hash
    AuditChainHead.objects.filter(chain=tenant.pk).update(hash=prev)

    # Every link and hash agrees, and so does the head the writers recorded...
    rewritten = chain(tenant)
    assert all(e.compute_hash() == e.hash for e in rewritten)
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(rewritten, rewritten[1:], strict=False))
    # ...but the entry the digest named no longer has the hash that was published.
    broken = verify_chain(tenant).first_broken
    assert broken is not None and (broken.id, broken.seq) == (entries[-1].pk, base.seq + 4)
    assert f"digest published for {digest.day.isoformat()}" in broken.reason
    code, out = _verify("--tenant", tenant.slug)
    assert code == 1 and f"id={entries[-1].pk} seq={base.seq + 4} " in out


def test_it_verifies_the_platform_chain_alone_and_refuses_an_unknown_tenant(world):
    base = head(None)
    entry = audit_record(tenant=None, actor=None, action="accounts.user_register")
    assert entry.seq == base.seq + 1
    code, out = _verify("--tenant", "platform")
    assert code == 0 and f"platform: {base.seq + 1} entries intact, head seq {base.seq + 1} {entry.hash}" in out
    assert "kota-serang" not in out and "kota-cilegon" not in out
    tamper("UPDATE audit_auditentry SET action = 'accounts.user_delete' WHERE id = %s", [entry.pk])
    code, out = _verify("--tenant", "platform")
    assert code == 1 and f"id={entry.pk} seq={entry.seq} action=accounts.user_delete" in out
    with pytest.raises(CommandError, match="kota-tidak-ada"):
        call_command("audit_verify", "--tenant", "kota-tidak-ada", stdout=StringIO())
