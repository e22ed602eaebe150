"""Appending to the chain: every entry links to the one before it, per tenant, and can never change."""

import pytest
from django.db import connection, transaction

from balai.core.audit import services
from balai.core.audit.models import GENESIS_HASH, AppendOnlyError, AuditEntry, canonical_json
from balai.core.audit.services import audit_personal_data_read, audit_record, audit_refusal, snapshot
from balai.core.audit.verify import verify_chain
from balai.core.tenants.services import tenant_create

from .chains import chain, head


def test_it_links_each_entry_to_the_previous_one_over_many_entries(world):
    tenant, admin = world.serang.tenant, world.serang.people["admin"]
    base = head(tenant)
    for i in range(120):
        audit_record(tenant=tenant, actor=admin, action="orgs.unit_create", object_type="orgs.unit", object_id=i)

    ours = chain(tenant, after=base)
    assert [e.seq for e in ours] == list(range(base.seq + 1, base.seq + 121))
    assert ours[0].prev_hash == base.hash
    whole = chain(tenant)
    assert [e.seq for e in whole] == list(range(1, base.seq + 121))
    assert whole[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in zip(whole, whole[1:], strict=False))
    assert len({e.hash for e in whole}) == len(whole)
    # A small batch size walks the chain across many batches.
    result = verify_chain(tenant, chunk_size=7)
    assert result.ok and result.checked == base.seq + 120
    assert result.head_seq == base.seq + 120 and result.head_hash == ours[-1].hash


def test_it_keeps_one_independent_chain_per_tenant_and_one_for_the_platform(world):
    serang, cilegon = world.serang.tenant, world.cilegon.tenant
    # A tenant created now starts its own chain: exactly its creation, linked to the genesis hash.
    tangerang = tenant_create(code="36.71")
    [created] = chain(tangerang)
    assert (created.seq, created.prev_hash, created.action) == (1, GENESIS_HASH, "tenants.tenant_create")
    bases = {t: head(t) for t in (serang, cilegon, tangerang, None)}

    audit_record(tenant=serang, actor=None, action="orgs.unit_create")
    audit_record(tenant=serang, actor=None, action="orgs.unit_create")
    first_cilegon = audit_record(tenant=cilegon, actor=None, action="orgs.unit_create")
    second_tangerang = audit_record(tenant=tangerang, actor=None, action="orgs.unit_create")
    first_platform = audit_record(tenant=None, actor=world.outsider, action="accounts.user_register")
    third_serang = audit_record(tenant=serang, actor=None, action="orgs.unit_rename")

    # Each entry follows the head of its own chain, whatever the other chains did in between.
    assert (first_cilegon.seq, first_cilegon.prev_hash) == (bases[cilegon].seq + 1, bases[cilegon].hash)
    assert (second_tangerang.seq, second_tangerang.prev_hash) == (2, created.hash)
    assert (first_platform.seq, first_platform.prev_hash) == (bases[None].seq + 1, bases[None].hash)
    assert third_serang.seq == bases[serang].seq + 3
    # Every chain, however long, begins at seq 1 with the genesis hash.
    for t in (serang, cilegon, tangerang, None):
        first = chain(t)[0]
        assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert all(verify_chain(t).ok for t in (serang, cilegon, tangerang, None))
    assert verify_chain(serang).checked == bases[serang].seq + 3 and verify_chain(None).checked == bases[None].seq + 1
    assert verify_chain(cilegon).checked == bases[cilegon].seq + 1 and verify_chain(tangerang).checked == 2


def test_it_records_who_did_what_to_which_object(world, rf):
    admin, tenant = world.serang.people["admin"], world.serang.tenant
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    entry = audit_record(tenant=tenant, actor=admin, action="tenants.profile_update", obj=tenant, request=request, data={"reason": "kop baru"})
    entry.refresh_from_db()
    assert entry.actor_id == admin.pk
    assert admin.full_name in entry.actor_label and admin.email in entry.actor_label
    assert (entry.object_type, entry.object_id, entry.object_repr) == ("tenants.tenant", str(tenant.pk), tenant.name)
    assert entry.ip == "203.0.113.9"
    assert entry.data == {"reason": "kop baru"}
    # What was read back from the database hashes to what was stored.
    assert entry.compute_hash() == entry.hash


def test_it_keeps_digests_of_before_and_after_and_names_the_changed_fields(world):
    tenant = world.serang.tenant
    before = snapshot(tenant, ["address", "phone"])
    tenant.address = "Jl. Veteran 1"
    after = snapshot(tenant, ["address", "phone"])
    entry = audit_record(tenant=tenant, actor=None, action="tenants.profile_update", obj=tenant, before=before, after=after)
    assert entry.before_digest == services.digest(before) != entry.after_digest == services.digest(after)
    assert entry.data["changed"] == ["address"]
    # Only digests are kept, never the values.
    assert "Jl. Veteran" not in canonical_json(entry.hash_payload()).decode()


def test_it_refuses_a_malformed_action_and_floats_in_data(world):
    tenant = world.serang.tenant
    base, existing = head(tenant), AuditEntry.objects.count()
    with pytest.raises(ValueError, match="dotted code"):
        audit_record(tenant=tenant, actor=None, action="Unit created")
    with pytest.raises(ValueError, match="floats"):
        audit_record(tenant=tenant, actor=None, action="grants.amount_set", data={"rate": 0.1})
    with pytest.raises(ValueError, match="limited"):
        audit_record(tenant=tenant, actor=None, action="grants.amount_set", data={"note": "x" * 9000})
    assert AuditEntry.objects.count() == existing and head(tenant) == base


def test_the_entry_rolls_back_with_the_change_it_describes(world):
    tenant = world.serang.tenant
    base = head(tenant)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(tenant=tenant, actor=None, action="orgs.unit_create")
        raise RuntimeError("the service failed after auditing")
    assert chain(tenant, after=base) == [] and head(tenant) == base
    # The chain head rolled back too, so the next entry takes the same seq and links to the same entry.
    entry = audit_record(tenant=tenant, actor=None, action="orgs.unit_create")
    assert (entry.seq, entry.prev_hash) == (base.seq + 1, base.hash)
    assert verify_chain(tenant).ok


def test_a_refusal_is_recorded_on_its_own_and_not_inside_another_transaction(world):
    tenant, officer = world.serang.tenant, world.serang.people["officer"]
    entry = audit_refusal(tenant=tenant, actor=officer, action="workflow.transition_denied", data={"reason": "role"})
    assert entry.pk and entry.actor_id == officer.pk
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_refusal(tenant=tenant, actor=officer, action="workflow.transition_denied")


def test_it_records_an_officers_read_of_personal_data_without_the_values(world):
    tenant, officer, citizen = world.serang.tenant, world.serang.people["officer"], world.serang.people["citizen"]
    citizen.nik = "3673010101900001"
    entry = audit_personal_data_read(tenant=tenant, actor=officer, subject=citizen, fields=["nik", "birth_date"], purpose="Verifikasi pemohon")
    assert entry.action == "privacy.personal_data_read"
    assert entry.object_type == "accounts.user" and entry.object_id == str(citizen.pk)
    assert entry.data == {"fields": ["birth_date", "nik"], "purpose": "Verifikasi pemohon"}
    assert citizen.nik not in canonical_json(entry.hash_payload()).decode()
    with pytest.raises(ValueError, match="purpose"):
        audit_personal_data_read(tenant=tenant, actor=officer, subject=citizen, fields=["nik"], purpose=" ")


def test_the_model_and_queryset_refuse_changes(world):
    entry = audit_record(tenant=world.serang.tenant, actor=None, action="orgs.unit_create")
    entry.action = "orgs.unit_delete"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="orgs.unit_delete")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "orgs.unit_create"


def test_the_tables_carry_their_triggers(db):
    from balai.core.audit import triggers

    assert triggers.present(connection)
