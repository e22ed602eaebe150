"""The database itself refuses UPDATE, DELETE and TRUNCATE on the audit tables, on every backend we run."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from balai.core.audit import triggers
from balai.core.audit.models import AuditDigest, AuditEntry
from balai.core.audit.services import audit_digest_publish, audit_record

from .chains import head
from .tamper import execute


def _refused(sql, params=()):
    # DatabaseError covers both IntegrityError (what our triggers raise) and anything a backend maps it to.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        execute(sql, params)


def test_it_refuses_update_and_delete_of_an_entry(world):
    entry = audit_record(tenant=world.serang.tenant, actor=None, action="orgs.unit_create")
    _refused("UPDATE audit_auditentry SET action = 'orgs.unit_delete' WHERE id = %s", [entry.pk])
    _refused("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    _refused("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.get(pk=entry.pk).action == "orgs.unit_create"


def test_it_refuses_update_and_delete_of_a_published_digest(world):
    digest = audit_digest_publish(tenant=world.serang.tenant, day=timezone.localdate() - timedelta(days=2))
    _refused("UPDATE audit_auditdigest SET head_hash = %s WHERE id = %s", ["f" * 64, digest.pk])
    _refused("DELETE FROM audit_auditdigest WHERE id = %s", [digest.pk])
    assert AuditDigest.objects.get(pk=digest.pk).head_hash == digest.head_hash


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers are PostgreSQL's")
def test_it_refuses_truncate_on_postgresql(world):
    audit_record(tenant=world.serang.tenant, actor=None, action="orgs.unit_create")
    existing = AuditEntry.objects.count()
    execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE waits for no deferred foreign-key check
    _refused("TRUNCATE audit_auditentry CASCADE")
    assert existing > 0 and AuditEntry.objects.count() == existing


def test_inserting_still_works_after_triggers_were_lifted_and_restored(world):
    with triggers.lifted(connection):
        assert not triggers.present(connection)
    assert triggers.present(connection)
    base = head(world.serang.tenant)
    entry = audit_record(tenant=world.serang.tenant, actor=None, action="orgs.unit_create")
    assert (entry.seq, entry.prev_hash) == (base.seq + 1, base.hash)


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_tables_and_keeps_the_triggers():
    from balai.core.tenants.services import tenant_create

    tenant = tenant_create(code="36.73")
    audit_record(tenant=tenant, actor=None, action="orgs.unit_create")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    assert triggers.present(connection)
