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
    _chain(world.serang.tenant)
    _chain(world.cilegon.tenant, 3)
    code, out = _verify()
    assert code == 0
    assert "OK" in out and "kota-serang: 6 entries intact" in out and "kota-cilegon: 3 entries intact" in out
    assert "platform: 0 entries intact" in out


def test_editing_one_row_makes_it_exit_1_and_name_the_row(world):
    entries = _chain(world.serang.tenant)
    victim = entries[3]
    assert tamper("UPDATE audit_auditentry SET data = %s WHERE id = %s", ['{"i": 99}', victim.pk]) == 1

    result = verify_chain(world.serang.tenant)
    assert not result.ok
    assert (result.first_broken.id, result.first_broken.seq) == (victim.pk, 4)
    assert "edited" in result.first_broken.reason
    assert result.checked == 3

    code, out = _verify("--tenant", "kota-serang")
    assert code == 1
    assert f"BROKEN  kota-serang: first broken entry id={victim.pk} seq=4 action=orgs.unit_create" in out


def test_it_only_fails_the_chain_that_was_touched(world):
    _chain(world.serang.tenant)
    cilegon = _chain(world.cilegon.tenant)
    tamper("UPDATE audit_auditentry SET actor_label = 'orang lain' WHERE id = %s", [cilegon[0].pk])
    code, out = _verify()
    assert code == 1
    assert "OK      kota-serang" in out
    assert f"BROKEN  kota-cilegon: first broken entry id={cilegon[0].pk} seq=1" in out
    assert _verify("--tenant", "kota-serang")[0] == 0


def test_an_edited_row_whose_hash_was_recomputed_breaks_the_link_to_it(world):
    entries = _chain(world.serang.tenant)
    tamper("UPDATE audit_auditentry SET object_repr = 'palsu' WHERE id = %s", [entries[2].pk])
    _rehash(entries[2].pk)
    broken = verify_chain(world.serang.tenant).first_broken
    assert broken.seq == 4 and "entry seq 3" in broken.reason


def test_a_deleted_row_leaves_a_gap_that_is_named(world):
    entries = _chain(world.serang.tenant)
    tamper("DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])
    broken = verify_chain(world.serang.tenant).first_broken
    assert (broken.id, broken.seq) == (entries[3].pk, 4)
    assert "seq 3..3 are missing" in broken.reason


def test_rows_removed_from_the_end_are_noticed(world):
    entries = _chain(world.serang.tenant)
    tamper("DELETE FROM audit_auditentry WHERE id IN (%s, %s)", [entries[4].pk, entries[5].pk])
    result = verify_chain(world.serang.tenant)
    assert not result.ok and result.checked == 4
    assert "head records seq 6" in result.first_broken.reason


def test_re_ordered_entries_are_caught(world):
    entries = _chain(world.serang.tenant)
    a, b = entries[1], entries[2]
    with triggers_lifted():
        # Swap seq 2 and 3 (through a free number, because (tenant, seq) is unique).
        execute("UPDATE audit_auditentry SET seq = 1000 WHERE id = %s", [a.pk])
        execute("UPDATE audit_auditentry SET seq = 2 WHERE id = %s", [b.pk])
        execute("UPDATE audit_auditentry SET seq = 3 WHERE id = %s", [a.pk])
    broken = verify_chain(world.serang.tenant).first_broken
    assert (broken.id, broken.seq) == (b.pk, 2)


def test_a_replaced_hash_is_caught(world):
    entries = _chain(world.serang.tenant)
    tamper("UPDATE audit_auditentry SET hash = %s WHERE id = %s", ["f" * 64, entries[1].pk])
    broken = verify_chain(world.serang.tenant).first_broken
    assert (broken.id, broken.seq) == (entries[1].pk, 2)


def test_a_fully_recomputed_chain_contradicts_the_published_digest(world):
    tenant = world.serang.tenant
    yesterday = timezone.now() - timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=yesterday):
        entries = _chain(tenant, 4)
    digest = audit_digest_publish(tenant=tenant, day=timezone.localdate(yesterday, timezone=chain_timezone(tenant)))
    assert digest.seq == 4 and digest.head_hash == entries[-1].hash
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

    broken = verify_chain(tenant).first_broken
    assert broken is not None and broken.seq == 4
    assert f"digest published for {digest.day.isoformat()}" in broken.reason
    code, out = _verify("--tenant", tenant.slug)
    assert code == 1 and "seq=4" in out


def test_it_verifies_the_platform_chain_alone_and_refuses_an_unknown_tenant(world):
    entry = audit_record(tenant=None, actor=None, action="accounts.user_register")
    code, out = _verify("--tenant", "platform")
    assert code == 0 and "platform: 1 entries intact" in out
    tamper("UPDATE audit_auditentry SET action = 'accounts.user_delete' WHERE id = %s", [entry.pk])
    code, out = _verify("--tenant", "platform")
    assert code == 1 and f"id={entry.pk} seq=1 action=accounts.user_delete" in out
    with pytest.raises(CommandError, match="kota-tidak-ada"):
        call_command("audit_verify", "--tenant", "kota-tidak-ada", stdout=StringIO())
